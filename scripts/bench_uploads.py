"""Server CPU time of an intake POST with two photos: as the phone sends them once it has
compressed them (≤ 2000 px JPEG, ~350 KB), and as the camera took them (12 megapixels).

The request is handled in this process by Django's test client, on a throw-away SQLite
database and media folder, so time.process_time() around it is the server's CPU time: form
validation, decoding and re-encoding both photos, saving the report and writing the files.

Run from the project root: .venv/bin/python scripts/bench_uploads.py [ROUNDS]
"""

import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS_MS = {"phone": 60, "camera": 250}


def document_photo(size, quality, seed=1):
    """A JPEG that compresses like a phone photo of a family card: paper, lines of dark
    text, sensor noise, a little blur."""
    rng = random.Random(seed)
    width, height = size
    img = Image.new("RGB", size, (228, 222, 205))
    draw = ImageDraw.Draw(img)
    for _ in range(1200):
        x, y = rng.randrange(width), rng.randrange(height)
        length = rng.randrange(width // 60, width // 8)
        draw.rectangle((x, y, x + length, y + height // 150), fill=(40, 40, 60))
    noise = Image.effect_noise(size, 18).convert("RGB")
    img = Image.blend(img, noise, 0.12).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def phone_photo(seed=1):
    return document_photo((2000, 1500), 68, seed)


def camera_photo(seed=1):
    return document_photo((4032, 3024), 95, seed)


def _setup(workdir):
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnop",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "MEDIA_ROOT": str(Path(workdir) / "media"),
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gasken.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from registrations.models import Posyandu, Village

    village = Village.objects.get(code="19.01.01.1009")
    Posyandu.objects.get_or_create(code="melati", defaults={"name": "Melati", "village": village})


def _intake_data(n):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    birth = today - timedelta(days=700 + n)
    return {
        "kader_name": "Siti Aminah",
        "kader_phone": "0812-3456-7890",
        "village": "19.01.01.1009",
        "posyandu": "melati",
        "child_name": f"Anak Uji {n}",
        "child_sex": "P",
        "birth_date": birth.isoformat(),
        "mother_name": "Nur Aini",
        "parent_occupation": "Nelayan",
        "address": "Jl. Pantai Matras RT 02",
        "measured_on": today.isoformat(),
        "weight_kg": "9,8",
        "height_cm": "79.5",
        "measurement_position": "standing",
        "reported_as": "stunted",
        "consent": "on",
    }


def _post_cpu_ms(client, n, kk, akta):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _intake_data(n)
    data["kk_file"] = SimpleUploadedFile("kk.jpg", kk, "image/jpeg")
    data["akta_file"] = SimpleUploadedFile("akta.jpg", akta, "image/jpeg")
    start = time.process_time()
    response = client.post("/lapor/", data)
    elapsed = time.process_time() - start
    if response.status_code != 302:
        raise SystemExit(f"intake answered {response.status_code}, expected a redirect")
    return elapsed * 1000


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print("Making test photos…", flush=True)
    photos = {
        "phone": (phone_photo(1), phone_photo(2)),
        "camera": (camera_photo(1), camera_photo(2)),
    }
    with tempfile.TemporaryDirectory() as workdir:
        _setup(workdir)
        from django.test import Client

        client = Client()
        _post_cpu_ms(client, 0, *photos["phone"])  # warm-up: imports, first queries
        n = 1
        failed = False
        for label, (kk, akta) in photos.items():
            times = []
            for _ in range(rounds):
                times.append(_post_cpu_ms(client, n, kk, akta))
                n += 1
            median = statistics.median(times)
            target = TARGETS_MS[label]
            size = Image.open(io.BytesIO(kk)).size
            print(
                f"{label:6} two {size[0]}×{size[1]} JPEG ({len(kk) // 1024} + "
                f"{len(akta) // 1024} KB): median {median:.0f} ms CPU per POST "
                f"(min {min(times):.0f}, max {max(times):.0f}; target ≤ {target} ms)"
            )
            failed |= median > target
    print(f"Python {platform.python_version()}, {rounds} POSTs each")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
