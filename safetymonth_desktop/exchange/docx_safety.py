"""Checks on a Word template that came from the clerk, made before python-docx or docxtpl touches it.

A custom template is untrusted in the same way a unit's workbook is (see `xlsx_safety`): it may be a zip bomb
(a 113 KB file holding a 50 MB document.xml took docxtpl 100 s and 3.5 GB), a renamed .doc or .xlsx, encrypted,
or hold thousands of parts. `check_docx(path)` reads only the zip directory and refuses such a file with a
Chinese message (AppError); the limits are generous for any template typed in Word/WPS (the built-in one has
a 9 KB document.xml).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from safetymonth_desktop.base.errors import AppError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# The parts docxtpl renders with Jinja (body, headers, footers, footnotes, properties): compiled to Python code,
# so kept small.
MAX_RENDERED_PART_BYTES = 5 * 1024 * 1024
MAX_OTHER_XML_BYTES = 20 * 1024 * 1024  # any XML part: styles, numbering, themes are parsed by lxml, not rendered
# Jinja tags ({{ }}, {% %}, {# #}) in those parts, counted as "{" characters: compiling a template costs
# about 1 ms per tag here, checking and rendering (75 000 tags: over a minute), the built-in template has 94.
MAX_BRACES = 10_000
MAX_ENTRY_RATIO = 100  # compression ratio above which a part over 1 MB is taken for a zip bomb
RATIO_CHECKED_FROM = 1024 * 1024

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_RESAVE = "请在 Word/WPS 中打开并另存为 .docx 后再试。"


def check_docx(path) -> Path:
    """Refuse (AppError) a file that is not a plain, reasonably sized .docx; returns the path."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise AppError(f"找不到模板文件“{path}”。请确认文件存在,或改用内置模板。")
    if path.is_dir():
        raise AppError(f"“{path}”是一个文件夹,不是 Word 模板。请选择 .docx 文件。")
    size = path.stat().st_size
    if size == 0:
        raise AppError(f"模板文件“{name}”是空文件(0 字节),不是 Word 文档(.docx)。")
    if size > MAX_FILE_BYTES:
        raise AppError(f"模板文件“{name}”过大({_size(size)},上限 {_size(MAX_FILE_BYTES)}),未使用。"
                       "请删除模板中的大图片或多余内容后再试。")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            body = head + fh.read(4 * 1024 * 1024) if head == OLE_SIGNATURE else b""
    except OSError as exc:
        raise AppError(f"无法读取模板文件“{name}”:{exc.strerror}。如文件正在 Word/WPS 中打开,请关闭后重试。") from None
    if head == OLE_SIGNATURE:
        if _ENCRYPTED_MARK in body:
            raise AppError(f"模板文件“{name}”设置了打开密码(已加密),无法使用。请在 Word/WPS 中取消密码后另存为 .docx。")
        raise AppError(f"模板文件“{name}”是旧版 Word 97-2003(.doc)格式,不是 Word 文档(.docx)。"
                       "请在 Word/WPS 中“另存为” Word 文档(.docx)后再选择。")
    if not head.startswith(ZIP_SIGNATURE):
        raise AppError(f"模板文件“{name}”不是 Word 文档(.docx)。请在 Word/WPS 中另存为 .docx 格式后再选择。")
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise AppError(f"模板文件“{name}”已损坏或不完整(不是有效的 .docx 压缩包),无法使用。{_RESAVE}") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise AppError(f"模板文件“{name}”内部含 {len(entries)} 个部件,超出上限 {MAX_ZIP_ENTRIES},疑似异常文件,未使用。")
    total = 0
    for entry in entries:
        total += entry.file_size
        _check_entry(name, entry)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise AppError(f"模板文件“{name}”解压后过大({_size(total)},上限 {_size(MAX_UNCOMPRESSED_BYTES)}),"
                       "疑似“压缩炸弹”,未使用。")
    names = {e.filename for e in entries}
    if "word/document.xml" not in names:
        other = "Excel 工作簿" if "xl/workbook.xml" in names else ""
        raise AppError(f"模板文件“{name}”不是 Word 文档(.docx)" + (f",而是{other}" if other else "") +
                       "。请选择 Word 模板文件。")
    if len(names) != len(entries):
        raise AppError(f"模板文件“{name}”内部有重名的部件,疑似异常文件,未使用。{_RESAVE}")
    try:
        with zipfile.ZipFile(path) as zf:
            rendered = [zf.getinfo(part) for part in sorted(_rendered_parts(zf, names))]
            braces = 0
            for entry in rendered:
                _rendered_size_ok(name, entry)
                braces += zf.read(entry).count(b"{")
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise AppError(f"模板文件“{name}”已损坏或不完整,无法读取其中的正文。{_RESAVE}") from None
    if braces > MAX_BRACES:
        raise AppError(f"模板文件“{name}”中的标记({{{{ }}}}、{{% %}})过多(约 {braces // 2:,} 个,上限 "
                       f"{MAX_BRACES // 2:,} 个),未使用。自定义模板只需在要填数据的地方放标记;请删除多余的标记后再试。")
    return path


