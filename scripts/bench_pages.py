"""Query count and server time of every staff page at 1,000 and 100,000 children.

Run from the project root against a PostgreSQL database used for nothing else:

    DATABASE_URL=postgres://gasken:gasken@127.0.0.1:5432/gasken_perfbench \\
        .venv/bin/python scripts/bench_pages.py [--sizes 1000 100000] [--requests 10] [--fresh]

Each size gets its own schema in that database (bench_1000, bench_100000), migrated and filled
by `generate_data` on the first run and reused (and migrated) by later runs; --fresh fills them
again. Pages are requested in-process with Django's test client, logged in as the role that
works on them, alternating between the sizes, so a busy machine slows both sizes alike and the
ratio stays meaningful. Each row: queries per request, median milliseconds of N requests per
size, and the ratio of the largest size to the smallest (target: at most 3, same query count).
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdef-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="gasken-bench-media-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gasken.settings")

# WhiteNoise warns that collectstatic never ran; the pages are timed without static files.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Subquery  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from interventions.models import Partner, PartnerMember  # noqa: E402
from registrations.models import Child, Submission, Village  # noqa: E402
from verification import roles  # noqa: E402

SEARCH = "Rizki+Lim"  # a first and a family name, as staff look a child up
SCOPED_SEARCH = "Halim"  # a family name, within one partner or village
VILLAGE = "19.01.01.1009"  # Matras
PARTNER = "PT Timah Tbk"

_schema = None


def _set_search_path(sender=None, connection=connection, **kwargs):
    if _schema and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {_schema}, public")


connection_created.connect(_set_search_path)


def use(schema):
    """Point the connection (and any new one) at a size's schema."""
    global _schema
    _schema = schema
    connection.ensure_connection()
    _set_search_path()
    ContentType.objects.clear_cache()


