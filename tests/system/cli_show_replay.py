#!/usr/bin/env python3
"""Every `show` form, field selector and `showconf`, printed by wg and by wgx from the same
recorded UAPI `get=1` replies (a replay server on /var/run/wireguard/<name>.sock in a private
mount namespace), both run under faketime at one frozen instant, with WG_COLOR_MODE and
WG_HIDE_KEYS varied. stdout, stderr (program name aside) and exit codes must be identical."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli_lib"))
import wgxtest as t  # noqa: E402

t.require_root_and_tools("faketime", "unshare")
t.private_socket_dir()

NOW = t.FROZEN


def hexkey(n):
    return bytes((n * 37 + i * 11) % 256 for i in range(32)).hex()


# A device with every field and every duration/size wording: handshakes seconds, minutes, days
# and a year ago, now, in the future, never; counters from B to TiB and 2^64-1; keepalive 1 and
# 65535; fwmark 0xffffffff; IPv4, IPv6 and scoped IPv6 endpoints; a key wg does not know.
FULL = f"""private_key={hexkey(1)}
listen_port=65535
fwmark=4294967295
public_key={hexkey(2)}
preshared_key={hexkey(3)}
protocol_version=1
endpoint=192.0.2.1:51820
last_handshake_time_sec={NOW - 5}
last_handshake_time_nsec=123
tx_bytes=1023
rx_bytes=0
persistent_keepalive_interval=1
allowed_ip=10.0.0.0/8
allowed_ip=fd00::/64
public_key={hexkey(4)}
preshared_key={'0' * 64}
endpoint=[fd00::2]:65535
last_handshake_time_sec={NOW - 125}
last_handshake_time_nsec=0
rx_bytes=1239
tx_bytes=3565158
persistent_keepalive_interval=65535
allowed_ip=0.0.0.0/0
allowed_ip=::/0
public_key={hexkey(5)}
endpoint=[fe80::1%1]:1
last_handshake_time_sec={NOW - (3 * 86400 + 3600 + 61)}
last_handshake_time_nsec=0
rx_bytes={5 * 2**30}
tx_bytes={3 * 2**40}
persistent_keepalive_interval=0
allowed_ip=198.51.100.0/24
public_key={hexkey(6)}
last_handshake_time_sec={NOW - (365 * 86400 + 1)}
last_handshake_time_nsec=0
rx_bytes={2**64 - 1}
tx_bytes=1048575
wgx_unknown_key=ignored
public_key={hexkey(7)}
last_handshake_time_sec={NOW}
last_handshake_time_nsec=0
rx_bytes=1
tx_bytes=0
public_key={hexkey(8)}
last_handshake_time_sec={NOW + 100}
last_handshake_time_nsec=0
allowed_ip=203.0.113.7/32
public_key={hexkey(9)}
last_handshake_time_sec=0
last_handshake_time_nsec=0
rx_bytes=0
tx_bytes=0
persistent_keepalive_interval=25
public_key={hexkey(10)}
last_handshake_time_sec={NOW - 5}
last_handshake_time_nsec=999
endpoint=203.0.113.9:9
allowed_ip=fd00:1:2:3::/96
errno=0

"""

tg = t.tag()
names = {"full": f"wgxf{tg}", "empty": f"wgxe{tg}", "nodev": f"wgxn{tg}",
         "garbled": f"wgxg{tg}", "keyless": f"wgxk{tg}"}
servers = [
    t.ReplayServer(names["full"], FULL),
    t.ReplayServer(names["empty"], "errno=0\n\n"),
    t.ReplayServer(names["nodev"], "errno=19\n\n"),
    t.ReplayServer(names["garbled"], "listen_port=abc\nerrno=0\n\n"),
    # A device without a private key but with a peer and a port.
    t.ReplayServer(names["keyless"],
                   f"listen_port=1\npublic_key={hexkey(11)}\nallowed_ip=10.9.0.0/16\nerrno=0\n\n"),
]
missing = f"wgxm{tg}"

FIELDS = ["public-key", "private-key", "listen-port", "fwmark", "peers", "preshared-keys",
          "endpoints", "allowed-ips", "latest-handshakes", "transfer", "persistent-keepalive",
          "dump"]

forms = [[], ["show"], ["show", "all"], ["show", "interfaces"], ["show", "--help"],
         ["show", "-h"], ["show", "help"], ["show", "interfaces", "x"],
         ["show", "a", "b", "c"], ["show", "all", "bogus"], ["show", missing],
         ["show", missing, "peers"], ["showconf", missing], ["showconf"],
         ["showconf", "--help"], ["showconf", "a", "b"]]
for n in names.values():
    forms += [["show", n], ["showconf", n], ["show", n, "bogus"]]
    forms += [["show", n, f] for f in FIELDS]
forms += [["show", "all", f] for f in FIELDS]

envs = [{}, {"WG_COLOR_MODE": "always"}, {"WG_COLOR_MODE": "never"},
        {"WG_COLOR_MODE": "always", "WG_HIDE_KEYS": "never"},
        {"WG_HIDE_KEYS": "never"}, {"WG_HIDE_KEYS": "always"}]

diff = t.Differences()
try:
    for env in envs:
        for form in forms:
            # The field selectors do not depend on the environment: run them once.
            if env and len(form) == 3 and form[2] in FIELDS:
                continue
            a, b = t.both(form, env, frozen=True)
            diff.compare(f"{env} wg {' '.join(form)}", a, b)
    # Without WG_COLOR_MODE, colour follows whether stdout is a terminal: run both on a pty.
    import pty
    import subprocess
    for form in (["show", names["full"]], ["show"], ["show", "all", "dump"]):
        outs = []
        for tool in (t.WG, t.WGX):
            master, slave = pty.openpty()
            p = subprocess.run(["faketime", "-f", t.FROZEN_TEXT, tool] + form, stdout=slave,
                               stderr=subprocess.PIPE, env=t.tool_env(), timeout=20)
            os.close(slave)
            data = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
            os.close(master)
            outs.append((p.returncode, data, p.stderr.replace(tool.encode(), b"PROG")))
        diff.compare(f"on a terminal: {' '.join(form)}", outs[0], outs[1])
        if form == ["show", names["full"]] and b"\x1b[" not in outs[0][1]:
            diff.items.append(("wg printed no colour on a terminal", outs[0], None))
    # The pretty form must really contain what this test is about.
    a, _ = t.both(["show", names["full"]], {"WG_COLOR_MODE": "never"}, frozen=True)
    for needle in (b"1 year, 1 second ago", b"3 days, 1 hour, 1 minute, 1 second ago",
                   b"2 minutes, 5 seconds ago", b"latest handshake: Now", b"wound backward",
                   b"5.00 GiB received, 3.00 TiB sent", b"every 18 hours, 12 minutes, 15 seconds",
                   b"fwmark: 0xffffffff", b"(hidden)", b"[fe80::1%lo]:1"):
        if needle not in a[1]:
            diff.items.append((f"wg output lacks {needle!r}", a, None))
finally:
    for s in servers:
        s.close()
diff.finish("show/showconf from replayed replies")
