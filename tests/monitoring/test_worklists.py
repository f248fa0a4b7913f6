from datetime import date

import pytest

from tests.builders import login_redirect, partner_user, village_user

LISTS = [
    "anak",
    "belum-diukur",
    "intervensi-terlambat",
    "usia-lima-tahun",
    "stunting-tanpa-intervensi",
    "intervensi-anak-normal",
    "perkembangan",
    "keluar-stunting",
    "keluar-program",
    "laporan-tertunda",
]


def url(name, query=""):
    return f"/pemantauan/daftar/{name}/" + (f"?{query}" if query else "")


@pytest.fixture
def matras_user(dataset):
    return village_user("desa-matras", dataset.matras)


def names(response):
    return sorted(c.name if hasattr(c, "name") else c.child.name for c in response.context["page"])


@pytest.mark.parametrize("name", LISTS)
def test_it_requires_login(client, db, name):
    r = client.get(url(name))
    assert r.status_code == 302 and r.url == login_redirect(url(name))


@pytest.mark.parametrize("name", LISTS)
def test_it_refuses_a_partner(client, db, name):
    client.force_login(partner_user("mitra-timah"))
    assert client.get(url(name)).status_code == 403


@pytest.mark.parametrize("name", LISTS)
def test_it_refuses_a_village_role_without_its_village(client, desa_user, name):
    client.force_login(desa_user)
    assert client.get(url(name)).status_code == 403


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("role", ["verifikator", "pimpinan"])
def test_it_opens_for_staff(client, clock, name, role, request):
    client.force_login(request.getfixturevalue(role))
    r = client.get(url(name))
    assert r.status_code == 200
    assert r.context["page"].paginator.count == 0


@pytest.mark.parametrize("name", [n for n in LISTS if n != "laporan-tertunda"])
def test_it_opens_for_a_village_user(client, matras_user, name):
    client.force_login(matras_user)
    r = client.get(url(name))
    assert r.status_code == 200
    html = r.content.decode()
    # Another village's child is never listed, whatever the list.
    assert "Rudi" not in html and "Rebo" not in html


def test_pending_reports_are_for_staff_only(client, matras_user):
    client.force_login(matras_user)
    assert client.get(url("laporan-tertunda")).status_code == 403


def test_an_unknown_list_is_not_found(client, verifikator):
    client.force_login(verifikator)
    assert client.get(url("rahasia")).status_code == 404


def test_staff_rows_link_to_the_staff_child_page(client, dataset, verifikator):
    client.force_login(verifikator)
    r = client.get(url("stunting-tanpa-intervensi"))
    assert names(r) == ["Citra Dewi", "Rudi Hartono"]
    html = r.content.decode()
    assert f'href="/verifikasi/anak/{dataset.children["citra"].pk}/"' in html
    assert f'href="/verifikasi/anak/{dataset.children["rudi"].pk}/"' in html


def test_village_rows_link_to_the_village_child_page(client, dataset, matras_user):
    client.force_login(matras_user)
    r = client.get(url("stunting-tanpa-intervensi"))
    assert names(r) == ["Citra Dewi"]
    html = r.content.decode()
    assert f'href="/desa/anak/{dataset.children["citra"].pk}/"' in html
    assert "/verifikasi/" not in html


def test_a_village_user_cannot_list_another_village(client, dataset, matras_user):
    client.force_login(matras_user)
    r = client.get(url("anak", f"village={dataset.rebo.pk}"))
    assert "Rudi Hartono" not in names(r)
    assert len(names(r)) == 7


def test_staff_can_narrow_a_list_to_a_village(client, dataset, verifikator):
    client.force_login(verifikator)
    r = client.get(url("stunting-tanpa-intervensi", f"village={dataset.rebo.pk}"))
    assert names(r) == ["Rudi Hartono"]


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "",
            [
                "Andi Saputra",
                "Bunga Lestari",
                "Citra Dewi",
                "Dodi Pratama",
                "Fajar Nugroho",
                "Gilang Ramadhan",
                "Hana Safitri",
            ],
        ),
        ("tbu=sangat_pendek", ["Andi Saputra"]),
        ("tbu=pendek", ["Citra Dewi", "Fajar Nugroho", "Hana Safitri"]),
        ("tbu=stunting", ["Andi Saputra", "Citra Dewi", "Fajar Nugroho", "Hana Safitri"]),
        ("tbu=normal", ["Bunga Lestari", "Dodi Pratama"]),
        ("tbu=belum", ["Gilang Ramadhan"]),
        (
            "tbu=terukur",
            [
                "Andi Saputra",
                "Bunga Lestari",
                "Citra Dewi",
                "Dodi Pratama",
                "Fajar Nugroho",
                "Hana Safitri",
            ],
        ),
        (
            "bbtb=gizi_baik",
            [
                "Andi Saputra",
                "Bunga Lestari",
                "Citra Dewi",
                "Dodi Pratama",
                "Fajar Nugroho",
                "Hana Safitri",
            ],
        ),
        (
            "diukur=periode&date_from=2026-05-01&date_to=2026-06-30",
            ["Andi Saputra", "Bunga Lestari", "Fajar Nugroho"],
        ),
    ],
)
def test_the_children_list_matches_the_dashboard_figures(client, matras_user, query, expected):
    client.force_login(matras_user)
    assert names(client.get(url("anak", query))) == expected


