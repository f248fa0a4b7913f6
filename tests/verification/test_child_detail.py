import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from registrations import growth
from registrations.models import Child, Measurement
from tests.builders import make_child, make_measurement, make_submission
from verification.services import submission_decide

pytestmark = pytest.mark.django_db


def url(child):
    return f"/verifikasi/anak/{child.pk}/"


def zscore(value):
    return f"{value:+.2f}".replace(".", ",").replace("-", "−")


def chart_of(html):
    match = re.search(r'<div class="chart">(.*?)</div>', html, re.S)
    assert match, "no chart on the page"
    return match.group(1)


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    child = make_child(village)
    r = client.get(url(child))
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next=/verifikasi/anak/{child.pk}/"


@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user"])
def test_it_refuses_users_without_the_role(client, village, user, request):
    child = make_child(village, mother_name="Rina Marlina")
    client.force_login(request.getfixturevalue(user))
    r = client.get(url(child))
    assert r.status_code == 403
    assert b"Rina Marlina" not in r.content


@pytest.mark.parametrize("user", ["verifikator", "pimpinan"])
def test_it_shows_the_page_to_verifikator_and_pimpinan(client, village, user, request):
    child = make_child(village)
    client.force_login(request.getfixturevalue(user))
    r = client.get(url(child))
    assert r.status_code == 200
    assert r.context["child"] == child


def test_it_returns_404_for_an_unknown_child(client, village, verifikator):
    child = make_child(village)
    client.force_login(verifikator)
    assert client.get(f"/verifikasi/anak/{child.pk + 1}/").status_code == 404


def test_it_shows_the_edit_links_to_the_verifikator_only(client, village, verifikator, pimpinan):
    child = make_child(village)
    edit = f'href="/verifikasi/anak/{child.pk}/ubah/">Ubah data anak</a>'
    measure_link = f'href="/verifikasi/anak/{child.pk}/ukur/">Tambah pengukuran</a>'

    client.force_login(verifikator)
    html = client.get(url(child)).content.decode()
    assert edit in html and measure_link in html

    client.force_login(pimpinan)
    html = client.get(url(child)).content.decode()
    assert "Ubah data anak" not in html
    assert "Tambah pengukuran" not in html
    assert "/ubah/" not in html and "/ukur/" not in html


# --- content ------------------------------------------------------------------


def test_it_shows_the_identity(client, village, posyandu, verifikator):
    child = make_child(
        village,
        name="Muhammad Rizki",
        nik="1901011001240003",
        sex="L",
        birth_date=date(2024, 1, 10),
        mother_name="Nur Aini",
        father_name="Ahmad",
        parent_occupation="Nelayan",
        parent_phone="6281311112222",
        address="Jl. Pantai Matras RT 02/RW 01",
        kk_number="1901010101200001",
        posyandu=posyandu,
    )
    client.force_login(verifikator)
    html = client.get(url(child)).content.decode()
    assert f'<h1>Muhammad Rizki <span class="muted">#{child.pk}</span></h1>' in html
    identity = html.split('id="identity"')[1].split("</section>")[0]
    for dt, dd in [
        ("NIK", "1901011001240003"),
        ("Jenis kelamin", "Laki-laki"),
        ("Tanggal lahir", "10 Januari 2024"),
        ("Nama ibu", "Nur Aini"),
        ("Nama ayah", "Ahmad"),
        ("Pekerjaan orang tua", "Nelayan"),
        ("HP orang tua", "0813-1111-2222"),
        ("Alamat", "Jl. Pantai Matras RT 02/RW 01"),
        ("Nomor KK", "1901010101200001"),
        ("Kelurahan/desa", "Kelurahan Matras"),
        ("Posyandu", "Posyandu Melati"),
    ]:
        assert f"<dt>{dt}</dt><dd>{dd}</dd>" in identity
    # The NIK is checked against the birth date and sex.
    assert "NIK cocok dengan tanggal lahir dan jenis kelamin." in identity


