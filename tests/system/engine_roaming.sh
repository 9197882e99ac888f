#!/usr/bin/env bash
# Roaming: the peer's outer address and port change; traffic continues and wgx-engine's endpoint
# for it follows (both for wireguard-go and for wgx-engine as the roaming peer).
. "$(dirname "$0")/engine_lib.bash"
make_pair
for impl in go wgx; do
    tunnel_pair wgx "$impl" 4
    ping_ok "$NSB" 198.51.100.1 || fail "$impl: initial ping"
    wg_in "$NSA" show "$IFA" endpoints | grep -q "192.0.2.2:51821" || fail "$impl: initial endpoint"
    # B moves: new outer address, new port.
    ip -n "$NSB" addr del 192.0.2.2/24 dev vB
    ip -n "$NSB" addr add 192.0.2.3/24 dev vB
    wg_in "$NSB" set "$IFB" listen-port 51833
    ping_ok "$NSB" 198.51.100.1 || fail "$impl: ping after roaming"
    wg_in "$NSA" show "$IFA" endpoints | grep -q "192.0.2.3:51833" ||
        fail "$impl: endpoint did not follow: $(wg_in "$NSA" show "$IFA" endpoints)"
    ping_ok "$NSA" 198.51.100.2 || fail "$impl: A->B after roaming"
    kill "$PIDA" "$PIDB"; wait "$PIDA" "$PIDB" 2>/dev/null
    wait_for 30 test ! -e "/var/run/wireguard/$IFA.sock"
    wait_for 30 test ! -e "/var/run/wireguard/$IFB.sock"
    ip -n "$NSB" addr del 192.0.2.3/24 dev vB
    ip -n "$NSB" addr add 192.0.2.2/24 dev vB
done
echo "PASS"
