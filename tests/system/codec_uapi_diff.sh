#!/bin/bash
# The UAPI server codec, differential: the same requests (valid and malformed: every key, bad
# values, bad operations, CRLF, EOF without the empty line) sent to wgx-engine and to
# wireguard-go must get the same reply (errno=N, or the connection closed), and after each
# accepted request both devices must report the same state in a get (peer order and a random
# listen port normalised). After a rejected request only the reply is compared: wireguard-go
# has applied the lines before the bad one, wgx deliberately applies nothing. Runs in private mount and network namespaces.
set -u
if [[ $EUID -ne 0 ]]; then echo "skip: needs root (namespaces, TUN)"; exit 77; fi
for tool in wireguard-go python3 unshare; do
    command -v $tool >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
ENGINE="${WGX_BIN_DIR:?}/wgx-engine"
[[ -x $ENGINE ]] || { echo "FAIL: $ENGINE missing"; exit 1; }
if [[ ${1:-} != inner ]]; then
    exec unshare --mount --net "$0" inner
fi
mount --make-rprivate /
mkdir -p /var/run/wireguard
mount -t tmpfs tmpfs /var/run/wireguard
dir=$(mktemp -d /tmp/wgx-codec-uapi.XXXXXX)
go_if=wgxug$(( $$ % 10000 ))
wgx_if=wgxuw$(( $$ % 10000 ))
WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 wireguard-go -f "$go_if" >"$dir/go.log" 2>&1 &
gopid=$!
"$ENGINE" -f "$wgx_if" >"$dir/wgx.log" 2>&1 &
wgxpid=$!
trap 'kill $gopid $wgxpid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do
    [[ -S /var/run/wireguard/$go_if.sock && -S /var/run/wireguard/$wgx_if.sock ]] && break
    sleep 0.1
