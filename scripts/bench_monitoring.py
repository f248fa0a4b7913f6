"""Benchmark the monitoring dashboard and the Excel recaps on synthetic children.

Fills the database DATABASE_URL points at with 1,000 and then 100,000 synthetic children
with `generate_data` (reports of every status, 1-5 measurements each, merged reports,
interventions by several partners, deliveries) and prints, for each size: the dashboard's
time and query count (GET /pemantauan/ as a verifikator), counted afresh and served from its
snapshot (monitoring/snapshot.py), and each workbook's time and peak traced memory next to
plain openpyxl write-only writing the same rows from a list prepared beforehand.

Every size starts from an empty database (Django's flush, then the reference data of
tests/fixtures/reference.json), so the script refuses a database that holds children or
reports unless --flush says that may be thrown away. Use a database of its own:

    runuser -u postgres -- createdb -O gasken gasken_bench
    DATABASE_URL=postgres://gasken:gasken@127.0.0.1:5432/gasken_bench \\
        .venv/bin/python scripts/bench_monitoring.py [--sizes 1000 100000] [--flush]
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gasken.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from interventions.models import Delivery, Intervention  # noqa: E402
from monitoring import exports  # noqa: E402
from registrations.models import Child, Measurement, Submission  # noqa: E402

REFERENCE_DATA = ROOT / "tests" / "fixtures" / "reference.json"


def reset():
    """An empty database with the reference data (villages, partners, types, roles)."""
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()  # the dashboard's snapshots of the previous size
    call_command("loaddata", REFERENCE_DATA, verbosity=0)


def fill(n, seed):
    user = User.objects.create_user("bench-verifikator")
    user.groups.add(Group.objects.get(name="Verifikator Kecamatan"))
    started = time.perf_counter()
    call_command("generate_data", children=n, seed=seed, i_know=True, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"  generate_data --children {n}: {time.perf_counter() - started:.0f} s: "
        f"{Child.objects.count()} children, {Submission.objects.count()} reports, "
        f"{Measurement.objects.count()} measurements, "
        f"{Intervention.objects.count()} interventions, {Delivery.objects.count()} deliveries"
    )
    return user


# --- Measuring ---------------------------------------------------------------------------


def dashboard(user):
    """(median time, queries) of the dashboard counted afresh (`?segar=1`: every indicator
    query, as on the first visit of a filter), then of the same page from its snapshot."""
    url = reverse("monitoring:dashboard")
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm caches and the WHO tables
    found = []
    for params in ({"segar": "1"}, {}):
        times, counts = [], []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                r = client.get(url, params)
                times.append(time.perf_counter() - started)
            assert r.status_code == 200
            counts.append(len(ctx.captured_queries))
        found.append((statistics.median(times), max(counts)))
    return found


def export(name, scope, filters):
    with tempfile.TemporaryFile() as out:
        return exports.write(
            exports.table(name, scope, filters), out, subtitle="bench", now=timezone.now()
        )


def raw(table, rows):
    """Plain openpyxl write-only: the same values, no layout, from a list."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet()
    ws.append([table.title])
    ws.append([c.header for c in table.columns])
    for row in rows:
        ws.append(row)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)


def timed(fn, *args):
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def peak(fn, *args):
    tracemalloc.start()
    try:
        fn(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def workbooks(today):
    scope = exports.Scope()
    filters = exports.Filters(date(today.year, 1, 1), date(today.year, 12, 31))
    results = []
    for name in exports.WORKBOOKS:
        table = exports.table(name, scope, filters)
        rows = [list(row) for row in table.rows]
        # The machine is shared: the two are run in turns and the best run of each is kept.
        times, raw_times = [], []
        for _ in range(3 if len(rows) < 10_000 else 2):
            times.append(timed(export, name, scope, filters))
            raw_times.append(timed(raw, table, rows))
        results.append(
            {
                "name": name,
                "rows": len(rows),
                "time": min(times),
                "raw_time": min(raw_times),
                "peak": peak(export, name, scope, filters),
                "raw_peak": peak(raw, table, rows),
            }
        )
        del rows
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--seed", type=int, default=20260615)
    parser.add_argument(
        "--flush", action="store_true", help="empty a database that already holds data"
    )
    args = parser.parse_args()
    settings.DEBUG = False  # no query log growing in memory
    # Pages link static files by name, without needing collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not args.flush and (Child.objects.exists() or Submission.objects.exists()):
        sys.exit(
            f"{connection.settings_dict['NAME']} holds children or reports. This benchmark "
            "empties the database it runs on: point DATABASE_URL at a database of its own, "
            "or pass --flush if this data may be thrown away."
        )

    with connection.cursor() as cursor:
        cursor.execute("select version()" if connection.vendor == "postgresql" else "select 1")
        server = cursor.fetchone()[0] if connection.vendor == "postgresql" else "SQLite"
    print(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {server}")

    summary = []
    for n in args.sizes:
        print(f"\n{n} children")
        reset()
        user = fill(n, args.seed)
        board = dashboard(user)
        for label, (seconds, queries) in zip(
            ("counted afresh", "from its snapshot"), board, strict=True
        ):
            print(f"  dashboard {label}: {seconds * 1000:.0f} ms, {queries} queries")
        books = workbooks(timezone.localdate())
        for b in books:
            print(
                f"  {b['name']:<18} {b['rows']:>7} rows  {b['time']:7.2f} s "
                f"(openpyxl alone {b['raw_time']:7.2f} s, x{b['time'] / b['raw_time']:.2f})  "
                f"peak {b['peak'] / 2**20:6.1f} MB (openpyxl alone {b['raw_peak'] / 2**20:6.1f} MB)"
            )
        summary.append((n, board, books))

    print("\n| children | dashboard counted afresh | dashboard from its snapshot |")
    print("|---|---|---|")
    for n, board, _ in summary:
        cells = [f"{seconds * 1000:.0f} ms, {queries} queries" for seconds, queries in board]
        print(f"| {n:,} | " + " | ".join(cells) + " |")
    if len(summary) > 1:
        (small, first, _), (large, last, _) = summary[0], summary[-1]
        print(
            f"\n{large:,} vs {small:,} children: counted afresh x{last[0][0] / first[0][0]:.1f}, "
            f"from its snapshot x{last[1][0] / first[1][0]:.1f}"
        )

    print(
        "\n| children | workbook | rows | time | openpyxl alone | ratio | peak | openpyxl alone |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n, _, books in summary:
        for b in books:
            print(
                f"| {n:,} | {b['name']} | {b['rows']:,} | {b['time']:.2f} s | "
                f"{b['raw_time']:.2f} s | {b['time'] / b['raw_time']:.2f} | "
                f"{b['peak'] / 2**20:.1f} MB | {b['raw_peak'] / 2**20:.1f} MB |"
            )


if __name__ == "__main__":
    main()
