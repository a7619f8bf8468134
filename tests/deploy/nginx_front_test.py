#!/usr/bin/env python3
"""deploy/nginx/feedback-central.conf in a real nginx in front of the real `feedback-central serve`.

The shipped file is used as it is, except for what a test on a shared machine must change: the listen
addresses (loopback and free ports instead of *:80 and *:443), the centre's port and the certificate paths
(a throwaway self-signed certificate). Every check goes through nginx with curl over HTTPS (--cacert): a
kiosk's batch gets 201 and its receipt, health answers (TLS 1.2 and 1.3), the readers' endpoints answer
only private addresses (the client 127.0.0.2 is on loopback but not on the shipped allow list, so it stands
for "not a private network"; 127.0.0.1 is on it), bodies over 1m get 413, over-long heads are refused and
an unfinished one is dropped after 10 s (each by nginx, not the centre behind it), plain HTTP is redirected
and never proxied.

Usage: nginx_front_test.py FEEDBACK_CENTRAL_EXE REPO_DIR. Exit 0: passed; 1: failed; 77: nginx, openssl or
curl is missing (CTest reports the test skipped).
"""
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time

SKIP = 77


def find_tool(name):
    # nginx lives in /usr/sbin, which is not on every user's PATH.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, what, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} is not listening on port {port} after {seconds} s")


def substitute(text, pattern, replacement, count):
    """Replaces `pattern` exactly `count` times, so a changed shipped file fails here, not silently."""
    new, n = re.subn(pattern, replacement, text)
    if n != count:
        raise RuntimeError(f"expected {count} match(es) of {pattern!r} in the shipped file, found {n}")
    return new


def by_nginx(body):
    """nginx refuses with an HTML page; the centre answers JSON. Tells which of the two drew the line."""
    return body.lstrip().startswith("<html>")


