#include "crypto/blake2s.hpp"

#include <cstdlib>
#include <cstring>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace wgx::crypto {

namespace {

// Fetched once: EVP_MAC objects are immutable and safe to share between threads.
EVP_MAC* fetch_mac(const char* name) {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, name, nullptr);
    if (!m)
        std::abort();
    return m;
}
EVP_MAC* blake2s_mac_algo() {
    static EVP_MAC* m = fetch_mac("BLAKE2SMAC");
    return m;
}
EVP_MAC* hmac_algo() {
    static EVP_MAC* m = fetch_mac("HMAC");
    return m;
}

void run_mac(EVP_MAC* algo, const OSSL_PARAM* params, std::span<const std::uint8_t> key,
             Parts parts, std::uint8_t* out, std::size_t out_len) {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(algo);
    std::size_t written = 0;
    if (!ctx || EVP_MAC_CTX_set_params(ctx, params) != 1 ||
        EVP_MAC_init(ctx, key.data(), key.size(), nullptr) != 1)
        std::abort();
    for (auto p : parts)
        if (!p.empty())
            EVP_MAC_update(ctx, p.data(), p.size());
    if (EVP_MAC_final(ctx, out, &written, out_len) != 1 || written != out_len)
        std::abort();
    EVP_MAC_CTX_free(ctx);
}

} // namespace

void blake2s_hash(std::uint8_t out[HASH_LEN], Parts parts) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_blake2s256(), nullptr) != 1)
        std::abort();
    for (auto p : parts)
        if (!p.empty())
            EVP_DigestUpdate(ctx, p.data(), p.size());
    EVP_DigestFinal_ex(ctx, out, &len);
    EVP_MD_CTX_free(ctx);
}

void blake2s_mac(std::span<std::uint8_t> out, std::span<const std::uint8_t> key, Parts parts) {
    std::size_t size = out.size();
    OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size),
                           OSSL_PARAM_construct_end()};
    run_mac(blake2s_mac_algo(), params, key, parts, out.data(), out.size());
}

void hmac_blake2s(std::uint8_t out[HASH_LEN], std::span<const std::uint8_t> key, Parts parts) {
    char digest[] = "BLAKE2S-256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    run_mac(hmac_algo(), params, key, parts, out, HASH_LEN);
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
