"""Throughput of the kader form's page next to a one-line Django view, both served by the
same gunicorn with the same settings and middleware, measured in one run.

Run from the project root:

    .venv/bin/python scripts/bench_intake.py [--requests 2000] [--threads 4] [--workers 4]
        [--rounds 3] [--database-url postgres://user:pass@127.0.0.1:5432/name]

It starts gunicorn on a free loopback port with the project's settings (DEBUG=false,
connections kept for 60 s, the database cache) and the URLconf of scripts/bench_intake_urls.py:
the project's URLs plus /bench/halo/, a view that returns one word. The data is a throw-away
SQLite database with 5 posyandu per village (65 in all), or, with --database-url, a PostgreSQL
database used for nothing else (migrated, given those posyandu if it has none, and a cache
table). Each round sends N GET requests, from a few client threads, a new connection each
(gunicorn's sync workers close it after every answer), to /bench/halo/, /lapor/ and one
posyandu's /lapor/<code>/ in turn, so a busy machine slows all three alike. It prints
requests per second (median and range over the rounds), the server's CPU time per request
(gunicorn's master and workers, read from /proc) and each page's ratio to the one-line view
in the same round, the median over the rounds (target for the form: at least 0.5).

Every answer must be a 200; every form must carry its own idempotency key and a CSRF token.
Only 127.0.0.1 is used, and the number of requests, threads and rounds is bounded.
"""

import argparse
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SCRIPTS))

from load_intake import process_cpu_seconds  # noqa: E402

HOST = "127.0.0.1"
MAX_REQUESTS = 20000
MAX_THREADS = 16
MAX_WORKERS = 16
MAX_ROUNDS = 10
START_TIMEOUT = 60
REQUEST_TIMEOUT = 30
POSYANDU_NAMES = ["Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia"]
KEY = re.compile(rb'name="idempotency_key" value="([0-9a-f-]{36})"')
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"')


def bounded(value, limit, name):
    if not 1 <= value <= limit:
        raise SystemExit(f"--{name} must be between 1 and {limit}.")
    return value


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def environment(workdir, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CACHE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench_intake_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(SCRIPTS)]),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuv",
            "ALLOWED_HOSTS": HOST,
            "PUBLIC_BASE_URL": f"http://{HOST}",
            "DATABASE_URL": database_url or f"sqlite:///{workdir}/bench.sqlite3",
            "DATABASE_CONN_MAX_AGE": "60",
            "CACHE_URL": "dbcache://gasken_bench_cache",
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
        }
    )
    return env


