#!/usr/bin/env bash
# Handshake flood (hardening issue, item 1): valid-MAC1 initiations from 16 source addresses in
# a namespace at an engine with one established peer, while that peer pings through the tunnel
# every 10 ms. Prints, per engine, the flood rate, the ping loss and the replies by size, for
# wgx-engine, Debian's wireguard-go and the newest wireguard-go (../shared/anchors) when there.
# Bounded: WGX_FLOOD_COUNT initiations (default 2,000,000) within WGX_FLOOD_SECONDS (13).
# Needs root (namespaces).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${WGX_FLOOD_COUNT:-2000000}
secs=${WGX_FLOOD_SECONDS:-13}

if [[ ${1:-} == --one ]]; then
	. "$root/tests/system/flood_lib.bash"
	flood_setup "$2"
	flood_run "$count" "$secs"
	loss=$(awk -v s="$PING_SENT" -v r="$PING_RECEIVED" 'BEGIN { printf "%.1f", s ? 100 * (s - r) / s : 100 }')
	printf '%-34s %9s init in %5ss  ping loss %5s%% (%s/%s)  RSS +%s KiB  replies: %s\n' \
		"$3" "$(json_get sent)" "$(json_get seconds)" "$loss" "$((PING_SENT - PING_RECEIVED))" \
		"$PING_SENT" "$((RSS_PEAK - RSS_BEFORE))" "$(json_get replies)"
	exit 0
fi

[[ $(id -u) == 0 ]] || { echo "flood bench: needs root, skipped"; exit 0; }
echo "flood: <= $count valid-MAC1 initiations in <= ${secs}s from 16 addresses; ping every 10 ms"
"$0" --one wgx "wgx-engine"
command -v wireguard-go >/dev/null && "$0" --one go "wireguard-go $(dpkg-query -W -f='${Version}' wireguard-go 2>/dev/null)"
anchor=$root/../shared/anchors/wireguard-go-0.0.20250522
[[ -x $anchor ]] || anchor=/work/shared/anchors/wireguard-go-0.0.20250522
[[ -x $anchor ]] && "$0" --one "$anchor" "wireguard-go 0.0.20250522 (anchor)"
exit 0
