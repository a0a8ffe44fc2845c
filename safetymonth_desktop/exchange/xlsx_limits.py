"""Bounds on what a workbook can make python-calamine allocate, checked before calamine sees the file.

calamine trusts what a workbook declares. It reserves room for the declared number of shared strings, builds
each sheet as one dense block of rows × columns values (32 bytes each, 40 with the Python list slot),
copies a shared string into every cell that uses it, and repeats an .ods cell or row as often as the file
says. A Rust allocation that fails is not a Python exception: it aborts the process, so the GUI window
dies with it. A 2 KB file can ask for 96 GB this way.

`scan(path)` reads the parts calamine will read, streamed in 1 MB chunks (never a whole part in memory),
and returns a `WorkbookScan`: per sheet the used range, the cells, the hidden state and the formula cells
without a cached value. `check(path)` is the scan plus the refusals (AppError, naming the file, sheet and
the declared size): more shared strings than `MAX_SHARED_STRINGS`, a cell beyond column `MAX_COLUMNS`,
more than `MAX_ROWS` rows holding something, more than `MAX_MERGES` merged ranges, or an
estimated reading memory above `MAX_READ_BYTES`. Rows holding nothing but empty text do not count towards
the row limit; the reader reads only `rows_to_read(...)` rows of a sheet. A 上报数据包 (a region's whole year,
recognised by its stamp) is checked against `package_limits()` instead: as many rows as an Excel sheet holds and
`PACKAGE_MAX_READ_BYTES` of memory; every other check is the same.

How .xlsx sheets are scanned: a fast pass proves, with one regular-expression search per chunk, that every
cell tag is written the way Excel, WPS, LibreOffice and openpyxl write it (`<c r="B7" s="3" t="s">`) and lies
within the bounds taken from the chunk's last `<row r>`; only a chunk where some cell lies beyond is counted
cell by cell. A tag written otherwise (a namespace prefix, no `r`, attributes in another order or twice)
sends the sheet to the exact pass: expat with defusedxml's rules (no entity declarations, no external
references), streamed, following calamine's own reading rules (positions counted for cells without `r`, the
last child deciding the value, empty cells ignored). The exact pass also runs when the fast pass's upper
bounds exceed a limit, so that empty styled cells far away do not refuse a good file; it reads at most
`MAX_EXACT_BYTES` of XML in all (some 15 s on a slow machine), so no file takes long to check. On the
100 000-row benchmark workbook (90 MB of sheet XML) the fast pass takes about 0.6 s of processor time,
calamine 1.5 s, the exact pass 5 s. An .ods content.xml always takes the exact pass
(`table:number-rows-repeated`, `number-columns-repeated` and `text:s text:c` are multiplied out, never
expanded). .xls and .xlsb are binary: capped at `MAX_BINARY_BYTES` and marked `vouched=False`, so the
caller reads them first in a child process with a memory limit (`calamine_probe`).
"""

from __future__ import annotations

import copy
import functools
import re
import threading
import zipfile
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop.base.errors import AppError

MAX_ROWS = 300_000  # data rows per sheet
MAX_SHARED_STRINGS = 2_000_000  # declared or present in sharedStrings.xml
MAX_COLUMNS = 1000  # a cell beyond column ALL is refused
MAX_MERGES = 20_000  # merged ranges per sheet
MAX_READ_BYTES = 600 * 1024 * 1024  # estimated memory for reading every sheet of a workbook
MAX_BINARY_BYTES = 20 * 1024 * 1024  # .xls/.xlsb cannot be scanned: smaller cap, read in a child first
MAX_META_BYTES = 8 * 1024 * 1024  # workbook.xml and relationship parts, parsed whole
MAX_UNVALUED = 10_000  # formula cells without a result remembered per sheet (the file is refused anyway)
MAX_EXACT_BYTES = 150 * 1024 * 1024  # XML the exact pass reads at most per workbook (some 15 s on a slow machine)
CHUNK = 1 << 20

# The reading-memory estimate, in bytes: peak RSS of python-calamine 0.9 (calamine 0.37) reading every sheet with
# to_python and keeping the rows, as the import does, measured in a fresh process on ledgers of 5 000–300 000 rows
# of 14–15 columns written three ways (openpyxl's inline strings, shared strings as Excel/WPS write them, inline
# strings as hostile_books writes them). Measured → estimated (MB): the 300 000-row bench_import ledger 549 → 567;
# a dense 300 000 × 15 text-heavy sheet 624 → 650 (inline, openpyxl), 640 → 690 (shared strings); 100 000 rows
# 183–212 → 190–230; 20 000 rows 37–42 → 39–47. Older reference points: a sparse range of 10 000 000 cells takes
# 382 MB (estimated 400), 100 MB of text 192 MB (estimated 200).
AREA_BYTES = 40  # each cell of the range from A1 to the last used row and column (32 in calamine, 8 the list slot)
CELL_BYTES = 32  # each cell holding a value: the Python object (a float, a date, a str's header)
STRING_BYTES = 88  # each cell holding text, besides: calamine's String, the rest of the Python str
TEXT_FACTOR = 2  # text is held twice: by calamine (UTF-8) and by Python
# What the fast pass takes for markup (the rest of a sheet's XML counts as text, so the estimate errs high): every
# cell `<c r="` … `">` … `</c>` besides its reference, `<v></v>`, ` s="N"`, ` t="s"`, an inline string's
# `inlineStr` and `<is><t></t></is>` beyond that, and every row's `<row r="N">` … `</row>`.
CELL_MARKUP_BYTES = 12
VALUE_MARKUP_BYTES = 7
STYLE_MARKUP_BYTES = 6
TYPE_MARKUP_BYTES = 6
INLINE_MARKUP_BYTES = 24
ROW_MARKUP_BYTES = 16
REFERENCE_EXCESS_BYTES = 5  # a character written as a reference (`&#22635;`, as openpyxl writes CJK) is 3 in UTF-8
SHARED_MARKUP_BYTES = 16  # a shared string's `<si><t>` … `</t></si>`, counted in its length
SHARED_STRING_BYTES = 24  # calamine's String per shared string, reserved for the declared count
ODS_AREA_BYTES = 120  # .ods: values and formulas, parsed and then laid out densely, plus the list slot

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MB = 1024 * 1024

