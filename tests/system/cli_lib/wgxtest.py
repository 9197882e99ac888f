"""Shared helpers of the cli_* system tests: root checks, a private /var/run/wireguard, a replay
UAPI server, wireguard-go devices in a network namespace, and running wg and wgx side by side."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

WGX = os.environ.get("WGX", "wgx")
WG = shutil.which("wg") or "wg"
SOCK_DIR = "/var/run/wireguard"
# One frozen instant for every tool run under faketime (2026-11-23 10:00:00 UTC).
FROZEN = 1795428000
FROZEN_TEXT = "2026-11-23 10:00:00"


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def require_root_and_tools(*tools):
    if os.geteuid() != 0:
        skip("needs root (network namespaces, /var/run/wireguard)")
    for t in (WG,) + tools:
        if not shutil.which(t):
            skip(f"{t} is not installed")
    if not os.access(WGX, os.X_OK):
        skip(f"wgx binary not found at {WGX}")


def private_socket_dir():
    """Re-runs this script in its own mount namespace with a tmpfs on /var/run/wireguard, so
    parallel tests never see each other's sockets (and `show all` is deterministic)."""
    if os.environ.get("WGX_CLI_PRIVATE_NS") != "1":
        env = dict(os.environ, WGX_CLI_PRIVATE_NS="1")
        os.makedirs("/run/wireguard", exist_ok=True)
        r = subprocess.run(["unshare", "-m", "--propagation", "private", sys.executable] +
                           sys.argv, env=env)
        sys.exit(r.returncode)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "wgx-cli", "/run/wireguard"],
                   check=True)


def tag():
    return f"{os.getpid() % 10000}"


class ReplayServer:
    """Answers every `get=1` on DIR/NAME.sock with a recorded reply, and `set=1` with
    `set_reply` (recording the requests)."""

    def __init__(self, name, get_reply, set_reply=b"errno=0\n\n"):
        self.name = name
        self.get_reply = get_reply if isinstance(get_reply, bytes) else get_reply.encode()
        self.set_reply = set_reply
        self.requests = []
        self.path = os.path.join(SOCK_DIR, name + ".sock")
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        self.sock.listen(16)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                try:
                    while b"\n\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    continue
                if not data:
                    continue  # a liveness probe (connect only)
                self.requests.append(data)
                try:
                    if data.startswith(b"get=1"):
                        answer = self.get_reply
                    elif callable(self.set_reply):
                        answer = self.set_reply(data)
                    else:
                        answer = self.set_reply
                    conn.sendall(answer)
                except OSError:
                    pass

    def close(self):
        # close() alone does not wake a thread blocked in accept(); its fd number would then be
        # reused by the next server and this thread would answer for it. shutdown() wakes it.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(5)
        self.sock.close()
        if os.path.exists(self.path):
            os.unlink(self.path)


