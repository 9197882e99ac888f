#!/usr/bin/env bash
# Control-plane speed with many peers, as ratios measured in the same run (< 1: wgx is faster).
#  1. Same device: wgx vs wg as clients of one wireguard-go device with WGX_BENCH_PEERS peers
#     (default 10,000): setconf, show, show dump, showconf, syncconf (no change, and ~12% changed).
#  2. Whole stacks: wgx driving wgx-engine vs wg driving wireguard-go, for each peer count in
#     WGX_BENCH_STACK_PEERS (default "10000 100000"): setconf, show, syncconf (no change, changed).
#     wireguard-go refuses a peer beyond 65,536 ("too many peers"): above that, wgx's stack is
#     timed alone.
# Needs root (netns, /var/run/wireguard). Last line: `bench: key=value ...`.
set -euo pipefail
WGX=${WGX:?set WGX to the wgx binary}
ENGINE=${WGX_BIN_DIR:-$(dirname "$WGX")}/wgx-engine
[[ $(id -u) == 0 ]] || { echo "cli bench: needs root, skipped"; exit 0; }
command -v wireguard-go >/dev/null || { echo "cli bench: no wireguard-go, skipped"; exit 0; }
PEERS=${WGX_BENCH_PEERS:-10000}
STACK_PEERS=${WGX_BENCH_STACK_PEERS:-10000 100000}
here=$(cd "$(dirname "$0")" && pwd)
ns=wgx-cli-$$-9 dir=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
ip netns add "$ns"

# start IMPL DEV: wireguard-go ("go") or wgx-engine ("wgx") in the namespace, until it answers.
start() {
	local bin
	case $1 in go) bin=$(command -v wireguard-go) ;; wgx) bin=$ENGINE ;; esac
	WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 ip netns exec "$ns" "$bin" -f "$2" \
		>/dev/null 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do wg show "$2" >/dev/null 2>&1 && return; sleep 0.05; done
	echo "cli bench: $1 engine for $2 did not start" >&2
	exit 1
}

# Best of ROUNDS (default 3) wall-clock seconds of "$@"; every run bounded by 300 s.
best() {
	local b=999999 s e t
	for _ in $(seq "${ROUNDS:-3}"); do
		s=$(date +%s.%N)
		timeout 300 "$@" >/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		(($(echo "$t < $b" | bc))) && b=$t
	done
	echo "$b"
}
# Same for a syncconf to changed.conf, each run starting from peers.conf (untimed).
best_changed() {
	local tool=$1 dev=$2 b=999999 s e t
	for _ in $(seq "${ROUNDS:-3}"); do
		"$tool" setconf "$dev" "$dir/peers.conf"
		s=$(date +%s.%N)
		timeout 300 "$tool" syncconf "$dev" "$dir/changed.conf" >/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		(($(echo "$t < $b" | bc))) && b=$t
	done
	echo "$b"
}
# cpu_ms ENGINE_PID CMD...: CPU milliseconds of one run of CMD plus what the engine spent
# meanwhile. On a shared machine wall time mostly measures waiting for a core, and
# wireguard-go's goroutines take several: CPU time is the steadier figure.
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_ms() {
	local pid=$1 a b client
	shift
	a=$(ticks "$pid")
	client=$( { timeout 300 "$@" >/dev/null; times; } | tail -1)
	b=$(ticks "$pid")
	awk -v t=$((b - a)) -v hz="$hz" '{ split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%.0f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 + t * 1000 / hz }' <<<"$client"
}
row() { printf '%-30s %10.3f %10.3f %8.2f\n' "$1" "$2" "$3" "$(echo "$3 / $2" | bc -l)"; }
results=()

