#!/usr/bin/env bash
# wgx-engine <-> the kernel module on the wire, in the VM (tools/vm): two network namespaces
# joined by veth, a kernel wireguard device in one and wgx-engine in the other, both configured
# by wgx. Handshake and ping both ways with inner IPv4 and IPv6, over outer IPv4 and IPv6, with
# and without a preshared key; a mismatched preshared key fails; a new handshake (peer re-added
# on the kernel side, engine restarted) keeps traffic flowing; the wgx side roams to a new
# address and the kernel follows. The kernel is the reference: a disagreement is a wgx bug.
#
#   outer (veth):  192.0.2.1 | 192.0.2.2 (roams to .3)    fd00:1::1 | fd00:1::2
#   inner (wg):    198.51.100.1 | 198.51.100.2             fd00:2::1 | fd00:2::2
. "$(dirname "$0")/common.bash"

if [ "${WGX_IN_VM:-}" != 1 ]; then
    [ -x "$WGX_BIN_DIR/wgx-engine" ] || skip "no wgx-engine in $WGX_BIN_DIR"
    python3 - "$WGX_KWORK" <<'PY' || exit 1
import base64, os, sys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives import serialization as s
d = sys.argv[1]
b = lambda x: base64.b64encode(x).decode()
for name in ["k", "e"]:
    k = X25519PrivateKey.generate()
    open(f"{d}/{name}.key", "w").write(
        b(k.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())) + "\n")
    open(f"{d}/{name}.pub", "w").write(
        b(k.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)))
for name in ["psk", "psk2"]:
    open(f"{d}/{name}", "w").write(b(os.urandom(32)) + "\n")
PY
    kernel_boot "$0" 540
fi

# ---- inside the VM ----
W=$WGX_KWORK
# WGX_KERNEL_TEST_ENGINE=wireguard-go runs the same checks against the reference engine.
ENGINE=${WGX_KERNEL_TEST_ENGINE:-$WGX_BIN_DIR/wgx-engine}
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
NSK=wgx-kernel-$$-k NSE=wgx-kernel-$$-e
IFK=wgk$(( $$ % 10000 )) IFE=wge$(( $$ % 10000 ))
PK=$(cat "$W/k.pub") PE=$(cat "$W/e.pub")
T=$(mktemp -d /tmp/engine-kernel.XXXXXX)
mkdir -p /run/wireguard
ENGINE_PID=

ip netns add "$NSK"
ip netns add "$NSE"
ip -n "$NSK" link set lo up
ip -n "$NSE" link set lo up
ip link add vK netns "$NSK" type veth peer name vE netns "$NSE"
ip -n "$NSK" addr add 192.0.2.1/24 dev vK
ip -n "$NSE" addr add 192.0.2.2/24 dev vE
ip -n "$NSK" addr add fd00:1::1/64 dev vK nodad
ip -n "$NSE" addr add fd00:1::2/64 dev vE nodad
ip -n "$NSK" link set vK up
ip -n "$NSE" link set vE up

wgx_in() { local ns=$1; shift; ip netns exec "$ns" "$WGX" "$@"; }
ping_ok() { # NS ADDR: at least one reply, bounded in count and time
    ip netns exec "$1" ping -n -q -c 3 -i 0.3 -W 2 -w 10 "$2" >/dev/null 2>&1
}
ping_fails() { ! ip netns exec "$1" ping -n -q -c 2 -i 0.5 -W 1 -w 4 "$2" >/dev/null 2>&1; }
handshake() { wgx_in "$1" show "$2" latest-handshakes | awk '{ print $2 }'; }

