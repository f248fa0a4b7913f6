"""The report form of one kelurahan/desa (/lapor/desa/<kode>/): printed on the village's
poster, it comes with the village chosen."""

import pytest

from registrations.models import Submission
from tests.builders import intake_data, jpeg_upload

pytestmark = pytest.mark.django_db

URL = "/lapor/desa/19.01.01.1009/"


def test_it_preselects_the_village_and_no_posyandu(client, posyandu, other_posyandu):
    r = client.get(URL)
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["village"] == "19.01.01.1009"
    assert "posyandu" not in form.initial
    html = r.content.decode()
    assert "<small>Kelurahan Matras</small>" in html
    assert '<option value="19.01.01.1009" selected>' in html
    assert 'value="melati" data-village="19.01.01.1009"' in html
    # Still changeable.
    assert '<option value="19.01.01.2007">' in html
    assert 'value="kenanga"' in html


def test_it_saves_a_report_sent_from_it(client, posyandu):
    r = client.post(URL, intake_data(kk_file=jpeg_upload("kk.jpg")))
    assert r.status_code == 302
    s = Submission.objects.get()
    assert r.url == f"/lapor/status/{s.code}/"
    assert (s.village.code, s.posyandu, s.source) == (
        "19.01.01.1009",
        posyandu,
        Submission.Source.KADER,
    )


def test_it_keeps_what_was_typed_after_an_error(client, posyandu):
    r = client.post(URL, intake_data(child_name=""))
    assert r.status_code == 200
    assert r.context["form"].errors["child_name"]
    assert 'value="Siti Aminah"' in r.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("code", ["19.01.01.9999", "matras", "19.01.01.1009x"])
def test_it_returns_404_for_an_unknown_village(client, db, code):
    assert client.get(f"/lapor/desa/{code}/").status_code == 404


def test_the_village_is_the_form_s_address_for_its_qr_code(village):
    assert village.get_absolute_url() == URL
    assert village.public_url() == "https://gasken.example.go.id" + URL
