"""A small, hand-made programme for the monitoring tests, with its expected figures.

The clock is pinned at NOW (15 June 2026); the default period is 2026. Matras (the `village`
fixture) has seven active children and one exited, Rebo (`other_village`) one child. Each
test writes the numbers it expects; the comments here say where they come from.

Group activities in 2026: A1 outreach (Matras, Posyandu Melati, 5 February, PT Timah and the
Puskesmas, 20 parents and 5 mothers: 25 people), A2 BKB class (Matras, 20 February, KADIN,
10 parents and 2 kader: 12), A3 PMT cooking demo (Rebo, 10 May, Puskesmas, 8 mothers,
2 officials and 1 other: 11); A4 kader training (Matras, December 2025, 15 kader) is before
the period.

Obstacles in 2026: on Andi's PMT "tidak dapat dihubungi" (1 March, open) and "anak sakit"
(1 April, handled), on Fajar's monitoring "anak sakit" (20 May, open), on Dodi's planned PMT
"bantuan terlambat" (10 June, open), on Rudi's PMT in Rebo "menolak bantuan" (15 May,
handled); Hana's "lainnya" (20 December 2025) is before the period.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from interventions.models import Activity, Intervention, Obstacle
from registrations import growth
from registrations.models import (
    Child,
    Measurement,
    Mother,
    MotherReport,
    Posyandu,
    Submission,
    Village,
)
from tests.builders import (
    kecamatan_user,
    make_activity,
    make_child,
    make_delivery,
    make_intervention,
    make_mother,
    make_mother_check,
    make_mother_report,
    make_obstacle,
    make_submission,
)
from verification.models import Decision
from verification.services import submission_decide

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
TODAY = NOW.date()
MATRAS, REBO = "19.01.01.1009", "19.01.01.2007"
TIMAH, PUSKESMAS, KADIN = "PT Timah Tbk", "Puskesmas Sungailiat", "KADIN Kabupaten Bangka"
PMT, PEMANTAUAN = "PMT", "Pemantauan kesehatan"

Status = Intervention.Status


def _closest_tenth(z_of, target, low, high):
    """The value in tenths between `low` and `high` whose z-score (increasing with the value)
    is closest to `target`, found by bisection."""
    lo, hi = low, high
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if z_of(Decimal(mid) / 10) < target:
            lo = mid
        else:
            hi = mid
    return min((Decimal(lo) / 10, Decimal(hi) / 10), key=lambda v: abs(z_of(v) - target))


def height_for(sex, birth_date, on, haz):
    """The length/height (cm, one decimal, standing) whose HAZ is closest to `haz`."""
    return _closest_tenth(
        lambda cm: growth.assess(sex, birth_date, on, cm, None, False).haz, haz, 450, 1300
    )


def weight_for(sex, birth_date, on, height_cm, whz=0.0):
    """The weight (kg, one decimal) whose BB/TB z-score is closest to `whz`."""
    return _closest_tenth(
        lambda kg: growth.assess(sex, birth_date, on, height_cm, kg, False).whz or 0,
        whz,
        20,
        300,
    )


def measure(child, on, haz, *, source=Measurement.Source.PUSKESMAS):
    """A measurement of `child` on `on` with a HAZ close to `haz` and a normal BB/TB."""
    cm = height_for(child.sex, child.birth_date, on, haz)
    m = Measurement(
        child=child,
        measured_on=on,
        height_cm=cm,
        weight_kg=weight_for(child.sex, child.birth_date, on, cm),
        position="standing",
        source=source,
    )
    m.save()
    return m


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def report(village, posyandu, *, name, sex, birth, measured_on, haz, created, **fields):
    """A kader's report sent at `created` (a date), whose measurement has a HAZ near `haz`."""
    cm = height_for(sex, birth, measured_on, haz)
    s = make_submission(
        village,
        posyandu,
        child_name=name,
        child_sex=sex,
        birth_date=birth,
        measured_on=measured_on,
        height_cm=cm,
        weight_kg=weight_for(sex, birth, measured_on, cm),
        measurement_position="standing",
        **fields,
    )
    Submission.objects.filter(pk=s.pk).update(created_at=at(created))
    s.refresh_from_db()
    return s


