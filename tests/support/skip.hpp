#pragma once
// A test case that cannot check anything on this machine (no root, no IPv6) says so with a
// marker that every unit-test ctest entry's SKIP_REGULAR_EXPRESSION matches (tests/CMakeLists.txt),
// so ctest reports it as skipped, with the reason, instead of as passed.
#include <iostream>
#include <string_view>

namespace wgx::test {

/// The text ctest matches; keep in sync with WGX_SKIP_MARKER in tests/CMakeLists.txt.
inline constexpr std::string_view SKIP_MARKER = "WGX-SKIP:";

/// Reports the current test case as skipped for `reason`. The caller returns right after.
inline void skip(std::string_view reason) {
    std::cout << SKIP_MARKER << ' ' << reason << std::endl;
}

} // namespace wgx::test
