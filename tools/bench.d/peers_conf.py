#!/usr/bin/env python3
"""Writes the peer configurations the benchmarks feed to setconf/syncconf.

peers_conf.py N DIR [idle]: DIR/peers.conf holds N peers; DIR/changed.conf is the same with every
100th peer dropped, every 10th with another keepalive and every 50th with other AllowedIPs,
plus N/100 new peers (a syncconf that changes about 12% of them). Keys and prefixes are unique
for up to 2^24 peers. With "idle", peers have no PersistentKeepalive (an engine whose device
is up, as wireguard-go considers it, would otherwise start 100k handshakes at once).
"""
import base64
import sys


def write(path, n, changed, idle):
    with open(path, "w") as f:
        f.write("[Interface]\nListenPort = 0\n"
                "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n")
        for i in range(n + (n // 100 if changed else 0)):
            if changed and i < n and i % 100 == 0:
                continue
            key = base64.b64encode(i.to_bytes(4, "big") + bytes(28)).decode()
            net = i + (1 << 23) if changed and i % 50 == 25 else i
            ka = 30 if changed and i % 10 == 5 else 25
            f.write(f"\n[Peer]\nPublicKey = {key}\n"
                    f"AllowedIPs = 10.{net >> 16 & 255}.{net >> 8 & 255}.{net & 255}/32, "
                    f"fd00::{net >> 16:x}:{net & 0xffff:x}/128\n"
                    f"Endpoint = 192.0.2.{i % 250 + 1}:{1024 + i % 60000}\n")
            if not idle:
                f.write(f"PersistentKeepalive = {ka}\n")


n, out = int(sys.argv[1]), sys.argv[2]
idle = sys.argv[3:] == ["idle"]
write(f"{out}/peers.conf", n, False, idle)
write(f"{out}/changed.conf", n, True, idle)
