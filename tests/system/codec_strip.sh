#!/bin/bash
# `wgx-quick strip` against the reference `wg-quick strip` on many valid files (byte-identical
# output), and on bad lines (wgx names FILE:LINE and fails; wg-quick passes them through).
set -u
if [[ $EUID -ne 0 ]]; then echo "skip: needs root (wg-quick re-executes itself as root)"; exit 77; fi
command -v wg-quick >/dev/null || { echo "skip: wg-quick not installed"; exit 77; }
WGXQ="${WGX_BIN_DIR:?}/wgx-quick"
[[ -x $WGXQ ]] || { echo "FAIL: $WGXQ missing"; exit 1; }

dir=$(mktemp -d /tmp/wgx-codec-strip.XXXXXX)
trap 'rm -rf "$dir"' EXIT
chmod 700 "$dir"
fails=0
n=0

PRIV=yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
PUB1=xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
PUB2=TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=
PSK=/UwcSPg38hW/D9Y3tcS1FOV0K1wuURMbS0sesJEP5ak=

# Each valid case is printf-format text (so \r, \t and a missing last newline can be written).
valid=(
# wg(8) man page example
"[Interface]\nPrivateKey = $PRIV\nListenPort = 51820\n\n[Peer]\nPublicKey = $PUB1\nEndpoint = 192.95.5.67:1234\nAllowedIPs = 10.192.122.3/32, 10.192.124.1/24\n\n[Peer]\nPublicKey = $PUB2\nEndpoint = [2607:5300:60:6b0::c05f:543]:2468\nAllowedIPs = 10.192.122.4/32, 192.168.0.0/16\n"
# wg-quick(8) man page example
"[Interface]\nAddress = 10.200.100.8/24\nDNS = 10.200.100.1\nPrivateKey = $PRIV\n\n[Peer]\nPublicKey = $PUB1\nPresharedKey = $PSK\nAllowedIPs = 0.0.0.0/0\nEndpoint = demo.wireguard.com:51820\n"
# every wg-quick key, odd case and spacing, comments and hooks containing '=' and '#'
"# leading comment\n[interface]  # section comment\n  address=10.0.0.1/24,fd00::1/64\nADDRESS = 192.0.2.1\ndns = 192.0.2.53, fd00::53 example.com\nMtu = 1420\ntable=off\nPreUp = echo a=b # gone\nPostUp = iptables -A FORWARD -i %%i -j ACCEPT\npredown=true\npostdown = ip rule del table 51820\nSaveConfig = False\nPrivateKey=$PRIV\nListenPort=51820\nFwMark = 0x10\n\n[Peer]\npublickey = $PUB1\nAllowedIPs = 10.0.0.2/32\nAllowedIPs = fd00::2/128\nPersistentKeepalive = off\n"
# CRLF line ends
"[Interface]\r\nPrivateKey = $PRIV\r\nAddress = 10.0.0.1/24\r\n\r\n[Peer]\r\nPublicKey = $PUB1\r\nAllowedIPs = 10.0.0.2/32\r\n"
# tabs, blank lines, no final newline
"\t[Interface]\t\n\n\n\tPrivateKey\t=\t$PRIV\t\n\n[Peer]\nPublicKey = $PUB1"
# trailing whitespace-only last line, and one that ends with a newline
"[Interface]\nListenPort = 1\n   "
"[Interface]\nListenPort = 1\n   \n"
# empty file, comment-only file
""
"# nothing here\n"
# two interface sections, keys after peers, whitespace inside values
"[Interface]\nPrivateKey = $PRIV\n[Peer]\nPublicKey = $PUB1\nEndpoint = 1 9 8.51.100.1:5 1820\n[Interface]\nMTU = 1280\nListen Port = 5\n"
)
for text in "${valid[@]}"; do
    n=$((n + 1))
    f="$dir/wgxs$n.conf"
    printf -- "$text" >"$f"
    chmod 600 "$f"
    want=$(wg-quick strip "$f" 2>"$dir/want.err"; echo "rc=$?")
    got=$("$WGXQ" strip "$f" 2>"$dir/got.err"; echo "rc=$?")
    if [[ "$want" != "$got" ]]; then
        echo "FAIL: case $n differs"
        diff <(printf '%s' "$want" | od -c) <(printf '%s' "$got" | od -c) | head -20
        cat "$dir/got.err"
        fails=$((fails + 1))
    fi
done

# Bad lines: wgx names the file and line and fails.
bad=(
"[Interface]\nPrivateKey = $PRIV\nListenPort = nope\n|3"
"[Interface]\nSaveConfig = maybe\n|2"
"[Peer]\nPublicKey = $PUB1\nAllowedIPs = 10.0.0.1/33\n|3"
"[Peer]\nPublicKey = $PUB1\nAddress = 10.0.0.1/24\n|3"
"[Interface]\n\n\nBogusKey = 1\n|4"
"[Peer]\nAllowedIPs = 10.0.0.0/8\n|1"
"[Interface]\nAddress = 10.0.0.300/24\n|2"
)
for item in "${bad[@]}"; do
    n=$((n + 1))
    text=${item%|*}
    line=${item##*|}
    f="$dir/wgxs$n.conf"
    printf -- "$text" >"$f"
    chmod 600 "$f"
    "$WGXQ" strip "$f" >"$dir/out" 2>"$dir/err"
    rc=$?
    if [[ $rc -eq 0 ]] || ! grep -q "$f:$line: " "$dir/err" || [[ $(wc -l <"$dir/err") -ne 1 ]] || [[ -s "$dir/out" ]]; then
        echo "FAIL: bad case $n: rc=$rc, want one line naming $f:$line:"
        cat "$dir/err"
        fails=$((fails + 1))
    fi
done

echo "$n cases, $fails failures"
[[ $fails -eq 0 ]]
