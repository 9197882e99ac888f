#!/bin/bash
# Differential test of the configuration reader: random wg(8) configuration files (valid and
# malformed: keys, ports, fwmarks, endpoints, AllowedIPs, keepalives, sections, case, spacing,
# comments, CRLF) applied with `wg setconf` and with `wgx setconf` to a wireguard-go device.
# Both must accept or reject each file alike, with the same message (wgx adds FILE:LINE:), and
# accepted files must leave the same device state (`wg show IF dump`, peers sorted); then
# `syncconf` from the previous accepted file to each accepted file must end in the same state.
# Runs in private mount and network namespaces, so nothing outside can see or remove its socket.
set -u
if [[ $EUID -ne 0 ]]; then echo "skip: needs root (namespaces, wireguard-go)"; exit 77; fi
for tool in wg wireguard-go python3 unshare; do
    command -v $tool >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
WGX=${WGX:?}
COUNT=${CODEC_DIFF_COUNT:-200}
SEED=${CODEC_DIFF_SEED:-$$}

if [[ ${1:-} != inner ]]; then
    exec unshare --mount --net "$0" inner
fi
mount --make-rprivate /
mkdir -p /var/run/wireguard
mount -t tmpfs tmpfs /var/run/wireguard
dir=$(mktemp -d /tmp/wgx-codec-diff.XXXXXX)
ifname=wgxcd$(( $$ % 10000 ))
WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 wireguard-go -f "$ifname" >"$dir/go.log" 2>&1 &
gopid=$!
trap 'kill $gopid 2>/dev/null; wait $gopid 2>/dev/null; [[ -n ${CODEC_DIFF_KEEP:-} ]] || rm -rf "$dir"' EXIT
for _ in $(seq 50); do [[ -S /var/run/wireguard/$ifname.sock ]] && break; sleep 0.1; done
[[ -S /var/run/wireguard/$ifname.sock ]] || { echo "FAIL: wireguard-go did not start"; cat "$dir/go.log"; exit 1; }

python3 - "$dir" "$COUNT" "$SEED" <<'EOF'
import random, sys
out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(seed)
PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
PUBS = ["xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=", "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=",
        "gN65BkIKy1eCE9pP1wdc8ROUtkHLF2PfAqYdyYBz6EA="]
BAD = ["abc", PRIV + "=", PRIV[:-1], "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmn="]
V = {
    "ListenPort": ["51820", "65535", "70000", "abc", "domain", "-1", "0x10", "1 2", "+5", "7 # c"],
    "FwMark": ["0x10", "off", "OFF", "0", "4294967295", "4294967296", "0x", "0X10", "abc", "00", "-1", "0x-1"],
    "PrivateKey": [PRIV] * 4 + BAD,
    "PublicKey": PUBS * 2 + BAD,
    "PresharedKey": [PRIV] * 3 + BAD,
    "PersistentKeepalive": ["25", "off", "Off", "0", "65535", "65536", "+5", "-1", "abc", "025"],
    # Only endpoints that resolve without the network, or fail before any lookup.
    "Endpoint": ["192.0.2.1:51820", "[fd00::1]:5", "fd00::1:5", "1.2.3.4", "1.2.3.4:", "[fd00::1",
                 "[fd00::1]", "[fd00::1]:", "1.2.3.4:0", "[1.2.3.4]:5", "1.2.3.4:domain"],
}
AIPS = ["10.0.0.1/24", "10.0.0.0/8", "fd00::/8", "fd00::1", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/+3", "",
        "1.2.3", "::ffff:1.2.3.4/96", "10.0.0.01", "1.2.3.4/032", "0.0.0.0/0", "fd00::1/129", "-1.2.3.4"]
IK = ["ListenPort", "FwMark", "PrivateKey"]
PK = ["PublicKey", "PresharedKey", "PersistentKeepalive", "Endpoint", "AllowedIPs"]

GOOD = {"ListenPort": ["51820", "65535", "domain"], "FwMark": ["0x10", "off", "4294967295"],
        "PrivateKey": [PRIV], "PublicKey": PUBS, "PresharedKey": [PRIV],
        "PersistentKeepalive": ["25", "off", "0"], "Endpoint": ["192.0.2.1:51820", "[fd00::1]:5"],
        "AllowedIPs": ["10.0.0.1/24, fd00::/8", "0.0.0.0/0", "192.0.2.7"]}

def value(k):
    if k in GOOD and random.random() < 0.75:
        return random.choice(GOOD[k])
    if k == "AllowedIPs":
        return random.choice([", ", ","]).join(random.choice(AIPS) for _ in range(random.randint(1, 3)))
    return random.choice(V.get(k, ["10.0.0.1/24"]))

def line(k, v):
    if random.random() < 0.1:
        k = k[:3] + " " + k[3:]
    k = random.choice([k, k, k, k.lower(), k.upper()])
    l = k + random.choice([" = ", "=", "  =\t"]) + v
    return l + (" # c=x" if random.random() < 0.1 else "")

