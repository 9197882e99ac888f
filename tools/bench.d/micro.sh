#!/usr/bin/env bash
# Microbenchmarks, each a ratio measured in this run:
#  - handshakes consumed and answered by the protocol core on one core (tests/bench/handshake),
#    against the bound X25519 alone sets;
#  - seal+open through the protocol core at 64 and 1420 bytes (tests/bench/transport);
#  - allowed-ips lookups with 1M random prefixes, IPv4 and IPv6 (tests/bench/allowed_ips),
#    against the binary trie it replaced;
#  - RSS per configured idle peer with WGX_BENCH_RSS_PEERS (default 100,000) peers: wgx-engine,
#    Debian's wireguard-go and, when ../shared/anchors has it, the newest one (needs root;
#    wireguard-go holds at most 65,536 peers, so it gets 65,000 and figures are per peer);
#  - setconf/show/syncconf of 10k and 100k peers, wgx+wgx-engine against wg+wireguard-go
#    (tools/bench.d/cli.sh's stack comparison; WGX_BENCH_MICRO_CLI=0 skips it).
# Last line: `bench: key=value ...`.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${WGX_BUILD_DIR:-build}
cmake --build "$build" --target bench_handshake bench_transport bench_allowed_ips wgx \
	-j"$(nproc)" >/dev/null
results=()
# run CMD...: prints the benchmark's report and keeps its `result k=v ...` line.
run() {
	local out
	out=$("$@")
	grep -v '^result ' <<<"$out"
	read -ra kv <<<"$(sed -n 's/^result //p' <<<"$out")"
	results+=("${kv[@]}")
}
echo "-- protocol core, one core (CPU time)"
run "$build/tests/bench_handshake"
run "$build/tests/bench_transport"
run "$build/tests/bench_allowed_ips"

# --- RSS per idle peer -------------------------------------------------------------------
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
if [[ $(id -u) != 0 ]] || ! command -v wireguard-go >/dev/null; then
	echo "-- RSS per peer: needs root and wireguard-go, skipped"
else
	n=${WGX_BENCH_RSS_PEERS:-100000}
	ns=wgx-micro-$$-1 dir=$(mktemp -d)
	pids=()
	cleanup() {
		for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null || true
		rm -rf "$dir"
	}
	trap cleanup EXIT
	ip netns add "$ns"
	# wireguard-go refuses a peer beyond 65,536 ("too many peers"): it gets as many as it holds,
	# and every figure is per peer.
	go_n=$((n < 65000 ? n : 65000))
	mkdir "$dir/all" "$dir/go"
	tools/bench.d/peers_conf.py "$n" "$dir/all" idle
	tools/bench.d/peers_conf.py "$go_n" "$dir/go" idle
	impls=("wgx-engine=$PWD/$build/src/wgx-engine" "wireguard-go=$(command -v wireguard-go)")
	# The newest wireguard-go (see ../shared/anchors/README.md), from a checkout beside it or a
	# worktree one level deeper, or WGX_ANCHORS.
	newest=
	for f in "${WGX_ANCHORS:-../shared/anchors}"/wireguard-go-* ../../shared/anchors/wireguard-go-*; do
		[[ -x $f && $f != *LICENSE ]] && newest=$f
	done
	[[ -n $newest && -x $newest ]] && impls+=("wireguard-go-newest=$newest")
	echo "-- RSS per configured idle peer (setconf by wg, no keepalive, 2 s settle)"
	declare -A per_peer
	i=0
	for entry in "${impls[@]}"; do
		name=${entry%%=*} bin=${entry#*=} dev=wgxrss$((i++))$(($$ % 1000)) conf=$dir/go/peers.conf
		count=$go_n
		[[ $name == wgx-engine ]] && conf=$dir/all/peers.conf count=$n
		WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 ip netns exec "$ns" "$bin" -f "$dev" \
			>/dev/null 2>&1 &
		pid=$!
		pids+=("$pid")
		for _ in $(seq 100); do wg show "$dev" >/dev/null 2>&1 && break; sleep 0.05; done
		before=$(rss_kib "$pid")
		if ! timeout 600 wg setconf "$dev" "$conf"; then
			echo "  $name: setconf of $count peers failed"
			kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
			continue
		fi
		sleep 2
		after=$(rss_kib "$pid")
		got=$(wg show "$dev" peers | wc -l)
		per_peer[$name]=$(echo "($after - $before) * 1024 / $got" | bc -l)
		printf '  %-22s RSS %7d KiB -> %7d KiB, %6d peers: %7.0f bytes/peer\n' "$name" \
			"$before" "$after" "$got" "${per_peer[$name]}"
		kill "$pid" && wait "$pid" 2>/dev/null || true
	done
	[[ -n ${per_peer[wgx-engine]:-} ]] || { echo "micro bench: wgx-engine RSS not measured" >&2; exit 1; }
	results+=("rss_per_peer_bytes=$(printf '%.0f' "${per_peer[wgx-engine]}")")
	for name in "${!per_peer[@]}"; do
		[[ $name == wgx-engine ]] && continue
		ratio=$(echo "${per_peer[wgx-engine]} / ${per_peer[$name]}" | bc -l)
		printf '  wgx-engine / %s: %.2f\n' "$name" "$ratio"
		results+=("rss_vs_${name//-/_}=$(printf '%.2f' "$ratio")")
	done
fi

if [[ ${WGX_BENCH_MICRO_CLI:-1} != 0 ]]; then
	echo "-- control plane: wgx+wgx-engine vs wg+wireguard-go"
	out=$(WGX_BENCH_SAME_DEVICE=0 WGX=${WGX:-$PWD/$build/src/wgx} WGX_BIN_DIR=$PWD/$build/src tools/bench.d/cli.sh)
	grep -v '^bench: ' <<<"$out"
	read -ra kv <<<"$(sed -n 's/^bench: //p' <<<"$out")"
	results+=("${kv[@]}")
fi
echo "bench: ${results[*]}"
