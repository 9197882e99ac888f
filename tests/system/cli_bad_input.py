#!/usr/bin/env python3
"""The bad-input matrix: every malformed argument, key, port, mark, prefix, endpoint and
configuration line, given to wg and to wgx against fresh wireguard-go devices. Each must fail
with wg's exit code, wgx's message must be one line (for `set`, wg's exact line), and nothing
may be applied: the device state stays what it was."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli_lib"))
import wgxtest as t  # noqa: E402

t.require_root_and_tools("wireguard-go", "unshare", "ip")
t.private_socket_dir()

tmp = tempfile.TemporaryDirectory()
keys = t.KeyStore(tmp.name)
priv, pub = keys.pair()
P = keys.pair()[1]
good = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
short_file = keys.file(good[:43])
trailing_file = keys.file(good + "x\n")
bad_file = keys.file("A" * 43 + "!")
noncanonical_file = keys.file(good[:42] + "n=")

# Name resolution must fail fast and the same way for both tools.
ENV = {"WG_ENDPOINT_RESOLUTION_RETRIES": "0"}

BAD_SET = [
    ["listen-port", "abc"], ["listen-port", "65536x"], ["listen-port", ""], ["listen-port", "-1"],
    ["listen-port"], ["fwmark", "x"], ["fwmark", "0x"], ["fwmark", "4294967296"],
    ["fwmark", "-1"], ["fwmark", "0x1g"], ["fwmark", " 1"], ["private-key", "/nonexistent/key"],
    ["private-key", short_file], ["private-key", trailing_file], ["private-key", bad_file],
    ["private-key", noncanonical_file], ["peer", "abc"], ["peer", good[:43]],
    ["peer", good + "="], ["peer"], ["bogus"], ["remove"], ["endpoint", "192.0.2.1:1"],
    ["peer", P, "listen-port", "1"], ["peer", P, "endpoint", ""],
    ["peer", P, "endpoint", "192.0.2.1"], ["peer", P, "endpoint", "192.0.2.1:"],
    ["peer", P, "endpoint", "[fd00::1:1"], ["peer", P, "endpoint", "[fd00::1]1"],
    ["peer", P, "endpoint", "[fd00::1]:"],
    ["peer", P, "endpoint", "192.0.2.1:abc"],
    ["peer", P, "persistent-keepalive", "65536"], ["peer", P, "persistent-keepalive", "x"],
    ["peer", P, "persistent-keepalive", "-1"], ["peer", P, "persistent-keepalive", ""],
    ["peer", P, "allowed-ips", "10.0.0.0/33"], ["peer", P, "allowed-ips", "10.0.0.0/"],
    ["peer", P, "allowed-ips", "10.0.0"], ["peer", P, "allowed-ips", "fd00::/129"],
    ["peer", P, "allowed-ips", "10.0.0.0/8,"], ["peer", P, "allowed-ips", "/8"],
    ["peer", P, "allowed-ips", "10.0.0.0/x"], ["peer", P, "allowed-ips", "10.0.0.0/8/8"],
    ["peer", P, "allowed-ips", "fd00::/-1"], ["peer", P, "allowed-ips", "10.0.0.0/+8"],
    ["peer", P, "preshared-key", "/nonexistent"], ["peer", P, "preshared-key", short_file],
    ["peer", P, "preshared-key"], ["peer", P, "remove", "bogus"],
    # A good first half must not be applied when the rest is bad.
    ["listen-port", "4", "peer", P, "allowed-ips", "10.0.0.0/8", "persistent-keepalive", "x"],
]

BAD_CONF = [
    "[Interface]\nFoo = bar\n",
    "[Interface]\nListenPort = abc\n",
    "[Interface]\nFwMark = 0x\n",
    "[Interface]\nPrivateKey = abc\n",
    "[Interface]\nAddress = 10.0.0.1/24\n",
    "[Peer]\nAllowedIPs = 10.0.0.0/8\n",
    f"[Peer]\nPublicKey = {P}\nAllowedIPs = 10.0.0.0/33\n",
    f"[Peer]\nPublicKey = {P}\nEndpoint = 192.0.2.1\n",
    f"[Peer]\nPublicKey = {P}\nPersistentKeepalive = 70000\n",
    f"[Peer]\nPublicKey = {P}\nPresharedKey = xyz\n",
    f"[Peer]\nPublicKey = {P}\nBogus = 1\n",
    "ListenPort = 1\n",
    "[Interfac]\nListenPort = 1\n",
    f"[Interface]\nListenPort = 1\n[Peer]\nPublicKey = {P}\n[Peer]\nEndpoint = 192.0.2.1:1\n",
]

tg = t.tag()
# Separate namespaces: both devices get the same listen port.
gos = t.WireguardGo(f"wgx-cli-{os.getpid()}-2")
gos2 = t.WireguardGo(f"wgx-cli-{os.getpid()}-5")
diff = t.Differences()
try:
    dev_wg, dev_wgx = gos.add(f"wgxc{tg}"), gos2.add(f"wgxd{tg}")
    # A known starting state on both devices.
    start = ["listen-port", "7", "private-key", keys.file(priv), "peer", P, "allowed-ips",
             "192.0.2.0/24"]
    for tool, dev in ((t.WG, dev_wg), (t.WGX, dev_wgx)):
        rc, out, err = t.apply(tool, ("set", start), dev)
        if rc:
            print(f"setup failed with {tool}: {err!r}")
            sys.exit(1)
    before = [t.canonical_state(t.uapi_get(dev_wg)), t.canonical_state(t.uapi_get(dev_wgx))]
    diff.compare("starting state", before[0], before[1])

    def check(what, op, exact_stderr):
        nonlocal_before = list(before)
        a = t.apply(t.WG, op, dev_wg, ENV)
        b = t.apply(t.WGX, op, dev_wgx, ENV)
        diff.compare(f"{what}: exit code", a[0], b[0])
        if a[0] == 0:
            diff.items.append((f"{what}: wg accepted it; the case is not bad input", a, b))
        diff.compare(f"{what}: stdout", a[1], b[1])
        lines = b[2].decode(errors="replace").strip("\n").split("\n")
        if len(lines) != 1 or not lines[0]:
            diff.items.append((f"{what}: wgx message is not one line", a[2], b[2]))
        if exact_stderr:
            diff.compare(f"{what}: stderr", a[2].replace(t.WG.encode(), b"PROG"),
                         b[2].replace(t.WGX.encode(), b"PROG"))
        after = t.canonical_state(t.uapi_get(dev_wg)), t.canonical_state(t.uapi_get(dev_wgx))
        diff.compare(f"{what}: wg applied nothing", nonlocal_before[0], after[0])
        diff.compare(f"{what}: wgx applied nothing", nonlocal_before[1], after[1])
        # A failure is reported once, not again by every later case.
        before[:] = after

    for args in BAD_SET:
        check(f"set {' '.join(args)}", ("set", args), exact_stderr=True)
    for text in BAD_CONF:
        for kind in ("setconf", "addconf", "syncconf"):
            # wg prints its message and then "Configuration parsing error"; wgx one line
            # naming FILE:LINE. The exit code and the untouched device must agree.
            check(f"{kind} {text!r}", (kind, text), exact_stderr=False)
    check("setconf missing file", ("setconf", "/nonexistent/wgx.conf"), exact_stderr=False)

    # A malformed retry count is an error only when a name is resolved, as in wg.
    for retries in ("abc", "-1", "1x"):
        a = t.apply(t.WG, ("set", ["peer", P, "endpoint", "localhost:1"]), dev_wg,
                    {"WG_ENDPOINT_RESOLUTION_RETRIES": retries})
        b = t.apply(t.WGX, ("set", ["peer", P, "endpoint", "localhost:1"]), dev_wgx,
                    {"WG_ENDPOINT_RESOLUTION_RETRIES": retries})
        diff.compare(f"WG_ENDPOINT_RESOLUTION_RETRIES={retries}", a, b)

    # Usage errors and a missing interface: exact messages.
    missing = f"wgxz{tg}"
    for args in (["set"], ["set", dev_wgx], ["setconf", dev_wgx], ["addconf"],
                 ["syncconf", "a", "b", "c"], ["set", "--help"], ["setconf", "--help"],
                 ["set", missing, "listen-port", "1"], ["setconf", missing, "/dev/null"],
                 ["addconf", missing, "/dev/null"], ["syncconf", missing, "/dev/null"],
                 ["showconf", missing], ["show", missing], ["bogus"], ["genkey", "x"]):
        a, b = t.both(args, ENV)
        diff.compare(" ".join(args), a, b)
finally:
    gos.close()
    gos2.close()
diff.finish(f"{len(BAD_SET)} bad set arguments, {len(BAD_CONF)} bad configuration files")
