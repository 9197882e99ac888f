#!/usr/bin/env bash
# Preshared keys: the same key on both sides gives a working tunnel (against wireguard-go and
# against wgx-engine); different keys never complete a handshake.
. "$(dirname "$0")/engine_lib.bash"
make_pair
tunnel_pair wgx go 4
PSK=$(wg genpsk); OTHER=$(wg genpsk)

wg_in "$NSA" set "$IFA" peer "$PB" preshared-key "$(keyfile "$PSK")"
wg_in "$NSB" set "$IFB" peer "$PA" preshared-key "$(keyfile "$PSK")"
ping_ok "$NSA" 198.51.100.2 || fail "matching psk: A->B (wgx-engine initiates)"
wg_in "$NSA" show "$IFA" preshared-keys | grep -q "$PSK" || fail "psk not reported"

# Mismatch, with fresh engines so that no session survives from above.
kill "$PIDA" "$PIDB"; wait "$PIDA" "$PIDB" 2>/dev/null
wait_for 30 test ! -e "/var/run/wireguard/$IFA.sock"
wait_for 30 test ! -e "/var/run/wireguard/$IFB.sock"
tunnel_pair wgx go 4
wg_in "$NSA" set "$IFA" peer "$PB" preshared-key "$(keyfile "$PSK")"
wg_in "$NSB" set "$IFB" peer "$PA" preshared-key "$(keyfile "$OTHER")"
ping_ok "$NSA" 198.51.100.2 2 && fail "mismatched psk: A->B got through"
ping_ok "$NSB" 198.51.100.1 2 && fail "mismatched psk: B->A got through"
[ "$(latest_handshake "$NSA" "$IFA" "$PB")" = 0 ] || fail "mismatch: A completed a handshake"
[ "$(latest_handshake "$NSB" "$IFB" "$PA")" = 0 ] || fail "mismatch: B completed a handshake"

# wgx-engine on both sides: matching, then one side changes its key.
kill "$PIDA" "$PIDB"; wait "$PIDA" "$PIDB" 2>/dev/null
wait_for 30 test ! -e "/var/run/wireguard/$IFA.sock"
wait_for 30 test ! -e "/var/run/wireguard/$IFB.sock"
tunnel_pair wgx wgx 4
wg_in "$NSA" set "$IFA" peer "$PB" preshared-key "$(keyfile "$PSK")"
wg_in "$NSB" set "$IFB" peer "$PA" preshared-key "$(keyfile "$PSK")"
ping_ok "$NSB" 198.51.100.1 || fail "matching psk between two wgx-engines"
echo "PASS"
