"""Who reaches what in the Django admin: the verifikator keeps the master data there and
reads reports, documents and measurements; partners, villages and officials get nothing."""

import importlib

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext

from gasken.navigation import pages_for
from interventions.models import InterventionType, Partner, PartnerMember
from registrations.models import AccessLog, MotherReport, Posyandu
from tests.builders import (
    PIMPINAN_GROUP,
    VERIFIKATOR_GROUP,
    kecamatan_user,
    make_activity,
    make_child,
    make_delivery,
    make_imported_submission,
    make_intervention,
    make_measurement,
    make_mother,
    make_mother_report,
    make_obstacle,
    make_submission,
    partner_user,
    today,
    village_user,
)
from verification.services import mother_report_decide, submission_decide

pytestmark = pytest.mark.django_db

# The admin pages a Verifikator Kecamatan has, and what they may do on each.
EDITABLE = {
    "/admin/registrations/posyandu/",
    "/admin/interventions/partner/",
    "/admin/interventions/partnermember/",
    "/admin/interventions/interventiontype/",
    "/admin/auth/user/",
}
READ_ONLY = {
    "/admin/registrations/submission/",
    "/admin/registrations/document/",
    "/admin/registrations/measurement/",
    "/admin/registrations/motherreport/",
    "/admin/registrations/mothercheck/",
}
# Pages of models the verifikator's role has permissions on for the staff pages, but that
# the admin keeps for the superuser.
SUPERUSER_ONLY = [
    "/admin/registrations/child/",
    "/admin/registrations/mother/",
    "/admin/interventions/intervention/",
    "/admin/interventions/delivery/",
    "/admin/interventions/obstacle/",
    "/admin/interventions/activity/",
    "/admin/verification/decision/",
    "/admin/registrations/village/",
    "/admin/registrations/accesslog/",
    "/admin/registrations/submissionversion/",
    "/admin/auth/group/",
    "/admin/axes/accessattempt/",
]


@pytest.fixture
def records(village, posyandu):
    """One row behind each admin page."""
    submission = make_submission(village, posyandu)
    child = make_child(village)
    make_measurement(child, today(), "70.0")
    intervention = make_intervention(child)
    make_delivery(intervention, intervention.created_by)
    make_obstacle(intervention)
    make_activity(village, photos=1)
    partner_user("mitra-timah")
    decided = make_mother_report(village, posyandu, name="Dewi Lestari", nik="")
    mother_report_decide(report=decided, version=1, action="verified_new", user=kecamatan_user())
    make_mother_report(village, posyandu)
    make_mother(village)
    return submission


# --- the ladder -----------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login(client, db):
    r = client.get("/admin/", follow=True)
    assert r.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        ("/akun/masuk/?next=%2Fadmin%2F", 302),
    ]
    html = r.content.decode()
    assert "Masuk ke GASKEN" in html
    assert 'name="next" value="/admin/"' in html


@pytest.mark.parametrize("who", ["mitra", "desa", "pimpinan", "outsider"])
@pytest.mark.parametrize("url", ["/admin/", *sorted(EDITABLE), "/admin/auth/user/add/"])
def test_it_gives_partners_villages_and_officials_nothing(client, village, who, url, request):
    users = {
        "mitra": lambda: partner_user("mitra"),
        "desa": lambda: village_user("desa", village),
        "pimpinan": lambda: request.getfixturevalue("pimpinan"),
        "outsider": lambda: request.getfixturevalue("outsider"),
    }
    client.force_login(users[who]())
    r = client.get(url)
    assert r.status_code == 302
    assert r.url == f"/admin/login/?next={url}"
    # The login page then says the account may not open it.
    html = client.get(r.url, follow=True).content.decode()
    assert "Akun Anda tidak berhak membuka halaman tersebut." in html


def test_a_verifikator_gets_exactly_the_master_data_and_the_records(client, verifikator, records):
    client.force_login(verifikator)
    r = client.get("/admin/")
    assert r.status_code == 200
    models = {m["admin_url"]: m for app in r.context["app_list"] for m in app["models"]}
    assert set(models) == EDITABLE | READ_ONLY
    for url in EDITABLE:
        assert models[url]["perms"]["change"], url
    for url in READ_ONLY:
        assert models[url]["perms"] == {
            "add": False,
            "change": False,
            "delete": False,
            "view": True,
        }, url
    assert not models["/admin/interventions/partner/"]["perms"]["delete"]