_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'(\w+)\s*=\s*"([^"]*)"')
_RENDERED_TYPES = (b"/header", b"/footer", b"/footnotes")


def _relationships(zf: zipfile.ZipFile, rels: str, names: set[str], base: str) -> list[tuple[bytes, str]]:
    """(type, part name) of each internal relationship in the .rels part `rels`, targets resolved from `base`."""
    if rels not in names:
        return []
    found = []
    for match in _RELATIONSHIP.finditer(zf.read(rels)):
        attrs = dict(_ATTRIBUTE.findall(match.group(1)))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        if attrs.get(b"TargetMode") == b"External" or not target:
            continue
        joined = target.lstrip("/") if target.startswith("/") else f"{base}/{target}" if base else target
        found.append((attrs.get(b"Type", b""), posixpath.normpath(joined)))
    return found


def _rendered_parts(zf: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The parts docxtpl renders with Jinja, found as python-docx finds them (through the relationships):
    the main document, its headers, footers and footnotes, and the document properties."""
    main = next((part for kind, part in _relationships(zf, "_rels/.rels", names, "")
                 if kind.endswith(b"/officeDocument")), "word/document.xml")
    folder, file = posixpath.split(main)
    related = _relationships(zf, posixpath.join(folder, "_rels", file + ".rels"), names, folder)
    parts = {main, "word/document.xml", "docProps/core.xml"}
    parts |= {part for kind, part in related if kind.endswith(_RENDERED_TYPES)}
    return parts & names


def _rendered_size_ok(name: str, entry: zipfile.ZipInfo) -> None:
    if entry.file_size > MAX_RENDERED_PART_BYTES:
        raise AppError(f"模板文件“{name}”的正文、页眉页脚部件 {entry.filename} 过大({_size(entry.file_size)},上限 "
                       f"{_size(MAX_RENDERED_PART_BYTES)}),未使用。自定义模板应只含总结的版式和少量文字;请删除多余内容后再试。")


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def _check_entry(name: str, entry: zipfile.ZipInfo) -> None:
    part = entry.filename
    size = entry.file_size
    ratio = size / max(entry.compress_size, 1)
    if size > RATIO_CHECKED_FROM and ratio > MAX_ENTRY_RATIO:
        raise AppError(f"模板文件“{name}”解压后异常膨胀(部件 {part} 压缩比 {ratio:.0f}:1),疑似“压缩炸弹”,未使用。")
    if PurePosixPath(part).suffix.lower() in (".xml", ".rels") and size > MAX_OTHER_XML_BYTES:
        raise AppError(f"模板文件“{name}”的部件 {part} 过大({_size(size)},上限 {_size(MAX_OTHER_XML_BYTES)}),未使用。"
                       "自定义模板应只含总结的版式和少量文字;请删除多余内容后再试。")
