import struct, hashlib, hmac
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
key=bytes(range(0x80,0xa0)); nonce=bytes.fromhex("070000004041424344454647"); aad=bytes.fromhex("50515253c0c1c2c3c4c5c6c7")
pt=b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
ct=ChaCha20Poly1305(key).encrypt(nonce,pt,aad); print("rfc", ct.hex())
def rotl(v,c): return ((v<<c)&0xffffffff)|(v>>(32-c))
def qr(s,a,b,c,d):
    s[a]=(s[a]+s[b])&0xffffffff; s[d]=rotl(s[d]^s[a],16)
    s[c]=(s[c]+s[d])&0xffffffff; s[b]=rotl(s[b]^s[c],12)
    s[a]=(s[a]+s[b])&0xffffffff; s[d]=rotl(s[d]^s[a],8)
    s[c]=(s[c]+s[d])&0xffffffff; s[b]=rotl(s[b]^s[c],7)
def hchacha(k,n16):
    s=[0x61707865,0x3320646e,0x79622d32,0x6b206574]+list(struct.unpack("<8I",k))+list(struct.unpack("<4I",n16))
    for _ in range(10):
        qr(s,0,4,8,12);qr(s,1,5,9,13);qr(s,2,6,10,14);qr(s,3,7,11,15)
        qr(s,0,5,10,15);qr(s,1,6,11,12);qr(s,2,7,8,13);qr(s,3,4,9,14)
    return struct.pack("<8I",*(s[0:4]+s[12:16]))
xn=bytes(range(0x40,0x58))
sub=hchacha(key,xn[:16]); xct=ChaCha20Poly1305(sub).encrypt(b"\0\0\0\0"+xn[16:],pt,aad); print("xchacha", xct.hex())
print("blake2s abc", hashlib.blake2s(b"abc").hexdigest())
k32=bytes(range(32))
print("mac16", hashlib.blake2s(b"wireguard", key=k32, digest_size=16).hexdigest())
print("mac32 empty", hashlib.blake2s(b"", key=k32).hexdigest())
print("hmac", hmac.new(b"key", b"The quick brown fox", lambda d=b"": hashlib.blake2s(d)).hexdigest())
def hm(k,d): return hmac.new(k,d,lambda x=b"": hashlib.blake2s(x)).digest()
ck=bytes(range(32)); inp=b"input"
t0=hm(ck,inp); t1=hm(t0,b"\x01"); t2=hm(t0,t1+b"\x02"); t3=hm(t0,t2+b"\x03")
print("kdf", t1.hex(), t2.hex(), t3.hex())
