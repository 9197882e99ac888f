# Runs inside `ip netns exec NS unshare -m`: private tmpfs for the UAPI sockets and the
# wgx-quick records, a dummy uplink with a default route, then the ACTIONS, capturing state.
# Usage: quick_inner.bash TOOL IF OUT ACTION...
set -u
tool="$1" ifname="$2" out="$3"
shift 3
mount -t tmpfs -o mode=0755 tmpfs /run/wireguard
# wgx-quick's records and runtime files (the config path `wgx show --names` reads).
mount -t tmpfs -o mode=0755 tmpfs /run/wgx-quick
export PATH="$out/bin:$PATH"
# A private /etc/resolv.conf (never the host's): what wgx-quick's file backend rewrites.
[[ -e $out/resolv.conf ]] || printf '# the test namespace'"'"'s resolv.conf\nnameserver 192.0.2.250\nsearch before.test\noptions edns0\n' > "$out/resolv.conf"
mount --bind "$out/resolv.conf" /etc/resolv.conf || { echo "cannot bind-mount /etc/resolv.conf"; exit 1; }
# A routing table name for `Table = NAME`, visible only in this mount namespace.
{ cat /etc/iproute2/rt_tables 2>/dev/null; printf '200\twgxtest\n'; } > "$out/rt_tables"
mkdir -p /etc/iproute2 2>/dev/null
[[ -e /etc/iproute2/rt_tables ]] && mount --bind "$out/rt_tables" /etc/iproute2/rt_tables
if [[ $tool == wgx-quick ]]; then cmd="$WGX_BIN_DIR/wgx-quick"; else cmd=wg-quick; fi

ip link set lo up
# The same link-local addresses in both runs (stable-privacy derives them from this secret).
sysctl -qw net.ipv6.conf.default.stable_secret=fd00:1111:2222:3333:4444:5555:6666:7777
# No dummy module here: one end of a veth pair is the uplink, the other stays down.
ip link add uplink0 address 02:00:00:00:00:01 type veth peer name uplink1 address 02:00:00:00:00:02
ip link set uplink0 mtu 1600 up
ip address add 198.51.100.1/24 dev uplink0
ip -6 address add fd00:51::1/64 dev uplink0 nodad
ip route add default via 198.51.100.254 dev uplink0
ip route add 203.0.113.0/24 via 198.51.100.254 dev uplink0 mtu 1360
ip -6 route add default via fd00:51::fe dev uplink0