# A 上报数据包 (recognised by its stamp, exchange/package_read.is_package) carries a whole region's year: a city of
# 15 districts × 70 000 records holds 735 000 hazard rows in one sheet. Its rows are bounded by what one sheet of
# Excel/WPS can hold (1 048 576 rows, less the header): package_write refuses to write more, so a package over it
# is not one this software wrote. Its reading memory is bounded higher, sheet by sheet (the package reader holds
# one sheet's cells at a time).
EXCEL_MAX_ROWS = 1_048_576
PACKAGE_MAX_ROWS = EXCEL_MAX_ROWS - 1
PACKAGE_MAX_READ_BYTES = 3 * 1024 * MB


@dataclass(frozen=True)
class Limits:
    """The bounds one kind of workbook is held to: `rows` data rows per sheet, `read_bytes` estimated memory."""

    rows: int
    read_bytes: int
    kind: str = ""  # "" for any workbook, "上报数据包" for a data package (named in the refusals)


def workbook_limits() -> Limits:
    """The bounds of an ordinary workbook (the module's constants, read when called)."""
    return Limits(rows=MAX_ROWS, read_bytes=MAX_READ_BYTES)


def package_limits() -> Limits:
    """The bounds of a 上报数据包: a sheet as long as Excel allows, and memory for a city's year."""
    return Limits(rows=max(MAX_ROWS, PACKAGE_MAX_ROWS), read_bytes=max(MAX_READ_BYTES, PACKAGE_MAX_READ_BYTES),
                  kind="上报数据包")


@dataclass
class SheetScan:
    """What one sheet holds, as calamine will see it. Rows and columns are 1-based; 0 means none."""

    name: str
    state: str = "visible"  # "visible", "hidden" or "veryHidden"
    dimension: str = ""  # the <dimension ref> the sheet declares ("" if none); not trusted
    rows: int = 0  # last row holding a cell with a value (an upper bound after the fast pass)
    columns: int = 0  # last column likewise
    content_rows: int | None = None  # last row with a non-blank value; None: not counted (fast pass)
    row_elements: int = 0  # <row> elements (counted by the exact pass)
    merges: int = 0  # <mergeCell> elements (the reader fills merged cells: its work grows with their number)
    cells: int = 0  # cells with a value (an upper bound after the fast pass)
    strings: int = 0  # of those, cells holding text (inline, shared or a formula's text result)
    text_bytes: int = 0  # text held by those cells, including shared strings they use
    estimate: int = 0  # bytes reading this sheet is expected to take
    exact: bool = False  # counted by the exact pass
    unvalued: dict = field(default_factory=dict)  # (row, column) → "=formula", for formulas without a result
    odd: str = ""  # why the fast pass could not vouch for this sheet ("" when it could)

    @property
    def hidden(self) -> bool:
        return self.state != "visible"


@dataclass
class WorkbookScan:
    """The result of `scan`: per-sheet facts and the workbook's estimate."""

    format: str  # "xlsx", "ods", "xls" or "xlsb"
    sheets: list[SheetScan] = field(default_factory=list)
    shared_strings: int = 0
    declared_unique: int | None = None  # sharedStrings.xml's uniqueCount
    declared_count: int | None = None  # sharedStrings.xml's count
    estimate: int = 0
    vouched: bool = True  # False: a binary workbook this scan cannot look into

    def sheet(self, name: str) -> SheetScan | None:
        return next((s for s in self.sheets if s.name == name), None)

    def hidden_warning(self, name: str) -> str | None:
        """The warning for a hidden sheet whose data is read, or None for a visible one."""
        found = self.sheet(name)
        if found is None or not found.hidden:
            return None
        how = "深度隐藏(在 Excel 中无法直接取消隐藏)" if found.state == "veryHidden" else "隐藏"
        return f"工作表“{name}”是{how}的工作表,其中的数据也已读取并检查;如不应导入,请删除该工作表后重新导入。"

    def unvalued(self, name: str) -> dict:
        """(row, column) 1-based → "=formula" of the sheet's formula cells saved without a computed value."""
        found = self.sheet(name)
        return found.unvalued if found is not None else {}

    def rows_to_read(self, name: str, total: int) -> int:
        """How many rows (from row 1) of `name` hold anything but empty text; `total` when unknown."""
        found = self.sheet(name)
        if found is None or found.content_rows is None:
            return total
        return min(total, found.content_rows)


# ---- entry points


def check(path, limits: Limits | None = None) -> WorkbookScan:
    """`scan(path)` and refuse (AppError) what would exhaust memory or break the row and column limits
    (`limits`: an ordinary workbook's unless given, `package_limits()` for a 上报数据包)."""
    path = Path(path)
    limits = limits or workbook_limits()
    scans = _scan_all(path, limits)
    for found in scans:
        _enforce(path.name, found, limits)
    return _primary(scans)


def scan(path, limits: Limits | None = None) -> WorkbookScan:
    """What the workbook at `path` declares and holds (see the module docstring); AppError for a file whose
    parts cannot be parsed safely. Nothing is refused for its size here: that is `check`."""
    return _primary(_scan_all(Path(path), limits or workbook_limits()))


_scanned: dict[tuple, list] = {}  # the last scans, so that the GUI's preview and its import scan a file once
_scanned_lock = threading.Lock()


def _scan_all(path: Path, limits: Limits) -> list[WorkbookScan]:
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, limits, MAX_COLUMNS,
               MAX_SHARED_STRINGS, MAX_EXACT_BYTES, MAX_BINARY_BYTES, MAX_MERGES)
    except OSError:
        return _scan_file(path, limits)  # open() says why
    with _scanned_lock:
        known = _scanned.get(key)
    if known is None:
        known = _scan_file(path, limits)
        with _scanned_lock:
            if len(_scanned) >= 16:
                _scanned.clear()
            _scanned[key] = known
    return [copy.deepcopy(found) for found in known]


