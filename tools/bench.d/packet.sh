#!/usr/bin/env bash
# The userspace offloads: checksum, TSO split of a 64 KB TCPv4 super-packet, GRO coalesce of
# 45 segments, in GB per CPU second.
set -euo pipefail
build=${WGX_BUILD_DIR:-build}
cmake --build "$build" --target bench_packet -j"$(nproc)" >/dev/null
"$build/tests/bench_packet"