def prepare(size, *, fresh, seed):
    schema = f"bench_{size}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        exists = cursor.fetchone() is not None
        if exists and not fresh:
            use(schema)
            cursor.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name = 'registrations_child'",
                [schema],
            )
            exists = cursor.fetchone() is not None and Child.objects.count() == size
    if fresh or not exists:
        print(f"Filling schema {schema} with {size} children (takes a while) ...", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
        use(schema)
        call_command("migrate", verbosity=0)
        start, cpu = time.perf_counter(), time.process_time()
        call_command("generate_data", children=size, seed=seed, i_know=True, verbosity=0)
        print(
            f"  generate_data --children {size}: {time.perf_counter() - start:.0f} s, "
            f"{time.process_time() - cpu:.0f} s of CPU in this process"
        )
    else:
        use(schema)
        call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return schema, _users(), _targets()


def _users():
    def user(name, group=None, partner=None, superuser=False):
        u, _ = User.objects.get_or_create(username=name, defaults={"is_superuser": superuser})
        if group:
            u.groups.add(Group.objects.get(name=group))
        if partner:
            PartnerMember.objects.update_or_create(user=u, defaults={"partner": partner})
        return u

    matras = Village.objects.get(code=VILLAGE)
    return {
        "verifikator": user("bench-verifikator", roles.VERIFIKATOR),
        "pimpinan": user("bench-pimpinan", roles.PIMPINAN),
        "mitra": user("bench-mitra", roles.MITRA, Partner.objects.get(name=PARTNER)),
        "desa": user("bench-desa", roles.DESA, matras.government),
        "admin": user("bench-admin", superuser=True),
    }


def _targets():
    """The ids the page URLs need, picked the same way in every schema."""
    matras = Village.objects.get(code=VILLAGE)
    pending = Submission.objects.filter(status=Submission.Status.PENDING)
    registered_twin = Child.objects.filter(
        birth_date=OuterRef("birth_date"), name=OuterRef("child_name")
    )
    report = (
        pending.filter(Exists(registered_twin)).order_by("created_at", "pk").first()
        or pending.order_by("created_at", "pk").first()
    )
    # A child whose audit history has a move and an exit, with measurements and interventions.
    changed = (
        Child.history.order_by()
        .values("id")
        .annotate(n=Count("history_id"))
        .filter(n__gte=3)
        .values("id")
    )
    child = (
        Child.objects.filter(pk__in=Subquery(changed), interventions__isnull=False)
        .order_by("pk")
        .first()
    ) or Child.objects.order_by("pk").first()
    return {"village": matras.pk, "report": report.pk, "child": child.pk}


PAGES = [
    # (label, role, url with {placeholders} from _targets)
    ("Queue: page 1", "verifikator", "/verifikasi/"),
    ("Queue: search a name", "verifikator", f"/verifikasi/?q={SEARCH}"),
    ("Queue: one village", "verifikator", "/verifikasi/?village={village}"),
    ("Queue: all statuses, page 200", "verifikator", "/verifikasi/?status=all&page=200"),
    # The deepest page a list opens (gasken.pages.COUNT_LIMIT rows); at 1,000 its last page.
    ("Queue: all statuses, page 400", "verifikator", "/verifikasi/?status=all&page=400"),
    ("Report page (duplicate check)", "verifikator", "/verifikasi/laporan/{report}/"),
    ("Children: page 1", "verifikator", "/verifikasi/anak/"),
    ("Children: page 400", "verifikator", "/verifikasi/anak/?page=400"),
    ("Children: search a name", "verifikator", f"/verifikasi/anak/?q={SEARCH}"),
    (
        "Children: TB/U pendek + village",
        "verifikator",
        "/verifikasi/anak/?haz=pendek&village={village}",
    ),
    ("Child page (with history)", "verifikator", "/verifikasi/anak/{child}/"),
    ("Interventions: page 1", "verifikator", "/intervensi/"),
    ("Interventions: search a name", "verifikator", f"/intervensi/?q={SEARCH}"),
    ("/mitra/: open", "mitra", "/mitra/"),
    ("/mitra/: all statuses", "mitra", "/mitra/?status=all"),
    ("/mitra/: search a name", "mitra", f"/mitra/?q={SCOPED_SEARCH}"),
    ("/desa/", "desa", "/desa/"),
    ("/desa/: search a name", "desa", f"/desa/?q={SCOPED_SEARCH}"),
    ("/pemantauan/", "pimpinan", "/pemantauan/"),
]


def url_exists(url):
    try:
        resolve(url.split("?")[0])
    except Resolver404:
        return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="fill the schemas again")
    parser.add_argument("--only", help="only pages whose label contains this text")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database used only for benchmarks.")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with connection.cursor() as cursor:
        # The extension lives in public, which every schema's search path includes.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]

    sizes = sorted(args.sizes)
    setups = {size: prepare(size, fresh=args.fresh, seed=args.seed) for size in sizes}
    clients = {}
    for size, (schema, users, _) in setups.items():
        use(schema)
        for role, user in users.items():
            clients[size, role] = Client()
            clients[size, role].force_login(user)

    print(
        f"\n{args.requests} requests per page and size; Python {platform.python_version()}, "
        f"PostgreSQL {pg_version.split()[0]}, {os.cpu_count()} CPUs\n"
    )
    head = f"{'page':<34}" + "".join(f"{f'q {s:,}':>11}" for s in sizes)
    head += "".join(f"{f'ms {s:,}':>11}" for s in sizes) + f"{'ratio':>8}"
    print(head)
    rows = []
    for label, role, url in PAGES:
        if args.only and args.only not in label:
            continue
        if not url_exists(url.format(**setups[sizes[0]][2])):
            print(f"{label:<34} (no such page)")
            continue
        queries, times, status = {}, {size: [] for size in sizes}, set()
        for size in sizes:
            schema, _, targets = setups[size]
            use(schema)
            client = clients[size, role]
            full = url.format(**targets)
            client.get(full)  # warm-up: templates, plans, caches
            with CaptureQueriesContext(connection) as ctx:
                status.add(client.get(full).status_code)
            queries[size] = len(ctx)
        for _ in range(args.requests):
            for size in sizes:
                schema, _, targets = setups[size]
                use(schema)
                full = url.format(**targets)
                start = time.perf_counter()
                clients[size, role].get(full)
                times[size].append((time.perf_counter() - start) * 1000)
        medians = {size: statistics.median(t) for size, t in times.items()}
        ratio = medians[sizes[-1]] / medians[sizes[0]]
        line = f"{label:<34}" + "".join(f"{queries[s]:>11}" for s in sizes)
        line += "".join(f"{medians[s]:>11.1f}" for s in sizes) + f"{ratio:>8.1f}"
        if status != {200}:
            line += f"  status {sorted(status)}"
        print(line, flush=True)
        rows.append((label, queries, medians, ratio))

    print("\nMarkdown:\n")
    print(
        "| page | "
        + " | ".join(f"queries {s:,}" for s in sizes)
        + " | "
        + " | ".join(f"ms {s:,}" for s in sizes)
        + " | ratio |"
    )
    print("|---" * (2 * len(sizes) + 2) + "|")
    for label, queries, medians, ratio in rows:
        print(
            f"| {label} | "
            + " | ".join(str(queries[s]) for s in sizes)
            + " | "
            + " | ".join(f"{medians[s]:.0f}" for s in sizes)
            + f" | {ratio:.1f} |"
        )


if __name__ == "__main__":
    main()
