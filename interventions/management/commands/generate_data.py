"""Synthetic children, reports, measurements and interventions at a province's size.

It lives in `interventions` because it fills every app's records up to that one, and an app may
only import from the apps to its left (see DESIGN.md). Everything goes in with bulk_create in
chunks of children, each chunk in its own transaction, so 100,000 children take minutes rather
than hours and never sit in memory all at once. z-scores come from the real calculator
(Measurement.assess), so lists, filters and recaps see the categories the app would compute.
The calculator is not cached: at a few microseconds per measurement it is about 1% of the
run, and the values (age in days, 0.1 cm, 0.1 kg) rarely repeat, so a cache would miss.
"""

import copy
import random
import uuid
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from interventions.models import (
    Activity,
    ActivityPartner,
    Delivery,
    Intervention,
    InterventionType,
    Obstacle,
    Partner,
    PartnerMember,
)
from registrations import growth
from registrations.dates import date_at_months
from registrations.models import (
    AGE_LIMIT_MONTHS,
    POSYANDU_CODE_ALPHABET,
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    Child,
    Document,
    Measurement,
    Mother,
    MotherCheck,
    MotherReport,
    MotherReportVersion,
    MotherStatus,
    Posyandu,
    ReportedAs,
    RiskFactor,
    Submission,
    SubmissionVersion,
    Village,
    implied_risk_factors,
)
from verification import roles
from verification.models import Decision

CHUNK = 2000  # children per transaction
BATCH = 1000  # rows per INSERT
PROGRAMME_DAYS = 3 * 365  # reports are spread over the programme's last three years

# Reports that do not become a child, per child: about 135 reports for 100 children.
PENDING_PER_CHILD = 0.15
CORRECTION_PER_CHILD = 0.04
REJECTED_PER_CHILD = 0.06
MERGED_SHARE = 0.10  # children reported a second time, merged into the first case
DUPLICATE_SHARE = 0.25  # pending reports of a child that is already registered
# Length/height-for-age z-scores of reported children: mostly stunted or close to it.
HAZ_AT_REPORT = [-4.2, -3.5, -3.2, -2.8, -2.5, -2.3, -2.2, -1.8, -1.2, -0.5, 0.5, 3.4]
HAZ_WEIGHTS = [8, 10, 8, 12, 14, 10, 8, 10, 10, 6, 3, 1]

BOYS = (
    "Muhammad Ahmad Rizki Fajar Dimas Rafa Arka Bima Dafa Gilang Ilham Raka Satria Yusuf Zidan "
    "Alif Azka Farel Hafiz Kenzo Naufal Rehan Akbar Bayu Galih Iqbal Kevin Arga Daffa Haikal "
    "Rendi Aditya Fikri Fathan Raffi Reza Wahyu Bagas Ardi Yoga Hendra Jovan Aldi Aryo"
).split()
GIRLS = (
    "Aisyah Nabila Siti Aulia Putri Zahra Alya Khansa Naura Salsabila Syifa Nayla Azzahra "
    "Keisha Adinda Dewi Fitri Intan Kirana Mutiara Rania Tiara Wulan Yasmin Citra Dinda Laila "
    "Najwa Qonita Amira Anindya Bunga Cahaya Melati Nadia Raisa Safa Shakira Vania Zaskia "
    "Hana Lestari Maya Jasmine"
).split()
FAMILY = (
    "Pratama Saputra Ramadhan Putra Hidayat Wijaya Setiawan Kurniawan Santoso Maulana "
    "Firmansyah Nugroho Permana Syahputra Hakim Rahman Fadillah Utama Kusuma Halim Chandra "
    "Gunawan Siregar Nasution Harahap Susanto Wibowo Hartono Lim Tan Liu Tjhin Akbar Hasan "
    "Irawan Sembiring Anwar Sulaiman Rosyid Zulkarnain"
).split()
MOTHERS = (
    "Rina Nur Aini Sri Wahyuni Yuliana Dewi Fatimah Hasanah Marlina Rahmawati Siti Aminah "
    "Yanti Ernawati Suryani Lina Mega Novi Ratna Rosita Sari Susanti Wati Yuni Desi Eka Fitria "
    "Indah Juliana Kartika Lia Maria Nurul Rika Santi Tuti Umi Vera Winda Ayu Asih Mei Ling"
).split()
# The risk factors a kader ticks; a low birth weight mostly comes with the weight itself.
RISK_FACTORS = [code for code in RiskFactor.values if code != RiskFactor.LOW_BIRTH_WEIGHT]
OTHER_RISKS = ["Ibu hamil usia remaja", "Pola asuh kurang", "Anak tidak mendapat ASI eksklusif"]
OCCUPATIONS = [
    "Nelayan",
    "Buruh",
    "Petani",
    "Pedagang",
    "Penambang timah",
    "Ibu rumah tangga",
    "Wiraswasta",
    "Karyawan swasta",
    "Sopir",
    "Tukang bangunan",
    "PNS",
]
STREETS = [
    "Jl. Sudirman",
    "Jl. Pantai Matras",
    "Jl. Batin Tikal",
    "Jl. Kampung Jawa",
    "Jl. Mawar",
    "Jl. Diponegoro",
    "Gg. Melati",
    "Jl. Lintas Timur",
    "Jl. Muhidin",
    "Jl. Depati Amir",
]
POSYANDU_NAMES = [
    "Melati",
    "Mawar",
    "Anggrek",
    "Kenanga",
    "Dahlia",
    "Flamboyan",
    "Cempaka",
    "Teratai",
    "Seroja",
    "Kamboja",
]
CORRECTION_NOTES = [
    "Foto KK tidak terbaca, mohon kirim ulang.",
    "Tanggal lahir tidak sesuai dengan NIK, mohon diperiksa.",
    "Mohon ukur ulang tinggi badan: hasil tidak wajar.",
]
REJECTION_NOTES = [
    "Anak sudah terdaftar (laporan ganda).",
    "Usia anak di atas 5 tahun.",
    "Anak bukan warga Kecamatan Sungailiat.",
]
# (partner name, weight, intervention types it gives); "desa" is the child's village government.
PARTNER_PLAN = [
    ("Puskesmas Sungailiat", 30, ["Pemantauan kesehatan", "Rujukan ke fasilitas kesehatan"]),
    ("PT Timah Tbk", 20, ["PMT"]),
    ("TP PKK (Bina Keluarga Balita)", 15, ["Pendampingan orang tua (BKB)"]),
    ("desa", 15, ["PMT", "Pendampingan orang tua (BKB)"]),
    ("KADIN Kabupaten Bangka", 8, ["PMT"]),
    ("RS Siloam", 7, ["Rujukan ke fasilitas kesehatan", "Pemantauan kesehatan"]),
    ("Kecamatan Sungailiat", 5, ["PMT"]),
]

