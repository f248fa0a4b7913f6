import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from interventions.models import Activity, Delivery, Intervention, Obstacle, PartnerMember
from registrations.models import Child, Mother, MotherReport, Posyandu, Submission
from verification.models import Decision

pytestmark = pytest.mark.django_db


def test_it_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("seed_demo")
    assert Posyandu.objects.count() == 0
    assert not get_user_model().objects.exists()
    assert not Submission.objects.exists()


def test_it_creates_demo_data_and_can_run_again(settings, capsys, media_root):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username, role in [
        ("admin", "Admin"),
        ("verifikator", "Verifikator Kecamatan"),
        ("pimpinan", "Pimpinan"),
        ("mitra-timah", "Mitra"),
        ("mitra-puskesmas", "Mitra"),
        ("desa", "Pemerintah Kelurahan/Desa"),
    ]:
        assert username in out and role in out
        user = get_user_model().objects.get(username=username)
        assert user.check_password("gasken-demo")
        if username != "admin":
            assert list(user.groups.values_list("name", flat=True)) == [role]
    assert get_user_model().objects.get(username="admin").is_superuser
    # The verifikator keeps master data in the admin; nobody else but the admin is staff.
    staff = get_user_model().objects.filter(is_staff=True).values_list("username", flat=True)
    assert sorted(staff) == ["admin", "verifikator"]
    members = dict(PartnerMember.objects.values_list("user__username", "partner__name"))
    assert members == {
        "mitra-timah": "PT Timah Tbk",
        "mitra-puskesmas": "Puskesmas Sungailiat",
        "desa": "Pemerintah Kelurahan Matras",
    }
    # Five for children; three for the two registered mothers.
    assert Intervention.objects.filter(child__isnull=False).count() == 5
    assert sorted(
        Intervention.objects.filter(mother__isnull=False).values_list("mother__name", "kind__name")
    ) == [
        ("Rahmawati", "Pendampingan menyusui"),
        ("Wulan Sari", "Kelas ibu hamil"),
        ("Wulan Sari", "PMT ibu hamil KEK"),
    ]
    assert Delivery.objects.count() == 4 + 2
    # The open assignments nobody has delivered on yet met an obstacle.
    assert Obstacle.objects.filter(status=Obstacle.Status.OPEN).count() == 2
    assert Activity.objects.count() == 2
    assert sum(a.people for a in Activity.objects.all()) == 56

    assert Posyandu.objects.filter(is_demo=True).count() == 26
    assert Posyandu.objects.values("village").distinct().count() == 13
    assert Submission.objects.count() == 8
    assert Submission.objects.filter(status="pending").count() == 3
    assert Submission.objects.filter(status="needs_correction").count() == 1
    assert Child.objects.count() == 4
    for s in Submission.objects.all():
        assert s.documents.count() == 1
        assert s.measurement.haz is not None
        assert s.versions.count() == 1
    assert MotherReport.objects.count() == 4
    assert MotherReport.objects.filter(status="pending").count() == 2
    assert sorted(Mother.objects.values_list("name", "mother_status", "is_kek")) == [
        ("Rahmawati", "breastfeeding", False),
        ("Wulan Sari", "pregnant", True),
    ]
    for r in MotherReport.objects.all():
        assert r.documents.count() == 1 and r.versions.count() == 1
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 8 + 4

    call_command("seed_demo")
    assert Posyandu.objects.count() == 26
    assert Submission.objects.count() == 8
    assert Child.objects.count() == 4
    assert Decision.objects.count() == 5 + 2
    assert (MotherReport.objects.count(), Mother.objects.count()) == (4, 2)
    assert Intervention.objects.count() == 5 + 3
    assert Delivery.objects.count() == 4 + 2
    assert (Obstacle.objects.count(), Activity.objects.count()) == (2, 2)
    assert get_user_model().objects.count() == 6
