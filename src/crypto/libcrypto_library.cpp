#include "crypto/libcrypto_library.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/shared_library.hpp"

namespace wgx::crypto {

namespace {

struct Loaded {
    LibCrypto functions;
    std::string error; // empty once every function is found
};

Loaded load() {
    Loaded l;
    SharedLibrary lib(LIBCRYPTO_SONAME);
    LibCrypto& f = l.functions;
#define WGX_FIND(name) lib.find(#name, f.name)
    WGX_FIND(EVP_CIPHER_CTX_new);
    WGX_FIND(EVP_CIPHER_CTX_free);
    WGX_FIND(EVP_CIPHER_CTX_ctrl);
    WGX_FIND(EVP_chacha20_poly1305);
    WGX_FIND(EVP_CIPHER_fetch);
    WGX_FIND(EVP_EncryptInit_ex);
    WGX_FIND(EVP_EncryptUpdate);
    WGX_FIND(EVP_EncryptFinal_ex);
    WGX_FIND(EVP_DecryptInit_ex);
    WGX_FIND(EVP_DecryptUpdate);
    WGX_FIND(EVP_DecryptFinal_ex);
    WGX_FIND(RAND_bytes);
#undef WGX_FIND
    l.error = lib.error();
    if (l.error.empty()) {
        // Never freed: it lives as long as the library, which is never closed.
        f.chacha20_poly1305 = f.EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
        if (!f.chacha20_poly1305)
            f.chacha20_poly1305 = f.EVP_chacha20_poly1305();
    }
    return l;
}

const Loaded& loaded() {
    static const Loaded l = load();
    return l;
}

} // namespace

const std::string& libcrypto_load_error() {
    return loaded().error;
}

const LibCrypto& libcrypto() {
    const Loaded& l = loaded();
    if (!l.error.empty()) {
        std::fprintf(stderr, "wgx: %s\n", l.error.c_str());
        std::abort();
    }
    return l.functions;
}

} // namespace wgx::crypto
