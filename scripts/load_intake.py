"""Load test of the kader form: N reports with two photos each, sent at the same moment to a
running server on this machine, then checked against the database and the storage.

Run it with the same environment (.env, DATABASE_URL, MEDIA_ROOT or AWS_*) as the server, so
that it can check what the server saved:

    .venv/bin/python scripts/load_intake.py http://127.0.0.1:8000 [-n 200] [--pid GUNICORN_PID]

Every report gets its own idempotency key and child name. Afterwards every 2xx answer must
have its report with both documents and both files in storage, no answer may be a 5xx, and
no report may be saved twice. It prints the latency (p50, p95), the throughput and, with
--pid (the gunicorn master), the server's CPU time per report read from /proc. Only loopback
addresses are accepted; the number of reports and every wait are bounded.
"""

import argparse
import http.client
import ipaddress
import os
import re
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_uploads import phone_photo  # noqa: E402

MAX_REPORTS = 1000
REQUEST_TIMEOUT = 180  # seconds, per request


def loopback_url(url):
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "http":
        raise SystemExit("Use an http:// URL of a server on this machine.")
    try:
        is_loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise SystemExit(
            f"{host!r} is not a loopback address: this script only loads this machine."
        )
    return host, parts.port or 80


def process_cpu_seconds(master_pid):
    """User + system CPU time of the gunicorn master and all its workers, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [master_pid] + [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _parent(p) == master_pid
    ]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks, len(pids) - 1


def _parent(proc_dir):
    try:
        return int((proc_dir / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    lines = []
    for name, value in fields.items():
        lines.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        lines.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    lines.append(f"--{boundary}--\r\n".encode())
    return b"".join(lines), f"multipart/form-data; boundary={boundary}"


def report_fields(run, i):
    from datetime import date, timedelta

    today = date.today()
    return {
        "kader_name": "Kader Uji Beban",
        "kader_phone": "0812-3456-7890",
        "village": "19.01.01.1009",
        "posyandu": "lain",
        "posyandu_other": "Posyandu Uji Beban",
        "child_name": f"Uji Beban {run} {i}",
        "child_sex": "P" if i % 2 else "L",
        "birth_date": (today - timedelta(days=300 + i % 1000)).isoformat(),
        "mother_name": "Ibu Uji",
        "parent_occupation": "Nelayan",
        "address": "Jl. Uji Beban",
        "measured_on": today.isoformat(),
        "weight_kg": "8,5",
        "height_cm": "72.0",
        "measurement_position": "lying",
        "reported_as": "at_risk" if i % 3 == 0 else "stunted",
        # At risk for a low birth weight, which the weight itself states.
        "birth_weight_g": "2300" if i % 3 == 0 else "",
        "consent": "on",
        "idempotency_key": str(uuid.uuid4()),
    }


class Report:
    def __init__(self, run, i, host, port, photos):
        self.fields = report_fields(run, i)
        self.host, self.port = host, port
        self.photos = photos
        self.cookie = ""
        self.status = None
        self.location = ""
        self.seconds = None
        self.error = None

    def prepare(self):
        """GET the form first (outside the measured part), for its CSRF cookie and token."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request("GET", "/lapor/")
            response = conn.getresponse()
            html = response.read().decode(errors="replace")
            cookies = response.headers.get_all("Set-Cookie") or []
            self.cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            if token:
                self.fields["csrfmiddlewaretoken"] = token.group(1)
        finally:
            conn.close()
        self.body, self.content_type = multipart(
            self.fields,
            {"kk_file": ("kk.jpg", self.photos[0]), "akta_file": ("akta.jpg", self.photos[1])},
        )

    def send(self, start_line):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        headers = {"Content-Type": self.content_type, "Host": f"{self.host}:{self.port}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        start_line.wait(timeout=REQUEST_TIMEOUT)
        started = time.perf_counter()
        try:
            conn.request("POST", "/lapor/", body=self.body, headers=headers)
            response = conn.getresponse()
            response.read()
            self.status = response.status
            self.location = response.headers.get("Location", "")
        except Exception as e:  # a refused or reset connection is a failed report
            self.error = repr(e)
        finally:
            self.seconds = time.perf_counter() - started
            conn.close()


def check_saved(reports, run):
    """Every 2xx answer (the redirect to the receipt) has its report, both documents and
    both files; nothing is saved twice."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gasken.settings")
    import django

    django.setup()
    from registrations.models import Document, Submission

    problems = []
    ok = [r for r in reports if r.status and r.status < 400]
    codes = []
    for r in ok:
        match = re.search(r"/lapor/status/([^/]+)/", r.location)
        if not match:
            problems.append(f"{r.fields['child_name']}: answered {r.status} without a receipt")
            continue
        codes.append(match.group(1))
    saved = Submission.objects.filter(child_name__startswith=f"Uji Beban {run} ")
    by_code = {s.code: s for s in saved}
    for code in codes:
        if code not in by_code:
            problems.append(f"receipt {code}: no report in the database")
    if saved.count() != len(set(codes)):
        problems.append(f"{saved.count()} reports saved for {len(set(codes))} receipts")
    names = saved.values_list("child_name", flat=True)
    if len(names) != len(set(names)):
        problems.append("a report was saved twice")
    documents = Document.objects.filter(submission__in=saved)
    if documents.count() != 2 * saved.count():
        problems.append(f"{documents.count()} documents for {saved.count()} reports")
    for doc in documents:
        storage = doc.file.storage
        if not storage.exists(doc.file.name) or storage.size(doc.file.name) != doc.size:
            problems.append(f"document #{doc.pk}: file missing or of another size")
    return problems, saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("-n", "--reports", type=int, default=200)
    parser.add_argument("--pid", type=int, help="gunicorn master's pid, for the server's CPU time")
    parser.add_argument(
        "--cleanup", action="store_true", help="delete the test reports and their files afterwards"
    )
    args = parser.parse_args()
    host, port = loopback_url(args.url)
    n = args.reports
    if not 1 <= n <= MAX_REPORTS:
        raise SystemExit(f"--reports must be between 1 and {MAX_REPORTS}.")

    run = uuid.uuid4().hex[:8]
    photos = (phone_photo(1), phone_photo(2))
    reports = [Report(run, i, host, port, photos) for i in range(n)]
    print(f"Preparing {n} reports (two {len(photos[0]) // 1024} KB photos each)…", flush=True)
    with ThreadPoolExecutor(max_workers=min(n, 20)) as pool:
        list(pool.map(lambda r: r.prepare(), reports))

    start_line = threading.Event()
    cpu_before = process_cpu_seconds(args.pid) if args.pid else None
    with ThreadPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(r.send, start_line) for r in reports]
        time.sleep(0.5)  # let every thread reach the start line
        started = time.perf_counter()
        start_line.set()
        for f in futures:
            f.result(timeout=REQUEST_TIMEOUT + 10)
        wall = time.perf_counter() - started
    cpu_after = process_cpu_seconds(args.pid) if args.pid else None

    latencies = sorted(r.seconds for r in reports if r.status)
    statuses = {}
    for r in reports:
        key = r.status or "no answer"
        statuses[key] = statuses.get(key, 0) + 1
    print(f"{n} concurrent reports in {wall:.1f} s: {n / wall:.1f} reports/s")
    print(f"answers: {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items(), key=str))}")
    if latencies:
        p95 = latencies[min(len(latencies) - 1, int(round(0.95 * len(latencies))) - 1)]
        print(f"latency: p50 {statistics.median(latencies):.2f} s, p95 {p95:.2f} s")
    if cpu_before is not None:
        used = cpu_after[0] - cpu_before[0]
        print(
            f"server CPU: {used:.1f} s in {cpu_after[1]} workers, "
            f"{used / n * 1000:.0f} ms per report"
        )

    problems, saved = check_saved(reports, run)
    server_errors = [r for r in reports if r.status and r.status >= 500]
    failed = [r for r in reports if not r.status]
    if server_errors:
        problems.append(f"{len(server_errors)} answers were 5xx")
    if failed:
        problems.append(f"{len(failed)} requests got no answer, e.g. {failed[0].error}")
    for problem in problems[:20]:
        print(f"PROBLEM: {problem}")
    print(
        f"checked: {saved.count()} reports with {2 * saved.count()} files; "
        + ("everything is in place" if not problems else f"{len(problems)} problems")
    )
    if args.cleanup:
        from registrations.models import Document, Measurement, SubmissionVersion

        documents = list(Document.objects.filter(submission__in=saved))
        for doc in documents:
            doc.file.storage.delete(doc.file.name)
        Document.objects.filter(submission__in=saved).delete()
        SubmissionVersion.objects.filter(submission__in=saved).delete()
        Measurement.objects.filter(submission__in=saved).delete()
        saved.delete()
        print("cleaned up")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
