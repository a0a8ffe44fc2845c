"""Read a photo file the clerk (or a unit) hands us — untrusted — into a print-size JPEG.

Bounded before anything is decoded: the file's size (MAX_FILE_BYTES) is checked on disk, then only the header is
read and the pixel count it declares is refused past MAX_PIXELS (a "decompression bomb": a small file declaring a
huge picture); Pillow's own MAX_IMAGE_PIXELS is held to the same bound while the file is open. JPEGs are decoded at a
reduced scale (`draft`) when they are much larger than print size, so decoding time and memory follow the output,
not the camera. Only the formats of OPEN_FORMATS are tried (HEIC/HEIF through pi-heif when it is installed, a
decode-only plugin without the GPL encoder).

The result: EXIF orientation applied, RGB (transparency on white), longest side at most LONGEST_SIDE pixels, saved as
a JPEG without metadata (no GPS position of the phone leaves the office in a report). Every failure is a PhotoError
in Chinese naming the file and saying what to do.
"""

from __future__ import annotations

import functools
import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from safetymonth_desktop.base.errors import AppError

MAX_FILE_BYTES = 40 * 1024 * 1024   # a phone's photo is 2–15 MB; 40 MB leaves room for a camera's
MAX_PIXELS = 100_000_000            # 100 megapixels: above any phone's (a 200 MP sensor bins to 50 MP by default)
LONGEST_SIDE = 1600                 # 1600 px over 150 mm of paper is about 270 dpi: print quality
JPEG_QUALITY = 85
OPEN_FORMATS = ("JPEG", "PNG", "BMP", "GIF", "TIFF", "WEBP", "HEIF")  # JPEG also opens phones' MPO files
SUFFIXES = (".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".heic", ".heif")
HEIF_SUFFIXES = (".heic", ".heif", ".hif")


class PhotoError(AppError):
    """A file that cannot become a photo, said in Chinese with the file's name and what to do."""


@dataclass(frozen=True)
class PrintPhoto:
    data: bytes        # JPEG
    width: int
    height: int
    sha256: str
    file_name: str


@functools.lru_cache(maxsize=1)
def heif_supported() -> bool:
    """Whether HEIC/HEIF photos (iPhone) can be read here: pi-heif registers its decoder with Pillow (once)."""
    try:
        import pi_heif
    except ImportError:
        return False
    pi_heif.register_heif_opener()
    return True


def read_photo(path: Path) -> PrintPhoto:
    """The photo at `path` as a print-size JPEG; PhotoError for anything that is not a usable picture."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PhotoError(f"无法读取图片“{name}”({exc.strerror or exc})。请确认文件存在且未被其他程序占用。") from None
    if not path.is_file():
        raise PhotoError(f"“{name}”不是文件。请选择一张图片。")
    if size == 0:
        raise PhotoError(f"图片“{name}”是空文件(0 字节),可能没有复制完整。请重新复制或导出该照片后再添加。")
    if size > MAX_FILE_BYTES:
        raise PhotoError(f"图片“{name}”有 {size / 1048576:.0f} MB,超过 {MAX_FILE_BYTES // 1048576} MB 的上限。"
                         "请用手机或看图软件把它另存为较小的 JPG(如长边 3000 像素)后再添加。")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PhotoError(f"无法读取图片“{name}”({exc.strerror or exc})。请确认文件未被其他程序占用。") from None
    return decode_photo(data, name)


def decode_photo(data: bytes, name: str) -> PrintPhoto:
    """Like `read_photo`, from the file's bytes (`name` is what messages call it)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_FILE_BYTES:
        raise PhotoError(f"图片“{name}”超过 {MAX_FILE_BYTES // 1048576} MB 的上限。请另存为较小的 JPG 后再添加。")
    heif = heif_supported()
    if Path(name).suffix.lower() in HEIF_SUFFIXES and not heif:
        raise PhotoError(f"图片“{name}”是 HEIC 格式(苹果手机默认),本机无法读取。请在手机的 设置→相机→格式 中选"
                         "“兼容性最佳”,或用看图软件把它另存为 JPG 后再添加。")
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses past twice this even before we look at the size
    try:
        try:
            Image.init()
            with warnings.catch_warnings():  # past MAX_PIXELS it is refused below, with the file's name
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data), formats=[f for f in OPEN_FORMATS if f in Image.OPEN])
        except UnidentifiedImageError:
            raise PhotoError(_not_a_picture(name)) from None
        except Image.DecompressionBombError:
            raise PhotoError(_too_many_pixels(name, None)) from None
        except Exception as exc:  # noqa: BLE001 - a damaged header: each plugin raises its own kind
            raise PhotoError(f"图片“{name}”已损坏,无法读取({type(exc).__name__})。请重新从手机或相机导出后再添加。"
                             ) from None
        with image:
            width, height = image.size
            if width <= 0 or height <= 0:
                raise PhotoError(_not_a_picture(name))
            if width * height > MAX_PIXELS:
                raise PhotoError(_too_many_pixels(name, (width, height)))
            try:
                if image.format == "JPEG":
                    image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # decode at 1/2, 1/4 or 1/8 scale when large
                image.load()
                picture = ImageOps.exif_transpose(image)
                picture = _rgb(picture)
                picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            except PhotoError:
                raise
            except Image.DecompressionBombError:
                raise PhotoError(_too_many_pixels(name, (width, height))) from None
            except MemoryError:
                raise PhotoError(f"图片“{name}”太大,本机内存不足以处理。请另存为较小的 JPG 后再添加。") from None
            except Exception as exc:  # noqa: BLE001 - truncated or damaged pixel data
                if "truncated" in str(exc).lower():
                    raise PhotoError(f"图片“{name}”不完整(文件被截断),可能没有复制或下载完。"
                                     "请重新从手机或相机导出后再添加。") from None
                raise PhotoError(f"图片“{name}”已损坏,无法读取({type(exc).__name__})。"
                                 "请重新从手机或相机导出,或另存为 JPG 后再添加。") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    jpeg = out.getvalue()
    return PrintPhoto(jpeg, picture.width, picture.height, hashlib.sha256(jpeg).hexdigest(), name)


def _rgb(picture):
    """RGB pixels: transparency over white, palettes, CMYK, greyscale and 16-bit pictures converted."""
    from PIL import Image

    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if picture.mode in ("I;16", "I;16B", "I;16L", "I"):
        picture = picture.point(lambda v: v / 256).convert("L")
    return picture.convert("RGB") if picture.mode != "RGB" else picture


def _not_a_picture(name: str) -> str:
    return (f"“{name}”不是可以识别的图片。请选择 JPG、PNG 或 HEIC 格式的照片;"
            "如是 Word、PDF 中的图片,请先另存为 JPG 再添加。")


def _too_many_pixels(name: str, size: tuple[int, int] | None) -> str:
    said = f"({size[0]}×{size[1]} 像素)" if size else ""
    return (f"图片“{name}”{said}像素过多,超过 {MAX_PIXELS // 1_000_000:,} 百万像素的上限,可能是损坏或恶意的文件。"
            "请用看图软件把它另存为较小的 JPG(如长边 3000 像素)后再添加。")
