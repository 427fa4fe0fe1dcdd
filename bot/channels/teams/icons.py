"""The Teams app icons (a medal with a check mark), drawn and PNG-encoded in pure Python."""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

RGBA = tuple[int, int, int, int]
Shape = tuple[RGBA, Callable[[float, float], bool]]
INDIGO: RGBA = (79, 70, 229, 255)
DEEP: RGBA = (55, 48, 163, 255)
LIGHT: RGBA = (199, 210, 254, 255)
WHITE: RGBA = (255, 255, 255, 255)
SAMPLES = 4
"""Samples per pixel side: 16 per pixel smooth the edges."""


def encode_png(width: int, height: int, rgba: bytes) -> bytes:
    """An 8-bit RGBA PNG (colour type 6) of `rgba`, rows top to bottom."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    stride = width * 4
    raw = b"".join(b"\x00" + rgba[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _circle(cx: float, cy: float, r: float) -> Callable[[float, float], bool]:
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _ring(cx: float, cy: float, r: float, width: float) -> Callable[[float, float], bool]:
    return lambda x, y: abs(math.hypot(x - cx, y - cy) - r) <= width / 2


def _stroke(points: list[tuple[float, float]], width: float) -> Callable[[float, float], bool]:
    def near(x: float, y: float) -> bool:
        for (ax, ay), (bx, by) in pairwise(points):
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            if math.hypot(x - ax - t * dx, y - ay - t * dy) <= width / 2:
                return True
        return False

    return near


def _polygon(points: list[tuple[float, float]]) -> Callable[[float, float], bool]:
    def inside(x: float, y: float) -> bool:
        hit = False
        for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=False):
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                hit = not hit
        return hit

    return inside


def _tail(x0: float, s: float, lean: float) -> list[tuple[float, float]]:
    """A ribbon tail with a notched end, `s` being the icon's scale (1.0 = 192 px)."""
    top, bottom = 104 * s, 180 * s
    w = 30 * s
    return [
        (x0, top),
        (x0 + w, top),
        (x0 + w + lean, bottom),
        (x0 + w / 2 + lean, bottom - 14 * s),
        (x0 + lean, bottom),
    ]


def color_shapes(size: int) -> list[Shape]:
    s = size / 192
    check = [(68 * s, 80 * s), (88 * s, 100 * s), (124 * s, 62 * s)]
    return [
        (DEEP, _polygon(_tail(56 * s, s, -16 * s))),
        (DEEP, _polygon(_tail(106 * s, s, 16 * s))),
        (INDIGO, _circle(96 * s, 80 * s, 64 * s)),
        (LIGHT, _ring(96 * s, 80 * s, 50 * s, 5 * s)),
        (WHITE, _stroke(check, 14 * s)),
    ]


def outline_shapes(size: int) -> list[Shape]:
    s = size / 32
    line = 2.4 * s
    check = [(11.5 * s, 13.5 * s), (14.5 * s, 16.5 * s), (20.5 * s, 10 * s)]
    return [
        (WHITE, _ring(16 * s, 13 * s, 10.5 * s, line)),
        (WHITE, _stroke([(10 * s, 21.5 * s), (7.5 * s, 30 * s)], line)),
        (WHITE, _stroke([(22 * s, 21.5 * s), (24.5 * s, 30 * s)], line)),
        (WHITE, _stroke(check, line)),
    ]


def draw(size: int, shapes: list[Shape]) -> bytes:
    """RGBA pixels: each sample takes the topmost shape's colour; the rest is transparent."""
    pixels = bytearray()
    step = 1 / SAMPLES
    offsets = [(i + 0.5) * step for i in range(SAMPLES)]
    total = SAMPLES * SAMPLES
    for py in range(size):
        for px in range(size):
            r = g = b = a = 0
            for oy in offsets:
                for ox in offsets:
                    for color, covers in reversed(shapes):
                        if covers(px + ox, py + oy):
                            r, g, b, a = r + color[0], g + color[1], b + color[2], a + 255
                            break
            hits = a // 255
            if hits:
                pixels += bytes((r // hits, g // hits, b // hits, a // total))
            else:
                pixels += b"\x00\x00\x00\x00"
    return bytes(pixels)


def color_icon(size: int = 192) -> bytes:
    return encode_png(size, size, draw(size, color_shapes(size)))


def outline_icon(size: int = 32) -> bytes:
    return encode_png(size, size, draw(size, outline_shapes(size)))


def write_icons(folder: Path) -> None:
    """Regenerate `color.png` and `outline.png` in `folder`."""
    (folder / "color.png").write_bytes(color_icon())
    (folder / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":
    write_icons(Path(__file__).resolve().parent / "package")
