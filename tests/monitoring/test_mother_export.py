"""The workbooks of mothers, group activities and obstacles, on the monitoring dataset
with its mothers (dataset.add_mothers): daftar-ibu for the kecamatan, a village government
and a partner; the mothers' rows of intervensi-mitra; kegiatan and kendala for the
kecamatan. The permission ladder of every workbook is in test_export.py,
test_village_export.py and test_partner_export.py."""

from datetime import date, datetime

import pytest

from registrations.models import AccessLog, ReportedAs
from tests.builders import partner_user, village_user
from tests.monitoring.dataset import KELAS_IBU, PMT_IBU, PUSKESMAS, TIMAH
from tests.monitoring.workbooks import body, data_rows, sheet_of, values

SITI_NIK = "1901014507950001"


def download(client, path, **params):
    r = client.get(path, params)
    assert r.status_code == 200, r.content
    return sheet_of(body(r))


@pytest.fixture
def staff_client(client, verifikator):
    client.force_login(verifikator)
    return client


# --- daftar-ibu -----------------------------------------------------------------


def test_staff_get_every_mother_of_the_period_with_nik_and_kk(staff_client, mothers):
    sheet = download(staff_client, "/pemantauan/unduh/daftar-ibu.xlsx")
    rows = values(sheet)
    assert rows[0][0].startswith("Daftar ibu hamil dan menyusui sasaran GASKEN · Periode")
    assert rows[1][:4] == ["No KK", "NIK", "Nama Ibu", "Tanggal Lahir"]
    found = data_rows(sheet)
    # Yuni left in 2025 and Siti's double is merged: neither is listed. Matras with its
    # posyandu first, then those without one; then Rebo.
    assert [r["Nama Ibu"] for r in found] == [
        "Siti Aminah",
        "Dewi Sartika",
        "Rina Wati",
        "Lina Marlina",
    ]
    siti = found[0]
    assert siti["No KK"] == "1901010101200009"
    assert siti["NIK"] == SITI_NIK
    assert siti["Tanggal Lahir"] == datetime(1995, 7, 5)
    assert (siti["Kelurahan/Desa"], siti["Posyandu"]) == ("Matras", "Melati")
    assert (siti["Status Ibu"], siti["Usia Kehamilan (bulan)"]) == ("Hamil", 5)
    assert (siti["LiLA (cm)"], siti["Hb (g/dL)"]) == (22.8, 10.5)
    assert (siti["KEK"], siti["Anemia"]) == ("Ya", "Ya")
    assert siti["Intervensi"] == f"{PMT_IBU} (berjalan)"
    assert siti["Mitra"] == PUSKESMAS
    assert siti["Status program"] == "Aktif"
    rina = found[2]
    assert (rina["Status Ibu"], rina["Tanggal Lahir Bayi"]) == ("Menyusui", datetime(2026, 3, 1))
    assert (rina["KEK"], rina["Anemia"], rina["Nama Suami"]) == ("Tidak", "Ya", "Budi")
    assert (rina["Intervensi"], rina["Mitra"]) == (None, None)
    lina = found[3]
    assert (lina["Hb (g/dL)"], lina["Anemia"]) == (None, None)  # Hb not measured


def test_staff_see_a_mother_who_left_within_the_period(staff_client, mothers):
    found = data_rows(
        download(
            staff_client,
            "/pemantauan/unduh/daftar-ibu.xlsx",
            date_from="2025-11-01",
            date_to="2025-12-31",
            village=mothers.matras.pk,
        )
    )
    # Everyone was registered on 15 June 2026 (the pinned clock): nobody was in the
    # programme yet in 2025.
    assert found == []
    found = data_rows(
        download(staff_client, "/pemantauan/unduh/daftar-ibu.xlsx", date_from="2025-11-01")
    )
    yuni = [r for r in found if r["Nama Ibu"] == "Yuni Astuti"]
    assert yuni and yuni[0]["Status program"] == "Keluar: Pindah (01-12-2025)"


def test_the_childrens_target_group_does_not_narrow_the_mothers_list(staff_client, mothers):
    found = data_rows(
        download(staff_client, "/pemantauan/unduh/daftar-ibu.xlsx", reported_as=ReportedAs.AT_RISK)
    )
    assert len(found) == 4


def test_a_village_user_gets_the_own_mothers_masked_without_kk(client, mothers):
    user = village_user("desa-matras", mothers.matras)
    client.force_login(user)
    r = client.get("/pemantauan/unduh/daftar-ibu.xlsx")
    content = body(r)
    sheet = sheet_of(content)
    assert "No KK" not in values(sheet)[1]
    found = data_rows(sheet)
    assert [row["Nama Ibu"] for row in found] == ["Siti Aminah", "Dewi Sartika", "Rina Wati"]
    assert found[0]["NIK"] == "190101********01"
    assert SITI_NIK.encode() not in content
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.extra["workbook"]) == (user, "export", "daftar-ibu")


