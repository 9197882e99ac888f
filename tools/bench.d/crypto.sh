#!/usr/bin/env bash
# The data-path AEAD: OpenSSL EVP (wgx's choice) against libsodium, per core.
set -euo pipefail
build=${WGX_BUILD_DIR:-build}
cmake --build "$build" --target bench_aead -j"$(nproc)" >/dev/null
"$build/tests/bench_aead"
