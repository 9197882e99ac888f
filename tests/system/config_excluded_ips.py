#!/usr/bin/env python3
"""`wgx allowedips A... --exclude E...` against Python's ipaddress module over random cases
(IPv4 and IPv6 mixed, overlapping and nested prefixes, host bits set): the printed set must be
exactly the addresses of A not in E, as the fewest prefixes, IPv4 first, in address order.
Needs no root: it only runs the built wgx."""
import ipaddress
import os
import random
import subprocess
import sys
import time

WGX = os.environ.get("WGX")
if not WGX or not os.access(WGX, os.X_OK):
    print("skipped: WGX (the built wgx) not set")
    sys.exit(77)

rng = random.Random(int(os.environ.get("WGX_SEED", "1404")))
CASES = 400
DEADLINE = time.monotonic() + 120


def random_prefix(v6, near):
    bits = 128 if v6 else 32
    base = int(near.network_address) if near is not None and rng.random() < 0.7 else rng.getrandbits(bits)
    if near is not None and rng.random() < 0.7:
        # Land inside or around the other prefix so the sets really interact.
        base ^= rng.getrandbits(max(0, bits - near.prefixlen))
    length = rng.randint(0, bits) if rng.random() < 0.2 else rng.randint(max(0, (near.prefixlen if near else 8) - 4), bits)
    cls = ipaddress.IPv6Address if v6 else ipaddress.IPv4Address
    return f"{cls(base)}/{length}"  # host bits may be set, as in a config file


def expected(allowed, excluded):
    nets = [ipaddress.ip_network(a, strict=False) for a in allowed]
    cuts = [ipaddress.ip_network(e, strict=False) for e in excluded]
    out = []
    for version in (4, 6):
        current = list(ipaddress.collapse_addresses(n for n in nets if n.version == version))
        for cut in (c for c in cuts if c.version == version):
            nxt = []
            for n in current:
                if cut.supernet_of(n):
                    continue
                if n.supernet_of(cut):
                    nxt.extend(n.address_exclude(cut))
                else:
                    nxt.append(n)
            current = nxt
        out.extend(sorted(ipaddress.collapse_addresses(current)))
    return ", ".join(str(n) for n in out)


failures = 0
for case in range(CASES):
    if time.monotonic() > DEADLINE:
        print(f"FAIL: only {case} cases ran within the time bound")
        sys.exit(1)
    allowed, excluded = [], []
    for _ in range(rng.randint(1, 4)):
        v6 = rng.random() < 0.4
        allowed.append(random_prefix(v6, None))
    for _ in range(rng.randint(0, 6)):
        near = ipaddress.ip_network(rng.choice(allowed), strict=False)
        excluded.append(random_prefix(near.version == 6, near))
    want = expected(allowed, excluded)
    args = [WGX, "allowedips", ",".join(allowed)]
    if excluded:
        args += ["--exclude"] + excluded
    p = subprocess.run(args, capture_output=True, text=True, timeout=10)
    got = p.stdout.rstrip("\n")
    if p.returncode != 0 or got != want:
        failures += 1
        print(f"FAIL: {' '.join(args[1:])}\n  wgx:    {got!r} (rc {p.returncode}, {p.stderr.strip()})\n  python: {want!r}")
        if failures > 5:
            break

# The example from the documentation, and a bad argument.
p = subprocess.run([WGX, "allowedips", "0.0.0.0/0", "--exclude", "192.0.2.0/24"], capture_output=True, text=True)
if p.stdout.rstrip("\n") != expected(["0.0.0.0/0"], ["192.0.2.0/24"]):
    failures += 1
    print("FAIL: the documented example:", p.stdout)
p = subprocess.run([WGX, "allowedips", "0.0.0.0/0", "--exclude", "192.0.2.0/33"], capture_output=True, text=True)
if p.returncode == 0 or "192.0.2.0/33" not in p.stderr or p.stdout:
    failures += 1
    print("FAIL: a bad prefix was not refused by name:", p.returncode, p.stderr)

if failures:
    print(f"{failures} failure(s)")
    sys.exit(1)
print(f"ok: {CASES} random cases match ipaddress")
