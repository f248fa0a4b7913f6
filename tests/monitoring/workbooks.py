"""A small programme for the workbook tests, and helpers to read a downloaded workbook.

The clock is pinned at NOW (15 June 2026, 10:30 WIB); the default period is 2026.

Matras (posyandu Melati):
- Andi (L): sangat pendek (−3.68) in January, pendek (−2.16) in May: "Membaik". PMT by
  PT Timah running and overdue (10 + 5 paket in the period), health monitoring by Puskesmas
  finished. Reported stunted, born at 2,400 g and 46.5 cm, often ill.
- Bayu (L): sangat pendek (−3.68) in January, normal (−1.85) in May: "Keluar dari stunting".
  Health monitoring by Puskesmas running and overdue: never PT Timah's child. Reported at
  risk: no clean water or toilet, and a young mother ("lainnya").
- Citra (P, no posyandu): normal, no intervention, moved away on 10 February 2026.
- Eko (L): left in 2025 (aged out); PT Timah's PMT for him, begun in 2025, is still running
  (4 paket in 2025).
- One kader report waiting for verification.
Citra, Eko and Dewi were registered before the form asked why (no reason recorded).
Rebo (posyandu Kenanga):
- Dewi (P): measured normal in November 2025 only; PMT by PT Timah running (3 paket).
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from interventions.models import Intervention
from registrations.models import Child, Measurement, Posyandu, Village
from tests.builders import (
    kecamatan_user,
    make_child,
    make_delivery,
    make_intervention,
    make_submission,
)

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 6, 15, 10, 30, tzinfo=WIB)
MATRAS, REBO = "19.01.01.1009", "19.01.01.2007"
TIMAH, PUSKESMAS = "PT Timah Tbk", "Puskesmas Sungailiat"
PMT, PEMANTAUAN = "PMT", "Pemantauan kesehatan"
ANDI_NIK, ANDI_KK = "1901011001240001", "1901010101200001"
Status = Intervention.Status


def measure(child, on, height, weight, position="standing"):
    m = Measurement(
        child=child,
        measured_on=on,
        height_cm=Decimal(height),
        weight_kg=Decimal(weight),
        position=position,
        source=Measurement.Source.PUSKESMAS,
    )
    m.save()
    return m


@dataclass
class Programme:
    matras: Village
    rebo: Village
    children: dict = field(default_factory=dict)
    measurements: dict = field(default_factory=dict)


def build():
    """The programme of the module docstring; call with the clock at NOW."""
    matras = Village.objects.get(code=MATRAS)
    rebo = Village.objects.get(code=REBO)
    melati = Posyandu.objects.create(name="Melati", village=matras, code="melati")
    kenanga = Posyandu.objects.create(name="Kenanga", village=rebo, code="kenanga")
    p = Programme(matras=matras, rebo=rebo)
    c, m = p.children, p.measurements
    staff = kecamatan_user()

    c["andi"] = make_child(
        matras,
        name="Andi Saputra",
        sex="L",
        birth_date=date(2024, 1, 10),
        nik=ANDI_NIK,
        kk_number=ANDI_KK,
        mother_name="Rina Marlina",
        father_name="Budi Santoso",
        address="Jl. Pantai Matras RT 02",
        posyandu=melati,
        reported_as=Child.ReportedAs.STUNTED,
        risk_low_birth_weight=True,
        risk_recurrent_illness=True,
        birth_weight_g=2400,
        birth_length_cm=Decimal("46.5"),
    )
    m["andi_1"] = measure(c["andi"], date(2026, 1, 15), "76.0", "9.0")
    m["andi_2"] = measure(c["andi"], date(2026, 5, 20), "83.5", "10.5")
    pmt = make_intervention(
        c["andi"],
        TIMAH,
        kind_name=PMT,
        status=Status.RUNNING,
        start_date=date(2026, 1, 20),
        planned_end=date(2026, 4, 20),
        started_on=date(2026, 1, 20),
    )
    make_delivery(pmt, staff, date=date(2026, 2, 1), quantity=Decimal("10"))
    make_delivery(pmt, staff, date=date(2026, 3, 1), quantity=Decimal("5"))
    make_intervention(
        c["andi"],
        PUSKESMAS,
        kind_name=PEMANTAUAN,
        status=Status.DONE,
        start_date=date(2026, 1, 20),
        planned_end=date(2026, 4, 20),
        started_on=date(2026, 1, 20),
        finished_on=date(2026, 5, 1),
    )

    c["bayu"] = make_child(
        matras,
        name="Bayu Pratama",
        sex="L",
        birth_date=date(2024, 1, 10),
        posyandu=melati,
        reported_as=Child.ReportedAs.AT_RISK,
        risk_poor_sanitation=True,
        risk_other=True,
        risk_other_text="Ibu usia remaja",
    )
    m["bayu_1"] = measure(c["bayu"], date(2026, 1, 15), "76.0", "9.0")
    m["bayu_2"] = measure(c["bayu"], date(2026, 5, 20), "84.5", "10.5")
    pantau = make_intervention(
        c["bayu"],
        PUSKESMAS,
        kind_name=PEMANTAUAN,
        status=Status.RUNNING,
        start_date=date(2026, 3, 1),
        planned_end=date(2026, 5, 30),
        started_on=date(2026, 3, 1),
    )
    make_delivery(pantau, staff, date=date(2026, 3, 5))

    c["citra"] = make_child(
        matras,
        name="Citra Dewi",
        sex="P",
        birth_date=date(2024, 3, 1),
        programme_status=Child.ProgrammeStatus.EXITED,
        exit_reason=Child.ExitReason.MOVED,
        exit_date=date(2026, 2, 10),
    )
    m["citra_1"] = measure(c["citra"], date(2026, 2, 1), "80.0", "10.0")

    c["eko"] = make_child(
        matras,
        name="Eko Prasetyo",
        sex="L",
        birth_date=date(2020, 5, 1),
        programme_status=Child.ProgrammeStatus.EXITED,
        exit_reason=Child.ExitReason.AGED_OUT,
        exit_date=date(2025, 5, 1),
    )
    # Nobody closed it when he left.
    old = make_intervention(
        c["eko"],
        TIMAH,
        kind_name=PMT,
        status=Status.RUNNING,
        start_date=date(2025, 1, 10),
        planned_end=date(2025, 4, 10),
        started_on=date(2025, 1, 10),
    )
    make_delivery(old, staff, date=date(2025, 2, 1), quantity=Decimal("4"))

    c["dewi"] = make_child(
        rebo,
        name="Dewi Lestari",
        sex="P",
        birth_date=date(2024, 3, 1),
        nik="1901014103240002",
        posyandu=kenanga,
    )
    m["dewi_1"] = measure(c["dewi"], date(2025, 11, 1), "78.0", "9.5")
    dewi_pmt = make_intervention(
        c["dewi"],
        TIMAH,
        kind_name=PMT,
        status=Status.RUNNING,
        start_date=date(2026, 5, 1),
        planned_end=date(2026, 7, 30),
        started_on=date(2026, 5, 1),
    )
    make_delivery(dewi_pmt, staff, date=date(2026, 5, 10), quantity=Decimal("3"))

    make_submission(matras, melati, child_name="Fitri")
    for child in c.values():
        child.refresh_from_db()
    return p


# --- Reading a downloaded workbook ------------------------------------------------------


def body(response):
    # Not response.close(): that ends the request and, on PostgreSQL, the test's connection.
    return b"".join(response.streaming_content)


def sheet_of(content):
    """The only worksheet of an .xlsx file's bytes."""
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def sheet_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def values(sheet):
    """Every row's values, title and header rows included."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def data_rows(sheet):
    """The rows below the headers, as dicts by header."""
    rows = values(sheet)
    headers = rows[1]
    return [dict(zip(headers, row, strict=True)) for row in rows[2:]]
