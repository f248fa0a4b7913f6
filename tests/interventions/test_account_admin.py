"""One admin form creates an account with its role, its partner and a first password."""

import pytest
from django.contrib.auth.models import User

from interventions.models import PartnerMember, PasswordChangeRequired
from tests.builders import (
    DESA_GROUP,
    MITRA_GROUP,
    PIMPINAN_GROUP,
    PUSKESMAS,
    TIMAH,
    VERIFIKATOR_GROUP,
    partner,
    partner_user,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/auth/user/add/"
FIRST_PASSWORD = "Sungailiat-Awal-2026"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="password")


def account_data(**overrides):
    data = {
        "username": "siti.timah",
        "first_name": "Siti",
        "last_name": "Rahma",
        "email": "siti@timah.example",
        "role": MITRA_GROUP,
        "partner": partner(TIMAH).pk,
        "password1": FIRST_PASSWORD,
        "password2": FIRST_PASSWORD,
    }
    data.update(overrides)
    return data


def test_it_shows_one_form_with_role_partner_and_first_password(client, verifikator):
    client.force_login(verifikator)
    r = client.get(ADD)
    assert r.status_code == 200
    html = r.content.decode()
    for name in ["username", "first_name", "email", "role", "partner", "password1", "password2"]:
        assert f'name="{name}"' in html, name
    assert "wajib menggantinya dengan kata sandinya sendiri saat pertama kali masuk" in html
    # A verifikator gives partner and village roles only.
    assert list(r.context["adminform"].form.fields["role"].choices) == [
        ("", "---------"),
        (MITRA_GROUP, MITRA_GROUP),
        (DESA_GROUP, DESA_GROUP),
    ]


def test_a_verifikator_creates_a_partner_account(client, verifikator):
    client.force_login(verifikator)
    r = client.post(ADD, account_data())
    user = User.objects.get(username="siti.timah")
    assert r.status_code == 302
    assert r.url == f"/admin/auth/user/{user.pk}/change/"
    assert (user.first_name, user.last_name, user.email) == ("Siti", "Rahma", "siti@timah.example")
    assert [g.name for g in user.groups.all()] == [MITRA_GROUP]
    assert PartnerMember.of(user).partner.name == TIMAH
    assert user.check_password(FIRST_PASSWORD)
    assert not user.is_staff and not user.is_superuser
    assert user.user_permissions.count() == 0
    assert PasswordChangeRequired.objects.filter(user=user).exists()

    # The new account opens on its change page, with what was given.
    html = client.get(r.url).content.decode()
    assert "Mitra" in html and TIMAH in html


def test_a_verifikator_creates_a_village_account(client, verifikator, village):
    client.force_login(verifikator)
    r = client.post(
        ADD, account_data(username="desa.matras", role=DESA_GROUP, partner=village.government.pk)
    )
    assert r.status_code == 302
    user = User.objects.get(username="desa.matras")
    assert PartnerMember.of(user).partner == village.government
    assert user.has_perm("interventions.view_village")


def test_a_superuser_creates_a_verifikator_who_is_staff(client, superuser):
    client.force_login(superuser)
    r = client.post(ADD, account_data(username="verif2", role=VERIFIKATOR_GROUP, partner=""))
    assert r.status_code == 302
    user = User.objects.get(username="verif2")
    assert user.is_staff and not user.is_superuser
    assert PartnerMember.of(user) is None
    assert user.has_perm("registrations.add_posyandu")
    assert PasswordChangeRequired.objects.filter(user=user).exists()


def test_a_superuser_creates_an_official_who_is_not_staff(client, superuser):
    client.force_login(superuser)
    client.post(ADD, account_data(username="camat", role=PIMPINAN_GROUP, partner=""))
    user = User.objects.get(username="camat")
    assert not user.is_staff
    assert [g.name for g in user.groups.all()] == [PIMPINAN_GROUP]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"partner": ""}, "partner", "Pilih mitra untuk peran Mitra."),
        (
            {"role": DESA_GROUP},
            "partner",
            "Peran Pemerintah Kelurahan/Desa harus terhubung ke pemerintah kelurahan/desa",
        ),
        ({"role": ""}, "role", "Bidang ini tidak boleh kosong."),
        ({"role": VERIFIKATOR_GROUP}, "role", "Masukkan pilihan yang valid."),
        ({"password2": "Lain-Sekali-2026"}, "password2", "Dua bidang sandi tidak cocok."),
        ({"password1": "12345678", "password2": "12345678"}, "password2", "terlalu umum"),
        ({"username": "MITRA"}, "username", "pengguna dengan nama pengguna tersebut sudah ada"),
    ],
    ids=[
        "no-partner",
        "desa-not-village",
        "no-role",
        "role-not-allowed",
        "mismatch",
        "weak",
        "taken",
    ],
)
def test_it_refuses_a_bad_account_and_keeps_what_was_typed(
    client, verifikator, overrides, field, message
):
    partner_user("mitra")
    client.force_login(verifikator)
    r = client.post(ADD, account_data(**overrides))
    assert r.status_code == 200
    errors = r.context["adminform"].form.errors
    assert field in errors
    assert any(message in e for e in errors[field]), errors[field]
    html = r.content.decode()
    assert message in html
    assert 'value="Siti"' in html and 'value="siti@timah.example"' in html
    assert (
        not User.objects.filter(username__iexact=account_data(**overrides)["username"])
        .exclude(username="mitra")
        .exists()
    )
    assert PartnerMember.objects.count() == 1


