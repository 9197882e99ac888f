#pragma once
namespace wgx::cli {
/// `wgx`: the wg(8) command line. Returns the process exit status.
int main(int argc, char** argv);
} // namespace wgx::cli
