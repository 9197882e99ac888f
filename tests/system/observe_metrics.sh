#!/usr/bin/env bash
# wgx show all --format=prometheus and wgx metrics (--listen, --textfile): the exposition passes
# `promtool check metrics`, carries names and counters of wgx-engine and wireguard-go peers, is
# scraped over HTTP by curl from another namespace, and the textfile is replaced atomically.
source "$(dirname "$0")/observe_lib.bash"
command -v wireguard-go >/dev/null || skip "no wireguard-go"
command -v curl >/dev/null || skip "no curl (tools/bootstrap installs it)"
PROMTOOL=$(command -v promtool || echo /opt/wgx-tools/bin/promtool)
[ -x "$PROMTOOL" ] || skip "no promtool (tools/bootstrap extracts it to /opt/wgx-tools/bin)"

make_pair
tunnel_pair wgx go
printf '[Peer]\n# Name = beta\nPublicKey = %s\n' "$PB" >"/etc/wireguard/$IFA.conf"
printf '[Peer]\n# Name = alpha\nPublicKey = %s\n' "$PA" >"/etc/wireguard/$IFB.conf"
ping_ok "$NSA" 198.51.100.2 || fail "no tunnel"

promcheck() { # FILE
    "$PROMTOOL" check metrics <"$1" >"$TMP/promtool.out" 2>&1 ||
        { cat "$TMP/promtool.out" "$1"; fail "promtool check metrics $1"; }
}
# sample_value FILE METRIC LABELS: the value of one sample.
sample_value() { awk -v k="$2{$3}" '$1 == k { print $2 }' "$1"; }

# 1. show all --format=prometheus: both engines' peers, with names.
wgx_in "$NSA" show all --format=prometheus >"$TMP/all.prom" || fail "show all --format=prometheus"
promcheck "$TMP/all.prom"
for side in "$IFA $PB beta" "$IFB $PA alpha"; do
    set -- $side
    labels="interface=\"$1\",public_key=\"$2\",name=\"$3\""
    for m in wgx_peer_receive_bytes_total wgx_peer_transmit_bytes_total wgx_peer_latest_handshake_seconds; do
        v=$(sample_value "$TMP/all.prom" "$m" "$labels")
        [ -n "$v" ] && [ "$v" -gt 0 ] || fail "$m{$labels} = '$v'"
    done
    [ "$(sample_value "$TMP/all.prom" wgx_peer_status "$labels,status=\"active\"")" = 1 ] || fail "$1: not active"
    [ "$(sample_value "$TMP/all.prom" wgx_interface_peers "interface=\"$1\",status=\"active\"")" = 1 ] || fail "$1: peer count"
done
wgx_in "$NSB" show "$IFB" --format=prometheus --stale-after 1 >/dev/null || fail "show IF --format=prometheus"
note "show --format=prometheus passes promtool (wgx-engine and wireguard-go)"

# 2. metrics --listen, scraped by curl from the other namespace.
ip netns exec "$NSA" "$WGX" metrics --listen 192.0.2.1:9586 >"$TMP/metrics.log" 2>&1 &
METRICS_PID=$!
CLEAN_PIDS+=("$METRICS_PID")
wait_for 50 ip netns exec "$NSB" curl -sf -o /dev/null http://192.0.2.1:9586/metrics ||
    { cat "$TMP/metrics.log"; fail "metrics server does not answer"; }
ip netns exec "$NSB" curl -sf -D "$TMP/headers" http://192.0.2.1:9586/metrics >"$TMP/scrape.prom" ||
    fail "curl scrape"
promcheck "$TMP/scrape.prom"
grep -qi '^content-type: text/plain; version=0.0.4' "$TMP/headers" || fail "content type: $(cat "$TMP/headers")"
v=$(sample_value "$TMP/scrape.prom" wgx_peer_transmit_bytes_total "interface=\"$IFA\",public_key=\"$PB\",name=\"beta\"")
[ -n "$v" ] && [ "$v" -gt 0 ] || fail "scraped tx of beta = '$v'"
code=$(ip netns exec "$NSB" curl -s -o /dev/null -w '%{http_code}' http://192.0.2.1:9586/nothing)
[ "$code" = 404 ] || fail "GET /nothing gave $code"
kill "$METRICS_PID"; wait "$METRICS_PID"; rc=$?
[ "$rc" = 0 ] || fail "metrics --listen exited $rc on SIGTERM"
note "metrics --listen scraped over HTTP from another namespace"

# 3. metrics --textfile: once, then every second; the file is always whole and replaced.
mkdir -p "$TMP/textfile"
wgx_in "$NSA" metrics --textfile "$TMP/textfile/wgx.prom" || fail "metrics --textfile"
promcheck "$TMP/textfile/wgx.prom"
[ "$(stat -c %a "$TMP/textfile/wgx.prom")" = 644 ] || fail "textfile mode $(stat -c %a "$TMP/textfile/wgx.prom")"
inode=$(stat -c "%i %y" "$TMP/textfile/wgx.prom")
ip netns exec "$NSA" "$WGX" metrics --textfile "$TMP/textfile/wgx.prom" --interval 1 &
TEXT_PID=$!
CLEAN_PIDS+=("$TEXT_PID")
replaced() { [ "$(stat -c "%i %y" "$1")" != "$2" ]; }
wait_for 40 replaced "$TMP/textfile/wgx.prom" "$inode" || fail "textfile not rewritten"
inode=$(stat -c "%i %y" "$TMP/textfile/wgx.prom")
wait_for 40 replaced "$TMP/textfile/wgx.prom" "$inode" || fail "textfile not rewritten every second"
promcheck "$TMP/textfile/wgx.prom"
kill "$TEXT_PID"; wait "$TEXT_PID"; rc=$?
[ "$rc" = 0 ] || fail "metrics --textfile exited $rc on SIGTERM"
[ "$(ls "$TMP/textfile")" = wgx.prom ] || fail "left behind: $(ls "$TMP/textfile")"
wgx_in "$NSA" metrics --textfile 2>/dev/null && fail "metrics --textfile without a path accepted"
wgx_in "$NSA" metrics --listen nowhere 2>/dev/null && fail "metrics --listen nowhere accepted"
note "metrics --textfile written atomically"
echo "PASS"
