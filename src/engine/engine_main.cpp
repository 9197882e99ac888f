// PLACEHOLDER owned by the engine helper: replaced by the real wgx-engine.
#include "engine/engine_main.hpp"
#include <cstdio>
namespace wgx::engine {
int main(int, char**) {
    std::fputs("wgx-engine: not built yet\n", stderr);
    return 1;
}
} // namespace wgx::engine
