#!/usr/bin/env bash
# Hardening issue, item 1: a handshake flood (valid MAC1, 16 source addresses, bounded count and
# time) at wgx-engine with one established peer. Asserts what does not depend on the machine's
# speed: the engine answers the flood with 64-byte cookie replies only; its memory stays
# bounded; a new legitimate peer completes a handshake during the flood within 3 retries (it
# must answer the cookie); the established tunnel still carries at least 80% of its pings.
# The speed target (< 1% loss) is `tools/bench flood`'s.
. "$(dirname "$0")/flood_lib.bash"
command -v python3 >/dev/null || skip "no python3"

COUNT=${WGX_FLOOD_COUNT:-4000000}
SECS=${WGX_FLOOD_SECONDS:-25}
flood_setup wgx

# The new peer D: wgx-engine in NSC, known to A, not yet handshaken.
IFD="wgxD$TAG"
KD=$(genkey); PD=$(pubkey "$KD")
start_engine wgx "$NSC" "$IFD"
wg_in "$NSA" set "$IFA" peer "$PD" allowed-ips 198.51.100.3/32 || fail "wg set A peer D"
wg_in "$NSC" set "$IFD" private-key "$(keyfile "$KD")" \
    peer "$PA" endpoint 203.0.113.1:51820 allowed-ips 198.51.100.1/32 || fail "wg set D"
ip -n "$NSC" addr add 198.51.100.3/24 dev "$IFD"
ip -n "$NSC" link set "$IFD" up

# Two seconds into the flood, D starts its handshake (a keepalive needs one); REKEY_TIMEOUT is
# 5 s plus up to 1/3 s jitter, so the first attempt and 3 retries take at most ~21.5 s.
(
    sleep 2
    wg_in "$NSC" set "$IFD" peer "$PA" persistent-keepalive 25
    start=$SECONDS
    while ((SECONDS - start < 22)); do
        hs=$(latest_handshake "$NSC" "$IFD" "$PA")
        if [ -n "$hs" ] && [ "$hs" != 0 ]; then echo "$((SECONDS - start))" >"$TMP/d_handshake"; exit 0; fi
        sleep 0.2
    done
) &
watcher=$!
flood_run "$COUNT" "$SECS"
wait "$watcher"

note "flood: $FLOOD_JSON"
note "pings through the established tunnel: $PING_RECEIVED of $PING_SENT"
note "engine RSS: $RSS_BEFORE KiB before, $RSS_PEAK KiB peak"
status=0
replies=$(json_get replies)
sent=$(json_get sent)
[ "$sent" -gt 0 ] || fail "the generator sent nothing"
if [ "$replies" = none ]; then
    note "FAIL: no reply at all to $sent initiations (the engine never went under load, or died)"
    status=1
elif [ "$replies" != "64B:$(json_get replies 64)" ]; then
    note "FAIL: replies other than 64-byte cookie replies: $replies"
    status=1
fi
if ((RSS_PEAK - RSS_BEFORE > 50 * 1024)); then
    note "FAIL: RSS grew by $((RSS_PEAK - RSS_BEFORE)) KiB during the flood (bound: 50 MiB)"
    status=1
fi
if [ -s "$TMP/d_handshake" ]; then
    d_at=$(cat "$TMP/d_handshake")
    note "new peer's handshake completed $d_at s after it started (2 s into the flood)"
    if python3 -c "import sys; sys.exit(0 if $d_at + 2 < float('$(json_get seconds)') else 1)"; then :; else
        note "FAIL: the new peer's handshake completed only after the flood ended"
        status=1
    fi
else
    note "FAIL: the new peer did not complete a handshake within 3 retries during the flood"
    status=1
fi
if ((PING_SENT == 0 || PING_RECEIVED * 100 < PING_SENT * 80)); then
    note "FAIL: the established tunnel carried $PING_RECEIVED of $PING_SENT pings (< 80%)"
    status=1
fi
kill -0 "$PIDA" 2>/dev/null || { note "FAIL: the engine died"; status=1; }
wg_in "$NSA" show "$IFA" >/dev/null || { note "FAIL: the engine's UAPI does not answer"; status=1; }
((status == 0)) && echo "PASS: engine_flood"
exit $status
