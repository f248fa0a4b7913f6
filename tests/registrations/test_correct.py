"""The kader's side of "perlu perbaikan": see the message, fix the report, send it again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations import growth
from registrations.forms import local_phone
from registrations.models import Document, Submission, SubmissionVersion
from tests.builders import make_image_bytes, make_submission
from verification.services import submission_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_back(posyandu, verifikator):
    s = make_submission(posyandu.village, posyandu, child_name="Putri Ayu")
    submission_decide(
        submission=s,
        action="needs_correction",
        user=verifikator,
        version=1,
        note="Tanggal lahir tidak sesuai akta.",
    )
    s.refresh_from_db()
    return s


def form_data(s, **overrides):
    data = {k: v for k, v in s.snapshot().items() if v is not None}
    data["kader_phone"] = local_phone(s.kader_phone)
    data["weight_kg"] = str(s.weight_kg).replace(".", ",")
    data.update(overrides)
    return data


def url(s):
    return f"/lapor/status/{s.code}/perbaiki/"


def pass_gate(client, s, phone="0812-3456-7890"):
    """The kader's phone number, as she would type it, opens the correction page."""
    r = client.post(url(s), {"nomor_hp": phone})
    assert r.status_code == 302 and r.url == url(s)
    return client


def test_the_receipt_shows_the_message_and_a_correction_link(client, sent_back):
    html = client.get(sent_back.get_absolute_url()).content.decode()
    assert "Laporan perlu diperbaiki." in html
    assert "Tanggal lahir tidak sesuai akta." in html
    assert f'href="{url(sent_back)}"' in html


def test_the_form_is_filled_with_the_report(client, sent_back):
    pass_gate(client, sent_back)
    r = client.get(url(sent_back))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'value="Putri Ayu"' in html
    assert 'value="0812-3456-7890"' in html
    assert 'value="8,1"' in html
    # The village list is keyed by Kemendagri code, not the database id.
    assert '<option value="19.01.01.1009" selected>' in html
    assert r.context["form"]["village"].value() == "19.01.01.1009"
    assert "Tanggal lahir tidak sesuai akta." in html
    assert "Dokumen yang sudah terkirim: <strong>Kartu Keluarga</strong>" in html
    assert 'name="consent"' not in html


def test_it_saves_the_correction_as_a_new_version(client, sent_back, media_root):
    pass_gate(client, sent_back)
    old_doc = sent_back.documents.get()
    old_birth = sent_back.birth_date
    new_birth = old_birth.replace(day=1) if old_birth.day != 1 else old_birth.replace(day=2)
    kk = SimpleUploadedFile("kk-baru.jpg", make_image_bytes(color=(0, 0, 255)), "image/jpeg")
    r = client.post(
        url(sent_back), form_data(sent_back, birth_date=new_birth.isoformat(), kk_file=kk)
    )
    assert r.status_code == 302
    assert r.url == sent_back.get_absolute_url()

    s = Submission.objects.get()
    assert s.status == "pending"
    assert s.version == 2
    assert s.status_message == ""
    assert s.birth_date == new_birth
    # Every version is kept: what was sent first and what was corrected.
    v1, v2 = SubmissionVersion.objects.order_by("number")
    assert (v1.number, v1.data["birth_date"]) == (1, old_birth.isoformat())
    assert (v2.number, v2.data["birth_date"]) == (2, new_birth.isoformat())
    # The old KK stays stored but is no longer current.
    old_doc.refresh_from_db()
    assert old_doc.superseded_at is not None
    new_doc = s.documents.current().get()
    assert (new_doc.kind, new_doc.version, new_doc.original_name) == ("kk", 2, "kk-baru.jpg")
    assert v1.document_ids == [old_doc.pk] and v2.document_ids == [new_doc.pk]
    assert Document.objects.count() == 2
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 2
    # The measurement follows the corrected birth date.
    expected = growth.assess("P", new_birth, s.measured_on, 70.2, 8.1, lying=True)
    assert s.measurement.haz == expected.haz
    # Back in the queue, with the kader told so.
    html = client.get(s.get_absolute_url()).content.decode()
    assert "Menunggu verifikasi" in html and "Perbaikan ke-1 sudah diterima" in html


def test_it_keeps_the_documents_when_none_are_chosen(client, sent_back):
    pass_gate(client, sent_back)
    r = client.post(url(sent_back), form_data(sent_back, child_name="Putri Ayu Lestari"))
    assert r.status_code == 302
    s = Submission.objects.get()
    assert (s.child_name, s.version) == ("Putri Ayu Lestari", 2)
    assert s.documents.current().count() == 1


def test_bad_input_keeps_what_was_typed(client, sent_back):
    pass_gate(client, sent_back)
    r = client.post(url(sent_back), form_data(sent_back, child_name="Putri Baru", weight_kg="99"))
    assert r.status_code == 200
    assert "antara 1,0 dan 40,0 kg" in r.context["form"].errors["weight_kg"][0]
    assert 'value="Putri Baru"' in r.content.decode()
    s = Submission.objects.get()
    assert (s.status, s.version, s.child_name) == ("needs_correction", 1, "Putri Ayu")
    assert SubmissionVersion.objects.count() == 1


def test_the_summary_links_the_fields_to_correct(client, sent_back):
    pass_gate(client, sent_back)
    r = client.post(url(sent_back), form_data(sent_back, mother_name="", weight_kg="99"))
    html = r.content.decode()
    assert '<a href="#id_mother_name">Nama ibu</a>: Bidang ini tidak boleh kosong.' in html
    assert '<a href="#id_weight_kg">Berat badan</a>: Nilai harus antara 1,0 dan 40,0 kg.' in html
    assert 'Ada <span class="error-count">2</span> isian' in html
    assert "/static/js/checks.js" in html