@pytest.mark.parametrize("url", sorted(EDITABLE | READ_ONLY))
def test_a_verifikator_opens_each_of_their_pages(client, verifikator, records, url):
    client.force_login(verifikator)
    r = client.get(url)
    assert r.status_code == 200
    assert r.context["cl"].result_count >= 1


@pytest.mark.parametrize("url", SUPERUSER_ONLY)
def test_a_verifikator_cannot_open_the_other_pages(client, verifikator, records, url):
    client.force_login(verifikator)
    assert client.get(url).status_code == 403


def test_a_superuser_still_opens_every_page(client, django_user_model, records):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    for url in sorted(EDITABLE | READ_ONLY) + SUPERUSER_ONLY:
        assert client.get(url).status_code == 200, url


def test_the_read_only_records_cannot_be_changed(client, verifikator, records):
    submission = records
    document = submission.documents.get()
    measurement = submission.measurement
    client.force_login(verifikator)
    pages = [
        (f"/admin/registrations/submission/{submission.pk}/change/", {"child_name": "Diubah"}),
        (f"/admin/registrations/document/{document.pk}/change/", {"kind": "akta"}),
        (
            f"/admin/registrations/measurement/{measurement.pk}/change/",
            {"measured_on": today().isoformat(), "height_cm": "99.0", "source": "kader"},
        ),
    ]
    for url, data in pages:
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.post(url, data).status_code == 403
    report = MotherReport.objects.filter(status="pending").get()
    url = f"/admin/registrations/motherreport/{report.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert f'href="/verifikasi/laporan-ibu/{report.pk}/"' in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"name": "Diubah"}).status_code == 403
    for url in READ_ONLY:
        assert client.get(f"{url}add/").status_code == 403
    submission.refresh_from_db()
    document.refresh_from_db()
    measurement.refresh_from_db()
    assert submission.child_name == "Putri Ayu"
    report.refresh_from_db()
    assert report.name == "Siti Aminah"
    assert document.kind == "kk"
    assert str(measurement.height_cm) == "70.2"


def test_a_verifikator_cannot_delete_master_data(client, verifikator, posyandu):
    client.force_login(verifikator)
    url = f"/admin/registrations/posyandu/{posyandu.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Posyandu.objects.filter(pk=posyandu.pk).exists()


# --- what the verifikator does there ------------------------------------------------------


def test_a_verifikator_adds_a_posyandu(client, verifikator, village):
    client.force_login(verifikator)
    r = client.post(
        "/admin/registrations/posyandu/add/",
        {"name": "Anggrek", "village": village.pk, "code": "anggrek", "is_active": "on"},
    )
    assert r.status_code == 302
    posyandu = Posyandu.objects.get(code="anggrek")
    assert (posyandu.name, posyandu.village, posyandu.is_active) == ("Anggrek", village, True)


