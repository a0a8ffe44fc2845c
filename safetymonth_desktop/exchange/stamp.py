"""The stamp of a 填报模板 (DATA.md, "Exchange workbook"): which year, region and unit the template was made for.

Written twice by `write_stamp`, where a unit filling the file does not see or disturb it and where it survives
"save as" .xlsx/.xls/.ods in Excel, WPS and LibreOffice Calc (tests/exchange/test_stamp_roundtrip.py converts
with LibreOffice):
- a block of cells in the hidden, protected list sheet (`xlsx_layout.LIST_SHEET`): a cell reading `MARK`, and
  below it one label/value pair per row (模板类型, 版本, 年度, 地区, 填报单位, 生成时间, 模板编号). Every format
  keeps cells, and calamine reads them from .xlsx, .xlsb, .xls and .ods alike: this is what import reads first;
- the workbook's custom document properties (`safetymonth.year`, …). LibreOffice keeps them through .xls and
  .ods; they are read back (from .xlsx and .ods, with defusedxml) only when the cells are gone, e.g. when a unit
  deleted the list sheet.

`read_stamp(book, path)` gives the `Stamp` or None (an unstamped, hand-made or old workbook); `refusal(stamp,
campaign)` says why a file made for another year or region must not be imported; `StampCheck` applies what the
stamp asks of each row (rows of another unit; dates outside the year when there is no stamp).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop.base.text import match_key, normalise
from safetymonth_desktop.exchange.xlsx_layout import LIST_SHEET, set_text_safely, xml_text

KIND_TEMPLATE = "填报模板"
VERSION = 1
MARK = "模板标识"
NOTICE = "以下内容供导入时核对年度和单位,请勿修改"
PROPERTY_PREFIX = "safetymonth."
MAX_PROPERTY_BYTES = 1024 * 1024  # docProps/custom.xml or meta.xml larger than this is not read
STAMP_ROWS = 20  # rows below MARK that may hold the label/value pairs

# Attribute → the label written beside it in the list sheet.
LABELS = (("kind", "模板类型"), ("version", "版本"), ("year", "年度"), ("region", "地区"), ("unit", "填报单位"),
          ("issued_at", "生成时间"), ("token", "模板编号"))
_BY_LABEL = {match_key(label): name for name, label in LABELS}


@dataclass(frozen=True)
class Stamp:
    year: int | None
    region: str = ""
    unit: str = ""
    kind: str = KIND_TEMPLATE
    version: int = VERSION
    issued_at: str = ""  # local time, ISO 8601 to the second
    token: str = ""  # one id per issued template (hex), so a received file can be matched to its issue
    source: str = field(default="", compare=False)  # "cells" or "properties": where it was read from

    def values(self) -> dict[str, str]:
        return {name: "" if getattr(self, name) is None else str(getattr(self, name)) for name, _ in LABELS}

    def describe(self) -> str:
        """e.g. 2024 年度(城南区)—— the words the refusal messages use."""
        year = f"{self.year} 年度" if self.year else "未注明年度"
        return year + (f"({self.region})" if self.region else "")


def new_stamp(campaign, unit_name: str = "", *, now: dt.datetime | None = None) -> Stamp:
    now = now or dt.datetime.now()
    return Stamp(year=campaign.year, region=campaign.region or "", unit=unit_name or "",
                 issued_at=now.replace(microsecond=0).isoformat(), token=uuid.uuid4().hex)


# ---- writing (openpyxl workbooks we make)


def write_stamp(wb, sheet, stamp: Stamp, *, column: int) -> None:
    """Put `stamp` into `sheet` (the hidden list sheet) from `column` on, and into `wb`'s custom properties."""
    from openpyxl.packaging.custom import StringProperty

    set_text_safely(sheet.cell(row=1, column=column), MARK)
    set_text_safely(sheet.cell(row=1, column=column + 1), NOTICE)
    values = stamp.values()
    for row, (name, label) in enumerate(LABELS, start=2):
        set_text_safely(sheet.cell(row=row, column=column), label)
        set_text_safely(sheet.cell(row=row, column=column + 1), values[name])  # text: "2024", never 2024.0
        wb.custom_doc_props.append(StringProperty(name=PROPERTY_PREFIX + name, value=xml_text(values[name]) or "-"))


# ---- reading (untrusted files: calamine for cells, defusedxml for properties)


def read_stamp(book, path) -> Stamp | None:
    """The stamp of a workbook opened with calamine (`book`) from `path`, or None when it has none. The cells
    come first; the properties stand in when the cells are gone or their year cannot be read (edited by hand).
    A stamp without a readable year anywhere counts as none (the file is then held to the year's dates)."""
    for name in book.sheet_names:
        if match_key(name) != match_key(LIST_SHEET):
            continue
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=STAMP_ROWS + 1)
        except Exception:  # noqa: BLE001 - a list sheet calamine cannot read is as good as none
            rows = []
        values = _from_rows(rows)
        if values is not None and _int(values.get("year", "")) is not None:
            return _stamp(values, "cells")
    values = _from_properties(Path(path))
    if values is not None and _int(values.get("year", "")) is not None:
        return _stamp(values, "properties")
    return None


def _from_rows(rows: list) -> dict | None:
    """The label/value pairs under the MARK cell of the first rows, or None."""
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if isinstance(cell, str) and match_key(cell) == match_key(MARK):
                values = {}
                for below in rows[r + 1:r + 1 + STAMP_ROWS]:
                    if c + 1 < len(below):
                        name = _BY_LABEL.get(match_key(_text(below[c])))
                        if name:
                            values[name] = _text(below[c + 1])
                return values if values.get("year") or values.get("kind") else None
    return None


