#pragma once
namespace wgx::quick {
/// `wgx-quick`: the wg-quick(8) command line. Returns the process exit status.
int main(int argc, char** argv);
} // namespace wgx::quick
