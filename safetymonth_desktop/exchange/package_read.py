"""Reading a 上报数据包 (layout: exchange/package_format.py) — an untrusted workbook like any other.

`is_package(path)` tells a package from a unit's workbook by the document properties (small, read with
defusedxml); `read_package(path)` then checks the file like every imported workbook (xlsx_safety / xlsx_limits:
size, zip, declared and real sheet sizes; calamine in a limited child where the scan cannot vouch), reads the
stamp from its hidden sheet, the 汇总, 下级地区 and 报送单位名单 sheets and every record sheet, cleaning each value
with the import's own cleaners and rules (services.records, services.rules; amounts and counts held as numeric
cells by a fast path that gives the same values, `_numbers`), and computes the digest of what it read, from the
values as read (never from the database). Problems are collected as `xlsx_import.RowError`s
(文件 / 工作表 / 行 / 列 / 值 / 原因); nothing is written here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from safetymonth_desktop.exchange import calamine_probe, package_format as fmt, sheet_reading, xlsx_layout as layout, xlsx_limits, xlsx_safety
from safetymonth_desktop.base.errors import AppError, Cancelled, ValidationError
from safetymonth_desktop.base.text import match_key, normalise
from safetymonth_desktop.exchange.stamp import _from_properties
from safetymonth_desktop.exchange.workbook_rows import FORMULA_WITHOUT_VALUE, RowError, _FieldCleaner, _shown
from safetymonth_desktop.services import rules

MAX_ERRORS = 200


@dataclass
class Package:
    path: Path
    sha256: str = ""
    stamp: dict = field(default_factory=dict)  # attribute (package_format.LABELS) → text
    summary: dict = field(default_factory=dict)  # sub-region path ('' = the package's region) → flat exact values
    regions: list[dict] = field(default_factory=list)  # path, level, organizer, issued_at, as_of
    units: list[tuple[str, str, str]] = field(default_factory=list)  # (path, name, kind)
    rows: dict = field(default_factory=dict)  # model → list of (path, {field: cleaned value; units by name});
    # also 组织机构 (m.Body) and 补充说明 (m.Note), each by the path of the sub-region whose they are ('' = the region's)
    counts: dict = field(default_factory=dict)  # sheet → rows read
    digest: str = ""  # of the records read
    errors: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def region(self) -> str:
        return self.stamp.get("region", "")

    @property
    def year(self) -> int | None:
        text = self.stamp.get("year", "")
        return int(text) if text.isdigit() else None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def is_package(path) -> bool:
    """Whether `path` says it is a 上报数据包 (its custom document properties; cheap, bounded, never raises)."""
    try:
        values = _from_properties(Path(path))
    except Exception:  # noqa: BLE001 - anything unreadable is not a package; the import proper will say why
        return False
    return bool(values) and values.get("kind") == fmt.KIND


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(str(value))


class _Reader:
    def __init__(self, path: Path, progress, cancelled):
        self.package = Package(path=path)
        self.file = path.name
        self.progress = progress
        self.cancelled = cancelled

    def error(self, sheet, row, column, value, reason) -> None:
        if len(self.package.errors) < MAX_ERRORS:
            self.package.errors.append(RowError(self.file, sheet, row, column, _shown(value), reason))

    def read(self) -> Package:
        path = self.package.path
        info = xlsx_safety.check_workbook(path, package=True)  # a region's year: the bounds of a package
        self.bounds = info.bounds
        self.limits = xlsx_limits.package_limits()
        self.package.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        if not self.bounds.vouched or calamine_probe.isolating():
            # a region's year takes more than a unit's workbook: the child may use what the scan estimates, twice
            # (address space, not memory in use), and never less than for any workbook
            calamine_probe.probe(path, memory=max(calamine_probe.PROBE_MEMORY, 2 * self.bounds.estimate))
        book = sheet_reading.open_book(path)
        names = {match_key(n): n for n in book.sheet_names}
        self.book, self.names = book, names
        self._stamp()
        self._summary()
        self._regions()
        self._units()
        total = sum(int(v) for v in self._counts().values()) or 1
        done = 0
        lines = []
        for spec in fmt.CARRIED_SHEETS:
            if self.cancelled():
                raise Cancelled("已取消导入,数据库未作任何修改。")
            optional = spec.name in fmt.OPTIONAL_SHEETS
            rows = self._sheet(spec.name, required=not optional)
            out = self._records(spec, rows, lines, done, total) if rows or not optional else []
            self.package.rows[spec.model] = out
            self.package.counts[spec.name] = len(out)
            done += len(out)
        self.package.digest = fmt.digest(lines)
        return self.package

    # -- sheets

    def _sheet(self, name: str, *, required: bool) -> list[list]:
        from python_calamine import CalamineError


        actual = self.names.get(match_key(name))
        if actual is None:
            if required:
                raise AppError(f"数据包“{self.file}”缺少工作表“{name}”,文件可能被改动过。请让下级重新生成上报数据包后再导入。")
            return []
        try:
            sheet = self.book.get_sheet_by_name(actual)
            rows = self.bounds.rows_to_read(actual, sheet.total_height + 1)
            xlsx_limits.check_rows(self.file, actual, rows, self.limits)
            return sheet.to_python(skip_empty_area=False, nrows=rows)
        except CalamineError as exc:
            raise AppError(f"文件“{self.file}”的工作表“{actual}”无法读取({exc}),文件可能已损坏。")

    def _stamp(self) -> None:
        rows = self._sheet(fmt.STAMP_SHEET, required=False)[:fmt.STAMP_ROWS + 1]
        by_label = {match_key(label): name for name, label in fmt.LABELS}
        values = {}
        if rows and rows[0] and _text(rows[0][0]) == fmt.MARK:
            for row in rows[1:]:
                if len(row) >= 2 and match_key(_text(row[0])) in by_label:
                    values[by_label[match_key(_text(row[0]))]] = str(row[1]).strip() if row[1] is not None else ""
        if values.get("kind") != fmt.KIND or not values.get("digest"):
            raise AppError(f"文件“{self.file}”的数据包标识缺失或被改动,无法核对,未导入。请让下级用本软件重新生成上报数据包"
                           "(“导出 → 生成上报数据包”,命令行 submit)后再报送。")
        self.package.stamp = values

    def _counts(self) -> dict:
        try:
            counts = json.loads(self.package.stamp.get("counts") or "{}")
            return {str(k): int(v) for k, v in counts.items()}
        except (ValueError, TypeError, AttributeError):
            raise AppError(f"文件“{self.file}”的数据包标识(各表行数)被改动,未导入。请让下级重新生成上报数据包。") from None

    def _summary(self) -> None:
        rows = self._sheet(fmt.SUMMARY_SHEET, required=True)
        if not rows:
            raise AppError(f"数据包“{self.file}”的“{fmt.SUMMARY_SHEET}”表是空的,文件被改动过,未导入。")
        header = [_text(c) for c in rows[0]]
        if header[:4] != [*fmt.SUMMARY_HEADERS, fmt.TOTAL_HEADER]:
            raise AppError(f"数据包“{self.file}”的“{fmt.SUMMARY_SHEET}”表表头被改动过,未导入。请让下级重新生成上报数据包。")
        columns = [("" if i == 3 else header[i]) for i in range(3, len(header)) if header[i] or i == 3]
        summary = {c: {} for c in columns}
        for number, row in enumerate(rows[1:], start=2):
            key = _text(row[0]) if row else ""
            if not key:
                continue
            for offset, column in enumerate(columns):
                value = row[3 + offset] if 3 + offset < len(row) else None
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                elif isinstance(value, str):
                    value = value.strip()
                elif value is None:
                    value = ""
                summary[column][key] = value
        self.package.summary = summary

    def _regions(self) -> None:
        rows = self._sheet(fmt.REGIONS_SHEET, required=True)
        for row in rows[1:]:
            row = list(row) + [""] * (5 - len(row))
            path = _text(row[0])
            if path:
                self.package.regions.append({"path": path, "level": _text(row[1]) or "区县", "organizer": _text(row[2]),
                                             "issued_at": _text(row[3]), "as_of": _text(row[4])})

    def _units(self) -> None:
        rows = self._sheet(fmt.ROSTER_SHEET, required=True)
        for number, row in enumerate(rows[1:], start=2):
            row = list(row) + [""] * (4 - len(row))
            name = _text(row[1])
            if name:
                self.package.units.append((_text(row[0]), name, _text(row[2])))

    def _records(self, spec, rows: list, lines: list, done: int, total: int) -> list:
        """The sheet's rows as (path, cleaned values), each also added to `lines` (the digest's). The work is done
        column by column (a city's package is a million rows): each column is cleaned at once (each distinct
        value once; amounts and counts, which are distinct in nearly every row, by `_numbers`), written as the
        digest's pieces at once, and the rows' dicts and lines are assembled by `map`. Only a row holding a cell
        that could not be read, an empty unit cell or a formula without a result is looked at on its own
        (`_row_values`, cell by cell in column order, so the clerk sees the same errors either way), and every row
        of a sheet whose records have cross-field rules (services/rules.py) is checked against them."""
        expected = [fmt.PATH_HEADER, *(c.header for c in spec.columns)]
        if not rows or [_text(c) for c in rows[0][:len(expected)]] != expected:
            raise AppError(f"数据包“{self.file}”的工作表“{spec.name}”表头被改动过(应为:{'、'.join(expected)}),"
                           "未导入。请让下级重新生成上报数据包。")
        unvalued = self.bounds.unvalued(self.names[match_key(spec.name)])
        # (cell index, header, field name, cleaner or None for a unit column)
        columns = [(index, c.header, c.name, None if c.kind == layout.UNIT else _FieldCleaner(c.field))
                   for index, c in enumerate(spec.columns, start=1)]
        kinds = [c.kind for c in spec.columns]
        width = len(expected)
        sheet, model, line, join = spec.name, spec.model, fmt.line, "\x1f".join
        names: dict = {}  # unit cell / path cell → its normalised text (few distinct values, many rows)

        def text_of(raw):
            try:
                return names[raw]
            except (KeyError, TypeError):
                value = _text(raw)
                try:
                    names[raw] = value
                except TypeError:
                    pass
                return value

        body = rows[1:]
        if body and min(map(len, body)) < width:  # calamine's rows are as wide as the sheet: never, but cheap
            body = [row if len(row) >= width else list(row) + [""] * (width - len(row)) for row in body]
        # Only a row whose first cell after the path is blank may be blank (a record's is nearly always filled).
        firsts = list(map(itemgetter(1), body))
        empty = {c for c in set(firsts) if c is None or (type(c) is str and not c.strip())}
        if empty:
            data = [(offset, row) for offset, (row, first) in enumerate(zip(body, firsts), start=2)
                    if first not in empty or not all(c is None or (isinstance(c, str) and not c.strip())
                                                     for c in row[:width])]
        else:
            data = list(zip(range(2, len(body) + 2), body))  # (row number, cells) of the rows that are not blank
        if self.cancelled():
            raise Cancelled("已取消导入,数据库未作任何修改。")
        cells_by_column = list(zip(*map(itemgetter(1), data))) or [()] * width
        cleaned_columns, piece_columns, bad_rows = [], [], set()
        for (index, _header, _name, cleaner), kind in zip(columns, kinds):
            cells = cells_by_column[index]
            if cleaner is None:  # a unit's name: few distinct cells
                table = {raw: text_of(raw) for raw in set(cells)}
                values = list(map(table.__getitem__, cells))
                if not all(table.values()):
                    bad_rows.update(position for position, value in enumerate(values) if not value)
                texts = None
            else:
                numbers = _numbers(cleaner, kind, cells) if kind in (layout.MONEY, layout.COUNT) else None
                if numbers is not None:
                    values, bad, texts = numbers
                else:
                    (values, bad), texts = cleaner.column(cells), None
                bad_rows.update(bad)
            cleaned_columns.append(values)
            piece_columns.append(texts if texts is not None else fmt.pieces(values))
        if unvalued:
            bad_rows.update(position for position, (number, _row) in enumerate(data)
                            if any((number, index + 1) in unvalued for index, *_rest in columns))
        self.progress(done, total)
        # path cell → the sub-region path it names (a handful of distinct values)
        paths = {raw: "/".join(fmt.split_path(text_of(raw))) for raw in set(cells_by_column[0])}
        path_column = list(map(paths.__getitem__, cells_by_column[0]))
        field_names = [name for _index, _header, name, _cleaner in columns]
        records = list(map(dict, map(zip, repeat(field_names), zip(*cleaned_columns)))) if cleaned_columns else []
        texts = list(map(join, zip(repeat(sheet), path_column, *piece_columns)))
        dropped = set()
        rule = rules.CHECKS.get(model)  # (problems(model, values) is list(rule(values)): called for every row)
        # every row when the sheet has cross-field rules; otherwise only the rows with a cell to look at
        for position in (range(len(data)) if rule is not None else sorted(bad_rows)):
            if position % 5000 == 0:
                if self.cancelled():
                    raise Cancelled("已取消导入,数据库未作任何修改。")
                self.progress(done + position, total)
            if position in bad_rows:
                number, row = data[position]
                values, ordered = self._row_values(sheet, columns, row, number, unvalued, text_of)
                if values is None:
                    dropped.add(position)
                    continue
                records[position] = values
                texts[position] = line(sheet, path_column[position], ordered)
            broken = list(rule(records[position])) if rule is not None else None
            if broken:
                number = data[position][0]
                for exc in broken:
                    self.error(sheet, number, exc.label or "", "", exc.message)
                dropped.add(position)
        if dropped:
            kept = [position for position in range(len(data)) if position not in dropped]
            lines.extend(texts[position] for position in kept)
            return [(path_column[position], records[position]) for position in kept]
        lines.extend(texts)
        return list(zip(path_column, records))

    def _row_values(self, sheet, columns, row, number, unvalued, text_of):
        """One row's (values, values in column order) cleaned cell by cell, every unreadable cell reported in
        column order; (None, None) when one could not be read."""
        values, ordered, bad = {}, [], False
        for index, header, name, cleaner in columns:
            raw = row[index]
            if unvalued and (number, index + 1) in unvalued:
                self.error(sheet, number, header, unvalued[number, index + 1], FORMULA_WITHOUT_VALUE)
                bad = True
                continue
            if cleaner is None:
                value = text_of(raw)
                if not value:
                    self.error(sheet, number, header, raw, "数据包中这一列必须填写(单位名称)")
                    bad = True
            else:
                try:
                    value = cleaner(raw)
                except ValidationError as exc:
                    self.error(sheet, number, header, raw, exc.message)
                    bad = True
                    continue
            values[name] = value
            ordered.append(value)
        return (None, None) if bad else (values, ordered)


_CENT = Decimal("0.01")


def _numbers(cleaner, kind: str, cells) -> tuple[list, list[int], list[str]] | None:
    """An amount (`layout.MONEY`) or count column as `cleaner.column` cleans it — (values, positions of the cells
    that could not be read, each holding its ValidationError) — with each value as the digest's piece. A package
    holds its numbers as numeric cells, nearly every amount a distinct one: a float in range that is a whole
    number (count) or has at most two decimals (amount) becomes what `services.coerce` makes of it (Decimal of
    its shortest text, quantised to 分; int) here, once per distinct value; any other cell goes through the
    cleaner itself, so what it refuses and why stay the cleaner's. None (use `cleaner.column`) for a column
    mixing numeric types (1 == 1.0 == True would share one entry) or holding no float."""
    types = set(map(type, cells))
    if float not in types or not types <= {float, str, type(None)}:
        return None
    money = kind == layout.MONEY
    cleaned: dict = {}  # distinct cell → value
    written: dict = {}  # distinct cell → the digest's piece of its value
    refused = set()
    quantize, cent = Decimal.quantize, _CENT
    for raw in set(cells):
        if type(raw) is float and 0 <= raw <= 1e12:  # NaN fails the comparison
            if money:
                number = Decimal(repr(raw))
                value = quantize(number, cent)
                if value == number:  # at most two decimals: quantised to 分, written as str() writes it
                    cleaned[raw], written[raw] = value, str(value)
                    continue
            elif raw.is_integer():
                cleaned[raw] = value = int(raw)
                written[raw] = str(value)
                continue
        try:
            value = cleaner(raw)
        except ValidationError as exc:
            value = exc
            refused.add(raw)
        cleaned[raw], written[raw] = value, fmt.piece(value)
    return (list(map(cleaned.__getitem__, cells)),
            [i for i, raw in enumerate(cells) if raw in refused] if refused else [],
            list(map(written.__getitem__, cells)))


def read_package(path, *, progress=None, cancelled=None) -> Package:
    """Read and check the package at `path`; AppError (Chinese) when it cannot be read as one."""
    return _Reader(Path(path), progress or (lambda d, t: None), cancelled or (lambda: False)).read()
