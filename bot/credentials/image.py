"""Badge images: the program's own PNG, or a drawn default (transparent, 512 px, no animation)."""

from __future__ import annotations

import hashlib
import io
import logging
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

log = logging.getLogger(__name__)

SIZE = 512
MAX_SIDE = 1024
"""Teams shows images up to 1024×1024 px and 1 MB; larger pictures are scaled down."""
PALETTE = ((37, 99, 235), (5, 150, 105), (217, 119, 6), (190, 24, 93), (79, 70, 229))


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:3]).upper() or "?"


def draw_default(name: str) -> bytes:
    """A round badge with the badge's initials, coloured by its name."""
    colour = PALETTE[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(PALETTE)]
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=(*colour, 255))
    draw.ellipse((40, 40, SIZE - 40, SIZE - 40), outline=(255, 255, 255, 230), width=10)
    text = initials(name)
    font = ImageFont.load_default(size=200 if len(text) < 3 else 150)
    draw.text((SIZE / 2, SIZE / 2), text, font=font, fill=(255, 255, 255, 255), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _as_png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        frame = image.convert("RGBA")
    if max(frame.size) > MAX_SIDE:
        frame.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    frame.save(out, format="PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=64)
def badge_png(name: str, image: str, folder: Path) -> bytes:
    """The badge image as PNG: `image` is a file in the program's folder, or empty."""
    if image and not image.startswith(("http://", "https://")):
        path = (folder / image).resolve()
        try:
            if folder.resolve() in path.parents:
                return _as_png(path.read_bytes())
            log.warning("badge image %s is outside %s; drawing a default", image, folder)
        except (OSError, UnidentifiedImageError, ValueError) as exc:
            log.warning("badge image %s cannot be read (%s); drawing a default", path, exc)
    return draw_default(name)
