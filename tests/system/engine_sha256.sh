#!/usr/bin/env bash
# 256 MB of random data through the tunnel with every offload on (TSO super-packets read from
# the TUN, UDP GSO/GRO, coalesced writes back to the TUN, the crypto workers): the far side's
# sha256 equals the source's. First wgx-engine -> wgx-engine, then Debian's wireguard-go ->
# wgx-engine (a peer without offloads feeding the coalescing receive path). Each transfer is
# bounded in time; the seconds each took are printed.
#
# UAPI sockets live in /var/run/wireguard, which is not per network namespace: this test gets a
# private one (a private mount namespace with a tmpfs there), so that no engine elsewhere on the
# machine with the same interface name can take or remove its sockets. unshare execs, so $$ stays
# this script's PID and marks that the re-run is done.
if [ "$(id -u)" = 0 ] && [ "${WGX_SHA256_PRIVATE_MOUNTS:-}" != "$$" ]; then
    command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
    export WGX_SHA256_PRIVATE_MOUNTS=$$
    exec unshare --mount --propagation private "$0" "$@"
fi
if [ "${WGX_SHA256_PRIVATE_MOUNTS:-}" = "$$" ]; then
    mkdir -p /var/run/wireguard
    mount -t tmpfs -o mode=0755 wgx-test-wireguard /var/run/wireguard ||
        { echo "FAIL: cannot mount a tmpfs on /var/run/wireguard"; exit 1; }
fi
. "$(dirname "$0")/engine_lib.bash"
command -v sha256sum >/dev/null || skip "no sha256sum"
unset WGX_ENGINE_DISABLE_OFFLOADS # this test is about the fast path
SIZE_MB=256
PORT=5201

make_pair
tunnel_pair wgx wgx 4
grep -q "Offloads allowed: tun-vnet.*udp-gso" "$TMP/$IFA.log" ||
    fail "wgx-engine A runs without TUN offloads or UDP GSO: $(grep 'Offloads allowed' "$TMP/$IFA.log")"
ping_ok "$NSA" 198.51.100.2 || fail "no ping through the tunnel before the transfer"

head -c "${SIZE_MB}M" /dev/urandom >"$TMP/source" || fail "could not write the source file"
read -r want _ < <(sha256sum "$TMP/source")

# transfer LABEL FROM_NS TO_NS TO_ADDR: sends $TMP/source over TCP through the tunnel; the receiver
# hashes what arrives and the result must equal the source's hash and size.
transfer() {
    local label=$1 from=$2 to=$3 addr=$4 start end got bytes
    rm -f "$TMP/received"
    timeout 150 ip netns exec "$to" python3 - "$addr" "$PORT" >"$TMP/received" <<'PY' &
import hashlib, socket, sys
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2])))
srv.listen(1)
srv.settimeout(30)
conn, _ = srv.accept()
conn.settimeout(30)  # no progress for 30 s: fail rather than hang
digest, total = hashlib.sha256(), 0
buf = bytearray(1 << 20)
view = memoryview(buf)
while True:
    n = conn.recv_into(buf)
    if n == 0:
        break
    digest.update(view[:n])
    total += n
print(digest.hexdigest(), total)
PY
    local receiver=$!
    CLEAN_PIDS+=("$receiver")
    start=$EPOCHREALTIME
    timeout 150 ip netns exec "$from" python3 - "$addr" "$PORT" "$TMP/source" <<'PY' || fail "sender failed ($from -> $addr)"
import socket, sys, time
deadline = time.monotonic() + 10
while True:  # the receiver may not be listening yet
    try:
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
        break
    except (ConnectionRefusedError, socket.timeout):
        if time.monotonic() > deadline:
            raise
        time.sleep(0.1)
with open(sys.argv[3], "rb") as f:
    s.sendfile(f)
s.shutdown(socket.SHUT_WR)
s.recv(1)  # the receiver closes after reading everything
s.close()
PY
    wait "$receiver" || fail "receiver failed ($from -> $addr): $(cat "$TMP/received")"
    end=$EPOCHREALTIME
    read -r got bytes <"$TMP/received"
    [ "$bytes" = $((SIZE_MB << 20)) ] || fail "received $bytes bytes, sent $((SIZE_MB << 20))"
    [ "$got" = "$want" ] || fail "sha256 differs: sent $want, received $got"
    note "$SIZE_MB MB $label: sha256 equal, $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"
}

# tun_avg_bytes NS IF rx|tx: mean packet size the kernel counted on the TUN device.
tun_avg_bytes() {
    ip -n "$1" -s -j link show dev "$2" | python3 -c '
import json, sys
s = json.load(sys.stdin)[0]["stats64"][sys.argv[1]]
print(s["bytes"] // max(s["packets"], 1))' "$3"
}

transfer "wgx-engine -> wgx-engine" "$NSA" "$NSB" 198.51.100.2
# The sender's kernel handed its TCP stream to the TUN as super-packets (TSO): more than one
# MTU per packet on average proves the engine read and split them.
avg=$(tun_avg_bytes "$NSA" "$IFA" tx)
note "A's TUN: $avg bytes per packet from the kernel; B's TUN: $(tun_avg_bytes "$NSB" "$IFB" rx) bytes per packet to the kernel"
[ "$avg" -gt 1500 ] || fail "A read no TCP super-packets from its TUN (mean $avg bytes)"

# Debian's wireguard-go in B's place, sending to wgx-engine A.
if command -v wireguard-go >/dev/null; then
    kill "$PIDB"
    wait_for 50 sh -c "! kill -0 $PIDB" || fail "engine B did not stop"
    wait_for 50 sh -c "! ip -n $NSB link show $IFB" || fail "B's TUN device stayed"
    start_engine go "$NSB" "$IFB"
    wg_in "$NSB" set "$IFB" private-key "$(keyfile "$KB")" listen-port 51821 \
        peer "$PA" endpoint 192.0.2.1:51820 allowed-ips 198.51.100.1/32 || fail "wg set B (go)"
    ip -n "$NSB" addr add 198.51.100.2/24 dev "$IFB"
    ip -n "$NSB" link set "$IFB" up
    ping_ok "$NSB" 198.51.100.1 || fail "no ping from wireguard-go B to wgx-engine A"
    transfer "wireguard-go (Debian) -> wgx-engine" "$NSB" "$NSA" 198.51.100.1
else
    note "no wireguard-go: only wgx-engine -> wgx-engine checked"
fi
echo "PASS"