def test_it_shows_dashes_for_empty_identity_fields(client, village, verifikator):
    child = make_child(village, nik="", father_name="", kk_number="")
    client.force_login(verifikator)
    html = client.get(url(child)).content.decode()
    assert "<dt>NIK</dt><dd>–</dd>" in html
    assert "<dt>Nama ayah</dt><dd>–</dd>" in html
    assert "<dt>Nomor KK</dt><dd>–</dd>" in html
    assert "<dt>Posyandu</dt><dd>–</dd>" in html


def test_it_draws_one_point_per_measurement_with_a_height(client, village, verifikator):
    birth = date(2024, 1, 10)
    child = make_child(village, sex="P", birth_date=birth)
    with_height = [
        make_measurement(child, date(2024, 3, 10), "55.0"),
        make_measurement(child, date(2024, 9, 10), "63.5", position="standing"),  # adjusted +0.7
        make_measurement(child, date(2025, 6, 2), "76.1"),
    ]
    make_measurement(child, date(2025, 7, 1), None, weight_kg="10.0", position="")
    client.force_login(verifikator)
    chart = chart_of(client.get(url(child)).content.decode())

    assert "<svg" in chart and "anak perempuan" in chart
    assert chart.count('<circle class="measurement"') == 3
    assert chart.count('<polyline class="measurement-line"') == 1
    points = re.search(r'class="measurement-line" points="([^"]*)"', chart).group(1)
    assert len(points.split()) == 3
    for m in with_height:
        expected = growth.assess(
            "P", birth, m.measured_on, m.height_cm, m.weight_kg, lying=m.position == "lying"
        )
        cm = f"{expected.height_used_cm:.1f}".replace(".", ",")
        assert f"({expected.age_days} hari): {cm} cm</title></circle>" in chart
    assert "63,5 cm" not in chart and "64,2 cm" in chart


def test_it_draws_no_point_without_measurements(client, village, verifikator):
    child = make_child(village)
    client.force_login(verifikator)
    chart = chart_of(client.get(url(child)).content.decode())
    assert "<svg" in chart
    assert '<circle class="measurement"' not in chart
    assert "measurement-line" not in chart


def test_it_lists_the_measurements_in_date_order(client, village, verifikator):
    birth = date(2024, 1, 10)
    child = make_child(village, sex="P", birth_date=birth)
    later = make_measurement(
        child, date(2025, 1, 10), "67.5", weight_kg="8.2", recorded_by=verifikator
    )
    earlier = make_measurement(child, date(2024, 7, 10), "66.0", weight_kg="7.1", source="kader")
    client.force_login(verifikator)
    r = client.get(url(child))
    assert r.context["measurements"] == [earlier, later]
    html = r.content.decode()
    growth_section = html.split('id="growth"')[1].split("</section>")[0]
    rows = re.findall(r"<tr[^>]*>\s*<td class=\"nowrap\">(.*?)</tr>", growth_section, re.S)
    assert [row.split("</td>")[0] for row in rows] == ["10-07-2024", "10-01-2025"]
    for m, row, source in [
        (earlier, rows[0], "Kader posyandu"),
        (later, rows[1], "Puskesmas/petugas kesehatan"),
    ]:
        expected = growth.assess("P", birth, m.measured_on, m.height_cm, m.weight_kg, lying=True)
        assert f"<td>{expected.age_months} bln</td>" in row
        weight, height = (str(v).replace(".", ",") for v in (m.weight_kg, m.height_cm))
        assert f"<td>{weight}</td><td>{height} cm, terlentang</td>" in row
        label = growth.HAZ_LABELS[expected.haz_category]
        assert f"<td>{zscore(expected.haz)} {label}</td>" in row
        assert f"<td>{zscore(expected.waz)}</td><td>{zscore(expected.whz)}</td>" in row
        assert f"<td>{source}" in row
    # The summary above the page describes the latest measurement.
    latest = growth.assess("P", birth, later.measured_on, 67.5, 8.2, lying=True)
    assert latest.haz_category == "pendek"
    assert "Hasil ukur menunjukkan anak pendek menurut TB/U." in html
    assert "(pengukuran 10-01-2025)" in html


