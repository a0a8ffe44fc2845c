"""Turning what a person typed, pasted or an Excel cell held into a field's typed value.

One set of rules for the form, the paste, the import and the command line (DATA.md, "Exchange
workbook"): dates in every common spelling and as Excel serials (a month and day without a year, such as
“6月16日”, where the caller knows the campaign year); numbers with thousands separators,
full-width digits, trailing 余/多 and 万; choices matched loosely (full-width, spaces, quotes). A value
that cannot be read raises `CoercionError` with a Chinese reason — never a guess, never a silent zero.
Blank values become None; whether a blank is allowed is the record service's business.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import peewee as pw

from safetymonth_desktop.base.text import clean_text, match_key, normalise
from safetymonth_desktop.db.fields import MoneyField


class CoercionError(ValueError):
    """A value that cannot be read as its field's type; `reason` is Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Excel's day 0 (serials count from 1899-12-30 because of the 1900 leap-year bug).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY_RE = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_NUMBER_RE = re.compile(r"^[+]?(\d+(?:\.\d+)?)$")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and normalise(value) == "")


def to_date(value, *, year: int | None = None) -> dt.date | None:
    """A date from any spelling; a month and day alone (“6月16日”, “6-16”) fall in `year`, and are refused when
    no year is known."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CoercionError("不是日期")
    if isinstance(value, (int, float)):
        return _from_serial(value)
    text = normalise(value)
    m = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None:
        m = _MONTH_DAY_RE.match(text)
        if m and year is None:
            raise CoercionError("缺少年份,请写成 2021年6月16日")
        if m:
            parts = (year, m.group(1), m.group(2))
    if parts is not None:
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            raise CoercionError("日期不存在(请检查月、日)")
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text))
    raise CoercionError("无法识别的日期,请写成 2021-6-16、2021/6/16 或 2021年6月16日")


def _from_serial(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:
        raise CoercionError("不是有效的日期")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _number_text(value) -> tuple[Decimal, bool]:
    """A Decimal from text or a number; the flag says whether 万 multiplied it."""
    if isinstance(value, bool):
        raise CoercionError("不是数字")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and value != value:
            raise CoercionError("不是数字")
        return Decimal(str(value)), False
    text = normalise(value).replace(" ", "").replace(",", "")
    text = text.rstrip("余多")
    wan = False
    if text.endswith("万"):
        wan, text = True, text[:-1].rstrip("余多")
    if text.startswith("-"):
        raise CoercionError("不能为负数")
    m = _NUMBER_RE.match(text)
    if not m:
        raise CoercionError("不是数字")
    number = Decimal(m.group(1))
    return (number * 10000 if wan else number), wan


def to_count(value) -> int | None:
    if is_blank(value):
        return None
    number, _ = _number_text(value)
    if number < 0:
        raise CoercionError("不能为负数")
    if number != number.to_integral_value():
        raise CoercionError("应为整数")
    if number > 10**12:
        raise CoercionError("数值过大")
    return int(number)


def to_money(value) -> Decimal | None:
    """An amount in 元 (Decimal, two decimals). Accepts a trailing 元 and 万/万元."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        value = normalise(value).replace(" ", "")
        if value.endswith("元"):
            value = value[:-1]
    number, _ = _number_text(value)
    if number < 0:
        raise CoercionError("不能为负数")
    if number > 10**12:
        raise CoercionError("数值过大")
    try:
        cents = number.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CoercionError("不是数字")
    if cents != number:
        raise CoercionError("金额最多保留两位小数(分)")
    return cents


def to_text(value) -> str | None:
    """Text as typed, trimmed, without the characters no document can hold (`text.clean_text`)."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or 文号 that Excel stored as a number
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return clean_text(str(value)).strip()


def to_choice(value, choices) -> str | None:
    if is_blank(value):
        return None
    key = match_key(value)
    for stored, _display in choices:
        if match_key(stored) == key:
            return stored
    raise CoercionError("不在可选项中(可选:" + "、".join(c for c, _ in choices) + ")")


def coerce(field: pw.Field, value, *, year: int | None = None):
    """`value` as the Python value of `field` (None for blank); `year` completes a date written without one.
    Foreign keys are left to the caller."""
    if field.choices:
        return to_choice(value, field.choices)
    if isinstance(field, pw.DateField):
        return to_date(value, year=year)
    if isinstance(field, MoneyField):
        return to_money(value)
    if isinstance(field, pw.IntegerField):
        return to_count(value)
    return to_text(value)
