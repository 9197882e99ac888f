#!/bin/bash
# The systemd-resolved backend against a recording stand-in for org.freedesktop.resolve1 on a
# private system bus: the exact D-Bus calls and their arguments for a full tunnel, split DNS
# with a ~ domain, and IPv6 servers; RevertLink at down, at the rollback of a failed up, and at
# down after wgx-quick was killed with SIGKILL in the middle of up. No residue anywhere.
source "$(dirname "$0")/quick_lib.bash"
source "$(dirname "$0")/quick_dns_lib.bash"
quick_init
dns_require
dns_bus "$QUICK_TMP/bus"

# A hook that tells the test the interface's index (what the calls carry).
head="[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24, fd00:2::1/64
PostUp = cat /sys/class/net/%i/ifindex > \$QUICK_MARKERS/ifindex"

# run_resolved NAME CONFIG ACTIONS [FAILING_METHOD]: one run with a fresh stub; sets D and IDX.
run_resolved() {
	local name="$1" text="$2" actions="$3" fail="${4:-}"
	D="$QUICK_TMP/$name"
	dns_stub "$D/stub" "$fail"
	QUICK_EXTRA_ENV="DBUS_SYSTEM_BUS_ADDRESS=$DNS_BUS QUICK_UP_OPTIONS=${UP_OPTIONS:-}" \
		quick_run wgx-quick "$text" "$D" "$actions" || quick_fail "$name: run failed: $(cat "$D/inner.log")"
	IDX="$(cat "$D/markers/ifindex" 2>/dev/null)"
	[[ -n $IDX ]] || IDX="?"
	kill "${DNS_PIDS[-1]}" 2>/dev/null
	wait "${DNS_PIDS[-1]}" 2>/dev/null
}

# 1. Full tunnel, IPv4 and IPv6 servers and a search domain: DNS, domains, default route; down
#    reverts the link. Chosen automatically (resolve1 is owned on the bus), though resolvconf is
#    installed (the stub on PATH): it must not be called.
full="$head
DNS = 198.51.100.53, fd00:53::1, corp.example

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 203.0.113.7:51820"
run_resolved full "$full" "up down"
[[ $(cat "$D/rc-1-up") == 0 ]] || { quick_fail "full: up failed:"; cat "$D/stderr-1-up"; }
dns_expect_calls full "$D/stub/calls" "SetLinkDNS $IDX 2:198.51.100.53 10:fd00:53::1
SetLinkDomains $IDX corp.example:search
SetLinkDefaultRoute $IDX true
RevertLink $IDX"
grep -qxF "[#] resolvectl dns $QUICK_IF 198.51.100.53 fd00:53::1" "$D/stderr-1-up" || quick_fail "full: resolvectl dns not echoed"
grep -qxF "[#] resolvectl domain $QUICK_IF corp.example" "$D/stderr-1-up" || quick_fail "full: resolvectl domain not echoed"
grep -qxF "[#] resolvectl default-route $QUICK_IF true" "$D/stderr-1-up" || quick_fail "full: default-route not echoed"
grep -qxF "[#] resolvectl revert $QUICK_IF" "$D/stderr-2-down" || quick_fail "full: revert not echoed at down"
[[ ! -e $D/resolv/log ]] || quick_fail "full: resolvconf was called: $(cat "$D/resolv/log")"
quick_residue "$D" after-2-down
echo "full: $(head -n 1 "$D/stub/calls")"

# 2. Split DNS: a ~ domain is routing-only, and then the link is no default route even though
#    the tunnel carries 0.0.0.0/0.
split="$head
DNS = 198.51.100.53, corp.example, ~internal.example

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0
Endpoint = 203.0.113.7:51820"
run_resolved split "$split" "up down"
[[ $(cat "$D/rc-1-up") == 0 ]] || { quick_fail "split: up failed:"; cat "$D/stderr-1-up"; }
dns_expect_calls split "$D/stub/calls" "SetLinkDNS $IDX 2:198.51.100.53
SetLinkDomains $IDX corp.example:search internal.example:routing
RevertLink $IDX"
grep -qxF "[#] resolvectl domain $QUICK_IF corp.example ~internal.example" "$D/stderr-1-up" || quick_fail "split: resolvectl domain not echoed"
quick_residue "$D" after-2-down

