# Shared by the tests/system/quick_dns_*.sh tests (sourced after quick_lib.bash, not a test
# itself): a private system bus (a dbus-daemon of our own, never the host's) and, on it, the
# recording stand-in for systemd-resolved (tests/support/resolve1_stub.py). Both are stopped
# by PID when the test exits.

DNS_STUB="$(cd "$(dirname "${BASH_SOURCE[0]}")/../support" && pwd)/resolve1_stub.py"
DNS_PIDS=()

dns_cleanup() {
	local p
	for p in "${DNS_PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	quick_cleanup
}

# dns_require: skip (77) without dbus-daemon or the Python D-Bus bindings the stub uses.
dns_require() {
	command -v dbus-daemon >/dev/null || { echo "skipped: dbus-daemon not installed (tools/bootstrap)"; exit 77; }
	/usr/bin/python3 -c 'import dbus, dbus.service, dbus.mainloop.glib; from gi.repository import GLib' 2>/dev/null ||
		{ echo "skipped: python3-dbus or python3-gi missing (tools/bootstrap)"; exit 77; }
	trap dns_cleanup EXIT
}

# dns_bus DIR: starts a system-type dbus-daemon listening in DIR; sets DNS_BUS to its address.
dns_bus() {
	local dir="$1" i
	mkdir -p "$dir"
	cat > "$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$dir/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
CONF
	dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile --print-address > "$dir/address" 2> "$dir/daemon.log" &
	DNS_PIDS+=($!)
	for i in $(seq 100); do [[ -s $dir/address ]] && break; sleep 0.05; done
	[[ -s $dir/address ]] || { echo "FAIL: dbus-daemon did not start:"; cat "$dir/daemon.log"; exit 1; }
	DNS_BUS="$(head -n 1 "$dir/address")"
}

# dns_stub DIR [FAILING_METHOD]: the resolve1 stand-in on DNS_BUS, logging to DIR/calls.
dns_stub() {
	local dir="$1" fail="${2:-}" i
	mkdir -p "$dir"
	rm -f "$dir/ready" "$dir/calls"
	DBUS_SYSTEM_BUS_ADDRESS="$DNS_BUS" RESOLVE1_STUB_FAIL="$fail" \
		timeout 250 /usr/bin/python3 "$DNS_STUB" "$dir/calls" > "$dir/stub.log" 2>&1 &
	DNS_PIDS+=($!)
	for i in $(seq 100); do [[ -e $dir/ready ]] && break; sleep 0.05; done
	[[ -e $dir/ready ]] || { echo "FAIL: the resolve1 stub did not start:"; cat "$dir/stub.log"; exit 1; }
	touch "$dir/calls"
}

# dns_expect_calls NAME FILE EXPECTED: the stub's log is exactly EXPECTED (lines).
dns_expect_calls() {
	if ! diff -u <(printf '%s\n' "$3" | sed '/^$/d') "$2" > "$QUICK_TMP/calls.diff"; then
		quick_fail "$1: the calls to resolve1 differ:"
		cat "$QUICK_TMP/calls.diff"
	fi
}