def decided(submission, action, days, child=None):
    """Decide on the report `days` days after it was sent; returns the decision."""
    submission.refresh_from_db()
    user = kecamatan_user()
    with time_machine.travel(submission.created_at + timedelta(days=days), tick=False):
        return submission_decide(
            submission=submission,
            action=action,
            user=user,
            child=child,
            note="catatan" if action in (Decision.Action.REJECTED,) else "",
        )


def child_of(submission):
    submission.refresh_from_db()
    return Child.objects.get(pk=submission.child_id)


def intervene(child, partner_name, kind_name, status, start, *, end=None, finished=None, days=90):
    i = make_intervention(
        child,
        partner_name,
        kind_name=kind_name,
        status=status,
        start_date=start,
        planned_end=end or start + timedelta(days=days),
        started_on=start if status in (Status.RUNNING, Status.DONE) else None,
        finished_on=finished,
    )
    return i


@dataclass
class Dataset:
    matras: Village
    rebo: Village
    children: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    interventions: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)
    obstacles: dict = field(default_factory=dict)
    mothers: dict = field(default_factory=dict)
    mother_reports: dict = field(default_factory=dict)


def build():
    """The programme described in the module docstring; call with the clock at NOW."""
    matras = Village.objects.get(code=MATRAS)
    rebo = Village.objects.get(code=REBO)
    melati = Posyandu.objects.create(name="Melati", village=matras, code="melati")
    Posyandu.objects.create(name="Mawar", village=matras, code="mawar")  # sends nothing
    Posyandu.objects.create(name="Kamboja", village=matras, code="kamboja", is_active=False)
    kenanga = Posyandu.objects.create(name="Kenanga", village=rebo, code="kenanga")
    ds = Dataset(matras=matras, rebo=rebo)
    V, M, C, R = (
        Decision.Action.VERIFIED_NEW,
        Decision.Action.MERGED,
        Decision.Action.NEEDS_CORRECTION,
        Decision.Action.REJECTED,
    )

    def rep(key, village=matras, posyandu=melati, **kw):
        ds.reports[key] = report(village, posyandu, **kw)
        return ds.reports[key]

    # Andi (L): severely stunted, stays so ("tetap"); PMT by PT Timah running.
    s = rep(
        "S1",
        name="Andi Saputra",
        sex="L",
        birth=date(2024, 1, 10),
        measured_on=date(2026, 1, 30),
        haz=-3.5,
        created=date(2026, 2, 1),
    )
    decided(s, V, 2)
    andi = ds.children["andi"] = child_of(s)
    measure(andi, date(2026, 5, 1), -3.45)

    # Bunga (P): two reports in the period merged into one child; pendek → normal after
    # Puskesmas monitoring (finished): she left stunting.
    s = rep(
        "S2",
        name="Bunga Lestari",
        sex="P",
        birth=date(2024, 3, 1),
        measured_on=date(2026, 1, 9),
        haz=-2.5,
        created=date(2026, 1, 10),
    )
    decided(s, V, 2)
    bunga = ds.children["bunga"] = child_of(s)
    s = rep(
        "S3",
        name="Bunga Lestari",
        sex="P",
        birth=date(2024, 3, 1),
        measured_on=date(2026, 2, 28),
        haz=-2.3,
        created=date(2026, 3, 1),
    )
    decided(s, M, 4, child=bunga)
    measure(bunga, date(2026, 5, 1), -1.5)

    # Citra (P): pendek, sent back once then verified; her only PMT was cancelled; last
    # measured 1 February.
    s = rep(
        "S4",
        name="Citra Dewi",
        sex="P",
        birth=date(2023, 8, 1),
        measured_on=date(2026, 2, 1),
        haz=-2.4,
        created=date(2026, 2, 10),
    )
    decided(s, C, 1)
    Submission.objects.filter(pk=s.pk).update(status=Submission.Status.PENDING, version=2)
    decided(s, V, 10)
    ds.children["citra"] = child_of(s)

    # Dodi (L): normal, yet a PMT is planned for him.
    s = rep(
        "S5",
        name="Dodi Pratama",
        sex="L",
        birth=date(2024, 6, 1),
        measured_on=date(2026, 3, 31),
        haz=-0.5,
        created=date(2026, 4, 1),
    )
    decided(s, V, 10)
    ds.children["dodi"] = child_of(s)

    # Eka (P): pendek, helped (PMT finished), then moved away: exited.
    s = rep(
        "S6",
        name="Eka Putri",
        sex="P",
        birth=date(2023, 5, 1),
        measured_on=date(2026, 1, 4),
        haz=-2.6,
        created=date(2026, 1, 5),
    )
    decided(s, V, 3)
    eka = ds.children["eka"] = child_of(s)
    Child.objects.filter(pk=eka.pk).update(
        programme_status=Child.ProgrammeStatus.EXITED,
        exit_reason=Child.ExitReason.MOVED,
        exit_date=date(2026, 4, 1),
    )

    # Fajar (L): turns five on 1 July 2026; sangat pendek → pendek ("membaik");
    # Puskesmas monitoring running and overdue.
    s = rep(
        "S7",
        name="Fajar Nugroho",
        sex="L",
        birth=date(2021, 7, 1),
        measured_on=date(2026, 1, 19),
        haz=-3.4,
        created=date(2026, 1, 20),
    )
    decided(s, V, 7)
    fajar = ds.children["fajar"] = child_of(s)
    measure(fajar, date(2026, 6, 1), -2.6, source=Measurement.Source.PARTNER)

    # Gilang (L): registered before GASKEN kept measurements: never measured.
    ds.children["gilang"] = make_child(
        matras, name="Gilang Ramadhan", sex="L", birth_date=date(2025, 1, 1)
    )

    # Hana (P): reported last year (normal), pendek now ("memburuk"); KADIN PMT running.
    s = rep(
        "S0",
        name="Hana Safitri",
        sex="P",
        birth=date(2023, 11, 1),
        measured_on=date(2025, 10, 30),
        haz=-1.9,
        created=date(2025, 11, 1),
    )
    decided(s, V, 2)
    hana = ds.children["hana"] = child_of(s)
    measure(hana, date(2026, 4, 15), -2.2)

    # Reports still open or refused, by another kader (and one by Siti typed differently).
    rep(
        "S8",
        name="Intan",
        sex="P",
        birth=date(2025, 2, 1),
        measured_on=date(2026, 5, 31),
        haz=-1.0,
        created=date(2026, 6, 1),
        kader_name="Dewi Anggraini",
        kader_phone="6281300000001",
    )
    rep(
        "S9",
        name="Joko",
        sex="L",
        birth=date(2025, 3, 1),
        measured_on=date(2026, 6, 13),
        haz=-1.0,
        created=date(2026, 6, 14),
        kader_name="Dewi Anggraini",
        kader_phone="6281300000001",
    )
    s = rep(
        "S10",
        name="Kiki",
        sex="L",
        birth=date(2025, 4, 1),
        measured_on=date(2026, 4, 30),
        haz=-1.0,
        created=date(2026, 5, 1),
        kader_name=" SITI AMINAH",
    )
    decided(s, R, 1)
    s = rep(
        "S11",
        name="Lina",
        sex="P",
        birth=date(2025, 5, 1),
        measured_on=date(2026, 5, 9),
        haz=-1.0,
        created=date(2026, 5, 10),
    )
    decided(s, C, 6)

    # Rebo: Rudi (L), sangat pendek, only a planned (overdue) PMT; one report pending.
    s = rep(
        "R1",
        rebo,
        kenanga,
        name="Rudi Hartono",
        sex="L",
        birth=date(2024, 2, 1),
        measured_on=date(2026, 2, 28),
        haz=-3.2,
        created=date(2026, 3, 1),
        kader_name="Rina Kader",
        kader_phone="6281300000002",
    )
    decided(s, V, 1)
    rudi = ds.children["rudi"] = child_of(s)
    rep(
        "R2",
        rebo,
        kenanga,
        name="Sari",
        sex="P",
        birth=date(2025, 1, 1),
        measured_on=date(2026, 4, 30),
        haz=-1.0,
        created=date(2026, 5, 1),
        kader_name="Rina Kader",
        kader_phone="6281300000002",
    )

    staff = kecamatan_user()
    iv = ds.interventions
    iv["andi_pmt"] = intervene(
        andi, TIMAH, PMT, Status.RUNNING, date(2026, 2, 10), end=date(2026, 8, 31)
    )
    make_delivery(iv["andi_pmt"], staff, date=date(2026, 2, 10))
    make_delivery(iv["andi_pmt"], staff, date=date(2026, 3, 10))
    iv["bunga_pantau"] = intervene(
        bunga, PUSKESMAS, PEMANTAUAN, Status.DONE, date(2025, 12, 1), finished=date(2026, 5, 5)
    )
    make_delivery(iv["bunga_pantau"], staff, date=date(2025, 12, 15))
    make_delivery(iv["bunga_pantau"], staff, date=date(2026, 2, 15))
    iv["citra_pmt"] = intervene(
        ds.children["citra"],
        TIMAH,
        PMT,
        Status.CANCELLED,
        date(2026, 2, 15),
        finished=date(2026, 2, 20),
    )
    iv["dodi_pmt"] = intervene(ds.children["dodi"], TIMAH, PMT, Status.PLANNED, date(2026, 4, 15))
    iv["eka_pmt"] = intervene(
        eka, TIMAH, PMT, Status.DONE, date(2026, 1, 10), finished=date(2026, 3, 1)
    )
    iv["fajar_pantau"] = intervene(
        fajar, PUSKESMAS, PEMANTAUAN, Status.RUNNING, date(2026, 1, 25), end=date(2026, 4, 25)
    )
    make_delivery(iv["fajar_pantau"], staff, date=date(2026, 2, 1))
    iv["hana_pmt"] = intervene(
        hana, KADIN, PMT, Status.RUNNING, date(2026, 3, 1), end=date(2026, 7, 1)
    )
    iv["rudi_pmt"] = intervene(
        rudi, TIMAH, PMT, Status.PLANNED, date(2026, 5, 1), end=date(2026, 5, 20)
    )
    for key in ("andi", "bunga", "citra", "dodi", "eka", "fajar", "gilang", "hana", "rudi"):
        ds.children[key].refresh_from_db()

    Kind = Activity.Kind
    ds.activities = {
        "A1": make_activity(
            matras,
            (TIMAH, PUSKESMAS),
            kind=Kind.OUTREACH,
            date=date(2026, 2, 5),
            posyandu=melati,
            parents_count=20,
            mothers_count=5,
        ),
        "A2": make_activity(
            matras,
            (KADIN,),
            kind=Kind.BKB_CLASS,
            date=date(2026, 2, 20),
            parents_count=10,
            kader_count=2,
        ),
        "A3": make_activity(
            rebo,
            (PUSKESMAS,),
            kind=Kind.PMT_COOKING_DEMO,
            date=date(2026, 5, 10),
            parents_count=0,
            mothers_count=8,
            officials_count=2,
            others_count=1,
        ),
        "A4": make_activity(
            matras,
            (PUSKESMAS,),
            kind=Kind.KADER_TRAINING,
            date=date(2025, 12, 1),
            parents_count=0,
            kader_count=15,
        ),
    }
    Problem = Obstacle.Kind
    ds.obstacles = {
        "O1": make_obstacle(iv["andi_pmt"], kind=Problem.UNREACHABLE, date=date(2026, 3, 1)),
        "O2": make_obstacle(
            iv["andi_pmt"], kind=Problem.CHILD_ILL, date=date(2026, 4, 1), handled_by=staff
        ),
        "O3": make_obstacle(iv["fajar_pantau"], kind=Problem.CHILD_ILL, date=date(2026, 5, 20)),
        "O4": make_obstacle(
            iv["rudi_pmt"], kind=Problem.REFUSED, date=date(2026, 5, 15), handled_by=staff
        ),
        "O5": make_obstacle(
            iv["hana_pmt"],
            kind=Problem.OTHER,
            date=date(2025, 12, 20),
            description="Stok PMT habis",
        ),
        "O6": make_obstacle(iv["dodi_pmt"], kind=Problem.HELP_LATE, date=date(2026, 6, 10)),
    }
    return ds


