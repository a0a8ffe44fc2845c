"""Checks on a workbook that came from outside, made before any parser touches it, and atomic writing.

A unit's file or a superior's form is untrusted: it may be huge, a zip bomb, encrypted, a renamed Word file
or carry macros. `check_workbook(path)` refuses what we cannot or should not read with a Chinese message
(AppError) and returns what it learnt (the format — .xlsx/.xlsm, .xlsb, .xls or .ods, all read by calamine —,
macros present, drawings present). An .xls is an OLE compound file holding a Workbook (or Book) stream; an
.ods is a zip whose mimetype says spreadsheet. XML inside is
parsed by openpyxl through defusedxml (installed) and by calamine (Rust, no entity expansion); macros are
never run by either. `write_atomically(path, writer)` writes outputs beside the target and renames them
into place, so a locked or unwritable target leaves the old file as it was.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import output_paths
from safetymonth_desktop.exchange import xlsx_limits

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_ENTRY_RATIO = 200  # compression ratio above which a large entry is taken for a zip bomb
# A 上报数据包 (check_workbook(..., package=True)): a city of 15 districts × 70 000 records is some 70 MB, its XML
# some 850 MB; a package at the row bound of every sheet (xlsx_limits.PACKAGE_MAX_ROWS) stays below these.
PACKAGE_MAX_FILE_BYTES = 400 * 1024 * 1024
PACKAGE_MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass
class WorkbookInfo:
    path: Path
    size: int
    bounds: object = None  # xlsx_limits.WorkbookScan: sizes, hidden sheets, formula cells without a value
    has_macros: bool = False
    has_drawings: bool = False
    format: str = "xlsx"  # xlsx (also .xlsm), xlsb, xls or ods


def check_workbook(path, *, package: bool = False) -> WorkbookInfo:
    """Refuse (AppError) a file that is not a reasonably sized .xlsx/.xlsm/.xlsb/.xls/.ods workbook. `package`:
    the file's stamp says it is a 上报数据包 (a whole region's year), held to the larger bounds of one."""
    path = Path(path)
    max_file = max(MAX_FILE_BYTES, PACKAGE_MAX_FILE_BYTES) if package else MAX_FILE_BYTES
    max_unpacked = max(MAX_UNCOMPRESSED_BYTES, PACKAGE_MAX_UNCOMPRESSED_BYTES) if package else MAX_UNCOMPRESSED_BYTES
    limits = xlsx_limits.package_limits() if package else None
    name = path.name
    if not path.exists():
        raise AppError(f"文件“{path}”不存在,请检查路径。")
    if path.is_dir():
        raise AppError(f"“{path}”是一个文件夹,不是 Excel 文件。")
    size = path.stat().st_size
    if size == 0:
        raise AppError(f"文件“{name}”是空文件(0 字节),不是有效的 Excel 工作簿。")
    if size > max_file:
        raise AppError(f"文件“{name}”过大({size / 1048576:.0f} MB,上限 {max_file // 1048576} MB),未读取。"
                       + ("上报数据包不能拆分:请让下级核对后重新生成。" if package else "请拆分后再导入。"))
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            if head == OLE_SIGNATURE:
                body = head + fh.read(min(size, 4 * 1024 * 1024))
                streams = _ole_streams(fh)
    except OSError as exc:
        raise AppError(f"无法读取文件“{name}”:{exc.strerror}。如文件正在 Excel/WPS 中打开,请关闭后重试。")
    if head == OLE_SIGNATURE:
        if _ENCRYPTED_MARK in body or "EncryptedPackage" in streams:
            raise AppError(f"文件“{name}”设置了打开密码(已加密),无法读取。请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入。")
        if not streams & {"Workbook", "Book"}:
            kind = "Word 文档" if "WordDocument" in streams else "PowerPoint 演示文稿" if "PowerPoint Document" in streams else ""
            raise AppError(f"文件“{name}”不是 Excel 工作簿" + (f",而是{kind}" if kind else "(.xls 文件内没有工作表数据)") +
                           "。请选择正确的文件。")
        return WorkbookInfo(path=path, size=size, format="xls", has_macros="_VBA_PROJECT_CUR" in streams,
                            bounds=_check_bounds(path, limits))
    if not head.startswith(ZIP_SIGNATURE):
        raise AppError(f"文件“{name}”不是 Excel 工作簿(.xlsx/.xls)或 .ods 表格。请确认选择的是 Excel 文件;"
                       "如是 CSV 等文本文件,请在 Excel/WPS 中另存为 .xlsx 后再导入。")
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            mimetype = zf.read("mimetype")[:200] if any(e.filename == "mimetype" and e.file_size < 200
                                                          for e in entries) else b""
    except (zipfile.BadZipFile, OSError, ValueError):
        raise AppError(f"文件“{name}”已损坏或不完整(不是有效的 .xlsx 压缩包),无法读取。请让对方重新发送。")
    if len(entries) > MAX_ZIP_ENTRIES:
        raise AppError(f"文件“{name}”内部含 {len(entries)} 个部件,超出上限 {MAX_ZIP_ENTRIES},疑似异常文件,未读取。")
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 10 * 1024 * 1024 and ratio > MAX_ENTRY_RATIO:
            raise AppError(f"文件“{name}”解压后异常膨胀(压缩比 {ratio:.0f}:1),疑似“压缩炸弹”,未读取。")
    if total > max_unpacked:
        raise AppError(f"文件“{name}”解压后过大({total / 1048576:.0f} MB,上限 "
                       f"{max_unpacked // 1048576} MB),疑似“压缩炸弹”,未读取。")
    names = {e.filename for e in entries}
    ods = "content.xml" in names and mimetype.strip() == ODS_MIMETYPE
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names and not ods:
        kind = ("Word 文档" if "word/document.xml" in names or b"opendocument.text" in mimetype else
                "PowerPoint 演示文稿" if "ppt/presentation.xml" in names else "Excel 工作簿")
        raise AppError(f"文件“{name}”不是 Excel 工作簿(.xlsx)" + (f",而是{kind}" if kind != "Excel 工作簿" else "") +
                       "。请选择正确的文件。")
    info = WorkbookInfo(
        path=path, size=size,
        format="ods" if ods else "xlsb" if "xl/workbook.bin" in names else "xlsx",
        has_macros=any(n.lower().endswith("vbaproject.bin") or n.startswith("Basic/") for n in names)
        or path.suffix.lower() == ".xlsm",
        has_drawings=any(n.startswith("xl/drawings/") or n.startswith("xl/charts/") or n.startswith("xl/media/")
                         for n in names),
    )
    info.bounds = _check_bounds(path, limits)
    return info


def _check_bounds(path: Path, limits=None):
    """What the parts declare and hold, refused before calamine could allocate it (`xlsx_limits`). A workbook
    the scan cannot look into is read in a child process before calamine reads it here (the reader calls
    `calamine_probe.vouch`)."""
    return xlsx_limits.check(path, limits)


def _ole_streams(fh) -> set[str]:
    """Names in the first directory sector of an OLE compound file (Workbook for .xls, WordDocument for .doc):
    the sector shift is at byte 30 of the header, the first directory sector at byte 48, 128 bytes an entry."""
    fh.seek(0)
    header = fh.read(512)
    shift = int.from_bytes(header[30:32], "little")
    first = int.from_bytes(header[48:52], "little")
    if len(header) < 512 or shift not in (9, 12) or first >= 0xFFFFFFFA:
        return set()
    fh.seek((first + 1) << shift)
    sector = fh.read(1 << shift)
    names = set()
    for start in range(0, len(sector) - 127, 128):
        length = int.from_bytes(sector[start + 64:start + 66], "little")
        if 2 <= length <= 64:
            names.add(sector[start:start + length - 2].decode("utf-16-le", "replace"))
    return names


def check_output_path(path, *, suffixes=(".xlsx",)) -> Path:
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise AppError(f"输出文件“{path.name}”应以 {' 或 '.join(suffixes)} 结尾。")
    if path.is_dir():
        raise AppError(f"“{path}”是一个文件夹,请给出文件名,如 {path / ('结果' + suffixes[0])}。")
    return path


def write_atomically(path, writer) -> Path:
    """Call `writer(tmp_path)` to write a workbook beside `path`, then rename it over `path`
    (db/output_paths.write_output: checked first; the old file stays as it was on any failure)."""
    return output_paths.write_output(path, writer, what="Excel 文件")