def _scan_file(path: Path, limits: Limits) -> list[WorkbookScan]:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE_SIGNATURE:
        return [_binary(path, "xls")]
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise AppError(f"文件“{path.name}”已损坏或不完整(不是有效的压缩包),无法读取。请让对方重新发送。")
    # A zip can hold the parts of several formats and calamine takes one of them: each one found is scanned.
    scans = []
    with zf:
        members = _Members(zf, path.name)
        if members.find("_rels/.rels") is not None:
            scans.append(_XlsxScanner(members, path.name, limits).run())
        if members.find("content.xml") is not None and members.find("mimetype") is not None:
            scans.append(_OdsScanner(members, path.name).run())
        if members.find("xl/workbook.bin") is not None:
            scans.append(_binary(path, "xlsb"))
    return scans or [WorkbookScan(format="xlsx")]


def _primary(scans: list[WorkbookScan]) -> WorkbookScan:
    """The first format found (.xlsx before .ods before .xlsb), carrying the largest estimate of them all
    and vouched only if every one is."""
    first = scans[0]
    first.estimate = max(s.estimate for s in scans)
    first.vouched = all(s.vouched for s in scans)
    return first


# ---- limits


def check_rows(file_name: str, sheet_name: str, rows: int, limits: Limits | None = None) -> None:
    limits = limits or workbook_limits()
    if rows > limits.rows + 1:
        if limits.kind:
            raise AppError(f"{limits.kind}“{file_name}”的工作表“{sheet_name}”有 {rows - 1} 行,超出上限 {limits.rows} 行"
                           "(一个 Excel/WPS 工作表最多 1048576 行),不是本软件生成的数据包,未读取。"
                           "请让下级用本软件重新生成上报数据包。")
        raise AppError(f"文件“{file_name}”的工作表“{sheet_name}”有 {rows - 1} 行,超出上限 {limits.rows} 行,未读取。"
                       "请拆分为多个文件。")


def _enforce(file: str, found: WorkbookScan, limits: Limits) -> None:
    if found.declared_unique is not None and found.declared_unique > MAX_SHARED_STRINGS:
        actual = (f"实际有 {found.shared_strings} 个" if found.shared_strings <= MAX_SHARED_STRINGS
                  else f"实际也超过 {MAX_SHARED_STRINGS} 个")
        raise AppError(f"文件“{file}”的共享字符串表声明有 {found.declared_unique} 个不同的文字({actual}),"
                       f"超出上限 {MAX_SHARED_STRINGS},疑似异常文件,未读取。请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")
    if found.shared_strings > MAX_SHARED_STRINGS:
        raise AppError(f"文件“{file}”含 {found.shared_strings} 个不同的文字,超出上限 {MAX_SHARED_STRINGS},未读取。"
                       "请拆分为多个文件后再导入。")
    for sheet in found.sheets:
        if sheet.columns > MAX_COLUMNS:
            raise AppError(f"文件“{file}”的工作表“{sheet.name}”在第 {sheet.columns} 列({column_letters(sheet.columns)}列)"
                           f"有内容,数据区域到 {_ref(sheet)}" + _declared(sheet) +
                           f",超出上限 {MAX_COLUMNS} 列,未读取。如这些单元格是误填的,请在 Excel/WPS 中删除这些列后重新导入。")
        rows = sheet.content_rows if sheet.content_rows is not None else sheet.rows
        check_rows(file, sheet.name, rows, limits)
        if sheet.merges > MAX_MERGES:
            raise AppError(f"文件“{file}”的工作表“{sheet.name}”有 {sheet.merges} 处合并单元格,超出上限 {MAX_MERGES},"
                           "疑似异常文件,未读取。请在 Excel/WPS 中取消不需要的合并后再导入。")
    if found.estimate > limits.read_bytes:
        biggest = max(found.sheets, key=lambda s: s.estimate, default=None)
        where = ""
        if biggest is not None and biggest.estimate * 2 > found.estimate:
            text = f",文字共约 {biggest.text_bytes // MB} MB" if biggest.text_bytes >= MB else ""
            where = (f"的工作表“{biggest.name}”数据区域为 {biggest.rows} 行 × {biggest.columns} 列(到 {_ref(biggest)})"
                     + _declared(biggest) + f",有内容的单元格 {biggest.cells} 个{text},")
        elif found.shared_strings:
            where = f"含 {found.shared_strings} 个不同的文字,"
        raise AppError(f"文件“{file}”{where}读取约需 {found.estimate // MB} MB 内存,超出上限 {limits.read_bytes // MB} MB,"
                       "未读取。请拆分为多个文件,或在 Excel/WPS 中删除多余的行和列后再导入。")


def _ref(sheet: SheetScan) -> str:
    return f"{column_letters(max(sheet.columns, 1))}{max(sheet.rows, 1)}"


def _declared(sheet: SheetScan) -> str:
    return f"(文件声明的范围为 {sheet.dimension})" if sheet.dimension else ""


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _binary(path: Path, kind: str) -> WorkbookScan:
    size = path.stat().st_size
    name = "Excel 97-2003 工作簿(.xls)" if kind == "xls" else "Excel 二进制工作簿(.xlsb)"
    if size > MAX_BINARY_BYTES:
        raise AppError(f"文件“{path.name}”是{name},大小 {size / MB:.0f} MB,超出此格式的上限 {MAX_BINARY_BYTES // MB} MB,"
                       "未读取。请在 Excel/WPS 中另存为 .xlsx 后再导入。")
    return WorkbookScan(format=kind, vouched=False)


# ---- zip members, found the way calamine finds them


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # as Rust's ascii lowercase


