#!/usr/bin/env bash
# Tunnel throughput, packet rate, latency and CPU cost: wgx-engine against the userspace engines a
# user would pick instead, measured in one run on the same machine.
#
#   tools/bench tunnel [--rounds N] [--seconds S] [--against NAME=PATH]... [--no-anchor]
#                      [--outer 4|6]
#
# Two network namespaces (wgx-test-$$-1 and -2) are joined by a veth (192.0.2.1/2 and fd00::1/2).
# For each implementation both ends run that implementation (-f, configured with `wg`, inner
# addresses 198.51.100.1/2, MTU 1420, outer endpoints over IPv4 or with --outer 6 over IPv6):
#   wgx      $WGX_BIN_DIR/wgx-engine (the build being benchmarked)
#   debian   Debian's wireguard-go from $PATH
#   newest   the newest wireguard-go in ../shared/anchors/ next to the checkout, when it exists
#            (README there; --no-anchor leaves it out)
#   NAME     every --against NAME=PATH (any engine with wireguard-go's command line and UAPI)
#   veth     the bare veth without a tunnel: the ceiling
# Rounds are interleaved (round r runs every implementation once, in the same order), so drift on
# a shared machine hits all of them alike; each figure is the median over the rounds of:
#   tcp1, tcp4      iperf3 TCP, 1 and 4 streams, Mbit/s received
#   udp64, udp1392  iperf3 -u -b 0 -l 64 / -l 1392: packets/s delivered and loss % (1392 bytes of
#                   payload fill an inner packet of exactly MTU 1420)
#   rtt, rtt_load   median ping RTT (ms) idle (measured first), and during the TCP 1-stream run
#   cpu_per_gb      CPU seconds (utime+stime from /proc/PID/stat of both engines) per GB received
#                   during the TCP 1-stream run
# A measurement that fails (an engine that does not start, a tunnel that does not pass traffic,
# an iperf3 that errors or times out) is reported as n/a; the run goes on.
#
# Output: one table, ratio lines of wgx against each other implementation and, last, one line
#   bench: tcp1_vs_debian=R tcp1_vs_newest=R ... cpu_per_gb_vs_newest=R
# where every ratio is oriented so that R > 1 means wgx is better: throughput and packet rates
# are wgx/other, RTT and CPU per GB are other/wgx.
#
# Needs root (namespaces) and iperf3, ping, wg; everything runs in a private mount namespace with
# its own /var/run/wireguard and /run/netns, so no UAPI socket or namespace name is visible to
# (or collides with) anything else on the host. Every iperf3 and ping has a timeout; processes are
# stopped by PID and the namespaces deleted by name on exit. Never part of tools/check.
set -uo pipefail

say() { printf 'tunnel bench: %s\n' "$*" >&2; }
die() {
	say "$*"
	exit 2
}

if [[ $(id -u) != 0 ]]; then
	echo "tunnel bench: needs root (network namespaces), skipped"
	exit 0
fi
for tool in ip iperf3 ping wg unshare timeout python3 jq ss; do
	command -v "$tool" >/dev/null || {
		echo "tunnel bench: $tool not installed, skipped"
		exit 0
	}
done

# A private mount namespace first: the tmpfs on /var/run/wireguard and /run/netns below exist
# only for this process and its children. unshare execs, so $$ stays this script's PID: the
# marker holds that PID, so a marker inherited from elsewhere never skips the unshare.
if [[ ${WGX_BENCH_TUNNEL_PRIVATE_MOUNTS:-} != "$$" ]]; then
	export WGX_BENCH_TUNNEL_PRIVATE_MOUNTS=$$
	exec unshare --mount --propagation private "$0" "$@"
fi

