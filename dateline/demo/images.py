"""Illustrations for the demo, drawn here with Pillow: nothing is downloaded."""

from __future__ import annotations

import hashlib
import io
import math

from PIL import Image, ImageDraw, ImageFilter

PALETTES = {
    "international": ((18, 52, 86), (214, 93, 57), (240, 200, 120)),
    "politics": ((60, 22, 66), (200, 60, 90), (250, 210, 200)),
    "business": ((12, 70, 60), (40, 150, 120), (230, 230, 170)),
    "technology": ((20, 24, 48), (60, 120, 220), (140, 230, 230)),
    "sport": ((10, 80, 30), (240, 180, 40), (250, 250, 240)),
    "culture": ((90, 30, 20), (230, 120, 60), (250, 220, 180)),
}


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (
        int(a[0] + (b[0] - a[0]) * t),
        int(a[1] + (b[1] - a[1]) * t),
        int(a[2] + (b[2] - a[2]) * t),
    )


def illustration(*, seed: str, palette: str, size: tuple[int, int] = (1600, 900)) -> bytes:
    """An abstract, deterministic JPEG for ``seed`` in the colours of a section."""
    digest = hashlib.sha256(seed.encode()).digest()
    dark, mid, light = PALETTES.get(palette, PALETTES["international"])
    width, height = size
    img = Image.new("RGB", size, dark)
    draw = ImageDraw.Draw(img)
    for y in range(0, height, 4):
        draw.rectangle([0, y, width, y + 4], fill=_mix(dark, mid, (y / height) ** 1.6))
    for i in range(7):
        b = digest[i * 4 : i * 4 + 4]
        cx, cy = b[0] / 255 * width, b[1] / 255 * height
        r = 80 + b[2] / 255 * 420
        colour = _mix(mid, light, b[3] / 255)
        if i % 2:
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=10 + i * 3)
        else:
            angle = b[3] / 255 * math.pi
            dx, dy = math.cos(angle) * r * 2, math.sin(angle) * r * 2
            draw.line([cx - dx, cy - dy, cx + dx, cy + dy], fill=colour, width=18 + i * 4)
    img = img.filter(ImageFilter.GaussianBlur(2))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def portrait(*, name: str, size: int = 480) -> bytes:
    """A plain portrait placeholder: a head-and-shoulders silhouette on a colour from the name."""
    digest = hashlib.sha256(name.encode()).digest()
    background = (60 + digest[0] % 120, 60 + digest[1] % 120, 60 + digest[2] % 120)
    img = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(img)
    figure = (235, 235, 235)
    draw.ellipse([size * 0.32, size * 0.18, size * 0.68, size * 0.54], fill=figure)
    draw.ellipse([size * 0.14, size * 0.6, size * 0.86, size * 1.25], fill=figure)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()
