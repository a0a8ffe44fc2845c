"""The layout of a 上报数据包 (DATA.md): what `package_write` writes and `package_read` reads, in one place.

Sheets, in order:
- 说明 — what the file is, for the clerk who opens it in WPS (never read back);
- 汇总 — the whole indicator catalogue as exact flat values (services/region_figures.py): 指标代码 / 指标 /
  计量单位 / 本地区合计, then one column per sub-region the package carries (a city's districts; a province's
  cities and, below them, their districts, named by their path "某市/某区");
- 下级地区 — one row per carried sub-region: 地区 (path), 层级, 主办单位, 数据包生成时间;
- 报送单位名单 — every unit the records name: 所属下级地区, 单位名称, 单位类型, 列入名单 (是/否);
- the exchange sheets of DATA.md (领导重视 … 督查), each with a first column 所属下级地区 (the sub-region chain the
  row's unit belongs to; blank for the region's own units) and 填报单位 always filled (the region's own 组织领导
  under the region's name);
- 组织机构 and 补充说明 (format 2): the region's organizing bodies and notes to the report — and, under their
  所属下级地区, those its sub-regions' packages brought (schema 8 keeps them at every level); digested and counted like the records, so an
  edit is caught the same way. A format-1 package (without them) is still read: it carries none.
- 数据包标识 — hidden and protected: the stamp, one label/value pair per row under the cell `MARK`; the same
  values are also the workbook's custom document properties (`safetymonth.*`, kind 上报数据包).

The digest (`digest`) is the SHA-256 of the records' canonical lines, sorted: the same records in any order give
the same digest, and any change to any value gives another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import xlsx_layout as layout

KIND = "上报数据包"
FORMAT_VERSION = 2
READABLE_FORMATS = ("1", "2")  # 1: written before 组织机构 and 补充说明 were carried (read as carrying none)
NOTES_SHEET = "补充说明"
INFO_SHEET = "说明"
SUMMARY_SHEET = "汇总"
REGIONS_SHEET = "下级地区"
ROSTER_SHEET = "报送单位名单"
STAMP_SHEET = "数据包标识"
MARK = "数据包标识"
NOTICE = "以下内容供上级导入时核对,请勿修改"
PATH_HEADER = "所属下级地区"
PATH_SEPARATOR = "/"
TOTAL_HEADER = "本地区合计"
SUMMARY_HEADERS = ("指标代码", "指标", "计量单位")
REGION_HEADERS = ("地区", "层级", "主办单位", "数据包生成时间", "统计截至")
ROSTER_HEADERS = (PATH_HEADER, "单位名称", "单位类型", "列入名单")
PROPERTY_PREFIX = "safetymonth."

# Stamp attribute → label (the list sheet's rows, in order).
LABELS = (("kind", "类型"), ("format", "格式版本"), ("schema", "数据库结构版本"), ("year", "年度"), ("region", "地区"),
          ("level", "层级"), ("organizer", "主办单位"), ("issued_at", "生成时间"), ("as_of", "统计截至"),
          ("counts", "各表行数"), ("digest", "数据摘要"), ("token", "数据包编号"))
STAMP_ROWS = len(LABELS) + 2


def split_path(text: str) -> tuple[str, ...]:
    return tuple(p for p in (text or "").split(PATH_SEPARATOR) if p)


def join_path(parts) -> str:
    return PATH_SEPARATOR.join(parts)


def canonical(value) -> str:
    """One value as the digest sees it: dates ISO, money with two decimals, numbers as integers, text as is."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'))}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_ESCAPE = str.maketrans({"\\": "\\\\", "\x1f": "\\x1f", "\n": "\\n"})
_DATES: dict = {}  # date → ISO text (a year has a few hundred distinct dates and a million date cells)


def line(sheet: str, path: str, values) -> str:
    """One record as one line: its sheet, its sub-region path and its values, separated by U+001F (escaped in the
    values, so two different records never give the same line). Each value is written as `canonical` writes it;
    the common types are spelt out here, as this runs for every cell of a package."""
    out = [sheet, path]
    for v in values:
        kind = type(v)
        if kind is str:
            out.append(v.translate(_ESCAPE) if ("\\" in v or "\x1f" in v or "\n" in v) else v)
        elif kind is int:
            out.append(str(v))
        elif v is None:
            out.append("")
        elif kind is dt.date:
            try:
                out.append(_DATES[v])
            except KeyError:
                if len(_DATES) > 100_000:
                    _DATES.clear()
                out.append(_DATES.setdefault(v, v.isoformat()))
        else:
            out.append(canonical(v))
    return "\x1f".join(out)


_DISTINCT_TYPES = {str, int, dt.date, type(None)}  # values of these types are equal only when they give one text


def pieces(values) -> list[str]:
    """Each of `values` (a column) as `line` writes it: `line(s, p, row)` is "\x1f".join([s, p, *pieces]). A column
    of text, whole numbers, dates and blanks is written one distinct value at a time (a city's package repeats
    dates, choices and names in a million cells); any other (money: 0 and -0 are equal but written apart) cell
    by cell."""
    types = set(map(type, values))
    if types <= _DISTINCT_TYPES:
        distinct = set(values)
        if types <= {str, type(None)}:  # text: written as is unless it holds a character `line` escapes
            text = "".join(distinct - {None})
            if "\\" not in text and "\x1f" not in text and "\n" not in text:
                return [v if v is not None else "" for v in values] if type(None) in types else list(values)
        table = {v: piece(v) for v in distinct}
        return list(map(table.__getitem__, values))
    return list(map(piece, values))


def piece(v) -> str:
    """One value as `line` writes it."""
    kind = type(v)
    if kind is str:
        return v.translate(_ESCAPE) if ("\\" in v or "\x1f" in v or "\n" in v) else v
    if kind is int:
        return str(v)
    if v is None:
        return ""
    if kind is dt.date:
        return v.isoformat()
    return canonical(v)


def digest(lines) -> str:
    """SHA-256 over the sorted canonical lines (order-independent)."""
    h = hashlib.sha256()
    ordered = sorted(lines)
    for start in range(0, len(ordered), 10_000):  # each line and "\n", fed 10 000 lines at a time
        h.update(("\n".join(ordered[start:start + 10_000]) + "\n").encode("utf-8"))
    return h.hexdigest()


# The record sheets of a package, in order: DATA.md's exchange sheets, then the region's 组织机构 and 补充说明.
NOTES_SPEC = layout._spec(m.Note, NOTES_SHEET)
CARRIED_SHEETS = (*layout.RECORD_SHEETS, layout.BODY_SPEC, NOTES_SPEC)
OPTIONAL_SHEETS = (layout.BODY_SHEET, NOTES_SHEET)  # absent from a format-1 package
