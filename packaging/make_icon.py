"""Draw the application icon with QPainter and write resources/icons/safetymonth.png and safetymonth.ico.

The icon is a white shield with a green tick on a blue rounded square: no text, so it needs no CJK font and
stays legible at 16 px. The .ico holds every size Windows asks for (16…256): 32-bit BMP entries up to 64 px
(read by every Windows tool, including the resource compilers of PyInstaller and Inno Setup) and a PNG
entry at 128 and 256 px, as Windows Vista and later expect. Qt's own ICO writer stores a single size only,
hence the small writer here.

Run from the checkout root:  python packaging/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (QBrush, QColor, QGuiApplication, QImage, QLinearGradient, QPainter,  # noqa: E402
                           QPainterPath, QPen)

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_FROM = 128  # sizes >= this are stored as PNG inside the .ico

BLUE_TOP, BLUE_BOTTOM = QColor("#2f6db5"), QColor("#1b4680")
SHIELD, SHIELD_EDGE = QColor("#ffffff"), QColor("#d8e4f2")
TICK = QColor("#23a455")


def draw(size: int) -> QImage:
    """The icon at `size` x `size` pixels, drawn in a 256-unit coordinate system."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)

    background = QLinearGradient(0, 0, 0, 256)
    background.setColorAt(0, BLUE_TOP)
    background.setColorAt(1, BLUE_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(background))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)

    shield = QPainterPath()
    shield.moveTo(128, 36)
    shield.cubicTo(160, 56, 190, 62, 210, 62)
    shield.cubicTo(212, 140, 186, 194, 128, 224)
    shield.cubicTo(70, 194, 44, 140, 46, 62)
    shield.cubicTo(66, 62, 96, 56, 128, 36)
    shield.closeSubpath()
    p.setBrush(SHIELD)
    p.setPen(QPen(SHIELD_EDGE, 6))
    p.drawPath(shield)

    tick = QPainterPath()
    tick.moveTo(QPointF(86, 128))
    tick.lineTo(QPointF(116, 160))
    tick.lineTo(QPointF(172, 98))
    # Thicker strokes at small sizes so the tick survives down-sampling.
    width = 26 if size >= 48 else 34
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(TICK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.drawPath(tick)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def bmp_entry(image: QImage) -> bytes:
    """An ICO image entry in DIB form: BITMAPINFOHEADER, 32-bit BGRA rows bottom-up, then the 1-bit AND mask."""
    size = image.width()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # little-endian memory order: B, G, R, A
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    row_bytes = size * 4
    pixels = bytes(image.constBits())
    stride = image.bytesPerLine()
    rows = [pixels[y * stride: y * stride + row_bytes] for y in range(size)]
    xor = b"".join(reversed(rows))
    mask_stride = ((size + 31) // 32) * 4  # rows padded to 32 bits; all zero: the alpha channel decides
    mask = bytes(mask_stride * size)
    return header + xor + mask


def ico_bytes(images: dict[int, QImage]) -> bytes:
    entries = [(size, png_bytes(img) if size >= PNG_FROM else bmp_entry(img)) for size, img in sorted(images.items())]
    out = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    directory, blobs = b"", b""
    for size, blob in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return out + directory + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QPainter on QImage needs it)
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = {size: draw(size) for size in ICO_SIZES}
    (ICON_DIR / "safetymonth.png").write_bytes(png_bytes(images[256]))
    (ICON_DIR / "safetymonth.ico").write_bytes(ico_bytes(images))
    sizes = ", ".join(map(str, ICO_SIZES))
    print(f"wrote {ICON_DIR / 'safetymonth.png'} and {ICON_DIR / 'safetymonth.ico'} ({sizes} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
