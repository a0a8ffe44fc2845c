"""What every workbook import shares — unit workbooks (xlsx_import) and 上报数据包 (package_read, package_import):
the outcome of one file (`FileResult`, its statuses), the row errors the clerk is shown (`RowError`, `_shown`) and the
fast per-field value cleaner (`_FieldCleaner`). Kept apart from xlsx_import so the package modules, which
xlsx_import hands a package to, need not import it back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw

from safetymonth_desktop.base import errors
from safetymonth_desktop.base.errors import ValidationError
from safetymonth_desktop.base.text import needs_cleaning
from safetymonth_desktop.exchange import stamp as stamps, xlsx_layout as layout
from safetymonth_desktop.services import records

MAX_ERRORS = 5000  # per file; a file with a systematic mistake is refused long before
IMPORTED, UNCHANGED, REFUSED, CANCELLED, READY = "imported", "unchanged", "refused", "cancelled", "ready"
ERROR_HEADERS = ("文件", "工作表", "行", "列", "值", "原因")
FORMULA_WITHOUT_VALUE = "公式没有计算结果,请在 Excel/WPS 中打开并保存后再导入"


class Cancelled(errors.Cancelled):
    def __init__(self):
        super().__init__("已取消导入,数据库未作任何修改。")


@dataclass
class RowError:
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    reason: str

    def cells(self) -> tuple:
        return (self.file, self.sheet, f"第{self.row}行" if self.row else "", self.column, self.value, self.reason)

    def __str__(self) -> str:
        return " / ".join(part or "—" for part in self.cells())


@dataclass
class FileResult:
    path: Path
    status: str = REFUSED
    counts: dict = field(default_factory=dict)  # sheet name → rows imported (or that would be)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the file was read: no stamp, header row, merged cells
    message: str = ""
    units_created: list[str] = field(default_factory=list)
    replaced: int = 0  # rows of earlier imports replaced
    batch_id: int | None = None
    stamp: stamps.Stamp | None = None  # what the template's stamp said (None: unstamped)
    other_units: dict = field(default_factory=dict)  # a unit's template: other unit named → rows (when allowed)
    sha256: str = ""  # the file's content hash
    unit_id: int | None = None  # the unit the file came from, as far as it can be told (报送进度)

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return self.status in (IMPORTED, UNCHANGED)


def _nothing(*_args):
    return False


# ---- value cleaning

_NUMBERS = {int, float, bool}  # equal across types (1 == 1.0 == True), cleaned differently


class _FieldCleaner:
    """`records.clean_value` for one field, fast on 100 000 rows: repeated values (choices, dates, numbers)
    are cleaned once, and non-blank text takes the same path as `coerce.to_text` without the general
    dispatch. Results are identical to `clean_value` (a property test checks it). `year` (the campaign's)
    completes dates written as month and day only."""

    def __init__(self, f: pw.Field, year: int | None = None):
        self.field = f
        self.year = year
        self.text = layout._kind(f) == layout.TEXT
        self.limit = records.MAX_TEXT if isinstance(f, pw.TextField) else records.MAX_CHARS
        self.cache: dict = {}

    def __call__(self, raw):
        hit = self._cached(raw)
        if isinstance(hit, ValidationError):
            raise hit
        return hit

    def column(self, cells) -> tuple[list, list[int]]:
        """The cleaned values of a whole column (`self(raw)` for each cell, in order) and the positions of the
        cells that could not be read, whose place holds their `ValidationError`. Each distinct value is cleaned
        once and the column mapped through a dict; a text column of mostly different filled cells with nothing to
        drop (one search over all its text) is just stripped."""
        distinct = set(cells)
        kinds = set(map(type, distinct))
        # 1 == 1.0 == True share one entry of `distinct`: with numbers about, all the cells' types are looked at,
        # and a column mixing them is told apart cell by cell
        if kinds & _NUMBERS and len(set(map(type, cells)) & _NUMBERS) > 1:
            return self._column_by_cell(cells)
        if self.text and kinds == {str} and len(distinct) * 8 > len(cells):  # (few values repeated: the table's)
            stripped = list(map(str.strip, cells))
            if all(stripped) and max(map(len, stripped), default=0) <= self.limit \
                    and not needs_cleaning("\n".join(stripped)):
                return stripped, []
        table = {raw: self._cached(raw) for raw in distinct}
        refused = {raw for raw, value in table.items() if isinstance(value, ValidationError)}
        return list(map(table.__getitem__, cells)), [i for i, raw in enumerate(cells) if raw in refused] if refused else []

    def _column_by_cell(self, cells) -> tuple[list, list[int]]:
        out, bad = [], []
        for position, raw in enumerate(cells):
            value = self._cached(raw)
            if isinstance(value, ValidationError):
                bad.append(position)
            out.append(value)
        return out, bad

    def _cached(self, raw):
        """`self(raw)`, with a ValidationError returned instead of raised."""
        if self.text and type(raw) is str:
            text = raw.strip()
            if text and len(text) <= self.limit and not needs_cleaning(text):
                return text
        key = (type(raw), raw)
        try:
            return self.cache[key]
        except (KeyError, TypeError):
            hit = self._clean(raw)
            if len(self.cache) < 100_000:
                try:
                    self.cache[key] = hit
                except TypeError:
                    pass
            return hit

    def _clean(self, raw):
        try:
            return records.clean_value(self.field, raw, year=self.year)
        except ValidationError as exc:
            return exc


def _shown(value) -> str:
    """A cell value as the clerk would see it in the error list."""
    if value is None or value == "":
        return "(空)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"