def test_the_staff_see_the_new_version_and_what_changed(client, sent_back, verifikator):
    pass_gate(client, sent_back)
    client.post(url(sent_back), form_data(sent_back, mother_name="Rina Wati"))
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/laporan/{sent_back.pk}/")
    assert r.context["changed_fields"] == {"mother_name"}
    html = r.content.decode()
    assert "Perbaikan dikirim kader (versi 2)" in html
    assert 'class="diff">Rina Wati' in html
    # The decision forms now name version 2.
    assert 'name="version" value="2"' in html


@pytest.mark.parametrize("status", ["pending", "verified", "rejected"])
def test_only_a_report_sent_back_can_be_corrected(client, village, status):
    s = make_submission(village, status=status)
    r = client.get(url(s))
    assert r.status_code == 302 and r.url == s.get_absolute_url()
    r = client.post(url(s), form_data(s, child_name="Diubah"))
    assert r.status_code == 302
    assert Submission.objects.get().child_name == "Putri Ayu"


def test_a_correction_sent_twice_is_saved_once(client, sent_back):
    pass_gate(client, sent_back)
    data = form_data(sent_back, child_name="Putri A.")
    client.post(url(sent_back), data)
    client.post(url(sent_back), data)
    assert Submission.objects.get().version == 2
    assert SubmissionVersion.objects.count() == 2


def test_unknown_code_is_404(client, db):
    assert client.get("/lapor/status/AAAABBBBCCCC/perbaiki/").status_code == 404


def test_the_form_as_shown_is_accepted(client, sent_back):
    pass_gate(client, sent_back)
    form = client.get(url(sent_back)).context["form"]
    data = {
        name: form[name].value() for name in form.fields if name not in ("kk_file", "akta_file")
    }
    data = {k: v for k, v in data.items() if v is not None}
    r = client.post(url(sent_back), data)
    assert r.status_code == 302
    s = Submission.objects.get()
    assert (s.version, s.village.code) == (2, "19.01.01.1009")


def test_the_phone_does_not_ask_for_documents_already_sent(client, sent_back):
    pass_gate(client, sent_back)
    html = client.get(url(sent_back)).content.decode()
    assert 'data-check-url="/lapor/cek-ukur/"' in html
    assert "data-one-of" not in html


def test_the_page_first_asks_for_the_kader_phone(client, sent_back):
    r = client.get(url(sent_back))
    assert r.status_code == 200
    assert "registrations/correct_gate.html" in [t.name for t in r.templates]
    html = r.content.decode()
    assert "Nomor HP kader yang mengirim laporan" in html
    assert 'name="nomor_hp"' in html and 'type="tel"' in html
    assert sent_back.formatted_code in html
    # Nothing of the report before the number is given.
    for secret in ("Putri", "Rina", "Jl. Mawar", "081234567890", "6281234567890", "Siti Aminah"):
        assert secret not in html, secret
    assert 'name="child_name"' not in html


@pytest.mark.parametrize(
    "typed", ["081234567890", "0812 3456 7890", "+62 812-3456-7890", "6281234567890"]
)
def test_the_right_number_in_any_spelling_opens_the_form(client, sent_back, typed):
    r = client.post(url(sent_back), {"nomor_hp": typed})
    assert r.status_code == 302 and r.url == url(sent_back)
    assert client.session[f"perbaiki:{sent_back.code}"] is True
    r = client.get(url(sent_back))
    assert "registrations/correct.html" in [t.name for t in r.templates]
    assert 'value="Putri Ayu"' in r.content.decode()


@pytest.mark.parametrize("typed", ["081234567891", "12345", ""])
def test_a_wrong_number_is_refused_and_reveals_nothing(client, sent_back, typed):
    r = client.post(url(sent_back), {"nomor_hp": typed})
    assert r.status_code == 200
    html = r.content.decode()
    assert r.context["form"].errors["nomor_hp"]
    if typed:
        assert f'value="{typed}"' in html
    if typed == "081234567891":
        assert "Nomor HP tidak cocok dengan nomor kader pada laporan ini." in html
    for secret in ("Putri", "Rina", "Jl. Mawar", "081234567890", "6281234567890"):
        assert secret not in html, secret
    assert f"perbaiki:{sent_back.code}" not in client.session
    assert "registrations/correct.html" not in [t.name for t in r.templates]


def test_a_correction_without_the_phone_number_saves_nothing(client, sent_back):
    r = client.post(url(sent_back), form_data(sent_back, child_name="Diubah"))
    assert r.status_code == 403
    assert "Nomor HP kader yang mengirim laporan" in r.content.decode()
    s = Submission.objects.get()
    assert (s.child_name, s.version, s.status) == ("Putri Ayu", 1, "needs_correction")
    assert SubmissionVersion.objects.count() == 1


def test_a_wrong_number_with_the_correction_saves_nothing(client, sent_back):
    data = form_data(sent_back, child_name="Diubah", nomor_hp="081234567891")
    r = client.post(url(sent_back), data)
    assert r.status_code == 200
    assert Submission.objects.get().child_name == "Putri Ayu"


def test_the_phone_number_opens_only_its_own_report(client, sent_back, verifikator):
    other = make_submission(sent_back.village, child_name="Bunga Citra")
    submission_decide(
        submission=other, action="needs_correction", user=verifikator, version=1, note="KK."
    )
    pass_gate(client, sent_back)
    r = client.get(url(other))
    assert "registrations/correct_gate.html" in [t.name for t in r.templates]
    assert "Bunga" not in r.content.decode()
    r = client.post(url(other), form_data(other, child_name="Diubah"))
    assert r.status_code == 403
    assert Submission.objects.get(pk=other.pk).child_name == "Bunga Citra"