# 3. IPv6 servers only, a split tunnel, no domains: only SetLinkDNS (resolved decides the rest).
v6="$head
DNS = fd00:53::1, fd00:53::2

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 192.0.2.0/24, fd00:2::/64
Endpoint = 203.0.113.7:51820"
run_resolved v6 "$v6" "up down"
[[ $(cat "$D/rc-1-up") == 0 ]] || { quick_fail "v6: up failed:"; cat "$D/stderr-1-up"; }
dns_expect_calls v6 "$D/stub/calls" "SetLinkDNS $IDX 10:fd00:53::1 10:fd00:53::2
RevertLink $IDX"
quick_residue "$D" after-2-down

# 4. A failing PostUp: the rollback reverts the link (and everything else).
run_resolved failed-up "$full
[Interface]
PostUp = false" "up"
[[ $(cat "$D/rc-1-up") != 0 ]] || quick_fail "failed-up: up succeeded"
dns_expect_calls failed-up "$D/stub/calls" "SetLinkDNS $IDX 2:198.51.100.53 10:fd00:53::1
SetLinkDomains $IDX corp.example:search
SetLinkDefaultRoute $IDX true
RevertLink $IDX"
grep -qxF "[#] resolvectl revert $QUICK_IF" "$D/stderr-1-up" || quick_fail "failed-up: the revert was not echoed"
quick_residue "$D" after-1-up

# 5. resolved refuses SetLinkDomains: up fails with its message and still reverts the link.
run_resolved refused "$full" "up" SetLinkDomains
[[ $(cat "$D/rc-1-up") != 0 ]] || quick_fail "refused: up succeeded"
grep -q "systemd-resolved SetLinkDomains: stub told to fail SetLinkDomains" "$D/stderr-1-up" ||
	{ quick_fail "refused: no message naming the call:"; cat "$D/stderr-1-up"; }
IDX="$(sed -n 's/^SetLinkDNS \([0-9]*\) .*/\1/p' "$D/stub/calls")"
dns_expect_calls refused "$D/stub/calls" "SetLinkDNS $IDX 2:198.51.100.53 10:fd00:53::1
SetLinkDomains $IDX corp.example:search
RevertLink $IDX"
quick_residue "$D" after-1-up

# 6. wgx-quick killed with SIGKILL in the middle of up (DNS set, PostUp running): down reverts.
run_resolved killed "$full
[Interface]
PostUp = echo \$\$ > \$QUICK_MARKERS/in-post-up; exec sleep 20" "up-kill9 down"
dns_expect_calls killed "$D/stub/calls" "SetLinkDNS $IDX 2:198.51.100.53 10:fd00:53::1
SetLinkDomains $IDX corp.example:search
SetLinkDefaultRoute $IDX true
RevertLink $IDX"
[[ $(cat "$D/rc-2-down") == 0 ]] || { quick_fail "killed: down failed:"; cat "$D/stderr-2-down"; }
quick_residue "$D" after-2-down

# 7. save keeps the DNS line (resolved is not asked back; the file's servers stand), and reload
#    leaves the link as up set it: no call between up's and down's.
run_resolved save-reload "$split" "up save reload down"
for step in 2-save 3-reload; do
	[[ $(cat "$D/rc-$step") == 0 ]] || { quick_fail "save-reload: $step failed:"; cat "$D/stderr-$step"; }
done
grep -qx "DNS = 198.51.100.53, corp.example, ~internal.example" "$D/conf/$QUICK_IF.conf" ||
	{ quick_fail "save-reload: save changed the DNS line:"; grep DNS "$D/conf/$QUICK_IF.conf"; }
dns_expect_calls save-reload "$D/stub/calls" "SetLinkDNS $IDX 2:198.51.100.53
SetLinkDomains $IDX corp.example:search internal.example:routing
RevertLink $IDX"
quick_residue "$D" after-4-down

# 8. A DNS server resolved cannot take (not an IP address): refused before any call.
run_resolved not-an-address "$head
DNS = 198.51.100.53, fe80::53%uplink0

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 192.0.2.0/24
Endpoint = 203.0.113.7:51820" "up"
[[ $(cat "$D/rc-1-up") != 0 ]] || quick_fail "not-an-address: up succeeded"
grep -q "DNS server \`fe80::53%uplink0' is not an IP address" "$D/stderr-1-up" ||
	{ quick_fail "not-an-address: message:"; cat "$D/stderr-1-up"; }
dns_expect_calls not-an-address "$D/stub/calls" ""
quick_residue "$D" after-1-up

quick_finish
