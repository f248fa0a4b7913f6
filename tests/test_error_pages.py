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
