from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from interventions.models import Intervention, InterventionType, Partner
from registrations.models import Village
from tests.builders import kind, make_child, make_intervention

pytestmark = pytest.mark.django_db

S = Intervention.Status


# --- reference data from the data migration --------------------------------------


def test_it_seeded_the_guideline_partners():
    expected = {
        "Kecamatan Sungailiat": "government",
        "Puskesmas Sungailiat": "health",
        "TP PKK (Bina Keluarga Balita)": "community",
        "PT Timah Tbk": "private",
        "KADIN Kabupaten Bangka": "private",
        "RS Siloam": "health",
    }
    seeded = {
        p.name: p.kind
        for p in Partner.objects.filter(name__in=expected, village__isnull=True, is_active=True)
    }
    assert seeded == expected


def test_it_seeded_one_government_partner_per_village():
    villages = Village.objects.all()
    assert villages.count() == 13
    governments = Partner.objects.filter(village__isnull=False)
    assert governments.count() == 13
    assert set(governments.values_list("village", flat=True)) == set(
        villages.values_list("pk", flat=True)
    )
    assert set(governments.values_list("kind", flat=True)) == {"government"}
    matras = Partner.objects.get(village__code="19.01.01.1009")
    assert matras.name == "Pemerintah Kelurahan Matras"
    rebo = Partner.objects.get(village__code="19.01.01.2007")
    assert rebo.name == "Pemerintah Desa Rebo"
    assert Partner.objects.count() == 6 + 13


def test_it_seeded_the_intervention_types_for_children_and_for_mothers():
    types = {
        t.name: (t.target, t.default_duration_days, t.has_quantity, t.quantity_unit, t.is_active)
        for t in InterventionType.objects.all()
    }
    assert types == {
        "PMT": ("child", 90, True, "paket", True),
        "Pemantauan kesehatan": ("child", 90, False, "", True),
        "Pendampingan orang tua (BKB)": ("child", 90, False, "", True),
        "Rujukan ke fasilitas kesehatan": ("child", 30, False, "", True),
        "PMT ibu hamil KEK": ("mother", 120, True, "paket", True),
        "Tablet tambah darah": ("mother", 90, True, "tablet", True),
        "Kelas ibu hamil": ("mother", 90, False, "", True),
        "Pendampingan menyusui": ("mother", 180, False, "", True),
    }


def test_it_gave_the_groups_their_intervention_permissions():
    def perms(group):
        return set(
            Group.objects.get(name=group)
            .permissions.filter(content_type__app_label="interventions")
            .values_list("codename", flat=True)
        )

    assert perms("Verifikator Kecamatan") == {
        "view_partner",
        "add_partner",
        "change_partner",
        "view_partnermember",
        "add_partnermember",
        "change_partnermember",
        "view_interventiontype",
        "add_interventiontype",
        "change_interventiontype",
        "view_intervention",
        "add_intervention",
        "change_intervention",
        "view_delivery",
        # Group activities (any partner's) and the obstacles' worklist, to handle them.
        "view_activity",
        "add_activity",
        "change_activity",
        "view_obstacle",
        "change_obstacle",
    }
    assert perms("Pimpinan") == {
        "view_partner",
        "view_intervention",
        "view_delivery",
        "view_activity",
        "view_obstacle",
    }
    assert perms("Mitra") == {"work_as_partner"}
    assert perms("Pemerintah Kelurahan/Desa") == {"view_village"}


# --- workflow ------------------------------------------------------------------------


def test_its_transitions_only_move_forward():
    assert Intervention.TRANSITIONS == {
        S.PLANNED: {S.RUNNING, S.CANCELLED},
        S.RUNNING: {S.DONE, S.CANCELLED},
        S.DONE: set(),
        S.CANCELLED: set(),
    }
    assert set(Intervention.OPEN) == {S.PLANNED, S.RUNNING}


@pytest.mark.parametrize(
    "current,target,allowed",
    [
        (S.PLANNED, S.RUNNING, True),
        (S.PLANNED, S.CANCELLED, True),
        (S.PLANNED, S.DONE, False),
        (S.PLANNED, S.PLANNED, False),
        (S.RUNNING, S.DONE, True),
        (S.RUNNING, S.CANCELLED, True),
        (S.RUNNING, S.PLANNED, False),
        (S.RUNNING, S.RUNNING, False),
        (S.DONE, S.RUNNING, False),
        (S.DONE, S.CANCELLED, False),
        (S.DONE, S.PLANNED, False),
        (S.CANCELLED, S.RUNNING, False),
        (S.CANCELLED, S.DONE, False),
        (S.CANCELLED, S.PLANNED, False),
    ],
)
def test_it_knows_which_status_may_follow(current, target, allowed):
    assert Intervention(status=current).can_become(target) is allowed


