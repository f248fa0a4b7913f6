"""Draw the app icons (home screen, favicon) into static/img/.

    .venv/bin/python scripts/make_icons.py

The icon is full-bleed green with the mark inside the central 60 %, so Android may cut it
to a circle or rounded square ("maskable") without losing anything."""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (11, 110, 79)
WHITE = (255, 255, 255)
YELLOW = (242, 177, 52)
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def draw(size):
    # Drawn four times larger and scaled down, for smooth edges.
    big = size * 4
    img = Image.new("RGB", (big, big), GREEN)
    d = ImageDraw.Draw(img)
    unit = big / 100
    # Three rising bars: a child growing, measured at the posyandu.
    bars = [(24, 62), (42, 48), (60, 32)]
    for left, top in bars:
        d.rounded_rectangle(
            (left * unit, top * unit, (left + 14) * unit, 76 * unit), radius=3 * unit, fill=WHITE
        )
    d.ellipse((60 * unit, 14 * unit, 74 * unit, 28 * unit), fill=YELLOW)
    return img.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw(32).save(OUT / "icon-32.png", optimize=True)
    draw(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parent.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
