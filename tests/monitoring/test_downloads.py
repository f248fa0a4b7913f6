import pytest

from tests.builders import village_user

QUERY = "date_from=2026-01-01&amp;date_to=2026-12-31"


@pytest.fixture
def with_exports(settings):
    settings.ROOT_URLCONF = "tests.monitoring.export_urls"


def test_staff_get_every_recap_of_the_current_filters(client, dataset, verifikator, with_exports):
    client.force_login(verifikator)
    html = client.get("/pemantauan/").content.decode()
    assert "Unduh rekap Excel" in html
    for workbook in ("rekap-desa", "daftar-balita", "intervensi-mitra", "perkembangan-gizi"):
        assert f'href="/pemantauan/unduh/{workbook}.xlsx?{QUERY}"' in html


def test_the_links_keep_the_chosen_village(client, dataset, verifikator, with_exports):
    client.force_login(verifikator)
    html = client.get("/pemantauan/", {"village": dataset.rebo.pk}).content.decode()
    assert f'href="/pemantauan/unduh/rekap-desa.xlsx?{QUERY}&amp;village={dataset.rebo.pk}"' in html


def test_a_village_user_gets_the_own_village_workbooks_only(client, dataset, with_exports):
    client.force_login(village_user("desa-matras", dataset.matras))
    html = client.get("/pemantauan/").content.decode()
    assert f'href="/pemantauan/unduh/rekap-desa.xlsx?{QUERY}"' in html
    assert f'href="/pemantauan/unduh/daftar-balita.xlsx?{QUERY}"' in html
    assert "intervensi-mitra" not in html and "perkembangan-gizi" not in html


def test_without_the_recaps_the_block_is_left_out(client, dataset, verifikator, settings):
    settings.ROOT_URLCONF = "tests.monitoring.export_urls_absent"
    client.force_login(verifikator)
    r = client.get("/pemantauan/")
    assert r.status_code == 200
    assert "Unduh rekap Excel" not in r.content.decode()
