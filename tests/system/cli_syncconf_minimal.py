#!/usr/bin/env python3
"""`wgx syncconf` sends only the differences: against a replay server holding three peers, the
one request it sends must remove the peer the file dropped, change the one that changed, add
the new one, and not mention the untouched peer (so its session survives). wg 1.0.20210914's
rule is kept: a preshared key or keepalive the file does not mention is left alone."""
import base64
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli_lib"))
import wgxtest as t  # noqa: E402

t.require_root_and_tools("unshare")
t.private_socket_dir()

tmp = tempfile.TemporaryDirectory()
keys = t.KeyStore(tmp.name)
priv = keys.pair()[0]
same, changed, dropped, added = (keys.pair()[1] for _ in range(4))
psk = keys.psk()


def hx(b64):
    return base64.b64decode(b64).hex()


state = f"""private_key={hx(priv)}
listen_port=51820
public_key={hx(same)}
endpoint=192.0.2.1:1
persistent_keepalive_interval=25
allowed_ip=10.0.0.0/24
public_key={hx(changed)}
preshared_key={hx(psk)}
persistent_keepalive_interval=5
allowed_ip=10.0.1.0/24
public_key={hx(dropped)}
allowed_ip=10.0.2.0/24
errno=0

"""
conf = f"""[Interface]
PrivateKey = {priv}
ListenPort = 51820

[Peer]
PublicKey = {same}
Endpoint = 192.0.2.1:1
PersistentKeepalive = 25
AllowedIPs = 10.0.0.0/24

[Peer]
PublicKey = {changed}
AllowedIPs = 10.0.1.0/24, 10.0.3.0/24

[Peer]
PublicKey = {added}
AllowedIPs = 10.0.4.0/24
"""
server = t.ReplayServer(f"wgxs{t.tag()}", state)
diff = t.Differences()
try:
    path = keys.file(conf)
    rc, out, err = t.run([t.WGX, "syncconf", server.name, path])
    diff.compare("exit code and output", (rc, out, err), (0, b"", b""))
    sets = [r.decode() for r in server.requests if r.startswith(b"set=1")]
    diff.compare("one set request", len(sets), 1)
    if sets:
        req = sets[0]
        blocks = {}
        current = None
        for line in req.split("\n"):
            if line.startswith("public_key="):
                current = line.split("=", 1)[1]
                blocks[current] = []
            elif current:
                blocks[current].append(line)
        diff.compare("untouched peer not mentioned", hx(same) in blocks, False)
        diff.compare("dropped peer removed", blocks.get(hx(dropped)), ["remove=true"])
        diff.compare("changed peer: new list only (psk and keepalive kept)",
                     sorted(l for l in blocks.get(hx(changed), []) if l),
                     ["allowed_ip=10.0.1.0/24", "allowed_ip=10.0.3.0/24",
                      "replace_allowed_ips=true"])
        diff.compare("new peer added", hx(added) in blocks, True)
        diff.compare("no replace_peers, no device changes",
                     [l for l in req.split("\n") if l.startswith(("replace_peers", "private_key",
                                                                   "listen_port"))], [])
        # A file identical to the state sends nothing at all.
    server.requests.clear()
    same_conf = keys.file(conf.replace("AllowedIPs = 10.0.1.0/24, 10.0.3.0/24",
                                       "AllowedIPs = 10.0.1.0/24").replace(
        f"[Peer]\nPublicKey = {added}\nAllowedIPs = 10.0.4.0/24\n",
        f"[Peer]\nPublicKey = {dropped}\nAllowedIPs = 10.0.2.0/24\n"))
    rc, out, err = t.run([t.WGX, "syncconf", server.name, same_conf])
    diff.compare("no-op syncconf", (rc, [r for r in server.requests if r.startswith(b"set=1")]),
                 (0, []))
finally:
    server.close()
diff.finish("syncconf sends only differences")