@pytest.mark.usefixtures("clock")
def test_it_shows_reports_decisions_and_history_of_a_verified_child(
    client, village, posyandu, verifikator, pimpinan
):
    submission = make_submission(
        village, posyandu, child_name="Dewi Lestari", kader_name="Siti Aminah"
    )
    make_submission(village, posyandu, child_name="Anak Lain")
    decision = submission_decide(
        submission=submission,
        action="verified_new",
        user=verifikator,
        version=submission.version,
        note="Cocok dengan KK.",
    )
    child = decision.child
    assert child.name == "Dewi Lestari"

    client.force_login(pimpinan)
    r = client.get(url(child))
    assert r.status_code == 200
    assert list(r.context["submissions"]) == [submission]
    assert list(r.context["decisions"]) == [decision]
    html = r.content.decode()

    reports = html.split('id="reports"')[1].split("</section>")[0]
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert (
        f'<a href="/verifikasi/laporan/{submission.pk}/">{today} – Siti Aminah, '
        "Posyandu Melati</a> (terverifikasi)"
    ) in reports
    assert "Anak Lain" not in html
    assert "Diverifikasi sebagai kasus baru oleh verifikator: “Cocok dengan KK.”" in reports

    # The kader's measurement now belongs to the child: in the table and on the chart.
    m = submission.measurement
    assert r.context["measurements"] == [m]
    assert m.child == child
    assert chart_of(html).count('<circle class="measurement"') == 1
    assert "<td>Kader posyandu</td>" in html

    history = html.split('id="history"')[1].split("</section>")[0]
    assert re.search(r"Didaftarkan oleh verifikator\s*</li>", history)
    assert history.count("<li>") == 1


def test_it_names_the_system_when_nobody_is_recorded(client, village, verifikator):
    child = make_child(village)
    client.force_login(verifikator)
    history = client.get(url(child)).content.decode().split('id="history"')[1]
    assert "Didaftarkan oleh sistem" in history


def test_it_shows_each_change_in_the_history(client, village, verifikator):
    child = make_child(village, name="Putri Ayu", mother_name="Rina")
    child.mother_name = "Rina Marlina"
    child._history_user = verifikator
    child.save()
    client.force_login(verifikator)
    history = client.get(url(child)).content.decode().split('id="history"')[1]
    assert history.index("Diubah oleh verifikator") < history.index("Didaftarkan oleh sistem")
    assert "<li>nama ibu: “Rina” → “Rina Marlina”</li>" in history


# --- programme status ---------------------------------------------------------


def status_of(html):
    return html.split('id="programme-status"')[1].split("</p>")[0]


@pytest.mark.parametrize("user", ["verifikator", "pimpinan"])
def test_it_shows_an_active_child_as_active(client, village, user, request):
    child = make_child(village)
    client.force_login(request.getfixturevalue(user))
    html = client.get(url(child)).content.decode()
    assert status_of(html) == (
        ' class="programme-status">Status program: <span class="badge badge-active">Aktif</span>'
    )


@pytest.mark.parametrize("user", ["verifikator", "pimpinan"])
def test_it_shows_when_and_why_a_child_left(client, village, user, request):
    child = make_child(
        village,
        programme_status="exited",
        exit_reason="moved",
        exit_date=date(2026, 5, 2),
        exit_note="Ke Pangkalpinang",
    )
    client.force_login(request.getfixturevalue(user))
    html = client.get(url(child)).content.decode()
    assert status_of(html).endswith(
        '<span class="badge badge-exited">Keluar</span> sejak 2 Mei 2026, alasan pindah '
        "(“Ke Pangkalpinang”)"
    )