def prepare(env):
    """Migrate, make the cache table, collect the static files (the pages name their
    hashed copies, as in production) and give every village its posyandu. Returns the
    code of one posyandu."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from registrations.models import Posyandu, Village

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Posyandu.objects.active().exists():
        for i, village in enumerate(Village.objects.all()):
            for name in POSYANDU_NAMES:
                Posyandu.objects.create(
                    name=name, village=village, code=f"bench-{i}-{name}".lower()
                )
    code = Posyandu.objects.active().order_by("code").values_list("code", flat=True)[0]
    count = Posyandu.objects.active().count()
    connection.close()
    return code, count


class Server:
    def __init__(self, env, workers, workdir):
        self.port = free_port()
        self.log = workdir / "gunicorn.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "gasken.wsgi",
            f"--workers={workers}",
            f"--bind={HOST}:{self.port}",
            "--timeout=60",
        ]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/healthz", timeout=15) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):  # refused, reset, timed out
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass


def fetch(port, path):
    """One GET on a new connection, read to its end: plain sockets, so that the client
    threads spend little CPU of their own on the machine they share with the server."""
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
    chunks = []
    with socket.create_connection((HOST, port), timeout=REQUEST_TIMEOUT) as s:
        s.sendall(request)
        while data := s.recv(65536):
            chunks.append(data)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head[9:12]), body


def run(port, path, requests, threads):
    """N GETs of one path from a few threads; returns the seconds taken and the answers'
    statuses and bodies (kept to check them afterwards)."""
    answers = []
    lock = threading.Lock()

    def client(n):
        mine = [fetch(port, path) for _ in range(n)]
        with lock:
            answers.extend(mine)

    shares = [requests // threads + (1 if i < requests % threads else 0) for i in range(threads)]
    workers = [threading.Thread(target=client, args=(n,)) for n in shares if n]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - started, answers


def check(path, answers, keys):
    problems = []
    bad = [status for status, _ in answers if status != 200]
    if bad:
        problems.append(f"{path}: {len(bad)} answers were not 200 (e.g. {bad[0]})")
    if path.startswith("/lapor/"):
        for _, body in answers:
            key = KEY.search(body)
            if not key or not TOKEN.search(body):
                problems.append(f"{path}: a form without its idempotency key or CSRF token")
                break
            keys.append(uuid.UUID(key.group(1).decode()))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="GETs per page and round")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL database used for nothing else")
    args = parser.parse_args()
    requests = bounded(args.requests, MAX_REQUESTS, "requests")
    threads = bounded(args.threads, MAX_THREADS, "threads")
    workers = bounded(args.workers, MAX_WORKERS, "workers")
    rounds = bounded(args.rounds, MAX_ROUNDS, "rounds")

    with tempfile.TemporaryDirectory(prefix="gasken-bench-intake-") as tmp:
        workdir = Path(tmp)
        env = environment(workdir, args.database_url)
        code, count = prepare(env)
        from django.db import connection

        print(
            f"Python {platform.python_version()}, {os.cpu_count()} cores, load "
            f"{os.getloadavg()[0]:.1f}; {connection.vendor}, {count} posyandu; gunicorn "
            f"{workers} workers; {threads} client threads, {requests} GETs per page and round"
        )
        pages = [
            ("one-line view", "/bench/halo/"),
            ("/lapor/", "/lapor/"),
            ("/lapor/<posyandu>/", f"/lapor/{code}/"),
        ]
        server = Server(env, workers, workdir)
        try:
            server.wait_until_ready()
            for _, path in pages:  # every worker opens its connection, fills its caches
                run(server.port, path, 20 * workers, threads)
            rates = {path: [] for _, path in pages}
            cpu = {path: [] for _, path in pages}
            sizes = {}
            keys, problems = [], []
            for _ in range(rounds):
                for _, path in pages:
                    before, _ = process_cpu_seconds(server.process.pid)
                    seconds, answers = run(server.port, path, requests, threads)
                    after, _ = process_cpu_seconds(server.process.pid)
                    rates[path].append(requests / seconds)
                    cpu[path].append((after - before) / requests * 1000)
                    sizes[path] = len(answers[0][1])
                    problems += check(path, answers, keys)
        finally:
            server.stop()

    # Each ratio is taken within a round (the three pages one after the other), then the
    # median over the rounds: other work on the machine comes and goes between rounds.
    halo = "/bench/halo/"
    print(
        f"\n{'page':<20} {'bytes':>7} {'requests/s':>22} {'CPU ms/request':>15} "
        f"{'× requests/s':>13} {'× CPU':>6}"
    )
    for name, path in pages:
        rate, ms = statistics.median(rates[path]), statistics.median(cpu[path])
        spread = f"({min(rates[path]):.0f}–{max(rates[path]):.0f})"
        rate_ratio = statistics.median(r / h for r, h in zip(rates[path], rates[halo], strict=True))
        cpu_ratio = statistics.median(h / c for c, h in zip(cpu[path], cpu[halo], strict=True))
        print(
            f"{name:<20} {sizes[path]:>7} {rate:>8.0f} {spread:>13} {ms:>15.2f} "
            f"{rate_ratio:>13.2f} {cpu_ratio:>6.2f}"
        )
    if len(set(keys)) != len(keys):
        problems.append(f"{len(keys) - len(set(keys))} idempotency keys were served twice")
    print(f"\n{len(keys)} forms, {len(set(keys))} different idempotency keys.")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
