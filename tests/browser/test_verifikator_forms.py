"""The verifikator's forms in a browser, filled as shown: assigning children who already have
help, merging a report into a child found by a search, merging two registered children and two
registered mothers, verifying a report imported from the Google Form."""

from datetime import date, timedelta

import pytest

from interventions.models import Intervention
from registrations.models import Child, Mother, Submission, Village
from tests.builders import (
    PUSKESMAS,
    TIMAH,
    browser_login,
    make_child,
    make_imported_submission,
    make_intervention,
    make_mother,
    make_submission,
    make_user,
    page_width,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def matras(db):
    return Village.objects.get(code="19.01.01.1009")


def test_the_assign_page_warns_before_sending_and_refuses_the_duplicate(live_server, phone, matras):
    verifikator = make_user("verifikator", "Verifikator Kecamatan")
    andi = make_child(matras, name="Andi")
    bunga = make_child(matras, name="Bunga")
    citra = make_child(matras, name="Citra")
    make_intervention(andi, TIMAH, start_date=date(2026, 1, 5), created_by=verifikator)
    make_intervention(
        bunga,
        PUSKESMAS,
        status=Intervention.Status.RUNNING,
        start_date=date(2026, 2, 1),
        created_by=verifikator,
    )

    browser_login(phone, live_server, "verifikator")
    phone.goto(
        f"{live_server.url}/intervensi/tugaskan/?anak={andi.pk}&anak={bunga.pk}&anak={citra.pk}"
    )
    note = {c.name: f"li[data-child='{c.pk}'] .assign-note" for c in (andi, bunga, citra)}
    assert "PMT oleh PT Timah Tbk — direncanakan sejak 05-01-2026" in phone.inner_text(
        f"li[data-child='{andi.pk}']"
    )
    assert not phone.is_visible(note["Andi"])

    phone.select_option("[name=partner]", label="PT Timah Tbk")
    phone.select_option("[name=kind]", label="PMT")
    phone.wait_for_selector(f"{note['Andi']}.assign-duplicate")
    assert phone.inner_text(note["Andi"]) == (
        "Tidak akan ditugaskan: sudah ada PMT oleh PT Timah Tbk (direncanakan sejak "
        "05-01-2026). Penugasan yang sama tidak dibuat dua kali."
    )
    assert phone.inner_text(note["Bunga"]) == (
        "Perhatian: sudah ada PMT oleh Puskesmas Sungailiat (berjalan sejak 01-02-2026); "
        "pastikan bantuannya tidak ganda."
    )
    assert not phone.is_visible(note["Citra"])
    assert page_width(phone) <= 360

    # The notes follow the partner chosen.
    phone.select_option("[name=partner]", label="Puskesmas Sungailiat")
    phone.wait_for_selector(f"{note['Bunga']}.assign-duplicate")
    assert phone.inner_text(note["Andi"]).startswith("Perhatian: sudah ada PMT oleh PT Timah")
    phone.select_option("[name=partner]", label="PT Timah Tbk")
    phone.wait_for_selector(f"{note['Andi']}.assign-duplicate")

    phone.click("#assign-form button[type=submit]")
    phone.wait_for_url("**/intervensi/")
    text = phone.inner_text("main")
    assert "2 anak ditugaskan ke PT Timah Tbk (PMT): Bunga, Citra." in text
    assert "Andi tidak ditugaskan: sudah ada PMT oleh PT Timah Tbk yang direncanakan" in text
    assert "Perhatian: Bunga juga mendapat PMT dari Puskesmas Sungailiat" in text

    assert andi.interventions.count() == 1
    assert bunga.interventions.count() == 2
    assert citra.interventions.get().partner.name == TIMAH


def test_a_report_is_merged_into_a_child_found_by_the_search(live_server, phone, matras):
    make_user("verifikator", "Verifikator Kecamatan")
    registered = make_child(
        matras, name="Putri Ayu Lestari", birth_date=date(2024, 1, 10), mother_name="Rina"
    )
    make_child(matras, name="Putri Ayu Lestari", birth_date=date(2023, 6, 2), mother_name="Sari")
    report = make_submission(
        matras, child_name="Dede", birth_date=date(2024, 1, 10), mother_name="Rina Wati"
    )

    browser_login(phone, live_server, "verifikator")
    phone.goto(f"{live_server.url}/verifikasi/laporan/{report.pk}/")
    phone.click("#decide-merged summary")
    assert "Tidak ada kemungkinan duplikat" in phone.inner_text("#decide-merged")
    phone.fill("#merge-search", "lestari 10-01-2024")
    phone.click("#decide-merged button:has-text('Cari')")
    phone.wait_for_selector(f"#decide-merged input[name=child][value='{registered.pk}']")
    assert page_width(phone) <= 360
    choices = phone.locator("#decide-merged input[name=child]")
    assert choices.count() == 1  # the other Putri, born another day, is not offered
    phone.check(f"#decide-merged input[name=child][value='{registered.pk}']")
    phone.click("#decide-merged button:has-text('Gabungkan')")
    phone.wait_for_selector("#status")
    assert phone.inner_text("#status") == "Terverifikasi"

    report.refresh_from_db()
    assert report.status == Submission.Status.VERIFIED
    assert report.child == registered
    assert report.measurement.child == registered


def test_an_imported_report_is_verified_once_its_birth_date_is_confirmed(
    live_server, phone, matras
):
    make_user("verifikator", "Verifikator Kecamatan")
    report = make_imported_submission(matras)  # an age, no sex, no measurement
    born = report.birth_date + timedelta(days=3)

    browser_login(phone, live_server, "verifikator")
    phone.goto(f"{live_server.url}/verifikasi/laporan/{report.pk}/")
    assert "impor Google Form" in phone.inner_text("#imported")
    assert "(perkiraan)" in phone.inner_text("#birth-date-estimated")
    assert not phone.locator("#decide-needs_correction").count()
    phone.click("#decide-verified_new summary")
    assert phone.input_value("#birth-date-verified_new") == report.birth_date.isoformat()
    assert page_width(phone) <= 360

    # Sent without ticking the confirmation: refused, what was chosen is kept.
    phone.fill("#birth-date-verified_new", born.isoformat())
    phone.select_option("#child-sex-verified_new", "P")
    phone.click("#decide-verified_new button:has-text('Verifikasi sebagai kasus baru')")
    phone.wait_for_selector("#decide-verified_new .errorlist")
    assert "pastikan dengan KK/akta" in phone.inner_text("#decide-verified_new")
    assert phone.input_value("#birth-date-verified_new") == born.isoformat()
    assert phone.input_value("#child-sex-verified_new") == "P"
    assert not Child.objects.exists()

    phone.check("#birth-date-confirmed")
    phone.click("#decide-verified_new button:has-text('Verifikasi sebagai kasus baru')")
    phone.wait_for_selector("#status:has-text('Terverifikasi')")

    report.refresh_from_db()
    child = Child.objects.get()
    assert (report.status, report.child) == (Submission.Status.VERIFIED, child)
    assert (child.birth_date, child.sex, child.name) == (born, "P", "Nabila Putri")


def test_two_registrations_of_one_child_are_merged_on_the_child_page(live_server, phone, matras):
    make_user("verifikator", "Verifikator Kecamatan")
    first = make_child(matras, name="Putri Ayu", birth_date=date(2024, 1, 10), mother_name="Rina")
    second = make_child(
        matras,
        name="Putri Ayuu",
        birth_date=date(2024, 1, 10),
        mother_name="Rina",
        nik="1901015001240001",
    )
    make_intervention(second, TIMAH)

    browser_login(phone, live_server, "verifikator")
    phone.goto(f"{live_server.url}/verifikasi/anak/{first.pk}/")
    assert "Putri Ayuu" in phone.inner_text("#duplicates")
    phone.click("#duplicates a:has-text('Gabungkan')")
    phone.wait_for_selector("#merge-form")
    assert "Putri Ayuu" in phone.inner_text("#compare")
    assert page_width(phone) <= 360
    # The second registration, with the NIK, stays.
    phone.check(f"#merge-form input[name=kept][value='{second.pk}']")
    phone.fill("#merge-form [name=note]", "Terdaftar dua kali")
    phone.click("#merge-form button[type=submit]")
    phone.wait_for_url(f"**/verifikasi/anak/{second.pk}/")
    assert f"Anak #{first.pk} (Putri Ayu) digabungkan ke #{second.pk}" in phone.content()
    assert f"Anak #{first.pk} digabungkan ke anak ini: Terdaftar dua kali" in phone.inner_text(
        "#history"
    )

    phone.goto(f"{live_server.url}/verifikasi/anak/{first.pk}/")
    assert f"anak #{second.pk} Putri Ayuu" in phone.inner_text("#merged-into")

    first.refresh_from_db()
    assert first.merged_into_id == second.pk
    assert Child.objects.current().count() == 1
    assert second.interventions.count() == 1


def test_two_registrations_of_one_mother_are_merged_on_her_page(live_server, phone, matras):
    make_user("verifikator", "Verifikator Kecamatan")
    first = make_mother(matras, name="Siti Aminah", nik="", husband_name="Ahmad")
    # Registered again with another spelling and birth date: found by her NIK, not offered.
    second = make_mother(
        matras, name="Siti Aminnah", nik="1901014507950001", birth_date=date(1995, 5, 7)
    )
    make_intervention(second, TIMAH)

    browser_login(phone, live_server, "verifikator")
    phone.goto(f"{live_server.url}/verifikasi/ibu/{first.pk}/")
    phone.click("a:has-text('Gabungkan dengan ibu lain')")
    phone.wait_for_selector("#merge-search")
    assert "Tidak ditemukan ibu terdaftar lain yang mirip" in phone.inner_text("#merge-duplicates")
    phone.fill("#merge-q", "1901014507950001")
    phone.click("#merge-search button:has-text('Cari')")
    phone.click(f"#merge-results a:has-text('#{second.pk} Siti Aminnah')")
    phone.wait_for_selector("#merge-form")
    assert "Siti Aminnah" in phone.inner_text("#compare")
    assert page_width(phone) <= 360
    # The first registration, with the husband's name, stays.
    assert phone.is_checked(f"#merge-form input[name=kept][value='{first.pk}']")
    phone.fill("#merge-form [name=note]", "Terdaftar dua kali")
    phone.click("#merge-form button[type=submit]")
    phone.wait_for_url(f"**/verifikasi/ibu/{first.pk}/")
    assert f"Ibu #{second.pk} (Siti Aminnah) digabungkan ke #{first.pk}" in phone.content()
    assert f"Ibu #{second.pk} digabungkan ke ibu ini: Terdaftar dua kali" in phone.inner_text(
        "#history"
    )
    assert "1901014507950001" in phone.inner_text("#identity")

    phone.goto(f"{live_server.url}/verifikasi/ibu/{second.pk}/")
    assert f"ibu #{first.pk} Siti Aminah" in phone.inner_text("#merged-into")

    second.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert list(Mother.objects.current()) == [first]
    assert first.interventions.count() == 1
    assert first.checks.count() == 2


def test_choosing_a_village_narrows_the_posyandu_filter_at_once(live_server, phone, matras):
    from registrations.models import Posyandu

    rebo = Village.objects.get(code="19.01.01.2007")
    Posyandu.objects.create(name="Mawar", village=matras, code="mawar-matras")
    rebo_mawar = Posyandu.objects.create(name="Mawar", village=rebo, code="mawar-rebo")
    make_child(matras, name="Anak Matras")
    make_user("verifikator", "Verifikator Kecamatan")

    browser_login(phone, live_server, "verifikator")
    phone.goto(f"{live_server.url}/verifikasi/anak/")
    groups = phone.locator("select[name=posyandu] optgroup")
    assert [groups.nth(i).get_attribute("label") for i in range(groups.count())] == [
        "Kelurahan Matras",
        "Desa Rebo",
    ]
    phone.select_option("select[name=posyandu]", str(rebo_mawar.pk))
    phone.select_option("select[name=village]", label="Kelurahan Matras")
    # Rebo's Mawar is hidden and no longer chosen, before anything is sent.
    assert phone.locator("select[name=posyandu] optgroup[label='Desa Rebo']").is_hidden()
    assert phone.input_value("select[name=posyandu]") == ""
    phone.click("form.filters button[type=submit]")
    phone.wait_for_url("**/verifikasi/anak/?*")
    labels = phone.locator("select[name=posyandu] optgroup")
    assert labels.count() == 1
    assert labels.first.get_attribute("label") == "Kelurahan Matras"
