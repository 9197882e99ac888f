#include "protocol/noise.hpp"

#include <array>
#include <cstring>
#include <span>

#include "crypto/aead.hpp"
#include "crypto/blake2s.hpp"
#include "crypto/x25519.hpp"
#include "protocol/messages.hpp"

namespace wgx::protocol {

namespace {

using crypto::KEY_LEN;

std::span<const std::uint8_t> text(const char* s) {
    return {reinterpret_cast<const std::uint8_t*>(s), std::strlen(s)};
}

/// C0 = HASH(CONSTRUCTION), H0 = HASH(C0 || IDENTIFIER): the same for every handshake.
struct InitialState {
    Key chaining_key;
    Key hash;
    InitialState() {
        crypto::blake2s_hash(chaining_key.data(), {text(CONSTRUCTION)});
        crypto::blake2s_hash(hash.data(), {chaining_key.view(), text(IDENTIFIER)});
    }
};
const InitialState& initial_state() {
    static const InitialState s;
    return s;
}

/// H = HASH(H || data)
void mix_hash(Key& hash, std::span<const std::uint8_t> data) {
    crypto::blake2s_hash(hash.data(), {hash.view(), data});
}

/// C = KDF1(C, data)
void mix_key(Key& chaining_key, std::span<const std::uint8_t> data) {
    Key out[1];
    crypto::kdf(out, chaining_key, data);
    chaining_key = out[0];
}

/// (C, k) = KDF2(C, DH(priv, pub)); false when the DH result is all zero.
bool mix_dh(Key& chaining_key, Key* key, const Key& priv, const Key& pub) {
    Key dh;
    if (!crypto::x25519(dh, priv, pub))
        return false;
    Key out[2];
    crypto::kdf(std::span(out, key ? 2 : 1), chaining_key, dh.view());
    chaining_key = out[0];
    if (key)
        *key = out[1];
    return true;
}

/// Same with an already computed DH result (the static-static one); zero means low order.
bool mix_precomputed_dh(Key& chaining_key, Key& key, const Key& dh) {
    if (dh.is_zero())
        return false;
    Key out[2];
    crypto::kdf(out, chaining_key, dh.view());
    chaining_key = out[0];
    key = out[1];
    return true;
}

/// (C, t, k) = KDF3(C, psk); H = HASH(H || t)
void mix_psk(Key& chaining_key, Key& hash, Key& key, const Key& psk) {
    Key out[3];
    crypto::kdf(out, chaining_key, psk.view());
    chaining_key = out[0];
    mix_hash(hash, out[1].view());
    key = out[2];
}

/// e: C = KDF1(C, e); H = HASH(H || e)
void mix_ephemeral(Key& chaining_key, Key& hash, std::span<const std::uint8_t> ephemeral) {
    mix_hash(hash, ephemeral);
    mix_key(chaining_key, ephemeral);
}

/// out = AEAD(k, 0, plain, H); H = HASH(H || out)
void encrypt_and_hash(std::uint8_t* out, std::span<const std::uint8_t> plain, const Key& key,
                      Key& hash) {
    crypto::aead_seal(key, 0, plain, hash.view(), out);
    mix_hash(hash, std::span<const std::uint8_t>(out, plain.size() + TAG_SIZE));
}

bool decrypt_and_hash(std::uint8_t* out, std::span<const std::uint8_t> sealed, const Key& key,
                      Key& hash) {
    if (!crypto::aead_open(key, 0, sealed, hash.view(), out))
        return false;
    mix_hash(hash, sealed);
    return true;
}

void start(Key& chaining_key, Key& hash, const Key& responder_static) {
    chaining_key = initial_state().chaining_key;
    hash = initial_state().hash;
    mix_hash(hash, responder_static.view());
}

} // namespace

void StaticIdentity::set(const std::optional<Key>& key) {
    if (key && !key->is_zero()) {
        present = true;
        private_key = *key;
        public_key = crypto::public_key_of(*key);
    } else {
        present = false;
        private_key = Key();
        public_key = Key();
    }
}

void Handshake::precompute(const StaticIdentity& identity) {
    precomputed_static_static = Key();
    if (identity.present &&
        !crypto::x25519(precomputed_static_static, identity.private_key, remote_static))
        precomputed_static_static = Key();
}

void Handshake::clear() {
    state = HandshakeState::zeroed;
    ephemeral_private = Key();
    remote_ephemeral = Key();
    hash = Key();
    chaining_key = Key();
    local_index = 0;
    remote_index = 0;
}

bool create_initiation(Handshake& hs, const StaticIdentity& identity, crypto::Random& random,
                       WallTime wall, std::uint32_t sender_index, std::uint8_t* out) {
    if (!identity.present)
        return false;
    Key chaining_key, hash, key, ephemeral_private;
    start(chaining_key, hash, hs.remote_static);
    std::memset(out, 0, initiation::SIZE);
    write_header(out, MESSAGE_HANDSHAKE_INITIATION);
    store_le32(out + initiation::SENDER, sender_index);

    // e
    ephemeral_private = crypto::generate_private_key(random);
    Key ephemeral_public = crypto::public_key_of(ephemeral_private);
    std::memcpy(out + initiation::EPHEMERAL, ephemeral_public.data(), KEY_LEN);
    mix_ephemeral(chaining_key, hash, ephemeral_public.view());
    // es
    if (!mix_dh(chaining_key, &key, ephemeral_private, hs.remote_static))
        return false;
    // s
    encrypt_and_hash(out + initiation::STATIC, identity.public_key.view(), key, hash);
    // ss
    if (!mix_precomputed_dh(chaining_key, key, hs.precomputed_static_static))
        return false;
    // {t}
    crypto::Tai64n t = crypto::tai64n(wall);
    encrypt_and_hash(out + initiation::TIMESTAMP, t, key, hash);

    hs.ephemeral_private = ephemeral_private;
    hs.chaining_key = chaining_key;
    hs.hash = hash;
    hs.local_index = sender_index;
    hs.state = HandshakeState::created_initiation;
    return true;
}

bool consume_initiation_start(const StaticIdentity& identity, const std::uint8_t* msg,
                              InitiationInProgress& st) {
    if (!identity.present)
        return false;
    start(st.chaining_key, st.hash, identity.public_key);
    st.sender_index = load_le32(msg + initiation::SENDER);
    // e
    st.remote_ephemeral =
        Key(std::span<const std::uint8_t, KEY_LEN>(msg + initiation::EPHEMERAL, KEY_LEN));
    mix_ephemeral(st.chaining_key, st.hash, st.remote_ephemeral.view());
    // es
    if (!mix_dh(st.chaining_key, &st.key, identity.private_key, st.remote_ephemeral))
        return false;
    // s
    return decrypt_and_hash(st.remote_static.data(),
                            std::span(msg + initiation::STATIC, KEY_LEN + TAG_SIZE), st.key,
                            st.hash);
}

bool consume_initiation_finish(Handshake& hs, InitiationInProgress& st, const std::uint8_t* msg,
                               MonoTime now) {
    // ss
    if (!mix_precomputed_dh(st.chaining_key, st.key, hs.precomputed_static_static))
        return false;
    // {t}
    crypto::Tai64n t;
    if (!decrypt_and_hash(t.data(),
                          std::span(msg + initiation::TIMESTAMP, TIMESTAMP_SIZE + TAG_SIZE), st.key,
                          st.hash))
        return false;
    // A timestamp not newer than the last accepted one is a replay; an initiation sooner than
    // 1/50 s after the last one is a flood.
    bool replay = std::memcmp(t.data(), hs.latest_timestamp.data(), TIMESTAMP_SIZE) <= 0;
    bool flood = hs.last_initiation_consumption &&
                 now < *hs.last_initiation_consumption + MIN_INITIATION_INTERVAL;
    if (replay || flood)
        return false;

    hs.remote_ephemeral = st.remote_ephemeral;
    hs.latest_timestamp = t;
    hs.hash = st.hash;
    hs.chaining_key = st.chaining_key;
    hs.remote_index = st.sender_index;
    hs.last_initiation_consumption = now;
    hs.state = HandshakeState::consumed_initiation;
    return true;
}

bool create_response(Handshake& hs, crypto::Random& random, std::uint32_t sender_index,
                     std::uint8_t* out) {
    if (hs.state != HandshakeState::consumed_initiation)
        return false;
    Key chaining_key = hs.chaining_key, hash = hs.hash, key;
    std::memset(out, 0, response::SIZE);
    write_header(out, MESSAGE_HANDSHAKE_RESPONSE);
    store_le32(out + response::SENDER, sender_index);
    store_le32(out + response::RECEIVER, hs.remote_index);

    // e
    Key ephemeral_private = crypto::generate_private_key(random);
    Key ephemeral_public = crypto::public_key_of(ephemeral_private);
    std::memcpy(out + response::EPHEMERAL, ephemeral_public.data(), KEY_LEN);
    mix_ephemeral(chaining_key, hash, ephemeral_public.view());
    // ee, se
    if (!mix_dh(chaining_key, nullptr, ephemeral_private, hs.remote_ephemeral) ||
        !mix_dh(chaining_key, nullptr, ephemeral_private, hs.remote_static))
        return false;
    // psk
    mix_psk(chaining_key, hash, key, hs.preshared_key);
    // {}
    encrypt_and_hash(out + response::EMPTY, {}, key, hash);

    hs.ephemeral_private = ephemeral_private;
    hs.chaining_key = chaining_key;
    hs.hash = hash;
    hs.local_index = sender_index;
    hs.state = HandshakeState::created_response;
    return true;
}

bool consume_response(Handshake& hs, const StaticIdentity& identity, const std::uint8_t* msg) {
    if (hs.state != HandshakeState::created_initiation || !identity.present)
        return false;
    Key chaining_key = hs.chaining_key, hash = hs.hash, key;
    // e
    Key remote_ephemeral(
        std::span<const std::uint8_t, KEY_LEN>(msg + response::EPHEMERAL, KEY_LEN));
    mix_ephemeral(chaining_key, hash, remote_ephemeral.view());
    // ee, se
    if (!mix_dh(chaining_key, nullptr, hs.ephemeral_private, remote_ephemeral) ||
        !mix_dh(chaining_key, nullptr, identity.private_key, remote_ephemeral))
        return false;
    // psk
    mix_psk(chaining_key, hash, key, hs.preshared_key);
    // {}
    std::uint8_t nothing[1];
    if (!decrypt_and_hash(nothing, std::span(msg + response::EMPTY, TAG_SIZE), key, hash))
        return false;

    hs.remote_ephemeral = remote_ephemeral;
    hs.chaining_key = chaining_key;
    hs.hash = hash;
    hs.remote_index = load_le32(msg + response::SENDER);
    hs.state = HandshakeState::consumed_response;
    return true;
}

std::optional<SessionKeys> begin_session(Handshake& hs) {
    if (hs.state != HandshakeState::created_response &&
        hs.state != HandshakeState::consumed_response)
        return std::nullopt;
    SessionKeys keys;
    keys.initiator = hs.state == HandshakeState::consumed_response;
    keys.local_index = hs.local_index;
    keys.remote_index = hs.remote_index;
    // (T_send_i, T_recv_i) = KDF2(C, ε); the responder's pair is the same, swapped.
    Key out[2];
    crypto::kdf(out, hs.chaining_key, {});
    keys.send = keys.initiator ? out[0] : out[1];
    keys.receive = keys.initiator ? out[1] : out[0];
    hs.clear();
    return keys;
}

} // namespace wgx::protocol