def test_it_computes_the_planned_end_from_the_default_duration():
    pmt = kind("PMT")
    assert Intervention.planned_end_for(pmt, date(2026, 1, 1)) == date(2026, 4, 1)  # +90
    pmt.default_duration_days = 56
    assert Intervention.planned_end_for(pmt, date(2026, 1, 1)) == date(2026, 2, 26)
    rujukan = kind("Rujukan ke fasilitas kesehatan")
    assert Intervention.planned_end_for(rujukan, date(2026, 2, 15)) == date(2026, 3, 17)
    no_default = InterventionType(name="Kunjungan rumah", default_duration_days=None)
    assert Intervention.planned_end_for(no_default, date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    "status,days_after_end,overdue",
    [
        (S.PLANNED, 1, True),
        (S.RUNNING, 1, True),
        (S.DONE, 1, False),
        (S.CANCELLED, 1, False),
        (S.PLANNED, 0, False),  # due today: not late yet
        (S.RUNNING, -5, False),
    ],
)
def test_it_knows_when_an_intervention_is_overdue(
    clock, village, verifikator, status, days_after_end, overdue
):
    today = timezone.localdate()
    end = today - timedelta(days=days_after_end)
    i = make_intervention(
        make_child(village),
        created_by=verifikator,
        status=status,
        start_date=end - timedelta(days=30),
        planned_end=end,
    )
    assert i.is_overdue is overdue
    assert (i in Intervention.objects.overdue()) is overdue


def test_it_compares_overdue_with_the_given_day(village, verifikator):
    i = make_intervention(
        make_child(village),
        created_by=verifikator,
        start_date=date(2026, 1, 1),
        planned_end=date(2026, 3, 1),
    )
    assert list(Intervention.objects.overdue(today=date(2026, 3, 1))) == []
    assert list(Intervention.objects.overdue(today=date(2026, 3, 2))) == [i]


def test_its_planned_end_cannot_be_before_the_start(village, verifikator):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_intervention(
            make_child(village),
            created_by=verifikator,
            start_date=date(2026, 3, 2),
            planned_end=date(2026, 3, 1),
        )
    assert not Intervention.objects.exists()


# --- first opened by the partner ------------------------------------------------------


def test_the_migration_counts_an_assignment_with_deliveries_as_opened(village):
    from importlib import import_module

    from django.apps import apps

    from tests.builders import make_delivery, partner_user

    worked = make_intervention(make_child(village, name="Anak Dilayani"))
    untouched = make_intervention(make_child(village, name="Anak Belum"))
    user = partner_user("timah")
    first = make_delivery(worked, user)
    make_delivery(worked, user, date=worked.start_date + timedelta(days=1))
    Intervention.objects.update(partner_opened_at=None)

    migration = import_module("interventions.migrations.0004_partner_opened_at")
    migration.mark_worked_assignments_opened(apps, None)

    worked.refresh_from_db()
    untouched.refresh_from_db()
    assert worked.partner_opened_at == first.created_at
    assert untouched.partner_opened_at is None
    assert untouched.is_new_for_partner and not worked.is_new_for_partner


def test_marking_opened_keeps_the_first_time(village):
    i = make_intervention(make_child(village))
    first = timezone.now() - timedelta(days=1)
    assert Intervention.objects.filter(pk=i.pk).mark_opened_by_partner(first) == 1
    assert Intervention.objects.filter(pk=i.pk).mark_opened_by_partner() == 0
    i.refresh_from_db()
    assert i.partner_opened_at == first


def test_new_for_partner_leaves_out_closed_and_other_partners_assignments(village):
    new = make_intervention(make_child(village))
    make_intervention(make_child(village), status=S.DONE, finished_on=timezone.localdate())
    make_intervention(make_child(village), status=S.CANCELLED)
    make_intervention(make_child(village), "Puskesmas Sungailiat")
    timah = Partner.objects.get(name="PT Timah Tbk")
    assert list(Intervention.objects.new_for_partner(timah)) == [new]


def test_the_first_opened_time_is_not_an_editable_field():
    from django.contrib import admin
    from django.forms import modelform_factory
    from django.test import RequestFactory

    from tests.builders import kecamatan_user

    # Not in any form, so saving a form loaded before the partner opened it cannot erase it.
    assert "partner_opened_at" not in modelform_factory(Intervention, fields="__all__").base_fields
    request = RequestFactory().get("/")
    request.user = kecamatan_user()
    request.user.is_superuser = True
    form = admin.site._registry[Intervention].get_form(request)
    assert "partner_opened_at" not in form.base_fields