rounds=3 seconds=10 outer=4 anchor=1
against_names=() against_paths=()
while (($#)); do
	case $1 in
	--rounds | --seconds | --against | --outer)
		(($# >= 2)) || die "$1 needs a value"
		;;&
	--rounds)
		if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < 1 || $2 > 20)); then
			die "--rounds: expected 1..20, got '$2'"
		fi
		rounds=$2
		shift 2
		;;
	--seconds)
		if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < 3 || $2 > 120)); then
			die "--seconds: expected 3..120, got '$2'"
		fi
		seconds=$2
		shift 2
		;;
	--against)
		[[ $2 =~ ^([a-z0-9_]+)=(.+)$ ]] || die "--against: expected NAME=PATH (NAME of a-z0-9_), got '$2'"
		name=${BASH_REMATCH[1]} path=${BASH_REMATCH[2]}
		[[ $name != wgx && $name != veth && $name != debian ]] || die "--against: '$name' is reserved"
		for n in "${against_names[@]}"; do [[ $n != "$name" ]] || die "--against: '$name' given twice"; done
		[[ -f $path && -x $path ]] || die "--against $name: '$path' is not an executable file"
		against_names+=("$name")
		against_paths+=("$(realpath "$path")")
		shift 2
		;;
	--outer)
		[[ $2 == 4 || $2 == 6 ]] || die "--outer: expected 4 or 6, got '$2'"
		outer=$2
		shift 2
		;;
	--no-anchor)
		anchor=0
		shift
		;;
	-h | --help)
		sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"
		exit 0
		;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done

