"""The data migrations that rewrite stored codes and move the access log, run backwards to
the schema before them and forwards again on rows saved there."""

from django.contrib.contenttypes.models import ContentType

from interventions.models import Delivery, Intervention, Partner
from registrations.models import AccessLog, Child, Document, Measurement, Submission
from tests.builders import (
    PMT,
    TIMAH,
    old_child,
    old_delivery,
    old_document,
    old_history,
    old_intervention,
    old_measurement,
    old_submission,
    old_user,
)

# Before the codes became English and the intervention's type became its kind.
BEFORE_CODES = [
    ("registrations", "0014_child_merged_into_measurement_sources"),
    ("interventions", "0007_verifikator_admin"),
]
# Before the access log became generic.
BEFORE_GENERIC_LOG = [
    ("registrations", "0016_measurement_source_partner"),
    ("interventions", "0010_intervention_kind"),
]


def test_stored_codes_are_rewritten_forwards_and_backwards(migrate):
    apps = migrate(*BEFORE_CODES)
    user = old_user(apps)
    reports = {
        old: old_submission(apps, status=old).pk
        for old in ("menunggu", "terverifikasi", "perlu_perbaikan", "ditolak")
    }
    child = old_child(apps)
    by_partner = old_measurement(apps, child, source="mitra").pk
    by_kader = old_measurement(apps, child, source="kader").pk
    # Staff type in where a measurement was taken; only the partner's code changes.
    by_staff = {
        source: old_measurement(apps, child, source=source).pk
        for source in ("kecamatan", "puskesmas", "posyandu")
    }
    pmt = apps.get_model("interventions", "InterventionType").objects.get(name=PMT)
    running = old_intervention(apps, child, user, type=pmt, status="berjalan")
    old_history(apps, running, user, status="direncanakan", history_type="+")
    old_history(apps, running, user)
    cancelled = old_intervention(apps, child, user, type=pmt, status="dibatalkan").pk
    Partner_ = apps.get_model("interventions", "Partner")
    assert Partner_.objects.get(name=TIMAH).kind == "swasta"

    migrate()
    assert {old: Submission.objects.get(pk=pk).status for old, pk in reports.items()} == {
        "menunggu": "pending",
        "terverifikasi": "verified",
        "perlu_perbaikan": "needs_correction",
        "ditolak": "rejected",
    }
    assert Measurement.objects.get(pk=by_partner).source == "partner"
    assert Measurement.objects.get(pk=by_kader).source == "kader"
    assert {source: Measurement.objects.get(pk=pk).source for source, pk in by_staff.items()} == {
        source: source for source in by_staff
    }
    intervention = Intervention.objects.get(pk=running.pk)
    assert (intervention.status, intervention.kind.name) == ("running", PMT)
    history = intervention.history.order_by("history_id")
    assert [(h.status, h.kind_id) for h in history] == [("planned", pmt.pk), ("running", pmt.pk)]
    assert Intervention.objects.get(pk=cancelled).status == "cancelled"
    # Only the open ones are in the partner page's partial index again.
    assert list(Intervention.objects.filter(status__in=Intervention.OPEN)) == [intervention]
    kinds = dict(Partner.objects.values_list("name", "kind"))
    assert (kinds[TIMAH], kinds["Puskesmas Sungailiat"]) == ("private", "health")
    assert kinds["TP PKK (Bina Keluarga Balita)"] == "community"
    assert kinds["Kecamatan Sungailiat"] == kinds["Pemerintah Desa Rebo"] == "government"

    apps = migrate(*BEFORE_CODES)
    Submission_ = apps.get_model("registrations", "Submission")
    assert {old: Submission_.objects.get(pk=pk).status for old, pk in reports.items()} == {
        old: old for old in reports
    }
    assert apps.get_model("registrations", "Measurement").objects.get(pk=by_partner).source == (
        "mitra"
    )
    Intervention_ = apps.get_model("interventions", "Intervention")
    again = Intervention_.objects.get(pk=running.pk)
    assert (again.status, again.type_id) == ("berjalan", pmt.pk)
    History = apps.get_model("interventions", "HistoricalIntervention")
    assert list(History.objects.order_by("history_id").values_list("status", flat=True)) == [
        "direncanakan",
        "berjalan",
    ]
    assert Intervention_.objects.get(pk=cancelled).status == "dibatalkan"
    assert apps.get_model("interventions", "Partner").objects.get(name=TIMAH).kind == "swasta"


def test_the_access_log_gets_generic_targets_forwards_and_loses_them_backwards(migrate):
    apps = migrate(*BEFORE_GENERIC_LOG)
    user = old_user(apps)
    report = old_submission(apps)
    document = old_document(apps, report)
    child = old_child(apps, name="Bunga Citra")
    pmt = apps.get_model("interventions", "InterventionType").objects.get(name=PMT)
    delivery = old_delivery(apps, old_intervention(apps, child, user, kind=pmt), user)
    code = f"{report.code[:4]}-{report.code[4:8]}-{report.code[8:]}"
    Log = apps.get_model("registrations", "AccessLog")
    rows = {
        name: Log.objects.create(user=user, action=action, detail=detail, **extra).pk
        for name, action, detail, extra in [
            ("document", "view_document", f"Kartu Keluarga laporan {code}", {"document": document}),
            ("report", "view_child", f"Laporan {code} (Putri Ayu)", {}),
            ("child", "view_child", f"Data anak #{child.pk} (Bunga Citra)", {}),
            ("gone", "view_child", "Data anak #999999 (Sudah dihapus)", {}),
            ("photo", "view_photo", f"Foto layanan #{delivery.pk} (PMT – Bunga Citra)", {}),
            ("export", "export", f"Ekspor data anak #{child.pk} (permintaan subjek data)", {}),
            ("workbook", "export", "rekap-desa-2026-06-15.xlsx · 13 baris · Periode", {}),
        ]
    }

    migrate()
    logs = {name: AccessLog.objects.get(pk=pk) for name, pk in rows.items()}
    assert logs["document"].target == Document.objects.get(pk=document.pk)
    assert logs["report"].target == Submission.objects.get(pk=report.pk)
    assert logs["child"].target == Child.objects.get(pk=child.pk)
    assert logs["photo"].target == Delivery.objects.get(pk=delivery.pk)
    assert (logs["export"].action, logs["export"].target) == ("export_child", logs["child"].target)
    assert (logs["workbook"].action, logs["workbook"].target_type) == ("export", None)
    assert (logs["gone"].action, logs["gone"].target_type) == ("view_child", None)
    # The texts stay as they were written.
    assert logs["photo"].detail == f"Foto layanan #{delivery.pk} (PMT – Bunga Citra)"
    assert logs["photo"].get_action_display() == "Melihat foto layanan"
    assert ContentType.objects.get_for_id(logs["photo"].target_type_id).app_label == (
        "interventions"
    )

    apps = migrate(*BEFORE_GENERIC_LOG)
    Log = apps.get_model("registrations", "AccessLog")
    old = {name: Log.objects.get(pk=pk) for name, pk in rows.items()}
    assert old["document"].document_id == document.pk
    assert {name: log.action for name, log in old.items()} == {
        "document": "view_document",
        "report": "view_child",
        "child": "view_child",
        "gone": "view_child",
        "photo": "view_photo",
        "export": "export",
        "workbook": "export",
    }
    assert [name for name, log in old.items() if log.document_id] == ["document"]