@pytest.mark.parametrize(
    "days, expected",
    [
        (
            30,
            [
                "Andi Saputra",
                "Bunga Lestari",
                "Citra Dewi",
                "Dodi Pratama",
                "Gilang Ramadhan",
                "Hana Safitri",
            ],
        ),
        (60, ["Citra Dewi", "Dodi Pratama", "Gilang Ramadhan", "Hana Safitri"]),
        (90, ["Citra Dewi", "Gilang Ramadhan"]),
    ],
)
def test_not_measured(client, matras_user, days, expected):
    client.force_login(matras_user)
    r = client.get(url("belum-diukur", f"hari={days}"))
    assert names(r) == expected
    # Never measured first, then the longest ago.
    assert r.context["page"][0].name == "Gilang Ramadhan"
    assert "belum pernah" in r.content.decode()


def test_overdue_interventions(client, dataset, verifikator):
    client.force_login(verifikator)
    r = client.get(url("intervensi-terlambat"))
    assert [i.pk for i in r.context["page"]] == [
        dataset.interventions["fajar_pantau"].pk,  # planned to end 25 April
        dataset.interventions["rudi_pmt"].pk,  # 20 May
    ]


def test_turning_five(client, matras_user):
    client.force_login(matras_user)
    assert names(client.get(url("usia-lima-tahun"))) == ["Fajar Nugroho"]


def test_help_for_children_not_stunted(client, dataset, matras_user):
    client.force_login(matras_user)
    r = client.get(url("intervensi-anak-normal"))
    assert [i.pk for i in r.context["page"]] == [dataset.interventions["dodi_pmt"].pk]
    assert f'href="/desa/anak/{dataset.children["dodi"].pk}/"' in r.content.decode()


@pytest.mark.parametrize(
    "arah, expected",
    [
        ("", ["Andi Saputra", "Bunga Lestari", "Eka Putri", "Fajar Nugroho", "Hana Safitri"]),
        ("membaik", ["Bunga Lestari", "Fajar Nugroho"]),
        ("tetap", ["Andi Saputra"]),
        ("memburuk", ["Hana Safitri"]),
        ("belum", ["Eka Putri"]),
    ],
)
def test_outcomes(client, matras_user, arah, expected):
    client.force_login(matras_user)
    r = client.get(url("perkembangan", f"arah={arah}"))
    assert names(r) == expected


def test_outcomes_show_the_change(client, dataset, matras_user):
    client.force_login(matras_user)
    html = client.get(url("perkembangan", "arah=membaik")).content.decode()
    assert "+1,00" in html  # Bunga: −2,50 → −1,50


def test_left_stunting_and_exits(client, matras_user):
    client.force_login(matras_user)
    assert names(client.get(url("keluar-stunting"))) == ["Bunga Lestari"]
    r = client.get(url("keluar-program", "alasan=moved"))
    assert names(r) == ["Eka Putri"]
    assert "Pindah, 01-04-2026" in r.content.decode()
    assert names(client.get(url("keluar-program", "alasan=died"))) == []


def test_pending_reports_link_to_the_report(client, dataset, verifikator):
    client.force_login(verifikator)
    r = client.get(url("laporan-tertunda"))
    reports = list(r.context["page"])
    assert reports == [dataset.reports["R2"], dataset.reports["S8"]]  # oldest first
    assert f'href="/verifikasi/laporan/{dataset.reports["S8"].pk}/"' in r.content.decode()


def test_it_is_paginated(client, dataset, verifikator):
    for i in range(30):
        dataset.matras.children.create(
            name=f"Zaki {i:02}",
            sex="L",
            birth_date=date(2024, 1, 1),
            mother_name="Ibu",
            address="Jl. Contoh",
        )
    client.force_login(verifikator)
    r = client.get(url("belum-diukur", f"hari=90&village={dataset.matras.pk}"))
    assert r.context["page"].paginator.count == 32  # Citra, Gilang and the 30
    assert len(r.context["page"]) == 25
    assert f'href="?hari=90&amp;village={dataset.matras.pk}&page=2"' in r.content.decode()
    r = client.get(url("belum-diukur", f"hari=90&village={dataset.matras.pk}&page=2"))
    assert len(r.context["page"]) == 7