def run(argv, env=None, stdin=None, timeout=20):
    p = subprocess.run(argv, capture_output=True, env=env, input=stdin, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def tool_env(extra=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("WG_COLOR_MODE", "WG_HIDE_KEYS", "FAKETIME")}
    env.update(extra or {})
    return env


def both(args, env_extra=None, frozen=False, stdin=None):
    """Runs wg and wgx with the same arguments; returns ((rc, out, err) for wg, for wgx) with
    each tool's own name in stderr replaced by PROG."""
    env = tool_env(env_extra)
    results = []
    for tool in (WG, WGX):
        argv = [tool] + list(args)
        if frozen:
            argv = ["faketime", "-f", FROZEN_TEXT] + argv
        rc, out, err = run(argv, env=env, stdin=stdin)
        results.append((rc, out, err.replace(tool.encode(), b"PROG")))
    return results[0], results[1]


def short(value, limit=600):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


class Differences:
    def __init__(self):
        self.items = []
        self.compared = 0

    def compare(self, what, a, b):
        self.compared += 1
        if a != b:
            self.items.append((what, a, b))

    def finish(self, summary):
        if self.items:
            print(f"{len(self.items)} of {self.compared} comparisons differ from wg:")
            for what, a, b in self.items[:15]:
                print(f"--- {what}\n  wg : {short(a)}\n  wgx: {short(b)}")
            sys.exit(1)
        print(f"{summary}: {self.compared} comparisons byte-identical to wg")


class WireguardGo:
    """wireguard-go devices inside a private network namespace (their sockets land in the
    private /var/run/wireguard)."""

    def __init__(self, netns):
        self.netns = netns
        self.procs = {}
        subprocess.run(["ip", "netns", "add", netns], check=True)

    def add(self, name):
        env = dict(os.environ, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD="1")
        p = subprocess.Popen(["ip", "netns", "exec", self.netns, "wireguard-go", "-f", name],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs[name] = p
        path = os.path.join(SOCK_DIR, name + ".sock")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if os.path.exists(path):
                return name
            if p.poll() is not None:
                raise RuntimeError(f"wireguard-go {name} exited with {p.returncode}")
            time.sleep(0.02)
        raise RuntimeError(f"wireguard-go {name} did not create {path}")

    def remove(self, name):
        p = self.procs.pop(name, None)
        if p:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def close(self):
        for name in list(self.procs):
            self.remove(name)
        subprocess.run(["ip", "netns", "del", self.netns], stderr=subprocess.DEVNULL)


def uapi_get(name):
    """The raw `get=1` reply of a device."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(os.path.join(SOCK_DIR, name + ".sock"))
    s.sendall(b"get=1\n\n")
    data = b""
    while not data.endswith(b"\n\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def canonical_state(reply):
    """A get reply as a comparable value: device keys, and peers by public key with their
    allowed IPs as a set (wireguard-go lists peers in random order). Counters and handshake
    times are dropped; listen_port is kept."""
    device = {}
    peers = {}
    peer = None
    for line in reply.decode().split("\n"):
        if not line or "=" not in line:
            continue
        k, v = line.split("=", 1)
        if k == "public_key":
            peer = peers.setdefault(v, {"allowed_ip": set()})
        elif peer is None:
            if k != "errno":
                device[k] = v
        elif k == "allowed_ip":
            peer["allowed_ip"].add(v)
        elif k in ("preshared_key", "endpoint", "persistent_keepalive_interval"):
            peer[k] = v
    return device, {k: (tuple(sorted((kk, vv) for kk, vv in p.items() if kk != "allowed_ip")),
                        tuple(sorted(p["allowed_ip"])))
                    for k, p in peers.items()}


class KeyStore:
    """Real key pairs (from wg genkey/pubkey) and key files in a private directory."""

    def __init__(self, directory):
        self.dir = directory
        self.count = 0

    def pair(self):
        priv = run([WG, "genkey"])[1].strip().decode()
        pub = run([WG, "pubkey"], stdin=(priv + "\n").encode())[1].strip().decode()
        return priv, pub

    def psk(self):
        return run([WG, "genpsk"])[1].strip().decode()

    def file(self, content):
        self.count += 1
        path = os.path.join(self.dir, f"k{self.count}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, content.encode() if isinstance(content, str) else content)
        os.close(fd)
        return path


def apply(tool, op, device, env=None):
    """Runs one operation against `device`: ("set", [args]), ("setconf"|"addconf"|"syncconf",
    config text or path), or ("shell", "set {dev} ...") run through bash."""
    kind, arg = op
    env = tool_env(env)
    if kind == "set":
        return run([tool, "set", device] + list(arg), env=env)
    if kind == "shell":
        cmd = f"'{tool}' " + arg.replace("{dev}", device)
        return run(["bash", "-c", cmd], env=env)
    path = arg
    if "\n" in arg or not arg.startswith("/"):
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"wgx-cli-{os.getpid()}.conf")
        with open(path, "w") as f:
            f.write(arg)
    try:
        return run([tool, kind, device, path], env=env)
    finally:
        if path != arg:
            os.unlink(path)