# --- Pregnant and breastfeeding mothers ------------------------------------------------
#
# On top of build() (call with the clock at NOW), by add_mothers():
# Matras: Siti (hamil, LiLA 22.8, Hb 10.5: KEK and anaemic; PMT ibu hamil KEK by the
# Puskesmas running since 1 April with a delivery on 1 May and an open obstacle
# "tidak dapat dihubungi" on 5 May), Rina (menyusui, LiLA 25.0, Hb 10.0: anaemic; no help),
# Dewi (hamil, LiLA 22.0, Hb 12.0: KEK; only a planned kelas ibu hamil by PT Timah, overdue
# since 1 April), Yuni (exited, KEK), Siti's double (merged into Siti).
# Rebo: Lina (hamil, LiLA 25.0, no Hb; kelas ibu hamil by the Puskesmas finished 1 May).
# Mothers' reports: Matras 1 March 2026 (pending), 1 February 2026 (verified), 1 December
# 2025 (verified, before the period); Rebo 1 May 2026 (verified).

PMT_IBU, KELAS_IBU = "PMT ibu hamil KEK", "Kelas ibu hamil"


def mother_report(village, created, status, **fields):
    r = make_mother_report(village, **fields)
    MotherReport.objects.filter(pk=r.pk).update(created_at=at(created), status=status)
    r.refresh_from_db()
    return r


