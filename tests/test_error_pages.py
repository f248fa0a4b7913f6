import pytest


@pytest.mark.django_db
def test_not_found_is_indonesian(client):
    r = client.get("/tidak-ada/")
    assert r.status_code == 404
    assert "Halaman tidak ditemukan" in r.content.decode()


@pytest.mark.django_db
def test_forbidden_is_indonesian(client, mitra_user):
    client.force_login(mitra_user)
    r = client.get("/verifikasi/")
    assert r.status_code == 403
    assert "Anda tidak berhak membuka halaman ini" in r.content.decode()


@pytest.mark.django_db
def test_server_error_is_indonesian(client, monkeypatch):
    from registrations import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.qr, "qr_png", boom)
    client.raise_request_exception = False
    r = client.get("/lapor/qr.png")
    assert r.status_code == 500
    assert "Terjadi kesalahan" in r.content.decode()


def _break_intake(monkeypatch):
    from registrations import views

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "submission_create", boom)


@pytest.mark.django_db
def test_a_kader_page_error_says_what_to_do(client, posyandu, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registrations.models import Submission
    from tests.builders import intake_data, make_image_bytes

    _break_intake(monkeypatch)
    client.raise_request_exception = False
    kk = SimpleUploadedFile("kk.jpg", make_image_bytes(), "image/jpeg")
    r = client.post("/lapor/melati/", intake_data(kk_file=kk))
    assert r.status_code == 500
    html = r.content.decode()
    assert "Terjadi kesalahan di server" in html
    assert "Silakan kirim lagi" in html
    assert "Jika laporan disimpan di HP, laporan tidak hilang dan akan dikirim ulang." in html
    assert 'href="/lapor/melati/" id="back-to-form"' in html
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_a_village_form_error_leads_back_to_the_village_form(client, posyandu, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.builders import intake_data, make_image_bytes

    _break_intake(monkeypatch)
    client.raise_request_exception = False
    kk = SimpleUploadedFile("kk.jpg", make_image_bytes(), "image/jpeg")
    r = client.post("/lapor/desa/19.01.01.1009/", intake_data(kk_file=kk))
    assert r.status_code == 500
    assert 'href="/lapor/desa/19.01.01.1009/" id="back-to-form"' in r.content.decode()


@pytest.mark.django_db
def test_a_kader_page_error_links_to_the_form_it_came_from(client, monkeypatch):
    from registrations import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "get_object_or_404", boom)
    client.raise_request_exception = False
    r = client.get("/lapor/status/AAAABBBBCCCC/perbaiki/")
    assert r.status_code == 500
    assert 'href="/lapor/status/AAAABBBBCCCC/perbaiki/" id="back-to-form"' in r.content.decode()
    r = client.get("/lapor/status/AAAABBBBCCCC/")
    assert r.status_code == 500
    assert 'href="/lapor/" id="back-to-form"' in r.content.decode()


@pytest.mark.django_db
def test_a_staff_page_error_stays_generic(client, verifikator, monkeypatch):
    from verification import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", boom)
    client.force_login(verifikator)
    client.raise_request_exception = False
    r = client.get("/verifikasi/")
    assert r.status_code == 500
    html = r.content.decode()
    assert "Terjadi kesalahan" in html
    assert "dikirim ulang" not in html and "back-to-form" not in html
