#include "crypto/libcrypto_library.hpp"

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>

namespace wgx::crypto {

namespace {

[[noreturn]] void fail(const char* what, const char* why) {
    std::fprintf(stderr, "wgx: %s %s: %s\n", what, LIBCRYPTO_SONAME, why ? why : "?");
    std::abort();
}

template <typename Fn>
void find(void* handle, const char* name, Fn& fn) {
    fn = reinterpret_cast<Fn>(::dlsym(handle, name));
    if (!fn)
        fail(name, "not found in");
}

LibCrypto load() {
    void* handle = ::dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        fail("cannot load", ::dlerror());
    LibCrypto l;
#define WGX_FIND(name) find(handle, #name, l.name)
    WGX_FIND(EVP_CIPHER_CTX_new);
    WGX_FIND(EVP_CIPHER_CTX_free);
    WGX_FIND(EVP_CIPHER_CTX_ctrl);
    WGX_FIND(EVP_chacha20_poly1305);
    WGX_FIND(EVP_EncryptInit_ex);
    WGX_FIND(EVP_EncryptUpdate);
    WGX_FIND(EVP_EncryptFinal_ex);
    WGX_FIND(EVP_DecryptInit_ex);
    WGX_FIND(EVP_DecryptUpdate);
    WGX_FIND(EVP_DecryptFinal_ex);
    WGX_FIND(EVP_MD_fetch);
    WGX_FIND(EVP_MD_CTX_new);
    WGX_FIND(EVP_MD_CTX_free);
    WGX_FIND(EVP_DigestInit_ex2);
    WGX_FIND(EVP_DigestUpdate);
    WGX_FIND(EVP_DigestFinal_ex);
    WGX_FIND(EVP_MAC_fetch);
    WGX_FIND(EVP_MAC_CTX_new);
    WGX_FIND(EVP_MAC_CTX_free);
    WGX_FIND(EVP_MAC_CTX_set_params);
    WGX_FIND(EVP_MAC_init);
    WGX_FIND(EVP_MAC_update);
    WGX_FIND(EVP_MAC_final);
    WGX_FIND(OSSL_PARAM_construct_size_t);
    WGX_FIND(OSSL_PARAM_construct_end);
    WGX_FIND(RAND_bytes);
#undef WGX_FIND
    return l;
}

} // namespace

const LibCrypto& libcrypto() {
    static const LibCrypto lib = load();
    return lib;
}

} // namespace wgx::crypto
