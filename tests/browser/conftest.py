import os
import shutil

import pytest
from django.core.signals import request_started
from PIL import Image

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("GASKEN_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread while the browser is open; the ORM calls
    # the tests make around it (and the flush after each test) are ordinary synchronous ones.
    # Module scope: the loop and this allowance end with the browser tests' module.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page in a 360 px wide phone-sized window."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def camera_photo(tmp_path_factory):
    """A 12-megapixel camera photo of about 4 MB, taken with the phone turned sideways
    (EXIF orientation 6: the picture must be turned 90° to stand upright)."""
    path = tmp_path_factory.mktemp("camera") / "IMG_20250301_091500.jpg"
    base = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    noise = Image.effect_noise((4000, 3000), 20).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.blend(base, noise, 0.5).save(path, "JPEG", quality=90, exif=exif)
    assert 3_500_000 < path.stat().st_size < 5_500_000
    return path


@pytest.fixture
def posted_sizes():
    """(path, size) of each POST body the server received, from its Content-Length."""
    sizes = []

    def record(sender, environ, **kwargs):
        if environ["REQUEST_METHOD"] == "POST":
            sizes.append((environ["PATH_INFO"], int(environ.get("CONTENT_LENGTH") or 0)))

    request_started.connect(record)
    yield sizes
    request_started.disconnect(record)
