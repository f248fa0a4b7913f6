"""/pemantauan/unduh/<workbook>.xlsx for a village government: its own kelurahan/desa,
with a masked NIK and no KK number (kecamatan staff: test_export.py)."""

import pytest
import time_machine

from interventions.models import Partner
from registrations.models import AccessLog
from tests.builders import login_redirect, make_user, partner_user, village_user
from tests.monitoring.workbooks import (
    ANDI_NIK,
    NOW,
    TIMAH,
    body,
    build,
    data_rows,
    sheet_of,
    values,
)

pytestmark = pytest.mark.django_db

OFFERED = ["rekap-desa", "daftar-balita", "daftar-ibu"]


def url(workbook):
    return f"/pemantauan/unduh/{workbook}.xlsx"


@pytest.fixture
def programme(db):
    with time_machine.travel(NOW, tick=False):
        yield build()


@pytest.fixture
def matras_user(programme):
    return village_user("desa-matras", programme.matras)


@pytest.fixture
def matras_client(client, matras_user):
    client.force_login(matras_user)
    return client


def download(client, workbook, **params):
    r = client.get(url(workbook), params)
    assert r.status_code == 200, r.content
    return sheet_of(body(r))


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("workbook", OFFERED)
def test_it_sends_anonymous_users_to_the_login_page(client, programme, workbook):
    r = client.get(url(workbook))
    assert r.status_code == 302
    assert r.url == login_redirect(url(workbook))


@pytest.mark.parametrize("workbook", OFFERED)
@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user", "staff"])
def test_it_refuses_users_without_a_village_or_kecamatan_role(
    client, programme, workbook, user, request
):
    client.force_login(request.getfixturevalue(user))
    assert client.get(url(workbook)).status_code == 403
    assert AccessLog.objects.count() == 0


def test_it_refuses_a_partner_user_even_when_linked(client, programme):
    client.force_login(partner_user("timah", TIMAH))
    assert client.get(url("daftar-balita")).status_code == 403


def test_it_refuses_a_village_user_not_linked_to_a_village(client, programme):
    client.force_login(make_user("desa-baru", "Pemerintah Kelurahan/Desa"))
    assert client.get(url("rekap-desa")).status_code == 403


def test_it_refuses_a_village_government_no_longer_active(client, programme, matras_user):
    Partner.objects.filter(village=programme.matras).update(is_active=False)
    client.force_login(matras_user)
    assert client.get(url("rekap-desa")).status_code == 403


@pytest.mark.parametrize(
    "workbook", ["intervensi-mitra", "perkembangan-gizi", "kegiatan", "kendala", "semua-data"]
)
def test_it_offers_villages_only_their_workbooks(matras_client, workbook):
    assert matras_client.get(url(workbook)).status_code == 404


def test_it_refuses_another_village_in_the_filter(matras_client, programme):
    r = matras_client.get(url("daftar-balita"), {"village": programme.rebo.pk})
    assert r.status_code == 400
    assert AccessLog.objects.count() == 0


# --- contents -----------------------------------------------------------------


def test_it_recaps_the_own_village_only(matras_client, programme):
    rows = values(download(matras_client, "rekap-desa"))
    assert "Kelurahan/desa: Matras" in rows[0][0]
    assert [row[1] for row in rows[2:]] == ["Matras", "Total"]
    assert rows[2][:7] == ["19.01.01.1009", "Matras", 1, 1, 0, 2, 2]
    assert rows[3][2:7] == [1, 1, 0, 2, 2]


def test_it_lists_the_own_villages_children_with_a_masked_nik(matras_client, programme):
    sheet = download(matras_client, "daftar-balita")
    assert "No KK" not in values(sheet)[1]
    children = data_rows(sheet)
    # Dewi lives in Rebo.
    assert [r["Nama Anak"] for r in children] == ["Andi Saputra", "Bayu Pratama", "Citra Dewi"]
    assert children[0]["NIK"] == "190101********01"
    assert ANDI_NIK.encode() not in body(matras_client.get(url("daftar-balita")))


def test_it_logs_the_download(matras_client, programme, matras_user):
    download(matras_client, "rekap-desa")
    log = AccessLog.objects.get()
    assert (log.user, log.action) == (matras_user, "export")
    assert log.detail.startswith("rekap-desa-2026-06-15.xlsx · 1 baris · Periode")
    assert "Kelurahan/desa: Matras" in log.detail
    assert (log.extra["workbook"], log.extra["village"]) == ("rekap-desa", programme.matras.code)