def test_a_village_user_cannot_ask_for_another_village(client, mothers):
    client.force_login(village_user("desa-matras", mothers.matras))
    r = client.get("/pemantauan/unduh/daftar-ibu.xlsx", {"village": mothers.rebo.pk})
    assert r.status_code == 400
    assert AccessLog.objects.count() == 0


def test_a_partner_gets_only_the_mothers_of_its_assignments(client, mothers):
    client.force_login(partner_user("puskesmas", PUSKESMAS))
    found = data_rows(download(client, "/mitra/unduh/daftar-ibu.xlsx"))
    # Siti's PMT is running, Lina's class finished on 1 May (still visible); Dewi is
    # PT Timah's.
    assert [row["Nama Ibu"] for row in found] == ["Siti Aminah", "Lina Marlina"]
    assert found[0]["NIK"] == "190101********01"
    client.force_login(partner_user("timah", TIMAH))
    found = data_rows(download(client, "/mitra/unduh/daftar-ibu.xlsx"))
    assert [row["Nama Ibu"] for row in found] == ["Dewi Sartika"]


def test_a_partner_without_mothers_gets_an_empty_list(client, mothers):
    client.force_login(partner_user("kadin", "KADIN Kabupaten Bangka"))
    assert data_rows(download(client, "/mitra/unduh/daftar-ibu.xlsx")) == []


# --- intervensi-mitra -----------------------------------------------------------


def test_the_partner_recap_has_the_mothers_as_their_own_rows(staff_client, mothers):
    rows = values(download(staff_client, "/pemantauan/unduh/intervensi-mitra.xlsx"))
    assert rows[1][-1] == "Sasaran"
    children = [row for row in rows[2:-1] if row[-1] == "Balita"]
    mothers_ = [row for row in rows[2:-1] if row[-1] == "Ibu hamil/menyusui"]
    assert [row[:2] for row in children] == [
        ["KADIN Kabupaten Bangka", "PMT"],
        ["PT Timah Tbk", "PMT"],
        ["Puskesmas Sungailiat", "Pemantauan kesehatan"],
    ]
    assert [row[:9] for row in mothers_] == [
        ["PT Timah Tbk", KELAS_IBU, 1, 1, 0, 0, 0, 1, 0],
        ["Puskesmas Sungailiat", KELAS_IBU, 1, 0, 0, 1, 0, 0, 0],
        ["Puskesmas Sungailiat", PMT_IBU, 1, 0, 1, 0, 0, 0, 1],
    ]
    # The children's rows come first; the total counts all eleven assignments.
    assert rows[2:-1] == children + mothers_
    assert rows[-1][:3] == ["Total", None, 11]


def test_the_partner_recap_keeps_the_mothers_under_a_target_group(staff_client, mothers):
    rows = values(
        download(
            staff_client, "/pemantauan/unduh/intervensi-mitra.xlsx", reported_as=ReportedAs.AT_RISK
        )
    )
    assert [row[1] for row in rows[2:-1] if row[-1] == "Ibu hamil/menyusui"] == [
        KELAS_IBU,
        KELAS_IBU,
        PMT_IBU,
    ]


# --- kegiatan -------------------------------------------------------------------


def test_the_activities_workbook_lists_the_periods_activities(staff_client, mothers):
    sheet = download(staff_client, "/pemantauan/unduh/kegiatan.xlsx")
    rows = values(sheet)
    assert rows[0][0].startswith("Kegiatan kelompok · Periode 01-01-2026 s.d. 31-12-2026")
    assert rows[1] == [
        "Tanggal",
        "Jenis kegiatan",
        "Kelurahan/Desa",
        "Posyandu",
        "Mitra pelaksana",
        "Topik",
        "Orang tua balita",
        "Ibu hamil/menyusui",
        "Kader posyandu/PKK",
        "Aparat desa/kelurahan",
        "Lainnya",
        "Jumlah peserta",
    ]
    topic = "Gizi seimbang untuk balita"
    # A4 (December 2025) is before the period.
    assert rows[2:] == [
        [
            datetime(2026, 2, 5),
            "Sosialisasi",
            "Matras",
            "Melati",
            "PT Timah Tbk, Puskesmas Sungailiat",
            topic,
            *(20, 5, 0, 0, 0, 25),
        ],
        [
            datetime(2026, 2, 20),
            "Kelas BKB",
            "Matras",
            None,
            "KADIN Kabupaten Bangka",
            topic,
            *(10, 0, 2, 0, 0, 12),
        ],
        [
            datetime(2026, 5, 10),
            "Demo masak PMT",
            "Rebo",
            None,
            "Puskesmas Sungailiat",
            topic,
            *(0, 8, 0, 2, 1, 11),
        ],
        ["Total", None, None, None, None, None, 30, 13, 2, 2, 1, 48],
    ]
    assert sheet["A3"].number_format == "DD-MM-YYYY"


