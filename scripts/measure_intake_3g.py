"""Measure the kader form over a slow 3G link in Chromium (not a test: it prints figures).

    .venv/bin/python scripts/measure_intake_3g.py              # starts the app itself
    .venv/bin/python scripts/measure_intake_3g.py --url https://…/lapor/melati/

Without --url it runs the app as in production: DEBUG=false, collectstatic (WhiteNoise
serves compressed, hashed static files), gunicorn with 2 workers, a throwaway SQLite
database and media folder, one posyandu. The phone is Chromium at 360×740 with the
network emulated through the DevTools protocol: 400 ms round trip, 400 kbit/s down and
400 kbit/s up. It prints:

- time from opening the address until the form is usable (its script has set up the
  report's draft) and the bytes the page loaded for it (a first visit, nothing cached);
- the time from tapping "Kirim" until the receipt shows, with two 12-megapixel camera
  photos (about 4 MB each) that the page shrinks before sending.

Targets: a usable form within 3 s, at most 50 KB, and a receipt within 15 s.
"""

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.request import urlopen

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms, round trip
    "downloadThroughput": 400_000 / 8,  # bytes per second
    "uploadThroughput": 400_000 / 8,
}
POSYANDU_SETUP = """
from registrations.models import Posyandu, Village
Posyandu.objects.get_or_create(
    code="melati", defaults={"name": "Melati", "village": Village.objects.get(code="19.01.01.1009")}
)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(workdir):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "PUBLIC_BASE_URL": "http://localhost:8000",
    }
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT)
    subprocess.run(manage + ["shell", "-v0", "-c", POSYANDU_SETUP], env=env, check=True, cwd=ROOT)
    port = free_port()
    gunicorn = Path(python).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "gasken.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urlopen(base + "/favicon.ico", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.terminate()
        raise SystemExit("The app did not start.")
    return server, base + "/lapor/melati/"


def camera_photo(path, seed):
    """About 4 MB: a 12-megapixel JPEG with sensor-like noise, as a phone camera makes."""
    base = Image.linear_gradient("L").rotate(seed * 90).resize((4000, 3000)).convert("RGB")
    noise = Image.effect_noise((4000, 3000), 20).convert("RGB")
    Image.blend(base, noise, 0.5).save(path, "JPEG", quality=90)
    return path


def fill(page):
    today = date.today()
    birth = today - timedelta(days=700)
    values = {
        "kader_name": "Siti Aminah",
        "kader_phone": "0812-3456-7890",
        "child_name": "Anak Uji",
        "birth_date": birth.isoformat(),
        "mother_name": "Nur Aini",
        "parent_occupation": "Nelayan",
        "address": "Jl. Pantai Matras RT 02/RW 01",
        "measured_on": today.isoformat(),
        "weight_kg": "9,8",
        "height_cm": "79,5",
    }
    for name, value in values.items():
        page.fill(f"[name={name}]", value)
    page.check("[name=child_sex][value=L]")
    page.check("[name=measurement_position][value=standing]")
    page.check("[name=reported_as][value=stunted]")
    page.check("[name=consent]")


def measure(url, photos):
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--headless"]
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        received = {"bytes": 0, "requests": 0}

        def count(params):
            received["bytes"] += params["encodedDataLength"]
            received["requests"] += 1

        cdp.on("Network.loadingFinished", count)

        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function("document.documentElement.dataset.draft", polling=20)
        usable = time.perf_counter() - start
        usable_bytes, usable_requests = received["bytes"], received["requests"]
        page.wait_for_load_state("networkidle")
        page.wait_for_function(
            "document.documentElement.dataset.offline === 'ready'", timeout=60_000
        )
        loaded_bytes = received["bytes"]

        fill(page)
        shrink_start = time.perf_counter()
        page.set_input_files("[name=kk_file]", str(photos[0]))
        page.set_input_files("[name=akta_file]", str(photos[1]))
        for name in ("kk_file", "akta_file"):
            page.wait_for_selector(f"#photo-{name} img:not([hidden])", timeout=60_000)
        shrink = time.perf_counter() - shrink_start
        notes = [page.inner_text(f"#photo-{n}").strip() for n in ("kk_file", "akta_file")]

        start = time.perf_counter()
        page.click("#send")
        page.wait_for_selector("#receipt-code", timeout=120_000)
        sent = time.perf_counter() - start
        code = page.inner_text("#receipt-code")
        browser.close()

    print(f"Form: {url}")
    print("Network: 400 ms RTT, 400 kbit/s down, 400 kbit/s up (Chromium emulation)")
    print(
        f"Time to a usable form: {usable:.2f} s  (target ≤ 3 s); "
        f"{usable_requests} requests, {usable_bytes / 1024:.1f} KB  (target ≤ 50 KB)"
    )
    print(
        f"Bytes of the first load until the page is idle: {loaded_bytes / 1024:.1f} KB "
        "(the service worker keeps its copies on its own, outside this count)"
    )
    print(f"Two photos shrunk on the phone in {shrink:.2f} s: " + "; ".join(notes))
    print(f"From 'Kirim' to the receipt: {sent:.2f} s  (target ≤ 15 s); receipt {code}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a posyandu form of a running site (default: start one)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="gasken-3g-"))
    server = None
    try:
        photos = [camera_photo(workdir / f"IMG_000{i}.jpg", i) for i in (1, 2)]
        sizes = ", ".join(f"{p.stat().st_size / 1024 / 1024:.1f} MB" for p in photos)
        print(f"Photos: two 4000×3000 JPEGs of {sizes}")
        url = args.url
        if not url:
            server, url = start_app(workdir)
        measure(url, photos)
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