class _Members:
    """Zip members by name, looked up as calamine does: case-insensitive, with '\\' read as '/'. Two members
    whose names differ only so are refused: which one a reader takes would be a guess."""

    def __init__(self, zf: zipfile.ZipFile, file: str):
        self.zf = zf
        self.file = file
        self.by_key: dict[str, zipfile.ZipInfo] = {}
        self.by_name: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            key = info.filename.replace("\\", "/").translate(_ASCII_LOWER)
            if key in self.by_key:
                raise AppError(f"文件“{file}”内部有两个同名部件(“{info.filename}”),疑似异常文件,未读取。")
            self.by_key[key] = info
            self.by_name[info.filename] = info

    def find(self, name: str) -> zipfile.ZipInfo | None:
        return self.by_key.get(name.translate(_ASCII_LOWER)) or self.by_name.get(name)

    def read_small(self, info: zipfile.ZipInfo, what: str) -> bytes:
        if info.file_size > MAX_META_BYTES:
            raise AppError(f"文件“{self.file}”的{what}部件过大({info.file_size / MB:.0f} MB),疑似异常文件,未读取。")
        try:
            return self.zf.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            raise _damaged(self.file)

    def chunks(self, info: zipfile.ZipInfo):
        """The member's bytes in chunks of about `CHUNK`, each cut just before its last '<' (the rest goes to
        the next chunk), so that no tag is split between two chunks."""
        try:
            with self._open(info) as fh:
                tail = b""
                while True:
                    block = fh.read(CHUNK)
                    if not block:
                        break
                    block = tail + block if tail else block
                    cut = block.rfind(b"<")
                    if cut <= 0:
                        tail = block
                        if len(tail) > 64 * CHUNK:  # megabytes without a tag: one text too long to be data
                            raise AppError(f"文件“{self.file}”的部件“{info.filename}”中有一段超过 64 MB 的文字,"
                                           "疑似异常文件,未读取。")
                        continue
                    yield block[:cut]
                    tail = block[cut:]
                if tail:
                    yield tail
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error):
            raise _damaged(self.file)

    def _open(self, info: zipfile.ZipInfo):
        """A deflated member read straight from the archive, without zipfile's CRC pass (a quarter of the
        time; calamine checks the CRC itself); any other member through zipfile."""
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
            return self.zf.open(info)
        return _Inflater(self.zf.fp, info)


class _Inflater:
    """Reads a deflated zip member's data, at most `size` bytes a call (a zip bomb is inflated piece by piece)."""

    def __init__(self, fp, info: zipfile.ZipInfo):
        fp.seek(info.header_offset)
        header = fp.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        fp.seek(info.header_offset + 30 + int.from_bytes(header[26:28], "little")
                + int.from_bytes(header[28:30], "little"))
        self.fp = fp
        self.left = info.compress_size
        self.inflate = zlib.decompressobj(-15)
        self.pending = b""

    def read(self, size: int) -> bytes:
        while True:
            if self.pending:
                out = self.inflate.decompress(self.pending, size)
                self.pending = self.inflate.unconsumed_tail
                if out:
                    return out
            if self.left <= 0:
                return self.inflate.flush() if not self.inflate.eof else b""
            data = self.fp.read(min(self.left, 1 << 18))
            if not data:
                raise EOFError("truncated member")
            self.left -= len(data)
            self.pending = data

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _damaged(file: str) -> AppError:
    return AppError(f"文件“{file}”已损坏或不完整,无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再导入,或让对方重新发送。")


def _parse_small(data: bytes, file: str):
    """An XML part parsed whole through defusedxml (no DTD entities, no external references)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data)
    except DefusedXmlException:
        raise AppError(f"文件“{file}”内部含有 XML 实体或文档类型声明,疑似异常文件,未读取。")
    except (ParseError, ValueError):
        raise AppError(f"文件“{file}”内部格式有误,无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")


def _local(tag: str) -> str:
    """`{namespace}name` or `prefix:name` → `name`."""
    return tag.rpartition("}")[2].rpartition(":")[2]


def _u32(text: str) -> int | None:
    """Digits as calamine's atoi reads an integer attribute; None if it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 20 else None


def _cell_position(ref: str) -> tuple[int, int] | None:
    """'B7' → (6, 1), 0-based, computed as calamine does (u32 arithmetic that wraps); None where calamine fails."""
    col = row = 0
    digits = False
    for ch in ref:
        o = ord(ch)
        if not digits and 65 <= o <= 90:
            col = (col * 26 + o - 64) & 0xFFFFFFFF
        elif not digits and 97 <= o <= 122:
            col = (col * 26 + o - 96) & 0xFFFFFFFF
        elif 48 <= o <= 57:
            row = (row * 10 + o - 48) & 0xFFFFFFFF
            digits = True
        else:
            return None
    if not digits or row == 0:
        return None
    return row - 1, col - 1 if col else -1


# ---- .xlsx

# A `<c` tag not written the usual way (Excel, WPS, LibreOffice, openpyxl): no attribute, odd white space, `r` not
# first, a reference that is not 1-3 letters and 1-7 digits, or attributes other than s and t after it.
_IRREGULAR = re.compile(
    rb'<c(?:[>/\t\n\r]| (?!r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,9}")?(?: t="[a-zA-Z]{1,9}")?/?>))')
# a prefixed element that calamine reads by its local name
_PREFIXED = re.compile(rb":(?:c|row|f|v|is|sheetData|mergeCell)[\s>/]")
_ROW_NUMBER = re.compile(rb'<row r="([0-9]{1,7})"')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="[0-9]{1,9}")?(?: t="([a-zA-Z]{1,9})")?>'
    rb"(?:<f(?:\s[^>]*)?/>|<f(?:\s[^>]*)?>([^<]*)</f>)(<v>[^<]*</v>|<v/>)?(?=</c>)")
_SHARED_CELL = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,9}")? t="s"(?:/>|>(?:<v>([0-9]{1,10})</v>)?)')
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']{0,40})")
_SST_TAG = re.compile(rb"<(?:[\w.-]+:)?sst[\s>/][^>]*>")
_SST_ATTR = re.compile(rb"""\s(count|uniqueCount)\s*=\s*["']([^"']{0,40})""")
_SI_PREFIXED = re.compile(rb"<[\w.-]+:si[\s>/]")
_SI_START = re.compile(rb"<(?:[\w.-]+:)?si(?=[\s>/])")
_TEXT = re.compile(rb"<(?:[\w.-]+:)?t(?:\s[^>]*)?>([^<]*)<")


