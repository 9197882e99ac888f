#pragma once
// OpenSSL's libcrypto, opened with dlopen() the first time wgx encrypts or draws from the
// DRBG. Linked in, its provider tables cost every start of wgx about 90 copied pages of
// relocated pointers (a `wgx genkey` twice as dear as wg's) although only the engine and the
// handshake use it; commands that never touch it (genkey, show, strip) no longer pay for it.
#include "crypto/libcrypto_load.hpp"
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace wgx::crypto {

/// The libcrypto functions wgx calls, under their own names.
struct LibCrypto {
    decltype(&::EVP_CIPHER_CTX_new) EVP_CIPHER_CTX_new = nullptr;
    decltype(&::EVP_CIPHER_CTX_free) EVP_CIPHER_CTX_free = nullptr;
    decltype(&::EVP_CIPHER_CTX_ctrl) EVP_CIPHER_CTX_ctrl = nullptr;
    decltype(&::EVP_chacha20_poly1305) EVP_chacha20_poly1305 = nullptr;
    decltype(&::EVP_CIPHER_fetch) EVP_CIPHER_fetch = nullptr;
    decltype(&::EVP_EncryptInit_ex) EVP_EncryptInit_ex = nullptr;
    decltype(&::EVP_EncryptUpdate) EVP_EncryptUpdate = nullptr;
    decltype(&::EVP_EncryptFinal_ex) EVP_EncryptFinal_ex = nullptr;
    decltype(&::EVP_DecryptInit_ex) EVP_DecryptInit_ex = nullptr;
    decltype(&::EVP_DecryptUpdate) EVP_DecryptUpdate = nullptr;
    decltype(&::EVP_DecryptFinal_ex) EVP_DecryptFinal_ex = nullptr;
    decltype(&::RAND_bytes) RAND_bytes = nullptr;

    /// ChaCha20-Poly1305 fetched from the default provider once: EVP_chacha20_poly1305() makes
    /// every EVP_*Init_ex fetch it again (a lock and a table lookup per context).
    const EVP_CIPHER* chacha20_poly1305 = nullptr;
};

/// Loads libcrypto on the first call (thread-safe) and returns its functions. When it cannot be
/// loaded, writes one line naming the library and why to stderr and aborts: nothing that needs
/// a cipher can go on without one (the package depends on it).
const LibCrypto& libcrypto();

} // namespace wgx::crypto
