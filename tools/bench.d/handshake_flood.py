#!/usr/bin/env python3
"""Handshake-initiation flood with a valid MAC1, for tools/bench flood and the flood system test.

Sends at most COUNT initiations for at most SECONDS to HOST:PORT, round-robin from one UDP socket
per source address given, as fast as one process can. Every message has random ephemeral,
static and timestamp fields (so it never completes a handshake) and a correct MAC1 for the
responder's public key: MAC1 = BLAKE2s-128 keyed with BLAKE2s-256("mac1----" || public key),
over the message up to the MAC1 field. Replies are drained as they come and counted by size;
the summary is one JSON line on stdout: {"sent": N, "seconds": S, "replies": {"64": n, ...}}.

usage: handshake_flood.py PUBKEY_BASE64 HOST PORT COUNT SECONDS SOURCE_ADDRESS...
"""
import base64
import hashlib
import json
import os
import select
import socket
import struct
import sys
import time

MESSAGE_SIZE = 148
MAC1_AT = 116
DISTINCT = 4096  # messages prepared up front, then reused with a fresh sender index


def initiations(responder_public):
    key = hashlib.blake2s(b"mac1----" + responder_public).digest()
    out = []
    for _ in range(DISTINCT):
        body = bytearray(struct.pack("<I", 1) + os.urandom(4 + 32 + 48 + 28))
        mac1 = hashlib.blake2s(bytes(body), digest_size=16, key=key).digest()
        out.append(bytes(body + mac1 + bytes(16)))
    assert all(len(m) == MESSAGE_SIZE for m in out)
    return out


def main():
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    public = base64.b64decode(sys.argv[1])
    host, port = sys.argv[2], int(sys.argv[3])
    count, seconds = int(sys.argv[4]), float(sys.argv[5])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    socks = []
    for source in sys.argv[6:]:
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((source, 0))
        s.setblocking(False)
        socks.append(s)
    messages = initiations(public)
    replies = {}

    def drain():
        ready, _, _ = select.select(socks, [], [], 0)
        for s in ready:
            while True:
                try:
                    data = s.recv(2048)
                except BlockingIOError:
                    break
                replies[len(data)] = replies.get(len(data), 0) + 1

    start = time.monotonic()
    deadline = start + seconds
    sent = 0
    n_socks = len(socks)
    to = (host, port)
    while sent < count:
        if sent % 1024 == 0:
            drain()
            if time.monotonic() >= deadline:
                break
        try:
            socks[sent % n_socks].sendto(messages[sent % DISTINCT], to)
        except (BlockingIOError, ConnectionRefusedError):
            pass
        sent += 1
    elapsed = time.monotonic() - start
    # Late replies (bounded wait).
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        drain()
        time.sleep(0.05)
    print(json.dumps({"sent": sent, "seconds": round(elapsed, 2),
                      "replies": {str(k): v for k, v in sorted(replies.items())}}))


if __name__ == "__main__":
    main()