# Mothers, group activities and obstacles, in proportion to the children.
MOTHERS_PER_CHILD = 0.3  # registered pregnant or breastfeeding mothers
OTHER_MOTHER_REPORTS = 0.2  # per mother: reports pending, sent back or refused
KEK_SHARE = 0.25  # checks with LiLA below 23.5 cm
MOTHER_EXIT_SHARE = 0.2
MOTHER_EXITS = [("finished", 60), ("moved", 25), ("miscarriage", 5), ("other", 10)]
ACTIVITIES_PER_CHILD = 0.02  # one group activity per 50 children
OBSTACLE_SHARE = 0.08  # of the started assignments, children's and mothers'
MOTHER_CORRECTION_NOTES = [
    "LiLA belum diisi dengan benar, mohon ukur ulang.",
    "NIK ibu tidak lengkap.",
]
MOTHER_REJECTION_NOTES = [
    "Ibu sudah terdaftar (laporan ganda).",
    "Ibu bukan warga Kecamatan Sungailiat.",
]
OBSTACLE_NOTES = [
    "Keluarga sedang ke luar kota.",
    "Nomor HP tidak aktif.",
    "Stok PMT habis di gudang.",
    "Jalan ke rumah terputus banjir.",
]
HANDLING_NOTES = [
    "Sudah dihubungi lewat kader posyandu.",
    "Stok PMT dikirim ulang dari kecamatan.",
    "Dikunjungi bersama bidan desa.",
]
# (partner name, weight, intervention types for mothers it gives); "desa": the village's.
MOTHER_PARTNER_PLAN = [
    ("Puskesmas Sungailiat", 50, ["PMT ibu hamil KEK", "Tablet tambah darah", "Kelas ibu hamil"]),
    ("TP PKK (Bina Keluarga Balita)", 20, ["Pendampingan menyusui", "Kelas ibu hamil"]),
    ("desa", 20, ["PMT ibu hamil KEK"]),
    ("PT Timah Tbk", 10, ["PMT ibu hamil KEK"]),
]
# (kind, topics, {audience: (fewest, most)}) of the group activities.
ACTIVITY_PLAN = [
    (
        "outreach",
        ["Gerakan anti stunting", "Pentingnya posyandu setiap bulan"],
        {"parents_count": (5, 40), "officials_count": (0, 5), "others_count": (0, 10)},
    ),
    (
        "nutrition_education",
        ["Gizi seimbang untuk balita", "MP-ASI bergizi dari bahan lokal"],
        {"parents_count": (5, 30), "mothers_count": (0, 15)},
    ),
    ("bkb_class", ["Pola asuh anak usia dini"], {"parents_count": (8, 25)}),
    (
        "pmt_cooking_demo",
        ["Menu PMT ikan laut", "Makanan tambahan ibu hamil"],
        {"parents_count": (5, 20), "mothers_count": (3, 15)},
    ),
    ("kader_training", ["Pengukuran panjang badan yang benar"], {"kader_count": (5, 30)}),
]


class Command(BaseCommand):
    help = (
        "Isi database dengan data sintetis dalam jumlah besar (anak, laporan, pengukuran, "
        "intervensi) untuk uji kinerja. Hanya untuk DEBUG=true atau dengan --i-know."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True, help="jumlah anak terdaftar")
        parser.add_argument("--seed", type=int, default=1, help="data yang sama untuk seed sama")
        parser.add_argument(
            "--i-know",
            action="store_true",
            help="jalankan walau DEBUG=false (database uji kinerja, bukan server sungguhan)",
        )

    def handle(self, *args, children, seed, i_know, **options):
        if not (settings.DEBUG or i_know):
            raise CommandError(
                "generate_data hanya boleh dijalankan dengan DEBUG=true atau --i-know: data "
                "sintetis tidak boleh masuk ke server sungguhan."
            )
        if children < 1:
            raise CommandError("--children harus 1 atau lebih.")
        generator = Generator(seed, children, self.stdout if options["verbosity"] else None)
        generator.run()
        self.stdout.write(self.style.SUCCESS(generator.summary()))


