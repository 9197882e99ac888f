#!/usr/bin/env bash
# wgx show --json / --names / --stale-after and peer names in `wgx set`, against wgx-engine
# (brought up by wgx-quick, names from the config it recorded) and wireguard-go (names from
# /etc/wireguard/IF.conf). JSON is checked against docs/wgx-show.schema.json and against the
# reference `wg show dump`; the default output stays wg's, byte for byte.
source "$(dirname "$0")/observe_lib.bash"
command -v wireguard-go >/dev/null || skip "no wireguard-go"

make_pair
IFA="wgxA$TAG"; IFB="wgxB$TAG"
KA=$(genkey); KB=$(genkey); PA=$(pubkey "$KA"); PB=$(pubkey "$KB")

mkdir -p "$TMP/conf"
cat >"$TMP/conf/$IFA.conf" <<CONF
[Interface]
PrivateKey = $KA
ListenPort = 51820
Address = 198.51.100.1/24

[Peer]
# Name = beta
PublicKey = $PB
Endpoint = 192.0.2.2:51821
AllowedIPs = 198.51.100.2/32
CONF
chmod 600 "$TMP/conf/$IFA.conf"
quick_up "$NSA" "$TMP/conf/$IFA.conf"
grep -q "ConfigPath = $TMP/conf/$IFA.conf" "/run/wgx-quick/$IFA.runtime" || fail "no runtime file for $IFA"

start_engine go "$NSB" "$IFB"
wg_in "$NSB" set "$IFB" private-key "$(keyfile "$KB")" listen-port 51821 \
    peer "$PA" endpoint 192.0.2.1:51820 allowed-ips 198.51.100.1/32 || fail "wg set B"
ip -n "$NSB" addr add 198.51.100.2/24 dev "$IFB"
ip -n "$NSB" link set "$IFB" up
printf '[Interface]\nListenPort = 51821\n\n[Peer]\n#friendly_name = alpha\nPublicKey = %s\n' "$PA" \
    >"/etc/wireguard/$IFB.conf"
ping_ok "$NSA" 198.51.100.2 || fail "no tunnel"

# 1. Without the new flags, wgx prints what wg prints.
for args in "show $IFA" "show $IFA dump" "show all dump" "show interfaces" "show $IFA peers"; do
    # shellcheck disable=SC2086
    # "latest handshake: N seconds ago" may tick between the two runs: a few tries.
    for _ in 1 2 3; do
        a=$(WG_COLOR_MODE=never wgx_in "$NSA" $args 2>&1); b=$(WG_COLOR_MODE=never wg_in "$NSA" $args 2>&1)
        [ "$a" = "$b" ] && break
    done
    [ "$a" = "$b" ] || fail "wgx $args differs from wg: <$a> vs <$b>"
done
note "default output identical to wg"

# 2. JSON against the schema and against wg's dump, on both engines.
check_json() { # NS IF PEERKEY NAME
    local ns=$1 ifn=$2 peer=$3 name=$4
    wgx_in "$ns" show "$ifn" --json >"$TMP/$ifn.json" || fail "wgx show $ifn --json"
    json_check interface "$TMP/$ifn.json"
    wg_in "$ns" show "$ifn" dump >"$TMP/$ifn.dump"
    /usr/bin/python3 - "$TMP/$ifn.json" "$TMP/$ifn.dump" "$ifn" "$peer" "$name" <<'PY' || fail "JSON of $ifn disagrees with wg's dump"
import json, sys
doc = json.load(open(sys.argv[1]))
rows = [l.split("\t") for l in open(sys.argv[2]).read().splitlines()]
ifn, peer, name = sys.argv[3:6]
iface = rows[0]
assert doc["interface"] == ifn, doc
assert doc["public_key"] == iface[1] and "private_key" not in doc, doc
assert doc["listen_port"] == int(iface[2]) and doc["fwmark"] == (0 if iface[3] == "off" else int(iface[3], 16))
assert len(doc["peers"]) == len(rows) - 1 == 1
p, r = doc["peers"][0], rows[1]
assert p["public_key"] == r[0] == peer, (p, r)
assert "preshared_key" not in p
assert p["endpoint"] == (None if r[2] == "(none)" else r[2])
assert ",".join(p["allowed_ips"]) == r[3]
assert abs(p["latest_handshake"] - int(r[4])) <= 2 and p["latest_handshake"] > 0
assert p["rx_bytes"] > 0 and p["tx_bytes"] > 0
assert p["persistent_keepalive"] == (0 if r[7] == "off" else int(r[7]))
assert p["name"] == name, p
assert p["status"] == "active", p
PY
}
check_json "$NSA" "$IFA" "$PB" beta
check_json "$NSB" "$IFB" "$PA" alpha
note "show IF --json valid and equal to dump (wgx-engine and wireguard-go)"

