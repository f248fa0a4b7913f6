"""Every list and page runs the same number of queries whether it shows 3 rows or 30.

A query per row would grow with the data; at a province's size (100,000 children) it would
make the pages slow. Each test builds the page's data at both sizes and compares.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interventions.models import Intervention
from registrations.models import Posyandu, Village
from tests.builders import (
    PUSKESMAS,
    TIMAH,
    make_activity,
    make_child,
    make_delivery,
    make_intervention,
    make_measurement,
    make_mother,
    make_mother_check,
    make_mother_report,
    make_obstacle,
    make_submission,
    partner_user,
    today,
    village_user,
)

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx)


def counts_for(build, client, url):
    """Query counts of `url` with 3 rows built by build(n, start), then with 30."""
    build(3, 0)
    small = queries(client, url)
    build(27, 3)
    return small, queries(client, url)


def children_with_measurements(village, posyandu):
    def build(n, start):
        for i in range(start, start + n):
            child = make_child(village, name=f"Anak {i:03}", posyandu=posyandu, nik=f"19{i:014}")
            make_measurement(child, today() - timedelta(days=10), "70.0")

    return build


def reports(village, posyandu):
    def build(n, start):
        for i in range(start, start + n):
            make_submission(village, posyandu, documents=(), child_name=f"Anak {i:03}")

    return build


def mother_reports(village, posyandu):
    def build(n, start):
        for i in range(start, start + n):
            make_mother_report(village, posyandu, name=f"Ibu {i:03}", nik=f"19{i:014}")

    return build


def mothers(village, posyandu):
    def build(n, start):
        for i in range(start, start + n):
            make_mother(village, name=f"Ibu {i:03}", posyandu=posyandu, nik=f"19{i:014}")

    return build


def interventions(village, other_partner=PUSKESMAS):
    def build(n, start):
        worker = None
        for i in range(start, start + n):
            child = make_child(village, name=f"Anak {i:03}")
            make_measurement(child, today() - timedelta(days=10), "70.0")
            intervention = make_intervention(child, status="running")
            make_intervention(child, other_partner)
            worker = worker or intervention.created_by
            make_delivery(intervention, worker)

    return build


def children_and_mothers(village):
    """Each round: a child's and a mother's interventions, the mother's with a delivery that
    recorded a check of her."""

    def build(n, start):
        worker = None
        for i in range(start, start + n):
            make_intervention(make_child(village, name=f"Anak {i:03}"), status="running")
            mother = make_mother(village, name=f"Ibu {i:03}")
            intervention = make_intervention(mother, status="running")
            make_intervention(mother, PUSKESMAS, kind="Kelas ibu hamil")
            worker = worker or intervention.created_by
            make_delivery(intervention, worker, mother_check=make_mother_check(mother))

    return build


def activities(village, posyandu):
    def build(n, start):
        for i in range(start, start + n):
            make_activity(village, (TIMAH, PUSKESMAS), posyandu=posyandu, topic=f"Kelas {i}")

    return build


def obstacles(village):
    def build(n, start):
        for i in range(start, start + n):
            child = make_child(village, name=f"Anak {i:03}")
            make_obstacle(make_intervention(child, status="running"))

    return build


@pytest.fixture
def staff_client(client, verifikator):
    client.force_login(verifikator)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/verifikasi/",
        "/verifikasi/?status=all",
        "/verifikasi/?q=anak",
        "/verifikasi/?village={village}",
        "/verifikasi/?status=all&page=2",
    ],
)
def test_the_queue(staff_client, village, posyandu, url):
    url = url.format(village=village.pk)
    first, second = counts_for(reports(village, posyandu), staff_client, url)
    assert first == second


@pytest.mark.parametrize(
    "url",
    [
        "/verifikasi/anak/",
        "/verifikasi/anak/?q=anak",
        "/verifikasi/anak/?haz=normal&village={village}",
        "/verifikasi/anak/?page=2",
        "/verifikasi/anak/usia-5-tahun/",
    ],
)
def test_the_children_list(staff_client, village, posyandu, url):
    url = url.format(village=village.pk)
    first, second = counts_for(children_with_measurements(village, posyandu), staff_client, url)
    assert first == second


@pytest.mark.parametrize(
    "url",
    [
        "/verifikasi/?jenis=ibu",
        "/verifikasi/?jenis=ibu&status=all&q=ibu",
        "/verifikasi/?jenis=ibu&village={village}&page=2",
    ],
)
def test_the_queue_of_mothers_reports(staff_client, village, posyandu, url):
    url = url.format(village=village.pk)
    first, second = counts_for(mother_reports(village, posyandu), staff_client, url)
    assert first == second


@pytest.mark.parametrize(
    "url",
    ["/verifikasi/ibu/", "/verifikasi/ibu/?q=ibu&kek=ya", "/verifikasi/ibu/?page=2"],
)
def test_the_mothers_list(staff_client, village, posyandu, url):
    first, second = counts_for(mothers(village, posyandu), staff_client, url)
    assert first == second


@pytest.mark.parametrize("url", ["/intervensi/", "/intervensi/?q=anak", "/intervensi/?overdue=on"])
def test_the_interventions_list(staff_client, village, url):
    first, second = counts_for(interventions(village), staff_client, url)
    assert first == second


@pytest.mark.parametrize("url", ["/mitra/", "/mitra/?status=all", "/mitra/?q=anak"])
def test_the_partner_home(client, village, url):
    client.force_login(partner_user("mitra"))
    first, second = counts_for(interventions(village), client, url)
    assert first == second


@pytest.mark.parametrize("url", ["/desa/", "/desa/?q=anak"])
def test_the_village_home(client, village, url):
    client.force_login(village_user("desa", village))
    first, second = counts_for(interventions(village), client, url)
    assert first == second


@pytest.mark.parametrize(
    "who, url",
    [
        ("staff", "/intervensi/"),
        ("staff", "/intervensi/?target=mother&village={village}"),
        ("mitra", "/mitra/"),
        ("mitra", "/mitra/?status=all&q=ibu"),
        ("desa", "/desa/"),
    ],
)
def test_the_lists_with_mothers(client, verifikator, village, who, url):
    users = {
        "staff": verifikator,
        "mitra": partner_user("mitra"),
        "desa": village_user("desa", village),
    }
    client.force_login(users[who])
    url = url.format(village=village.pk)
    first, second = counts_for(children_and_mothers(village), client, url)
    assert first == second


def test_the_partner_mother_page_with_its_deliveries(client, village):
    client.force_login(partner_user("mitra"))
    mother = make_mother(village)
    intervention = make_intervention(mother, status="running")
    # Opened before: the first visit's marking is one more query, once.
    Intervention.objects.filter(pk=intervention.pk).mark_opened_by_partner()
    worker = intervention.created_by

    def build(n, start):
        for _ in range(n):
            make_delivery(intervention, worker, mother_check=make_mother_check(mother))
            make_obstacle(intervention)

    first, second = counts_for(build, client, f"/mitra/ibu/{mother.pk}/")
    assert first == second


@pytest.mark.parametrize(
    "who, url",
    [
        ("staff", "/kegiatan/"),
        ("staff", "/kegiatan/?village={village}"),
        ("mitra", "/mitra/kegiatan/"),
        ("desa", "/desa/kegiatan/"),
    ],
)
def test_the_activity_lists(client, verifikator, village, posyandu, who, url):
    users = {
        "staff": lambda: verifikator,
        "mitra": lambda: partner_user("mitra"),
        "desa": lambda: village_user("desa", village),
    }
    client.force_login(users[who]())
    url = url.format(village=village.pk)
    first, second = counts_for(activities(village, posyandu), client, url)
    assert first == second


@pytest.mark.parametrize("who, url", [("staff", "/kendala/"), ("mitra", "/mitra/kendala/")])
def test_the_obstacle_lists(client, verifikator, village, who, url):
    client.force_login(verifikator if who == "staff" else partner_user("mitra"))
    first, second = counts_for(obstacles(village), client, url)
    assert first == second


def test_the_child_page_with_its_history(staff_client, village, posyandu):
    """Each history entry that changed the village or posyandu names them without a query."""
    child = make_child(village, posyandu=posyandu)
    villages = list(Village.objects.all()[:3])
    places = [(v, Posyandu.objects.create(name=f"Posyandu {v.pk}", village=v)) for v in villages]

    def build(n, start):
        for i in range(start, start + n):
            child.village, child.posyandu = places[i % len(places)]
            child.address = f"Jl. Pindah {i}"
            child.save()
            make_measurement(child, date(2024, 1, 10) + timedelta(days=30 * (i + 1)), "75.0")
            make_intervention(child, start_date=date(2024, 1, 10) + timedelta(days=i))

    first, second = counts_for(build, staff_client, f"/verifikasi/anak/{child.pk}/")
    assert first == second


def test_the_report_page_with_possible_duplicates(staff_client, village, posyandu):
    submission = make_submission(village, posyandu, documents=())

    def build(n, start):
        for _ in range(n):
            make_submission(village, posyandu, documents=())
            make_child(village, birth_date=submission.birth_date, mother_name="Rina")

    url = f"/verifikasi/laporan/{submission.pk}/"
    first, second = counts_for(build, staff_client, url)
    assert first == second
