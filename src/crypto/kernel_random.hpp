#pragma once
// Random bytes straight from the kernel (getrandom(2), through libsodium), for one-shot commands
// such as `wgx genkey`: one system call per draw, but no generator to set up. SystemRandom's
// OpenSSL DRBG is the right source for a long-running engine (no system call per draw), yet
// setting up OpenSSL's providers for it costs a short-lived command several times more CPU than
// everything else it does.
#include "crypto/random.hpp"

namespace wgx::crypto {

class KernelRandom final : public Random {
  public:
    void fill(std::span<std::uint8_t> out) override;
};

} // namespace wgx::crypto
