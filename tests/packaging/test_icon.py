"""The application icon: a multi-size .ico Windows tools accept, and a 256 px PNG."""

import struct
from pathlib import Path

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_is_256_square():
    assert _png_size((ICONS / "safetymonth.png").read_bytes()) == (256, 256)


def test_ico_holds_every_windows_size():
    data = (ICONS / "safetymonth.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index: 22 + 16 * index])
        size = width or 256
        assert (width, planes, bits) == (height, 1, 32)
        blob = data[offset: offset + length]
        assert len(blob) == length
        if blob[:8] == PNG_SIGNATURE:
            assert _png_size(blob) == (size, size)
        else:  # a DIB: BITMAPINFOHEADER, height doubled for the AND mask, 32 bits per pixel
            header_size, dib_width, dib_height, _, dib_bits = struct.unpack("<IiiHH", blob[:16])
            assert (header_size, dib_width, dib_height, dib_bits) == (40, size, 2 * size, 32)
            mask_row = ((size + 31) // 32) * 4
            assert length == 40 + size * size * 4 + mask_row * size
        sizes.append(size)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]
