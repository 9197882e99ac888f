// PLACEHOLDER owned by the cli helper: replaced by the real wgx command table.
#include "cli/cli.hpp"
#include <cstdio>
namespace wgx::cli {
int main(int, char**) {
    std::fputs("wgx: not built yet\n", stderr);
    return 1;
}
} // namespace wgx::cli