class Failures:
    def __init__(self):
        self.messages = []

    def check(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            self.messages.append(what)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    central_exe, repo = sys.argv[1], sys.argv[2]
    tools = {name: find_tool(name) for name in ("nginx", "openssl", "curl")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        print(f"SKIP: {', '.join(missing)} not installed (deploy/install-deps.sh installs them)")
        return SKIP

    work = tempfile.mkdtemp(prefix="fk-nginx-")
    # nginx's workers (nobody, when the master is root) must reach the temp directories inside.
    os.chmod(work, 0o755)
    procs = []
    try:
        return run(tools, central_exe, repo, work, procs)
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        shutil.rmtree(work, ignore_errors=True)


def run(tools, central_exe, repo, work, procs):
    failures = Failures()
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run([tools["openssl"], "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-days", "2", "-keyout", key, "-out", cert], check=True, capture_output=True)

    # The centre: a kiosk and an admin enrolled with the real binary, then served on a free loopback port.
    db = os.path.join(work, "central.sqlite")

    def central(*args):
        done = subprocess.run([central_exe, *args, "--db", db], check=True, capture_output=True, text=True)
        return done.stdout.strip().splitlines()[-1]

    kiosk_token = central("kiosk", "add", "lobby-1", "--site", "Central Division")
    admin_token = central("user", "add", "ana", "--role", "admin")
    centre = subprocess.Popen([central_exe, "serve", "--listen", "127.0.0.1:0", "--db", db],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    procs.append(centre)
    line = centre.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    if not found:
        raise RuntimeError(f"feedback-central serve said {line!r}, not its address")
    centre_port = int(found.group(1))

    http_port, https_port = free_port(), free_port()
    with open(os.path.join(repo, "deploy", "nginx", "feedback-central.conf")) as f:
        site = f.read()
    site = substitute(site, r"listen 80;", f"listen 127.0.0.1:{http_port};", 1)
    site = substitute(site, r"listen \[::\]:80;", f"listen [::1]:{http_port};", 1)
    site = substitute(site, r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;", 1)
    site = substitute(site, r"listen \[::\]:443 ssl;", f"listen [::1]:{https_port} ssl;", 1)
    site = substitute(site, r"server 127\.0\.0\.1:8080;", f"server 127.0.0.1:{centre_port};", 1)
    site = substitute(site, r"ssl_certificate +\S+;", f"ssl_certificate {cert};", 1)
    site = substitute(site, r"ssl_certificate_key +\S+;", f"ssl_certificate_key {key};", 1)
    with open(os.path.join(work, "feedback-central.conf"), "w") as f:
        f.write(site)

    # The http block nginx.conf gives a sites-enabled file, with everything nginx writes inside `work`.
    temp_paths = "".join(f"    {kind}_temp_path {work}/{kind}_temp;\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(f"""worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {work}/access.log;
{temp_paths}    include {work}/feedback-central.conf;
}}
""")
    nginx_cmd = [tools["nginx"], "-p", work + "/", "-e", f"{work}/error.log", "-c", f"{work}/nginx.conf"]
    check = subprocess.run(nginx_cmd + ["-t"], capture_output=True, text=True)
    failures.check(check.returncode == 0, "nginx -t accepts the shipped file: " + check.stderr.strip()[-300:])
    if check.returncode != 0:
        return 1
    nginx = subprocess.Popen(nginx_cmd + ["-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    procs.append(nginx)
    wait_for_port(https_port, nginx, "nginx")

    base = f"https://localhost:{https_port}"
    tls = ["--cacert", cert, "--resolve", f"localhost:{https_port}:127.0.0.1"]

    def curl(path, *args, url=None):
        """Returns (status, body, headers) of one request; status 0 when no HTTP answer came."""
        out = subprocess.run([tools["curl"], "-sS", "--max-time", "20", "-o", "-", "-D", f"{work}/headers",
                              "-w", "\n%{http_code}", *args, url or base + path],
                             capture_output=True, text=True, errors="replace")
        body, _, status = out.stdout.rpartition("\n")
        try:
            with open(f"{work}/headers") as h:
                headers = h.read()
            os.remove(f"{work}/headers")
        except FileNotFoundError:
            headers = ""
        return int(status or 0), body, headers

    # Health, over TLS 1.2 and over TLS 1.3.
    for version in ("1.2", "1.3"):
        status, body, _ = curl("/api/v1/health", *tls, f"--tlsv{version}", "--tls-max", version)
        failures.check(status == 200 and json.loads(body or "{}").get("status") == "ok",
                       f"health answers over TLS {version} ({status} {body!r})")

    # A kiosk's batch: 201 and the receipt the API documents (two created, the wrong hash invalid).
    request = os.path.join(repo, "tests", "fixtures", "api", "ingest-request.json")
    status, body, _ = curl("/api/v1/responses", *tls, "-H", f"Authorization: Bearer {kiosk_token}",
                           "-H", "Content-Type: application/json", "--data-binary", f"@{request}")
    results = [r.get("status") for r in json.loads(body).get("results", [])] if status == 201 else []
    failures.check(status == 201 and results == ["created", "created", "invalid"],
                   f"a kiosk's batch gets 201 and its receipt ({status} {results})")
    status, body, _ = curl("/api/v1/kiosks/heartbeat", *tls, "-H", f"Authorization: Bearer {kiosk_token}",
                           "-H", "Content-Type: application/json", "--data-binary",
                           f"@{os.path.join(repo, 'tests', 'fixtures', 'api', 'heartbeat-request.json')}")
    failures.check(200 <= status < 300, f"a kiosk's heartbeat is passed on ({status})")
    status, _, _ = curl("/api/v1/surveys", *tls, "-H", f"Authorization: Bearer {kiosk_token}")
    failures.check(status == 200, f"a kiosk's survey list is passed on ({status})")
    status, _, _ = curl("/api/v1/responses", *tls, "-H", f"Authorization: Bearer {kiosk_token}")
    failures.check(status == 403, f"a kiosk path with another method is refused by nginx ({status})")
    status, _, _ = curl("/api/v1/nothing-here", *tls)
    failures.check(status == 404, f"a path that is not the centre's gets 404 ({status})")

    # Readers: 127.0.0.1 is on the allow list; 127.0.0.2 (loopback, but no private network) is not.
    admin = ["-H", f"Authorization: Bearer {admin_token}"]
    status, body, _ = curl("/api/v1/kiosks", *tls, *admin)
    failures.check(status == 200 and "lobby-1" in body, f"the fleet list answers an allowed address ({status})")
    for path in ("/api/v1/kiosks", "/api/v1/aggregates", "/api/v1/thanks", "/", "/login", "/logout"):
        status, _, _ = curl(path, *tls, *admin, "--interface", "127.0.0.2")
        failures.check(status == 403, f"{path} is refused to an address off the allow list ({status})")

    # Limits: body over 1m (413), request line over 8 KiB (414), one header over 8 KiB or 32 KiB of them (400).
    big = os.path.join(work, "big.json")
    with open(big, "wb") as f:
        f.write(b" " * (1024 * 1024 + 1))
    status, body, _ = curl("/api/v1/responses", *tls, "-H", f"Authorization: Bearer {kiosk_token}",
                           "-H", "Content-Type: application/json", "--data-binary", f"@{big}")
    failures.check(status == 413 and by_nginx(body), f"a body over 1m gets 413 from nginx ({status})")
    status, body, _ = curl("/api/v1/health?" + "x" * 9000, *tls)
    failures.check(status == 414 and by_nginx(body), f"a request line over 8 KiB gets 414 from nginx ({status})")
    status, body, _ = curl("/api/v1/health", *tls, "-H", "X-Big: " + "y" * 9000)
    failures.check(status == 400 and by_nginx(body), f"a header over 8 KiB is refused by nginx ({status})")
    many = [arg for i in range(5) for arg in ("-H", f"X-Part-{i}: " + "z" * 7000)]
    status, body, _ = curl("/api/v1/health", *tls, *many)
    failures.check(status == 400 and by_nginx(body), f"headers over 32 KiB in all are refused by nginx ({status})")
    status, _, _ = curl("/api/v1/health", *tls, "-H", "X-Fits: " + "w" * 7000)
    failures.check(status == 200, f"a head within the limits is answered ({status})")

    # A head that never ends (slowloris) is dropped after client_header_timeout (10 s), not held open.
    context = ssl.create_default_context(cafile=cert)
    with socket.create_connection(("127.0.0.1", https_port), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as conn:
            started = time.monotonic()
            conn.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n")
            try:
                closed = conn.recv(4096) == b""
            except (ConnectionError, ssl.SSLError):
                closed = True
            waited = time.monotonic() - started
    failures.check(closed and 9 <= waited <= 15, f"an unfinished head is dropped after 10 s ({waited:.1f} s)")

    # Plain HTTP: redirected to HTTPS on its port 80, refused on the TLS port; never proxied.
    status, body, headers = curl("", url=f"http://127.0.0.1:{http_port}/api/v1/health")
    location = re.search(r"(?im)^location: *(\S+)", headers)
    failures.check(status == 301 and location is not None and location.group(1).startswith("https://"),
                   f"plain HTTP is redirected to HTTPS ({status} {location.group(1) if location else None})")
    status, _, _ = curl("", "-H", f"Authorization: Bearer {kiosk_token}", "-H", "Content-Type: application/json",
                        "--data-binary", f"@{request}", url=f"http://127.0.0.1:{http_port}/api/v1/responses")
    failures.check(status == 301, f"a batch over plain HTTP is redirected, not stored ({status})")
    status, _, _ = curl("", url=f"http://127.0.0.1:{https_port}/api/v1/health")
    failures.check(status == 400, f"plain HTTP on the TLS port is refused ({status})")

    # What reached the centre: the two valid items of the one batch sent over TLS.
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    failures.check(stored == 2, f"the centre stored the batch's two valid responses ({stored})")

    if failures.messages:
        print("\nnginx error log:\n" + open(f"{work}/error.log").read()[-3000:])
        print(f"{len(failures.messages)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
