#!/usr/bin/env bash
# wgx top: --once during a ping flood shows non-zero rates (wgx-engine and wireguard-go), and
# the live screen, driven in tmux, draws the peers, scrolls with the arrow keys and quits on q.
source "$(dirname "$0")/observe_lib.bash"
command -v wireguard-go >/dev/null || skip "no wireguard-go"
command -v tmux >/dev/null || skip "no tmux (tools/bootstrap installs it)"

make_pair
tunnel_pair wgx go
printf '[Peer]\n# Name = beta\nPublicKey = %s\n' "$PB" >"/etc/wireguard/$IFA.conf"
ping_ok "$NSA" 198.51.100.2 || fail "no tunnel"

# 1. --once during a flood (bounded: 30000 packets or 8 s).
ip netns exec "$NSA" ping -f -q -c 30000 -w 8 198.51.100.2 >/dev/null 2>&1 &
FLOOD_PID=$!
CLEAN_PIDS+=("$FLOOD_PID")
sleep 0.5
wgx_in "$NSA" top "$IFA" --once >"$TMP/topA.txt" || fail "top --once on wgx-engine"
wgx_in "$NSB" top "$IFB" --once >"$TMP/topB.txt" || fail "top --once on wireguard-go"
wait "$FLOOD_PID"
for f in "$TMP/topA.txt:$IFA:beta" "$TMP/topB.txt:$IFB:${PA:0:10}..."; do
    IFS=: read -r file ifn peer <<<"$f"
    head -1 "$file" | grep -q '^INTERFACE *PEER *ENDPOINT *STATUS *HANDSHAKE *RX/s *TX/s *RX *TX$' ||
        fail "header: $(head -1 "$file")"
    # INTERFACE PEER ENDPOINT STATUS HANDSHAKE RX/s TX/s RX TX
    read -r i p e st hs rx tx rxt txt < <(sed -n 2p "$file")
    [ "$i" = "$ifn" ] && [ "$p" = "$peer" ] && [ "$st" = active ] || fail "row: $(sed -n 2p "$file")"
    [ "$rx" != 0B/s ] && [ "$tx" != 0B/s ] || fail "rates zero during a flood: $(sed -n 2p "$file")"
    note "$ifn during a flood: rx $rx tx $tx (totals $rxt $txt, endpoint $e, handshake $hs)"
done
# Without a terminal, top prints one sample too.
timeout 10 ip netns exec "$NSA" "$WGX" top "$IFA" </dev/null | grep -q "^$IFA *beta " || fail "top without a tty"
wgx_in "$NSA" top nosuchif0 --once 2>"$TMP/err" && fail "top on a missing interface"
# The same words as `wg show` (the errno depends on whether the kernel module is loaded).
[ "$(cat "$TMP/err")" = "$(wg_in "$NSA" show nosuchif0 2>&1)" ] || fail "message: $(cat "$TMP/err")"

# 2. The live screen: 12 more peers than fit in an 8-line terminal, scrolled with the arrows.
for n in $(seq 1 12); do
    wg_in "$NSA" set "$IFA" peer "$(genkey | wg pubkey)" allowed-ips "203.0.113.$n/32" || fail "extra peer"
done
SOCK="wgx-test-$$"
tmuxc() { tmux -L "$SOCK" "$@"; }
cleanup_tmux() { tmuxc kill-server 2>/dev/null; observe_cleanup; }
trap cleanup_tmux EXIT
tmuxc -f /dev/null new-session -d -s top -x 150 -y 8 "ip netns exec $NSA $WGX top $IFA" || fail "tmux"
screen() { tmuxc capture-pane -p -t top; }
shows() { screen | grep -q -- "$1"; }
wait_for 50 shows "13 peers (1-5)" || { screen; fail "live screen not drawn"; }
screen | grep -q '^INTERFACE *PEER' || { screen; fail "no header on the live screen"; }
tmuxc send-keys -t top Down
wait_for 30 shows "13 peers (2-6)" || { screen; fail "Down did not scroll"; }
tmuxc send-keys -t top Down Down Up
wait_for 30 shows "13 peers (3-7)" || { screen; fail "Down Down Up"; }
tmuxc send-keys -t top q
gone() { ! tmuxc has-session -t top 2>/dev/null; }
wait_for 30 gone || { screen; fail "q did not quit"; }
note "live screen: drawn, scrolled, quit"
echo "PASS"