def test_it_refuses_a_partner_for_a_role_without_one(client, superuser):
    client.force_login(superuser)
    r = client.post(ADD, account_data(role=PIMPINAN_GROUP, partner=partner(PUSKESMAS).pk))
    assert r.status_code == 200
    assert "tidak terhubung ke mitra; kosongkan pilihan ini" in r.content.decode()
    assert not User.objects.filter(username="siti.timah").exists()


# --- what a verifikator may change afterwards ------------------------------------------------


def test_a_verifikator_sees_only_partner_and_village_accounts(
    client, verifikator, pimpinan, village
):
    from tests.builders import village_user

    partner_user("mitra")
    village_user("desa", village)
    client.force_login(verifikator)
    r = client.get("/admin/auth/user/")
    assert [u.username for u in r.context["cl"].result_list] == ["desa", "mitra"]


@pytest.mark.parametrize("target", ["verifikator", "pimpinan", "root"])
def test_a_verifikator_cannot_touch_staff_or_official_accounts(
    client, verifikator, pimpinan, superuser, target
):
    account = User.objects.get(username=target)
    client.force_login(verifikator)
    change = f"/admin/auth/user/{account.pk}/change/"
    r = client.get(change)
    assert (r.status_code, r.url) == (302, "/admin/")
    client.post(change, {"username": target, "first_name": "Diubah", "is_active": ""})
    r = client.post(
        f"/admin/auth/user/{account.pk}/password/",
        {"password1": FIRST_PASSWORD, "password2": FIRST_PASSWORD, "set-password": "1"},
    )
    assert r.status_code == 404
    account.refresh_from_db()
    assert account.first_name == "" and account.is_active
    assert account.check_password("password")


def test_a_verifikator_edits_a_partner_account_but_cannot_raise_it(client, verifikator):
    user = partner_user("mitra")
    client.force_login(verifikator)
    url = f"/admin/auth/user/{user.pk}/change/"
    html = client.get(url).content.decode()
    assert 'name="first_name"' in html and 'name="is_active"' in html
    for name in ["is_staff", "is_superuser", "groups", "user_permissions"]:
        assert f'name="{name}"' not in html, name

    r = client.post(
        url,
        {
            "username": "mitra",
            "first_name": "Budi",
            "last_name": "",
            "email": "",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": ["1"],
        },
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "Budi"
    # Not ticked: deactivated. Nothing the form does not show was changed.
    assert not user.is_active
    assert not user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == [MITRA_GROUP]


def test_a_verifikator_sets_a_password_that_must_be_changed(client, verifikator):
    user = partner_user("mitra")
    client.force_login(verifikator)
    url = f"/admin/auth/user/{user.pk}/password/"
    html = client.get(url).content.decode()
    assert "Wajib diganti saat masuk berikutnya" in html
    assert 'id="id_must_change" checked' in html

    r = client.post(
        url,
        {
            "password1": FIRST_PASSWORD,
            "password2": FIRST_PASSWORD,
            "must_change": "on",
            "set-password": "1",
        },
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password(FIRST_PASSWORD)
    assert PasswordChangeRequired.objects.filter(user=user).exists()
    html = client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "kata sandi wajib diganti" in html.lower()


def test_a_superuser_edits_every_account_with_the_full_form(client, superuser, verifikator):
    client.force_login(superuser)
    html = client.get(f"/admin/auth/user/{verifikator.pk}/change/").content.decode()
    for name in ["is_staff", "is_superuser", "groups", "user_permissions"]:
        assert f'name="{name}"' in html, name
    assert "Kata sandi wajib diganti" in html
    r = client.get("/admin/auth/user/")
    assert [u.username for u in r.context["cl"].result_list] == ["root", "verifikator"]


def test_a_password_set_without_the_tick_need_not_be_changed(client, superuser):
    user = partner_user("mitra")
    PasswordChangeRequired.require(user)
    client.force_login(superuser)
    r = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": FIRST_PASSWORD, "password2": FIRST_PASSWORD, "set-password": "1"},
    )
    assert r.status_code == 302
    assert not PasswordChangeRequired.objects.filter(user=user).exists()
