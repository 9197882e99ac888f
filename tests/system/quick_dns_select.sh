#!/bin/bash
# Which DNS backend up takes, and the resolvconf backend itself. Automatically: systemd-resolved
# when org.freedesktop.resolve1 is owned on the system bus (a private dbus-daemon with the
# recording stub), else resolvconf when installed (the recording stub of quick_lib.bash), else
# /etc/resolv.conf (a private bind mount); --dns-backend= overrides; a bad value is one line and
# exit 1 with nothing changed. With resolvconf: the exact arguments and stdin, wg-quick's own
# for the same file, and a warning for each ~ domain, which becomes a search domain.
source "$(dirname "$0")/quick_lib.bash"
source "$(dirname "$0")/quick_dns_lib.bash"
quick_init
dns_require
dns_bus "$QUICK_TMP/bus"
dns_bus "$QUICK_TMP/empty-bus" # a bus where nobody owns resolve1
EMPTY_BUS="$DNS_BUS"
dns_bus "$QUICK_TMP/bus2"

body="[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24
DNS = 198.51.100.53, fd00:53::1, corp.example

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0
Endpoint = 203.0.113.7:51820"

# wg-quick's prefix of the resolvconf name (from the host's interface-order, if any).
prefix="$(sed -n -E 's/^[[:space:]]*([A-Za-z0-9-]+)\*[[:space:]]*$/\1./p' /etc/resolvconf/interface-order 2>/dev/null | head -n 1)"
name="$prefix$QUICK_IF"

# used NAME DIR: which backend a run used, from what each recorder saw.
used() {
	local d="$2" u=""
	[[ -s $d/stub/calls ]] && u+="resolved "
	[[ -s $d/resolv/log ]] && u+="resolvconf "
	cmp -s "$d/before/resolv.conf" "$d/after-1-up/resolv.conf" || u+="file "
	echo "${u% }"
}

# select_run NAME BUS STUB(yes|no) EXPECTED [UP_OPTIONS]: up and down, the backend used is EXPECTED.
select_run() {
	local n="$1" bus="$2" stub="$3" want="$4" opts="${5:-}" d="$QUICK_TMP/$1" got
	mkdir -p "$d/stub"
	if [[ $stub == yes ]]; then DNS_BUS="$bus" dns_stub "$d/stub"; fi
	QUICK_EXTRA_ENV="DBUS_SYSTEM_BUS_ADDRESS=$bus QUICK_UP_OPTIONS=$opts" \
		quick_run wgx-quick "$body" "$d" "up down" || quick_fail "$n: run failed: $(cat "$d/inner.log")"
	if [[ $stub == yes ]]; then kill "${DNS_PIDS[-1]}"; wait "${DNS_PIDS[-1]}" 2>/dev/null; fi
	[[ $(cat "$d/rc-1-up") == 0 ]] || { quick_fail "$n: up failed:"; cat "$d/stderr-1-up"; }
	got="$(used "$n" "$d")"
	[[ $got == "$want" ]] || quick_fail "$n: used [$got], expected [$want]"
	quick_residue "$d" after-2-down
	echo "$n: $got"
}

# 1. The automatic order, then each override against it.
select_run auto-resolved "unix:path=$QUICK_TMP/bus/system_bus_socket" yes resolved
select_run auto-resolvconf "$EMPTY_BUS" no resolvconf
if ! command -v resolvconf >/dev/null; then
	QUICK_NO_RESOLVCONF=1 select_run auto-file "$EMPTY_BUS" no file
	QUICK_NO_RESOLVCONF=1 select_run auto-file-no-bus "unix:path=$QUICK_TMP/no-such-bus" no file
else
	echo "auto-file: skipped (resolvconf is installed on this machine)"
fi
select_run forced-file "unix:path=$QUICK_TMP/bus2/system_bus_socket" yes file --dns-backend=file
select_run forced-resolvconf "unix:path=$QUICK_TMP/bus2/system_bus_socket" yes resolvconf --dns-backend=resolvconf

# 2. resolved asked for where no bus answers: up fails, names the cause, leaves nothing.
d="$QUICK_TMP/forced-resolved-no-bus"
QUICK_EXTRA_ENV="DBUS_SYSTEM_BUS_ADDRESS=unix:path=$QUICK_TMP/no-such-bus QUICK_UP_OPTIONS=--dns-backend=resolved" \
	quick_run wgx-quick "$body" "$d" "up" || quick_fail "forced-resolved-no-bus: run failed"
