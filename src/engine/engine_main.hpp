#pragma once
namespace wgx::engine {
/// `wgx-engine`: wireguard-go's command line. Returns the process exit status.
int main(int argc, char** argv);
} // namespace wgx::engine
