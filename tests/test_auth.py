import pytest
from django.contrib.auth import SESSION_KEY

from gasken.navigation import pages_for
from interventions.models import Intervention, Partner, PartnerMember
from tests.builders import PUSKESMAS, make_child, make_intervention, make_user, partner_user

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
LOGOUT = "/akun/keluar/"
PASSWORD_CHANGE = "/akun/ganti-sandi/"
PASSWORD_CHANGE_DONE = "/akun/ganti-sandi/selesai/"
NEW_PASSWORD = "Pantai-Matras-2026"


def logged_in_as(client):
    user_id = client.session.get(SESSION_KEY)
    return None if user_id is None else int(user_id)


# --- login --------------------------------------------------------------------


def test_it_shows_the_login_page_in_indonesian(client):
    r = client.get(LOGIN)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="id">' in html
    assert "<title>Masuk – GASKEN Kecamatan Sungailiat</title>" in html
    assert "<h1>Masuk ke GASKEN</h1>" in html
    assert '<label for="id_username">Nama pengguna</label>' in html
    assert '<label for="id_password">Kata sandi</label>' in html
    assert '<button type="submit">Masuk</button>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Nama pengguna atau kata sandi salah" not in html
    # Nobody is logged in: no menu, no logout button.
    assert "Keluar (" not in html


