import pytest
from django.conf import settings
from PIL import Image

pytestmark = pytest.mark.django_db


def test_it_makes_the_form_installable(client):
    r = client.get("/lapor/manifest.webmanifest")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/manifest+json"
    data = r.json()
    assert data["start_url"] == data["id"] == "/lapor/"
    assert data["scope"] == "/lapor/"
    assert data["display"] == "standalone"
    assert data["lang"] == "id"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])


def test_a_posyandu_form_opens_its_own_page(client, posyandu):
    data = client.get("/lapor/melati/manifest.webmanifest").json()
    assert data["start_url"] == data["id"] == "/lapor/melati/"
    assert data["scope"] == "/lapor/"
    assert data["name"] == "GASKEN – Melati"


def test_it_returns_404_for_an_unknown_posyandu(client):
    assert client.get("/lapor/tidak-ada/manifest.webmanifest").status_code == 404


@pytest.mark.parametrize("size", [192, 512])
def test_its_icons_are_pngs_of_their_size(client, size):
    icon = next(
        i
        for i in client.get("/lapor/manifest.webmanifest").json()["icons"]
        if i["sizes"] == f"{size}x{size}"
    )
    assert icon["src"] == f"/static/img/icon-{size}.png"
    with Image.open(settings.BASE_DIR / "static" / "img" / f"icon-{size}.png") as img:
        assert (img.format, img.size) == ("PNG", (size, size))
