// PLACEHOLDER owned by the quick helper: replaced by the real wgx-quick.
#include "quick/quick.hpp"
#include <cstdio>
namespace wgx::quick {
int main(int, char**) {
    std::fputs("wgx-quick: not built yet\n", stderr);
    return 1;
}
} // namespace wgx::quick
