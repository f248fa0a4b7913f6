"""Benchmark the monitoring dashboard and the Excel recaps on synthetic children.

Fills the database DATABASE_URL points at with 1,000 and then 100,000 synthetic children
(reports, 1-5 measurements each with their z-scores, interventions by several partners,
deliveries) and prints, for each size: the dashboard's time and query count (GET
/pemantauan/ as a verifikator), and each workbook's time and peak traced memory next to
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
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gasken.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from interventions.models import Delivery, Intervention, InterventionType, Partner  # noqa: E402
from monitoring import exports  # noqa: E402
from registrations import growth  # noqa: E402
from registrations.models import Child, Measurement, Posyandu, Submission, Village  # noqa: E402
from verification.models import Decision  # noqa: E402

REFERENCE_DATA = ROOT / "tests" / "fixtures" / "reference.json"
BATCH = 5_000
FIRST_NAMES = (
    "Andi Bayu Citra Dewi Eka Fajar Gilang Hana Intan Joko Kiki Lina Made Nur Putri Rizki "
    "Sari Tono Umi Wulan Yoga Zahra Aisyah Bima Dimas Fitri Galih Indah Putra Ratna"
).split()
LAST_NAMES = (
    "Saputra Lestari Pratama Wijaya Ramadhan Safitri Nugroho Hidayat Kurniawan Permata "
    "Santoso Wulandari Setiawan Anggraini Hartono Maharani"
).split()
POSYANDU_NAMES = ["Melati", "Mawar", "Anggrek", "Kenanga", "Cempaka"]
OPEN_PARTNERS = [
    "Kecamatan Sungailiat",
    "Puskesmas Sungailiat",
    "TP PKK (Bina Keluarga Balita)",
    "PT Timah Tbk",
    "KADIN Kabupaten Bangka",
    "RS Siloam",
]
STATUSES = (
    [Intervention.Status.PLANNED] * 15
    + [Intervention.Status.RUNNING] * 45
    + [Intervention.Status.DONE] * 30
    + [Intervention.Status.CANCELLED] * 10
)


# --- Synthetic data ---------------------------------------------------------------------


class Maker:
    """Synthetic children with plausible growth, drawn from the WHO tables."""

    def __init__(self, seed, today, user):
        self.rng = random.Random(seed)
        self.today = today
        self.user = user
        self.heights = {sex: growth.length_for_age_rows(sex) for sex in "LP"}
        self.weights = growth._load_tables().weight_for_age
        self.villages = list(Village.objects.all())
        self.posyandu = {}
        for v in self.villages:
            self.posyandu[v.pk] = Posyandu.objects.bulk_create(
                Posyandu(name=name, village=v, code=f"b{v.pk}{i}", is_demo=True)
                for i, name in enumerate(POSYANDU_NAMES)
            )
        self.partners = list(Partner.objects.filter(name__in=OPEN_PARTNERS))
        self.governments = {p.village_id: p for p in Partner.objects.exclude(village=None)}
        self.kinds = list(InterventionType.objects.all())

    def name(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def digits(self, n):
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def measurement(self, child_sex, birth_date, on):
        rng = self.rng
        age = (on - birth_date).days
        _, L, M, S, _ = self.heights[child_sex][min(age, 1826)]
        wL, wM, wS = self.weights[0 if child_sex == "L" else 1][min(age, 1826)]
        # Around a quarter stunted, as in the programme's villages.
        z = max(-5.0, min(3.0, rng.gauss(-1.3, 1.1)))
        height = round(M * (1 + L * S * z) ** (1 / L), 1)
        weight = round(wM * (1 + wL * wS * max(-4.0, rng.gauss(-0.8, 1.0))) ** (1 / wL), 1)
        lying = age < growth.FIRST_HEIGHT_DAY
        return Decimal(str(height)), Decimal(str(weight)), lying

    def children(self, n):
        """Children, their reports, measurements, interventions and deliveries, in batches."""
        made = 0
        while made < n:
            size = min(BATCH, n - made)
            self._batch(size)
            made += size
            print(f"  {made:>7} children", end="\r", flush=True)
        print()

    def _batch(self, size):
        rng, today = self.rng, self.today
        children, dates = [], []
        for _ in range(size):
            village = rng.choice(self.villages)
            sex = rng.choice("LP")
            birth = today - timedelta(days=rng.randrange(40, 1790))
            day = birth.day + (40 if sex == "P" else 0)
            exited = rng.random() < 0.1
            children.append(
                Child(
                    name=self.name(),
                    nik=f"190101{day:02d}{birth:%m%y}{self.digits(4)}",
                    kk_number="190101" + self.digits(10),
                    sex=sex,
                    birth_date=birth,
                    mother_name=self.name(),
                    father_name=self.name(),
                    address=f"Jl. {rng.choice(POSYANDU_NAMES)} RT {rng.randrange(1, 20)}",
                    village=village,
                    posyandu=rng.choice(self.posyandu[village.pk]),
                    programme_status="exited" if exited else "active",
                    exit_reason=rng.choice(["moved", "not_stunted", "aged_out"]) if exited else "",
                    exit_date=today - timedelta(days=rng.randrange(0, 180)) if exited else None,
                )
            )
            first = max(birth + timedelta(days=14), today - timedelta(days=700))
            span = (today - first).days
            days = {
                first + timedelta(days=rng.randrange(span + 1)) for _ in range(rng.randint(1, 5))
            }
            dates.append(sorted(days))
        Child.objects.bulk_create(children, batch_size=BATCH)

        submissions, measurements = [], []
        for child, days in zip(children, dates, strict=True):
            for on in days:
                height, weight, lying = self.measurement(child.sex, child.birth_date, on)
                m = Measurement(
                    child=child,
                    measured_on=on,
                    weight_kg=weight,
                    height_cm=height,
                    position="lying" if lying else "standing",
                    source=rng.choice(list(Measurement.Source)),
                )
                m.assess()  # what save() does; bulk_create does not call it
                measurements.append(m)
            first = measurements[-len(days)]
            submissions.append(
                Submission(
                    status=Submission.Status.VERIFIED,
                    child=child,
                    kader_name="Kader " + self.name(),
                    kader_phone="62812" + self.digits(8),
                    village=child.village,
                    posyandu=child.posyandu,
                    child_name=child.name,
                    child_nik=child.nik,
                    child_sex=child.sex,
                    birth_date=child.birth_date,
                    mother_name=child.mother_name,
                    parent_occupation="Nelayan",
                    address=child.address,
                    kk_number=child.kk_number,
                    measured_on=first.measured_on,
                    weight_kg=first.weight_kg,
                    height_cm=first.height_cm,
                    measurement_position=first.position,
                    consent_at=timezone.now(),
                )
            )
        Measurement.objects.bulk_create(measurements, batch_size=BATCH)
        # One report in ten is still waiting for a decision.
        for s in submissions[: len(submissions) // 10]:
            s.status, s.child = Submission.Status.PENDING, None
        Submission.objects.bulk_create(submissions, batch_size=BATCH)
        Decision.objects.bulk_create(
            (
                Decision(
                    submission=s,
                    version=1,
                    action=Decision.Action.VERIFIED_NEW,
                    child=s.child,
                    decided_by=self.user,
                )
                for s in submissions
                if s.child is not None
            ),
            batch_size=BATCH,
        )
        self._interventions(children)

    def _interventions(self, children):
        rng, today = self.rng, self.today
        interventions = []
        for child in children:
            if rng.random() >= 0.6:
                continue
            for _ in range(rng.randint(1, 2)):
                partner = rng.choice(self.partners)
                if rng.random() < 0.1:
                    partner = self.governments.get(child.village_id, partner)
                status = rng.choice(STATUSES)
                start = today - timedelta(days=rng.randrange(0, 330))
                finished = None
                if status in (Intervention.Status.DONE, Intervention.Status.CANCELLED):
                    finished = min(today, start + timedelta(days=rng.randrange(10, 120)))
                interventions.append(
                    Intervention(
                        child=child,
                        kind=rng.choice(self.kinds),
                        partner=partner,
                        status=status,
                        start_date=start,
                        planned_end=start + timedelta(days=90),
                        started_on=None if status == Intervention.Status.PLANNED else start,
                        finished_on=finished,
                        created_by=self.user,
                    )
                )
        Intervention.objects.bulk_create(interventions, batch_size=BATCH)
        deliveries = []
        for i in interventions:
            if i.status not in (Intervention.Status.RUNNING, Intervention.Status.DONE):
                continue
            last = i.finished_on or today
            span = max((last - i.start_date).days, 0)
            for _ in range(rng.randint(1, 4)):
                deliveries.append(
                    Delivery(
                        intervention=i,
                        date=i.start_date + timedelta(days=rng.randrange(span + 1)),
                        description="Layanan",
                        quantity=Decimal(rng.randint(1, 10)) if i.kind.has_quantity else None,
                        recorded_by=self.user,
                    )
                )
        Delivery.objects.bulk_create(deliveries, batch_size=BATCH)


def reset():
    """An empty database with the reference data (villages, partners, types, roles)."""
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", REFERENCE_DATA, verbosity=0)


def fill(n, seed):
    user = User.objects.create_user("bench-verifikator")
    user.groups.add(Group.objects.get(name="Verifikator Kecamatan"))
    maker = Maker(seed, timezone.localdate(), user)
    started = time.perf_counter()
    maker.children(n)
    latest = Measurement.objects.filter(child=OuterRef("pk")).order_by(*Measurement.LATEST_FIRST)
    Child.objects.update(latest_measurement=Subquery(latest.values("pk")[:1]))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"  filled in {time.perf_counter() - started:.0f} s: "
        f"{Child.objects.count()} children, {Submission.objects.count()} reports, "
        f"{Measurement.objects.count()} measurements, "
        f"{Intervention.objects.count()} interventions, {Delivery.objects.count()} deliveries"
    )
    return user


# --- Measuring ---------------------------------------------------------------------------


def dashboard(user):
    try:
        url = reverse("monitoring:dashboard")
    except NoReverseMatch:
        return None
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm caches and the WHO tables
    times, counts = [], []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            r = client.get(url)
            times.append(time.perf_counter() - started)
        assert r.status_code == 200
        counts.append(len(ctx.captured_queries))
    return statistics.median(times), max(counts)


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
        if board:
            print(f"  dashboard: {board[0] * 1000:.0f} ms, {board[1]} queries")
        else:
            print("  dashboard: not in this branch (monitoring:dashboard does not resolve)")
        books = workbooks(timezone.localdate())
        for b in books:
            print(
                f"  {b['name']:<18} {b['rows']:>7} rows  {b['time']:7.2f} s "
                f"(openpyxl alone {b['raw_time']:7.2f} s, x{b['time'] / b['raw_time']:.2f})  "
                f"peak {b['peak'] / 2**20:6.1f} MB (openpyxl alone {b['raw_peak'] / 2**20:6.1f} MB)"
            )
        summary.append((n, board, books))

    print(
        "\n| children | dashboard | workbook | rows | time | openpyxl alone | ratio | peak | openpyxl alone |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n, board, books in summary:
        shown = f"{board[0] * 1000:.0f} ms, {board[1]} queries" if board else "–"
        for b in books:
            print(
                f"| {n:,} | {shown} | {b['name']} | {b['rows']:,} | {b['time']:.2f} s | "
                f"{b['raw_time']:.2f} s | {b['time'] / b['raw_time']:.2f} | "
                f"{b['peak'] / 2**20:.1f} MB | {b['raw_peak'] / 2**20:.1f} MB |"
            )
            shown = ""


if __name__ == "__main__":
    main()
