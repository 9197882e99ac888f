#!/usr/bin/env python3
"""Computes a WireGuard handshake, a cookie reply and transport messages from fixed keys,
ephemerals, timestamp and indices, independently of wgx (python3-cryptography for X25519 and
ChaCha20-Poly1305, hashlib for BLAKE2s, HChaCha20 by hand), straight from the whitepaper §5.4.

Prints a C++ header; its output is committed as handshake_vectors.inc and checked by
noise_test.cpp:  python3 tests/protocol/handshake_vectors.py > tests/protocol/handshake_vectors.inc
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

# --- Inputs ------------------------------------------------------------------------------
INPUTS = {
    "INITIATOR_STATIC_PRIVATE": bytes.fromhex(
        "e8d0a6e1c3b1d0f0a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566774f"),
    "RESPONDER_STATIC_PRIVATE": bytes.fromhex(
        "58a3b7e6d5c4b3a29180706f5e4d3c2b1a0918273645546372819099aabbcc6d"),
    "INITIATOR_EPHEMERAL_PRIVATE": bytes.fromhex(
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe7f"),
    "RESPONDER_EPHEMERAL_PRIVATE": bytes.fromhex(
        "c8c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddE5f".lower()),
    "PRESHARED_KEY": bytes.fromhex(
        "0f1e2d3c4b5a69788796a5b4c3d2e1f00102030405060708090a0b0c0d0e0f10"),
    "COOKIE_SECRET": bytes.fromhex(
        "31415926535897932384626433832795028841971693993751058209749445923"[:64]),
    "COOKIE_NONCE": bytes.fromhex("000102030405060708090a0b0c0d0e0f1011121314151617"),
}
INITIATOR_INDEX = 0x11223344
RESPONDER_INDEX = 0x55667788
WALL_SECONDS = 1767225600  # 2026-01-01T00:00:00Z
WALL_NANOS = 987654321
COOKIE_SOURCE_IP = bytes([192, 0, 2, 1])
COOKIE_SOURCE_PORT = 51820
TRANSPORT_PLAINTEXT = bytes(range(25))
TRANSPORT_PADDED = 32

CONSTRUCTION = b"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"
IDENTIFIER = b"WireGuard v1 zx2c4 Jason@zx2c4.com"
LABEL_MAC1 = b"mac1----"
LABEL_COOKIE = b"cookie--"


# --- Primitives --------------------------------------------------------------------------
def HASH(*parts):
    h = hashlib.blake2s()
    for p in parts:
        h.update(p)
    return h.digest()


def MAC(key, data):
    return hashlib.blake2s(data, key=key, digest_size=16).digest()


def HMAC(key, data):
    return hmac.new(key, data, hashlib.blake2s).digest()


def KDF(n, key, data):
    prk = HMAC(key, data)
    out, prev = [], b""
    for i in range(1, n + 1):
        prev = HMAC(prk, prev + bytes([i]))
        out.append(prev)
    return out


def AEAD(key, counter, plain, ad):
    return ChaCha20Poly1305(key).encrypt(b"\0" * 4 + struct.pack("<Q", counter), plain, ad)


def AEAD_OPEN(key, counter, sealed, ad):
    return ChaCha20Poly1305(key).decrypt(b"\0" * 4 + struct.pack("<Q", counter), sealed, ad)


def hchacha20(key, nonce16):
    M = 0xFFFFFFFF
    s = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    s += list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))

    def rotl(v, c):
        return ((v << c) & M) | (v >> (32 - c))

    def qr(a, b, c, d):
        s[a] = (s[a] + s[b]) & M; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & M; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & M; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & M; s[b] = rotl(s[b] ^ s[c], 7)

    for _ in range(10):
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


# draft-irtf-cfrg-xchacha-03 §2.2.1
assert hchacha20(bytes(range(32)), bytes.fromhex("000000090000004a0000000031415927")).hex() == \
    "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc"


def XAEAD(key, nonce24, plain, ad):
    sub = hchacha20(key, nonce24[:16])
    return ChaCha20Poly1305(sub).encrypt(b"\0" * 4 + nonce24[16:], plain, ad)


def clamp(k):
    k = bytearray(k)
    k[0] &= 248
    k[31] = (k[31] & 127) | 64
    return bytes(k)


def PUB(priv):
    return X25519PrivateKey.from_private_bytes(priv).public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw)


def DH(priv, pub):
    return X25519PrivateKey.from_private_bytes(priv).exchange(X25519PublicKey.from_public_bytes(pub))


def tai64n(secs, nanos):
    # The timestamp's nanoseconds are rounded down to a multiple of 2^24 (as the references do).
    return struct.pack(">QI", 0x400000000000000A + secs, nanos & ~0xFFFFFF & 0xFFFFFFFF)


# --- Handshake initiation (§5.4.2) --------------------------------------------------------
Si_priv = clamp(INPUTS["INITIATOR_STATIC_PRIVATE"])
Sr_priv = clamp(INPUTS["RESPONDER_STATIC_PRIVATE"])
Ei_priv = clamp(INPUTS["INITIATOR_EPHEMERAL_PRIVATE"])
Er_priv = clamp(INPUTS["RESPONDER_EPHEMERAL_PRIVATE"])
Q = INPUTS["PRESHARED_KEY"]
Si_pub, Sr_pub, Ei_pub, Er_pub = PUB(Si_priv), PUB(Sr_priv), PUB(Ei_priv), PUB(Er_priv)

C = HASH(CONSTRUCTION)
H = HASH(C, IDENTIFIER)
H = HASH(H, Sr_pub)
C = KDF(1, C, Ei_pub)[0]
H = HASH(H, Ei_pub)
C, k = KDF(2, C, DH(Ei_priv, Sr_pub))
enc_static = AEAD(k, 0, Si_pub, H)
H = HASH(H, enc_static)
C, k = KDF(2, C, DH(Si_priv, Sr_pub))
enc_time = AEAD(k, 0, tai64n(WALL_SECONDS, WALL_NANOS), H)
H = HASH(H, enc_time)
init = struct.pack("<I", 1) + struct.pack("<I", INITIATOR_INDEX) + Ei_pub + enc_static + enc_time
init_mac1 = MAC(HASH(LABEL_MAC1, Sr_pub), init)
initiation = init + init_mac1 + bytes(16)
assert len(initiation) == 148

# --- Handshake response (§5.4.3) ----------------------------------------------------------
C = KDF(1, C, Er_pub)[0]
H = HASH(H, Er_pub)
C = KDF(1, C, DH(Er_priv, Ei_pub))[0]
C = KDF(1, C, DH(Er_priv, Si_pub))[0]
C, tau, k = KDF(3, C, Q)
H = HASH(H, tau)
enc_empty = AEAD(k, 0, b"", H)
H = HASH(H, enc_empty)
resp = struct.pack("<I", 2) + struct.pack("<II", RESPONDER_INDEX, INITIATOR_INDEX) + Er_pub + enc_empty
response = resp + MAC(HASH(LABEL_MAC1, Si_pub), resp) + bytes(16)
assert len(response) == 92

# --- Transport keys and messages (§5.4.5, §5.4.6) ------------------------------------------
T_send_i, T_recv_i = KDF(2, C, b"")
padded = TRANSPORT_PLAINTEXT + bytes(TRANSPORT_PADDED - len(TRANSPORT_PLAINTEXT))
data_i = struct.pack("<IIQ", 4, RESPONDER_INDEX, 0) + AEAD(T_send_i, 0, padded, b"")
keepalive_r = struct.pack("<IIQ", 4, INITIATOR_INDEX, 0) + AEAD(T_recv_i, 0, b"", b"")
assert AEAD_OPEN(T_send_i, 0, data_i[16:], b"") == padded

# --- Cookie reply to the initiation and the initiation's MAC2 (§5.4.7) --------------------
cookie = MAC(INPUTS["COOKIE_SECRET"], COOKIE_SOURCE_IP + struct.pack(">H", COOKIE_SOURCE_PORT))
nonce = INPUTS["COOKIE_NONCE"]
cookie_reply = struct.pack("<II", 3, INITIATOR_INDEX) + nonce + \
    XAEAD(HASH(LABEL_COOKIE, Sr_pub), nonce, cookie, init_mac1)
assert len(cookie_reply) == 64
initiation_mac2 = MAC(cookie, initiation[:132])

# --- Output ------------------------------------------------------------------------------
print("// Generated by handshake_vectors.py: do not edit.")
print("#pragma once")
for name, value in INPUTS.items():
    print(f'inline constexpr const char* {name} = "{value.hex()}";')
print(f"inline constexpr unsigned INITIATOR_INDEX = {INITIATOR_INDEX:#x};")
print(f"inline constexpr unsigned RESPONDER_INDEX = {RESPONDER_INDEX:#x};")
print(f"inline constexpr long long WALL_SECONDS = {WALL_SECONDS};")
print(f"inline constexpr long long WALL_NANOS = {WALL_NANOS};")
print(f"inline constexpr unsigned COOKIE_SOURCE_PORT = {COOKIE_SOURCE_PORT};")
print(f"inline constexpr unsigned TRANSPORT_PLAINTEXT_LEN = {len(TRANSPORT_PLAINTEXT)};")
for name, value in [("EXPECTED_INITIATOR_PUBLIC", Si_pub), ("EXPECTED_RESPONDER_PUBLIC", Sr_pub),
                    ("EXPECTED_INITIATION", initiation), ("EXPECTED_RESPONSE", response),
                    ("EXPECTED_INITIATOR_SEND_KEY", T_send_i),
                    ("EXPECTED_INITIATOR_RECEIVE_KEY", T_recv_i),
                    ("EXPECTED_TRANSPORT_DATA", data_i),
                    ("EXPECTED_RESPONDER_KEEPALIVE", keepalive_r),
                    ("EXPECTED_COOKIE_REPLY", cookie_reply),
                    ("EXPECTED_INITIATION_MAC2", initiation_mac2)]:
    print(f'inline constexpr const char* {name} = "{value.hex()}";')