def test_a_verifikator_adds_a_partner_and_an_intervention_type(client, verifikator):
    client.force_login(verifikator)
    r = client.post(
        "/admin/interventions/partner/add/",
        {
            "name": "Yayasan Peduli Anak",
            "kind": "community",
            "is_active": "on",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302
    assert Partner.objects.get(name="Yayasan Peduli Anak").kind == "community"

    r = client.post(
        "/admin/interventions/interventiontype/add/",
        {
            "name": "Kelas gizi",
            "default_duration_days": "30",
            "target": "mother",
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    added = InterventionType.objects.get(name="Kelas gizi")
    assert (added.default_duration_days, added.target) == (30, "mother")


def test_a_verifikator_links_a_partner_user_to_another_partner(client, verifikator):
    user = partner_user("mitra-pindah")
    membership = user.partner_membership
    puskesmas = Partner.objects.get(name="Puskesmas Sungailiat")
    client.force_login(verifikator)
    url = f"/admin/interventions/partnermember/{membership.pk}/change/"
    r = client.post(url, {"user": user.pk, "partner": puskesmas.pk})
    assert r.status_code == 302
    membership.refresh_from_db()
    assert membership.partner == puskesmas


def test_a_verifikator_cannot_link_a_staff_account_to_a_partner(client, verifikator, pimpinan):
    client.force_login(verifikator)
    for user in [verifikator, pimpinan]:
        r = client.post(
            "/admin/interventions/partnermember/add/",
            {"user": user.pk, "partner": Partner.objects.get(name="RS Siloam").pk},
        )
        assert r.status_code == 200
        assert "Masukkan pilihan yang valid" in r.content.decode()
    assert not PartnerMember.objects.exists()


def test_the_partner_user_picker_offers_only_partner_accounts(client, verifikator):
    partner_user("mitra-cari")
    client.force_login(verifikator)
    r = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "interventions",
            "model_name": "partnermember",
            "field_name": "user",
            "term": "",
        },
    )
    assert r.status_code == 200
    assert [row["text"] for row in r.json()["results"]] == ["mitra-cari"]


# --- documents ------------------------------------------------------------------------


def test_the_document_pages_never_show_the_file_itself(client, verifikator, village):
    submission = make_submission(village)
    document = submission.documents.get()
    stored_name = document.file.name
    client.force_login(verifikator)
    pages = [
        "/admin/registrations/document/",
        f"/admin/registrations/document/{document.pk}/change/",
        f"/admin/registrations/submission/{submission.pk}/change/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert f'href="/dokumen/{document.pk}/"' in html, url
        assert stored_name not in html, url
        assert document.file.url not in html, url
        assert 'name="file"' not in html, url
    # Only the access-logged view hands the file out.
    assert AccessLog.objects.count() == 0
    assert client.get(f"/dokumen/{document.pk}/").status_code == 200
    assert AccessLog.objects.get().target == document


def test_a_mothers_kk_photo_is_listed_with_her_report_and_never_shown(client, verifikator, village):
    report = make_mother_report(village)
    document = report.documents.get()
    client.force_login(verifikator)
    for url in [
        f"/admin/registrations/document/?q={report.code}",
        f"/admin/registrations/document/{document.pk}/change/",
    ]:
        html = client.get(url).content.decode()
        assert str(report) in html, url
        assert f'href="/dokumen/{document.pk}/"' in html, url
        assert document.file.name not in html, url


# --- links between the admin and the staff pages ----------------------------------------


def test_the_report_list_links_to_verification_and_shows_the_decision(client, verifikator, village):
    waiting = make_submission(village, child_name="Anak Menunggu")
    rejected = make_submission(village, child_name="Anak Ditolak")
    submission_decide(
        submission=rejected,
        action="rejected",
        user=verifikator,
        version=rejected.version,
        note="Bukan warga Sungailiat.",
    )
    client.force_login(verifikator)
    html = client.get("/admin/registrations/submission/").content.decode()
    assert f'<a href="/verifikasi/laporan/{waiting.pk}/">Buka halaman verifikasi</a>' in html
    assert f'<a href="/verifikasi/laporan/{rejected.pk}/">Buka halaman verifikasi</a>' in html
    assert "Belum diputuskan" in html
    assert "Ditolak (" in html and ", verifikator)" in html

    html = client.get(f"/admin/registrations/submission/{rejected.pk}/change/").content.decode()
    assert f'href="/verifikasi/laporan/{rejected.pk}/"' in html
    assert "Ditolak (" in html


def test_the_report_list_filters_reports_imported_from_the_google_form(
    client, verifikator, village
):
    make_submission(village, child_name="Anak Formulir")
    imported = make_imported_submission(village, child_name="Anak Impor")
    client.force_login(verifikator)
    html = client.get("/admin/registrations/submission/").content.decode()
    assert "Impor Google Form" in html  # the filter's choice
    assert "Anak Formulir" in html and "Anak Impor" in html

    html = client.get("/admin/registrations/submission/?source__exact=google_form").content
    assert "Anak Formulir" not in html.decode()
    assert f'<a href="/verifikasi/laporan/{imported.pk}/">' in html.decode()
    html = client.get("/admin/registrations/submission/?source__exact=kader").content.decode()
    assert "Anak Formulir" in html and "Anak Impor" not in html

    # An imported report opens read-only, with the row as it was exported.
    html = client.get(f"/admin/registrations/submission/{imported.pk}/change/").content.decode()
    assert "Baris asli Google Form" in html and 'name="child_name"' not in html


def test_the_report_list_reads_the_decisions_in_its_own_query(client, verifikator, village):
    def add_decided_reports(n):
        for i in range(n):
            s = make_submission(village, documents=(), child_name=f"Anak {i}")
            submission_decide(
                submission=s, action="rejected", user=verifikator, version=1, note="x"
            )

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/registrations/submission/").status_code == 200
        return len(ctx)

    client.force_login(verifikator)
    add_decided_reports(2)
    few = queries()
    add_decided_reports(10)
    assert queries() == few


def test_the_admin_index_links_to_the_staff_pages(client, verifikator, django_user_model):
    client.force_login(verifikator)
    html = client.get("/admin/").content.decode()
    assert '<a href="/verifikasi/">Antrean laporan</a>' in html
    assert '<a href="/pemantauan/">Pemantauan</a>' in html
    assert '<a href="/admin/">Admin</a>' not in html
    # "Lihat situs" goes to the user's own starting page, not the kader's form.
    assert 'href="/beranda/"' in html


def test_the_staff_menu_links_to_the_admin_for_its_users_only(
    client, verifikator, pimpinan, village
):
    assert ("Admin", "/admin/") in pages_for(verifikator)
    client.force_login(verifikator)
    assert '<a href="/admin/">Admin</a>' in client.get("/verifikasi/").content.decode()
    for user in [pimpinan, partner_user("mitra"), village_user("desa", village)]:
        assert ("Admin", "/admin/") not in pages_for(user)


def test_the_admin_logout_says_goodbye_on_the_login_page(client, verifikator):
    client.force_login(verifikator)
    r = client.post("/admin/logout/", follow=True)
    assert r.redirect_chain == [("/akun/masuk/", 302)]
    assert "Anda sudah keluar." in r.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_admin_password_change_is_the_staff_one(client, verifikator):
    client.force_login(verifikator)
    r = client.get("/admin/password_change/")
    assert (r.status_code, r.url) == (302, "/akun/ganti-sandi/")


# --- roles and their permissions --------------------------------------------------------


def test_the_migration_makes_existing_verifikators_staff_with_the_admin_permissions(db):
    migration = importlib.import_module("interventions.migrations.0007_verifikator_admin")
    state = MigrationLoader(connection).project_state(("interventions", "0007_verifikator_admin"))
    group = Group.objects.get(name=VERIFIKATOR_GROUP)
    group.permissions.clear()
    old = User.objects.create_user("verifikator-lama")
    old.groups.add(group)
    other = User.objects.create_user("mitra-lama")

    migration.forwards(state.apps, None)

    old.refresh_from_db()
    other.refresh_from_db()
    assert old.is_staff and not old.is_superuser
    assert not other.is_staff
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert codes == set(migration.ADMIN_PERMISSIONS)


@pytest.mark.parametrize("role", [VERIFIKATOR_GROUP, PIMPINAN_GROUP])
def test_the_reference_roles_match_the_migrations(db, role):
    # Tests run on tests/fixtures/reference.json; production on the migrations.
    granted = set()
    for module, key in [
        ("verification.migrations.0002_roles", "verification"),
        ("interventions.migrations.0002_reference_data", "interventions"),
        ("interventions.migrations.0013_activity_obstacle_roles", "interventions"),
        ("verification.migrations.0005_mother_roles", "registrations"),
    ]:
        codes = importlib.import_module(module).GROUP_PERMISSIONS.get(role, [])
        granted |= {c if "." in c else f"{key}.{c}" for c in codes}
    if role == VERIFIKATOR_GROUP:
        migration = importlib.import_module("interventions.migrations.0007_verifikator_admin")
        granted |= set(migration.ADMIN_PERMISSIONS)
    group = Group.objects.get(name=role)
    fixture = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert fixture == granted
