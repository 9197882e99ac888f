#!/usr/bin/env bash
# wgx-quick on the kernel, in the VM (tools/vm): `up` creates a kernel `wireguard` link and
# leaves the same system state as the reference wg-quick (addresses, MTU, routes, rules,
# nftables, wg showconf) for each configuration below; `down` leaves what was there before.
# Each run happens in a fresh network namespace set up the same way.
. "$(dirname "$0")/common.bash"

if [ "${WGX_IN_VM:-}" != 1 ]; then
    python3 - "$WGX_KWORK" <<'PY' || exit 1
import base64, os, sys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives import serialization as s
d = sys.argv[1]
def pair():
    k = X25519PrivateKey.generate()
    b = lambda x: base64.b64encode(x).decode()
    return (b(k.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())),
            b(k.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)))
priv = pair()[0]
p1, p2, p3 = (pair()[1] for _ in range(3))
psk = base64.b64encode(os.urandom(32)).decode()
confs = {
"single": f"""[Interface]
PrivateKey = {priv}
ListenPort = 51820
Address = 192.0.2.1
MTU = 1400

[Peer]
PublicKey = {p1}
AllowedIPs = 192.0.2.2/32
Endpoint = 198.51.100.2:51820
""",
"overlap": f"""[Interface]
PrivateKey = {priv}
ListenPort = 51821
Address = 192.0.2.1/24, fd00:2::1/64
Address = fd00:9::1

[Peer]
PublicKey = {p1}
AllowedIPs = 192.0.2.0/24, 198.51.100.128/25, fd00:3::/48
Endpoint = 198.51.100.2:51820

[Peer]
PublicKey = {p2}
PresharedKey = {psk}
AllowedIPs = 198.51.100.200/32, 192.0.2.64/26, fd00:3:1::/64, 203.0.113.0/25
Endpoint = 203.0.113.9:51820
PersistentKeepalive = 25
""",
"default": f"""[Interface]
PrivateKey = {priv}
Address = 192.0.2.1/32, fd00:2::1/128

[Peer]
PublicKey = {p1}
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 198.51.100.2:51820
""",
"table": f"""[Interface]
PrivateKey = {priv}
Address = 192.0.2.1/24
Table = 1234
FwMark = 0x4d2

[Peer]
PublicKey = {p3}
AllowedIPs = 0.0.0.0/0, fd00:4::/64
""",
"tableoff": f"""[Interface]
PrivateKey = {priv}
Address = 192.0.2.1/24
Table = off
MTU = 1300

[Peer]
PublicKey = {p3}
AllowedIPs = 203.0.113.0/24
""",
"tablemain": f"""[Interface]
PrivateKey = {priv}
Address = 192.0.2.200
ListenPort = 51822
Table = main

[Peer]
PublicKey = {p1}
AllowedIPs = 192.0.2.0/24, 0.0.0.0/1, 128.0.0.0/1, fd00:4::/64
Endpoint = 198.51.100.2:51820
""",
"fwmarkdefault": f"""[Interface]
PrivateKey = {priv}
FwMark = 0x1234
ListenPort = 51823
Address = 192.0.2.1

[Peer]
PublicKey = {p1}
AllowedIPs = 0.0.0.0/0
Endpoint = 198.51.100.7:51820
""",
"hooks": f"""[Interface]
PrivateKey = {priv}
ListenPort = 51824
Address = 192.0.2.1/24, fd00:2::1/64
PreUp = echo "pre-up %i $(ip -o link show dev %i >/dev/null 2>&1 && echo exists)" >> "$QUICK_HOOKS"
PostUp = echo "post-up %i $(ip -o link show dev %i | grep -o 'mtu [0-9]*')" >> "$QUICK_HOOKS"
PreDown = echo "pre-down %i" >> "$QUICK_HOOKS"
PostDown = echo "post-down %i $(ip -o link show dev %i >/dev/null 2>&1 || echo gone)" >> "$QUICK_HOOKS"

[Peer]
PublicKey = {p2}
PresharedKey = {psk}
AllowedIPs = 192.0.2.0/24, fd00:2::/64
Endpoint = [fd00:51::2]:51820
""",
}
for name, text in confs.items():
    os.makedirs(os.path.join(d, name), exist_ok=True)
    with open(os.path.join(d, name, "wgq0.conf"), "w") as f:
        f.write(text)
    os.chmod(os.path.join(d, name, "wgq0.conf"), 0o600)
PY
    kernel_boot "$0" 540
fi

