from datetime import date

import pytest

from interventions.models import VIEW_DELIVERY_PHOTO
from monitoring.models import EXPORT_WORKBOOK
from registrations.models import VIEW_DOCUMENT, AccessLog
from tests.builders import (
    kecamatan_user,
    make_child,
    make_delivery,
    make_intervention,
    make_submission,
)
from verification.models import VIEW_CHILD

pytestmark = pytest.mark.django_db
URL = "/admin/registrations/accesslog/"
IP = "10.1.2.3"


@pytest.fixture
def logs(village, verifikator):
    """One row of each app: a document, a child's page, a delivery photo, a workbook."""
    document = make_submission(village).documents.get()
    child = make_child(village, name="Bunga Citra")
    delivery = make_delivery(make_intervention(child), kecamatan_user())
    return {
        "document": AccessLog.record(
            user=verifikator, action=VIEW_DOCUMENT, ip_address=IP, target=document
        ),
        "child": AccessLog.record(
            user=verifikator,
            action=VIEW_CHILD,
            ip_address=IP,
            target=child,
            detail="Data anak Bunga Citra",
        ),
        "photo": AccessLog.record(
            user=verifikator, action=VIEW_DELIVERY_PHOTO, ip_address=IP, target=delivery
        ),
        "export": AccessLog.record(
            user=verifikator,
            action=EXPORT_WORKBOOK,
            ip_address=IP,
            detail="rekap-desa.xlsx",
            workbook="rekap-desa",
            date_from=date(2026, 1, 1),
        ),
    }


def test_it_records_a_target_of_any_app(logs, village):
    child_log = AccessLog.objects.get(pk=logs["child"].pk)
    assert child_log.target.name == "Bunga Citra"
    assert (child_log.detail, child_log.ip_address) == ("Data anak Bunga Citra", "10.1.2.3")
    photo_log = AccessLog.objects.get(pk=logs["photo"].pk)
    assert photo_log.target == logs["photo"].target
    assert photo_log.target_type.app_label == "interventions"
    # Without a detail, the target's own name says what was accessed.
    assert photo_log.detail == str(logs["photo"].target)


def test_it_keeps_what_an_app_adds_as_json(logs):
    log = AccessLog.objects.get(pk=logs["export"].pk)
    assert log.target is None
    assert log.extra == {"workbook": "rekap-desa", "date_from": "2026-01-01"}


def test_it_refuses_an_action_no_app_defined(verifikator):
    with pytest.raises(ValueError, match="view_everything"):
        AccessLog.record(user=verifikator, action="view_everything", ip_address=IP)
    assert AccessLog.objects.count() == 0


def test_an_action_cannot_be_defined_twice_with_another_label():
    assert AccessLog.define_action("view_document", "Melihat dokumen") == "view_document"
    with pytest.raises(ValueError, match="view_document"):
        AccessLog.define_action("view_document", "Mengunduh dokumen")
    assert AccessLog.ACTIONS["view_document"] == "Melihat dokumen"


def test_the_admin_lists_every_apps_actions_by_label(admin_client, logs):
    html = admin_client.get(URL).content.decode()
    for label in (
        "Melihat dokumen",
        "Melihat data anak",
        "Melihat foto layanan",
        "Mengekspor rekap Excel",
        "Mengekspor semua data anak",  # in the filter, though nobody exported one
    ):
        assert label in html
    assert "Data anak Bunga Citra" in html


def test_the_admin_filters_by_action_and_by_kind_of_data(admin_client, logs):
    r = admin_client.get(URL, {"action": "view_photo"})
    assert [log.pk for log in r.context["cl"].result_list] == [logs["photo"].pk]
    child_type = logs["child"].target_type
    r = admin_client.get(URL, {"target_type__id__exact": child_type.pk})
    assert [log.pk for log in r.context["cl"].result_list] == [logs["child"].pk]


def test_the_admin_shows_a_log_read_only(admin_client, logs):
    log = logs["export"]
    r = admin_client.get(f"{URL}{log.pk}/change/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Mengekspor rekap Excel" in html
    assert "rekap-desa" in html and "2026-01-01" in html
    assert 'name="detail"' not in html  # nothing to edit
    assert admin_client.post(f"{URL}{log.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists()
