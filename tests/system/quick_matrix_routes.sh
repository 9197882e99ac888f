#!/bin/bash
# wgx-quick vs wg-quick (both on wireguard-go): single /32 peer, overlapping prefixes over
# several peers, IPv4+IPv6 addresses with and without prefix length, explicit and automatic MTU.
source "$(dirname "$0")/quick_lib.bash"
quick_init

quick_differential single-peer "[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1
MTU = 1400

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 192.0.2.2/32
Endpoint = 198.51.100.2:51820"

quick_differential overlapping "[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51821
Address = 192.0.2.1/24, fd00:2::1/64
Address = fd00:9::1

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 192.0.2.0/24, 198.51.100.128/25, fd00:3::/48
Endpoint = 198.51.100.2:51820

[Peer]
PublicKey = $QUICK_PEER2
PresharedKey = $QUICK_PSK
AllowedIPs = 198.51.100.200/32, 192.0.2.64/26, fd00:3:1::/64, 203.0.113.0/25, 203.0.113.128/25
Endpoint = 203.0.113.9:51820
PersistentKeepalive = 25

[Peer]
PublicKey = $QUICK_PEER3
AllowedIPs = 198.51.100.129/32, fd00:2::5/128"

quick_finish
