# Shared by the tests/system/engine_*.sh tests (sourced, not a test itself): network namespaces
# joined by a veth pair, engines (wgx-engine or wireguard-go) started in them, and cleanup by
# PID and name on exit. Addresses only from the documentation ranges and fd00::/8.
#
#   outer (veth):  192.0.2.1/24 | 192.0.2.2/24      fd00:1::1/64 | fd00:1::2/64
#   inner (wg):    198.51.100.1 | 198.51.100.2      fd00:2::1    | fd00:2::2

set -u

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "# $*"; }

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, TUN devices)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
command -v ip >/dev/null || skip "no iproute2"

if [ -z "${WGX_BIN_DIR:-}" ]; then
    if [ -n "${WGX:-}" ]; then WGX_BIN_DIR=$(dirname "$WGX"); else
        WGX_BIN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/src
    fi
fi
ENGINE=$WGX_BIN_DIR/wgx-engine
[ -x "$ENGINE" ] || skip "no wgx-engine at $ENGINE (build first)"
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1

TAG=$(( $$ % 10000 ))
TMP=$(mktemp -d /tmp/wgx-engine-test.XXXXXX)
declare -a CLEAN_PIDS=() CLEAN_NS=() CLEAN_IFS=()

cleanup() {
    local pid ns
    for pid in "${CLEAN_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${CLEAN_PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -9 "$pid" 2>/dev/null
    done
    for ns in "${CLEAN_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
    for ifn in "${CLEAN_IFS[@]}"; do rm -f "/var/run/wireguard/$ifn.sock"; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 143" TERM INT HUP

# nsx NS CMD...: runs a command inside a namespace.
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# make_ns NAME-SUFFIX VAR: a fresh namespace with loopback up, its name in VAR (not printed:
# a command substitution would run in a subshell and lose the cleanup record).
make_ns() {
    local ns="wgx-engine-$$-$1"
    ip netns add "$ns" || fail "ip netns add $ns"
    CLEAN_NS+=("$ns")
    ip -n "$ns" link set lo up
    printf -v "$2" %s "$ns"
}

# make_pair: namespaces $NSA and $NSB joined by veth (vA/vB) with the outer addresses.
make_pair() {
    make_ns a NSA
    make_ns b NSB
    ip link add vA netns "$NSA" type veth peer name vB netns "$NSB" || fail "veth"
    ip -n "$NSA" addr add 192.0.2.1/24 dev vA
    ip -n "$NSB" addr add 192.0.2.2/24 dev vB
    ip -n "$NSA" addr add fd00:1::1/64 dev vA nodad
    ip -n "$NSB" addr add fd00:1::2/64 dev vB nodad
    ip -n "$NSA" link set vA up
    ip -n "$NSB" link set vB up
}

# wait_for COUNT*0.1s CMD...: polls until CMD succeeds.
wait_for() {
    local n=$1; shift
    for _ in $(seq "$n"); do "$@" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

# start_engine IMPL NS IFNAME: starts "wgx" (wgx-engine), "go" (wireguard-go) or IMPL as a
# path to another wireguard-go-compatible binary in the foreground in NS; its PID in
# ENGINE_PID, log in $TMP/IFNAME.log.
start_engine() {
    local impl=$1 ns=$2 ifn=$3 bin
    case $impl in
        wgx) bin=$ENGINE ;;
        go) bin=$(command -v wireguard-go) || skip "no wireguard-go" ;;
        *) bin=$impl ;;
    esac
    LOG_LEVEL=verbose ip netns exec "$ns" "$bin" -f "$ifn" >"$TMP/$ifn.log" 2>&1 &
    ENGINE_PID=$!
    CLEAN_PIDS+=("$ENGINE_PID")
    CLEAN_IFS+=("$ifn")
    # Ready when the socket answers (a stale file from a killed engine does not).
    wait_for 50 ip netns exec "$ns" wg show "$ifn" >/dev/null || { cat "$TMP/$ifn.log"; fail "$impl engine $ifn did not start"; }
}

# wg_in NS ARGS...: the reference wg inside NS.
wg_in() { local ns=$1; shift; ip netns exec "$ns" wg "$@"; }

genkey() { wg genkey; }
pubkey() { echo "$1" | wg pubkey; }
keyfile() { local f="$TMP/key.$RANDOM$RANDOM"; echo "$1" >"$f"; echo "$f"; }

# tunnel_pair IMPL_A IMPL_B [OUTER]: engines on both sides of the veth, configured with wg as
# peers of each other (OUTER: 4 or 6, the endpoints' family), inner addresses and links up.
tunnel_pair() {
    local impl_a=$1 impl_b=$2 outer=${3:-4}
    IFA="wgxA$TAG"; IFB="wgxB$TAG"
    KA=$(genkey); KB=$(genkey); PA=$(pubkey "$KA"); PB=$(pubkey "$KB")
    start_engine "$impl_a" "$NSA" "$IFA"; PIDA=$ENGINE_PID
    start_engine "$impl_b" "$NSB" "$IFB"; PIDB=$ENGINE_PID
    local ea="192.0.2.1:51820" eb="192.0.2.2:51821"
    if [ "$outer" = 6 ]; then ea="[fd00:1::1]:51820"; eb="[fd00:1::2]:51821"; fi
    wg_in "$NSA" set "$IFA" private-key "$(keyfile "$KA")" listen-port 51820 \
        peer "$PB" endpoint "$eb" allowed-ips 198.51.100.2/32,fd00:2::2/128 || fail "wg set A"
    wg_in "$NSB" set "$IFB" private-key "$(keyfile "$KB")" listen-port 51821 \
        peer "$PA" endpoint "$ea" allowed-ips 198.51.100.1/32,fd00:2::1/128 || fail "wg set B"
    ip -n "$NSA" addr add 198.51.100.1/24 dev "$IFA"
    ip -n "$NSB" addr add 198.51.100.2/24 dev "$IFB"
    ip -n "$NSA" addr add fd00:2::1/64 dev "$IFA" nodad
    ip -n "$NSB" addr add fd00:2::2/64 dev "$IFB" nodad
    ip -n "$NSA" link set "$IFA" up
    ip -n "$NSB" link set "$IFB" up
}

# ping_ok NS ADDR [COUNT]: at least one echo reply (bounded in count and time).
ping_ok() {
    local ns=$1 addr=$2 count=${3:-3}
    ip netns exec "$ns" ping -n -q -c "$count" -i 0.2 -W 2 -w 8 "$addr" >/dev/null 2>&1
}

# latest_handshake NS IF PUBKEY: the peer's last handshake (seconds since the epoch, 0 = none).
latest_handshake() {
    wg_in "$1" show "$2" latest-handshakes | awk -v k="$3" '$1 == k { print $2 }'
}

# rx_packets NS IF: packets the kernel received from the TUN device's writer (the engine).
rx_packets() { ip -n "$1" -s -j link show dev "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }

# udp_in NS: UDP datagrams delivered in NS so far (/proc/net/snmp is per namespace).
udp_in() {
    ip netns exec "$1" awk '/^Udp:/ { if (h) { print $2; exit } h = 1 }' /proc/net/snmp
}

# uapi_raw IFNAME REQUEST: sends a raw request to the UAPI socket, prints the reply (repr).
uapi_raw() {
    python3 - "/var/run/wireguard/$1.sock" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(3)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode().decode('unicode_escape').encode('latin-1'))
s.shutdown(socket.SHUT_WR)
data = b""
while True:
    try:
        chunk = s.recv(65536)
    except socket.timeout:
        break
    if not chunk:
        break
    data += chunk
print(data.decode(errors="replace"), end="")
PY
}