def _from_properties(path: Path) -> dict | None:
    """Custom document properties of an .xlsx (docProps/custom.xml) or .ods (meta.xml user-defined)."""
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            part = "docProps/custom.xml" if "docProps/custom.xml" in names else "meta.xml" if "meta.xml" in names else None
            if part is None or zf.getinfo(part).file_size > MAX_PROPERTY_BYTES:
                return None
            root = ElementTree.fromstring(zf.read(part))
    except Exception:  # noqa: BLE001 - not a zip (.xls), damaged or hostile XML: no stamp from here
        return None
    found = {}
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "property":  # OOXML: <property name="safetymonth.year"><vt:lpwstr>2024</vt:lpwstr></property>
            name = element.get("name", "")
            text = "".join(element.itertext())
        elif tag == "user-defined":  # ODF: <meta:user-defined meta:name="safetymonth.year">2024</meta:user-defined>
            name = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "name"), "")
            text = element.text or ""
        else:
            continue
        if name.startswith(PROPERTY_PREFIX):
            value = text.strip()
            found[name[len(PROPERTY_PREFIX):]] = "" if value == "-" else value
    return found if found.get("year") or found.get("kind") else None


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(str(value)) if value not in (None, "") else ""


def _int(text: str) -> int | None:
    match = re.fullmatch(r"\s*(\d{4})(?:\.0+)?\s*(?:年度?)?\s*", text or "")
    return int(match.group(1)) if match else None


def _stamp(values: dict, source: str) -> Stamp:
    version = re.match(r"\d+", values.get("version") or "")
    return Stamp(year=_int(values.get("year", "")), region=values.get("region", ""), unit=values.get("unit", ""),
                 kind=values.get("kind") or KIND_TEMPLATE, version=int(version.group()) if version else VERSION,
                 issued_at=values.get("issued_at", ""), token=values.get("token", ""), source=source)


# ---- comparing with the campaign in hand


def refusal(stamp: Stamp, campaign) -> str | None:
    """Why a file stamped `stamp` must not be imported into `campaign`, or None when it belongs there."""
    here = Stamp(year=campaign.year, region=campaign.region or "")
    if stamp.year != campaign.year:
        return (f"该文件是 {stamp.describe()}的{stamp.kind},当前导入的是 {here.describe()},文件未导入。"
                f"请让填报单位用 {campaign.year} 年度的模板重新填写(“导出 → 生成填报模板”);"
                + (f"如确是 {stamp.year} 年度的数据,请切换到 {stamp.year} 年度后再导入。" if stamp.year else ""))
    if stamp.region and campaign.region and match_key(stamp.region) != match_key(campaign.region):
        return (f"该文件是 {stamp.describe()}的{stamp.kind},当前导入的是 {here.describe()},地区不同,文件未导入。"
                f"请确认文件来源,并让填报单位用{campaign.region}下发的模板重新填写。")
    return None


def unstamped_note(campaign) -> str:
    return (f"本文件没有模板标识(不是本软件生成的填报模板,或是手工制作、旧版的表格):已按表头读取,"
            f"所有日期须在 {campaign.year} 年内。")


class StampCheck:
    """What the stamp (or its absence) asks of each row read: with a unit's stamp, rows naming another unit are
    errors unless `allow_other_units` (then counted in `other_units`); without a stamp, every date outside the
    campaign year is an error."""

    def __init__(self, stamp: Stamp | None, campaign, *, allow_other_units: bool, stamped_unit=None):
        self.stamp = stamp
        self.year = campaign.year
        self.allow_other_units = allow_other_units
        self.stamped_unit = stamped_unit  # the stamped unit as import resolves units (an id or a new-unit key)
        self.other_units: dict[str, int] = {}  # unit name as written → rows (when allowed)

    def for_sheet(self, spec):
        """The check of one cleaned row of `spec`'s sheet, `check(values, raw_unit)` → [(column header, value,
        reason)] or None; None instead of a check when the sheet has nothing to check (the import's fast path)."""
        year = self.year
        if self.stamp is None:
            dates = [(c.name, c.header) for c in spec.columns if c.kind == "date"]
            if not dates:
                return None
            reason = (f"日期不在 {year} 年内。本文件没有模板标识(不是本软件生成的 {year} 年度模板),"
                      f"请核对是否填错年份或用错了表格;建议用 {year} 年度的模板重新填写")

            def check_dates(values, _raw_unit):
                problems = None
                for name, header in dates:
                    value = values.get(name)
                    if value is not None and value.year != year:
                        problems = (problems or []) + [(header, value, reason)]
                return problems

            return check_dates
        if not self.stamp.unit or self.stamped_unit is None or not any(c.name == "unit" for c in spec.columns):
            return None
        stamped, own = self.stamped_unit, self.stamp.unit

        def check_unit(values, raw_unit):
            unit = values.get("unit")
            if unit is None or unit == stamped:
                return None
            name = _text(raw_unit)
            if self.allow_other_units:
                self.other_units[name] = self.other_units.get(name, 0) + 1
                return None
            return [("填报单位", raw_unit, f"本文件是“{own}”的填报模板,这一行的填报单位是“{name}”。如确属代报,"
                                        "请在导入时同意导入其他单位的数据(命令行加 --allow-other-units);"
                                        f"否则请让“{own}”改正")]

        return check_unit

    def notes(self) -> list[str]:
        if not self.other_units:
            return []
        listed = "、".join(f"{name} {n} 行" for name, n in self.other_units.items())
        return [f"本文件是“{self.stamp.unit}”的填报模板,其中有其他单位的数据({listed}),已按各行所填的单位导入。"]