# ---- inside the VM ----
W=$WGX_KWORK
T=$(mktemp -d /tmp/quick-kernel.XXXXXX)
IFN=wgq0
QUICK=$WGX_BIN_DIR/wgx-quick
mkdir -p /run/wireguard /run/wgx-quick

# capture NS DIR: what up/down may change, in namespace NS.
capture() {
    local ns=$1 d=$2
    mkdir -p "$d"
    ip -n "$ns" -o link show | sed -E 's/^[0-9]+: //' | sort >"$d/links"
    ip -n "$ns" -d link show dev "$IFN" 2>/dev/null | grep -ow wireguard >"$d/kind"
    ip -n "$ns" address show dev "$IFN" 2>/dev/null | sed -E '1s/^[0-9]+: //' >"$d/addr"
    ip -n "$ns" route show table all >"$d/route4"
    ip -n "$ns" -6 route show table all >"$d/route6"
    ip -n "$ns" rule >"$d/rule4"
    ip -n "$ns" -6 rule >"$d/rule6"
    ip netns exec "$ns" nft list ruleset >"$d/nft" 2>&1
    # Without ListenPort the kernel picks a random port: compare that there is one.
    ip netns exec "$ns" wg showconf "$IFN" 2>/dev/null |
        sed -E "${RANDOM_PORT:+s/^ListenPort = [1-9][0-9]*$/ListenPort = (random)/}" >"$d/showconf"
    ip netns exec "$ns" sysctl -n net.ipv4.conf.all.src_valid_mark >"$d/src_valid_mark"
}

# fresh_ns NAME: a namespace with an uplink and default routes, identical every time.
fresh_ns() {
    local ns=$1
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.stable_secret=fd00:1111:2222:3333:4444:5555:6666:7777
    ip -n "$ns" link add uplink0 address 02:00:00:00:00:01 type veth peer name uplink1 \
        address 02:00:00:00:00:02
    ip -n "$ns" link set uplink0 mtu 1600 up
    ip -n "$ns" address add 198.51.100.1/24 dev uplink0
    ip -n "$ns" -6 address add fd00:51::1/64 dev uplink0 nodad
    ip -n "$ns" route add default via 198.51.100.254 dev uplink0
    ip -n "$ns" route add 203.0.113.0/24 via 198.51.100.254 dev uplink0 mtu 1360
    ip -n "$ns" -6 route add default via fd00:51::fe dev uplink0
}

n=0
for conf in single overlap default table tableoff tablemain fwmarkdefault hooks; do
    for tool in wg-quick "$QUICK"; do
        n=$((n + 1))
        ns=wgx-kernel-$$-$n
        side=ref; [ "$tool" = wg-quick ] || side=got
        RANDOM_PORT=1; grep -q '^ListenPort' "$W/$conf/$IFN.conf" && RANDOM_PORT=
        out=$T/$conf/$side
        fresh_ns "$ns"
        export QUICK_HOOKS=$out/hooks
        mkdir -p "$out"
        : >"$QUICK_HOOKS"
        capture "$ns" "$out/before"
        ip netns exec "$ns" "$tool" up "$W/$conf/$IFN.conf" >"$out/up.out" 2>"$out/up.err"
        echo $? >"$out/up.rc"
        capture "$ns" "$out/up"
        ip netns exec "$ns" "$tool" down "$W/$conf/$IFN.conf" >"$out/down.out" 2>"$out/down.err"
        echo $? >"$out/down.rc"
        capture "$ns" "$out/down"
        ip -n "$ns" link del "$IFN" 2>/dev/null
        ip netns del "$ns"
    done
    r=$T/$conf/ref g=$T/$conf/got
    check "$conf: wg-quick up works here" [ "$(cat "$r/up.rc")" = 0 ]
    same "$conf: up status" "$r/up.rc" "$g/up.rc"
    same "$conf: down status" "$r/down.rc" "$g/down.rc"
    check "$conf: up made a kernel wireguard link" grep -qx wireguard "$g/up/kind"
    for f in links kind addr route4 route6 rule4 rule6 nft showconf src_valid_mark; do
        same "$conf: after up: $f" "$r/up/$f" "$g/up/$f"
    done
    for f in links addr route4 route6 rule4 rule6 nft showconf; do
        same "$conf: down leaves nothing: $f" "$g/before/$f" "$g/down/$f"
    done
    same "$conf: hooks ran alike" "$r/hooks" "$g/hooks"
    # (The [#] echo lines are not compared: wgx-quick shows the stripped config's source and
    # the nftables script instead of wg-quick's /dev/fd/63.)
    if [ "$(cat "$g/up.rc")" != 0 ]; then head -5 "$g/up.err"; fi
done
rm -rf "$T"
finish