def test_it_links_the_status_form_for_the_verifikator_only(client, village, verifikator, pimpinan):
    active = make_child(village)
    exited = make_child(
        village, programme_status="exited", exit_reason="died", exit_date=date(2026, 5, 2)
    )
    client.force_login(verifikator)
    link = f'href="/verifikasi/anak/{active.pk}/status-program/">Tandai keluar dari program</a>'
    assert link in client.get(url(active)).content.decode()
    link = f'href="/verifikasi/anak/{exited.pk}/status-program/">Ubah status program</a>'
    assert link in client.get(url(exited)).content.decode()

    client.force_login(pimpinan)
    for child in [active, exited]:
        html = client.get(url(child)).content.decode()
        assert "/status-program/" not in html
        assert "Tandai keluar" not in html and "Ubah status program" not in html


SUGGESTION = "Anak ini tidak stunting lagi menurut pengukuran terakhir (TB/U z = {z})."


@pytest.mark.parametrize(
    "haz,flags,suggested",
    [
        (-2.0, [], True),
        (-1.5, [], True),
        (3.5, [], True),
        (-2.01, [], False),
        (-3.4, [], False),
        (None, [], False),
        (6.5, ["haz_implausible"], False),
    ],
)
def test_it_suggests_an_exit_when_the_child_is_no_longer_stunted(
    client, village, verifikator, haz, flags, suggested
):
    child = make_child(village, birth_date=date(2024, 1, 10))
    m = make_measurement(child, date(2025, 1, 10), "74.0")
    Measurement.objects.filter(pk=m.pk).update(haz=haz, flags=flags)
    client.force_login(verifikator)
    html = client.get(url(child)).content.decode()
    if suggested:
        link = f'<a href="/verifikasi/anak/{child.pk}/status-program/?alasan=not_stunted">'
        assert SUGGESTION.format(z=zscore(haz)) + f" {link}Tandai keluar?</a>" in html
    else:
        assert "tidak stunting lagi" not in html
        assert "?alasan=not_stunted" not in html


def test_it_follows_the_latest_measurement_for_the_suggestion(client, village, verifikator):
    child = make_child(village, birth_date=date(2024, 1, 10))
    make_measurement(child, date(2025, 1, 10), "67.5")  # pendek, the latest
    make_measurement(child, date(2024, 7, 10), "66.0")  # normal, earlier
    client.force_login(verifikator)
    assert "tidak stunting lagi" not in client.get(url(child)).content.decode()

    make_measurement(child, date(2025, 7, 10), "80.0")
    html = client.get(url(child)).content.decode()
    assert "Anak ini tidak stunting lagi menurut pengukuran terakhir" in html


def test_it_suggests_nothing_for_an_exited_child_or_to_the_pimpinan(
    client, village, verifikator, pimpinan
):
    exited = make_child(
        village, programme_status="exited", exit_reason="moved", exit_date=date(2026, 5, 2)
    )
    make_measurement(exited, date(2025, 1, 10), "74.0")
    active = make_child(village)
    make_measurement(active, date(2025, 1, 10), "74.0")
    client.force_login(verifikator)
    assert "tidak stunting lagi" not in client.get(url(exited)).content.decode()
    client.force_login(pimpinan)
    assert "tidak stunting lagi" not in client.get(url(active)).content.decode()


@pytest.mark.parametrize("today,suggested", [(date(2026, 2, 28), False), (date(2026, 3, 1), True)])
def test_it_suggests_an_exit_from_60_months(client, village, verifikator, today, suggested):
    child = make_child(village, birth_date=date(2021, 3, 1))
    client.force_login(verifikator)
    with time_machine.travel(f"{today.isoformat()} 08:00 +0700", tick=False):
        html = client.get(url(child)).content.decode()
    link = f'<a href="/verifikasi/anak/{child.pk}/status-program/?alasan=aged_out">'
    expected = f"Anak ini sudah genap 60 bulan pada 1 Maret 2026. {link}Tandai keluar?</a>"
    assert (expected in html) is suggested
    assert ("?alasan=aged_out" in html) is suggested


# --- access log -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_logs_who_opened_the_child_with_its_nik(client, village, who, request):
    from registrations.models import AccessLog

    child = make_child(village, name="Bunga Citra", nik="1901015001240007")
    user = request.getfixturevalue(who)
    client.force_login(user)
    r = client.get(url(child), REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 200
    assert "1901015001240007" in r.content.decode()
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.ip_address) == (user, "view_child", "10.1.2.3")
    assert log.get_action_display() == "Melihat data anak"
    assert log.detail == f"Data anak #{child.pk} (Bunga Citra)"
    assert log.target == child


