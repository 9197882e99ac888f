#!/usr/bin/env bash
# Hardening issue, item 7: a UAPI request with a 10 MB line is refused without the engine
# holding 10 MB for the connection. Three clients at once send "set=1" and then one 10 MB line
# (no newline) in 64 KiB chunks, as fast as the engine takes them; the engine's RSS, sampled as
# they send, must stay within 8 MiB of where it started, every client must be refused (an
# errno reply or a closed connection before its 10 MB are all taken), and the engine must still
# answer `wg show` and apply nothing.
. "$(dirname "$0")/engine_lib.bash"
# Under ASan, freed memory waits in a quarantine (256 MB) before reuse, so RSS would grow with
# every chunk the engine frees; without the quarantine RSS again shows what the engine holds.
[[ ${WGX_SANITIZED:-} == address ]] &&
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
make_ns u NSU
IFU="wgxU$TAG"
start_engine wgx "$NSU" "$IFU"
PIDU=$ENGINE_PID
before_conf=$(wg_in "$NSU" showconf "$IFU")

python3 - "/var/run/wireguard/$IFU.sock" "$PIDU" >"$TMP/long.txt" 2>&1 <<'PY'
import socket, sys, threading, time
path, pid = sys.argv[1], sys.argv[2]
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
start = rss(); peak = start; results = []
def client():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(path)
    chunk = b"a" * 65536
    sent = 0
    try:
        s.sendall(b"set=1\nprivate_key=")
        while sent < 10 * 1024 * 1024:
            s.sendall(chunk)
            sent += len(chunk)
        s.shutdown(socket.SHUT_WR)
        reply = s.recv(4096)
        results.append(("reply", sent, reply.decode(errors="replace").strip()))
    except (BrokenPipeError, ConnectionResetError, socket.timeout) as e:
        results.append(("closed", sent, type(e).__name__))
threads = [threading.Thread(target=client) for _ in range(3)]
for t in threads: t.start()
while any(t.is_alive() for t in threads):
    peak = max(peak, rss()); time.sleep(0.01)
peak = max(peak, rss())
for r in results: print("client:", *r)
print("rss", start, peak)
PY
cat "$TMP/long.txt" | sed 's/^/# /'
status=0
read -r _ rss_start rss_peak < <(grep '^rss ' "$TMP/long.txt")
[ -n "${rss_peak:-}" ] || fail "the client script failed"
if ((rss_peak - rss_start > 8 * 1024)); then
    note "FAIL: the engine's RSS grew by $((rss_peak - rss_start)) KiB"
    status=1
fi
[ "$(grep -c '^client:' "$TMP/long.txt")" = 3 ] || { note "FAIL: not every client finished"; status=1; }
if grep '^client: reply' "$TMP/long.txt" | grep -v 'errno=-\?[1-9]' | grep -q .; then
    note "FAIL: a client got a reply without an errno"
    status=1
fi
kill -0 "$PIDU" || fail "the engine died"
after_conf=$(wg_in "$NSU" showconf "$IFU") || fail "the engine does not answer after the long lines"
[ "$before_conf" = "$after_conf" ] || { note "FAIL: the configuration changed"; status=1; }
((status == 0)) && echo "PASS: engine_uapi_long_line"
exit $status
