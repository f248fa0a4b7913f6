"""Why a child is reported (guideline D.1–D.2): stunted or at risk, the risk factors, the
birth weight and length, on the kader's form."""

import re
from decimal import Decimal

import pytest

from registrations.models import Child, RiskFactor, Submission
from tests.builders import intake_data, jpeg_upload, stored_files

pytestmark = pytest.mark.django_db

AT_RISK = Submission.ReportedAs.AT_RISK
STUNTED = Submission.ReportedAs.STUNTED


def post(client, url="/lapor/", **overrides):
    overrides.setdefault("kk_file", jpeg_upload("kk.jpg"))
    return client.post(url, intake_data(**overrides))


def test_it_asks_why_the_child_is_reported(client, posyandu):
    html = client.get("/lapor/melati/").content.decode()
    assert "<title>Laporan balita stunting atau berisiko stunting – GASKEN</title>" in html
    assert "<h1>Laporan balita stunting atau berisiko stunting" in html
    assert "3. Alasan dilaporkan" in html
    assert 'name="reported_as" value="stunted"' in html
    assert "Stunting / pendek (sudah diukur)" in html
    assert 'name="reported_as" value="at_risk"' in html
    for code, label in RiskFactor.choices:
        assert f'name="risk_factors" value="{code}"' in html
        assert label.replace("<", "&lt;") in html
    assert 'name="risk_other_text"' in html
    assert 'name="birth_weight_g"' in html and 'name="birth_length_cm"' in html
    # A list of checkboxes is a group to a screen reader, named by its label.
    assert 'role="group" aria-labelledby="id_risk_factors-label"' in html


def test_it_saves_a_child_at_risk_with_its_factors_and_birth_data(client, posyandu):
    r = post(
        client,
        reported_as=AT_RISK,
        risk_factors=[RiskFactor.PREMATURE, RiskFactor.POOR_SANITATION],
        birth_weight_g="2.800",
        birth_length_cm="47,5",
    )
    assert r.status_code == 302
    s = Submission.objects.get()
    assert s.reported_as == AT_RISK
    assert s.risk_factors == [RiskFactor.PREMATURE, RiskFactor.POOR_SANITATION]
    assert (s.risk_premature, s.risk_poor_sanitation, s.risk_other) == (True, True, False)
    assert (s.birth_weight_g, s.birth_length_cm) == (2800, Decimal("47.5"))
    version = s.versions.get()
    assert version.data["reported_as"] == "at_risk"
    assert version.data["risk_factors"] == ["premature", "poor_sanitation"]
    assert (version.data["birth_weight_g"], version.data["birth_length_cm"]) == ("2800", "47.5")


def test_a_stunted_child_needs_no_factor_but_may_have_some(client, posyandu):
    assert post(client, reported_as=STUNTED).status_code == 302
    assert (
        post(client, reported_as=STUNTED, risk_factors=[RiskFactor.RECURRENT_ILLNESS]).status_code
        == 302
    )
    plain, ill = Submission.objects.order_by("pk")
    assert (plain.reported_as, plain.risk_factors, plain.birth_weight_g) == (STUNTED, [], None)
    assert ill.risk_factors == [RiskFactor.RECURRENT_ILLNESS]


@pytest.mark.parametrize(
    "typed,grams",
    [("2500", 2500), ("2.500", 2500), ("2,5", 2500), ("3,25", 3250), ("400", 400), ("6 000", 6000)],
)
def test_it_reads_the_birth_weight_in_grams_or_kilograms(client, posyandu, typed, grams):
    assert post(client, birth_weight_g=typed).status_code == 302
    assert Submission.objects.get().birth_weight_g == grams


def test_a_low_birth_weight_is_that_risk_factor(client, posyandu):
    # Chosen "at risk" with no factor ticked: the weight itself is the reason.
    r = post(client, reported_as=AT_RISK, birth_weight_g="2300")
    assert r.status_code == 302
    s = Submission.objects.get()
    assert s.risk_factors == [RiskFactor.LOW_BIRTH_WEIGHT]
    assert s.birth_weight_g == 2300


