#!/usr/bin/env python3
"""genkey / genpsk / pubkey against the installed wg: 1000 random keys, the malformed inputs
wg rejects, and the warning for world-readable output files. Needs no root."""
import base64
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

WGX = os.environ.get("WGX", "wgx")
WG = shutil.which("wg")
if not WG:
    print("SKIP: wg (wireguard-tools) is not installed")
    sys.exit(77)

failures = []


def run(tool, args, stdin=b"", env=None):
    p = subprocess.run([tool] + args, input=stdin, capture_output=True, env=env, timeout=10)
    return p.returncode, p.stdout, p.stderr


def normalized_stderr(tool, err):
    # wg prints its argv[0]; the messages must otherwise match.
    return err.replace(tool.encode(), b"PROG")


def compare(what, args, stdin=b""):
    a = run(WG, args, stdin)
    b = run(WGX, args, stdin)
    if (a[0], a[1], normalized_stderr(WG, a[2])) != (b[0], b[1], normalized_stderr(WGX, b[2])):
        failures.append(f"{what}: wg={a!r} wgx={b!r}")


def check_key_line(what, out, clamped):
    if len(out) != 45 or not out.endswith(b"\n"):
        failures.append(f"{what}: not 44 characters and a newline: {out!r}")
        return
    raw = base64.b64decode(out[:44], validate=True)
    if base64.b64encode(raw) != out[:44] or len(raw) != 32:
        failures.append(f"{what}: not canonical base64: {out!r}")
    if clamped and (raw[0] & 7 or raw[31] & 128 or not raw[31] & 64):
        failures.append(f"{what}: private key not clamped: {out!r}")


start = time.monotonic()
rng = random.Random(20210914)

# 1. 1000 keys: half from wgx genkey (must be clamped), half arbitrary 32-byte strings (pubkey
#    clamps internally); wgx pubkey must equal wg pubkey for every one.
for i in range(1000):
    if i % 2 == 0:
        rc, out, err = run(WGX, ["genkey"])
        check_key_line("wgx genkey", out, clamped=True)
        key = out
    else:
        key = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(32))) + b"\n"
    a = run(WG, ["pubkey"], key)
    b = run(WGX, ["pubkey"], key)
    if a != (b[0], b[1], b[2]) or a[0] != 0:
        failures.append(f"pubkey of {key!r}: wg={a!r} wgx={b!r}")
    if len(failures) > 10:
        break

for _ in range(20):
    rc, out, err = run(WGX, ["genpsk"])
    check_key_line("wgx genpsk", out, clamped=False)
    rc2, out2, _ = run(WGX, ["genpsk"])
    if out == out2:
        failures.append("genpsk repeated itself")

# 2. Malformed and borderline inputs: same stdout, stderr and exit code as wg.
good = b"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
cases = {
    "empty": b"",
    "newline only": b"\n",
    "43 characters": good[:43],
    "43 characters and newline": good[:43] + b"\n",
    "no padding": good[:43] + b"A",
    "double padding": good[:42] + b"==",
    "leading space": b" " + good,
    "leading newline": b"\n" + good,
    "trailing garbage": good + b"x",
    "trailing spaces and tabs": good + b" \t\r\n\v\f",
    "trailing NULs": good + b"\0\0\n",
    "second line": good + b"\n\nx",
    "CRLF": good + b"\r\n",
    "non-canonical last character": good[:42] + b"n=",
    "invalid character": good[:10] + b"!" + good[11:],
    "NUL inside": good[:10] + b"\0" + good[11:],
    "url-safe alphabet": good.replace(b"+", b"-"),
    "two keys": good + b"\n" + good + b"\n",
    "long garbage": b"A" * 5000,
    "hex key": b"c809f3e5317e9575c9b5ed78b638b7ce530dabe85ddab614220241801ddf0669",
}
for name, data in cases.items():
    compare(f"pubkey <{name}>", ["pubkey"], data)

# 3. Wrong argument counts.
for args in (["pubkey", "x"], ["genkey", "x"], ["genpsk", "--help"], ["genkey", "a", "b"]):
    compare(" ".join(args), args)

# 4. The world-accessible warning, only for regular files with permission bits for others.
with tempfile.TemporaryDirectory() as d:
    for tool in (WG, WGX):
        for umask in (0o022, 0o077, 0o026):
            for cmd in ("genkey", "genpsk"):
                path = os.path.join(d, f"{os.path.basename(tool)}-{cmd}-{umask:o}")
                p = subprocess.run(f"umask {umask:o}; '{tool}' {cmd} > '{path}'", shell=True,
                                   capture_output=True, timeout=10)
                warned = b"Warning: writing to world accessible file.\n" \
                         b"Consider setting the umask to 077 and trying again.\n"
                expect = warned if (0o666 & ~umask) & 0o007 else b""
                if p.stderr != expect or p.returncode != 0:
                    failures.append(f"{tool} {cmd} umask {umask:o}: {p.stderr!r} rc={p.returncode}")
                with open(path, "rb") as f:
                    check_key_line(f"{tool} {cmd} to file", f.read(), clamped=(cmd == "genkey"))
    # A pipe is not a file: no warning.
    p = subprocess.run(f"umask 022; '{WGX}' genkey | cat", shell=True, capture_output=True,
                       timeout=10)
    if p.stderr:
        failures.append(f"warning on a pipe: {p.stderr!r}")

elapsed = time.monotonic() - start
if failures:
    print(f"{len(failures)} differences from wg:")
    for f in failures[:20]:
        print("  " + f)
    sys.exit(1)
print(f"keys: 1000 pubkeys, {len(cases)} malformed inputs and the file warning match wg "
      f"({elapsed:.1f} s)")
