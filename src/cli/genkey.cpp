// `genkey` and `genpsk`: 32 random bytes as base64; genkey clamps them into a Curve25519 scalar.
#include <cstdio>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "crypto/kernel_random.hpp"
#include "crypto/x25519.hpp"

namespace wgx::cli {

namespace {
// A key written into a file others can read is a key others can read: warn as wg does.
bool stdout_is_world_accessible_file() {
    struct stat st {};
    return ::fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & S_IRWXO);
}
} // namespace

int genkey_main(const Invocation& inv) {
    if (inv.args.size() != 1) {
        print_command_usage(inv);
        return 1;
    }
    if (stdout_is_world_accessible_file())
        std::fputs("Warning: writing to world accessible file.\n"
                   "Consider setting the umask to 077 and trying again.\n",
                   stderr);
    crypto::KernelRandom rng; // one key: no DRBG to set up (see crypto/kernel_random.hpp)
    crypto::Key key = inv.args[0] == "genkey" ? crypto::generate_private_key(rng)
                                              : crypto::generate_preshared_key(rng);
    SecretString line = key.secret_base64();
    line += '\n';
    write_secret_out(line);
    return 0;
}

} // namespace wgx::cli
