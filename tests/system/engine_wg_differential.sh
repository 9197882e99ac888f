#!/usr/bin/env bash
# The reference wg drives wgx-engine exactly as it drives wireguard-go: the same sequence of
# set / setconf / addconf / syncconf / remove operations gives the same `wg showconf` and
# `wg show IF dump` (handshake times and counters zeroed, peer order and allowed-IPs order
# sorted: wireguard-go's are a map's and a trie's). Raw UAPI requests with one bad line get the
# same errno= reply from both.
. "$(dirname "$0")/engine_lib.bash"
make_ns x NSX; make_ns g NSG
IFX="wgxX$TAG"; IFG="wgxG$TAG"
start_engine wgx "$NSX" "$IFX"
start_engine go "$NSG" "$IFG"

K=$(genkey); PSK=$(wg genpsk)
P1=$(pubkey "$(genkey)"); P2=$(pubkey "$(genkey)"); P3=$(pubkey "$(genkey)"); P4=$(pubkey "$(genkey)")
cat >"$TMP/add.conf" <<CONF
[Peer]
PublicKey = $P3
AllowedIPs = 203.0.113.0/25
Endpoint = 192.0.2.33:3333
CONF
cat >"$TMP/set.conf" <<CONF
[Interface]
PrivateKey = $K
ListenPort = 51830
FwMark = 0x99

[Peer]
PublicKey = $P2
PresharedKey = $PSK
AllowedIPs = 198.51.100.64/26, fd00:4::/48
Endpoint = [fd00:1::44]:4444

[Peer]
PublicKey = $P4
AllowedIPs = 203.0.113.128/25
CONF
cat >"$TMP/sync.conf" <<CONF
[Interface]
PrivateKey = $K
ListenPort = 51831

[Peer]
PublicKey = $P4
AllowedIPs = 203.0.113.128/26, 198.51.100.200/32
PersistentKeepalive = 0

[Peer]
PublicKey = $P1
AllowedIPs = fd00:5::1/128
CONF

# normalised OUTPUT-KIND: showconf -> peer sections sorted, allowed IPs sorted;
# dump -> handshake/rx/tx zeroed, lines sorted, allowed IPs sorted.
normalise() {
    python3 -c '
import sys
kind, text = sys.argv[1], sys.stdin.read()
if kind == "dump":
    out = []
    for i, line in enumerate(text.splitlines()):
        f = line.split("\t")
        if i > 0 and len(f) == 8:
            f[3] = ",".join(sorted(f[3].split(",")))
            f[4] = f[5] = f[6] = "0"
        out.append("\t".join(f))
    print(out[0] if out else ""); print("\n".join(sorted(out[1:])))
else:
    blocks = text.strip().split("\n\n")
    def norm(b):
        lines = []
        for l in b.splitlines():
            if l.startswith("AllowedIPs = "):
                l = "AllowedIPs = " + ", ".join(sorted(l[13:].split(", ")))
            lines.append(l)
        return "\n".join(lines)
    blocks = [norm(b) for b in blocks]
    print("\n\n".join(blocks[:1] + sorted(blocks[1:])))
' "$1"
}

step=0
compare() {
    step=$((step + 1))
    local kind
    for kind in showconf dump; do
        if [ $kind = showconf ]; then
            a=$(wg_in "$NSX" showconf "$IFX" | normalise showconf)
            b=$(wg_in "$NSG" showconf "$IFG" | normalise showconf)
        else
            a=$(wg_in "$NSX" show "$IFX" dump | normalise dump)
            b=$(wg_in "$NSG" show "$IFG" dump | normalise dump)
        fi
        [ -n "$a" ] || fail "step $step: empty $kind"
        if [ "$a" != "$b" ]; then
            echo "--- wgx-engine"; echo "$a"; echo "--- wireguard-go"; echo "$b"
            fail "step $step ($1): $kind differs"
        fi
    done
}
both() { wg_in "$NSX" "$1" "$IFX" "${@:2}" && wg_in "$NSG" "$1" "$IFG" "${@:2}"; }

both set private-key "$(keyfile "$K")" listen-port 51820 fwmark 0x42 || fail "set"
compare "private key, port, fwmark"
both set peer "$P1" allowed-ips 198.51.100.0/28,fd00:3::/64 endpoint 192.0.2.9:1000 || fail "set P1"
both set peer "$P2" preshared-key "$(keyfile "$PSK")" allowed-ips 198.51.100.16/28 endpoint "[fd00:1::9]:2000"
compare "two peers"
both set peer "$P2" allowed-ips 198.51.100.0/28,198.51.100.16/28
compare "a prefix moves to another peer"
both addconf "$TMP/add.conf"; compare "addconf"
both set peer "$P1" remove; compare "remove"
both set peer "$P3" persistent-keepalive 25 endpoint 192.0.2.34:3334; compare "keepalive, endpoint"
both set fwmark 0 peer "$P2" preshared-key /dev/null; compare "fwmark off, psk removed"
both setconf "$TMP/set.conf"; compare "setconf"
both syncconf "$TMP/sync.conf"; compare "syncconf"
both set private-key /dev/null; compare "private key removed"

# Raw single-line bad requests: the same errno from both.
for req in 'set=1\nlisten_port=abc\n\n' 'set=1\nfoo=bar\n\n' 'set=1\nprivate_key=zz\n\n' \
           'set=1\nfwmark=0x10\n\n' 'set=1\nnoequals\n\n' 'set=1\nreplace_peers=yes\n\n' \
           "set=1\npublic_key=$(echo "$P1" | base64 -d | od -An -tx1 | tr -d ' \n')\nendpoint=1.2.3.4\n\n" \
           'set=1\nlisten_port=70000\n\n' 'get=1\nx'; do
    a=$(uapi_raw "$IFX" "$req"); b=$(uapi_raw "$IFG" "$req")
    [ "$a" = "$b" ] || fail "request $req: wgx-engine '$a' vs wireguard-go '$b'"
done
# A port in use: EADDRINUSE from both.
ip netns exec "$NSX" python3 -c 'import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("0.0.0.0",51999)); time.sleep(3)' &
H1=$!
ip netns exec "$NSG" python3 -c 'import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("0.0.0.0",51999)); time.sleep(3)' &
H2=$!
sleep 0.5
ip -n "$NSX" link set "$IFX" up; ip -n "$NSG" link set "$IFG" up; sleep 0.3
a=$(uapi_raw "$IFX" 'set=1\nlisten_port=51999\n\n'); b=$(uapi_raw "$IFG" 'set=1\nlisten_port=51999\n\n')
[ "$a" = "$b" ] || fail "port in use: wgx-engine '$a' vs wireguard-go '$b'"
wait "$H1" "$H2"
echo "PASS"