class _XlsxScanner:
    def __init__(self, members: _Members, file: str, limits: Limits):
        self.members = members
        self.file = file
        self.limits = limits
        self.markup = 0  # XML bytes of markup the fast pass counted in the sheet it read last
        self.lengths = array("I")  # XML bytes of each shared string
        self.blank: set[int] | None = None  # shared strings that are empty or white space (computed when needed)
        self.sst: zipfile.ZipInfo | None = None
        self.exact_budget = MAX_EXACT_BYTES  # XML bytes the exact pass may still read

    def run(self) -> WorkbookScan:
        out = WorkbookScan(format="xlsx")
        xl_path = self._xl_path()
        if xl_path is None:
            return out
        relationships = self._relationships(xl_path)
        workbook = self.members.find(xl_path + "workbook.xml")
        if workbook is None:
            return out
        root = _parse_small(self.members.read_small(workbook, "工作簿"), self.file)
        self.sst = self.members.find(xl_path + "sharedStrings.xml")
        if self.sst is not None:
            self._shared_strings(out)
        for element in root.iter():
            if _local(element.tag) != "sheet":
                continue
            rel_id = None
            for key, value in element.attrib.items():
                if _local(key) == "id":
                    rel_id = value
            sheet = SheetScan(name=element.attrib.get("name", ""), state=element.attrib.get("state", "visible"))
            out.sheets.append(sheet)
            target = relationships.get(rel_id)
            if target is None:
                continue
            part = self.members.find(target[1:] if target.startswith("/") else xl_path + target)
            if part is not None:
                self._sheet(part, sheet)
        shared = self.sst.file_size if self.sst is not None else 0
        reserved = max(out.shared_strings, min(out.declared_unique or 0, MAX_SHARED_STRINGS))
        out.estimate = shared + SHARED_STRING_BYTES * reserved + sum(s.estimate for s in out.sheets)
        return out

    def _xl_path(self) -> str | None:
        rels = self.members.find("_rels/.rels")
        root = _parse_small(self.members.read_small(rels, "关系"), self.file)
        target = None
        for element in root.iter():
            if _local(element.tag) == "Relationship" and element.attrib.get("Type", "").endswith(
                    "/relationships/officeDocument") and "Target" in element.attrib:
                target = element.attrib["Target"]
        if target is None:
            return None
        folder = target[:target.rfind("/") + 1] if "/" in target else ""
        return folder[1:] if folder.startswith("/") else folder

    def _relationships(self, xl_path: str) -> dict:
        rels = self.members.find(xl_path + "_rels/workbook.xml.rels")
        if rels is None:
            return {}
        root = _parse_small(self.members.read_small(rels, "关系"), self.file)
        found = {}
        for element in root.iter():
            if _local(element.tag) == "Relationship" and "Id" in element.attrib:
                found[element.attrib["Id"]] = element.attrib.get("Target", "")
        return found

    # -- shared strings

    def _sst_items(self, on_tag=None):
        """The shared-strings part in chunks, from just after its `<sst …>` tag (`on_tag(tag)` gets the tag's
        bytes first): `_shared_strings` and `_blank_strings` read the same items from the same place."""
        header = True
        for chunk in self.members.chunks(self.sst):
            if header:
                tag = _SST_TAG.search(chunk)
                if tag is None:
                    continue
                header = False
                if on_tag is not None:
                    on_tag(tag.group(0))
                chunk = chunk[tag.end():]
            yield chunk

    def _shared_strings(self, out: WorkbookScan) -> None:
        lengths = self.lengths

        def declared(tag: bytes) -> None:
            for key, value in _SST_ATTR.findall(tag):
                number = _u32(value.decode("ascii", "replace").strip())
                if key == b"uniqueCount":
                    out.declared_unique = number
                else:
                    out.declared_count = number

        for chunk in self._sst_items(declared):
            if _SI_PREFIXED.search(chunk):
                parts = _SI_START.split(chunk)
            else:
                parts = chunk.split(b"<si")
            if lengths:
                lengths[-1] = min(lengths[-1] + len(parts[0]), 0xFFFFFFFF)
            lengths.extend(map(len, parts[1:]))
            if len(lengths) > MAX_SHARED_STRINGS:
                break
        out.shared_strings = len(lengths)

    def _blank_strings(self) -> set[int]:
        """Indexes of shared strings that are empty or white space only (rows holding nothing else do not
        count towards the row limit). Items are delimited as in `_shared_strings`, so indexes agree."""
        if self.blank is None and self.sst.file_size > MAX_EXACT_BYTES:
            self.blank = set()  # too long to look through: every shared string counts as text
        if self.blank is None:
            blank: set[int] = set()
            index = 0
            carry = b""
            for chunk in self._sst_items():
                data = carry + chunk if carry else chunk
                starts = [m.start() for m in _SI_START.finditer(data)]
                if not starts:
                    carry = data[:CHUNK] if carry else b""  # an item longer than this is not blank anyway
                    continue
                for a, b in zip(starts, starts[1:]):
                    if not any(t.strip() for t in _TEXT.findall(data, a, b)):
                        blank.add(index)
                    index += 1
                carry = data[starts[-1]:starts[-1] + CHUNK]
            if carry and not any(t.strip() for t in _TEXT.findall(carry)):
                blank.add(index)
            self.blank = blank
        return self.blank

    # -- sheets

    def _sheet(self, part: zipfile.ZipInfo, sheet: SheetScan) -> None:
        usual = self._fast(part, sheet)
        if usual and (not self._over(sheet) or part.file_size > self.exact_budget):
            # Inline text is at most the part's bytes less the markup every cell needs; shared strings the
            # cells copy were added up by the fast pass. (Over a limit and too big to count exactly: the
            # upper bounds stand, and the limits refuse the sheet with them.)
            text = max(0, part.file_size - self.markup) + sheet.text_bytes
        elif part.file_size > self.exact_budget:
            raise AppError(f"文件“{self.file}”的工作表“{sheet.name}”{sheet.odd}(解压后 {part.file_size // MB} MB),"
                           f"无法在限定时间内逐格检查(上限 {MAX_EXACT_BYTES // MB} MB),未读取。"
                           "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")
        else:
            self.exact_budget -= part.file_size
            _ExactSheet(self, part, sheet).run()
            text = sheet.text_bytes
        sheet.text_bytes = text
        sheet.estimate = (AREA_BYTES * sheet.rows * sheet.columns + CELL_BYTES * sheet.cells
                          + STRING_BYTES * sheet.strings + TEXT_FACTOR * text)

    def _over(self, sheet: SheetScan) -> bool:
        area = AREA_BYTES * sheet.rows * sheet.columns
        return (sheet.columns > MAX_COLUMNS or sheet.rows > self.limits.rows + 1
                or area > self.limits.read_bytes // 2)

    def _fast(self, part: zipfile.ZipInfo, sheet: SheetScan) -> bool:
        """Upper bounds for the sheet's rows, columns and cells; False when a chunk holds a tag this pass
        cannot vouch for (the exact pass then counts the sheet).

        Every `<c ` tag must be in the usual form (`_IRREGULAR` finds any other). The last row is bounded by
        the chunk's last `<row r>` and the last column by the first cells; one search per chunk then proves
        that every cell tag is in the usual form and within these bounds (`_outside`), and only a chunk where
        one lies beyond is counted cell by cell.
        """
        rows = columns = cells = shared = merges = strings = inline = markup = 0
        unvalued = {}
        first = True
        long_strings = self.sst is not None and max(self.lengths, default=0) > 64
        for chunk in self.members.chunks(part):
            if first:
                first = False
                if chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:512]:
                    raise AppError(f"文件“{self.file}”的工作表“{sheet.name}”使用了不支持的文字编码,无法读取。"
                                   "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")
                dimension = _DIMENSION.search(chunk)
                if dimension is not None:
                    sheet.dimension = dimension.group(1).decode("ascii", "replace")
                if b"<!DOCTYPE" in chunk:
                    sheet.odd = "含文档类型声明"
                    return False
            if _PREFIXED.search(chunk):
                sheet.odd = "单元格标记带有命名空间前缀"
                return False
            last_row = _ROW_NUMBER.match(chunk, max(chunk.rfind(b'<row r="'), 0))
            if last_row is not None:  # rows usually ascend: the last one bounds the chunk (else `_outside` finds out)
                rows = max(rows, int(last_row.group(1)))
            if _outside(columns, rows).search(chunk):
                if _IRREGULAR.search(chunk):
                    sheet.odd = "单元格标记不是常见写法"
                    return False
                rows = max(rows, _largest(_CELL_ROW.findall(chunk)))  # cells beyond the bounds: count them
                columns = max(columns, max(_cell_position(c.decode("ascii") + "1")[1] + 1
                                           for c in set(_CELL_COLUMN.findall(chunk))))
            cells += chunk.count(b"<c ")
            merges += chunk.count(b"<mergeCell ")
            found_inline = chunk.count(b"<is>")
            inline += found_inline
            strings += found_inline + chunk.count(b't="str"')
            markup += (VALUE_MARKUP_BYTES * chunk.count(b"<v>") + STYLE_MARKUP_BYTES * chunk.count(b' s="')
                       + TYPE_MARKUP_BYTES * chunk.count(b' t="') + INLINE_MARKUP_BYTES * found_inline
                       + REFERENCE_EXCESS_BYTES * chunk.count(b"&#"))
            formulas = len(_FORMULA_TAG.findall(chunk))
            if formulas:
                matched = _FORMULA_CELL.findall(chunk)
                if len(matched) != formulas:
                    sheet.odd = "公式单元格不是常见写法"
                    return False
                for letters, number, kind, text, value in matched:
                    if len(unvalued) < MAX_UNVALUED and (not value or (value in (b"<v></v>", b"<v/>")
                                                                         and kind != b"str")):
                        position = _cell_position((letters + number).decode("ascii"))
                        if position is not None:  # (row 0 is no cell: calamine refuses the file)
                            unvalued[position[0] + 1, position[1] + 1] = _formula_text(text.decode("utf-8", "replace"))
            if self.sst is not None:
                typed = chunk.count(b't="s"')
                strings += typed
                if typed and long_strings:
                    found_shared = _SHARED_CELL.findall(chunk)
                    if len(found_shared) != typed:
                        sheet.odd = "共享文字单元格不是常见写法"
                        return False
                    shared += self._shared_bytes(found_shared)
                elif typed:
                    shared += typed * max(max(self.lengths, default=0) - SHARED_MARKUP_BYTES, 0)
        sheet.rows, sheet.columns, sheet.cells = (rows, columns, cells) if cells else (0, 0, 0)
        sheet.strings = min(strings, sheet.cells)
        sheet.text_bytes, sheet.merges = shared, merges
        reference = len(str(max(rows // 10, 1))) + 1  # most cells' reference: a letter and the rows' digits
        self.markup = markup + (CELL_MARKUP_BYTES + reference) * sheet.cells + (ROW_MARKUP_BYTES + reference - 1) * rows
        sheet.unvalued = unvalued
        return True

    def _shared_bytes(self, indexes: list) -> int:
        """XML bytes of the shared strings these cells copy (calamine and Python each hold a copy)."""
        lengths = self.lengths
        total = 0
        for index, times in Counter(indexes).items():
            if index:
                i = int(index)
                if i < len(lengths):
                    total += times * max(lengths[i] - SHARED_MARKUP_BYTES, 0)
        return total


def _formula_text(text: str) -> str:
    """A formula as the clerk types it, shortened for the error list."""
    from xml.sax.saxutils import unescape

    text = "=" + unescape(text, {"&quot;": '"', "&apos;": "'"})
    return text if len(text) <= 60 else text[:57] + "…"


def _largest(numbers: list) -> int:
    """The largest of decimal numbers given as bytes (the longest ones, compared as text; int() only when
    leading zeros make length and value disagree)."""
    if not numbers:
        return 0
    longest = max(map(len, numbers))
    top = max(numbers)
    return int(top) if len(top) == longest and top[:1] != b"0" else max(map(int, numbers))


@functools.lru_cache(maxsize=64)
def _outside(columns: int, rows: int) -> re.Pattern:
    """A pattern finding a `<c` tag that is not in the usual form (`_IRREGULAR`), or is but lies beyond
    `columns` or `rows`: one pass over the cells checks both."""
    letters = _at_most(column_letters(columns).encode(), b"A", b"Z") if columns else b"(?!)"
    digits = _at_most(str(rows).encode(), b"0", b"9", leading=b"1") if rows else b"(?!)"
    return re.compile(rb'<c(?:[>/\t\n\r]| (?!r="' + letters + b"0*" + digits
                      + rb'"(?: s="[0-9]{1,9}")?(?: t="[a-zA-Z]{1,9}")?/?>))')


def _at_most(text: bytes, low: bytes, high: bytes, leading: bytes | None = None) -> bytes:
    """A regex alternation matching strings of symbols low..high whose value is at most `text`'s: shorter
    (the first symbol at least `leading`), or as long and not greater at the first difference. For letters
    A..Z (bijective base 26) and digits without leading zeros alike."""
    first = b"[" + (leading or low) + b"-" + high + b"]"
    any_symbol = b"[" + low + b"-" + high + b"]"
    options = [re.escape(text)]
    if len(text) > 1:
        options.append(first + any_symbol + b"{0,%d}" % (len(text) - 2))
    for i in range(len(text)):
        symbol = text[i:i + 1]
        lowest = (leading or low) if i == 0 else low
        if symbol > lowest:
            options.append(re.escape(text[:i]) + b"[" + lowest + b"-" + bytes([symbol[0] - 1]) + b"]"
                           + any_symbol + b"{%d}" % (len(text) - i - 1))
    return b"(?:" + b"|".join(options) + b")"


class _ExactSheet:
    """One worksheet part through expat (with defusedxml's rules: no entity declarations, no external
    references), following calamine's XlsxCellReader: only cells inside <sheetData>; a cell without `r` sits
    at the current row and the column after the previous cell; the value is what the cell's last child gives
    (an <f> alone, an empty <v> or an inlineStr's <v> give none); a <row> end moves to the next row. A formula
    cell without a result counts as content: the importer reports it."""

    def __init__(self, owner: _XlsxScanner, part: zipfile.ZipInfo, sheet: SheetScan):
        self.owner = owner
        self.part = part
        self.sheet = sheet

    def run(self) -> None:
        owner, sheet = self.owner, self.sheet
        lengths = owner.lengths
        blank_strings = owner._blank_strings() if owner.sst is not None else set()
        unvalued: dict = {}
        sheet.merges = 0
        # the reader's state, in locals of the closures for speed
        in_data = done = False
        row = col = depth = 0
        cell = None  # [row, col, type, last child, formula or None, text bytes, blank, v digits, has <t>]
        rows = cols = cells = text_total = content = row_elements = strings = 0

        def start(name, attrs):
            nonlocal in_data, row, col, depth, cell, row_elements
            local = name.rpartition(":")[2]
            if cell is not None:
                depth += 1
                if depth == 1:  # a child of the cell: calamine reads each, the last one wins
                    cell[3] = local
                    cell[5], cell[6], cell[7] = 0, True, ""
                    if local == "f":
                        cell[4] = ""
                elif local == "t":
                    cell[8] = True
                return
            if local == "mergeCell":
                sheet.merges += 1
            if done:
                return
            if not in_data:
                if local == "sheetData":
                    in_data = True
                elif local == "dimension" and "ref" in attrs:
                    sheet.dimension = attrs["ref"][:40]
                return
            if local == "row":
                row_elements += 1
                if "r" in attrs:
                    position = _cell_position(attrs["r"])
                    if position is None:
                        raise _Malformed(attrs["r"])
                    row = position[0]
            elif local == "c":
                if "r" in attrs:
                    position = _cell_position(attrs["r"])
                    if position is None or position[1] < 0:
                        raise _Malformed(attrs["r"])
                    col = position[1]
                    cell = [position[0], position[1], attrs.get("t"), None, None, 0, True, "", False]
                else:
                    cell = [row, col, attrs.get("t"), None, None, 0, True, "", False]
                depth = 0

        def end(name):
            nonlocal cell, depth, col, row, done
            if cell is not None:
                if depth > 0:
                    depth -= 1
                    return
                finish(cell)
                cell = None
                col += 1
                return
            if in_data and not done:
                local = name.rpartition(":")[2]
                if local == "row":
                    row += 1
                    col = 0
                elif local == "sheetData":
                    done = True

        def characters(content):
            if cell is not None and depth >= 1:
                cell[5] += len(content) if content.isascii() else len(content.encode("utf-8"))
                if cell[6] and not content.isspace():
                    cell[6] = False
                if cell[3] == "v" and len(cell[7]) < 24:
                    cell[7] += content[:24]
                elif cell[3] == "f" and len(cell[4]) < 80:
                    cell[4] += content[:80]

        def finish(c):
            nonlocal rows, cols, cells, text_total, content, strings
            last, kind = c[3], c[2]
            value = False
            blank = True
            text = 0
            if last == "is":
                value = c[8] or c[5] > 0
                blank, text = c[6], c[5]
            elif last == "v" and kind not in ("inlineStr", "is") and c[7] != "":
                value = True
                if kind == "s":
                    index = _u32(c[7].strip())
                    if index is not None and index < len(lengths):
                        text = lengths[index]
                        blank = index in blank_strings
                    else:
                        blank = False
                elif kind == "str":
                    blank, text = c[6], c[5]
                else:
                    blank = False
            r, k = c[0] + 1, c[1] + 1
            if c[4] is not None and not value:
                if len(unvalued) < MAX_UNVALUED:
                    formula = c[4]
                    unvalued[r, k] = "=" + formula if len(formula) < 60 else "=" + formula[:56] + "…"
                value, blank = True, False
            if not value:
                return
            cells += 1
            text_total += text
            if last == "is" or kind in ("s", "str"):
                strings += 1
            if r > rows:
                rows = r
            if k > cols:
                cols = k
            if not blank and r > content:
                content = r

        parser = _defused_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = characters
        _feed(parser, owner.members.chunks(self.part), owner.file, f"的工作表“{sheet.name}”")
        sheet.rows, sheet.columns, sheet.cells, sheet.strings = rows, cols, cells, strings
        sheet.text_bytes, sheet.content_rows, sheet.row_elements = text_total, content, row_elements
        sheet.unvalued = unvalued
        sheet.exact = True


class _Malformed(Exception):
    def __init__(self, ref: str):
        super().__init__(ref)
        self.ref = ref


class _Forbidden(Exception):
    pass


def _defused_parser():
    """An expat parser with defusedxml's rules: entity declarations and external references are refused."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.buffer_text = True

    def forbid(*_args):
        raise _Forbidden()

    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _feed(parser, chunks, file: str, where: str) -> None:
    """Parse the chunks; AppError (Chinese, naming the file and `where`) for what cannot be parsed safely."""
    from xml.parsers import expat

    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Forbidden:
        raise AppError(f"文件“{file}”{where}含有 XML 实体定义或外部引用,疑似异常文件,未读取。")
    except _Malformed as exc:
        raise AppError(f"文件“{file}”{where}中有无效的单元格位置“{exc.ref[:20]}”,文件可能已损坏。"
                       "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")
    except expat.ExpatError:
        raise AppError(f"文件“{file}”{where}内部格式有误,无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")


# ---- .ods


class _OdsScanner:
    """content.xml through expat (defusedxml's rules), following calamine's ods reader: elements matched by
    their literal `table:` names; a row or cell repeated N times counts N times (never expanded here);
    empty cells before a value count as columns, trailing ones do not; `text:s text:c="N"` is N spaces."""

    def __init__(self, members: _Members, file: str):
        self.members = members
        self.file = file

    def run(self) -> WorkbookScan:
        out = WorkbookScan(format="ods")
        hidden_styles: set[str] = set()
        state: dict = {"table": None, "row": None, "cell": None, "style": None}

        def start(name, attrs):
            cell = state["cell"]
            if cell is not None:
                if name == "text:p":
                    cell["paragraphs"] += 1
                elif name == "text:s":
                    cell["text"] += _count(attrs.get("text:c"), 1)
                elif name == "office:annotation":
                    cell["annotation"] += 1
            elif name == "style:style" and attrs.get("style:family") == "table":
                state["style"] = attrs.get("style:name")
            elif name == "style:table-properties" and attrs.get("table:display") == "false" and state["style"]:
                hidden_styles.add(state["style"])
            elif name == "table:table":
                sheet = SheetScan(name=attrs.get("table:name", ""))
                if attrs.get("table:style-name") in hidden_styles:
                    sheet.state = "hidden"
                state["table"] = {"sheet": sheet, "rows": 0, "cols": 0, "cells": 0, "text": 0,
                                  "content": 0, "index": 0, "raw": 0, "unvalued": {}}
            elif state["table"] is None:
                return
            elif name == "table:table-row":
                state["row"] = {"repeat": min(_count(attrs.get("table:number-rows-repeated"), 1), 1 << 20),
                                "width": 0, "pending": 0, "cells": 0, "text": 0, "content": False,
                                "unvalued": []}
            elif name in ("table:table-cell", "table:covered-table-cell") and state["row"] is not None:
                values = [k for k in attrs if k in _ODS_VALUES]
                string = attrs.get("office:value-type") == "string" and not values
                blank = bool(values) and values[0] == "office:string-value" and not attrs[values[0]].strip()
                formula = attrs.get("table:formula") or ""
                state["cell"] = {
                    "repeat": min(_count(attrs.get("table:number-columns-repeated"), 1), 16384),
                    "value": bool(values) or string, "string": string, "blank": blank or string,
                    "formula": len(formula), "formula_text": formula[:80],
                    "text": len(attrs[values[0]]) if values else 0, "paragraphs": 0, "annotation": 0}

        def characters(content):
            cell = state["cell"]
            if cell is not None and cell["string"] and not cell["annotation"]:
                cell["text"] += len(content.encode("utf-8"))
                if content.strip():
                    cell["blank"] = False

        def end(name):
            cell, row, table = state["cell"], state["row"], state["table"]
            if cell is not None:
                if name == "office:annotation":
                    cell["annotation"] -= 1
                elif name in ("table:table-cell", "table:covered-table-cell"):
                    end_cell(cell, row)
                    state["cell"] = None
            elif name == "style:style":
                state["style"] = None
            elif name == "table:table-row" and row is not None:
                end_row(row, table)
                state["row"] = None
            elif name == "table:table" and table is not None:
                end_table(table)
                state["table"] = None

        def end_cell(cell, row):
            # calamine keeps a cell with a value or a formula; a string cell has a value even when empty.
            if cell["string"]:
                cell["text"] += max(cell["paragraphs"] - 1, 0)  # paragraphs are joined with line breaks
            repeat = cell["repeat"]
            width = row["width"] + row["pending"]
            if not cell["value"] and not cell["formula"]:
                row["pending"] += repeat  # empty cells: columns only if a value follows in the row
                return
            if cell["formula"] and not cell["value"]:
                row["unvalued"].append((width + 1, cell["formula_text"]))
                row["content"] = True
            row["width"] = width + repeat
            row["pending"] = 0
            row["cells"] += repeat
            row["text"] += repeat * (cell["text"] + cell["formula"])
            if cell["value"] and not cell["blank"]:
                row["content"] = True

        def end_row(row, table):
            repeat = row["repeat"]
            start_index = table["index"]
            table["index"] += repeat
            table["raw"] += row["width"]
            if not row["cells"]:
                return
            table["rows"] = start_index + repeat
            table["cols"] = max(table["cols"], row["width"])
            table["cells"] += repeat * row["cells"]
            table["text"] += repeat * row["text"]
            if row["content"]:
                table["content"] = start_index + repeat
            for col, text in row["unvalued"][:100]:
                for number in range(start_index + 1, start_index + min(repeat, 100) + 1):
                    if len(table["unvalued"]) < MAX_UNVALUED:
                        table["unvalued"][number, col] = _formula_text(text.removeprefix("of:").lstrip("="))

        def end_table(table):
            sheet = table["sheet"]
            sheet.rows, sheet.columns, sheet.cells = table["rows"], table["cols"], table["cells"]
            sheet.text_bytes, sheet.content_rows = table["text"], table["content"]
            sheet.unvalued = table["unvalued"]
            sheet.exact = True
            sheet.estimate = (ODS_AREA_BYTES * sheet.rows * sheet.columns + CELL_BYTES * sheet.cells
                              + 3 * sheet.text_bytes + ODS_AREA_BYTES * table["raw"])
            out.sheets.append(sheet)

        content = self.members.find("content.xml")
        if content.file_size > MAX_EXACT_BYTES:
            raise AppError(f"文件“{self.file}”的表格内容过大(解压后 {content.file_size // MB} MB,上限 "
                           f"{MAX_EXACT_BYTES // MB} MB),无法在限定时间内检查,未读取。请拆分为多个文件后再导入。")
        parser = _defused_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = characters
        _feed(parser, self.members.chunks(content), self.file, "")
        out.estimate = sum(s.estimate for s in out.sheets)
        return out


_ODS_VALUES = ("office:value", "office:string-value", "office:date-value", "office:time-value",
               "office:boolean-value")


def _count(text: str | None, default: int) -> int:
    """A repeat count attribute; a huge one is kept huge (it is what calamine would try)."""
    if text is None:
        return default
    number = _u32(text.strip())
    return default if number is None else number