def test_it_refuses_a_wrong_password_in_indonesian(client, verifikator):
    r = client.post(LOGIN, {"username": "verifikator", "password": "salah"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil." in html
    assert 'value="verifikator"' in html
    assert logged_in_as(client) is None


def test_it_refuses_an_unknown_user(client, db):
    r = client.post(LOGIN, {"username": "tidak-ada", "password": "password"})
    assert r.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in r.content.decode()
    assert logged_in_as(client) is None


def test_it_refuses_an_inactive_user(client, verifikator):
    verifikator.is_active = False
    verifikator.save()
    r = client.post(LOGIN, {"username": "verifikator", "password": "password"})
    assert r.status_code == 200
    assert logged_in_as(client) is None


def test_it_sends_a_verifikator_through_the_home_page_to_the_queue(client, verifikator):
    r = client.post(LOGIN, {"username": "verifikator", "password": "password"}, follow=True)
    assert r.redirect_chain == [("/beranda/", 302), ("/verifikasi/", 302)]
    assert r.status_code == 200
    assert r.resolver_match.view_name == "verification:queue"
    assert logged_in_as(client) == verifikator.pk
    html = r.content.decode()
    assert "Keluar (verifikator)" in html
    assert '<a href="/verifikasi/anak/">Anak</a>' in html


def test_it_sends_pimpinan_to_the_queue_too(client, pimpinan):
    r = client.post(LOGIN, {"username": "pimpinan", "password": "password"}, follow=True)
    assert r.redirect_chain == [("/beranda/", 302), ("/verifikasi/", 302)]
    assert r.status_code == 200


def test_it_returns_to_the_page_asked_for(client, verifikator):
    r = client.get("/verifikasi/anak/")
    assert r.url == "/akun/masuk/?next=/verifikasi/anak/"
    page = client.get(r.url)
    assert 'name="next" value="/verifikasi/anak/"' in page.content.decode()

    r = client.post(
        LOGIN, {"username": "verifikator", "password": "password", "next": "/verifikasi/anak/"}
    )
    assert r.status_code == 302
    assert r.url == "/verifikasi/anak/"
    assert client.get(r.url).status_code == 200


def test_it_ignores_a_next_address_on_another_site(client, verifikator):
    r = client.post(
        LOGIN,
        {"username": "verifikator", "password": "password", "next": "https://evil.example/"},
    )
    assert r.status_code == 302
    assert r.url == "/beranda/"


@pytest.mark.parametrize(
    "user, message",
    [
        ("outsider", "Akun Anda belum memiliki peran di GASKEN."),
        (
            "mitra_user",
            "Akun Anda sudah terdaftar sebagai Mitra, tetapi belum dihubungkan ke lembaga mitra",
        ),
        (
            "desa_user",
            "Akun Anda sudah terdaftar untuk Pemerintah Kelurahan/Desa, tetapi belum dihubungkan "
            "ke pemerintah kelurahan/desa Anda",
        ),
    ],
)
def test_it_tells_a_user_without_a_page_why(client, user, message, request):
    request.getfixturevalue(user)
    username = {"outsider": "outsider", "mitra_user": "mitra", "desa_user": "desa"}[user]
    r = client.post(LOGIN, {"username": username, "password": "password"}, follow=True)
    assert r.redirect_chain == [("/beranda/", 302)]
    assert r.status_code == 200
    html = r.content.decode()
    assert f"Selamat datang, {username}" in html
    assert message in html
    if user != "outsider":
        # The account has its role: the page says it lacks the link, and whom to ask for it.
        assert "belum memiliki peran" not in html
        assert "Minta admin kecamatan (Verifikator Kecamatan) menghubungkan akun " in html
        assert f"<strong>{username}</strong>" in html
    # No links to pages the account cannot open.
    assert "/verifikasi/" not in html
    assert "Antrean laporan" not in html


def test_it_tells_a_village_user_linked_to_another_partner_to_ask_for_the_village(client):
    account = make_user("desa-salah", "Pemerintah Kelurahan/Desa")
    PartnerMember.objects.create(user=account, partner=Partner.objects.get(name="RS Siloam"))
    client.force_login(account)
    html = client.get("/beranda/").content.decode()
    assert "belum dihubungkan ke pemerintah kelurahan/desa Anda" in html


def test_it_greets_a_user_by_full_name(client, outsider):
    outsider.first_name, outsider.last_name = "Rahmat", "Hidayat"
    outsider.save()
    client.force_login(outsider)
    assert "Selamat datang, Rahmat Hidayat" in client.get("/beranda/").content.decode()


def test_it_sends_staff_without_a_role_to_the_admin(client, staff):
    client.force_login(staff)
    r = client.get("/beranda/")
    assert r.status_code == 302
    assert r.url == "/admin/"


def test_it_treats_a_superuser_as_having_every_permission(client, django_user_model, village):
    admin = django_user_model.objects.create_superuser("admin", password="password")
    assert not admin.user_permissions.exists() and not admin.groups.exists()
    r = client.post(LOGIN, {"username": "admin", "password": "password"}, follow=True)
    # view_cases is checked before is_staff: the superuser lands on the queue, not the admin.
    assert r.redirect_chain == [("/beranda/", 302), ("/verifikasi/", 302)]
    assert r.status_code == 200

    child = make_child(village)
    html = client.get(f"/verifikasi/anak/{child.pk}/").content.decode()
    assert "Ubah data anak" in html and "Tambah pengukuran" in html
    assert client.get(f"/verifikasi/anak/{child.pk}/ubah/").status_code == 200


def test_it_warns_a_logged_in_user_sent_to_the_login_page(client, outsider):
    client.force_login(outsider)
    assert client.get("/verifikasi/").status_code == 403
    r = client.get(LOGIN, {"next": "/verifikasi/"})
    assert r.status_code == 200
    assert "Akun Anda tidak berhak membuka halaman tersebut." in r.content.decode()


def test_it_requires_login_for_the_home_page(client, db):
    r = client.get("/beranda/")
    assert r.status_code == 302
    assert r.url == "/akun/masuk/?next=/beranda/"


# --- logout -------------------------------------------------------------------


def test_it_logs_out_by_post(client, verifikator):
    client.force_login(verifikator)
    r = client.post(LOGOUT)
    assert r.status_code == 302
    assert r.url == LOGIN
    assert logged_in_as(client) is None
    assert client.get("/verifikasi/").status_code == 302


def test_it_says_the_user_has_logged_out(client, verifikator):
    client.force_login(verifikator)
    r = client.post(LOGOUT, follow=True)
    assert r.redirect_chain == [(LOGIN, 302)]
    html = r.content.decode()
    assert '<div class="alert alert-ok" role="status">Anda sudah keluar.</div>' in html
    assert "Masuk ke GASKEN" in html
    # Said once.
    assert "Anda sudah keluar." not in client.get(LOGIN).content.decode()


def test_it_refuses_to_log_out_by_get(client, verifikator):
    client.force_login(verifikator)
    r = client.get(LOGOUT)
    assert r.status_code == 405
    assert logged_in_as(client) == verifikator.pk
    assert client.get("/verifikasi/").status_code == 200


def test_it_offers_a_logout_form_that_posts(client, verifikator):
    client.force_login(verifikator)
    html = client.get("/verifikasi/").content.decode()
    assert '<form method="post" action="/akun/keluar/">' in html


# --- password change ----------------------------------------------------------


@pytest.mark.parametrize("path", [PASSWORD_CHANGE, PASSWORD_CHANGE_DONE])
def test_it_requires_login_to_change_the_password(client, path):
    r = client.get(path)
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next={path}"


def test_it_refuses_a_password_change_without_login(client, verifikator):
    r = client.post(
        PASSWORD_CHANGE,
        {"old_password": "password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert r.url.startswith("/akun/masuk/")
    verifikator.refresh_from_db()
    assert verifikator.check_password("password")


def test_it_changes_the_password_end_to_end(client, verifikator):
    client.post(LOGIN, {"username": "verifikator", "password": "password"})
    html = client.get("/verifikasi/").content.decode()
    assert '<a href="/akun/ganti-sandi/">Ganti sandi</a>' in html

    r = client.get(PASSWORD_CHANGE)
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Ganti kata sandi</h1>" in html
    assert 'name="old_password"' in html and 'name="new_password2"' in html

    r = client.post(
        PASSWORD_CHANGE,
        {"old_password": "password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert r.url == PASSWORD_CHANGE_DONE
    verifikator.refresh_from_db()
    assert verifikator.check_password(NEW_PASSWORD)
    # Still logged in after the change.
    done = client.get(r.url)
    assert done.status_code == 200
    assert "Kata sandi Anda sudah diganti." in done.content.decode()
    assert client.get("/verifikasi/").status_code == 200

    client.post(LOGOUT)
    r = client.post(LOGIN, {"username": "verifikator", "password": "password"})
    assert r.status_code == 200
    assert logged_in_as(client) is None
    r = client.post(LOGIN, {"username": "verifikator", "password": NEW_PASSWORD})
    assert r.status_code == 302
    assert logged_in_as(client) == verifikator.pk


def test_it_refuses_a_wrong_old_password(client, verifikator):
    client.force_login(verifikator)
    r = client.post(
        PASSWORD_CHANGE,
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert list(errors) == ["old_password"]
    assert "Sandi lama Anda yang dimasukkan salah" in errors["old_password"][0]
    assert "Sandi lama Anda yang dimasukkan salah" in r.content.decode()
    verifikator.refresh_from_db()
    assert verifikator.check_password("password")


@pytest.mark.parametrize(
    "new1,new2,message",
    [
        ("Pantai-Matras-2026", "Pantai-Matras-2027", "Dua bidang sandi tidak cocok."),
        ("12345678901", "12345678901", "seluruhnya terdiri dari angka"),
        ("pendek", "pendek", "Kata sandi terlalu pendek."),
    ],
    ids=["mismatch", "numeric", "short"],
)
def test_it_refuses_a_weak_or_mistyped_new_password(client, verifikator, new1, new2, message):
    client.force_login(verifikator)
    r = client.post(
        PASSWORD_CHANGE, {"old_password": "password", "new_password1": new1, "new_password2": new2}
    )
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert list(errors) == ["new_password2"]
    assert any(message in e for e in errors["new_password2"])
    verifikator.refresh_from_db()
    assert verifikator.check_password("password")


def test_the_menu_offers_partner_pages_only_to_linked_accounts(client, django_user_model):
    from interventions.models import Partner, PartnerMember

    admin = django_user_model.objects.create_superuser("root", password="password")
    client.force_login(admin)
    html = client.get("/verifikasi/").content.decode()
    assert 'href="/mitra/"' not in html and 'href="/desa/"' not in html

    partner_user = make_user("mitra-menu", "Mitra")
    PartnerMember.objects.create(user=partner_user, partner=Partner.objects.get(name="RS Siloam"))
    client.force_login(partner_user)
    html = client.get("/mitra/").content.decode()
    assert 'href="/mitra/"' in html and 'href="/desa/"' not in html


@pytest.mark.parametrize(
    "user, landing, menu",
    [
        (
            "verifikator",
            "/verifikasi/",
            [
                "/verifikasi/",
                "/verifikasi/anak/",
                "/verifikasi/ibu/",
                "/intervensi/",
                "/kendala/",
                "/kegiatan/",
                "/pemantauan/",
                "/admin/",
            ],
        ),
        (
            "pimpinan",
            "/verifikasi/",
            [
                "/verifikasi/",
                "/verifikasi/anak/",
                "/verifikasi/ibu/",
                "/intervensi/",
                "/kendala/",
                "/kegiatan/",
                "/pemantauan/",
            ],
        ),
        ("mitra", "/mitra/", ["/mitra/", "/mitra/kendala/", "/mitra/kegiatan/"]),
        ("desa", "/desa/", ["/desa/", "/desa/kegiatan/", "/pemantauan/"]),
    ],
)
def test_the_home_page_and_the_menu_agree_on_each_role(client, village, user, landing, menu):
    group = {
        "verifikator": "Verifikator Kecamatan",
        "pimpinan": "Pimpinan",
        "mitra": "Mitra",
        "desa": "Pemerintah Kelurahan/Desa",
    }[user]
    account = make_user(user, group)
    if user == "mitra":
        PartnerMember.objects.create(user=account, partner=Partner.objects.get(name="RS Siloam"))
    if user == "desa":
        PartnerMember.objects.create(user=account, partner=village.government)
    assert [url for _, url in pages_for(account)] == menu
    client.force_login(account)
    r = client.get("/beranda/")
    assert r.status_code == 302 and r.url == landing
    html = client.get(landing).content.decode()
    for url in menu:
        assert f'href="{url}"' in html


def test_the_menu_counts_the_new_assignments_of_a_partner_user(client, village):
    user = partner_user("mitra-baru")
    first = make_intervention(make_child(village, name="Anak Satu"))
    make_intervention(make_child(village, name="Anak Dua"))
    make_intervention(make_child(village, name="Anak Tiga"), PUSKESMAS)
    client.force_login(user)
    html = client.get("/mitra/").content.decode()
    assert '<a href="/mitra/">Dampingan <span class="badge badge-new">2 baru</span></a>' in html

    # Opening a child's page makes its assignment no longer new, for the menu too.
    html = client.get(f"/mitra/anak/{first.child_id}/").content.decode()
    assert '<span class="badge badge-new">1 baru</span></a>' in html
    client.get(f"/mitra/anak/{Intervention.objects.get(child__name='Anak Dua').child_id}/")
    html = client.get("/mitra/").content.decode()
    assert '<a href="/mitra/">Dampingan</a>' in html


def test_the_menu_counts_nothing_for_staff(client, village, verifikator):
    make_intervention(make_child(village))
    client.force_login(verifikator)
    assert "badge-new" not in client.get("/verifikasi/").content.decode()
