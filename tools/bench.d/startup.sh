#!/usr/bin/env bash
# Start-up cost (process time) of whole processes, wgx against the reference tools: `--version`
# and `genkey` (no device), `show` of a wireguard-go device with 10 peers (one UAPI round trip),
# and `wgx-quick strip` against `wg-quick strip` (a bash script). Median of N runs each, in
# milliseconds, reported as wgx/reference ratios (< 1 means wgx starts faster), plus the shared
# libraries each binary loads. The reference and wgx run alternately, so both parts of a ratio
# come from the same minutes. Needs root for the show step (netns, /var/run/wireguard); the
# others run anywhere.
set -euo pipefail
WGX=${WGX:?set WGX to the wgx binary}
bindir=$(dirname "$WGX")
RUNS=${WGX_BENCH_STARTUP_RUNS:-50}
dir=$(mktemp -d)
ns=wgx-startup-$$-1 dev=wgxstart$(($$ % 10000))
cleanup() {
	[[ -n ${gopid:-} ]] && kill "$gopid" 2>/dev/null && wait "$gopid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

# Median process time (user + system CPU of the child, milliseconds) of RUNS runs of the
# reference command and of wgx's, run alternately so that both see the same load on a shared
# machine, timed in one python process so that the timer's own start-up is not counted. CPU
# time, not wall time: on a shared machine the wall clock mostly measures waiting for a core.
# Prints "REF_MS WGX_MS". Usage: medians_ms REF_CMD... -- WGX_CMD...
medians_ms() {
	python3 - "$RUNS" "$@" <<'PY'
import resource, statistics, subprocess, sys
runs, args = int(sys.argv[1]), sys.argv[2:]
split = args.index("--")
cmds = [args[:split], args[split + 1:]]
def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime
times = [[], []]
for _ in range(runs):
    for i, cmd in enumerate(cmds):
        before = children_cpu()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times[i].append((children_cpu() - before) * 1000)
print(" ".join(f"{statistics.median(t):.3f}" for t in times))
PY
}

row() { # row LABEL REF_MS WGX_MS
	printf '%-26s %10.2f %10.2f %8.2f\n' "$1" "$2" "$3" "$(echo "$3 / $2" | bc -l)"
}

libs() { ldd "$1" | grep -c '=>' || true; }
echo "shared libraries loaded: wgx $(libs "$WGX"), wg $(libs "$(command -v wg)")"
printf '%-26s %10s %10s %8s\n' "command ($RUNS runs, median)" "ref ms" "wgx ms" "wgx/ref"

read -r version_ref version_wgx < <(medians_ms wg --version -- "$WGX" --version)
row "--version" "$version_ref" "$version_wgx"
read -r genkey_ref genkey_wgx < <(medians_ms wg genkey -- "$WGX" genkey)
row "genkey" "$genkey_ref" "$genkey_wgx"

cat >"$dir/wgs0.conf" <<'CONF'
[Interface]
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
Address = 192.0.2.1/24
DNS = 192.0.2.53
PostUp = true

[Peer]
PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
AllowedIPs = 192.0.2.2/32
Endpoint = 198.51.100.2:51820
CONF
chmod 600 "$dir/wgs0.conf"
read -r strip_ref strip_wgx < <(medians_ms wg-quick strip "$dir/wgs0.conf" -- \
	"$bindir/wgx-quick" strip "$dir/wgs0.conf")
row "wgx-quick strip" "$strip_ref" "$strip_wgx"

show_line=""
if [[ $(id -u) == 0 ]] && command -v wireguard-go >/dev/null; then
	ip netns add "$ns"
	WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 ip netns exec "$ns" wireguard-go -f "$dev" \
		>/dev/null 2>&1 &
	gopid=$!
	for _ in $(seq 100); do [[ -S /var/run/wireguard/$dev.sock ]] && break; sleep 0.05; done
	{
		printf '[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n'
		for i in $(seq 1 10); do
			key=$(python3 -c "import base64;print(base64.b64encode(bytes([$i])+bytes(31)).decode())")
			printf '\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.0.%d.0/24\nEndpoint = 192.0.2.%d:51820\n' \
				"$key" "$i" "$i"
		done
	} >"$dir/peers.conf"
	wg setconf "$dev" "$dir/peers.conf"
	read -r show_ref show_wgx < <(medians_ms wg show "$dev" -- "$WGX" show "$dev")
	row "show (10 peers)" "$show_ref" "$show_wgx"
	show_line=" show_vs_wg=$(printf %.2f "$(echo "$show_wgx / $show_ref" | bc -l)")"
else
	echo "show (10 peers): skipped (needs root and wireguard-go)"
fi
printf 'bench: startup version_vs_wg=%.2f genkey_vs_wg=%.2f strip_vs_wg_quick=%.2f%s wgx_libs=%s\n' \
	"$(echo "$version_wgx / $version_ref" | bc -l)" "$(echo "$genkey_wgx / $genkey_ref" | bc -l)" "$(echo "$strip_wgx / $strip_ref" | bc -l)" \
	"$show_line" "$(libs "$WGX")"
