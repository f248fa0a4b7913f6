import io

import pytest
from PIL import Image


@pytest.mark.django_db
def test_it_serves_the_favicon(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in r["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(r.streaming_content))) as img:
        assert img.format == "ICO"


@pytest.mark.django_db
def test_pages_link_their_icon(client):
    html = client.get("/lapor/").content.decode()
    assert '<link rel="icon" href="/static/img/icon-32.png"' in html
