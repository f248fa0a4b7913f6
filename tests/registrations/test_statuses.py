import json

import pytest

from registrations.models import Submission
from tests.builders import make_submission

pytestmark = pytest.mark.django_db

URL = "/lapor/status/kode.json"


def test_it_returns_the_status_label_of_each_known_code(client, village):
    pending = make_submission(village)
    sent_back = make_submission(
        village, status=Submission.Status.NEEDS_CORRECTION, status_message="Foto KK buram"
    )
    r = client.get(URL, {"kode": [pending.code, sent_back.formatted_code, "ZZZZZZZZZZZZ"]})
    assert r.status_code == 200
    assert r.json() == {
        pending.code: "Menunggu verifikasi",
        sent_back.code: "Perlu perbaikan",
    }


def test_it_gives_no_personal_data(client, village):
    s = make_submission(village, child_name="Putri Ayu", status_message="Telepon ibu Rina")
    body = client.get(URL, {"kode": s.code}).content.decode()
    for value in ("Putri Ayu", "Siti Aminah", "Rina", "Matras", str(s.pk)):
        assert value not in body


def test_it_answers_an_empty_question_with_nothing(client, db):
    assert json.loads(client.get(URL).content) == {}


def test_it_answers_for_at_most_fifty_codes(client, village):
    reports = [make_submission(village, documents=()) for _ in range(51)]
    r = client.get(URL, {"kode": [s.code for s in reports]})
    assert len(r.json()) == 50


def test_it_is_never_cached(client, village):
    r = client.get(URL, {"kode": make_submission(village).code})
    assert "no-store" in r["Cache-Control"]


def test_it_rejects_post(client, db):
    assert client.post(URL).status_code == 405
