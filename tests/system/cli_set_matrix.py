#!/usr/bin/env python3
"""A scripted matrix of `set`, `setconf`, `addconf` and `syncconf` operations, applied once with
wg and once with wgx to fresh wireguard-go devices. After every scenario both devices must hold
the same configuration, each operation must give the same exit code and stderr, and the show
forms of the wgx-configured device (replayed from one recorded reply) must match byte for byte."""
import base64
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli_lib"))
import wgxtest as t  # noqa: E402

t.require_root_and_tools("wireguard-go", "unshare", "ip", "faketime")
t.private_socket_dir()

tmp = tempfile.TemporaryDirectory()
keys = t.KeyStore(tmp.name)
(priv1, pub1), (priv2, pub2) = keys.pair(), keys.pair()
peers = [keys.pair()[1] for _ in range(4)]
P, Q, R, S = peers
psk1, psk2 = keys.psk(), keys.psk()
privfile, privfile2 = keys.file(priv1 + "\n"), keys.file(priv2)
pskfile, pskfile2 = keys.file(psk1 + "\n"), keys.file(psk2)


def conf(*peer_blocks, port=None, mark=None, key=None):
    lines = ["[Interface]"]
    if port is not None:
        lines.append(f"ListenPort = {port}")
    if mark is not None:
        lines.append(f"FwMark = {mark}")
    if key is not None:
        lines.append(f"PrivateKey = {key}")
    text = "\n".join(lines) + "\n"
    for block in peer_blocks:
        text += "\n[Peer]\n" + "\n".join(f"{k} = {v}" for k, v in block.items()) + "\n"
    return text


def many(n, offset=0, changed=False):
    blocks = []
    for i in range(n):
        k = (i + offset).to_bytes(2, "big") + bytes((j * 7) % 256 for j in range(30))
        b = {"PublicKey": base64.b64encode(k).decode(),
             "AllowedIPs": f"10.{(i + offset) // 256}.{(i + offset) % 256}.0/24, fd00:{i + offset:x}::/64"}
        if i % 3 == 0:
            b["Endpoint"] = f"192.0.2.{(i % 250) + 1}:{1000 + i}"
        if i % 5 == 0:
            b["PersistentKeepalive"] = str(25 + (10 if changed else 0))
        blocks.append(b)
    return blocks


full_peer = {"PublicKey": P, "PresharedKey": psk1, "AllowedIPs": "10.0.0.0/8, fd00::/64",
             "Endpoint": "192.0.2.1:51820", "PersistentKeepalive": "25"}

SCENARIOS = {
    "listen-port": [("set", ["listen-port", "51820"])],
    "listen-port 0": [("set", ["listen-port", "51820"]), ("set", ["listen-port", "0"])],
    "listen-port service name": [("set", ["listen-port", "domain"])],
    "fwmark hex, decimal, off": [("set", ["fwmark", "0x10"]), ("set", ["fwmark", "1234"]),
                                 ("set", ["fwmark", "off"])],
    "fwmark max": [("set", ["fwmark", "0xffffffff"])],
    "private-key and removal": [("set", ["private-key", privfile]),
                                ("set", ["private-key", privfile2]),
                                ("set", ["private-key", "/dev/null"])],
    "private-key from process substitution": [("shell", f"set {{dev}} private-key <(echo {priv1})")],
    "peer allowed-ips": [("set", ["peer", P, "allowed-ips", "10.0.0.0/8,fd00::/64"])],
    "peer every option": [("set", ["peer", P, "endpoint", "192.0.2.1:51820", "persistent-keepalive",
                                   "25", "preshared-key", pskfile, "allowed-ips",
                                   "10.0.0.0/8, 198.51.100.0/24"])],
    "peer ipv6 endpoint": [("set", ["peer", P, "endpoint", "[fd00::1]:51820",
                                    "allowed-ips", "fd00::/48,::/0"])],
    "endpoint by host name": [("set", ["peer", P, "endpoint", "localhost:51820"]),
                              ("addconf", conf({"PublicKey": Q, "Endpoint": "localhost:2"}))],
    "peer keepalive and psk off": [("set", ["peer", P, "persistent-keepalive", "65535",
                                            "preshared-key", pskfile]),
                                   ("set", ["peer", P, "persistent-keepalive", "off",
                                            "preshared-key", "/dev/null"])],
    "peer remove": [("set", ["peer", P, "allowed-ips", "10.0.0.0/8", "peer", Q]),
                    ("set", ["peer", P, "remove"])],
    "clear allowed-ips": [("set", ["peer", P, "allowed-ips", "10.0.0.0/8"]),
                          ("set", ["peer", P, "allowed-ips", ""])],
    "host bits warning": [("set", ["peer", P, "allowed-ips", "10.1.2.3/8,fd00::1/64"])],
    "combined": [("set", ["listen-port", "1", "fwmark", "2", "private-key", privfile, "peer", P,
                          "allowed-ips", "10.0.0.0/8", "endpoint", "203.0.113.1:1", "peer", Q,
                          "persistent-keepalive", "1", "peer", R, "remove"])],
    "setconf one peer": [("setconf", conf(full_peer, port=51820, mark="0x20", key=priv1))],
    "setconf zero peers after some": [("set", ["peer", P, "peer", Q]),
                                      ("setconf", conf(port=2, key=priv1))],
    "setconf without keys resets them": [("set", ["listen-port", "3", "fwmark", "4",
                                                  "private-key", privfile]),
                                         ("setconf", conf({"PublicKey": Q}))],
    "addconf": [("setconf", conf(full_peer, port=5, key=priv1)),
                ("addconf", conf({"PublicKey": Q, "AllowedIPs": "10.1.0.0/16"},
                                 {"PublicKey": P, "AllowedIPs": "10.2.0.0/16"}))],
    "syncconf changes": [
        ("setconf", conf(full_peer, {"PublicKey": Q, "PresharedKey": psk2,
                                     "AllowedIPs": "10.1.0.0/16", "PersistentKeepalive": "5"},
                         {"PublicKey": R, "Endpoint": "[fd00::9]:9"}, port=6, key=priv1)),
        ("syncconf", conf({**full_peer, "Endpoint": "192.0.2.2:2", "AllowedIPs": "10.0.0.0/9"},
                          {"PublicKey": Q, "AllowedIPs": "10.1.0.0/16"},
                          {"PublicKey": S, "AllowedIPs": "203.0.113.0/24"},
                          port=7, key=priv2))],
    "syncconf no peers": [("set", ["peer", P]), ("syncconf", conf(port=8))],
    "300 peers setconf then syncconf": [("setconf", conf(*many(300), port=9, key=priv1)),
                                        ("syncconf", conf(*many(300, offset=150, changed=True),
                                                          port=9, key=priv1))],
}