def test_a_text_under_lainnya_is_another_factor(client, posyandu):
    r = post(client, reported_as=AT_RISK, risk_other_text="  Ibu hamil usia remaja ")
    assert r.status_code == 302
    s = Submission.objects.get()
    assert s.risk_factors == [RiskFactor.OTHER]
    assert s.risk_other_text == "Ibu hamil usia remaja"
    assert s.get_risk_factors_display() == ["Lainnya: Ibu hamil usia remaja"]


def _bad(overrides, field, message, id):
    return pytest.param(overrides, field, message, id=id)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        _bad(
            {"reported_as": ""},
            "reported_as",
            "Pilih alasan anak dilaporkan: stunting/pendek atau berisiko stunting.",
            "no-reason",
        ),
        _bad(
            {"reported_as": "curiga"},
            "reported_as",
            "Masukkan pilihan yang valid. curiga bukan salah satu dari pilihan yang tersedia.",
            "unknown-reason",
        ),
        _bad(
            {"reported_as": AT_RISK},
            "risk_factors",
            "Pilih minimal satu faktor risiko untuk anak yang berisiko stunting.",
            "at-risk-without-factor",
        ),
        _bad(
            {"reported_as": AT_RISK, "risk_factors": ["obesitas"]},
            "risk_factors",
            "Masukkan pilihan yang valid. obesitas bukan salah satu dari pilihan yang tersedia.",
            "unknown-factor",
        ),
        _bad(
            {"reported_as": AT_RISK, "risk_factors": [RiskFactor.OTHER]},
            "risk_other_text",
            "Tulis faktor risiko lainnya.",
            "lainnya-without-text",
        ),
        _bad(
            {"risk_factors": [RiskFactor.OTHER], "risk_other_text": "x" * 201},
            "risk_other_text",
            "Pastikan nilai ini mengandung paling banyak 200 karakter (sekarang 201 karakter).",
            "lainnya-too-long",
        ),
        _bad(
            {"birth_weight_g": "dua kilo"},
            "birth_weight_g",
            "Tulis berat lahir dalam gram, misalnya 2800 (atau 2,8 kg).",
            "weight-not-a-number",
        ),
        _bad(
            {"birth_weight_g": "-2800"},
            "birth_weight_g",
            "Tulis berat lahir dalam gram, misalnya 2800 (atau 2,8 kg).",
            "weight-negative",
        ),
        _bad(
            {"birth_weight_g": "2,8555"},
            "birth_weight_g",
            "Tulis berat lahir dalam gram, misalnya 2800 (atau 2,8 kg).",
            "weight-too-many-decimals",
        ),
        _bad(
            {"birth_weight_g": "399"},
            "birth_weight_g",
            "Berat lahir harus antara 400 dan 6.000 g (0,4–6 kg).",
            "weight-too-low",
        ),
        _bad(
            {"birth_weight_g": "28"},
            "birth_weight_g",
            "Berat lahir harus antara 400 dan 6.000 g (0,4–6 kg).",
            "weight-neither-grams-nor-kilograms",
        ),
        _bad(
            {"birth_weight_g": "6001"},
            "birth_weight_g",
            "Berat lahir harus antara 400 dan 6.000 g (0,4–6 kg).",
            "weight-too-high",
        ),
        _bad(
            {"birth_weight_g": "0,3"},
            "birth_weight_g",
            "Berat lahir harus antara 400 dan 6.000 g (0,4–6 kg).",
            "kilograms-too-low",
        ),
        _bad(
            {"birth_weight_g": "2800", "risk_factors": [RiskFactor.LOW_BIRTH_WEIGHT]},
            "birth_weight_g",
            "Berat lahir ini tidak kurang dari 2.500 g, padahal “Berat lahir < 2.500 g” "
            "dicentang: periksa berat lahir, atau hapus centang itu.",
            "not-low-but-ticked",
        ),
        _bad(
            {"birth_weight_g": "2500", "risk_factors": [RiskFactor.LOW_BIRTH_WEIGHT]},
            "birth_weight_g",
            "Berat lahir ini tidak kurang dari 2.500 g, padahal “Berat lahir < 2.500 g” "
            "dicentang: periksa berat lahir, atau hapus centang itu.",
            "exactly-2500-is-not-low",
        ),
        _bad(
            {"birth_length_cm": "29,9"},
            "birth_length_cm",
            "Nilai harus antara 30,0 dan 60,0 cm.",
            "length-too-short",
        ),
        _bad(
            {"birth_length_cm": "60,1"},
            "birth_length_cm",
            "Nilai harus antara 30,0 dan 60,0 cm.",
            "length-too-long",
        ),
        _bad(
            {"birth_length_cm": "48,25"},
            "birth_length_cm",
            "Tulis angka dengan paling banyak satu angka di belakang koma, misalnya 12,5.",
            "length-two-decimals",
        ),
    ],
)
def test_it_rejects_bad_values(client, posyandu, media_root, overrides, field, message):
    r = post(client, **overrides)
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert errors == {field: [message]}
    assert Submission.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_keeps_what_was_typed(client, posyandu):
    r = post(
        client,
        reported_as=AT_RISK,
        risk_factors=[RiskFactor.WEIGHT_FALTERING, RiskFactor.OTHER],
        risk_other_text="",
        birth_weight_g="2,9 kg",
        birth_length_cm="49",
    )
    html = r.content.decode()
    assert re.search(r'<input type="radio" name="reported_as" value="at_risk"[^>]* checked>', html)
    for code in (RiskFactor.WEIGHT_FALTERING, RiskFactor.OTHER):
        assert re.search(
            rf'<input type="checkbox" name="risk_factors" value="{code}"[^>]*checked', html
        )
    assert not re.search(r'value="premature"[^>]*checked', html)
    assert 'value="2,9 kg"' in html and 'value="49"' in html
    summary = html.split('id="form-errors"')[1].split("</div>")[0]
    assert ">Faktor risiko lainnya</a>: Tulis faktor risiko lainnya." in summary
    assert ">Berat lahir</a>: Tulis berat lahir dalam gram" in summary


