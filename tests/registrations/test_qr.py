import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw

pytestmark = pytest.mark.django_db


def decode_png(content):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))
    assert len(results) == 1
    return results[0].text


def decode_svg(content):
    """Rasterise the unit squares of qrcode's SVG path and decode the picture."""
    svg = content.decode()
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    scale = 8
    img = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(img)
    squares = re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z", svg)
    assert squares
    for x0, y0, x1, y1 in squares:
        x0, y0, x1, y1 = (int(v) * scale for v in (x0, y0, x1, y1))
        draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill=0)
    out = io.BytesIO()
    img.save(out, "PNG")
    return decode_png(out.getvalue())


def test_it_encodes_the_kecamatan_form_as_png(client):
    r = client.get("/lapor/qr.png")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert decode_png(r.content) == "https://gasken.example.go.id/lapor/"


def test_it_encodes_the_kecamatan_form_as_svg(client):
    r = client.get("/lapor/qr.svg")
    assert r["Content-Type"] == "image/svg+xml"
    assert decode_svg(r.content) == "https://gasken.example.go.id/lapor/"


def test_it_encodes_the_posyandu_form(client, posyandu):
    assert decode_png(client.get("/lapor/melati/qr.png").content) == (
        "https://gasken.example.go.id/lapor/melati/"
    )
    assert decode_svg(client.get("/lapor/melati/qr.svg").content) == (
        "https://gasken.example.go.id/lapor/melati/"
    )


def test_it_encodes_the_village_form(client, village):
    url = "https://gasken.example.go.id/lapor/desa/19.01.01.1009/"
    assert decode_png(client.get("/lapor/desa/19.01.01.1009/qr.png").content) == url
    assert decode_svg(client.get("/lapor/desa/19.01.01.1009/qr.svg").content) == url


def test_it_returns_404_for_an_unknown_village(client, db):
    assert client.get("/lapor/desa/19.01.01.9999/qr.png").status_code == 404
    assert client.get("/lapor/desa/19.01.01.9999/qr.svg").status_code == 404


def test_it_follows_public_base_url(client, settings, posyandu):
    settings.PUBLIC_BASE_URL = "http://10.0.0.5:8000"
    assert decode_png(client.get("/lapor/melati/qr.png").content) == (
        "http://10.0.0.5:8000/lapor/melati/"
    )


def test_it_returns_404_for_unknown_or_inactive_posyandu(client, posyandu):
    assert client.get("/lapor/tidak-ada/qr.png").status_code == 404
    posyandu.is_active = False
    posyandu.save()
    assert client.get("/lapor/melati/qr.svg").status_code == 404


def test_it_rejects_post(client):
    assert client.post("/lapor/qr.png").status_code == 405
