#!/usr/bin/env bash
# Hardening issue, item 7: configuration files with NUL bytes, CRLF line endings, a 1 MB line or
# 100,000 peers are accepted or rejected with one line on stderr, never a crash (no signal, exit
# status 0 or 1), in bounded time. Each file goes through `wgx-quick strip` (the wg-quick
# grammar) and `wgx setconf` (the wg grammar) against a wgx-engine device.
. "$(dirname "$0")/engine_lib.bash"
QUICK=$WGX_BIN_DIR/wgx-quick
[ -x "$QUICK" ] || skip "no wgx-quick"
make_ns h NSH
IFH="wgxH$TAG"
start_engine wgx "$NSH" "$IFH"

D=$TMP/conf
mkdir -p "$D"
python3 - "$D" <<'PY'
import base64, os, sys
d = sys.argv[1]
key = base64.b64encode(bytes(range(32))).decode()
peer = lambda i: base64.b64encode(i.to_bytes(4, "big") + bytes(28)).decode()
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
good = f"[Interface]\nPrivateKey = {key}\nListenPort = 51820\n\n[Peer]\nPublicKey = {peer(1)}\nAllowedIPs = 10.0.0.1/32\n"
w("nul_in_value.conf", good.replace("51820", "518\0" + "20"))
w("nul_in_key.conf", good.replace("ListenPort", "Listen\0Port"))
w("nul_line.conf", good + "\0\0\0\n")
w("crlf.conf", good.replace("\n", "\r\n"))
w("cr_only.conf", good.replace("\n", "\r"))
w("mb_line_comment.conf", good + "# " + "x" * (1 << 20) + "\n")
w("mb_line_value.conf", good + "AllowedIPs = " + ",".join(["10.0.0.2/32"] * 90000) + "\n")
w("mb_line_garbage.conf", "[Interface]\n" + "A" * (1 << 20) + "\n")
w("mb_no_newline.conf", "[Interface]\nPrivateKey = " + "A" * (1 << 20))
w("peers_100k.conf", "[Interface]\nListenPort = 51820\n" + "".join(
    f"\n[Peer]\nPublicKey = {peer(i)}\nAllowedIPs = 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}/32\n"
    for i in range(1, 100001)))
w("binary.conf", os.urandom(65536))
PY
chmod 600 "$D"/*.conf # no world-accessible warning: rejections must be one line

status=0
check() { # check LABEL CMD...: exit 0, or 1 with exactly one line on stderr; no signal
    local label=$1; shift
    local rc=0 start=$SECONDS
    timeout 120 "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
    local lines; lines=$(wc -l <"$TMP/err")
    if ((rc == 0)); then
        note "$label: accepted ($((SECONDS - start)) s)"
    elif ((rc == 1 && lines == 1)); then
        note "$label: rejected: $(head -c 200 "$TMP/err")"
    else
        note "FAIL: $label: exit $rc, $lines lines on stderr: $(head -c 300 "$TMP/err")"
        status=1
    fi
}
for f in "$D"/*.conf; do
    name=$(basename "$f" .conf)
    check "strip $name" "$QUICK" strip "$f"
    check "setconf $name" ip netns exec "$NSH" "$WGX" setconf "$IFH" "$f"
done
kill -0 "$ENGINE_PID" || { note "FAIL: the engine died"; status=1; }
((status == 0)) && echo "PASS: cli_hostile_config"
exit $status