def test_the_activities_workbook_follows_the_village_filter(staff_client, mothers):
    rows = values(
        download(staff_client, "/pemantauan/unduh/kegiatan.xlsx", village=mothers.rebo.pk)
    )
    assert [row[1] for row in rows[2:]] == ["Demo masak PMT", None]
    assert rows[-1][-1] == 11


# --- kendala --------------------------------------------------------------------


def test_the_obstacles_workbook_lists_the_periods_obstacles(staff_client, mothers):
    sheet = download(staff_client, "/pemantauan/unduh/kendala.xlsx")
    assert values(sheet)[0][0].startswith("Kendala dari mitra · Periode 01-01-2026")
    found = data_rows(sheet)
    # Hana's (December 2025) is before the period; Siti's is on a mother's assignment.
    assert [(r["Tanggal"].date(), r["Kendala"], r["Nama sasaran"]) for r in found] == [
        (date(2026, 3, 1), "Tidak dapat dihubungi", "Andi Saputra"),
        (date(2026, 4, 1), "Anak sakit", "Andi Saputra"),
        (date(2026, 5, 5), "Tidak dapat dihubungi", "Siti Aminah"),
        (date(2026, 5, 15), "Menolak bantuan", "Rudi Hartono"),
        (date(2026, 5, 20), "Anak sakit", "Fajar Nugroho"),
        (date(2026, 6, 10), "Bantuan terlambat", "Dodi Pratama"),
    ]
    andi_ill = found[1]
    assert andi_ill["Mitra"] == TIMAH
    assert andi_ill["Jenis intervensi"] == "PMT"
    assert (andi_ill["Sasaran"], andi_ill["Kelurahan/Desa sasaran"]) == ("Balita", "Matras")
    assert andi_ill["Status"] == "Sudah ditangani"
    assert andi_ill["Ditangani oleh"] == "kecamatan"
    assert isinstance(andi_ill["Ditangani pada"], datetime)
    assert andi_ill["Tindak lanjut"] == "Sudah dihubungi."
    siti = found[2]
    assert (siti["Sasaran"], siti["Jenis intervensi"]) == ("Ibu hamil/menyusui", PMT_IBU)
    assert (siti["Status"], siti["Ditangani oleh"], siti["Ditangani pada"]) == (
        "Belum ditangani",
        None,
        None,
    )


def test_the_obstacles_workbook_follows_village_and_group(staff_client, mothers):
    rebo = data_rows(
        download(staff_client, "/pemantauan/unduh/kendala.xlsx", village=mothers.rebo.pk)
    )
    assert [r["Nama sasaran"] for r in rebo] == ["Rudi Hartono"]
    grouped = data_rows(
        download(staff_client, "/pemantauan/unduh/kendala.xlsx", reported_as=ReportedAs.AT_RISK)
    )
    # No child of the dataset was reported at risk; the mothers' obstacles always count.
    assert [r["Nama sasaran"] for r in grouped] == ["Siti Aminah"]


def test_the_exports_are_logged(staff_client, mothers, verifikator):
    download(staff_client, "/pemantauan/unduh/kegiatan.xlsx")
    download(staff_client, "/pemantauan/unduh/kendala.xlsx")
    logs = AccessLog.objects.order_by("pk")
    assert [(log.user, log.extra["workbook"]) for log in logs] == [
        (verifikator, "kegiatan"),
        (verifikator, "kendala"),
    ]
    assert logs[0].detail.startswith("kegiatan-2026-06-15.xlsx · 3 baris")


def test_the_dashboard_links_the_new_workbooks(client, mothers, verifikator):
    client.force_login(verifikator)
    html = client.get("/pemantauan/").content.decode()
    for workbook in ("daftar-ibu", "kegiatan", "kendala"):
        assert f'href="/pemantauan/unduh/{workbook}.xlsx?date_from=2026-01-01' in html
    client.force_login(village_user("desa-matras", mothers.matras))
    html = client.get("/pemantauan/").content.decode()
    assert "/pemantauan/unduh/daftar-ibu.xlsx" in html
    assert "/pemantauan/unduh/kegiatan.xlsx" not in html
    assert "/pemantauan/unduh/kendala.xlsx" not in html