def test_the_summary_links_a_group_of_checkboxes_to_its_first_box(client, posyandu):
    html = post(client, reported_as=AT_RISK).content.decode()
    assert (
        '<a href="#id_risk_factors_0">Faktor risiko</a>: Pilih minimal satu faktor risiko '
        "untuk anak yang berisiko stunting." in html
    )
    assert 'id="id_risk_factors_0"' in html
    assert 'role="group" aria-labelledby="id_risk_factors-label" aria-describedby=' in html


def test_the_page_carries_the_servers_rules_for_the_phone(client, posyandu):
    html = client.get("/lapor/melati/").content.decode()
    radio = re.search(r'<input type="radio" name="reported_as"[^>]*>', html).group(0)
    assert 'data-msg-required="Pilih alasan anak dilaporkan:' in radio
    box = re.search(r'<input type="checkbox" name="risk_factors"[^>]*>', html).group(0)
    assert 'data-required-if="reported_as=at_risk"' in box
    assert 'data-msg-required="Pilih minimal satu faktor risiko' in box
    other = re.search(r'<input [^>]*name="risk_other_text"[^>]*>', html).group(0)
    assert 'data-required-if="risk_factors=other"' in other
    assert 'data-msg-required="Tulis faktor risiko lainnya."' in other
    weight = re.search(r'<input [^>]*name="birth_weight_g"[^>]*>', html).group(0)
    assert "data-grams" in weight and 'data-min="400" data-max="6000"' in weight
    assert 'data-msg-range="Berat lahir harus antara 400 dan 6.000 g (0,4–6 kg)."' in weight
    assert 'data-low-below="2500" data-low-factor="risk_factors=low_birth_weight"' in weight
    assert "data-msg-not-low=" in weight and "data-msg-low=" in weight
    assert "data-msg-required" not in weight  # optional
    length = re.search(r'<input [^>]*name="birth_length_cm"[^>]*>', html).group(0)
    assert 'data-min="30.0" data-max="60.0"' in length


def test_the_kept_page_carries_the_new_fields(client, posyandu, settings):
    # The empty form is rendered once and handed out again: the second copy has them too.
    settings.DEBUG = False
    first = client.get("/lapor/melati/").content.decode()
    second = client.get("/lapor/melati/").content.decode()
    for html in (first, second):
        assert 'name="reported_as"' in html and 'name="risk_factors"' in html
        assert 'name="birth_weight_g"' in html


def test_nothing_reaches_a_child_before_verification(client, posyandu):
    post(client, reported_as=AT_RISK, risk_factors=[RiskFactor.UNDERNUTRITION])
    assert Child.objects.count() == 0
