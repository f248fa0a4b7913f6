"""The Content Security Policy allows nothing inline: every page must do without inline
styles, event handlers and scripts. A template that adds one fails here, not in a browser."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string

from interventions.models import Intervention
from tests.builders import (
    make_child,
    make_delivery,
    make_imported_submission,
    make_intervention,
    make_measurement,
    make_submission,
    partner_user,
    today,
    village_user,
)
from verification.services import submission_decide

pytestmark = pytest.mark.django_db

INLINE_STYLE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
DATA_SCRIPT = re.compile(r"""\stype\s*=\s*["']?application/(ld\+)?json""", re.I)


def inline_code(html):
    """What the policy would block, as (kind, snippet) pairs."""
    found = [("style attribute", m.group(0)[-80:]) for m in INLINE_STYLE.finditer(html)]
    found += [("<style> block", m.group(0)) for m in STYLE_BLOCK.finditer(html)]
    found += [("event handler", m.group(0)[-80:]) for m in EVENT_HANDLER.finditer(html)]
    found += [("javascript: URL", m.group(0)) for m in JAVASCRIPT_URL.finditer(html)]
    for m in SCRIPT_TAG.finditer(html):
        attrs = m.group(1)
        if " src=" not in f" {attrs}" and not DATA_SCRIPT.search(attrs):
            found.append(("inline <script>", m.group(0)))
    return found


def test_the_checks_catch_what_they_should():
    html = """<p style="color:red">a</p><style>p{}</style><button onclick="go()">b</button>
    <a href="javascript:go()">c</a><script>go()</script><svg><rect style="fill:red"/></svg>"""
    kinds = [kind for kind, _ in inline_code(html)]
    assert kinds.count("style attribute") == 2
    assert {"<style> block", "event handler", "javascript: URL", "inline <script>"} <= set(kinds)
    ok = """<script src="/static/js/a.js" defer></script><script type="application/json" id="d">
    {}</script><p class="styled" data-onclick="x">one=two</p>"""
    assert inline_code(ok) == []


@pytest.fixture
def world(village, posyandu, verifikator, settings):
    settings.PUBLIC_BASE_URL = "https://gasken.example.go.id"
    child = make_child(village, posyandu=posyandu, nik="1901015001240007")
    make_measurement(child, today() - timedelta(days=30), "70.0", "8.0")
    intervention = make_intervention(child, status=Intervention.Status.RUNNING)
    timah = partner_user("timah")
    make_delivery(intervention, timah, photo=True)
    submission = make_submission(village, posyandu)
    imported = make_imported_submission(village)
    sent_back = make_submission(village, posyandu, child_name="Bunga")
    submission_decide(
        submission=sent_back,
        action="needs_correction",
        user=verifikator,
        version=1,
        note="Foto KK buram.",
    )
    return {
        "child": child,
        "intervention": intervention,
        "submission": submission,
        "imported": imported,
        "sent_back": sent_back,
        "timah": timah,
        "desa": village_user("matras", village),
    }


def public_pages(w):
    code = w["sent_back"].code
    return [
        "/lapor/",
        "/lapor/melati/",
        f"/lapor/status/{w['submission'].code}/",
        f"/lapor/status/{code}/",
        f"/lapor/status/{code}/perbaiki/",
        "/lapor/melati/poster/",
        "/lapor/desa/19.01.01.1009/",
        "/lapor/desa/19.01.01.1009/poster/",
        "/lapor/desa/19.01.01.1009/poster/semua/",
        "/lapor/poster/",
        "/ringkasan/",
        "/akun/masuk/",
        "/tidak-ada/",
    ]


