"""Pages with personal data may not be kept by a browser or proxy cache."""

import pytest

from interventions.models import Intervention
from tests.builders import (
    make_activity,
    make_child,
    make_intervention,
    make_mother,
    make_mother_report,
    make_obstacle,
    partner_user,
    village_user,
)

pytestmark = pytest.mark.django_db


def assert_private(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, response["Cache-Control"]


@pytest.fixture
def world(village):
    child = make_child(village)
    intervention = make_intervention(child, status=Intervention.Status.RUNNING)
    return child, intervention


def test_staff_pages_are_not_cached(client, verifikator, world, village):
    child, intervention = world
    obstacle = make_obstacle(intervention)
    activity = make_activity(village)
    mother = make_mother(village)
    report = make_mother_report(village)
    client.force_login(verifikator)
    for url in [
        "/verifikasi/",
        "/verifikasi/?jenis=ibu",
        f"/verifikasi/laporan-ibu/{report.pk}/",
        "/verifikasi/ibu/",
        f"/verifikasi/ibu/{mother.pk}/",
        f"/verifikasi/ibu/{mother.pk}/periksa/",
        f"/verifikasi/ibu/{mother.pk}/gabungkan/",
        "/verifikasi/anak/",
        f"/verifikasi/anak/{child.pk}/",
        f"/verifikasi/anak/{child.pk}/ubah/",
        "/intervensi/",
        f"/intervensi/{intervention.pk}/",
        f"/intervensi/tugaskan/?anak={child.pk}",
        "/beranda/",
        "/kendala/",
        f"/kendala/{obstacle.pk}/",
        "/kegiatan/",
        f"/kegiatan/{activity.pk}/",
    ]:
        r = client.get(url)
        assert r.status_code in (200, 302), url
        assert_private(r)


def test_partner_and_village_pages_are_not_cached(client, village, world):
    child, _ = world
    activity = make_activity(village)
    client.force_login(partner_user("timah"))
    for url in ["/mitra/", f"/mitra/anak/{child.pk}/", "/mitra/kendala/", "/mitra/kegiatan/"]:
        r = client.get(url)
        assert r.status_code == 200
        assert_private(r)
    client.force_login(village_user("matras", village))
    for url in ["/desa/", f"/desa/anak/{child.pk}/", f"/desa/kegiatan/{activity.pk}/"]:
        r = client.get(url)
        assert r.status_code == 200
        assert_private(r)


@pytest.mark.parametrize(
    "url", ["/pemantauan/", "/dokumen/1/", "/admin/", "/akun/masuk/", "/verifikasi/anak/0/"]
)
def test_refusals_and_logins_are_not_cached_either(client, url):
    assert_private(client.get(url))


def test_the_public_form_and_qr_code_may_be_cached(client, posyandu):
    assert "no-store" not in client.get("/lapor/qr.png").get("Cache-Control", "")
    assert "private" not in client.get("/lapor/melati/poster/").get("Cache-Control", "")
