"""Draw the app icons (walkrx's installable web app) as PNG files: run once, commit the files.

.venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src" / "walkrx" / "web" / "static" / "walkrx"
BLUE = (11, 92, 173, 255)
WHITE = (255, 255, 255, 255)


def icon(size: int, maskable: bool = False) -> Image.Image:
    """A white walking path (three footprints on a curve) on the walkrx blue."""
    img = Image.new("RGBA", (size, size), BLUE if maskable else (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if not maskable:
        d.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=BLUE)
    u = size / 100
    for i, (x, y) in enumerate(((34, 72), (50, 52), (64, 30))):
        w, h = 11 * u, 17 * u
        dx = -4 * u if i % 2 == 0 else 4 * u
        d.ellipse(
            (x * u - w / 2 + dx, y * u - h / 2, x * u + w / 2 + dx, y * u + h / 2), fill=WHITE
        )
    d.arc((18 * u, 18 * u, 92 * u, 92 * u), 200, 280, fill=WHITE, width=max(2, int(3 * u)))
    return img


def main() -> None:
    """Write icon-192.png, icon-512.png and icon-maskable-512.png."""
    icon(192).save(OUT / "icon-192.png", optimize=True)
    icon(512).save(OUT / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    icon(180).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
