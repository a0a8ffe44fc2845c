"""The exchange workbook's layout (DATA.md, "Exchange workbook"), generated from the model declarations.

One `SheetSpec` per record sheet: its name, its model and its columns in order; one `Column` per user field
with the header (the field's `verbose_name`, exactly), the kind of value, the choices and whether the column
is required (`records.is_required`). The template, the importer and the ledger export all read this spec, so
a header can never differ between them. Also here: the names of the non-record sheets, header matching and
the writing of text cells that must never become live formulas.

`组织机构` (Body) has no sheet in DATA.md; it is added as an extra sheet to exports (and accepted on import) so
that an exported workbook carries every record of a year. Templates sent to units leave it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import peewee as pw

from safetymonth_desktop.base.text import match_key
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.fields import MoneyField
from safetymonth_desktop.services.records import is_required

INFO_SHEET = "说明"
LIST_SHEET = "选项"  # hidden: the lists the dropdowns read
BODY_SHEET = "组织机构"  # extra sheet (not in DATA.md) so that exports keep every record
UNITS_SHEET = "单位名录"  # extra sheet in exports: every unit with its type and aliases
STATS_SHEET = "统计表"
UNIT_SUMMARY_SHEET = "分单位汇总"
INDUSTRY_SHEET = "分行业隐患"
REGION_SUMMARY_SHEET = "分地区汇总"  # roll-up: one row per sub-region, 本级 and 合计 (services/region_summary.py)
# Sheets of our own workbooks that the importer passes over without a warning.
IGNORED_SHEETS = (INFO_SHEET, LIST_SHEET, STATS_SHEET, UNIT_SUMMARY_SHEET, INDUSTRY_SHEET, REGION_SUMMARY_SHEET)

UNIT_COLUMNS = ("单位名称", "单位类型", "联系人", "联系电话", "别名", "备注")

DATE, COUNT, MONEY, CHOICE, UNIT, TEXT = "date", "count", "money", "choice", "unit", "text"
DATE_FORMAT = "yyyy-mm-dd"
COUNT_FORMAT = "#,##0"
MONEY_FORMAT = "#,##0.00"
NUMBER_FORMATS = {DATE: DATE_FORMAT, COUNT: COUNT_FORMAT, MONEY: MONEY_FORMAT}


@dataclass(frozen=True)
class Column:
    field: pw.Field
    header: str
    kind: str
    required: bool
    choices: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def help(self) -> str:
        return self.field.help_text or ""

    @property
    def width(self) -> int:
        if self.kind == DATE:
            return 12
        if self.kind in (COUNT, MONEY):
            return max(10, _display_width(self.header) + 2)
        if isinstance(self.field, pw.TextField):
            return 36
        if self.kind in (UNIT, CHOICE):
            return max(16, max((_display_width(c) for c in self.choices), default=0) + 2)
        return max(14, _display_width(self.header) + 4)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    model: type
    columns: tuple[Column, ...]

    @property
    def has_unit(self) -> bool:
        """The sheet has a 填报单位 column (required on unit records, optional on 组织领导's: blank = 本级)."""
        return "unit" in self.model._meta.fields

    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


def _display_width(text: str) -> int:
    """Width in Excel's character units: a CJK character counts as two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _kind(field: pw.Field) -> str:
    if isinstance(field, pw.ForeignKeyField):
        return UNIT
    if field.choices:
        return CHOICE
    if isinstance(field, pw.DateField):
        return DATE
    if isinstance(field, MoneyField):
        return MONEY
    if isinstance(field, pw.IntegerField):
        return COUNT
    return TEXT


def _spec(model, name: str) -> SheetSpec:
    columns = tuple(
        Column(field=f, header=f.verbose_name, kind=_kind(f), required=is_required(f),
               choices=tuple(value for value, _ in (f.choices or ())))
        for f in m.user_fields(model)
    )
    return SheetSpec(name=name, model=model, columns=columns)


# The sheets of DATA.md, in workbook order; then the exports' extra 组织机构 sheet.
RECORD_SHEETS: tuple[SheetSpec, ...] = tuple(_spec(model, model._meta.sheet) for model in m.SHEET_MODELS)
BODY_SPEC = _spec(m.Body, BODY_SHEET)
# Every sheet an exported workbook carries, in report order (组织机构 after 印发文件).
EXPORT_SHEETS: tuple[SheetSpec, ...] = tuple(
    BODY_SPEC if model is m.Body else next(s for s in RECORD_SHEETS if s.model is model)
    for model in m.RECORD_MODELS if model is m.Body or model._meta.sheet
)
_BY_KEY = {match_key(s.name): s for s in EXPORT_SHEETS}
# At a city or province, 组织机构 also says whose body it is: a county's 领导小组 came in its 上报数据包 and is not
# the city's own (blank = the region's own; the importer passes the column over with a warning).
BODY_REGION_SPEC = SheetSpec(BODY_SHEET, m.Body, BODY_SPEC.columns + (
    Column(field=m.Body.sub_region, header=m.Body.sub_region.verbose_name, kind=UNIT, required=False),))


def export_sheets(*, with_sub_regions: bool = False) -> tuple[SheetSpec, ...]:
    """The ledgers an exported workbook carries; `with_sub_regions` (a year holding 下级地区) adds 所属下级地区 to
    组织机构."""
    if not with_sub_regions:
        return EXPORT_SHEETS
    return tuple(BODY_REGION_SPEC if spec is BODY_SPEC else spec for spec in EXPORT_SHEETS)


def spec_for_sheet(sheet_name: str) -> SheetSpec | None:
    """The record sheet called `sheet_name` (spaces and full-width characters tolerated), or None."""
    return _BY_KEY.get(match_key(sheet_name))


def spec_for_model(model) -> SheetSpec:
    return next(s for s in EXPORT_SHEETS if s.model is model)


_BRACKETED = re.compile(r"\([^()]*\)$")


def header_keys(spec: SheetSpec) -> dict[str, Column]:
    """Header match keys → column. Besides the exact label (normalised: full-width brackets, spaces, case),
    a label without its trailing bracketed measure is accepted when that is unambiguous in the sheet
    (e.g. 经费 for 经费(元), 咨询台 for 咨询台(个))."""
    keys = {match_key(c.header): c for c in spec.columns}
    short: dict[str, list[Column]] = {}
    for c in spec.columns:
        stripped = _BRACKETED.sub("", match_key(c.header))
        if stripped and stripped != match_key(c.header):
            short.setdefault(stripped, []).append(c)
    for key, cols in short.items():
        if len(cols) == 1 and key not in keys:
            keys[key] = cols[0]
    return keys


FORMULA_START = ("=", "+", "-", "@")
MAX_CELL_CHARS = 32767  # what one Excel cell holds


def looks_like_formula(value) -> bool:
    """Text Excel would take for a formula when typed or re-entered (openpyxl stores '=…' as one)."""
    return isinstance(value, str) and value[:1] in FORMULA_START


# What an .xlsx (XML 1.0) cannot hold: control characters other than tab, LF and CR, lone surrogates and the
# non-characters U+FFFE/U+FFFF (openpyxl raises IllegalCharacterError or writes a file Excel must repair).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# Excel (and calamine) read "_x0041_" in a cell as the character U+0041; a literal one is escaped as "_x005F_x0041_".
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def xml_text(value: str) -> str:
    """Text without the characters no XML part can hold (for document properties, which are not cells)."""
    return _ILLEGAL.sub("", value) if isinstance(value, str) else value


def excel_text(value):
    """Text without the characters an .xlsx cannot hold, "_xHHHH_" escaped so that Excel shows it as typed,
    cut to what a cell holds; other values unchanged."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    if "_x" in value:
        value = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    return value[:MAX_CELL_CHARS] if len(value) > MAX_CELL_CHARS else value


def set_text_safely(cell, value) -> None:
    """THE guard for every value our xlsx writers put in a cell (template, statistics workbook and ledgers,
    filled forms, error lists): text loses the characters an .xlsx cannot hold, and text that Excel would take
    for a formula is stored as a plain string with the quote prefix, so it shows as typed and never runs.
    Works on normal and write-only cells; numbers, dates and None pass unchanged."""
    value = excel_text(value)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_only_value(ws, value):
    """`value` ready for a write-only sheet's append(): text that needs the guard's quote prefix becomes a
    guarded cell, other values are returned as they are (cleaned), so plain text stays cheap."""
    if isinstance(value, str):
        value = excel_text(value)
        if looks_like_formula(value):
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(ws)
            set_text_safely(cell, value)
            return cell
    return value