def staff_pages(w):
    child, intervention = w["child"], w["intervention"]
    return [
        "/verifikasi/",
        "/verifikasi/?status=all",
        f"/verifikasi/laporan/{w['submission'].pk}/",
        f"/verifikasi/laporan/{w['imported'].pk}/",
        "/verifikasi/anak/",
        f"/verifikasi/anak/{child.pk}/",
        f"/verifikasi/anak/{child.pk}/ubah/",
        f"/verifikasi/anak/{child.pk}/ukur/",
        f"/verifikasi/anak/{child.pk}/status-program/",
        "/verifikasi/anak/usia-5-tahun/",
        "/intervensi/",
        f"/intervensi/{intervention.pk}/",
        f"/intervensi/tugaskan/?anak={child.pk}",
        "/pemantauan/",
        "/pemantauan/daftar/stunting-tanpa-intervensi/",
        "/akun/ganti-sandi/",
    ]


def partner_pages(w):
    return [
        "/mitra/",
        f"/mitra/anak/{w['child'].pk}/",
        f"/mitra/tugas/{w['intervention'].pk}/catat/",
    ]


def village_pages(w):
    return ["/desa/", f"/desa/anak/{w['child'].pk}/", "/pemantauan/"]


def assert_clean(client, url):
    r = client.get(url)
    assert r.status_code == (404 if url == "/tidak-ada/" else 200), (url, r.status_code)
    assert inline_code(r.content.decode()) == [], url
    assert_headers(r)


def assert_headers(r):
    policy = r["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy
    assert "img-src 'self' data: blob:" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in r["Permissions-Policy"]
    assert "geolocation=()" in r["Permissions-Policy"]


def test_public_pages_have_no_inline_code(client, world):
    for url in public_pages(world):
        assert_clean(client, url)


def test_the_correction_pages_have_no_inline_code(client, world):
    url = f"/lapor/status/{world['sent_back'].code}/perbaiki/"
    r = client.post(url, {"nomor_hp": "081200000000"})  # the question, with its error
    assert r.context["form"].errors
    assert inline_code(r.content.decode()) == []
    assert client.post(url, {"nomor_hp": "081234567890"}).status_code == 302
    r = client.get(url)  # the correction form itself
    assert 'name="child_name"' in r.content.decode()
    assert_clean(client, url)


def test_staff_pages_have_no_inline_code(client, world, verifikator):
    client.force_login(verifikator)
    for url in staff_pages(world):
        assert_clean(client, url)


def test_partner_and_village_pages_have_no_inline_code(client, world):
    client.force_login(world["timah"])
    for url in partner_pages(world):
        assert_clean(client, url)
    client.force_login(world["desa"])
    for url in village_pages(world):
        assert_clean(client, url)


def test_pages_with_errors_and_messages_have_no_inline_code(client, world, verifikator):
    client.force_login(verifikator)
    child = world["child"]
    r = client.post(f"/verifikasi/anak/{child.pk}/ubah/", {"name": ""}, follow=True)
    assert inline_code(r.content.decode()) == []
    r = client.post(f"/verifikasi/anak/{child.pk}/ukur/", {"weight_kg": "9,0"})
    assert inline_code(r.content.decode()) == []
    r = client.post("/lapor/", {"child_name": "x"})
    assert inline_code(r.content.decode()) == []


@pytest.mark.parametrize(
    "template,ctx",
    [
        ("400.html", {}),
        ("403.html", {}),
        ("404.html", {}),
        ("429.html", {"minutes": 10}),
        ("500.html", {}),
        ("registration/locked_out.html", {"minutes": 30}),
        ("home.html", {}),
    ],
)
def test_error_and_plain_pages_have_no_inline_code(rf, template, ctx):
    html = render_to_string(template, ctx, request=rf.get("/"))
    assert inline_code(html) == []


def test_every_response_carries_the_policies(client, world, django_user_model):
    for url in ["/lapor/qr.svg", "/lapor/qr.png", "/tidak-ada/", "/akun/masuk/"]:
        assert_headers(client.get(url))
    admin = django_user_model.objects.create_superuser("root", password="password")
    client.force_login(admin)
    assert_headers(client.get("/admin/"))
    # A stored file gets a stricter policy of its own: nothing in it may run or load.
    r = client.get(f"/intervensi/foto/{world['intervention'].deliveries.get().pk}/")
    assert r["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "camera=()" in r["Permissions-Policy"]
