#include "crypto/aead.hpp"
#include "crypto/libcrypto_library.hpp"

#include <cstdlib>
#include <cstring>
#include <sodium.h>

namespace wgx::crypto {

namespace {
void make_nonce(std::uint8_t nonce[12], std::uint64_t counter) {
    std::memset(nonce, 0, 4);
    for (int i = 0; i < 8; ++i)
        nonce[4 + i] = std::uint8_t(counter >> (8 * i));
}
} // namespace

struct ChaChaPolyContext::Impl {
    EVP_CIPHER_CTX* enc = nullptr;
    EVP_CIPHER_CTX* dec = nullptr;
    ~Impl() {
        const LibCrypto& ossl = libcrypto();
        ossl.EVP_CIPHER_CTX_free(enc);
        ossl.EVP_CIPHER_CTX_free(dec);
    }
};

ChaChaPolyContext::ChaChaPolyContext(const Key& key, AeadUse use)
    : impl_(std::make_unique<Impl>()) {
    const LibCrypto& ossl = libcrypto();
    // Only allocation failure makes these fail.
    if (use != AeadUse::open) {
        impl_->enc = ossl.EVP_CIPHER_CTX_new();
        if (!impl_->enc || ossl.EVP_EncryptInit_ex(impl_->enc, ossl.chacha20_poly1305, nullptr,
                                                   key.data(), nullptr) != 1)
            std::abort();
    }
    if (use != AeadUse::seal) {
        impl_->dec = ossl.EVP_CIPHER_CTX_new();
        if (!impl_->dec || ossl.EVP_DecryptInit_ex(impl_->dec, ossl.chacha20_poly1305, nullptr,
                                                   key.data(), nullptr) != 1)
            std::abort();
    }
}

ChaChaPolyContext::~ChaChaPolyContext() = default;
ChaChaPolyContext::ChaChaPolyContext(ChaChaPolyContext&&) noexcept = default;
ChaChaPolyContext& ChaChaPolyContext::operator=(ChaChaPolyContext&&) noexcept = default;

void ChaChaPolyContext::seal(std::uint64_t counter, std::span<const std::uint8_t> plaintext,
                             std::span<const std::uint8_t> ad, std::uint8_t* out) {
    if (!impl_->enc)
        std::abort(); // a context made for opening only
    std::uint8_t nonce[12];
    const LibCrypto& ossl = libcrypto();
    make_nonce(nonce, counter);
    int len = 0;
    ossl.EVP_EncryptInit_ex(impl_->enc, nullptr, nullptr, nullptr, nonce);
    if (!ad.empty())
        ossl.EVP_EncryptUpdate(impl_->enc, nullptr, &len, ad.data(), int(ad.size()));
    if (!plaintext.empty())
        ossl.EVP_EncryptUpdate(impl_->enc, out, &len, plaintext.data(), int(plaintext.size()));
    ossl.EVP_EncryptFinal_ex(impl_->enc, out + plaintext.size(), &len);
    ossl.EVP_CIPHER_CTX_ctrl(impl_->enc, EVP_CTRL_AEAD_GET_TAG, AEAD_TAG_LEN,
                             out + plaintext.size());
}

bool ChaChaPolyContext::open(std::uint64_t counter, std::span<const std::uint8_t> ciphertext,
                             std::span<const std::uint8_t> ad, std::uint8_t* out) {
    if (!impl_->dec)
        std::abort(); // a context made for sealing only
    if (ciphertext.size() < AEAD_TAG_LEN)
        return false;
    const LibCrypto& ossl = libcrypto();
    std::size_t n = ciphertext.size() - AEAD_TAG_LEN;
    std::uint8_t tag[AEAD_TAG_LEN];
    std::memcpy(tag, ciphertext.data() + n, AEAD_TAG_LEN); // out may alias the ciphertext
    std::uint8_t nonce[12];
    make_nonce(nonce, counter);
    int len = 0;
    ossl.EVP_DecryptInit_ex(impl_->dec, nullptr, nullptr, nullptr, nonce);
    if (!ad.empty())
        ossl.EVP_DecryptUpdate(impl_->dec, nullptr, &len, ad.data(), int(ad.size()));
    if (n)
        ossl.EVP_DecryptUpdate(impl_->dec, out, &len, ciphertext.data(), int(n));
    ossl.EVP_CIPHER_CTX_ctrl(impl_->dec, EVP_CTRL_AEAD_SET_TAG, AEAD_TAG_LEN, tag);
    return ossl.EVP_DecryptFinal_ex(impl_->dec, out + n, &len) == 1;
}

// One-shot AEAD (handshake messages, a few dozen bytes): libsodium's, which needs no context
// allocation; the data path keeps OpenSSL's per-keypair contexts (ChaChaPolyContext).
void chacha20poly1305_seal(const Key& key, std::span<const std::uint8_t, 12> nonce,
                           std::span<const std::uint8_t> plaintext,
                           std::span<const std::uint8_t> ad, std::uint8_t* out) {
    unsigned long long clen = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(out, &clen, plaintext.data(), plaintext.size(),
                                              ad.data(), ad.size(), nullptr, nonce.data(),
                                              key.data());
}

bool chacha20poly1305_open(const Key& key, std::span<const std::uint8_t, 12> nonce,
                           std::span<const std::uint8_t> ciphertext,
                           std::span<const std::uint8_t> ad, std::uint8_t* out) {
    unsigned long long plen = 0;
    return ciphertext.size() >= AEAD_TAG_LEN &&
           crypto_aead_chacha20poly1305_ietf_decrypt(out, &plen, nullptr, ciphertext.data(),
                                                     ciphertext.size(), ad.data(), ad.size(),
                                                     nonce.data(), key.data()) == 0;
}

void aead_seal(const Key& key, std::uint64_t counter, std::span<const std::uint8_t> plaintext,
               std::span<const std::uint8_t> ad, std::uint8_t* out) {
    std::uint8_t nonce[12];
    make_nonce(nonce, counter);
    chacha20poly1305_seal(key, std::span<const std::uint8_t, 12>(nonce, 12), plaintext, ad, out);
}

bool aead_open(const Key& key, std::uint64_t counter, std::span<const std::uint8_t> ciphertext,
               std::span<const std::uint8_t> ad, std::uint8_t* out) {
    std::uint8_t nonce[12];
    make_nonce(nonce, counter);
    return chacha20poly1305_open(key, std::span<const std::uint8_t, 12>(nonce, 12), ciphertext, ad,
                                 out);
}

void xaead_seal(const Key& key, std::span<const std::uint8_t, XAEAD_NONCE_LEN> nonce,
                std::span<const std::uint8_t> plaintext, std::span<const std::uint8_t> ad,
                std::uint8_t* out) {
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out, &clen, plaintext.data(), plaintext.size(),
                                               ad.data(), ad.size(), nullptr, nonce.data(),
                                               key.data());
}

bool xaead_open(const Key& key, std::span<const std::uint8_t, XAEAD_NONCE_LEN> nonce,
                std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> ad,
                std::uint8_t* out) {
    unsigned long long plen = 0;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(out, &plen, nullptr, ciphertext.data(),
                                                      ciphertext.size(), ad.data(), ad.size(),
                                                      nonce.data(), key.data()) == 0;
}

} // namespace wgx::crypto