[[ $(cat "$d/rc-1-up") == 1 ]] || quick_fail "forced-resolved-no-bus: up did not fail with 1"
grep -q "Unable to reach the system bus for systemd-resolved" "$d/stderr-1-up" ||
	{ quick_fail "forced-resolved-no-bus: message:"; cat "$d/stderr-1-up"; }
quick_residue "$d" after-1-up
echo "forced-resolved-no-bus: $(grep systemd-resolved "$d/stderr-1-up" | head -n 1)"

# 3. A bad value: exactly one line, exit 1, before anything is touched.
d="$QUICK_TMP/bad-value"
QUICK_EXTRA_ENV="QUICK_UP_OPTIONS=--dns-backend=systemd" quick_run wgx-quick "$body" "$d" "up" || quick_fail "bad-value: run failed"
[[ $(cat "$d/rc-1-up") == 1 ]] || quick_fail "bad-value: exit status $(cat "$d/rc-1-up")"
expected="wgx-quick: --dns-backend: \`systemd' is not a DNS backend (resolved, resolvconf or file)"
[[ $(cat "$d/stderr-1-up") == "$expected" ]] || { quick_fail "bad-value: stderr:"; cat "$d/stderr-1-up"; }
diff -r "$d/before" "$d/after-1-up" > /dev/null || quick_fail "bad-value: something changed"
echo "bad-value: $(cat "$d/stderr-1-up")"

# 4. resolvconf: the arguments and stdin are wg-quick's for the same file, byte for byte.
quick_run wg-quick "$body" "$QUICK_TMP/ref" "up down" || quick_fail "ref: run failed"
d="$QUICK_TMP/auto-resolvconf"
for f in log; do
	diff -u "$QUICK_TMP/ref/resolv/$f" "$d/resolv/$f" || quick_fail "resolvconf: $f differs from wg-quick's"
done
quick_compare "$QUICK_TMP/ref/after-1-up" "$d/after-1-up" resolv
grep '^\[#\] resolvconf' "$QUICK_TMP/ref/stderr-1-up" > "$QUICK_TMP/echo-ref"
grep '^\[#\] resolvconf' "$d/stderr-1-up" > "$QUICK_TMP/echo-wgx"
diff -u "$QUICK_TMP/echo-ref" "$QUICK_TMP/echo-wgx" || quick_fail "resolvconf: the echoed commands differ from wg-quick's"
printf 'resolvconf -a %s -m 0 -x\nresolvconf -d %s -f\n' "$name" "$name" | diff -u - "$d/resolv/log" || quick_fail "resolvconf: arguments"
printf '== iface/%s\nnameserver 198.51.100.53\nnameserver fd00:53::1\nsearch corp.example\n' "$name" |
	diff -u - "$d/after-1-up/resolv" || quick_fail "resolvconf: stdin"
grep -q "Warning: resolvconf" "$d/stderr-1-up" && quick_fail "resolvconf: a warning without ~ domains"

# 5. resolvconf with ~ domains: they become search domains, each with a warning.
d="$QUICK_TMP/tilde"
QUICK_EXTRA_ENV="DBUS_SYSTEM_BUS_ADDRESS=$EMPTY_BUS" quick_run wgx-quick "${body/corp.example/corp.example, ~internal.example, ~.}" "$d" "up down" ||
	quick_fail "tilde: run failed"
[[ $(cat "$d/rc-1-up") == 0 ]] || { quick_fail "tilde: up failed:"; cat "$d/stderr-1-up"; }
printf '== iface/%s\nnameserver 198.51.100.53\nnameserver fd00:53::1\nsearch corp.example internal.example\n' "$name" |
	diff -u - "$d/after-1-up/resolv" || quick_fail "tilde: stdin"
grep -qxF "Warning: resolvconf: ~internal.example becomes the search domain internal.example (this backend has no routing-only domains)" "$d/stderr-1-up" ||
	{ quick_fail "tilde: no warning for ~internal.example:"; cat "$d/stderr-1-up"; }
grep -qF "Warning: resolvconf: ~. (every query through the tunnel) has no search-list equivalent" "$d/stderr-1-up" ||
	quick_fail "tilde: no warning for ~."
quick_residue "$d" after-2-down
echo "tilde: $(grep -c "Warning: resolvconf" "$d/stderr-1-up") warnings"

quick_finish