capture() { # capture DIR: everything a tool may change
	local d="$out/$1"
	mkdir -p "$d"
	ip -o link show | sed -E 's/^[0-9]+: //; s/ link\/none.*//' | sort > "$d/links"
	ip address show dev "$ifname" 2>/dev/null | sed -E '1s/^[0-9]+: //' > "$d/addr"
	ip -o link show dev "$ifname" 2>/dev/null | grep -o 'mtu [0-9]*' > "$d/mtu"
	ip route show table all > "$d/route4"
	ip -6 route show table all > "$d/route6"
	ip rule > "$d/rule4"
	ip -6 rule > "$d/rule6"
	nft list ruleset > "$d/nft" 2>&1
	( cd "$out/resolv" && for f in iface/*; do [[ -e $f ]] && { echo "== $f"; cat "$f"; }; done ) > "$d/resolv"
	# wireguard-go lists peers in no fixed order: sort the [Peer] sections.
	wg showconf "$ifname" 2>/dev/null | python3 -c '
import sys
blocks = sys.stdin.read().strip("\n").split("\n\n")
print("\n\n".join(blocks[:1] + sorted(blocks[1:])))' > "$d/showconf"
	sysctl -n net.ipv4.conf.all.src_valid_mark > "$d/src_valid_mark"
	ls /run/wireguard > "$d/sockets"
	ls /run/wgx-quick > "$d/records"
	cat /etc/resolv.conf > "$d/resolv.conf"
	( cd "$out/markers" && for f in *; do [[ -e $f ]] && { echo "== $f"; cat "$f"; }; done ) > "$d/markers"
}

capture before
step=0
for action in "$@"; do
	step=$((step + 1))
	case "$action" in
	kill-engine) # the engine dies and its TUN vanishes with it
		# Only the engine serving this interface: other tests run engines at the same time.
		for p in $(fuser "/run/wireguard/$ifname.sock" 2>/dev/null); do kill -9 "$p"; done
		for i in 1 2 3 4 5 6 7 8 9 10; do ip link show dev "$ifname" >/dev/null 2>&1 || break; sleep 0.1; done
		ip link del dev "$ifname" 2>/dev/null
		echo 0 > "$out/rc-$step-$action"
		;;
	kill-9-engine) # SIGKILL to whatever engine serves the interface; the kernel drops its TUN
		for p in $(fuser "/run/wireguard/$ifname.sock" 2>/dev/null); do kill -9 "$p"; done
		for i in $(seq 50); do ip link show dev "$ifname" >/dev/null 2>&1 || break; sleep 0.1; done
		echo 0 > "$out/rc-$step-$action"
		;;
	save-killed) # save killed with SIGKILL at random points: the file is the old or the new one
		conf="$out/conf/$ifname.conf"
		cp -p "$conf" "$out/save-old"
		"$cmd" save "$conf" > /dev/null 2>&1
		cp -p "$conf" "$out/save-new"
		: > "$out/save-killed"
		for i in $(seq 40); do
			cp -p "$out/save-old" "$conf.restore" && mv "$conf.restore" "$conf"
			"$cmd" save "$conf" > /dev/null 2>&1 &
			pid=$!
			sleep "0.0$((RANDOM % 60))"
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			if cmp -s "$conf" "$out/save-old"; then echo old; elif cmp -s "$conf" "$out/save-new"; then echo new
			else echo "other: $(wc -c < "$conf") bytes"; fi >> "$out/save-killed"
		done
		ls "$out/conf" > "$out/save-killed-dir"
		echo 0 > "$out/rc-$step-$action"
		;;
	up-kill9) # SIGKILL to wgx-quick itself while a PostUp hook runs (DNS is set by then)
		"$cmd" up "$out/conf/$ifname.conf" ${QUICK_UP_OPTIONS:-} > "$out/stdout-$step-$action" 2> "$out/stderr-$step-$action" &
		pid=$!
		for i in $(seq 100); do [[ -s $QUICK_MARKERS/in-post-up ]] && break; sleep 0.05; done
		kill -9 "$pid"
		wait "$pid" 2>/dev/null
		kill "$(cat "$QUICK_MARKERS/in-post-up")" 2>/dev/null # the hook, orphaned
		rm -f "$QUICK_MARKERS/in-post-up"
		echo 0 > "$out/rc-$step-$action"
		;;
	up-sigterm) # SIGTERM while a PostUp hook runs: everything is rolled back
		rc=0
		"$cmd" up "$out/conf/$ifname.conf" > "$out/stdout-$step-$action" 2> "$out/stderr-$step-$action" &
		pid=$!
		for i in $(seq 100); do [[ -e $QUICK_MARKERS/in-post-up ]] && break; sleep 0.05; done
		kill -TERM "$pid"
		wait "$pid" || rc=$?
		echo "$rc" > "$out/rc-$step-$action"
		;;
	mutate) # the live state changes before save
		ip address add 192.0.2.77/32 dev "$ifname"
		wg set "$ifname" peer "$QUICK_PEER3" allowed-ips 198.51.100.77/32 endpoint 198.51.100.9:4000
		ip link set dev "$ifname" mtu 1380
		echo 0 > "$out/rc-$step-$action"
		;;
	wg-quick:*|wgx-quick:*) # TOOL:ACTION runs the other tool for this step
		rc=0
		if [[ ${action%%:*} == wgx-quick ]]; then other="$WGX_BIN_DIR/wgx-quick"; else other=wg-quick; fi
		"$other" "${action#*:}" "$out/conf/$ifname.conf" > "$out/stdout-$step-$action" 2> "$out/stderr-$step-$action" || rc=$?
		echo "$rc" > "$out/rc-$step-$action"
		;;
	*)
		rc=0
		t0=$(date +%s%N)
		opts=()
		[[ $action == up && $tool == wgx-quick ]] && opts=(${QUICK_UP_OPTIONS:-})
		"$cmd" "$action" "$out/conf/$ifname.conf" "${opts[@]}" > "$out/stdout-$step-$action" 2> "$out/stderr-$step-$action" || rc=$?
		echo $(( ($(date +%s%N) - t0) / 1000 )) > "$out/usec-$step-$action"
		echo "$rc" > "$out/rc-$step-$action"
		;;
	esac
	capture "after-$step-$action"
done
# Leave nothing running: a leftover engine would keep the namespace's TUN.
ip link del dev "$ifname" 2>/dev/null
exit 0
