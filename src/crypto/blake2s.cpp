#include "crypto/blake2s.hpp"
#include "crypto/libcrypto_library.hpp"

#include <cstdlib>
#include <cstring>
#include <openssl/core_names.h>

namespace wgx::crypto {

namespace {

// The handshake hashes a dozen times per message: algorithms are fetched once (immutable,
// shareable) and each thread reuses its own contexts, so no call allocates or looks a name up.
EVP_MD* blake2s_digest() {
    static EVP_MD* md = [] {
        const LibCrypto& ossl = libcrypto();
        EVP_MD* m = ossl.EVP_MD_fetch(nullptr, "BLAKE2S-256", nullptr);
        if (!m)
            std::abort();
        return m;
    }();
    return md;
}

struct DigestContext {
    const LibCrypto& ossl = libcrypto();
    EVP_MD_CTX* ctx = ossl.EVP_MD_CTX_new();
    DigestContext() {
        if (!ctx)
            std::abort();
    }
    ~DigestContext() { ossl.EVP_MD_CTX_free(ctx); }
};

struct MacContexts {
    // Keyed BLAKE2s with 16- and 32-byte outputs (the size is a context parameter).
    EVP_MAC_CTX* by_size[2] = {nullptr, nullptr};
    ~MacContexts() {
        const LibCrypto& ossl = libcrypto();
        for (EVP_MAC_CTX* c : by_size)
            ossl.EVP_MAC_CTX_free(c);
    }
    EVP_MAC_CTX* get(std::size_t size) {
        EVP_MAC_CTX*& c = by_size[size == HASH_LEN];
        if (!c) {
            const LibCrypto& ossl = libcrypto();
            static EVP_MAC* algo = [] {
                EVP_MAC* m = libcrypto().EVP_MAC_fetch(nullptr, "BLAKE2SMAC", nullptr);
                if (!m)
                    std::abort();
                return m;
            }();
            OSSL_PARAM params[] = {ossl.OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size),
                                   ossl.OSSL_PARAM_construct_end()};
            c = ossl.EVP_MAC_CTX_new(algo);
            if (!c || ossl.EVP_MAC_CTX_set_params(c, params) != 1)
                std::abort();
        }
        return c;
    }
};

void hash_into(std::uint8_t out[HASH_LEN], std::span<const std::uint8_t> first, Parts parts) {
    const LibCrypto& ossl = libcrypto();
    thread_local DigestContext d;
    unsigned int len = 0;
    if (ossl.EVP_DigestInit_ex2(d.ctx, blake2s_digest(), nullptr) != 1)
        std::abort();
    if (!first.empty())
        ossl.EVP_DigestUpdate(d.ctx, first.data(), first.size());
    for (auto p : parts)
        if (!p.empty())
            ossl.EVP_DigestUpdate(d.ctx, p.data(), p.size());
    if (ossl.EVP_DigestFinal_ex(d.ctx, out, &len) != 1 || len != HASH_LEN)
        std::abort();
}

} // namespace

void blake2s_hash(std::uint8_t out[HASH_LEN], Parts parts) {
    hash_into(out, {}, parts);
}

void blake2s_mac(std::span<std::uint8_t> out, std::span<const std::uint8_t> key, Parts parts) {
    const LibCrypto& ossl = libcrypto();
    thread_local MacContexts m;
    EVP_MAC_CTX* ctx = m.get(out.size());
    std::size_t written = 0;
    if (ossl.EVP_MAC_init(ctx, key.data(), key.size(), nullptr) != 1)
        std::abort();
    for (auto p : parts)
        if (!p.empty())
            ossl.EVP_MAC_update(ctx, p.data(), p.size());
    if (ossl.EVP_MAC_final(ctx, out.data(), &written, out.size()) != 1 || written != out.size())
        std::abort();
}

void hmac_blake2s(std::uint8_t out[HASH_LEN], std::span<const std::uint8_t> key, Parts parts) {
    // RFC 2104 over BLAKE2s (64-byte blocks): H(K ^ opad || H(K ^ ipad || text)). WireGuard's
    // keys are at most 32 bytes; a longer one would be hashed first.
    constexpr std::size_t BLOCK = 64;
    std::uint8_t pad[BLOCK] = {};
    if (key.size() > BLOCK)
        hash_into(pad, key, {});
    else
        std::memcpy(pad, key.data(), key.size());
    for (auto& b : pad)
        b ^= 0x36;
    std::uint8_t inner[HASH_LEN];
    hash_into(inner, pad, parts);
    for (auto& b : pad)
        b ^= 0x36 ^ 0x5c;
    hash_into(out, pad, {std::span<const std::uint8_t>(inner, HASH_LEN)});
    secure_zero(pad, sizeof pad);
    secure_zero(inner, sizeof inner);
}

void kdf(std::span<Key> outputs, const Key& key, std::span<const std::uint8_t> input) {
    Key prk;
    hmac_blake2s(prk.data(), key.view(), {input});
    std::uint8_t block[HASH_LEN + 1];
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        block[HASH_LEN] = std::uint8_t(i + 1);
        if (i == 0)
            hmac_blake2s(outputs[i].data(), prk.view(), {std::span(block + HASH_LEN, 1)});
        else
            hmac_blake2s(outputs[i].data(), prk.view(), {std::span(block, HASH_LEN + 1)});
        std::memcpy(block, outputs[i].data(), HASH_LEN);
    }
    secure_zero(block, sizeof block);
}

} // namespace wgx::crypto
