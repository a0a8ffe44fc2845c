"""Untrusted photo files: a print-size JPEG with EXIF rotation applied and no metadata, HEIC read, and every bad file
(not a picture, truncated, empty, too large on disk, a decompression bomb) refused in Chinese naming the file."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from safetymonth_desktop.exchange import photo_reading as R
from safetymonth_desktop.exchange.photo_reading import PhotoError

HEIC = Path(__file__).resolve().parents[1] / "fixtures" / "photos" / "sample.heic"


def jpeg(path: Path, size=(4000, 3000), orientation=None, gps=False) -> Path:
    image = Image.new("RGB", size, (40, 90, 160))
    image.paste((250, 220, 0), (0, 0, size[0] // 4, size[1] // 4))  # a yellow corner shows which way is up
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x010F] = "PhoneMaker"
    image.save(path, quality=90, exif=exif.tobytes())
    return path


def test_a_large_photo_becomes_print_size_jpeg_without_metadata(tmp_path):
    photo = R.read_photo(jpeg(tmp_path / "现场.jpg", gps=True))
    assert (photo.width, photo.height) == (1600, 1200)
    image = Image.open(io.BytesIO(photo.data))
    assert image.format == "JPEG" and image.size == (1600, 1200)
    assert not image.getexif()  # no camera or position data leaves the office
    assert photo.file_name == "现场.jpg" and len(photo.sha256) == 64


def test_exif_orientation_is_honoured(tmp_path):
    photo = R.read_photo(jpeg(tmp_path / "turned.jpg", orientation=6))  # stored landscape, shot portrait
    assert (photo.width, photo.height) == (1200, 1600)
    image = Image.open(io.BytesIO(photo.data))
    # rotated 90° clockwise: the yellow corner, top-left as stored, is now top-right
    assert image.getpixel((image.width - 20, 20))[2] < 100 and image.getpixel((20, 20))[2] > 100


def test_small_png_with_transparency_is_kept_at_its_size_on_white(tmp_path):
    path = tmp_path / "logo.png"
    Image.new("RGBA", (300, 200), (255, 0, 0, 0)).save(path)
    photo = R.read_photo(path)
    assert (photo.width, photo.height) == (300, 200)
    assert Image.open(io.BytesIO(photo.data)).getpixel((10, 10)) >= (250, 250, 250)


@pytest.mark.skipif(not R.heif_supported(), reason="pi-heif is not installed")
def test_heic_is_read():
    photo = R.read_photo(HEIC)
    assert (photo.width, photo.height) == (120, 80)


def test_heic_without_a_decoder_says_how_to_convert(monkeypatch):
    monkeypatch.setattr(R, "heif_supported", lambda: False)
    with pytest.raises(PhotoError, match=r"“sample.heic”是 HEIC 格式.*另存为 JPG"):
        R.read_photo(HEIC)


def png_bomb(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header declares width × height pixels (the pixel data is a few bytes of zeros)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
                     + chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize("width,height", [(20000, 20000), (12000, 10000)])
def test_a_decompression_bomb_is_refused_before_decoding(tmp_path, width, height):
    path = png_bomb(tmp_path / "bomb.png", width, height)
    assert path.stat().st_size < 2000
    pillows_own = Image.MAX_IMAGE_PIXELS
    with pytest.raises(PhotoError, match="“bomb.png”.*像素过多"):
        R.read_photo(path)
    assert Image.MAX_IMAGE_PIXELS == pillows_own  # put back for the rest of the program


def test_a_truncated_photo(tmp_path):
    whole = jpeg(tmp_path / "whole.jpg", size=(800, 600)).read_bytes()
    cut = tmp_path / "半截.jpg"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PhotoError, match="“半截.jpg”不完整"):
        R.read_photo(cut)


@pytest.mark.parametrize("name,content,needle", [
    ("说明.docx", b"PK\x03\x04 not a picture", "不是可以识别的图片"),
    ("notes.txt", "安全生产月".encode(), "不是可以识别的图片"),
    ("空.jpg", b"", "空文件"),
])
def test_files_that_are_not_pictures(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PhotoError, match=f"“{name}”.*{needle}|{needle}") as exc:
        R.read_photo(path)
    assert name in str(exc.value) and "Traceback" not in str(exc.value)


def test_a_file_too_large_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "大图.jpg"
    with open(path, "wb") as handle:
        handle.truncate(R.MAX_FILE_BYTES + 1)  # sparse: nothing to read, only its size
    monkeypatch.setattr(R, "decode_photo", lambda *a: pytest.fail("decoded a file over the size cap"))
    with pytest.raises(PhotoError, match="“大图.jpg”有 40 MB,超过 40 MB 的上限"):
        R.read_photo(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(PhotoError, match="无法读取图片“不见了.jpg”"):
        R.read_photo(tmp_path / "不见了.jpg")