def test_it_logs_nothing_for_a_refused_or_missing_child(client, village, mitra_user, verifikator):
    from registrations.models import AccessLog

    child = make_child(village)
    client.force_login(mitra_user)
    assert client.get(url(child)).status_code == 403
    client.force_login(verifikator)
    assert client.get("/verifikasi/anak/999999/").status_code == 404
    assert AccessLog.objects.count() == 0


# --- message to the parents ---------------------------------------------------------


def parent_message_of(html):
    match = re.search(r'id="whatsapp-parent"', html)
    assert match, "no message to the parents on the page"
    link = re.search(r'href="([^"]*)"[^>]*id="whatsapp-parent"', html).group(1)
    parts = urlsplit(link.replace("&amp;", "&"))
    return parts.path, parse_qs(parts.query)["text"][0]


def test_it_offers_the_verifikator_a_message_to_the_parents(client, village, verifikator):
    child = make_child(
        village,
        name="Bunga Citra",
        mother_name="Rina",
        birth_date=date(2024, 1, 10),
        parent_phone="6281311112222",
    )
    make_measurement(child, date(2024, 7, 10), "66.0")
    make_measurement(child, date(2025, 1, 10), "67.5", weight_kg="8.2")  # pendek, the latest
    client.force_login(verifikator)
    html = client.get(url(child)).content.decode()

    path, text = parent_message_of(html)
    assert path == "/6281311112222"
    assert text.startswith("Halo Ibu Rina, salam dari tim GASKEN Kecamatan Sungailiat.")
    assert "Hasil timbang dan ukur Bunga Citra pada 10 Januari 2025:" in text
    assert "- Tinggi badan: lebih pendek daripada anak lain seusianya." in text
    assert "Ibu tidak sendirian" in text
    # Shown before it is sent, with the number as people write it.
    section = html.split('id="parent-message"')[1].split("</div>")[0]
    assert "Isi pesan untuk orang tua (0813-1111-2222)" in section
    assert "Hasil timbang dan ukur Bunga Citra pada 10 Januari 2025:<br>" in section


def test_it_offers_no_message_to_the_parents_to_the_pimpinan(client, village, pimpinan):
    child = make_child(village, parent_phone="6281311112222")
    make_measurement(child, date(2025, 1, 10), "67.5")
    client.force_login(pimpinan)
    r = client.get(url(child))
    assert r.context["parent_message"] is None
    assert "whatsapp-parent" not in r.content.decode()


@pytest.mark.parametrize(
    "phone,exited,measured",
    [("", False, True), ("6281311112222", True, True), ("6281311112222", False, False)],
)
def test_it_offers_no_message_to_the_parents_without_a_number_a_status_or_the_programme(
    client, village, verifikator, phone, exited, measured
):
    fields = {
        "programme_status": Child.ProgrammeStatus.EXITED,
        "exit_reason": Child.ExitReason.MOVED,
        "exit_date": date(2026, 1, 5),
    }
    child = make_child(village, parent_phone=phone, **(fields if exited else {}))
    if measured:
        make_measurement(child, date(2025, 1, 10), "67.5")
    client.force_login(verifikator)
    r = client.get(url(child))
    assert r.context["parent_message"] is None
    assert "whatsapp-parent" not in r.content.decode()


def test_it_tells_the_parents_nothing_about_an_implausible_value(client, village, verifikator):
    child = make_child(village, birth_date=date(2024, 1, 10), parent_phone="6281311112222")
    m = make_measurement(child, date(2025, 1, 10), "67.5", weight_kg="8.2")
    Measurement.objects.filter(pk=m.pk).update(haz=-6.5, flags=["haz_implausible"])
    client.force_login(verifikator)
    _, text = parent_message_of(client.get(url(child)).content.decode())
    assert "Tinggi badan" not in text
    assert "- Berat badan:" in text