def add_mothers(ds):
    matras, rebo = ds.matras, ds.rebo
    melati = Posyandu.objects.get(code="melati")
    Report = MotherReport.Status
    ds.mother_reports = {
        "MR1": mother_report(matras, date(2026, 3, 1), Report.PENDING, name="Rina Wati"),
        "MR2": mother_report(matras, date(2026, 2, 1), Report.VERIFIED),
        "MR3": mother_report(matras, date(2025, 12, 1), Report.VERIFIED, name="Dewi Sartika"),
        "MR4": mother_report(rebo, date(2026, 5, 1), Report.VERIFIED, name="Lina Marlina"),
    }
    S = Mother.MotherStatus
    siti = make_mother(matras, posyandu=melati, kk_number="1901010101200009")
    rina = make_mother(
        matras, check=False, name="Rina Wati", nik="1901015001960002", husband_name="Budi"
    )
    make_mother_check(
        rina,
        mother_status=S.BREASTFEEDING,
        pregnancy_month=None,
        baby_birth_date=date(2026, 3, 1),
        muac_cm=Decimal("25.0"),
        hb_g_dl=Decimal("10.0"),
    )
    dewi = make_mother(matras, check=False, name="Dewi Sartika", nik="1901015505970003")
    make_mother_check(dewi, muac_cm=Decimal("22.0"), hb_g_dl=Decimal("12.0"))
    yuni = make_mother(
        matras,
        name="Yuni Astuti",
        nik="1901016006980004",
        programme_status=Mother.ProgrammeStatus.EXITED,
        exit_reason=Mother.ExitReason.MOVED,
        exit_date=date(2025, 12, 1),
    )
    double = make_mother(matras, name="Siti Aminah", merged_into=siti)
    lina = make_mother(rebo, check=False, name="Lina Marlina", nik="1901016507990005")
    make_mother_check(lina, muac_cm=Decimal("25.0"), hb_g_dl=None)
    ds.mothers = {
        "siti": siti,
        "rina": rina,
        "dewi": dewi,
        "yuni": yuni,
        "double": double,
        "lina": lina,
    }
    for mother in ds.mothers.values():
        mother.refresh_from_db()

    staff = kecamatan_user()
    iv = ds.interventions
    iv["siti_pmt"] = intervene(
        siti, PUSKESMAS, PMT_IBU, Status.RUNNING, date(2026, 4, 1), end=date(2026, 9, 1)
    )
    make_delivery(iv["siti_pmt"], staff, date=date(2026, 5, 1), quantity=Decimal("2"))
    iv["dewi_kelas"] = intervene(
        dewi, TIMAH, KELAS_IBU, Status.PLANNED, date(2026, 3, 1), end=date(2026, 4, 1)
    )
    iv["lina_kelas"] = intervene(
        lina, PUSKESMAS, KELAS_IBU, Status.DONE, date(2026, 2, 1), finished=date(2026, 5, 1)
    )
    ds.obstacles["MO1"] = make_obstacle(
        iv["siti_pmt"], kind=Obstacle.Kind.UNREACHABLE, date=date(2026, 5, 5)
    )
    return ds
