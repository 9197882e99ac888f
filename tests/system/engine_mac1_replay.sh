#!/usr/bin/env bash
# What gets no answer: datagrams without a valid MAC1 (random bytes, a malformed initiation, an
# initiation addressed to another public key) and, when not under load, an initiation with a
# valid MAC1 that fails to decrypt. And a replayed transport packet is not delivered to the TUN
# and does not move the peer's endpoint. A python relay between the two engines records the
# transport packets to replay.
. "$(dirname "$0")/engine_lib.bash"
make_pair
tunnel_pair wgx wgx 4
# B reaches A only through the relay at 192.0.2.2:40000 (A sees B as 192.0.2.2:40001).
wg_in "$NSB" set "$IFB" peer "$PA" endpoint 192.0.2.2:40000
wg_in "$NSA" set "$IFA" peer "$PB" endpoint 192.0.2.2:40001

ip netns exec "$NSB" python3 - "$PA" "$NSA" "$IFA" "$PB" <<'PY' || fail "see above"
import base64, hashlib, os, select, socket, subprocess, sys, threading, time, json
pub_a, ns_a, if_a, pub_b = sys.argv[1:5]
A = ("192.0.2.1", 51820)

def mac1(msg_without_macs, pubkey):
    key = hashlib.blake2s(b"mac1----" + pubkey).digest()
    return hashlib.blake2s(msg_without_macs, digest_size=16, key=key).digest()

def no_reply(payload, what):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("192.0.2.2", 0))
    s.sendto(payload, A)
    r, _, _ = select.select([s], [], [], 1.0)
    if r:
        print("FAIL: reply to", what); sys.exit(1)
    s.close()

pa = base64.b64decode(pub_a)
no_reply(os.urandom(200), "random bytes")
no_reply(b"\x01\x00\x00\x00" + os.urandom(144), "initiation with a random MAC1")
no_reply(b"\x01\x00\x00\x00" + os.urandom(100), "truncated initiation")
body = b"\x01\x00\x00\x00" + os.urandom(112)
no_reply(body + mac1(body, os.urandom(32)) + bytes(16), "initiation for another public key")
body = b"\x01\x00\x00\x00" + os.urandom(112)
no_reply(body + mac1(body, pa) + bytes(16), "wrongly keyed initiation with a valid MAC1")
body = b"\x01\x01\x00\x00" + os.urandom(112)
no_reply(body + mac1(body, pa) + bytes(16), "initiation with nonzero reserved bytes")

# The relay.
front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); front.bind(("192.0.2.2", 40000))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); back.bind(("192.0.2.2", 40001))
recorded, peer_b, stop = [], [None], [False]
def relay():
    while not stop[0]:
        r, _, _ = select.select([front, back], [], [], 0.1)
        for s in r:
            data, addr = s.recvfrom(65536)
            if s is front:
                peer_b[0] = addr
                if data[0] == 4 and len(data) > 32:
                    recorded.append(data)
                back.sendto(data, A)
            elif peer_b[0]:
                front.sendto(data, peer_b[0])
t = threading.Thread(target=relay, daemon=True); t.start()

ping = subprocess.run(["ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "2", "-w", "8",
                       "198.51.100.1"], capture_output=True)
if ping.returncode != 0 or not recorded:
    print("FAIL: no tunnel through the relay"); sys.exit(1)
time.sleep(0.5)

def tun_rx():
    out = subprocess.run(["ip", "-n", ns_a, "-s", "-j", "link", "show", "dev", if_a],
                         capture_output=True, text=True).stdout
    return json.loads(out)[0]["stats64"]["rx"]["packets"]
def endpoint():
    out = subprocess.run(["ip", "netns", "exec", ns_a, "wg", "show", if_a, "endpoints"],
                         capture_output=True, text=True).stdout
    return out.split()[1]

before_rx, before_ep = tun_rx(), endpoint()
if before_ep != "192.0.2.2:40001":
    print("FAIL: unexpected endpoint", before_ep); sys.exit(1)
stop[0] = True; t.join()
replayer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); replayer.bind(("192.0.2.2", 40200))
for pkt in recorded:
    replayer.sendto(pkt, A)   # from a new address: must not roam there
    back.sendto(pkt, A)       # from the known address: still a replay
time.sleep(0.7)
if tun_rx() != before_rx:
    print("FAIL: replayed packets were delivered:", tun_rx() - before_rx); sys.exit(1)
if endpoint() != before_ep:
    print("FAIL: a replay moved the endpoint to", endpoint()); sys.exit(1)
r, _, _ = select.select([replayer], [], [], 0.3)
if r:
    print("FAIL: the replay got an answer"); sys.exit(1)
print("# replayed", len(recorded), "transport packets: none delivered, endpoint unmoved")
PY
echo "PASS"