def config():
    out = []
    if random.random() < 0.05:
        out.append(line("ListenPort", "1"))
    out.append(random.choice(["[Interface]"] * 6 + ["[interface]", "[ Interface ]", "[Interfaces]"]))
    for _ in range(random.randint(0, 3)):
        k = random.choice(IK + ["Address"]) if random.random() < 0.1 else random.choice(IK)
        out.append(line(k, value(k)))
    for _ in range(random.randint(0, 3)):
        out.append(random.choice(["[Peer]"] * 8 + ["[peer]", "[Peers]"]))
        ks = (["PublicKey"] if random.random() < 0.9 else []) + random.sample(PK, random.randint(0, 3))
        for k in ks:
            out.append(line(k, value(k)))
        if random.random() < 0.1:
            out.append("# comment")
    eol = random.choice(["\n"] * 8 + ["\r\n"])
    return eol.join(out) + eol

for i in range(n):
    with open(f"{out}/c{i}.conf", "w") as f:
        f.write(config())
EOF

# The first line that is not a warning or wg's trailer, with any "FILE:LINE: " taken off, and
# without the hint wgx adds when a wg-quick key reaches wg's grammar.
message() {
    grep -v -e '^Warning: ' -e '^Configuration parsing error$' -e '^Invalid configuration$' "$1" |
        head -n 1 | sed -E -e 's|^/[^:]*:[0-9]+: ||' -e 's/ \([A-Za-z]+ is a wg-quick key: .*\)$//'
}
# setconf sends listen_port=0 when the file has no ListenPort, and wireguard-go then binds a
# random port: compare the port only when the file sets one (never 0 in these files).
state() {
    if grep -qiE '^[^#]*l[[:space:]]*i[[:space:]]*s[[:space:]]*t[[:space:]]*e[[:space:]]*n[[:space:]]*p[[:space:]]*o[[:space:]]*r[[:space:]]*t[[:space:]]*=' "$f"; then
        wg show "$ifname" dump | sort
    else
        wg show "$ifname" dump | awk -F '\t' 'BEGIN { OFS = "\t" } NF == 4 { $3 = "*" } { print }' | sort
    fi
}
# The same starting point for both tools: no peers, no key, a fixed port, no fwmark.
reset() { wg setconf "$ifname" /dev/null && wg set "$ifname" listen-port 40000 fwmark 0 private-key /dev/null; }

blocks() { python3 -c 'import sys; b = [x.strip() for x in sys.stdin.read().split("\n[Peer]\n")]; print(repr([b[0]] + sorted(b[1:])))'; }

fails=0
accepted=0
prev=
for ((i = 0; i < COUNT; i++)); do
    f="$dir/c$i.conf"
    if ! kill -0 $gopid 2>/dev/null; then
        echo "FAIL: wireguard-go exited after file $((i - 1)) (killed from outside?)"
        tail -n 3 "$dir/go.log"
        exit 1
    fi
    reset
    wg setconf "$ifname" "$f" 2>"$dir/ref.err"
    ref_rc=$?
    ref_state=$(state)
    reset
    "$WGX" setconf "$ifname" "$f" 2>"$dir/wgx.err"
    wgx_rc=$?
    wgx_state=$(state)
    if ((wgx_rc == 0)); then
        # showconf of the same state: wireguard-go lists peers in random order, so compare
        # the [Interface] block and the set of [Peer] blocks.
        wg showconf "$ifname" | blocks >"$dir/ref.show"
        "$WGX" showconf "$ifname" | blocks >"$dir/wgx.show"
        if ! cmp -s "$dir/ref.show" "$dir/wgx.show"; then
            fails=$((fails + 1))
            echo "FAIL: showconf after c$i.conf differs"
            diff "$dir/ref.show" "$dir/wgx.show" | head -6
        fi
    fi
    ref_msg=$(message "$dir/ref.err")
    wgx_msg=$(message "$dir/wgx.err")
    if ((ref_rc == 0)); then
        accepted=$((accepted + 1))
        # syncconf from the previous accepted file's state to this one: same resulting state.
        if [[ -n $prev ]]; then
            reset; wg setconf "$ifname" "$prev" 2>/dev/null
            wg syncconf "$ifname" "$f" 2>/dev/null
            ref_sync=$(state)
            reset; wg setconf "$ifname" "$prev" 2>/dev/null
            "$WGX" syncconf "$ifname" "$f" 2>"$dir/sync.err"
            wgx_sync_rc=$?
            wgx_sync=$(state)
            if ((wgx_sync_rc != 0)) || [[ $ref_sync != "$wgx_sync" ]]; then
                fails=$((fails + 1))
                echo "FAIL: syncconf $(basename "$prev") -> c$i.conf (rc=$wgx_sync_rc)"
                cat "$dir/sync.err"
                diff <(echo "$ref_sync") <(echo "$wgx_sync") | head -6
            fi
        fi
        prev=$f
    fi
    if ((ref_rc != wgx_rc)) || [[ $ref_msg != "$wgx_msg" ]] || { ((ref_rc == 0)) && [[ $ref_state != "$wgx_state" ]]; }; then
        fails=$((fails + 1))
        if ((fails <= 5)); then
            echo "FAIL: c$i.conf: wg rc=$ref_rc '$ref_msg'; wgx rc=$wgx_rc '$wgx_msg'"
            [[ $ref_state != "$wgx_state" ]] && diff <(echo "$ref_state") <(echo "$wgx_state") | head -5
            cat -A "$f" | head -20
        fi
    fi
done
echo "seed $SEED: $COUNT files, $accepted accepted by wg, $fails differences"
((fails == 0))