@contextmanager
def _timestamps_as_given(*models):
    """Lets bulk_create keep the created_at/updated_at set here instead of "now"."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# Models whose created_at/updated_at/decided_at the generator spreads over the programme.
TIMESTAMPED = [
    Child,
    Submission,
    Measurement,
    Document,
    SubmissionVersion,
    Decision,
    Intervention,
    Delivery,
]


# Made after the children, with each run's other records added to them.
MORE_TIMESTAMPED = [
    Mother,
    MotherReport,
    MotherReportVersion,
    MotherCheck,
    Decision,
    Intervention,
    Delivery,
]


class MotherChunk:
    """The unsaved records of one chunk of mothers."""

    def __init__(self):
        self.mothers = []
        self.reports = []
        self.checks = []
        self.decisions = []
        self.interventions = []
        self.deliveries = []


class Chunk:
    """The unsaved records of one chunk of children, in the order they are inserted."""

    def __init__(self):
        self.children = []
        # By position in `children`: (registered, moved), moved being (when, old place) or None.
        self.history = []
        self.submissions = []
        self.measurements = []
        self.documents = []  # (submission, kind)
        self.decisions = []
        self.versions = []  # (submission, number, created_at)
        self.interventions = []
        self.deliveries = []


class Generator:
    def __init__(self, seed, n_children, stdout):
        self.n_children = n_children
        self.stdout = stdout
        # A second run on the same database continues with other codes instead of repeating
        # the first run's receipt codes.
        self.rng = random.Random(f"{seed}/{Submission.objects.count()}")
        # Why each child is reported comes from its own sequence, so that the rest of the
        # data is the same as before reasons were asked.
        self.reason_rng = random.Random(f"{seed}/reasons/{Submission.objects.count()}")
        # Mothers, activities and obstacles too, so that the children stay as they were.
        self.more_rng = random.Random(f"{seed}/more/{MotherReport.objects.count()}")
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.start = self.today - timedelta(days=PROGRAMME_DAYS)
        self.counts = dict.fromkeys(
            [
                "children",
                "submissions",
                "measurements",
                "interventions",
                "deliveries",
                "mothers",
                "mother_reports",
                "mother_checks",
                "activities",
                "obstacles",
            ],
            0,
        )
        self.receipt_codes = set()

    # --- reference data and accounts ---------------------------------------------------

    def prepare(self):
        self.villages = list(Village.objects.all())
        if not self.villages:
            raise CommandError("Belum ada kelurahan/desa: jalankan migrate dahulu.")
        self.posyandu = {v.pk: list(v.posyandu_set.filter(is_active=True)) for v in self.villages}
        for village in self.villages:
            if not self.posyandu[village.pk]:
                self.posyandu[village.pk] = self._make_posyandu(village)
        partners = {p.name: p for p in Partner.objects.select_related("village")}
        self.governments = {p.village_id: p for p in partners.values() if p.village_id}
        self.types = {t.name: t for t in InterventionType.objects.all()}
        self.partner_plan = [
            (partners.get(name), weight, [self.types[t] for t in kinds if t in self.types])
            for name, weight, kinds in PARTNER_PLAN
            if name == "desa" or name in partners
        ]
        self.partner_plan = [p for p in self.partner_plan if p[2]]
        if not self.partner_plan:
            raise CommandError("Belum ada mitra dan jenis intervensi: jalankan migrate dahulu.")
        self.mother_plan = [
            (partners.get(name), weight, [self.types[t] for t in kinds if t in self.types])
            for name, weight, kinds in MOTHER_PARTNER_PLAN
            if name == "desa" or name in partners
        ]
        self.mother_plan = [p for p in self.mother_plan if p[2]]
        self.verifikator = self._user("data-verifikator", roles.VERIFIKATOR)
        self.workers = {}
        for partner in list(partners.values()):
            user = self._user(f"data-mitra-{partner.pk}", roles.MITRA)
            PartnerMember.objects.get_or_create(user=user, defaults={"partner": partner})
            self.workers[partner.pk] = user
        # One small stored sample stands in for every KK/akta photo.
        self.document_name = default_storage.save(
            "documents/data-sintetis/contoh.jpg", ContentFile(_sample_jpeg())
        )
        self.document_size = default_storage.size(self.document_name)

    def _make_posyandu(self, village):
        created = []
        for name in self.rng.sample(POSYANDU_NAMES, self.rng.randint(3, 6)):
            code = "".join(self.rng.choice(POSYANDU_CODE_ALPHABET) for _ in range(8))
            created.append(
                Posyandu.objects.create(name=name, village=village, code=code, is_demo=True)
            )
        return created

    def _user(self, username, role):
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.is_staff = role in roles.ADMIN_ROLES
            user.save()
            user.groups.add(Group.objects.get(name=role))
        return user

    # --- the run -----------------------------------------------------------------------

    def run(self):
        with transaction.atomic():
            self.prepare()
        last = Intervention.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        done = 0
        while done < self.n_children:
            size = min(CHUNK, self.n_children - done)
            chunk = Chunk()
            for i in range(done, done + size):
                self.make_child(chunk, i)
            self.make_other_reports(chunk, size)
            with transaction.atomic(), _timestamps_as_given(*TIMESTAMPED):
                self.save(chunk)
            done += size
            if self.stdout:
                self.stdout.write(f"{done}/{self.n_children} anak dibuat")
        self.make_mothers()
        self.make_activities()
        self.make_obstacles(after_pk=last)

    def summary(self):
        c = self.counts
        return (
            f"Selesai: {c['children']} anak, {c['submissions']} laporan, "
            f"{c['measurements']} pengukuran, {c['interventions']} intervensi, "
            f"{c['deliveries']} layanan, {c['mothers']} ibu ({c['mother_reports']} laporan, "
            f"{c['mother_checks']} pemeriksaan), {c['activities']} kegiatan, "
            f"{c['obstacles']} kendala."
        )

    # --- one registered child with its reports, measurements and interventions ------------

    def make_child(self, chunk, i):
        rng = self.rng
        # Registrations spread evenly over the programme, so ids follow time as in real use.
        reported = self._moment(self.start + timedelta(days=PROGRAMME_DAYS * i / self.n_children))
        age_days = self._age_at_report()
        birth = timezone.localdate(reported) - timedelta(days=age_days)
        sex = rng.choice("LP")
        village = rng.choice(self.villages)
        posyandu = rng.choice(self.posyandu[village.pk]) if rng.random() < 0.92 else None
        family = rng.choice(FAMILY)
        first = rng.choice(BOYS if sex == "L" else GIRLS)
        name = f"{first} {family}" if rng.random() < 0.6 else f"{first} {rng.choice(FAMILY)}"
        if rng.random() < 0.3:
            name = f"{rng.choice(BOYS if sex == 'L' else GIRLS)} {name}"
        child = Child(
            name=name,
            nik=self._nik(sex, birth) if rng.random() < 0.7 else "",
            sex=sex,
            birth_date=birth,
            mother_name=f"{rng.choice(MOTHERS)} {rng.choice(FAMILY)}",
            father_name=f"{rng.choice(BOYS)} {family}" if rng.random() < 0.8 else "",
            parent_occupation=rng.choice(OCCUPATIONS),
            parent_phone=self._phone() if rng.random() < 0.7 else "",
            address=self._address(village),
            kk_number=self._digits("1901", 12) if rng.random() < 0.6 else "",
            village=village,
            posyandu=posyandu,
        )
        chunk.children.append(child)
        # Most reported children are stunted or close to it; a few are tall.
        haz = rng.choices(HAZ_AT_REPORT, HAZ_WEIGHTS)[0] + rng.uniform(-0.3, 0.3)
        whz = rng.gauss(-0.7, 1.1)
        self._give_reason(child, stunted=haz < -2)

        first_report = self._report(chunk, child, reported, Submission.Status.VERIFIED)
        first_report.child = child
        first_m = self._measurement(chunk, child, first_report, haz, whz)
        registered = self._decide(chunk, first_report, Decision.Action.VERIFIED_NEW, child)
        child.created_at = registered
        measured = [first_m]
        seen_until = first_m.measured_on

        if rng.random() < MERGED_SHARE:
            when = self._later(registered, 30, 200)
            if when is not None:
                again = self._report(chunk, child, when, Submission.Status.VERIFIED)
                again.child = child
                haz += rng.uniform(-0.1, 0.4)
                measured.append(self._measurement(chunk, child, again, haz, whz))
                self._decide(chunk, again, Decision.Action.MERGED, child)
                seen_until = measured[-1].measured_on

        for _ in range(rng.randint(0, 5 - len(measured))):
            day = seen_until + timedelta(days=rng.randint(30, 100))
            if day > self.today or (day - birth).days >= growth.NO_ZSCORE_FROM_DAY:
                break
            haz += rng.uniform(-0.1, 0.35)
            source = rng.choice([Measurement.Source.PUSKESMAS] * 3 + [Measurement.Source.PARTNER])
            measured.append(self._measurement(chunk, child, None, haz, whz, day, source))
            seen_until = day

        chunk.history.append((registered, self._maybe_move(child, registered)))
        self._programme_status(child, registered, measured[-1])
        self._interventions(chunk, child, registered)

    def _age_at_report(self):
        group = self.rng.choices([(20, 180), (181, 365), (366, 730), (731, 1790)], [1, 2, 3, 4])
        return self.rng.randint(*group[0])

    def _maybe_move(self, child, registered):
        """A few children move house: (when, the old place) for their audit history, or None."""
        if self.rng.random() >= 0.03:
            return None
        moved_at = self._later(registered, 10, 300)
        if moved_at is None:
            return None
        old_place = {
            "village_id": child.village.pk,
            "posyandu_id": child.posyandu.pk if child.posyandu else None,
            "address": child.address,
        }
        child.village = self.rng.choice(self.villages)
        child.posyandu = self.rng.choice(self.posyandu[child.village.pk])
        child.address = self._address(child.village)
        return moved_at, old_place

    def _programme_status(self, child, registered, latest):
        rng = self.rng
        aged_out_on = date_at_months(child.birth_date, AGE_LIMIT_MONTHS)
        registered_on = timezone.localdate(registered)
        if aged_out_on <= self.today:
            if rng.random() < 0.85:  # the rest waits on the "usia 5 tahun" list
                child.exit_reason = Child.ExitReason.AGED_OUT
                child.exit_date = max(aged_out_on, registered_on)
        else:
            roll = rng.random()
            if roll < 0.06 and latest.haz is not None and latest.haz >= -2:
                child.exit_reason = Child.ExitReason.NOT_STUNTED
            elif roll < 0.08:
                child.exit_reason = Child.ExitReason.MOVED
            elif roll < 0.083:
                child.exit_reason = Child.ExitReason.DIED
            elif roll < 0.088:
                child.exit_reason = Child.ExitReason.OTHER
                child.exit_note = "Orang tua menolak melanjutkan program."
            if child.exit_reason:
                first = max(latest.measured_on, registered_on)
                child.exit_date = first + timedelta(
                    days=rng.randint(0, max(0, (self.today - first).days))
                )
        if child.exit_reason:
            child.programme_status = Child.ProgrammeStatus.EXITED

    def _interventions(self, chunk, child, registered):
        rng = self.rng
        roll = rng.random()
        count = 0 if roll < 0.4 else 1 if roll < 0.8 else 2
        first_day = timezone.localdate(registered)
        last_day = child.exit_date or self.today
        for _ in range(count):
            if first_day > last_day:
                return
            start = first_day + timedelta(days=rng.randint(0, min(60, (last_day - first_day).days)))
            plan = rng.choices(self.partner_plan, [w for _, w, _ in self.partner_plan])[0]
            partner = plan[0] or self.governments.get(child.village_id)
            if partner is None:
                continue
            kind = rng.choice(plan[2])
            planned_end = start + timedelta(days=kind.default_duration_days or 60)
            intervention = Intervention(
                child=child,
                kind=kind,
                partner=partner,
                start_date=start,
                planned_end=planned_end,
                note="" if rng.random() < 0.7 else "Mohon kunjungi rumah anak setiap dua minggu.",
                created_by=self.verifikator,
                created_at=self._moment(start),
            )
            self._intervention_status(intervention, last_day, closed=bool(child.exit_reason))
            intervention.updated_at = self._moment(
                intervention.finished_on or intervention.started_on or start
            )
            chunk.interventions.append(intervention)
            self._deliveries(chunk, intervention)
            first_day = start + timedelta(days=rng.randint(20, 120))

    def _intervention_status(self, intervention, last_day, closed):
        rng = self.rng
        Status = Intervention.Status
        start, end = intervention.start_date, intervention.planned_end
        if end < last_day or closed:
            status = rng.choices([Status.DONE, Status.CANCELLED, Status.RUNNING], [80, 8, 12])[0]
            if closed and status == Status.RUNNING:
                status = Status.DONE
        elif (self.today - start).days < 7:
            status = rng.choices([Status.PLANNED, Status.RUNNING], [70, 30])[0]
        else:
            status = rng.choices([Status.RUNNING, Status.PLANNED, Status.CANCELLED], [82, 10, 8])[0]
        intervention.status = status
        if status != Status.PLANNED:
            intervention.started_on = min(start + timedelta(days=rng.randint(0, 7)), last_day)
        if status in (Status.DONE, Status.CANCELLED):
            finished = min(end + timedelta(days=rng.randint(-5, 5)), last_day)
            intervention.finished_on = max(finished, intervention.started_on)
            if status == Status.CANCELLED:
                intervention.cancel_reason = "Keluarga pindah atau tidak dapat dihubungi."

    def _deliveries(self, chunk, intervention):
        rng = self.rng
        if intervention.started_on is None:
            return
        until = intervention.finished_on or self.today
        day = intervention.started_on
        worker = self.workers[intervention.partner.pk]
        pmt = intervention.kind.has_quantity
        for _ in range(rng.randint(1, 3)):
            if day > until:
                break
            chunk.deliveries.append(
                Delivery(
                    intervention=intervention,
                    date=day,
                    description="Paket PMT biskuit dan susu" if pmt else "Kunjungan rumah",
                    quantity=Decimal(rng.choice([2, 4, 6])) if pmt else None,
                    note="" if rng.random() < 0.6 else "Anak mau makan, ibu diberi contoh menu.",
                    internal=rng.random() < 0.1,
                    recorded_by=worker,
                    created_at=self._moment(day),
                )
            )
            day += timedelta(days=rng.randint(10, 30))

    # --- reports that are still open, sent back or refused ---------------------------

    def make_other_reports(self, chunk, size):
        rng = self.rng
        registered = chunk.children
        plans = (
            [Submission.Status.PENDING] * self._share(size, PENDING_PER_CHILD)
            + [Submission.Status.NEEDS_CORRECTION] * self._share(size, CORRECTION_PER_CHILD)
            + [Submission.Status.REJECTED] * self._share(size, REJECTED_PER_CHILD)
        )
        for status in plans:
            if status == Submission.Status.PENDING:
                days_ago = rng.randint(0, 45) if rng.random() < 0.9 else rng.randint(46, 300)
            elif status == Submission.Status.NEEDS_CORRECTION:
                days_ago = rng.randint(1, 90)
            else:
                days_ago = rng.randint(1, PROGRAMME_DAYS)
            when = self._moment(self.today - timedelta(days=days_ago))
            if status == Submission.Status.PENDING and rng.random() < DUPLICATE_SHARE:
                # A kader reports a child that is already registered.
                twin = rng.choice(registered)
                subject = copy.copy(twin)
            else:
                age = self._age_at_report()
                sex = rng.choice("LP")
                subject = Child(
                    name=f"{rng.choice(BOYS if sex == 'L' else GIRLS)} {rng.choice(FAMILY)}",
                    sex=sex,
                    birth_date=timezone.localdate(when) - timedelta(days=age),
                    mother_name=f"{rng.choice(MOTHERS)} {rng.choice(FAMILY)}",
                    village=rng.choice(self.villages),
                    address="",
                )
                subject.nik = self._nik(sex, subject.birth_date) if rng.random() < 0.6 else ""
                subject.posyandu = rng.choice(self.posyandu[subject.village_id])
                subject.address = self._address(subject.village)
                subject.parent_occupation = rng.choice(OCCUPATIONS)
                self._give_reason(subject, stunted=self.reason_rng.random() < 0.6)
            if timezone.localdate(when) < subject.birth_date + timedelta(days=14):
                when = self._moment(subject.birth_date + timedelta(days=14))
                if when > self.now:
                    continue
            report = self._report(chunk, subject, when, status)
            haz = rng.uniform(-4, 0)
            self._measurement(chunk, None, report, haz, rng.gauss(-0.7, 1))
            if status == Submission.Status.PENDING and rng.random() < 0.05:
                # Sent back once and corrected by the kader: two versions, waiting again.
                decided_at = self._decide(chunk, report, Decision.Action.NEEDS_CORRECTION, None)
                corrected = decided_at + timedelta(minutes=rng.randint(60, 3 * 24 * 60))
                report.updated_at = max(decided_at, min(corrected, self.now))
                report.version = 2
                chunk.versions.append((report, 2, report.updated_at))
                report.status = Submission.Status.PENDING
                report.status_message = ""
            elif status == Submission.Status.NEEDS_CORRECTION:
                self._decide(chunk, report, Decision.Action.NEEDS_CORRECTION, None)
            elif status == Submission.Status.REJECTED:
                self._decide(chunk, report, Decision.Action.REJECTED, None)

    def _share(self, size, per_child):
        exact = size * per_child
        return int(exact) + (self.rng.random() < exact - int(exact))

    # --- building blocks -------------------------------------------------------------

    def _give_reason(self, subject, *, stunted):
        """Why the child is reported: most stunted children as stunted, the others at risk
        with one to three risk factors; a birth weight in a third of the reports."""
        rng = self.reason_rng
        at_risk = not stunted or rng.random() < 0.15
        subject.reported_as = ReportedAs.AT_RISK if at_risk else ReportedAs.STUNTED
        factors = rng.sample(RISK_FACTORS, rng.randint(1, 3)) if at_risk else []
        if rng.random() < 0.35:
            subject.birth_weight_g = rng.randint(1900, 3800)
        if RiskFactor.OTHER in factors:
            subject.risk_other_text = rng.choice(OTHER_RISKS)
        subject.risk_factors = implied_risk_factors(
            factors, birth_weight_g=subject.birth_weight_g, risk_other_text=subject.risk_other_text
        )

    def _report(self, chunk, subject, created_at, status):
        rng = self.rng
        measured_on = max(
            timezone.localdate(created_at) - timedelta(days=rng.randint(0, 5)), subject.birth_date
        )
        posyandu = subject.posyandu
        report = Submission(
            code=self._receipt_code(),
            status=status,
            created_at=created_at,
            updated_at=created_at,
            kader_name=f"{rng.choice(MOTHERS)} (kader)",
            kader_phone=self._phone(),
            village=subject.village,
            posyandu=posyandu,
            posyandu_other="" if posyandu else rng.choice(POSYANDU_NAMES) + " Baru",
            child_name=subject.name,
            child_nik=subject.nik,
            child_sex=subject.sex,
            birth_date=subject.birth_date,
            mother_name=subject.mother_name,
            father_name=subject.father_name,
            parent_occupation=subject.parent_occupation or "Buruh",
            parent_phone=subject.parent_phone,
            address=subject.address,
            kk_number=subject.kk_number,
            measured_on=measured_on,
            # Filled from the measurement once it is computed.
            weight_kg=Decimal("0"),
            height_cm=Decimal("0"),
            measurement_position="lying",
            consent_at=created_at,
        )
        report.gather_reason(subject)
        chunk.submissions.append(report)
        chunk.versions.append((report, 1, created_at))
        kinds = ["kk"] if rng.random() < 0.6 else ["kk", "akta"] if rng.random() < 0.7 else ["akta"]
        chunk.documents.extend((report, kind) for kind in kinds)
        return report

    def _measurement(self, chunk, child, report, haz, whz, day=None, source=None):
        """A measurement whose length/height sits at about `haz` and weight at about `whz`."""
        rng = self.rng
        sex = child.sex if child else report.child_sex
        birth = child.birth_date if child else report.birth_date
        day = day or report.measured_on
        age_days = (day - birth).days
        lying = age_days < growth.FIRST_HEIGHT_DAY
        if rng.random() < 0.08:
            lying = not lying  # the wrong position for the age: the 0.7 cm rule applies
        height, weight = self._body(sex, age_days, haz, whz, lying)
        if rng.random() < 0.003:
            height = (height / 10).quantize(Decimal("0.1"))  # a typing error: implausible
        m = Measurement(
            child=child,
            submission=report,
            measured_on=day,
            weight_kg=weight,
            height_cm=height,
            position="lying" if lying else "standing",
            source=source or Measurement.Source.KADER,
            recorded_by=None if report else self.verifikator,
        )
        m.created_at = report.created_at if report else self._moment(day)
        m.assess()
        if report:
            report.measured_on = day
            report.weight_kg, report.height_cm = weight, height
            report.measurement_position = m.position
        chunk.measurements.append(m)
        return m

    def _body(self, sex, age_days, haz, whz, lying):
        tables = growth._tables or growth._load_tables()
        index = 0 if sex == "L" else 1
        age = min(age_days, len(tables.length_for_age[index]) - 1)
        L, M, S, _ = tables.length_for_age[index][age]
        haz = max(min(haz, 4.5), -5.5)
        length = M * (1 + L * S * haz) ** (1 / L)
        under_two = age_days < growth.FIRST_HEIGHT_DAY
        measured = length + (
            0.7 if lying and not under_two else -0.7 if under_two and not lying else 0
        )
        if under_two:
            rows, first_cm = tables.weight_for_length[index], growth.WFL_FIRST_CM
        else:
            rows, first_cm = tables.weight_for_height[index], growth.WFH_FIRST_CM
        row = max(0, min(len(rows) - 1, round((length - first_cm) * 10)))
        wL, wM, wS = rows[row]
        whz = max(min(whz, 3.5), -4)
        weight = wM * (1 + wL * wS * whz) ** (1 / wL)
        return Decimal(f"{measured:.1f}"), Decimal(f"{max(weight, 1.5):.1f}")

    def _decide(self, chunk, report, action, child):
        note = ""
        if action == Decision.Action.NEEDS_CORRECTION:
            note = self.rng.choice(CORRECTION_NOTES)
        elif action == Decision.Action.REJECTED:
            note = self.rng.choice(REJECTION_NOTES)
        decided_at = min(
            report.created_at + timedelta(minutes=self.rng.randint(60, 14 * 24 * 60)),
            self.now - timedelta(minutes=1),
        )
        decided_at = max(decided_at, report.created_at)
        chunk.decisions.append(
            Decision(
                submission=report,
                version=report.version,
                action=action,
                child=child,
                note=note,
                decided_by=self.verifikator,
                decided_at=decided_at,
            )
        )
        report.updated_at = decided_at
        report.first_decided_at = report.first_decided_at or decided_at
        if action in (Decision.Action.NEEDS_CORRECTION, Decision.Action.REJECTED):
            report.status_message = note
        return decided_at

    def _later(self, moment, min_days, max_days):
        """A moment some days after `moment`, or None if that would be in the future."""
        day = timezone.localdate(moment) + timedelta(days=self.rng.randint(min_days, max_days))
        return self._moment(day) if day <= self.today else None

    def _moment(self, day):
        """A time during office hours on `day`, never in the future."""
        if isinstance(day, datetime):
            day = day.date()
        moment = timezone.make_aware(
            datetime.combine(day, time(8)) + timedelta(seconds=self.rng.randint(0, 8 * 3600))
        )
        return min(moment, self.now - timedelta(seconds=self.rng.randint(60, 3600)))

    def _receipt_code(self):
        while True:
            code = "".join(self.rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
            if code not in self.receipt_codes:
                self.receipt_codes.add(code)
                return code

    def _nik(self, sex, birth):
        day = birth.day + (40 if sex == "P" else 0)
        return f"190101{day:02}{birth:%m%y}{self.rng.randint(1, 9999):04}"

    def _phone(self):
        return self._digits("628", self.rng.randint(9, 10))

    def _digits(self, prefix, n):
        return prefix + "".join(self.rng.choice("0123456789") for _ in range(n))

    def _address(self, village):
        rng = self.rng
        return (
            f"{rng.choice(STREETS)} No. {rng.randint(1, 120)} RT {rng.randint(1, 15):02}/"
            f"RW {rng.randint(1, 6):02}, {village.name}"
        )

    # --- saving ----------------------------------------------------------------------

    def save(self, chunk):
        Child.objects.bulk_create(chunk.children, batch_size=BATCH)
        Submission.objects.bulk_create(chunk.submissions, batch_size=BATCH)
        Measurement.objects.bulk_create(chunk.measurements, batch_size=BATCH)
        # One UPDATE for the chunk: far cheaper than bulk_update's CASE per child.
        latest = Measurement.objects.filter(child=OuterRef("pk")).order_by(
            *Measurement.LATEST_FIRST
        )
        first = Measurement.objects.filter(child=OuterRef("pk"), haz__isnull=False).order_by(
            *Measurement.FIRST_FIRST
        )
        ids = [child.pk for child in chunk.children]
        Child.objects.filter(pk__range=(min(ids), max(ids))).update(
            latest_measurement=Subquery(latest.values("pk")[:1]),
            latest_haz_category=Subquery(latest.values("haz_category")[:1]),
            first_haz_measurement=Subquery(first.values("pk")[:1]),
        )

        documents = [
            Document(
                submission=report,
                kind=kind,
                file=self.document_name,
                original_name=f"{kind}.jpg",
                original_size=self.document_size,
                content_type="image/jpeg",
                size=self.document_size,
                sha256=uuid.UUID(int=self.rng.getrandbits(128)).hex * 2,
                created_at=report.created_at,
            )
            for report, kind in chunk.documents
        ]
        Document.objects.bulk_create(documents, batch_size=BATCH)
        ids = {}
        for doc in documents:
            ids.setdefault(doc.submission_id, []).append(doc.pk)
        versions = [
            SubmissionVersion(
                submission=report,
                number=number,
                data=report.snapshot(),
                document_ids=ids.get(report.pk, []),
                created_at=created_at,
            )
            for report, number, created_at in chunk.versions
        ]
        SubmissionVersion.objects.bulk_create(versions, batch_size=BATCH)
        Decision.objects.bulk_create(chunk.decisions, batch_size=BATCH)

        Child.history.model.objects.bulk_create(self._child_history(chunk), batch_size=BATCH)
        Intervention.objects.bulk_create(chunk.interventions, batch_size=BATCH)
        for intervention in chunk.interventions:
            intervention._history_date = intervention.created_at
            intervention._history_user = self.verifikator
        Intervention.history.bulk_history_create(chunk.interventions, batch_size=BATCH)
        for delivery in chunk.deliveries:
            delivery._history_date = delivery.created_at
            delivery._history_user = delivery.recorded_by
        Delivery.objects.bulk_create(chunk.deliveries, batch_size=BATCH)
        Delivery.history.bulk_history_create(chunk.deliveries, batch_size=BATCH)

        c = self.counts
        c["children"] += len(chunk.children)
        c["submissions"] += len(chunk.submissions)
        c["measurements"] += len(chunk.measurements)
        c["interventions"] += len(chunk.interventions)
        c["deliveries"] += len(chunk.deliveries)

    def _child_history(self, chunk):
        """Audit history rows: registered, maybe moved house, maybe left the programme."""
        model = Child.history.model
        fields = [f.attname for f in model.tracked_fields]
        active = {
            "programme_status": Child.ProgrammeStatus.ACTIVE,
            "exit_reason": "",
            "exit_date": None,
            "exit_note": "",
        }
        rows = []
        for child, (registered, moved) in zip(chunk.children, chunk.history, strict=True):
            current = {name: getattr(child, name) for name in fields}
            exited_at = self._moment(child.exit_date) if child.exit_date else None
            events = [(registered, "+")]
            if moved:
                events.append((moved[0], "~"))
            if exited_at:
                events.append((max(exited_at, registered), "~"))
            events.sort(key=lambda e: e[0])
            for when, kind in events:
                values = dict(current)
                if moved and when < moved[0]:
                    values.update(moved[1])
                if exited_at and when < exited_at:
                    values.update(active)
                rows.append(
                    model(
                        history_date=when,
                        history_type=kind,
                        history_user=self.verifikator,
                        history_change_reason="",
                        **values,
                    )
                )
        return rows

    # --- mothers, group activities and obstacles ----------------------------------------
    # Made after every child, so that the children's data is the same as before mothers
    # were generated; they draw from their own sequence (self.more_rng).

    def make_mothers(self):
        n_mothers = max(1, round(self.n_children * MOTHERS_PER_CHILD))
        done = 0
        while done < n_mothers:
            size = min(CHUNK, n_mothers - done)
            chunk = MotherChunk()
            for i in range(done, done + size):
                self.make_mother(chunk, i, n_mothers)
            for _ in range(self._more_share(size, OTHER_MOTHER_REPORTS)):
                self._other_mother_report(chunk)
            with transaction.atomic(), _timestamps_as_given(*MORE_TIMESTAMPED):
                self.save_mothers(chunk)
            done += size

    def _more_share(self, size, per_item):
        whole = size * per_item
        return int(whole) + (1 if self.more_rng.random() < whole - int(whole) else 0)

    def _more_moment(self, day):
        """_moment() from the mothers' own sequence."""
        moment = timezone.make_aware(
            datetime.combine(day, time(8)) + timedelta(seconds=self.more_rng.randint(0, 8 * 3600))
        )
        return min(moment, self.now - timedelta(seconds=self.more_rng.randint(60, 3600)))

    def _condition(self, status, day, pregnancy_month=None):
        """The condition fields of a report or check of a mother on `day`."""
        rng = self.more_rng
        kek = rng.random() < KEK_SHARE
        muac = rng.uniform(19.5, 23.4) if kek else rng.uniform(23.5, 31.0)
        hb = None if rng.random() < 0.2 else rng.uniform(8.5, 14.0)
        values = {
            "mother_status": status,
            "muac_cm": Decimal(f"{muac:.1f}"),
            "hb_g_dl": None if hb is None else Decimal(f"{hb:.1f}"),
            "weight_kg": Decimal(f"{rng.uniform(40, 80):.1f}"),
            "height_cm": Decimal(f"{rng.uniform(142, 168):.1f}"),
            "pregnancy_month": None,
            "due_date": None,
            "baby_birth_date": None,
        }
        if status == MotherStatus.PREGNANT:
            month = pregnancy_month or rng.randint(2, 8)
            values["pregnancy_month"] = month
            values["due_date"] = day + timedelta(days=(9 - month) * 30)
        else:
            values["baby_birth_date"] = day - timedelta(days=rng.randint(7, 600))
        return values

    def _identity(self, village):
        rng = self.more_rng
        birth = self.today - timedelta(days=rng.randint(17 * 365, 42 * 365))
        posyandu = rng.choice(self.posyandu[village.pk]) if rng.random() < 0.9 else None
        return {
            "name": f"{rng.choice(MOTHERS)} {rng.choice(FAMILY)}",
            "nik": "" if rng.random() < 0.05 else self._mother_nik(birth),
            "birth_date": birth,
            "phone": self._more_digits("628", rng.randint(9, 10)),
            "address": (
                f"{rng.choice(STREETS)} No. {rng.randint(1, 120)} RT {rng.randint(1, 15):02}/"
                f"RW {rng.randint(1, 6):02}, {village.name}"
            ),
            "kk_number": self._more_digits("190101", 10) if rng.random() < 0.9 else "",
            "husband_name": f"{rng.choice(BOYS)} {rng.choice(FAMILY)}",
            "village": village,
            "posyandu": posyandu,
        }

    def _mother_nik(self, birth):
        return f"190101{birth.day + 40:02}{birth:%m%y}{self.more_rng.randint(1, 9999):04}"

    def _more_digits(self, prefix, n):
        return prefix + "".join(self.more_rng.choice("0123456789") for _ in range(n))

    def _more_receipt_code(self):
        while True:
            code = "".join(self.more_rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
            if code not in self.receipt_codes:
                self.receipt_codes.add(code)
                return code

    def _mother_report(self, chunk, identity, condition, created_at, status):
        rng = self.more_rng
        report = MotherReport(
            code=self._more_receipt_code(),
            status=status,
            created_at=created_at,
            updated_at=created_at,
            kader_name=f"{rng.choice(MOTHERS)} (kader)",
            kader_phone=self._more_digits("628", rng.randint(9, 10)),
            posyandu_other="" if identity["posyandu"] else rng.choice(POSYANDU_NAMES) + " Baru",
            measured_on=timezone.localdate(created_at) - timedelta(days=rng.randint(0, 5)),
            consent_at=created_at,
            **identity,
            **condition,
        )
        chunk.reports.append(report)
        return report

    def _decide_mother(self, chunk, report, action, mother=None):
        decided_at = min(
            report.created_at + timedelta(minutes=self.more_rng.randint(60, 14 * 24 * 60)),
            self.now - timedelta(minutes=1),
        )
        note = ""
        if action == Decision.Action.NEEDS_CORRECTION:
            note = self.more_rng.choice(MOTHER_CORRECTION_NOTES)
        elif action == Decision.Action.REJECTED:
            note = self.more_rng.choice(MOTHER_REJECTION_NOTES)
        chunk.decisions.append(
            Decision(
                mother_report=report,
                mother=mother,
                version=1,
                action=action,
                note=note,
                decided_by=self.verifikator,
                decided_at=decided_at,
            )
        )
        report.updated_at = report.first_decided_at = decided_at
        report.status_message = note

    def make_mother(self, chunk, i, n_mothers):
        """A registered mother from a verified report, with one to three checks."""
        rng = self.more_rng
        reported = self._more_moment(self.start + timedelta(days=PROGRAMME_DAYS * i / n_mothers))
        village = rng.choice(self.villages)
        identity = self._identity(village)
        day = timezone.localdate(reported)
        status = MotherStatus.PREGNANT if rng.random() < 0.65 else MotherStatus.BREASTFEEDING
        condition = self._condition(status, day)
        report = self._mother_report(
            chunk, identity, condition, reported, Submission.Status.VERIFIED
        )
        mother = Mother(created_at=reported, **identity)
        chunk.mothers.append(mother)
        report.mother = mother
        self._decide_mother(chunk, report, Decision.Action.VERIFIED_NEW, mother)
        checks = [
            MotherCheck(
                mother=mother,
                report=report,
                checked_on=report.measured_on,
                source=MotherCheck.Source.KADER,
                created_at=report.created_at,
                **condition,
            )
        ]
        month = condition["pregnancy_month"]
        for _ in range(rng.choices([0, 1, 2], [40, 40, 20])[0]):
            day = checks[-1].checked_on + timedelta(days=rng.randint(25, 120))
            if day > self.today:
                break
            if status == MotherStatus.PREGNANT and month is not None:
                month += max(1, (day - checks[-1].checked_on).days // 30)
                if month > 9:
                    status, month = MotherStatus.BREASTFEEDING, None
            later = self._condition(status, day, month)
            checks.append(
                MotherCheck(
                    mother=mother,
                    checked_on=day,
                    source=rng.choice([MotherCheck.Source.PUSKESMAS, MotherCheck.Source.PARTNER]),
                    created_at=self._more_moment(day),
                    **later,
                )
            )
        chunk.checks.extend(checks)
        latest = checks[-1]
        mother.mother_status = latest.mother_status
        mother.is_kek = latest.is_kek
        mother.is_anaemic = latest.is_anaemic
        if rng.random() < MOTHER_EXIT_SHARE:
            exit_day = latest.checked_on + timedelta(days=rng.randint(30, 300))
            if exit_day <= self.today:
                mother.programme_status = Mother.ProgrammeStatus.EXITED
                mother.exit_reason = rng.choices(
                    [r for r, _ in MOTHER_EXITS], [w for _, w in MOTHER_EXITS]
                )[0]
                mother.exit_date = exit_day
        self._mother_interventions(chunk, mother, timezone.localdate(reported))

    def _other_mother_report(self, chunk):
        """A mother's report that made no registered mother: pending, sent back or refused."""
        rng = self.more_rng
        Status = Submission.Status
        status = rng.choices(
            [Status.PENDING, Status.NEEDS_CORRECTION, Status.REJECTED], [60, 15, 25]
        )[0]
        days_back = rng.randint(0, 60) if status == Status.PENDING else rng.randint(5, 700)
        created_at = self._more_moment(self.today - timedelta(days=days_back))
        village = rng.choice(self.villages)
        status_ = MotherStatus.PREGNANT if rng.random() < 0.65 else MotherStatus.BREASTFEEDING
        day = timezone.localdate(created_at)
        report = self._mother_report(
            chunk, self._identity(village), self._condition(status_, day), created_at, status
        )
        if status == Status.NEEDS_CORRECTION:
            self._decide_mother(chunk, report, Decision.Action.NEEDS_CORRECTION)
        elif status == Status.REJECTED:
            self._decide_mother(chunk, report, Decision.Action.REJECTED)

    def _mother_interventions(self, chunk, mother, first_day):
        rng = self.more_rng
        if not self.mother_plan:
            return
        # KEK mothers are helped more often.
        chance = 0.8 if mother.is_kek else 0.45
        count = 0 if rng.random() > chance else rng.choice([1, 1, 2])
        last_day = mother.exit_date or self.today
        for _ in range(count):
            if first_day > last_day:
                return
            start = first_day + timedelta(days=rng.randint(0, min(45, (last_day - first_day).days)))
            plan = rng.choices(self.mother_plan, [w for _, w, _ in self.mother_plan])[0]
            partner = plan[0] or self.governments.get(mother.village_id)
            if partner is None:
                continue
            kind = rng.choice(plan[2])
            intervention = Intervention(
                mother=mother,
                kind=kind,
                partner=partner,
                start_date=start,
                planned_end=start + timedelta(days=kind.default_duration_days or 60),
                created_by=self.verifikator,
                created_at=self._more_moment(start),
            )
            self._more_status(intervention, last_day, closed=bool(mother.exit_reason))
            intervention.updated_at = self._more_moment(
                intervention.finished_on or intervention.started_on or start
            )
            chunk.interventions.append(intervention)
            self._more_deliveries(chunk, intervention)
            first_day = start + timedelta(days=rng.randint(20, 90))

    def _more_status(self, intervention, last_day, closed):
        rng = self.more_rng
        Status = Intervention.Status
        start, end = intervention.start_date, intervention.planned_end
        if end < last_day or closed:
            status = rng.choices([Status.DONE, Status.CANCELLED, Status.RUNNING], [80, 8, 12])[0]
            if closed and status == Status.RUNNING:
                status = Status.DONE
        else:
            status = rng.choices([Status.RUNNING, Status.PLANNED, Status.CANCELLED], [80, 12, 8])[0]
        intervention.status = status
        if status != Status.PLANNED:
            intervention.started_on = min(start + timedelta(days=rng.randint(0, 7)), last_day)
        if status in (Status.DONE, Status.CANCELLED):
            finished = min(end + timedelta(days=rng.randint(-5, 5)), last_day)
            intervention.finished_on = max(finished, intervention.started_on)
            if status == Status.CANCELLED:
                intervention.cancel_reason = "Ibu pindah atau tidak dapat dihubungi."

    def _more_deliveries(self, chunk, intervention):
        rng = self.more_rng
        if intervention.started_on is None:
            return
        until = intervention.finished_on or self.today
        day = intervention.started_on
        counted = intervention.kind.has_quantity
        for _ in range(rng.randint(1, 3)):
            if day > until:
                break
            chunk.deliveries.append(
                Delivery(
                    intervention=intervention,
                    date=day,
                    description=intervention.kind.name if counted else "Kunjungan rumah",
                    quantity=Decimal(rng.choice([2, 4, 6])) if counted else None,
                    recorded_by=self.workers[intervention.partner.pk],
                    created_at=self._more_moment(day),
                )
            )
            day += timedelta(days=rng.randint(10, 30))

    def save_mothers(self, chunk):
        Mother.objects.bulk_create(chunk.mothers, batch_size=BATCH)
        for mother in chunk.mothers:
            mother._history_date = mother.created_at
            mother._history_user = self.verifikator
        Mother.history.bulk_history_create(chunk.mothers, batch_size=BATCH)
        # Saved records lend their new ids to the records pointing at them.
        MotherReport.objects.bulk_create(chunk.reports, batch_size=BATCH)
        MotherReportVersion.objects.bulk_create(
            [
                MotherReportVersion(
                    report=report, number=1, data=_report_data(report), created_at=report.created_at
                )
                for report in chunk.reports
            ],
            batch_size=BATCH,
        )
        Decision.objects.bulk_create(chunk.decisions, batch_size=BATCH)
        MotherCheck.objects.bulk_create(chunk.checks, batch_size=BATCH)
        latest = MotherCheck.objects.filter(mother=OuterRef("pk")).order_by(
            *MotherCheck.LATEST_FIRST
        )
        ids = [mother.pk for mother in chunk.mothers]
        Mother.objects.filter(pk__range=(min(ids), max(ids))).update(
            latest_check=Subquery(latest.values("pk")[:1])
        )
        for intervention in chunk.interventions:
            intervention._history_date = intervention.created_at
            intervention._history_user = self.verifikator
        Intervention.objects.bulk_create(chunk.interventions, batch_size=BATCH)
        Intervention.history.bulk_history_create(chunk.interventions, batch_size=BATCH)
        for delivery in chunk.deliveries:
            delivery._history_date = delivery.created_at
            delivery._history_user = delivery.recorded_by
        Delivery.objects.bulk_create(chunk.deliveries, batch_size=BATCH)
        Delivery.history.bulk_history_create(chunk.deliveries, batch_size=BATCH)
        c = self.counts
        c["mothers"] += len(chunk.mothers)
        c["mother_reports"] += len(chunk.reports)
        c["mother_checks"] += len(chunk.checks)
        c["interventions"] += len(chunk.interventions)
        c["deliveries"] += len(chunk.deliveries)

    def make_activities(self):
        rng = self.more_rng
        n = max(2, round(self.n_children * ACTIVITIES_PER_CHILD))
        partners = [p for p in Partner.objects.filter(is_active=True).order_by("pk")]
        activities, links = [], []
        for i in range(n):
            day = self.start + timedelta(days=PROGRAMME_DAYS * i // n + rng.randint(0, 6))
            day = min(day, self.today)
            kind, topics, audiences = rng.choice(ACTIVITY_PLAN)
            village = rng.choice(self.villages)
            counts = {name: rng.randint(low, high) for name, (low, high) in audiences.items()}
            if not any(counts.values()):
                counts[next(iter(audiences))] = 1
            moment = self._more_moment(day)
            activity = Activity(
                kind=kind,
                date=day,
                village=village,
                posyandu=(rng.choice(self.posyandu[village.pk]) if rng.random() < 0.6 else None),
                topic=rng.choice(topics),
                recorded_by=self.verifikator,
                created_at=moment,
                updated_at=moment,
                **counts,
            )
            activities.append(activity)
            ran = rng.sample(partners, min(len(partners), rng.choice([1, 1, 2])))
            government = self.governments.get(village.pk)
            if government and government not in ran and rng.random() < 0.3:
                ran.append(government)
            links.extend((activity, partner) for partner in ran)
        with transaction.atomic(), _timestamps_as_given(Activity):
            Activity.objects.bulk_create(activities, batch_size=BATCH)
            ActivityPartner.objects.bulk_create(
                [ActivityPartner(activity=a, partner=p) for a, p in links], batch_size=BATCH
            )
        self.counts["activities"] += len(activities)

    def make_obstacles(self, after_pk):
        """Obstacles on a share of this run's started assignments (children's and mothers'),
        most of the older ones handled by the kecamatan."""
        rng = self.more_rng
        q = (
            Intervention.objects.filter(pk__gt=after_pk, started_on__isnull=False)
            .order_by("pk")
            .values_list("pk", "partner", "started_on", "finished_on")
        )
        kinds = [k for k in Obstacle.Kind.values]
        made = []
        for pk, partner, started_on, finished_on in q.iterator(chunk_size=CHUNK):
            if rng.random() >= OBSTACLE_SHARE:
                continue
            until = finished_on or self.today
            day = started_on + timedelta(days=rng.randint(0, max(0, (until - started_on).days)))
            kind = rng.choice(kinds)
            obstacle = Obstacle(
                intervention_id=pk,
                date=day,
                kind=kind,
                description=(
                    rng.choice(OBSTACLE_NOTES)
                    if kind == Obstacle.Kind.OTHER or rng.random() < 0.4
                    else ""
                ),
                reported_by=self.workers[partner],
                created_at=self._more_moment(day),
            )
            handled_on = day + timedelta(days=rng.randint(1, 21))
            if handled_on <= self.today and rng.random() < 0.7:
                obstacle.status = Obstacle.Status.HANDLED
                obstacle.handled_by = self.verifikator
                obstacle.handled_at = self._more_moment(handled_on)
                obstacle.handling_note = rng.choice(HANDLING_NOTES)
            made.append(obstacle)
            if len(made) >= BATCH:
                self._save_obstacles(made)
                made = []
        self._save_obstacles(made)

    def _save_obstacles(self, obstacles):
        with transaction.atomic(), _timestamps_as_given(Obstacle):
            Obstacle.objects.bulk_create(obstacles, batch_size=BATCH)
        self.counts["obstacles"] += len(obstacles)


def _report_data(report):
    """A mother's report as sent, in plain values (its first version)."""
    return {
        field: None if value is None else str(value)
        for field, value in (
            ("name", report.name),
            ("nik", report.nik),
            ("birth_date", report.birth_date),
            ("village", report.village.code),
            ("mother_status", report.mother_status),
            ("pregnancy_month", report.pregnancy_month),
            ("baby_birth_date", report.baby_birth_date),
            ("muac_cm", report.muac_cm),
            ("hb_g_dl", report.hb_g_dl),
            ("measured_on", report.measured_on),
        )
    }


def _sample_jpeg():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 250), (235, 242, 250)).save(out, "JPEG", quality=70)
    return out.getvalue()
