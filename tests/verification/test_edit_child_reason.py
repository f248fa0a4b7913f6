"""The verifikator records or corrects why a child was reported on the child's edit page,
by the kader's rules, in the child's history."""

import re
from datetime import date

import pytest

from registrations.models import Child, RiskFactor
from tests.builders import make_child

pytestmark = pytest.mark.django_db


def url(child):
    return f"/verifikasi/anak/{child.pk}/ubah/"


def form_data(child, **overrides):
    """The edit form as the page fills it for `child`, with some fields changed."""
    data = {
        "name": child.name,
        "sex": child.sex,
        "birth_date": child.birth_date.isoformat(),
        "mother_name": child.mother_name,
        "address": child.address,
        "village": child.village_id,
        "reported_as": child.reported_as,
        "risk_factors": child.risk_factors,
        "risk_other_text": child.risk_other_text,
        "birth_weight_g": child.birth_weight_g or "",
        "birth_length_cm": str(child.birth_length_cm or "").replace(".", ","),
    }
    data.update(overrides)
    return data


@pytest.fixture
def child(village):
    return make_child(village, name="Putri Ayu", birth_date=date(2024, 1, 10))


def test_the_page_offers_the_reason_with_not_recorded_for_older_children(
    client, verifikator, child
):
    client.force_login(verifikator)
    html = client.get(url(child)).content.decode()
    assert re.search(r'<input type="radio" name="reported_as" value=""[^>]* checked>', html)
    assert "Belum tercatat" in html
    assert 'name="risk_factors" value="premature"' in html
    assert 'name="birth_weight_g"' in html


def test_the_verifikator_records_the_reason(client, verifikator, child):
    client.force_login(verifikator)
    r = client.post(
        url(child),
        form_data(
            child,
            reported_as="at_risk",
            risk_factors=["poor_sanitation"],
            birth_weight_g="2,2",
            birth_length_cm="45",
        ),
    )
    assert r.status_code == 302
    child.refresh_from_db()
    assert (child.reported_as, child.birth_weight_g, str(child.birth_length_cm)) == (
        "at_risk",
        2200,
        "45.0",
    )
    # The weight under 2,500 g brings its factor, as on the kader's form.
    assert child.risk_factors == [RiskFactor.LOW_BIRTH_WEIGHT, RiskFactor.POOR_SANITATION]
    entry = child.history.latest()
    assert entry.history_user == verifikator
    html = client.get(f"/verifikasi/anak/{child.pk}/").content.decode()
    assert "dilaporkan sebagai: “–” → “Berisiko stunting”" in html
    assert "Tanpa air bersih atau jamban sehat: “tidak” → “ya”" in html
    assert "berat lahir (g): “–” → “2200”" in html


def test_an_unchanged_reason_writes_no_history(client, verifikator, village):
    child = make_child(village, reported_as="stunted", risk_premature=True, birth_weight_g=2700)
    client.force_login(verifikator)
    before = child.history.count()
    assert client.post(url(child), form_data(child)).status_code == 302
    assert child.history.count() == before


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"reported_as": "at_risk"},
            "risk_factors",
            "Pilih minimal satu faktor risiko untuk anak yang berisiko stunting.",
        ),
        ({"risk_factors": ["other"]}, "risk_other_text", "Tulis faktor risiko lainnya."),
        (
            {"risk_factors": ["low_birth_weight"], "birth_weight_g": "3000"},
            "birth_weight_g",
            "Berat lahir ini tidak kurang dari 2.500 g, padahal “Berat lahir < 2.500 g” "
            "dicentang: periksa berat lahir, atau hapus centang itu.",
        ),
        (
            {"birth_weight_g": "30000"},
            "birth_weight_g",
            "Berat lahir harus antara 400 dan 6.000 g (0,4–6 kg).",
        ),
    ],
)
def test_it_refuses_a_bad_reason(client, verifikator, child, overrides, field, message):
    client.force_login(verifikator)
    r = client.post(url(child), form_data(child, **overrides))
    assert r.status_code == 200
    assert r.context["form"].errors == {field: [message]}
    assert Child.objects.get(pk=child.pk).reported_as == ""
    assert child.history.count() == 1


def test_the_pimpinan_cannot_change_it(client, pimpinan, child):
    client.force_login(pimpinan)
    r = client.post(url(child), form_data(child, reported_as="stunted"))
    assert r.status_code == 403
    assert Child.objects.get(pk=child.pk).reported_as == ""
