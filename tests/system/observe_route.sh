#!/usr/bin/env bash
# wgx route: the policy rules, the kernel's route (checked against `ip route get` with from and
# mark), the peer cryptokey routing picks and the endpoint's own route; exit 0 when they agree,
# 1 with one sentence when not, 2 on bad input. Against wgx-engine (A) and wireguard-go (B).
source "$(dirname "$0")/observe_lib.bash"
command -v wireguard-go >/dev/null || skip "no wireguard-go"

make_pair
tunnel_pair wgx go
printf '[Peer]\n# Name = beta\nPublicKey = %s\n' "$PB" >"/etc/wireguard/$IFA.conf"
ping_ok "$NSA" 198.51.100.2 || fail "no tunnel"

# route_is NS EXPECTED_RC ARGS...: runs wgx route, keeps its output in $OUT.
route_is() {
    local ns=$1 want=$2; shift 2
    OUT=$(wgx_in "$ns" route "$@" 2>&1); local rc=$?
    [ "$rc" = "$want" ] || fail "wgx route $*: exit $rc, wanted $want: $OUT"
}
has() { grep -qF -- "$1" <<<"$OUT" || fail "wgx route: no \`$1' in: $OUT"; }
# kernel_says NS ARGS...: "dev DEV src SRC" from `ip route get ARGS`.
kernel_says() {
    local ns=$1; shift
    ip -n "$ns" -j route get "$@" | python3 -c '
import json, sys
r = json.load(sys.stdin)[0]
print("dev", r["dev"] + ("" if "prefsrc" not in r else " src " + r["prefsrc"]))'
}

# 1. Agreement, on both engines, with the endpoint's route.
route_is "$NSA" 0 198.51.100.2
has "peer: beta via 198.51.100.2/32 on $IFA"
has "endpoint: 192.0.2.2:51821 via dev vA src 192.0.2.1"
has "$(kernel_says "$NSA" 198.51.100.2)"
has "198.51.100.2 goes into $IFA and peer beta takes it via 198.51.100.2/32"
route_is "$NSB" 0 198.51.100.1
has "peer: $PA via 198.51.100.1/32 on $IFB"
route_is "$NSA" 0 "$IFA" fd00:2::2
has "$(kernel_says "$NSA" fd00:2::2)"
note "agreement: wgx-engine, wireguard-go, IPv6, the <interface> <address> form"

# 2. A peer takes 203.0.113.0/24 but the kernel sends it out of vA.
wg_in "$NSA" set "$IFA" peer "$PB" allowed-ips 198.51.100.2/32,fd00:2::2/128,203.0.113.0/24
ip -n "$NSA" route add 203.0.113.0/24 via 192.0.2.2 dev vA
route_is "$NSA" 1 203.0.113.5
has "203.0.113.5 matches peer beta via 203.0.113.0/24, but the kernel routes it via vA, not $IFA"
has "$(kernel_says "$NSA" 203.0.113.5)"
ip -n "$NSA" route del 203.0.113.0/24 via 192.0.2.2 dev vA
route_is "$NSA" 1 203.0.113.5
has "but the kernel routes it via nowhere (no route), not $IFA"
note "disagreement: routed elsewhere, unreachable"

# 3. Routed into the interface, but no peer has the address.
route_is "$NSA" 1 198.51.100.77
has "198.51.100.77 is routed into $IFA, but no peer of $IFA has it in its allowed IPs"

# 4. Policy rules with --mark and --from, as `ip route get ... mark ... from ...` sees them.
ip -n "$NSA" rule add fwmark 0x1234 table 77 priority 100
ip -n "$NSA" route add 203.0.113.0/24 dev "$IFA" table 77
route_is "$NSA" 0 203.0.113.5 --mark 0x1234
has "100: from all fwmark 0x1234 lookup 77   <- this packet"
has "route: 203.0.113.5 mark 0x1234: table 77, 203.0.113.0/24 dev $IFA"
has "$(kernel_says "$NSA" 203.0.113.5 mark 0x1234)"
route_is "$NSA" 0 203.0.113.5 --mark 4660 --from 192.0.2.1 --json
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["agree"] is True and d["mark"] == 4660 and d["from"] == "192.0.2.1", d
assert d["route"]["table"] == 77 and d["route"]["dev"] == sys.argv[2], d
assert d["selected_by_rule"] == 100 and d["wireguard"]["name"] == "beta", d
assert d["wireguard"]["endpoint"] == "192.0.2.2:51821" and d["wireguard"]["endpoint_dev"] == "vA", d
' "$OUT" "$IFA" || fail "--json: $OUT"
[ "$(kernel_says "$NSA" 203.0.113.5 from 192.0.2.1 mark 0x1234)" = "dev $IFA" ] ||
    fail "ip route get from/mark: $(kernel_says "$NSA" 203.0.113.5 from 192.0.2.1 mark 0x1234)"
# The endpoint's route is looked up with the interface's fwmark: with 0x1234, table 77 applies.
ip -n "$NSA" route add 192.0.2.2/32 dev lo table 77
wg_in "$NSA" set "$IFA" fwmark 0x1234
route_is "$NSA" 0 198.51.100.2
has "endpoint: 192.0.2.2:51821 via dev lo"
has "(fwmark 0x1234)"
wg_in "$NSA" set "$IFA" fwmark 0
note "policy rules, --mark, --from, --json, endpoint looked up with the fwmark"

# 5. Bad input exits 2.
route_is "$NSA" 2 not-an-address
route_is "$NSA" 2 198.51.100.2 --mark zz
route_is "$NSA" 2 nosuchif0 198.51.100.2
echo "PASS"
