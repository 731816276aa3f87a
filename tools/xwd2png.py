"""Turn an X window dump (what `Xvfb -fbdir` keeps of its screen) into a PNG, with the standard library.

The README's screenshot of a reminder with its buttons is taken from a virtual screen in a test
run; this saves installing an image tool for one conversion. Handles the 24/32-bit TrueColor dumps
Xvfb writes.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

HEADER = struct.Struct(">25I")


def pixels(dump: bytes, crop: tuple[int, int, int, int] | None = None) -> tuple[int, int, list[bytes]]:
    """(width, height, RGB rows) of the dump, cut to `crop` (left, top, right, bottom) if given."""
    fields = HEADER.unpack_from(dump)
    header_size, width, height = fields[0], fields[4], fields[5]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = fields[7], fields[11], fields[12], fields[19]
    if bits_per_pixel != 32:
        raise ValueError(f"only 32 bits per pixel are handled, not {bits_per_pixel}")
    start = header_size + 12 * ncolors
    left, top, right, bottom = crop or (0, 0, width, height)
    rows = []
    for y in range(top, bottom):
        line = dump[start + y * bytes_per_line : start + y * bytes_per_line + 4 * width]
        rgb = bytearray()
        for x in range(left, right):
            b, g, r, _ = line[4 * x : 4 * x + 4] if byte_order == 0 else line[4 * x : 4 * x + 4][::-1]
            rgb += bytes((r, g, b))
        rows.append(bytes(rgb))
    return right - left, bottom - top, rows


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def content_box(rows: list[bytes], width: int, margin: int = 12) -> tuple[int, int, int, int]:
    """The smallest box holding every pixel that differs from the top-left one, with a margin."""
    background = rows[0][:3]
    xs, ys = [], []
    for y, row in enumerate(rows):
        for x in range(width):
            if row[3 * x : 3 * x + 3] != background:
                xs.append(x)
                ys.append(y)
    if not xs:
        return 0, 0, width, len(rows)
    return (
        max(min(xs) - margin, 0),
        max(min(ys) - margin, 0),
        min(max(xs) + margin + 1, width),
        min(max(ys) + margin + 1, len(rows)),
    )


def convert(source: Path, target: Path, trim: bool = True) -> tuple[int, int]:
    """Write `source` (XWD) as the PNG `target`, trimmed to what is drawn; returns its size."""
    dump = source.read_bytes()
    width, height, rows = pixels(dump)
    if trim:
        width, height, rows = pixels(dump, content_box(rows, width))
    target.write_bytes(png(width, height, rows))
    return width, height


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])))
