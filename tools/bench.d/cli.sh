#!/usr/bin/env bash
# wgx vs wg on a wireguard-go device with 10,000 peers: setconf, show, show dump, showconf,
# syncconf (no change). Each step runs with both tools on the same device; reported as
# wgx/wg time ratios (< 1 means wgx is faster). Needs root (netns, /var/run/wireguard).
set -euo pipefail
WGX=${WGX:?set WGX to the wgx binary}
[[ $(id -u) == 0 ]] || { echo "cli bench: needs root, skipped"; exit 0; }
command -v wireguard-go >/dev/null || { echo "cli bench: no wireguard-go, skipped"; exit 0; }
PEERS=${WGX_BENCH_PEERS:-10000}
ns=wgx-cli-$$-9 dev=wgxbench$(($$ % 10000)) dir=$(mktemp -d)
cleanup() {
	[[ -n ${gopid:-} ]] && kill "$gopid" 2>/dev/null && wait "$gopid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
ip netns add "$ns"
WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 ip netns exec "$ns" wireguard-go -f "$dev" \
	>/dev/null 2>&1 &
gopid=$!
for _ in $(seq 100); do [[ -S /var/run/wireguard/$dev.sock ]] && break; sleep 0.05; done

# peers.conf: PEERS peers. changed.conf: the same with every 100th peer dropped, every 10th
# with another keepalive and every 50th with other AllowedIPs, plus PEERS/100 new peers.
python3 - "$PEERS" "$dir" <<'PY'
import base64, sys
n, out = int(sys.argv[1]), sys.argv[2]
def write(path, changed):
    with open(path, "w") as f:
        f.write("[Interface]\nListenPort = 0\n"
                "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n")
        for i in range(n + (n // 100 if changed else 0)):
            if changed and i < n and i % 100 == 0:
                continue
            key = base64.b64encode(i.to_bytes(4, "big") + bytes(28)).decode()
            net = i + 1 if changed and i % 50 == 25 else i
            ka = 30 if changed and i % 10 == 5 else 25
            f.write(f"\n[Peer]\nPublicKey = {key}\nAllowedIPs = 10.{net >> 8 & 255}."
                    f"{net & 255}.0/24, fd00:{net:x}::/64\nEndpoint = 192.0.2.{i % 250 + 1}:"
                    f"{1024 + i % 60000}\nPersistentKeepalive = {ka}\n")
write(f"{out}/peers.conf", False)
write(f"{out}/changed.conf", True)
PY

# Best of 3 wall-clock seconds of "$@".
best() {
	local b=999999 s e t
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		(($(echo "$t < $b" | bc))) && b=$t
	done
	echo "$b"
}

printf '%-22s %10s %10s %8s\n' "step ($PEERS peers)" "wg s" "wgx s" "wgx/wg"
for step in "setconf $dev $dir/peers.conf" "show $dev" "show $dev dump" "showconf $dev" \
	"syncconf $dev $dir/peers.conf"; do
	# shellcheck disable=SC2086
	a=$(best wg $step)
	# shellcheck disable=SC2086
	b=$(best "$WGX" $step)
	label=${step%% *}${step#* "$dev"}
	printf '%-22s %10.3f %10.3f %8.2f\n' "${label//"$dir"\//}" "$a" "$b" \
		"$(echo "$b / $a" | bc -l)"
done
# syncconf that changes ~12% of the peers: each timed run starts from peers.conf (untimed).
best_changed() {
	local b=999999 s e t
	for _ in 1 2 3; do
		wg setconf "$dev" "$dir/peers.conf"
		s=$(date +%s.%N)
		"$1" syncconf "$dev" "$dir/changed.conf" >/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		(($(echo "$t < $b" | bc))) && b=$t
	done
	echo "$b"
}
a=$(best_changed wg)
# Peers only: ListenPort = 0 draws a new random port on every setconf.
wg show "$dev" dump | tail -n +2 | sort >"$dir/wg.state"
b=$(best_changed "$WGX")
printf '%-22s %10.3f %10.3f %8.2f\n' "syncconf changed.conf" "$a" "$b" "$(echo "$b / $a" | bc -l)"
wg show "$dev" dump | tail -n +2 | sort | cmp - "$dir/wg.state" &&
	echo "syncconf changed: identical peers"
# Both tools must agree on what the device holds after all this.
cmp <(wg showconf "$dev" | sort) <("$WGX" showconf "$dev" | sort) && echo "showconf: identical content"
