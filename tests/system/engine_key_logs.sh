#!/usr/bin/env bash
# Hardening issue, item 6: keys never reach the logs. Two wgx-engines at LOG_LEVEL=verbose run a
# full handshake with a preshared key, carry data, then rekey twice over UAPI: a new preshared
# key, and a new private key on one side (the other side re-adds it as a new peer), each followed
# by a fresh handshake and data. Every private and preshared key used, in base64 (with and without
# padding) and in hex (both cases), must be absent from both engines' logs.
. "$(dirname "$0")/engine_lib.bash"
make_pair
tunnel_pair wgx wgx
PSK1=$(wg genpsk)
wg_in "$NSA" set "$IFA" peer "$PB" preshared-key "$(keyfile "$PSK1")" || fail "psk A"
wg_in "$NSB" set "$IFB" peer "$PA" preshared-key "$(keyfile "$PSK1")" || fail "psk B"
ping_ok "$NSA" 198.51.100.2 || fail "no ping after the first handshake"
hs1=$(latest_handshake "$NSA" "$IFA" "$PB")

# Rekey 1: a new preshared key on both sides (what the next handshake uses).
PSK2=$(wg genpsk)
wg_in "$NSA" set "$IFA" peer "$PB" preshared-key "$(keyfile "$PSK2")" || fail "psk2 A"
wg_in "$NSB" set "$IFB" peer "$PA" preshared-key "$(keyfile "$PSK2")" || fail "psk2 B"

# Rekey 2: A gets a new private key (which expires its sessions); B replaces A's old peer entry.
KA2=$(genkey); PA2=$(pubkey "$KA2")
wg_in "$NSA" set "$IFA" private-key "$(keyfile "$KA2")" || fail "new private key A"
wg_in "$NSB" set "$IFB" peer "$PA" remove \
    peer "$PA2" preshared-key "$(keyfile "$PSK2")" endpoint 192.0.2.1:51820 \
    allowed-ips 198.51.100.1/32,fd00:2::1/128 || fail "B re-adds A"
wait_for 30 ping_ok "$NSA" 198.51.100.2 1 || fail "no ping after the rekey"
hs2=$(latest_handshake "$NSB" "$IFB" "$PA2")
[ -n "$hs2" ] && [ "$hs2" != 0 ] || fail "no handshake with A's new key"
ping_ok "$NSB" 198.51.100.1 || fail "no ping B -> A after the rekey"
note "handshakes: first at $hs1, after the rekey at $hs2"

logs=("$TMP/$IFA.log" "$TMP/$IFB.log")
lines=$(cat "${logs[@]}" | wc -l)
[ "$lines" -gt 5 ] || fail "the verbose logs are nearly empty ($lines lines): nothing was checked"
forms() { # every textual form of a base64 key
    python3 -c 'import base64,sys
k = sys.argv[1]; raw = base64.b64decode(k)
for f in (k, k.rstrip("="), raw.hex(), raw.hex().upper()): print(f)' "$1"
}
status=0
for key in "$KA" "$KB" "$KA2" "$PSK1" "$PSK2"; do
    while read -r form; do
        if grep -qF -- "$form" "${logs[@]}"; then
            note "FAIL: a key appears in the logs as $form"
            status=1
        fi
    done < <(forms "$key")
done
note "checked $lines log lines for 5 keys in 4 forms each"
((status == 0)) && echo "PASS: engine_key_logs"
exit $status
