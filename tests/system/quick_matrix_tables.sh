#!/bin/bash
# wgx-quick vs wg-quick: Table = a number, off, a name from rt_tables, main; a full tunnel
# (0.0.0.0/0 and ::/0) with fwmark, rules, nftables, DNS through a stub resolvconf and hooks.
source "$(dirname "$0")/quick_lib.bash"
quick_init

peers="[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 192.0.2.0/25, fd00:4::/64, 0.0.0.0/1
Endpoint = 198.51.100.2:51820"

quick_differential table-number "[Interface]
PrivateKey = $QUICK_PRIV
Address = 192.0.2.200/24
ListenPort = 51822
Table = 1234

$peers"

quick_differential table-off "[Interface]
PrivateKey = $QUICK_PRIV
Address = 192.0.2.200/24
ListenPort = 51822
Table = off

$peers"

quick_differential table-name "[Interface]
PrivateKey = $QUICK_PRIV
Address = 192.0.2.200/24
ListenPort = 51822
Table = wgxtest

$peers"

quick_differential table-main "[Interface]
PrivateKey = $QUICK_PRIV
Address = 192.0.2.200
ListenPort = 51822
Table = main

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 192.0.2.0/24, 0.0.0.0/1, 128.0.0.0/1, fd00:4::/64
Endpoint = 198.51.100.2:51820"

quick_differential full-tunnel "[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24, fd00:2::1/64
DNS = 192.0.2.53, fd00:2::53, example.test, corp.test
PreUp = echo \"pre-up %i \$INTERFACE \$(basename \$CONFIG_FILE)\" >> \$QUICK_MARKERS/hooks
PostUp = echo \"post-up %i\" >> \$QUICK_MARKERS/hooks; echo @(a|b) > /dev/null
PreDown = echo \"pre-down %i\" >> \$QUICK_MARKERS/hooks
PostDown = echo \"post-down %i\" >> \$QUICK_MARKERS/hooks

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 203.0.113.7:51820"

quick_differential full-tunnel-fwmark "[Interface]
PrivateKey = $QUICK_PRIV
FwMark = 0x1234
ListenPort = 51823
Address = 192.0.2.1

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0
Endpoint = 198.51.100.7:51820"

quick_finish
