#pragma once
// Whether OpenSSL's libcrypto, which crypto/ opens with dlopen() on first use, can be opened: for
// callers outside crypto/ (no OpenSSL type in sight), such as the engine, which checks before it
// creates anything rather than dying at its first handshake.
#include <string>

namespace wgx::crypto {

/// Loads libcrypto if it is not loaded yet; empty when it is usable, else why not (one line).
const std::string& libcrypto_load_error();

} // namespace wgx::crypto
