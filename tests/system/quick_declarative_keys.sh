#!/bin/bash
# Declarative keys: a config with PrivateKeyFile, PresharedKeyFile and ExcludedIPs brought up by
# wgx-quick leaves exactly the state wg-quick leaves for the hand-written equivalent (inline keys,
# AllowedIPs computed by Python's ipaddress); `strip` prints that equivalent; a key file others
# may read, or one owned by another user, is refused with one line and nothing is left behind.
source "$(dirname "$0")/quick_lib.bash"
quick_init

keys="$QUICK_TMP/keys"
mkdir -m 700 "$keys"
printf '%s\n' "$QUICK_PRIV" > "$keys/server.key"
printf '%s\n' "$QUICK_PSK" > "$keys/peer1.psk"
chmod 600 "$keys/server.key" "$keys/peer1.psk"

# A full tunnel that keeps the uplink's own network and a documentation range outside.
compiled="$(python3 -c '
import ipaddress
cuts = [ipaddress.ip_network(c) for c in ("198.51.100.0/24", "203.0.113.128/25")]
nets = [ipaddress.ip_network("0.0.0.0/0")]
for c in cuts:
    nets = [m for n in nets for m in ((n.address_exclude(c)) if n.supernet_of(c) else [n])]
print(", ".join(str(n) for n in sorted(ipaddress.collapse_addresses(nets))))')"

declarative="[Interface]
PrivateKeyFile = $keys/server.key
Address = 192.0.2.1/24
ListenPort = 51820

[Peer]
PublicKey = $QUICK_PEER1
PresharedKeyFile = $keys/peer1.psk
AllowedIPs = 0.0.0.0/0
ExcludedIPs = 198.51.100.0/24, 203.0.113.128/25
Endpoint = 198.51.100.2:51820"

inline="[Interface]
PrivateKey = $QUICK_PRIV
Address = 192.0.2.1/24
ListenPort = 51820

[Peer]
PublicKey = $QUICK_PEER1
PresharedKey = $QUICK_PSK
AllowedIPs = $compiled
Endpoint = 198.51.100.2:51820"

# 1. up: the same state as wg-quick with the inline equivalent; down leaves nothing.
quick_run wg-quick "$inline" "$QUICK_TMP/ref" || quick_fail "wg-quick run failed"
quick_run wgx-quick "$declarative" "$QUICK_TMP/wgx" || quick_fail "wgx-quick run failed"
for t in ref wgx; do
	[[ $(cat "$QUICK_TMP/$t/rc-1-up") == 0 ]] || { quick_fail "$t up failed:"; cat "$QUICK_TMP/$t/stderr-1-up"; }
done
for w in $QUICK_STATE_FILES; do
	quick_compare "$QUICK_TMP/ref/after-1-up" "$QUICK_TMP/wgx/after-1-up" "$w"
done
grep -q "PresharedKey = $QUICK_PSK" "$QUICK_TMP/wgx/after-1-up/showconf" || quick_fail "the preshared key file was not applied"
quick_residue "$QUICK_TMP/wgx" after-2-down

# 2. strip prints the inline equivalent (what wg-quick strip prints for it, byte for byte).
printf '%s\n' "$declarative" > "$QUICK_TMP/declarative.conf"
printf '%s\n' "$inline" > "$QUICK_TMP/inline.conf"
chmod 600 "$QUICK_TMP/declarative.conf" "$QUICK_TMP/inline.conf"
"$WGX_BIN_DIR/wgx-quick" strip "$QUICK_TMP/declarative.conf" > "$QUICK_TMP/strip-wgx" || quick_fail "strip failed"
wg-quick strip "$QUICK_TMP/inline.conf" > "$QUICK_TMP/strip-ref"
# wg-quick keeps the Address line out; the order of key lines is the file's.
diff -u "$QUICK_TMP/strip-ref" "$QUICK_TMP/strip-wgx" || quick_fail "strip output differs from the inline equivalent"

# 3. A key file that others may read, or that another user owns: one line, no residue.
refused() { # refused WHAT EXPECTED_TEXT
	local d="$QUICK_TMP/refused-$1"
	quick_run wgx-quick "$declarative" "$d" "up" || quick_fail "$1: run failed"
	[[ $(cat "$d/rc-1-up") != 0 ]] || quick_fail "$1: up succeeded"
	[[ $(wc -l < "$d/stderr-1-up") == 1 ]] || { quick_fail "$1: not one line:"; cat "$d/stderr-1-up"; }
	grep -q -- "$2" "$d/stderr-1-up" || { quick_fail "$1: message lacks '$2':"; cat "$d/stderr-1-up"; }
	quick_residue "$d" after-1-up
}
chmod 640 "$keys/server.key"
refused group-readable "server.key' has mode 0640: it must be 0600 or stricter"
chmod 600 "$keys/server.key"
chmod 604 "$keys/peer1.psk"
refused world-readable "peer1.psk' has mode 0604"
chmod 600 "$keys/peer1.psk"
chown 65534 "$keys/peer1.psk"
refused foreign-owner "peer1.psk' is owned by uid 65534: it must be owned by root"
quick_finish
