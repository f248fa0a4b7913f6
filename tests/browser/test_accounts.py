"""The verifikator creates a partner account in the admin; its user replaces the first
password at the first login, then works."""

import pytest
from django.contrib.auth.models import User

from interventions.models import PartnerMember, PasswordChangeRequired
from tests.builders import make_user, page_width

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "Sungailiat-Awal-2026"
OWN = "Pantai-Matras-Pagi-7"


def test_a_new_partner_account_from_the_admin_to_the_first_login(live_server, browser, phone):
    make_user("verifikator", "Verifikator Kecamatan")

    laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = laptop.new_page()
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", "verifikator")
    page.fill("#id_password", "password")
    page.click("button[type=submit]")
    page.wait_for_url("**/verifikasi/")
    page.click("nav >> text=Admin")
    page.wait_for_url("**/admin/")
    page.click("a[href='/admin/auth/user/add/']")
    page.wait_for_selector("#user_form")
    page.fill("#id_username", "siti.timah")
    page.fill("#id_first_name", "Siti")
    page.fill("#id_last_name", "Rahma")
    page.fill("#id_email", "siti@timah.example")
    page.select_option("#id_role", label="Mitra")
    page.select_option("#id_partner", label="PT Timah Tbk")
    page.fill("#id_password1", FIRST)
    page.fill("#id_password2", FIRST)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert "/admin/auth/user/" in page.url and page.url.endswith("/change/")
    assert "PT Timah Tbk" in page.inner_text("#user_form")
    laptop.close()

    user = User.objects.get(username="siti.timah")
    assert PartnerMember.of(user).partner.name == "PT Timah Tbk"
    assert [g.name for g in user.groups.all()] == ["Mitra"]
    assert PasswordChangeRequired.objects.filter(user=user).exists()

    # The new user, on a phone, with the password the verifikator gave.
    phone.goto(f"{live_server.url}/akun/masuk/")
    phone.fill("#id_username", "siti.timah")
    phone.fill("#id_password", FIRST)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/akun/ganti-sandi/")
    assert "Kata sandi Anda diberikan oleh admin." in phone.inner_text("#password-required")
    assert page_width(phone) <= 360
    # Another page leads back here until the password is changed.
    phone.goto(f"{live_server.url}/mitra/")
    phone.wait_for_url("**/akun/ganti-sandi/")

    phone.fill("[name=old_password]", FIRST)
    phone.fill("[name=new_password1]", OWN)
    phone.fill("[name=new_password2]", OWN)
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/akun/ganti-sandi/selesai/")
    assert "Kata sandi Anda sudah diganti." in phone.content()
    phone.goto(f"{live_server.url}/mitra/")
    phone.wait_for_url("**/mitra/")
    assert "Keluar (siti.timah)" in phone.content()

    user.refresh_from_db()
    assert user.check_password(OWN)
    assert not PasswordChangeRequired.objects.filter(user=user).exists()

    # Logging out says so.
    phone.click("text=Keluar (siti.timah)")
    phone.wait_for_url("**/akun/masuk/")
    assert "Anda sudah keluar." in phone.content()
