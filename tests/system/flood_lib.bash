# Shared by tests/system/engine_flood.sh and tools/bench.d/flood.sh (sourced, not a test): a
# handshake-initiation flood with valid MAC1 (tools/bench.d/handshake_flood.py) at an engine
# with one established peer, while that peer pings through the tunnel.
#
#   NSB (peer, wgx-engine) --veth-- NSA (engine under test) --veth-- NSC (attacker)
#   198.51.100.2 over 192.0.2.2     198.51.100.1, 192.0.2.1,          203.0.113.10-25 (flood),
#                                   203.0.113.1                       203.0.113.30 (new peer)

. "$(dirname "${BASH_SOURCE[0]}")/engine_lib.bash"
FLOOD_GEN=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/tools/bench.d/handshake_flood.py
[ -r "$FLOOD_GEN" ] || skip "no $FLOOD_GEN"

# flood_setup IMPL: the topology above with IMPL (wgx, go or a path) as the engine in NSA and
# the tunnel to NSB established (one ping answered).
flood_setup() {
    make_pair
    make_ns c NSC
    ip link add vA2 netns "$NSA" type veth peer name vC netns "$NSC" || fail "veth to NSC"
    ip -n "$NSA" addr add 203.0.113.1/24 dev vA2
    # The new peer's address first: it is the one its engine sends from.
    ip -n "$NSC" addr add 203.0.113.30/24 dev vC
    local i
    for i in $(seq 10 25); do ip -n "$NSC" addr add "203.0.113.$i/24" dev vC; done
    ip -n "$NSA" link set vA2 up
    ip -n "$NSC" link set vC up
    tunnel_pair "$1" wgx
    wait_for 50 ping_ok "$NSB" 198.51.100.1 1 || fail "tunnel NSB -> NSA does not carry pings"
}

# rss_kib PID: resident set size in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# flood_run COUNT SECONDS: floods NSA's engine (at most COUNT initiations, at most SECONDS)
# while NSB pings 198.51.100.1 every 10 ms. Sets FLOOD_JSON (the generator's summary),
# PING_SENT, PING_RECEIVED, RSS_BEFORE and RSS_PEAK (KiB, of $PIDA).
flood_run() {
    local count=$1 secs=$2
    RSS_BEFORE=$(rss_kib "$PIDA")
    ( peak=0; end=$((SECONDS + secs + 4))
      while ((SECONDS < end)); do r=$(rss_kib "$PIDA"); ((r > peak)) && peak=$r; echo "$peak" >"$TMP/rss_peak"; sleep 0.2; done ) &
    local sampler=$!
    ip netns exec "$NSB" ping -n -q -i 0.01 -c $((secs * 100)) -w $((secs + 3)) 198.51.100.1 \
        >"$TMP/ping.txt" 2>&1 &
    local pinger=$!
    ip netns exec "$NSC" python3 "$FLOOD_GEN" "$PA" 203.0.113.1 51820 "$count" "$secs" \
        $(for i in $(seq 10 25); do echo "203.0.113.$i"; done) >"$TMP/flood.json" 2>"$TMP/flood.err" ||
        { cat "$TMP/flood.err"; fail "flood generator failed"; }
    wait "$pinger"
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
    FLOOD_JSON=$(cat "$TMP/flood.json")
    RSS_PEAK=$(cat "$TMP/rss_peak" 2>/dev/null || echo 0)
    read -r PING_SENT PING_RECEIVED < <(awk '/packets transmitted/ { print $1, $4 }' "$TMP/ping.txt")
    : "${PING_SENT:=0}" "${PING_RECEIVED:=0}"
}

# json_get KEY [SUBKEY]: a field of FLOOD_JSON.
json_get() {
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); v=d[sys.argv[2]]
if len(sys.argv) > 3: v = v.get(sys.argv[3], 0)
print(v if not isinstance(v, dict) else " ".join(f"{k}B:{n}" for k, n in v.items()) or "none")' "$FLOOD_JSON" "$@"
}