wgx_in "$NSA" show all --json >"$TMP/all.json" || fail "show all --json"
json_check "" "$TMP/all.json"
# /run/wireguard is shared by the namespaces: both engines' sockets are listed, as wg lists them.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert " ".join(i["interface"] for i in d) == sys.argv[2], d' \
    "$TMP/all.json" "$(wg_in "$NSA" show interfaces)" || fail "show all --json lists the wrong interfaces"
wgx_in "$NSA" show interfaces --json >"$TMP/ifs.json" || fail "show interfaces --json"
json_check "" "$TMP/ifs.json"
[ "$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' "$TMP/ifs.json")" = \
  "$(wg_in "$NSA" show interfaces)" ] || fail "show interfaces --json differs from wg show interfaces"
WG_HIDE_KEYS=never wgx_in "$NSA" show "$IFA" --json >"$TMP/keys.json"
json_check interface "$TMP/keys.json"
grep -q "\"private_key\": \"$KA\"" "$TMP/keys.json" || fail "WG_HIDE_KEYS=never does not show the private key"
note "show all/interfaces --json, WG_HIDE_KEYS=never"

# 3. Names beside keys, status thresholds.
wgx_in "$NSA" show "$IFA" --names | grep -qxF "peer: $PB (beta)" || fail "--names on $IFA (runtime file)"
wgx_in "$NSB" show "$IFB" --names | grep -qxF "peer: $PA (alpha)" || fail "--names on $IFB (/etc/wireguard)"
sleep 2.1
wgx_in "$NSA" show "$IFA" --json --stale-after 1 | grep -q '"status": "stale"' || fail "--stale-after 1"
wgx_in "$NSA" show "$IFA" --stale-after=x 2>"$TMP/err" && fail "bad --stale-after accepted"
grep -q "Invalid stale-after: \`x'" "$TMP/err" || fail "bad --stale-after message"
note "--names and --stale-after"

# 4. A name where a key goes; an unknown name fails exactly as wg fails on a bad key.
wgx_in "$NSB" set "$IFB" peer alpha persistent-keepalive 7 || fail "set by name"
[ "$(wg_in "$NSB" show "$IFB" persistent-keepalive)" = "$PA	7" ] || fail "set by name did not apply"
wgx_in "$NSB" set "$IFB" peer nobody remove 2>"$TMP/wgx.err"; rc_wgx=$?
wg_in "$NSB" set "$IFB" peer nobody remove 2>"$TMP/wg.err"; rc_wg=$?
[ "$rc_wgx" = "$rc_wg" ] && [ "$rc_wg" != 0 ] || fail "unknown name: exit $rc_wgx, wg $rc_wg"
cmp -s "$TMP/wgx.err" "$TMP/wg.err" || fail "unknown name: <$(cat "$TMP/wgx.err")> vs <$(cat "$TMP/wg.err")>"
wgx_in "$NSA" set "$IFA" peer beta remove || fail "remove by name"
[ -z "$(wg_in "$NSA" show "$IFA" peers)" ] || fail "peer beta still there"
note "set by name"

ip netns exec "$NSA" "$WGX_BIN_DIR/wgx-quick" down "$TMP/conf/$IFA.conf" >/dev/null 2>&1 || fail "down"
QUICK_UP=()
[ ! -e "/run/wgx-quick/$IFA.runtime" ] || fail "runtime file left after down"
echo "PASS"