stop_engine() {
    if [ -n "$ENGINE_PID" ]; then
        kill "$ENGINE_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$ENGINE_PID" 2>/dev/null
        ENGINE_PID=
    fi
    ip -n "$NSE" link del "$IFE" 2>/dev/null
    rm -f "/run/wireguard/$IFE.sock"
}
start_engine() {
    ip netns exec "$NSE" "$ENGINE" -f "$IFE" >>"$T/engine.log" 2>&1 &
    ENGINE_PID=$!
    for _ in $(seq 100); do wgx_in "$NSE" show "$IFE" >/dev/null 2>&1 && return 0; sleep 0.1; done
    fail "wgx-engine did not start"; tail -5 "$T/engine.log"
    return 1
}
cleanup() {
    stop_engine
    ip netns del "$NSK" 2>/dev/null
    ip netns del "$NSE" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

# setup OUTER PSK-K PSK-E: a fresh kernel device and a fresh engine, configured by wgx; the
# endpoints in family OUTER (4 or 6); preshared key files for each side ("" = none).
setup() {
    local outer=$1 pskk=$2 pske=$3 ek=192.0.2.1:51820 ee=192.0.2.2:51821
    [ "$outer" = 6 ] && ek="[fd00:1::1]:51820" ee="[fd00:1::2]:51821"
    stop_engine
    ip -n "$NSK" link del "$IFK" 2>/dev/null
    ip -n "$NSK" link add "$IFK" type wireguard
    start_engine || return 1
    wgx_in "$NSK" set "$IFK" private-key "$W/k.key" listen-port 51820 peer "$PE" endpoint "$ee" \
        allowed-ips 198.51.100.2/32,fd00:2::2/128 ${pskk:+preshared-key "$pskk"} ||
        fail "wgx set on the kernel device"
    wgx_in "$NSE" set "$IFE" private-key "$W/e.key" listen-port 51821 peer "$PK" endpoint "$ek" \
        allowed-ips 198.51.100.1/32,fd00:2::1/128 ${pske:+preshared-key "$pske"} ||
        fail "wgx set on wgx-engine"
    ip -n "$NSK" addr add 198.51.100.1/24 dev "$IFK"
    ip -n "$NSE" addr add 198.51.100.2/24 dev "$IFE"
    ip -n "$NSK" addr add fd00:2::1/64 dev "$IFK" nodad
    ip -n "$NSE" addr add fd00:2::2/64 dev "$IFE" nodad
    ip -n "$NSK" link set "$IFK" up
    ip -n "$NSE" link set "$IFE" up
}

# both_ways LABEL: pings in both directions over inner IPv4 and IPv6, handshakes on both sides.
both_ways() {
    check "$1: kernel -> wgx, inner IPv4" ping_ok "$NSK" 198.51.100.2
    check "$1: wgx -> kernel, inner IPv4" ping_ok "$NSE" 198.51.100.1
    check "$1: kernel -> wgx, inner IPv6" ping_ok "$NSK" fd00:2::2
    check "$1: wgx -> kernel, inner IPv6" ping_ok "$NSE" fd00:2::1
    check "$1: kernel saw a handshake" [ "$(handshake "$NSK" "$IFK")" != 0 ]
    check "$1: wgx saw a handshake" [ "$(handshake "$NSE" "$IFE")" != 0 ]
}

note "outer IPv4, no preshared key"
setup 4 "" "" && both_ways "outer IPv4"
read -r _ rx tx < <(wgx_in "$NSK" show "$IFK" transfer)
check "kernel counted traffic" [ "${rx:-0}" -gt 0 ] && [ "${tx:-0}" -gt 0 ]

note "outer IPv6, preshared key"
setup 6 "$W/psk" "$W/psk" && both_ways "outer IPv6 + psk"
check "outer IPv6: kernel's endpoint" sh -c \
    "ip netns exec $NSK $WGX show $IFK endpoints | grep -qF '[fd00:1::2]:51821'"

note "outer IPv4, preshared key"
setup 4 "$W/psk" "$W/psk" && both_ways "outer IPv4 + psk"

note "mismatched preshared keys"
setup 4 "$W/psk" "$W/psk2"
check "psk mismatch: kernel -> wgx fails" ping_fails "$NSK" 198.51.100.2
check "psk mismatch: wgx -> kernel fails" ping_fails "$NSE" 198.51.100.1
check "psk mismatch: no handshake on the kernel" [ "$(handshake "$NSK" "$IFK")" = 0 ]
check "psk mismatch: no handshake on wgx" [ "$(handshake "$NSE" "$IFE")" = 0 ]
wgx_in "$NSE" set "$IFE" peer "$PK" preshared-key "$W/psk"
check "psk fixed: traffic flows" ping_ok "$NSE" 198.51.100.1

note "new handshakes keep traffic flowing"
setup 4 "" ""
check "before rekey" ping_ok "$NSK" 198.51.100.2
first=$(handshake "$NSK" "$IFK")
# The kernel forgets the session: the peer is removed and added again.
wgx_in "$NSK" set "$IFK" peer "$PE" remove
wgx_in "$NSK" set "$IFK" peer "$PE" endpoint 192.0.2.2:51821 allowed-ips 198.51.100.2/32,fd00:2::2/128
sleep 1.1 # handshake times have a resolution of seconds
check "kernel re-initiates: kernel -> wgx" ping_ok "$NSK" 198.51.100.2
check "kernel re-initiates: wgx -> kernel" ping_ok "$NSE" fd00:2::1
check "kernel re-initiates: a new handshake" [ "$(handshake "$NSK" "$IFK")" -gt "$first" ]
# The engine forgets the session: restarted with the same configuration.
second=$(handshake "$NSK" "$IFK")
stop_engine
start_engine
wgx_in "$NSE" set "$IFE" private-key "$W/e.key" listen-port 51821 peer "$PK" \
    endpoint 192.0.2.1:51820 allowed-ips 198.51.100.1/32,fd00:2::1/128
ip -n "$NSE" addr add 198.51.100.2/24 dev "$IFE"
ip -n "$NSE" addr add fd00:2::2/64 dev "$IFE" nodad
ip -n "$NSE" link set "$IFE" up
sleep 1.1
check "engine restarted: wgx -> kernel" ping_ok "$NSE" 198.51.100.1
check "engine restarted: kernel -> wgx" ping_ok "$NSK" fd00:2::2
check "engine restarted: a new handshake" [ "$(handshake "$NSK" "$IFK")" -gt "$second" ]

note "roaming: the wgx side moves to 192.0.2.3"
# (Deleted first: deleting a primary address takes its secondaries with it.)
ip -n "$NSE" addr del 192.0.2.2/24 dev vE
ip -n "$NSE" addr add 192.0.2.3/24 dev vE
check "roamed: wgx -> kernel" ping_ok "$NSE" 198.51.100.1
check "roamed: kernel follows the new endpoint" sh -c \
    "ip netns exec $NSK $WGX show $IFK endpoints | grep -qF '192.0.2.3:51821'"
check "roamed: kernel -> wgx" ping_ok "$NSK" 198.51.100.2
check "roamed: kernel -> wgx, inner IPv6" ping_ok "$NSK" fd00:2::2

[ "$FAILS" = 0 ] || { echo "# engine log (tail):"; tail -20 "$T/engine.log"; }
finish