# --- 1. Same wireguard-go device, both clients ------------------------------------------------
if [[ ${WGX_BENCH_SAME_DEVICE:-1} != 0 ]]; then
dev=wgxbench$(($$ % 10000))
start go "$dev"
"$here/peers_conf.py" "$PEERS" "$dir"
printf '%-30s %10s %10s %8s\n' "same device ($PEERS peers)" "wg s" "wgx s" "wgx/wg"
for step in "setconf $dev $dir/peers.conf" "show $dev" "show $dev dump" "showconf $dev" \
	"syncconf $dev $dir/peers.conf"; do
	# shellcheck disable=SC2086
	a=$(best wg $step)
	# shellcheck disable=SC2086
	b=$(best "$WGX" $step)
	label=${step%% *}${step#* "$dev"}
	row "${label//"$dir"\//}" "$a" "$b"
done
a=$(best_changed wg "$dev")
# Peers only: ListenPort = 0 draws a new random port on every setconf.
wg show "$dev" dump | tail -n +2 | sort >"$dir/wg.state"
b=$(best_changed "$WGX" "$dev")
row "syncconf changed.conf" "$a" "$b"
wg show "$dev" dump | tail -n +2 | sort | cmp - "$dir/wg.state" &&
	echo "syncconf changed: identical peers"
# Both tools must agree on what the device holds after all this.
cmp <(wg showconf "$dev" | sort) <("$WGX" showconf "$dev" | sort) && echo "showconf: identical content"
kill "${pids[-1]}" && wait "${pids[-1]}" 2>/dev/null || true
fi

# --- 2. Whole stacks: wgx + wgx-engine against wg + wireguard-go ----------------------------
if [[ ! -x $ENGINE ]]; then
	echo "cli bench: no wgx-engine at $ENGINE, stack comparison skipped"
else
	for n in $STACK_PEERS; do
		"$here/peers_conf.py" "$n" "$dir"
		go_dev=wgxgo$(($$ % 10000)) wgx_dev=wgxen$(($$ % 10000))
		rounds=$((n > 20000 ? 1 : 3))
		if ((n > 65536)); then
			start wgx "$wgx_dev"
			echo
			printf '%-30s %10s %10s\n' "wgx+wgx-engine ($n peers)" "wg+go" "wgx+wgx s"
			for step in setconf show syncconf; do
				arg=()
				[[ $step == show ]] || arg=("$dir/peers.conf")
				b=$(ROUNDS=$rounds best "$WGX" "$step" "$wgx_dev" "${arg[@]}")
				printf '%-30s %10s %10.3f\n' "$step" "n/a" "$b"
				results+=("${step}_${n}_wgx_s=$(printf '%.3f' "$b")")
			done
			b=$(ROUNDS=$rounds best_changed "$WGX" "$wgx_dev")
			printf '%-30s %10s %10.3f\n' "syncconf changed.conf" "n/a" "$b"
			results+=("syncconf_changed_${n}_wgx_s=$(printf '%.3f' "$b")")
			[[ $("$WGX" show "$wgx_dev" peers | wc -l) == $((n - n / 100 + n / 100)) ]] &&
				echo "wgx-engine holds all $n peers (wireguard-go stops at 65,536)"
			kill "${pids[-1]}" && wait "${pids[-1]}" 2>/dev/null || true
			unset 'pids[-1]'
			continue
		fi
		start go "$go_dev"
		go_pid=${pids[-1]}
		start wgx "$wgx_dev"
		wgx_pid=${pids[-1]}
		echo
		printf '%-30s %10s %10s %8s\n' "stacks ($n peers, best of $rounds)" "wg+go s" "wgx+wgx s" \
			"ratio"
		for step in setconf show syncconf; do
			arg=()
			[[ $step == show ]] || arg=("$dir/peers.conf")
			a=$(ROUNDS=$rounds best wg "$step" "$go_dev" "${arg[@]}")
			b=$(ROUNDS=$rounds best "$WGX" "$step" "$wgx_dev" "${arg[@]}")
			row "$step" "$a" "$b"
			results+=("${step}_${n}_vs_go=$(printf '%.2f' "$(echo "$b / $a" | bc -l)")")
			ca=$(cpu_ms "$go_pid" wg "$step" "$go_dev" "${arg[@]}")
			cb=$(cpu_ms "$wgx_pid" "$WGX" "$step" "$wgx_dev" "${arg[@]}")
			printf '%-30s %10s %10s %8.2f\n' "  CPU ms (client + engine)" "$ca" "$cb" \
				"$(echo "$cb / ($ca + 0.001)" | bc -l)"
			results+=("${step}_${n}_cpu_vs_go=$(printf '%.2f' "$(echo "$cb / ($ca + 0.001)" | bc -l)")")
		done
		a=$(ROUNDS=$rounds best_changed wg "$go_dev")
		b=$(ROUNDS=$rounds best_changed "$WGX" "$wgx_dev")
		row "syncconf changed.conf" "$a" "$b"
		results+=("syncconf_changed_${n}_vs_go=$(printf '%.2f' "$(echo "$b / $a" | bc -l)")")
		# Both stacks hold the same peers (ListenPort aside).
		cmp <(wg showconf "$go_dev" | grep -v ListenPort | sort) \
			<(wg showconf "$wgx_dev" | grep -v ListenPort | sort) &&
			echo "wgx-engine and wireguard-go hold identical peers"
		for _ in 1 2; do kill "${pids[-1]}" && wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; done
	done
fi
echo "bench: ${results[*]}"