src=${WGX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin_dir=${WGX_BIN_DIR:-$src/build/src}

# The implementations, in the order each round runs them: the ceiling, the references, wgx.
names=(veth) paths=("") labels=("bare veth, no tunnel")
go_version() { "$1" --version 2>/dev/null | awk 'NR == 1 { print $NF }'; }
if debian=$(command -v wireguard-go); then
	names+=(debian) paths+=("$debian") labels+=("wireguard-go $(go_version "$debian") ($debian)")
else
	names+=(debian) paths+=("") labels+=("wireguard-go not installed")
fi
if ((anchor)) && [[ " ${against_names[*]} " != *" newest "* ]]; then
	# ../shared/anchors next to the checkout; from a git worktree, next to the main checkout.
	dirs=("$src/../shared/anchors")
	if common=$(git -C "$src" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
		dirs+=("$common/../../shared/anchors")
	fi
	for dir in "${dirs[@]}"; do
		newest=$(find "$dir" -maxdepth 1 -name 'wireguard-go-*' -type f -perm -u+x 2>/dev/null |
			grep -v '\.LICENSE$' | sort -V | tail -n 1)
		if [[ -n $newest ]]; then
			newest=$(realpath "$newest")
			names+=(newest) paths+=("$newest") labels+=("wireguard-go $(go_version "$newest") ($newest)")
			break
		fi
	done
fi
for i in "${!against_names[@]}"; do
	names+=("${against_names[i]}") paths+=("${against_paths[i]}")
	labels+=("${against_paths[i]}")
done
if [[ -x $bin_dir/wgx-engine ]]; then
	commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)
	names+=(wgx) paths+=("$bin_dir/wgx-engine") labels+=("wgx-engine at $commit ($bin_dir/wgx-engine)")
else
	names+=(wgx) paths+=("") labels+=("wgx-engine not built ($bin_dir/wgx-engine)")
fi

ns_a=wgx-test-$$-1 ns_b=wgx-test-$$-2
work=$(mktemp -d /tmp/wgx-bench-tunnel.XXXXXX)
results=$work/results
mkdir -p "$results"

# Stops one background job of this script by PID: TERM, up to 3 s, then KILL. Only a job that
# bash still lists as running is signalled, so a PID reused after its exit is never hit.
running() { [[ $'\n'$(jobs -pr)$'\n' == *$'\n'"$1"$'\n'* ]]; }
stop_pid() {
	local pid=$1 i
	if running "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 60; i++)); do
			running "$pid" || break
			sleep 0.05
		done
		running "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

cleanup() {
	local pid
	trap - EXIT INT TERM
	for pid in $(jobs -pr); do stop_pid "$pid"; done
	# Anything still inside our own namespaces was started by this run: end it by PID.
	for ns in "$ns_a" "$ns_b"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'say interrupted; exit 130' INT TERM

mkdir -p /var/run/wireguard /run/netns
mount -t tmpfs -o mode=0755 wgx-bench-wireguard /var/run/wireguard || die "cannot mount a tmpfs on /var/run/wireguard"
mount -t tmpfs -o mode=0755 wgx-bench-netns /run/netns || die "cannot mount a tmpfs on /run/netns"
umask 077

{ ip netns add "$ns_a" && ip netns add "$ns_b"; } || die "cannot create network namespaces"
ip link add veth-a netns "$ns_a" type veth peer name veth-b netns "$ns_b" || die "cannot create the veth"
for side in a b; do
	ns=ns_$side
	n=$([[ $side == a ]] && echo 1 || echo 2)
	{ ip -n "${!ns}" link set lo up &&
		ip -n "${!ns}" addr add "192.0.2.$n/24" dev "veth-$side" &&
		ip -n "${!ns}" addr add "fd00::$n/64" dev "veth-$side" nodad &&
		ip -n "${!ns}" link set "veth-$side" up; } || die "cannot configure veth-$side"
done
if ((outer == 4)); then
	outer_b=192.0.2.2 endpoint_a=192.0.2.1 endpoint_b=192.0.2.2
else
	outer_b=fd00::2 endpoint_a='[fd00::1]' endpoint_b='[fd00::2]'
fi
inner_b=198.51.100.2
port_a=51820 port_b=51821 iperf_port=5201
clk_tck=$(getconf CLK_TCK)

record() { # implementation metric value: one sample (a finite non-negative number) or nothing
	[[ $3 =~ ^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]] || return 0
	echo "$3" >>"$results/$1.$2"
	round_figures+=" $2=$(printf '%.4g' "$3")"
}

# Both ends of one implementation: engine in each namespace, keys, endpoints, addresses. Sets
# engine_pids; returns non-zero (with the engine's log on stderr) when the tunnel does not work.
start_pair() {
	local idx=$1 path=$2 side ns ifname i
	engine_pids=()
	for side in a b; do
		ns=ns_$side ifname=wgxb${idx}$side
		ip netns exec "${!ns}" env WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 \
			"$path" -f "$ifname" >"$work/engine-$side.log" 2>&1 &
		engine_pids+=($!)
	done
	for side in a b; do
		ifname=wgxb${idx}$side
		for ((i = 0; i < 200; i++)); do
			[[ -S /var/run/wireguard/$ifname.sock ]] || ! pair_alive && break
			sleep 0.05
		done
		[[ -S /var/run/wireguard/$ifname.sock ]] || {
			say "${names[idx]}: no UAPI socket for $ifname:"
			engine_report
			return 1
		}
		wg genkey >"$work/$side.key" && wg pubkey <"$work/$side.key" >"$work/$side.pub" || return 1
	done
	{ ip netns exec "$ns_a" wg set "wgxb${idx}a" listen-port $port_a private-key "$work/a.key" \
		peer "$(cat "$work/b.pub")" allowed-ips 198.51.100.2/32 endpoint "$endpoint_b:$port_b" &&
		ip netns exec "$ns_b" wg set "wgxb${idx}b" listen-port $port_b private-key "$work/b.key" \
			peer "$(cat "$work/a.pub")" allowed-ips 198.51.100.1/32 endpoint "$endpoint_a:$port_a" &&
		ip -n "$ns_a" addr add 198.51.100.1/24 dev "wgxb${idx}a" &&
		ip -n "$ns_b" addr add 198.51.100.2/24 dev "wgxb${idx}b" &&
		ip -n "$ns_a" link set "wgxb${idx}a" mtu 1420 up &&
		ip -n "$ns_b" link set "wgxb${idx}b" mtu 1420 up; } || {
		say "${names[idx]}: configuring the pair failed"
		return 1
	}
	# The first ping also completes the handshake.
	for ((i = 0; i < 10; i++)); do
		timeout -k 1 3 ip netns exec "$ns_a" ping -n -q -c 1 -W 1 $inner_b >/dev/null 2>&1 && return 0
	done
	say "${names[idx]}: no ping through the tunnel after 10 tries:"
	engine_report
	return 1
}

# Whether the pair's engines run and what they said last (wireguard-go's banner left out).
engine_report() {
	local side i=0 pid status
	for side in a b; do
		pid=${engine_pids[i]:-}
		i=$((i + 1))
		[[ -n $pid ]] || continue
		if running "$pid"; then
			status=running
		else
			wait "$pid"
			status="exited with status $?"
		fi
		say "  engine $side (PID $pid) $status"
		grep -v -e '[│┌└]' -e '^[[:space:]]*$' "$work/engine-$side.log" | tail -n 3 | sed 's/^/    /' >&2
	done
}

stop_pair() {
	local idx=$1 pid side
	for pid in "${engine_pids[@]}"; do stop_pid "$pid"; done
	for side in a b; do
		local ns=ns_$side
		ip -n "${!ns}" link del "wgxb${idx}$side" 2>/dev/null
		rm -f "/var/run/wireguard/wgxb${idx}$side.sock"
	done
	engine_pids=()
}

# The engines of the current pair are all still running (always true for the bare veth).
pair_alive() {
	local pid
	for pid in "${engine_pids[@]}"; do
		running "$pid" || return 1
	done
}

# utime+stime in clock ticks of the engines and whatever they started (an engine given through a
# wrapper that does not exec is the wrapper's child), or nothing if an engine is gone.
engine_ticks() {
	local pid stat total=0 fields
	pair_alive || return 1
	for pid in $(ps -e -o pid=,ppid= | awk -v roots="${engine_pids[*]}" '
		BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) root[r[i]] = 1 }
		{ parent[$1] = $2 }
		END {
			for (p in parent) {
				for (q = p; !(q in root) && (q in parent); q = parent[q]) {}
				if (q in root) print p
			}
		}'); do
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		read -ra fields <<<"${stat##*) }"
		total=$((total + fields[11] + fields[12]))
	done
	echo "$total"
}

# One iperf3 test from A to target with a one-shot server in B; the client's JSON goes to $1.
run_iperf() {
	local out=$1 target=$2 server client i rc
	shift 2
	timeout -k 2 $((seconds + 40)) ip netns exec "$ns_b" iperf3 -s -1 -p $iperf_port \
		>/dev/null 2>&1 &
	server=$!
	for ((i = 0; i < 200; i++)); do
		[[ -n $(ip netns exec "$ns_b" ss -Hltn "sport = :$iperf_port") ]] && break
		sleep 0.05
	done
	timeout -k 2 $((seconds + 30)) ip netns exec "$ns_a" iperf3 -c "$target" -p $iperf_port \
		-t "$seconds" -J --connect-timeout 5000 "$@" >"$out" 2>"$out.err" &
	client=$!
	# An engine that exits ends the test at once rather than at the timeout.
	while running "$client" && pair_alive; do sleep 0.5; done
	if running "$client"; then
		stop_pid "$client"
		iperf_failure="an engine exited during the test"
		stop_pid "$server"
		return 1
	fi
	wait "$client"
	rc=$?
	# The one-shot server ends by itself after the test; give it a moment, then stop it.
	for ((i = 0; i < 40; i++)); do
		running "$server" || break
		sleep 0.05
	done
	stop_pid "$server"
	((rc == 0)) && jq -e '.error == null and .end.sum_received != null' "$out" >/dev/null 2>&1 &&
		return 0
	iperf_failure=$(jq -r '.error // empty' "$out" 2>/dev/null)
	[[ -n $iperf_failure ]] || iperf_failure=$(tr '\n' ' ' <"$out.err" | head -c 200)
	if ((rc == 124 || rc == 137)); then
		iperf_failure="timed out after $((seconds + 30)) s${iperf_failure:+; $iperf_failure}"
	elif ((rc != 0)); then
		iperf_failure="exit $rc${iperf_failure:+: $iperf_failure}"
	fi
	return 1
}

# Median RTT in ms of the replies in a ping transcript.
median_rtt() {
	grep -o 'time=[0-9.]*' "$1" | cut -d= -f2 | sort -g |
		awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# The tests, one function each: an implementation and the address to measure towards. A failed
# test records nothing.
test_rtt() { # idle, first, before any load has filled a queue
	timeout -k 2 $((seconds + 10)) ip netns exec "$ns_a" \
		ping -n -i 0.2 -c $((seconds * 5)) -w $((seconds + 5)) "$2" >"$work/ping" 2>&1
	record "$1" rtt "$(median_rtt "$work/ping")"
}

test_tcp1() { # with pings under that load, and the engines' CPU time
	local name=$1 target=$2 pinger before after bytes
	before=$(engine_ticks)
	timeout -k 2 $((seconds + 10)) ip netns exec "$ns_a" \
		sh -c "sleep 1; exec ping -n -i 0.2 -c $(((seconds - 2) * 5)) -w $((seconds + 5)) $target" \
		>"$work/ping-load" 2>&1 &
	pinger=$!
	if run_iperf "$work/tcp1.json" "$target"; then
		after=$(engine_ticks)
		record "$name" tcp1 "$(jq '.end.sum_received.bits_per_second / 1e6' "$work/tcp1.json")"
		bytes=$(jq '.end.sum_received.bytes' "$work/tcp1.json")
		if [[ $name != veth && -n $before && -n $after ]] && ((bytes > 0)); then
			record "$name" cpu_per_gb "$(echo "($after - $before) / $clk_tck / ($bytes / 10^9)" | bc -l)"
		fi
	else
		say "$name: TCP 1 stream failed ($iperf_failure)"
	fi
	stop_pid "$pinger"
	record "$name" rtt_load "$(median_rtt "$work/ping-load")"
}

test_tcp4() {
	sleep 1 # every load test starts from drained queues
	if run_iperf "$work/tcp4.json" "$2" -P 4; then
		record "$1" tcp4 "$(jq '.end.sum_received.bits_per_second / 1e6' "$work/tcp4.json")"
	else
		say "$1: TCP 4 streams failed ($iperf_failure)"
	fi
}

test_udp() { # implementation target payload-size
	sleep 1
	if run_iperf "$work/udp.json" "$2" -u -b 0 -l "$3"; then
		record "$1" "udp$3" "$(jq '.end.sum_received | (.packets - .lost_packets) / .seconds' "$work/udp.json")"
		record "$1" "loss$3" "$(jq '.end.sum_received.lost_percent' "$work/udp.json")"
	else
		say "$1: UDP $3 B failed ($iperf_failure)"
	fi
}
test_udp64() { test_udp "$1" "$2" 64; }
test_udp1392() { test_udp "$1" "$2" 1392; }

# Every test of one implementation in one round; an engine that exits ends its round early.
measure() {
	local idx=$1 target test skipped
	local name=${names[idx]}
	round_figures=""
	engine_pids=()
	if [[ $name == veth ]]; then
		target=$outer_b
	else
		target=$inner_b
		[[ -n ${paths[idx]} ]] || return 0
		if ! start_pair "$idx" "${paths[idx]}"; then
			stop_pair "$idx"
			return 0
		fi
	fi
	skipped=""
	for test in rtt tcp1 tcp4 udp64 udp1392; do
		if ! pair_alive; then
			skipped=$test
			break
		fi
		"test_$test" "$name" "$target"
	done
	if ! pair_alive; then
		say "$name: an engine exited${skipped:+ before the $skipped test, the rest of this round is skipped}:"
		engine_report
	fi
	[[ $name == veth ]] || stop_pair "$idx"
	say "  ${round_figures:- no figures}"
}

say "$rounds round(s) of 5 tests of $seconds s, outer IPv$outer: ${names[*]} (about $(((rounds * ${#names[@]} * (5 * seconds + 11) + 59) / 60)) min)"
load_start=$(cut -d' ' -f1 /proc/loadavg)
for ((round = 1; round <= rounds; round++)); do
	for idx in "${!names[@]}"; do
		say "round $round/$rounds: ${names[idx]}"
		measure "$idx"
	done
done

for i in "${!names[@]}"; do printf '%s\t%s\n' "${names[i]}" "${labels[i]}"; done >"$work/implementations"
python3 - "$work/implementations" "$results" "$rounds" "$seconds" "$load_start" <<'PY'
import os, statistics, sys

impl_file, results, rounds, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
load_start, load_end = sys.argv[5], open("/proc/loadavg").read().split()[0]
impls = [line.rstrip("\n").split("\t", 1) for line in open(impl_file) if line.strip()]
# (key, heading, format, higher_is_better)
metrics = [
    ("tcp1", "TCP1 Mbit/s", "{:,.0f}", True),
    ("tcp4", "TCP4 Mbit/s", "{:,.0f}", True),
    ("udp64", "UDP64 pps", "{:,.0f}", True),
    ("loss64", "loss64 %", "{:.1f}", False),
    ("udp1392", "UDP1392 pps", "{:,.0f}", True),
    ("loss1392", "loss1392 %", "{:.1f}", False),
    ("rtt", "RTT ms", "{:.3f}", False),
    ("rtt_load", "RTT load ms", "{:.3f}", False),
    ("cpu_per_gb", "CPU s/GB", "{:.2f}", False),
]

def samples(name, key):
    path = os.path.join(results, f"{name}.{key}")
    return [float(v) for v in open(path).read().split()] if os.path.exists(path) else []

median = {}
short = []
for name, _ in impls:
    for key, *_ in metrics:
        got = samples(name, key)
        if got:
            median[name, key] = statistics.median(got)
            if len(got) < rounds:
                short.append(f"{name} {key} ({len(got)}/{rounds})")

rows = [["implementation"] + [m[1] for m in metrics]]
for name, _ in impls:
    rows.append([name] + [fmt.format(median[name, key]) if (name, key) in median else "n/a"
                          for key, _, fmt, _ in metrics])
widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
print(f"medians of {rounds} interleaved round(s) of {seconds} s per test "
      f"(load average {load_start} at the start, {load_end} at the end, {os.cpu_count()} CPUs)")
for row in rows:
    print("  ".join([row[0].ljust(widths[0])] +
                    [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]).rstrip())
for name, label in impls:
    print(f"  {name}: {label}")
if short:
    print("fewer samples than rounds (failed runs): " + ", ".join(short))

# Ratios oriented so that > 1 means wgx is better.
def ratio(key, other, higher_is_better):
    a, b = median.get(("wgx", key)), median.get((other, key))
    if a is None or b is None or (b if higher_is_better else a) == 0:
        return None
    return a / b if higher_is_better else b / a

ratio_metrics = [("tcp1", "tcp1", True), ("tcp4", "tcp4", True), ("udp64", "udp64", True),
                 ("udp1392", "udp1392", True), ("rtt", "rtt", False),
                 ("rtt_load", "rtt_load", False), ("cpu_per_gb", "cpu_per_gb", False)]
def show(r):
    return "n/a" if r is None else f"{r:.2f}"

print("wgx against each implementation (> 1: wgx is better; wgx/other for rates, other/wgx for "
      "RTT and CPU):")
others = [name for name, _ in impls if name not in ("wgx", "veth")]
for other in others + ["veth"]:
    keys = ratio_metrics if other != "veth" else [m for m in ratio_metrics if m[0] != "cpu_per_gb"]
    print(f"  vs {other}: " + " ".join(f"{label}={show(ratio(key, other, hib))}"
                                      for key, label, hib in keys))
print("bench: " + " ".join(f"{label}_vs_{other}={show(ratio(key, other, hib))}"
                           for key, label, hib in ratio_metrics for other in others))
PY
