"""Draws the two app icons Teams requires, with the standard library only.

``color.png`` 192x192: a full-colour icon (a path of four stepping stones on the accent colour).
``outline.png`` 32x32: white on transparent, as Teams demands for the app bar.
Run ``python -m adapters.teams.draw_icons`` to redraw them; the PNGs are committed.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
ACCENT = (0x2E, 0x7D, 0x6B, 0xFF)
LIGHT = (0xF4, 0xEF, 0xE1, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)
Pixel = tuple[int, int, int, int]


def png(size: int, pixel: Callable[[float, float], Pixel]) -> bytes:
    """An RGBA PNG; ``pixel`` gets coordinates from 0 to 1."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel((x + 0.5) / size, (y + 0.5) / size)) for x in range(size))
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


# Four stones rising from bottom left to top right: the four zones of the journey.
STONES = ((0.22, 0.74, 0.09), (0.40, 0.58, 0.10), (0.60, 0.44, 0.11), (0.78, 0.26, 0.12))


def _on_stone(x: float, y: float) -> bool:
    return any((x - cx) ** 2 + (y - cy) ** 2 <= r * r for cx, cy, r in STONES)


def color(x: float, y: float) -> Pixel:
    return LIGHT if _on_stone(x, y) else ACCENT


def outline(x: float, y: float) -> Pixel:
    return WHITE if _on_stone(x, y) else CLEAR


def main() -> None:
    (HERE / "color.png").write_bytes(png(192, color))
    (HERE / "outline.png").write_bytes(png(32, outline))


if __name__ == "__main__":
    main()
