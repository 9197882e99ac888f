#!/usr/bin/env bash
# The engine's lifecycle, as wireguard-go's: daemonizing (the parent exits 0 once the TUN and the
# socket are ready), refusing a live socket and replacing a stale one, set-up errors as one line
# and exit 1, link down/up closing and reopening the UDP sockets, MTU changes, the TUN moved into
# another namespace (still working; MTU followed there), and the ends: SIGTERM, the socket file
# removed, `ip link del`, and the deletion of the namespace the TUN was moved into -- each ends
# the engine and removes its socket.
. "$(dirname "$0")/engine_lib.bash"
make_ns a NS
IF="wgxL$TAG"
SOCK=/var/run/wireguard/$IF.sock
CLEAN_IFS+=("$IF")

gone() { ! kill -0 "$1" 2>/dev/null; }

# Daemon mode: the socket exists as soon as the parent returns 0.
ip netns exec "$NS" "$ENGINE" "$IF" || fail "daemonizing start failed"
[ -S "$SOCK" ] || fail "parent exited before the socket was ready"
[ "$(stat -c %a /var/run/wireguard)" = 755 ] || fail "socket directory mode"
[ "$(stat -c %a "$SOCK")" = 700 ] || fail "socket mode $(stat -c %a "$SOCK")"
ip -n "$NS" link show "$IF" | grep -q "mtu 1420" || fail "default MTU"
ip -n "$NS" -d link show "$IF" | grep -q "tun type tun pi off" || fail "not IFF_TUN|IFF_NO_PI"
DPID=$(fuser "$SOCK" 2>/dev/null | tr -d ' ') || true
# A second engine on the same name: refused with one line, exit 1, the live socket untouched.
out=$(ip netns exec "$NS" "$ENGINE" -f "$IF" 2>&1); rc=$?
[ $rc = 1 ] || fail "second engine exit $rc"
[ "$(echo "$out" | wc -l)" = 1 ] || fail "second engine error not one line: $out"
[ -S "$SOCK" ] || fail "second engine removed the live socket"
wg_in "$NS" show "$IF" >/dev/null || fail "the daemon no longer answers"
# ip link del: the daemon ends and removes its socket.
ip -n "$NS" link del "$IF"
wait_for 30 test ! -e "$SOCK" || fail "socket left after ip link del"
[ -z "$DPID" ] || wait_for 30 gone "$DPID" || fail "daemon still running after ip link del"

# A stale socket (its engine was killed) is replaced.
start_engine wgx "$NS" "$IF"; P=$ENGINE_PID
kill -9 "$P"; wait "$P" 2>/dev/null
[ -S "$SOCK" ] || fail "no stale socket to test with"
start_engine wgx "$NS" "$IF"; P=$ENGINE_PID
wg_in "$NS" show "$IF" >/dev/null || fail "engine did not replace the stale socket"

# Set-up errors: one line, exit 1.
out=$(ip netns exec "$NS" "$ENGINE" -f "wgx-name-much-too-long" 2>&1); rc=$?
[ $rc = 1 ] && [ "$(echo "$out" | wc -l)" = 1 ] || fail "long name: rc=$rc out=$out"
out=$("$ENGINE" 2>&1); [ $? != 0 ] || fail "no interface name accepted"
"$ENGINE" --version | grep -q "^wgx-engine v" || fail "--version"

# Down closes the UDP sockets, up opens them again (the configured port).
wg_in "$NS" set "$IF" listen-port 51999 private-key <(wg genkey)
port_open() { ip netns exec "$NS" ss -Hlun "sport = :51999" | grep -q 51999; }
ip -n "$NS" link set "$IF" up
wait_for 30 port_open || fail "UDP port not open after up"
ip -n "$NS" link set "$IF" down
wait_for 30 eval '! port_open' || fail "UDP port still open after down"
ip -n "$NS" link set "$IF" up
wait_for 30 port_open || fail "UDP port not reopened after up"
wg_in "$NS" show "$IF" listen-port | grep -qx 51999 || fail "listen port"

# MTU changes reach the engine.
ip -n "$NS" link set "$IF" mtu 1380
wait_for 30 grep -q "MTU updated: 1380" "$TMP/$IF.log" || fail "MTU change not seen"

# SIGTERM: clean exit 0, socket removed.
kill -TERM "$P"; wait "$P"; rc=$?
[ $rc = 0 ] || fail "SIGTERM exit status $rc"
[ ! -e "$SOCK" ] || fail "socket left after SIGTERM"
ip -n "$NS" link show "$IF" >/dev/null 2>&1 && fail "TUN left after SIGTERM"

# Removing the socket file ends the engine.
start_engine wgx "$NS" "$IF"; P=$ENGINE_PID
rm -f "$SOCK"
wait_for 30 gone "$P" || fail "engine still running after its socket was removed"
wait "$P"; [ $? = 0 ] || fail "exit status after socket removal"

# Moved into another namespace: keeps working (UAPI, MTU), and ends with that namespace.
start_engine wgx "$NS" "$IF"; P=$ENGINE_PID
NS2="wgx-engine-$$-moved"
ip netns add "$NS2"; CLEAN_NS+=("$NS2")
ip -n "$NS" link set "$IF" netns "$NS2" || fail "move"
ip -n "$NS2" link set "$IF" up
ip -n "$NS2" link set "$IF" mtu 1300
wait_for 40 grep -q "MTU updated: 1300" "$TMP/$IF.log" || fail "MTU change in the other namespace not seen"
kill -0 "$P" || fail "engine died when its TUN moved"
wg_in "$NS" show "$IF" >/dev/null || fail "UAPI after the move"
ip netns del "$NS2"
wait_for 50 gone "$P" || fail "engine still running after its namespace was deleted"
wait_for 30 test ! -e "$SOCK" || fail "socket left after namespace deletion"
echo "PASS"