done
for s in "$go_if" "$wgx_if"; do
    [[ -S /var/run/wireguard/$s.sock ]] || { echo "FAIL: $s did not start"; cat "$dir"/*.log; exit 1; }
done

python3 - "$go_if" "$wgx_if" <<'EOF'
import socket, sys

GO, WGX = (f"/var/run/wireguard/{n}.sock" for n in sys.argv[1:3])

def talk(path, data, shut):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect(path)
    s.sendall(data)
    if shut:
        s.shutdown(socket.SHUT_WR)
    out = b""
    try:
        while not out.endswith(b"\n\n"):
            d = s.recv(65536)
            if not d:
                break
            out += d
    except socket.timeout:
        out += b"<timeout>"
    s.close()
    return out

def state(path):
    r = talk(path, b"get=1\n\n", False).decode()
    # The reply ends with "errno=0" after whichever peer comes last; wireguard-go's peer order
    # is random, so take the terminator off before comparing peers as a set.
    assert r.endswith("errno=0\n\n"), r
    r = r[: -len("errno=0\n\n")]
    head, *peers = r.split("public_key=")
    dev = sorted(l for l in head.splitlines()
                 if l and not l.startswith("listen_port=") and not l.startswith("errno="))
    return dev, sorted(peers)

HP = "210bf892ed4376434d9d5264ba9b47cf3ad5246018ea4caa249fd593253f9669"
HQ = "8ae8d5b86ff1f431a53716e040e04c35dcbec11a3d51ffd5cbac42633eea4709"
SK = "4875b7a0f45d022fa4ec3cc76b932e7f41194802bdd7fcc4c56dde879448dd4a"
PSK = "ac531234c44275e0859bda7fa0b57fd872588d315c9c932118c13bd41e554b39"
pk = f"public_key={HP}\n"
bodies = [
    "foo=bar\n", "listen_port\n", "listen_port=65536\n", "listen_port=+5\n", "listen_port=\n",
    "fwmark=0x1\n", "fwmark=4294967296\n", "fwmark=7\n", "fwmark=0\n", "replace_peers=True\n",
    "private_key=abc\n", f"private_key={SK}\n", f"private_key={SK.upper()}\n", "public_key=abcd\n",
    pk + "allowed_ip=10.0.0.0\n", pk + "allowed_ip=010.0.0.0/8\n", pk + "allowed_ip=10.0.0.0/\n",
    pk + "allowed_ip=10.0.0.0/33\n", pk + "allowed_ip=fd00::%lo/8\n", pk + "allowed_ip=1.2.3.4/32/1\n",
    pk + "protocol_version=2\n", pk + "protocol_version=1\n", pk + "replace_peers=true\n",
    pk + "endpoint=1.2.3.4\n", pk + "endpoint=[1.2.3.4]:5\n", pk + "endpoint=host:5\n",
    pk + "endpoint=fd00::1:5\n", pk + "endpoint=1.2.3.4:65536\n", pk + "endpoint=1.2.3.4:+5\n",
    pk + "endpoint=01.2.3.4:5\n", pk + "endpoint=192.0.2.1:05\n", pk + "endpoint=[fd00::1]:51820\n",
    pk + "endpoint=[::ffff:192.0.2.1]:5\n", pk + "persistent_keepalive_interval=65536\n",
    pk + "persistent_keepalive_interval=25\n", pk + "persistent_keepalive_interval=0\n",
    pk + "update_only=1\n", pk + "remove=yes\n", pk + "replace_allowed_ips=false\n",
    pk + "preshared_key=00\n", pk + f"preshared_key={PSK}\n", pk + "last_handshake_time_sec=1\n",
    pk + "listen_port=1\n", pk + "allowed_ip=10.0.0.1/8\n", pk + "allowed_ip=10.0.0.0/08\n",
    pk + "allowed_ip=::ffff:1.2.3.4/128\n", pk + "allowed_ip=192.0.2.0/24\nallowed_ip=fd00::/64\n",
    pk + "replace_allowed_ips=true\nallowed_ip=198.51.100.0/24\n",
    f"public_key={HQ}\nupdate_only=true\nendpoint=192.0.2.9:1\n",
    f"public_key={HQ}\nendpoint=192.0.2.9:1\nallowed_ip=203.0.113.0/24\n",
    f"public_key={HQ}\nupdate_only=true\npersistent_keepalive_interval=5\n",
    pk + "remove=true\nendpoint=192.0.2.1:1\n", pk + "remove=true\n",
    f"public_key={HQ}\nremove=true\n", pk + "allowed_ip=192.0.2.0/24\n",
    "replace_peers=true\n", "listen_port=1234\r\n",
    # Non-canonical scalars: both references store and report them clamped.
    f"private_key=4f{SK[2:]}\n", f"private_key={SK[:62]}8a\n", f"private_key=ff{SK[2:62]}ff\n",
]
requests = [(b"set=1\n" + b.encode() + b"\n", False) for b in bodies]
requests += [(b"get=1\nx", False), (b"get=2\n\n", False), (b"set=1\r\n\r\n", False),
             (b"set=1\nfwmark=9\n", True), (b"hello\n", True)]
fails = 0
for data, shut in requests:
    g, w = talk(GO, data, shut), talk(WGX, data, shut)
    if g != b"errno=0\n\n":
        # Deliberate difference: wireguard-go applies the lines before a bad one, wgx applies
        # nothing. Compare the reply only, then bring both back to the same state.
        sg = sw = None
        for path in (GO, WGX):
            talk(path, b"set=1\nreplace_peers=true\n\n", False)
    else:
        sg, sw = state(GO), state(WGX)
    if g != w or sg != sw:
        fails += 1
        print(f"FAIL: {data!r}: wireguard-go {g!r}, wgx {w!r}")
        if sg != sw:
            print(f"  state go:  {sg}\n  state wgx: {sw}")
print(f"{len(requests)} requests, {fails} differences")
sys.exit(1 if fails else 0)
EOF
status=$?

# Clamping changes the stored private key but never the public key: wg reads both devices'.
unclamped="$(python3 -c 'import base64; print(base64.b64encode(bytes([0xff] * 32)).decode())')"
expected_pub="$(echo "$unclamped" | wg pubkey)"
for s in "$go_if" "$wgx_if"; do
    wg set "$s" private-key <(echo "$unclamped") || status=1
    got_pub="$(wg show "$s" public-key)"
    if [[ $got_pub != "$expected_pub" ]]; then
        echo "FAIL: $s public-key $got_pub, expected $expected_pub"
        status=1
    fi
done
go_priv="$(wg show "$go_if" private-key)"
wgx_priv="$(wg show "$wgx_if" private-key)"
if [[ $go_priv != "$wgx_priv" || $go_priv == "$unclamped" ]]; then
    echo "FAIL: private key after clamping: wireguard-go $go_priv, wgx $wgx_priv"
    status=1
fi
exit $status
