"""/pemantauan/unduh/<workbook>.xlsx: the kecamatan's Excel recaps (verifikator, pimpinan)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.exports import progress_category
from monitoring.models import EXPORT_WORKBOOK
from registrations.models import AccessLog
from tests.builders import login_redirect, make_child, make_intervention, partner_user
from tests.monitoring.workbooks import (
    ANDI_KK,
    ANDI_NIK,
    NOW,
    PMT,
    TIMAH,
    WIB,
    body,
    build,
    data_rows,
    measure,
    sheet_of,
    sheet_xml,
    values,
)

pytestmark = pytest.mark.django_db

WORKBOOKS = [
    "rekap-desa",
    "daftar-balita",
    "intervensi-mitra",
    "perkembangan-gizi",
    "daftar-ibu",
    "kegiatan",
    "kendala",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(workbook):
    return f"/pemantauan/unduh/{workbook}.xlsx"


@pytest.fixture
def programme(db):
    with time_machine.travel(NOW, tick=False):
        yield build()


@pytest.fixture
def staff_client(client, verifikator):
    client.force_login(verifikator)
    return client


def download(client, workbook, **params):
    r = client.get(url(workbook), params, REMOTE_ADDR="10.9.8.7")
    assert r.status_code == 200, r.content
    return sheet_of(body(r))


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_it_sends_anonymous_users_to_the_login_page(client, programme, workbook):
    r = client.get(url(workbook))
    assert r.status_code == 302
    assert r.url == login_redirect(url(workbook))
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("workbook", WORKBOOKS)
@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user", "staff"])
def test_it_refuses_users_without_the_kecamatan_role(client, programme, workbook, user, request):
    client.force_login(request.getfixturevalue(user))
    r = client.get(url(workbook))
    assert r.status_code == 403
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_it_refuses_a_linked_partner_user(client, programme, workbook):
    client.force_login(partner_user("timah", TIMAH))
    assert client.get(url(workbook)).status_code == 403


@pytest.mark.parametrize("workbook", WORKBOOKS)
@pytest.mark.parametrize("user", ["verifikator", "pimpinan"])
def test_it_gives_every_workbook_to_the_kecamatan(client, programme, workbook, user, request):
    client.force_login(request.getfixturevalue(user))
    r = client.get(url(workbook))
    assert r.status_code == 200
    assert r["Content-Type"] == XLSX
    assert r["Content-Disposition"] == f'attachment; filename="{workbook}-2026-06-15.xlsx"'
    assert "no-store" in r["Cache-Control"]
    sheet = sheet_of(body(r))
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:")
    assert sheet["A1"].font.b
    assert all(cell.font.b for cell in sheet[2])
    assert AccessLog.objects.get().user == request.getfixturevalue(user)


def test_it_answers_404_for_an_unknown_workbook(staff_client, programme):
    assert staff_client.get(url("semua-data")).status_code == 404
    assert AccessLog.objects.count() == 0


def test_it_refuses_invalid_filters(staff_client, programme):
    r = staff_client.get(url("daftar-balita"), {"date_from": "2026-06-01", "date_to": "2026-01-01"})
    assert r.status_code == 400
    assert "Filter tidak valid" in r.content.decode()
    assert AccessLog.objects.count() == 0


def test_it_logs_each_download(staff_client, programme, verifikator):
    download(staff_client, "daftar-balita", village=programme.matras.pk)
    log = AccessLog.objects.get()
    assert log.user == verifikator
    assert log.action == EXPORT_WORKBOOK == "export"
    assert log.get_action_display() == "Mengekspor rekap Excel"
    assert log.target is None
    assert log.ip_address == "10.9.8.7"
    assert log.created_at == NOW
    assert log.detail == (
        "daftar-balita-2026-06-15.xlsx · 3 baris · "
        "Periode 01-01-2026 s.d. 31-12-2026 · Kelurahan/desa: Matras"
    )
    assert log.extra == {
        "workbook": "daftar-balita",
        "rows": 3,
        "date_from": "2026-01-01",
        "date_to": "2026-12-31",
        "village": programme.matras.code,
        "partner": None,
    }


# --- daftar-balita ------------------------------------------------------------


CHILD_HEADERS = [
    "No KK",
    "NIK",
    "Nama Anak",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Nama Ibu",
    "Nama Ayah",
    "Alamat",
    "Kelurahan/Desa",
    "Posyandu",
    "Tanggal Ukur",
    "BB",
    "TB/PB",
    "Cara Ukur",
    "ZS TB/U",
    "TB/U",
    "ZS BB/U",
    "BB/U",
    "ZS BB/TB",
    "BB/TB",
    "Intervensi",
    "Mitra",
    "Status program",
    "Dilaporkan sebagai",
    "Faktor risiko",
    "Berat lahir (g)",
    "Panjang lahir (cm)",
]


def test_it_lists_the_children_by_name_and_address(staff_client, programme):
    sheet = download(staff_client, "daftar-balita")
    rows = values(sheet)
    assert rows[0][0] == (
        "Daftar balita sasaran GASKEN (by name by address) · Periode 01-01-2026 s.d. "
        "31-12-2026 · Kelurahan/desa: semua · Dibuat 15-06-2026 10:30 WIB"
    )
    assert rows[1] == CHILD_HEADERS
    # Eko left in 2025: not in the programme in 2026. Citra, without posyandu, comes last.
    assert [row[2] for row in rows[2:]] == [
        "Andi Saputra",
        "Bayu Pratama",
        "Citra Dewi",
        "Dewi Lestari",
    ]
    andi = data_rows(sheet)[0]
    assert andi == {
        "No KK": ANDI_KK,
        "NIK": ANDI_NIK,
        "Nama Anak": "Andi Saputra",
        "Tanggal Lahir": datetime(2024, 1, 10),
        "Jenis Kelamin": "L",
        "Nama Ibu": "Rina Marlina",
        "Nama Ayah": "Budi Santoso",
        "Alamat": "Jl. Pantai Matras RT 02",
        "Kelurahan/Desa": "Matras",
        "Posyandu": "Melati",
        "Tanggal Ukur": datetime(2026, 5, 20),
        "BB": 10.5,
        "TB/PB": 83.5,
        "Cara Ukur": "Berdiri",
        "ZS TB/U": -2.16,
        "TB/U": "Pendek",
        "ZS BB/U": -1.82,
        "BB/U": "Berat badan normal",
        "ZS BB/TB": -0.92,
        "BB/TB": "Gizi baik",
        "Intervensi": "PMT (berjalan), Pemantauan kesehatan (selesai)",
        "Mitra": "PT Timah Tbk, Puskesmas Sungailiat",
        "Status program": "Aktif",
        "Dilaporkan sebagai": "Stunting / pendek (sudah diukur)",
        "Faktor risiko": "Berat lahir < 2.500 g; Sakit berulang/kronis",
        "Berat lahir (g)": 2400,
        "Panjang lahir (cm)": 46.5,
    }
    assert sheet.auto_filter.ref == "A2:AA6"


def test_it_writes_real_dates_numbers_and_identity_numbers_as_text(staff_client, programme):
    sheet = download(staff_client, "daftar-balita")
    andi = sheet[3]
    kk, nik, birth, measured, weight, haz = andi[0], andi[1], andi[3], andi[10], andi[11], andi[14]
    assert (kk.data_type, nik.data_type) == ("s", "s")
    assert isinstance(kk.value, str) and isinstance(nik.value, str)
    assert birth.is_date and measured.is_date
    assert birth.number_format == "DD-MM-YYYY"
    assert weight.data_type == haz.data_type == "n"


def test_it_shows_an_exited_child_with_reason_and_date(staff_client, programme):
    citra = data_rows(download(staff_client, "daftar-balita"))[2]
    assert citra["Nama Anak"] == "Citra Dewi"
    assert citra["Status program"] == "Keluar: Pindah (10-02-2026)"
    assert citra["Posyandu"] is None
    assert citra["Intervensi"] is citra["Mitra"] is None
    assert citra["NIK"] is citra["No KK"] is None


def test_it_honours_the_period_and_village(staff_client, programme):
    sheet = download(
        staff_client,
        "daftar-balita",
        date_from="2026-03-01",
        date_to="2026-06-30",
        village=programme.matras.pk,
    )
    assert "Periode 01-03-2026 s.d. 30-06-2026 · Kelurahan/desa: Matras" in sheet["A1"].value
    # Citra moved away before March; Dewi lives in Rebo.
    assert [r["Nama Anak"] for r in data_rows(sheet)] == ["Andi Saputra", "Bayu Pratama"]


def test_it_gives_each_childs_reason_in_the_last_columns(staff_client, programme):
    rows = data_rows(download(staff_client, "daftar-balita"))
    reason = [
        (
            r["Nama Anak"],
            r["Dilaporkan sebagai"],
            r["Faktor risiko"],
            r["Berat lahir (g)"],
            r["Panjang lahir (cm)"],
        )
        for r in rows
    ]
    assert reason[1:] == [
        (
            "Bayu Pratama",
            "Berisiko stunting",
            "Tanpa air bersih atau jamban sehat; Lainnya: Ibu usia remaja",
            None,
            None,
        ),
        # Registered before the form asked: nothing recorded, empty cells.
        ("Citra Dewi", None, None, None, None),
        ("Dewi Lestari", None, None, None, None),
    ]


@pytest.mark.parametrize(
    "group,names,words",
    [
        ("stunted", ["Andi Saputra"], "stunting / pendek (sudah diukur)"),
        ("at_risk", ["Bayu Pratama"], "berisiko stunting"),
        ("none", ["Citra Dewi", "Dewi Lestari"], "belum tercatat"),
    ],
)
def test_it_honours_the_target_group(staff_client, programme, group, names, words):
    sheet = download(staff_client, "daftar-balita", reported_as=group)
    assert f"Kelurahan/desa: semua · Dilaporkan sebagai: {words} · Dibuat" in sheet["A1"].value
    assert [r["Nama Anak"] for r in data_rows(sheet)] == names


def test_the_other_workbooks_honour_the_target_group(staff_client, programme):
    recap = data_rows(download(staff_client, "rekap-desa", reported_as="at_risk"))
    matras = next(r for r in recap if r["Kelurahan/Desa"] == "Matras")
    # Bayu only; the pending report was sent as "stunted" (the builders' default).
    assert (matras["Balita aktif"], matras["Laporan masuk"]) == (1, 0)
    partners = data_rows(download(staff_client, "intervensi-mitra", reported_as="at_risk"))
    assert [(r["Mitra"], r["Jenis intervensi"]) for r in partners] == [
        ("Puskesmas Sungailiat", "Pemantauan kesehatan"),
        ("Total", None),
    ]
    progress = data_rows(download(staff_client, "perkembangan-gizi", reported_as="stunted"))
    assert [r["Nama Anak"] for r in progress] == ["Andi Saputra"]


def test_it_refuses_an_unknown_target_group(staff_client, programme):
    r = staff_client.get(url("daftar-balita"), {"reported_as": "curiga"})
    assert r.status_code == 400


def test_it_leaves_out_children_registered_after_the_period(staff_client, programme):
    sheet = download(staff_client, "daftar-balita", date_from="2025-01-01", date_to="2025-12-31")
    assert data_rows(sheet) == []
    assert sheet.auto_filter.ref == "A2:AA2"


FORMULAS = [
    '=HYPERLINK("http://x","klik")',
    "+62 812 3456",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("typed", FORMULAS)
def test_it_never_writes_typed_text_as_a_formula(staff_client, programme, typed):
    with time_machine.travel(NOW, tick=False):
        make_child(programme.matras, name=typed, mother_name=typed, address=typed)
    r = staff_client.get(url("daftar-balita"))
    content = body(r)
    assert "<f>" not in sheet_xml(content) and "<f " not in sheet_xml(content)
    # A line ends in a line feed in a workbook (XML reads a carriage return as one).
    written = typed.replace("\r", "\n")
    row = next(r for r in sheet_of(content).iter_rows(min_row=3) if r[2].value == written)
    for cell in (row[2], row[5], row[7]):  # name, mother, address
        assert cell.data_type == "s"
        assert cell.value == written
        assert cell.quotePrefix


def test_it_drops_characters_a_workbook_cannot_hold(staff_client, programme):
    with time_machine.travel(NOW, tick=False):
        make_child(programme.matras, name="Zaki\x07 Ramadhan\x1b")
    rows = data_rows(download(staff_client, "daftar-balita"))
    assert "Zaki Ramadhan" in [r["Nama Anak"] for r in rows]


@pytest.mark.parametrize("workbook", ["daftar-balita", "perkembangan-gizi"])
def test_it_reads_the_children_without_a_query_per_child(staff_client, programme, workbook):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            body(staff_client.get(url(workbook)))
        return len(ctx.captured_queries)

    before = queries()
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            child = make_child(programme.matras, name=f"Anak {n}")
            make_intervention(child, TIMAH, kind_name=PMT, status="running")
            measure(child, date(2026, 3, 1), "80.0", "10.0")
    assert queries() == before


def test_it_writes_the_date_and_time_in_western_indonesia(staff_client, programme):
    # 23:30 WIB is 16:30 UTC: the file is still of the 15th.
    with time_machine.travel(datetime(2026, 6, 15, 23, 30, tzinfo=WIB), tick=False):
        r = staff_client.get(url("daftar-balita"))
    assert r["Content-Disposition"] == 'attachment; filename="daftar-balita-2026-06-15.xlsx"'
    assert sheet_of(body(r))["A1"].value.endswith("Dibuat 15-06-2026 23:30 WIB")


# --- rekap-desa ---------------------------------------------------------------


def test_it_recaps_each_village_with_a_total(staff_client, programme):
    sheet = download(staff_client, "rekap-desa")
    rows = values(sheet)
    assert rows[0][0].startswith("Rekap stunting per kelurahan/desa · Periode 01-01-2026")
    assert rows[1] == [
        "Kode wilayah",
        "Kelurahan/Desa",
        "Jumlah posyandu",
        "Laporan masuk",
        "Laporan terverifikasi",
        "Balita aktif",
        "Balita diukur",
        "Sangat pendek L",
        "Sangat pendek P",
        "Pendek L",
        "Pendek P",
        "Total stunting",
        "Prevalensi (%)",
        "Sudah diintervensi",
        "Belum diintervensi",
        "Keluar dari stunting",
    ]
    assert len(rows) == 2 + 13 + 1  # title, headers, 13 villages, total
    by_code = {row[0]: row for row in rows[2:-1]}
    # Andi pendek (intervened), Bayu left stunting; Citra and Eko exited; one report.
    assert by_code["19.01.01.1009"] == [
        "19.01.01.1009", "Matras", 1, 1, 0, 2, 2, 0, 0, 1, 0, 1, 50.0, 1, 0, 1
    ]  # fmt: skip
    # Dewi was measured in 2025 only, but her latest measurement counts.
    assert by_code["19.01.01.2007"] == [
        "19.01.01.2007", "Rebo", 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0.0, 0, 0, 0
    ]  # fmt: skip
    assert rows[-1] == [None, "Total", 2, 1, 0, 3, 3, 0, 0, 1, 0, 1, 33.3, 1, 0, 1]
    assert all(cell.font.b for cell in sheet[sheet.max_row])
    assert sheet.auto_filter.ref == "A2:P15"  # the total row stays out of sorting


def test_it_recaps_the_chosen_village_only(staff_client, programme):
    rows = values(download(staff_client, "rekap-desa", village=programme.rebo.pk))
    assert [row[1] for row in rows[2:]] == ["Rebo", "Total"]


# --- intervensi-mitra ---------------------------------------------------------


def test_it_recaps_interventions_per_partner_and_type(staff_client, programme):
    sheet = download(staff_client, "intervensi-mitra")
    rows = values(sheet)
    assert rows[0][0].startswith("Rekap intervensi per mitra · Periode 01-01-2026")
    assert rows[1] == [
        "Mitra",
        "Jenis intervensi",
        "Ditugaskan",
        "Direncanakan",
        "Berjalan",
        "Selesai",
        "Dibatalkan",
        "Lewat rencana selesai",
        "Layanan dalam periode",
        "Jumlah diberikan",
        "Satuan",
        "Sasaran",
    ]
    assert rows[2:] == [
        # Every assignment by its status now; deliveries and quantities of 2026 only.
        ["PT Timah Tbk", "PMT", 3, 0, 3, 0, 0, 2, 3, 18, "paket", "Balita"],
        [
            "Puskesmas Sungailiat",
            "Pemantauan kesehatan",
            *(2, 0, 1, 1, 0, 1, 1, None, None, "Balita"),
        ],
        ["Total", None, 5, 0, 4, 1, 0, 3, 4, None, None, None],
    ]


def test_it_sums_the_quantities_of_the_period_only(staff_client, programme):
    rows = values(
        download(staff_client, "intervensi-mitra", date_from="2025-01-01", date_to="2025-12-31")
    )
    assert rows[2][:2] == ["PT Timah Tbk", "PMT"]
    assert rows[2][8:] == [1, 4, "paket", "Balita"]


# --- perkembangan-gizi --------------------------------------------------------


def test_it_compares_the_first_and_last_measurement_of_helped_children(staff_client, programme):
    sheet = download(staff_client, "perkembangan-gizi")
    rows = values(sheet)
    assert rows[0][0].startswith("Perkembangan gizi anak yang diintervensi · Periode 01-01")
    m = programme.measurements
    andi, bayu, eko, dewi = data_rows(sheet)
    assert andi == {
        "NIK": ANDI_NIK,
        "Nama Anak": "Andi Saputra",
        "Tanggal Lahir": datetime(2024, 1, 10),
        "Jenis Kelamin": "L",
        "Kelurahan/Desa": "Matras",
        "Posyandu": "Melati",
        "Intervensi": "PMT (berjalan), Pemantauan kesehatan (selesai)",
        "Mitra": "PT Timah Tbk, Puskesmas Sungailiat",
        "Tanggal Ukur Pertama": datetime(2026, 1, 15),
        "TB/PB Pertama": 76,
        "ZS TB/U Pertama": -3.68,
        "TB/U Pertama": "Sangat pendek",
        "ZS BB/U Pertama": m["andi_1"].waz,
        "ZS BB/TB Pertama": m["andi_1"].whz,
        "Tanggal Ukur Terakhir": datetime(2026, 5, 20),
        "TB/PB Terakhir": 83.5,
        "ZS TB/U Terakhir": -2.16,
        "TB/U Terakhir": "Pendek",
        "ZS BB/U Terakhir": -1.82,
        "ZS BB/TB Terakhir": -0.92,
        "Perubahan ZS TB/U": 1.52,
        "Perkembangan": "Membaik",
    }
    assert (bayu["Nama Anak"], bayu["ZS TB/U Terakhir"]) == ("Bayu Pratama", -1.85)
    assert (bayu["Perubahan ZS TB/U"], bayu["Perkembangan"]) == (1.83, "Keluar dari stunting")
    # Eko left the programme but was helped; he was never measured.
    assert (eko["Nama Anak"], eko["Perkembangan"]) == ("Eko Prasetyo", "Belum ada pengukuran")
    assert eko["Tanggal Ukur Pertama"] is None
    # Dewi was measured in 2025 only.
    assert dewi["Tanggal Ukur Pertama"] == datetime(2025, 11, 1)
    assert dewi["Tanggal Ukur Terakhir"] is None
    assert dewi["Perkembangan"] == "Belum diukur dalam periode"


def test_it_takes_the_last_measurement_within_the_period(staff_client, programme):
    sheet = download(
        staff_client,
        "perkembangan-gizi",
        date_from="2026-01-01",
        date_to="2026-03-31",
        village=programme.matras.pk,
    )
    andi = data_rows(sheet)[0]
    assert andi["Tanggal Ukur Terakhir"] == andi["Tanggal Ukur Pertama"] == datetime(2026, 1, 15)
    assert andi["Perubahan ZS TB/U"] is None
    assert andi["Perkembangan"] == "Belum ada pengukuran ulang"
    assert [r["Nama Anak"] for r in data_rows(sheet)] == [
        "Andi Saputra",
        "Bayu Pratama",
        "Eko Prasetyo",
    ]


M = tuple  # (pk, measured_on, height, haz, haz_category, waz, whz)


@pytest.mark.parametrize(
    "first_haz, first_cat, last_haz, last_cat, expected",
    [
        (-2.5, "pendek", -2.3, "pendek", "Membaik"),  # +0.20
        (-2.5, "pendek", -2.31, "pendek", "Tetap"),  # +0.19
        (-2.5, "pendek", -2.69, "pendek", "Tetap"),  # -0.19
        (-2.5, "pendek", -2.7, "pendek", "Memburuk"),  # -0.20
        (-2.01, "pendek", -2.0, "normal", "Keluar dari stunting"),
        (-1.9, "normal", -2.1, "pendek", "Memburuk"),
    ],
)
def test_it_names_the_change_of_haz(first_haz, first_cat, last_haz, last_cat, expected):
    first = M((1, date(2026, 1, 1), Decimal("80"), first_haz, first_cat, 0.0, 0.0))
    last = M((2, date(2026, 5, 1), Decimal("82"), last_haz, last_cat, 0.0, 0.0))
    assert progress_category(first, last) == expected
