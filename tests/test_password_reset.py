""" "Lupa sandi": a link by e-mail when the app sends e-mail; otherwise ask the kecamatan."""

import re

import pytest
from django.core import mail

from interventions.models import PasswordChangeRequired
from tests.builders import NOW

# A pinned clock: no test straddles the end of a rate-limit window.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

LOGIN = "/akun/masuk/"
RESET = "/akun/lupa-sandi/"
DONE = "/akun/lupa-sandi/terkirim/"
NEW = "Pantai-Matras-Pagi-7"


@pytest.fixture
def email_off(settings):
    settings.EMAIL_ENABLED = False


@pytest.fixture
def member(verifikator):
    verifikator.email = "verif@sungailiat.example"
    verifikator.save()
    return verifikator


def reset_link():
    (message,) = mail.outbox
    match = re.search(r"https://gasken\.example\.go\.id(/akun/atur-sandi/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


# --- with e-mail ----------------------------------------------------------------------


def test_the_login_page_offers_the_link(client, db):
    html = client.get(LOGIN).content.decode()
    assert '<a href="/akun/lupa-sandi/">Lupa sandi?</a>' in html
    assert "Minta admin Kecamatan" not in html


def test_it_mails_a_link_that_sets_a_new_password(client, member):
    r = client.get(RESET)
    assert r.status_code == 200
    assert "<h1>Lupa sandi</h1>" in r.content.decode()

    r = client.post(RESET, {"email": "VERIF@sungailiat.example"}, HTTP_HOST="localhost")
    assert (r.status_code, r.url) == (302, DONE)
    (message,) = mail.outbox
    assert message.to == ["verif@sungailiat.example"]
    assert message.subject == "Atur ulang kata sandi GASKEN"
    assert "nama pengguna verifikator" in message.body
    # The link uses PUBLIC_BASE_URL, never the Host header of the request.
    assert "localhost" not in message.body
    html, _ = message.alternatives[0]
    assert reset_link() in html
    assert "Periksa e-mail Anda" in client.get(DONE).content.decode()

    r = client.get(reset_link(), follow=True)
    assert r.status_code == 200
    form_url = r.redirect_chain[-1][0]
    assert "Buat kata sandi baru" in r.content.decode()
    r = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert (r.status_code, r.url) == (302, "/akun/atur-sandi/selesai/")
    member.refresh_from_db()
    assert member.check_password(NEW)
    assert "Kata sandi baru Anda sudah tersimpan." in client.get(r.url).content.decode()

    # The link works once.
    r = client.get(reset_link(), follow=True)
    assert "Tautan ini tidak berlaku lagi" in r.content.decode()


def test_a_reset_password_need_not_be_changed_again(client, member):
    PasswordChangeRequired.require(member)
    client.post(RESET, {"email": member.email})
    form_url = client.get(reset_link(), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert not PasswordChangeRequired.objects.filter(user=member).exists()


def test_it_says_the_same_for_an_unknown_address(client, member):
    r = client.post(RESET, {"email": "tidak-ada@sungailiat.example"})
    assert (r.status_code, r.url) == (302, DONE)
    assert mail.outbox == []


def test_a_weak_new_password_is_refused(client, member):
    client.post(RESET, {"email": member.email})
    form_url = client.get(reset_link(), follow=True).redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert r.status_code == 200
    assert "terlalu umum" in r.content.decode()
    member.refresh_from_db()
    assert member.check_password("password")


def test_it_limits_requests_per_client_address(client, member, settings):
    settings.RATE_LIMIT_PASSWORD_RESET = (3, 3600)
    for i in range(3):
        assert client.post(RESET, {"email": f"lain{i}@example.com"}).status_code == 302
    r = client.post(RESET, {"email": member.email})
    assert r.status_code == 429
    html = r.content.decode()
    assert "Terlalu banyak permintaan atur ulang sandi dari jaringan ini" in html
    assert "60 menit" in html  # NOW is 09:00; the hour's window ends at 10:00
    assert r["Retry-After"] == "3600"
    assert f'value="{member.email}"' in html
    assert mail.outbox == []
    # Another address is not held up.
    assert client.post(RESET, {"email": member.email}, REMOTE_ADDR="10.9.8.7").status_code == 302
    assert len(mail.outbox) == 1


def test_it_limits_mails_to_one_address(client, member, settings, clock):
    settings.RATE_LIMIT_PASSWORD_RESET = (2, 3600)
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"]:
        r = client.post(RESET, {"email": member.email}, REMOTE_ADDR=ip)
        assert (r.status_code, r.url) == (302, DONE)
    assert len(mail.outbox) == 2
    clock.move_to(NOW.replace(hour=10, minute=1))
    client.post(RESET, {"email": member.email}, REMOTE_ADDR="10.0.0.4")
    assert len(mail.outbox) == 3


# --- without e-mail ---------------------------------------------------------------------


@pytest.mark.usefixtures("email_off")
def test_without_email_the_login_page_says_whom_to_ask(client, db):
    html = client.get(LOGIN).content.decode()
    assert "Lupa sandi? Minta admin Kecamatan mengatur ulang kata sandi Anda." in html
    assert 'href="/akun/lupa-sandi/"' not in html


@pytest.mark.usefixtures("email_off")
def test_without_email_the_reset_page_sends_nothing(client, member):
    for r in [client.get(RESET), client.post(RESET, {"email": member.email})]:
        assert r.status_code == 200
        html = r.content.decode()
        assert "GASKEN belum dapat mengirim e-mail" in html
        assert 'name="email"' not in html
    assert mail.outbox == []