tg = t.tag()
# wireguard-go binds its port even while the link is down: wg's and wgx's devices live in
# separate namespaces so that both can use the same port.
gos_wg = t.WireguardGo(f"wgx-cli-{os.getpid()}-1")
gos_wgx = t.WireguardGo(f"wgx-cli-{os.getpid()}-4")


def random_port(ops):
    """True when the last operation that sets the port leaves it 0 (or none sets it):
    wireguard-go then binds a random one. setconf/syncconf without ListenPort mean 0."""
    port = 0
    for kind, arg in ops:
        if kind == "set" and "listen-port" in arg:
            value = arg[arg.index("listen-port") + 1]
            port = int(value) if value.isdigit() else 1
        elif kind in ("setconf", "syncconf"):
            m = re.search(r"ListenPort = (\d+)", arg)
            port = int(m.group(1)) if m else 0
        elif kind == "addconf" and re.search(r"ListenPort = ([1-9])", arg):
            port = 1
    return port == 0


diff = t.Differences()
try:
    for index, (name, ops) in enumerate(SCENARIOS.items()):
        dev_wg, dev_wgx = gos_wg.add(f"wgxa{tg}{index}"), gos_wgx.add(f"wgxb{tg}{index}")
        for op in ops:
            a = t.apply(t.WG, op, dev_wg)
            b = t.apply(t.WGX, op, dev_wgx)
            a = (a[0], a[1], a[2].replace(t.WG.encode(), b"PROG"))
            b = (b[0], b[1], b[2].replace(t.WGX.encode(), b"PROG"))
            diff.compare(f"{name}: {op[0]} {str(op[1])[:80]}", a, b)
        state_wg, state_wgx = t.canonical_state(t.uapi_get(dev_wg)), t.canonical_state(
            t.uapi_get(dev_wgx))
        if random_port(ops):
            state_wg[0].pop("listen_port", None)
            state_wgx[0].pop("listen_port", None)
        diff.compare(f"{name}: resulting state", state_wg, state_wgx)
        # The show forms of what wgx configured, from one recorded reply.
        replay = t.ReplayServer(f"wgxr{tg}{index}", t.uapi_get(dev_wgx))
        for form in (["show", replay.name], ["showconf", replay.name], ["show", replay.name, "dump"],
                     ["show", replay.name, "allowed-ips"]):
            a, b = t.both(form, {"WG_HIDE_KEYS": "never"}, frozen=True)
            diff.compare(f"{name}: {' '.join(form)}", a, b)
        replay.close()
        gos_wg.remove(dev_wg)
        gos_wgx.remove(dev_wgx)
finally:
    gos_wg.close()
    gos_wgx.close()
diff.finish(f"{len(SCENARIOS)} scenarios")
