"""The admin action that exports one child's data for a subject-access request."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission

from registrations.models import EXPORT_CHILD_DATA, AccessLog, Child
from tests.builders import (
    VERIFIKATOR_GROUP,
    make_child,
    make_delivery,
    make_intervention,
    make_submission,
    make_user,
    partner_user,
)

pytestmark = pytest.mark.django_db

URL = "/admin/registrations/child/"


@pytest.fixture
def child(village, media_root):
    child = make_child(village, name="Bunga Citra", nik="1901015001240001")
    report = make_submission(village, documents=("kk", "akta"), child=child, child_name="Bunga")
    report.measurement.child = child
    report.measurement.save()
    delivery = make_delivery(make_intervention(child), partner_user("timah"), photo=True)
    child.report, child.delivery = report, delivery
    return child


def export(client, *children):
    return client.post(URL, {"action": "export_data", "_selected_action": [c.pk for c in children]})


def test_it_exports_every_record_and_file_of_the_child(admin_client, child, village):
    other = make_child(village, name="Anak Lain")
    make_submission(village, child=other, child_name="Anak Lain")

    r = export(admin_client, child)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    assert r["Content-Disposition"] == f'attachment; filename="data-anak-{child.pk}.zip"'
    assert "no-store" in r["Cache-Control"]

    archive = zipfile.ZipFile(io.BytesIO(r.content))
    data = json.loads(archive.read("data.json"))
    assert data["anak"] == f"registrations.Child#{child.pk}"
    records = data["data"]
    [exported] = records["registrations.Child"]
    assert exported["fields"]["name"] == "Bunga Citra"
    assert exported["fields"]["nik"] == "1901015001240001"
    assert [s["pk"] for s in records["registrations.Submission"]] == [child.report.pk]
    assert len(records["registrations.Document"]) == 2
    assert len(records["registrations.SubmissionVersion"]) == 1
    assert len(records["registrations.Measurement"]) == 1
    assert len(records["interventions.Intervention"]) == 1
    assert [d["pk"] for d in records["interventions.Delivery"]] == [child.delivery.pk]
    # The audit history comes along.
    assert records["registrations.HistoricalChild"]
    assert records["interventions.HistoricalDelivery"]
    assert "Anak Lain" not in archive.read("data.json").decode()
    assert "registrations.AccessLog" not in records

    names = sorted(n for n in archive.namelist() if n.startswith("berkas/"))
    assert len(names) == 3
    for doc in child.report.documents.all():
        path = f"berkas/document-{doc.pk}-file.jpg"
        with doc.file.open("rb") as f:
            assert archive.read(path) == f.read()
    with child.delivery.photo.open("rb") as f:
        assert archive.read(f"berkas/delivery-{child.delivery.pk}-photo.jpg") == f.read()


def test_it_writes_the_export_to_the_access_log(admin_client, child):
    export(admin_client, child)
    log = AccessLog.objects.get()
    assert log.action == EXPORT_CHILD_DATA == "export_child"
    assert log.target == child
    assert log.user.is_superuser
    assert f"anak #{child.pk}" in log.detail
    assert "UU 27/2022" in log.detail


def test_it_exports_one_child_at_a_time(admin_client, child, village):
    other = make_child(village, name="Anak Lain")
    r = export(admin_client, child, other)
    assert r.status_code == 302
    assert AccessLog.objects.count() == 0
    page = admin_client.get(URL).content.decode()
    assert "Pilih tepat satu anak untuk diekspor." in page


def test_it_is_for_administrators_only(client, child):
    staff = make_user("staf-admin", VERIFIKATOR_GROUP)
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_child"))
    client.force_login(staff)
    # Children are the superuser's in the admin, whatever permissions staff hold.
    assert client.get(URL).status_code == 403
    r = export(client, child)
    assert r.status_code == 403
    assert r.get("Content-Type") != "application/zip"
    assert AccessLog.objects.count() == 0
    assert Child.objects.count() == 1
