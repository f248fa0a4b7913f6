"""Staff, partner and village pages on a 360 px wide phone screen."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from interventions.models import InterventionType, Partner, PartnerMember
from interventions.services import delivery_record, intervention_assign
from registrations.models import Measurement
from tests.builders import browser_login, make_child, make_submission, make_user, page_width

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    from registrations.models import Village

    matras = Village.objects.get(code="19.01.01.1009")
    verifikator = make_user("verifikator", "Verifikator Kecamatan")
    partner_user = make_user("mitra", "Mitra")
    timah = Partner.objects.get(name="PT Timah Tbk")
    PartnerMember.objects.create(user=partner_user, partner=timah)
    village_user = make_user("desa", "Pemerintah Kelurahan/Desa")
    PartnerMember.objects.create(user=village_user, partner=matras.government)

    today = timezone.localdate()
    child = make_child(
        matras,
        name="Muhammad Rizki Ramadhan Saputra",
        nik="1901011503240001",
        birth_date=today - timedelta(days=700),
        address="Jl. Pantai Matras Gang Nelayan Nomor 12 RT 002 RW 001 Kelurahan Matras",
    )
    Measurement.objects.create(
        child=child,
        measured_on=today - timedelta(days=10),
        weight_kg=Decimal("9.4"),
        height_cm=Decimal("79.0"),
        position="lying",
        source="puskesmas",
    )
    (intervention,) = intervention_assign(
        children=[child],
        partner=timah,
        kind=InterventionType.objects.get(name="PMT"),
        start_date=today - timedelta(days=30),
        planned_end=today + timedelta(days=60),
        note="PMT 90 hari",
        user=verifikator,
    )
    delivery_record(
        intervention=intervention,
        date=today - timedelta(days=20),
        description="Paket biskuit dan susu",
        quantity=Decimal("4"),
        note="Diterima ibu",
        user=partner_user,
    )
    make_submission(matras, child_name="Putri Ayu Lestari Wulandari")
    return {"child": child, "intervention": intervention}


@pytest.mark.parametrize(
    "username,paths",
    [
        (
            "verifikator",
            [
                "/verifikasi/",
                "/verifikasi/laporan/{report}/",
                "/verifikasi/anak/",
                "/verifikasi/anak/{child}/",
                "/intervensi/",
                "/intervensi/{intervention}/",
            ],
        ),
        ("mitra", ["/mitra/", "/mitra/anak/{child}/", "/mitra/tugas/{intervention}/catat/"]),
        ("desa", ["/desa/", "/desa/anak/{child}/"]),
    ],
)
def test_pages_fit_a_phone(live_server, phone, world, username, paths):
    from registrations.models import Submission

    ids = {
        "child": world["child"].pk,
        "intervention": world["intervention"].pk,
        "report": Submission.objects.get().pk,
    }
    browser_login(phone, live_server, username)
    for path in paths:
        response = phone.goto(live_server.url + path.format(**ids))
        assert response.status == 200, path
        assert page_width(phone) <= 360, path
