"""The posyandu filter of the staff lists (queue, children): grouped by village, narrowed to
the chosen village, also without JavaScript."""

import re

import pytest

from registrations.models import Posyandu
from tests.builders import make_child, make_submission

pytestmark = pytest.mark.django_db

LISTS = ["/verifikasi/", "/verifikasi/anak/"]


@pytest.fixture
def mawar(village, other_village):
    # Many villages have a posyandu of the same name.
    return (
        Posyandu.objects.create(name="Mawar", village=village, code="mawar-matras"),
        Posyandu.objects.create(name="Mawar", village=other_village, code="mawar-rebo"),
    )


def posyandu_select(response):
    html = response.content.decode()
    return re.search(r'<select name="posyandu".*?</select>', html, re.S)[0]


def groups(response):
    """{optgroup label: [(value, option text), …]} of the posyandu filter."""
    found = {}
    select = posyandu_select(response)
    for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S):
        found[label] = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', body)
    return found


def shown(response):
    return [getattr(row, "child_name", None) or row.name for row in response.context["page"]]


def params(url, **values):
    # The queue shows pending reports by default; these tests look at all of them.
    return {**values, "status": "all"} if url == "/verifikasi/" else values


def add_rows(url, matras_mawar, rebo_mawar):
    for p in (matras_mawar, rebo_mawar):
        if url == "/verifikasi/":
            make_submission(p.village, p, documents=(), child_name=f"Anak {p.village.name}")
        else:
            make_child(p.village, name=f"Anak {p.village.name}", posyandu=p)


@pytest.mark.parametrize("url", LISTS)
def test_it_groups_the_posyandu_by_village(client, verifikator, posyandu, mawar, url):
    client.force_login(verifikator)
    r = client.get(url)
    matras_mawar, rebo_mawar = mawar
    # By village name (Matras, Rebo), then posyandu name.
    assert list(groups(r)) == ["Kelurahan Matras", "Desa Rebo"]
    assert groups(r) == {
        "Desa Rebo": [(str(rebo_mawar.pk), "Posyandu Mawar")],
        "Kelurahan Matras": [
            (str(matras_mawar.pk), "Posyandu Mawar"),
            (str(posyandu.pk), "Posyandu Melati"),
        ],
    }
    select = posyandu_select(r)
    assert '<option value="" selected>Semua</option>' in select
    # Each option names its village for static/js/filters.js.
    assert f'value="{rebo_mawar.pk}" data-village="{rebo_mawar.village_id}"' in select
    assert "js/filters.js" in r.content.decode()


@pytest.mark.parametrize("url", LISTS)
def test_it_offers_only_the_chosen_villages_posyandu(
    client, verifikator, village, posyandu, mawar, url
):
    client.force_login(verifikator)
    r = client.get(url, {"village": village.pk})
    assert list(groups(r)) == ["Kelurahan Matras"]
    assert [text for _, text in groups(r)["Kelurahan Matras"]] == [
        "Posyandu Mawar",
        "Posyandu Melati",
    ]
    assert f'value="{mawar[1].pk}"' not in posyandu_select(r)


@pytest.mark.parametrize("url", LISTS)
def test_it_filters_by_the_posyandu_chosen_after_the_village(
    client, verifikator, village, mawar, url
):
    matras_mawar, rebo_mawar = mawar
    add_rows(url, matras_mawar, rebo_mawar)
    client.force_login(verifikator)
    r = client.get(url, params(url, village=village.pk, posyandu=matras_mawar.pk))
    assert shown(r) == ["Anak Matras"]
    assert re.search(rf'value="{matras_mawar.pk}"[^>]*selected', posyandu_select(r))


@pytest.mark.parametrize("url", LISTS)
def test_a_posyandu_of_another_village_gives_way_to_the_village(
    client, verifikator, village, other_village, mawar, url
):
    # The verifikator chose Rebo's Mawar, then changed the village to Matras and applied.
    matras_mawar, rebo_mawar = mawar
    add_rows(url, matras_mawar, rebo_mawar)
    client.force_login(verifikator)
    r = client.get(url, params(url, village=village.pk, posyandu=rebo_mawar.pk))
    assert r.status_code == 200
    assert r.context["form"].is_valid()
    assert r.context["form"].cleaned_data["posyandu"] is None
    assert shown(r) == ["Anak Matras"]
    select = posyandu_select(r)
    assert f'value="{rebo_mawar.pk}"' not in select
    assert "selected" not in select.split("</option>", 1)[1]  # "Semua" is what shows
    # Without a village the same posyandu still filters alone.
    r = client.get(url, params(url, posyandu=rebo_mawar.pk))
    assert shown(r) == ["Anak Rebo"]
