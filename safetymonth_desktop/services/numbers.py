"""How figures are written: in Chinese prose (REPORT.md, "Numbers in the text") and on the screen.

One helper per kind of figure, so the report, the dashboard and the statistics workbook phrase
numbers the same way: counts (`8.7万余`), money in 万元, rates, dates, ordinals and heading numerals.
The screen (tables, totals, the overview, dialogs, the command line's figures) writes every figure with
`figure_text` alone: digits grouped by thousands as in the Chinese locale (82,254; money 244,845.00).
The Word prose never groups: it says 8.2万余.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, ROUND_DOWN, ROUND_HALF_UP

_DIGITS = "零一二三四五六七八九"


def figure_text(value) -> str:
    """A figure as the screen shows it: thousands grouped (82254 → '82,254'), a Decimal with its own decimals
    (money in 元 244845.00 → '244,845.00', in 万元 39.28 → '39.28'), a float with one decimal; '' for None.
    What a clerk types or pastes back may carry the commas: services.coerce drops them."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:,f}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def money_text(yuan_amount) -> str:
    """An amount in 元 as the screen shows it, always two decimals: '20,000.00'; '' for None."""
    if yuan_amount is None:
        return ""
    return figure_text(Decimal(str(yuan_amount)).quantize(Decimal("0.01")))


def count_phrase(n: int | None) -> str:
    """A count as the office writes it: Arabic below 10 000, else `x.x万` cut down plus `余` if cut.

    87998 → '8.7万余', 45000 → '4.5万', 500000 → '50万', 9999 → '9999'.
    """
    n = int(n or 0)
    if n < 10000:
        return str(n)
    shown = (Decimal(n) / 10000).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = _strip_zeros(shown)
    return f"{text}万余" if shown * 10000 < n else f"{text}万"


def approx_phrase(n: int | None) -> str:
    """A total as the prose gives it, rounded to what a reader keeps: `近1700` just under a round figure, `2300余`
    above one, exact when it is round or below 100. From 10 000 on, `x.x万` like `count_phrase` (`8.7万余`), or
    `近8.8万` when the exact value is within a hundredth of the next tenth of 万.

    1698 → '近1700', 2377 → '2300余', 608 → '600余', 998 → '近1000', 47 → '47', 2400 → '2400', 87998 → '近8.8万'.
    """
    n = int(n or 0)
    if n < 100:
        return str(n)
    step = 10 if n < 1000 else 100 if n < 10000 else 1000
    low = n // step * step
    high = low + step
    if n == low:
        return count_phrase(n)
    rounder = high % (step * 10) == 0  # 998 → 近1000 (a hundredth short of a round figure), but 608 → 600余
    if high - n <= step // 10 or (rounder and high - n <= high // 100):
        return f"近{count_phrase(high)}"
    if n >= 10000:
        return count_phrase(n)
    return f"{low}余"


def money_wan(fen: int | None) -> Decimal:
    """An amount stored in 分 as 万元, rounded half-up to two decimals (the exact figure of tables)."""
    return (Decimal(int(fen or 0)) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money_phrase(fen: int | None) -> str:
    """An amount for prose: `3.58万元` (up to two decimals, trailing zeros dropped); below 100元 in 元."""
    fen = int(fen or 0)
    if fen < 100 * 100:
        return f"{_strip_zeros(Decimal(fen) / 100)}元"
    return f"{_strip_zeros(money_wan(fen))}万元"


def yuan(fen: int | None) -> Decimal:
    """An amount stored in 分 as 元 with two decimals (ledgers)."""
    return (Decimal(int(fen or 0)) / 100).quantize(Decimal("0.01"))


def rate_phrase(rate: float | Decimal | None) -> str:
    """A percentage with one decimal: `95.2%`; '—' when there is no rate (nothing was found)."""
    if rate is None:
        return "—"
    return f"{Decimal(str(rate)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def percent(part: int, whole: int) -> float | None:
    """part / whole × 100 with one decimal, or None when whole is 0."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def date_phrase(d: _dt.date | None) -> str:
    """`2021年6月16日`, no leading zeros; '' for no date."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def month_day_phrase(d: _dt.date | None) -> str:
    """`6月16日` (the year is clear from the context)."""
    return f"{d.month}月{d.day}日" if d else ""


def ordinal_phrase(n: int) -> str:
    """`第20个`."""
    return f"第{int(n)}个"


def chinese_numeral(n: int) -> str:
    """1..99 as Chinese numerals: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 21 → 二十一."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """Heading numbers of official documents: 一、 (一) 1. (1) for levels 1–4."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"({chinese_numeral(n)})"
    if level == 3:
        return f"{n}."
    return f"({n})"


def enumeration(n: int) -> str:
    """The in-paragraph enumeration 一是, 二是 … of the reference summary."""
    return f"{chinese_numeral(n)}是"


def change_percent(current: float | int | None, previous: float | int | None) -> Decimal | None:
    """(current − previous) / previous × 100, half-up to one decimal; None when not comparable. The one
    rounding of a year-on-year change, so the overview and the report never differ by 0.1."""
    if current is None or previous is None or previous == 0:
        return None
    diff = Decimal(str(current)) - Decimal(str(previous))
    return (diff * 100 / Decimal(str(previous))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The prose mentions a year-on-year change only past these (a 1.4% rise is noise to a reader, not news).
NOTABLE_PERCENT = 5
NOTABLE_POINTS = 2


def change_phrase(current: float | int | None, previous: float | int | None, *, threshold: float = 0) -> str:
    """Year-on-year change for prose: `同比增长12.5%`, `同比下降3%`, `与上年持平`; '' when not comparable, or
    when the change is smaller than `threshold` percent (NOTABLE_PERCENT for the report's sentences)."""
    pct = change_percent(current, previous)
    if pct is None or (threshold and abs(pct) < threshold):
        return ""
    if pct == 0:
        return "与上年持平"
    return f"同比{'增长' if pct > 0 else '下降'}{_strip_zeros(abs(pct))}%"


def points_change_phrase(current: float | None, previous: float | None, *, threshold: float = 0) -> str:
    """Year-on-year change of a rate: `同比提高2.5个百分点`, `同比降低1个百分点`, `与上年持平`; '' below
    `threshold` points (NOTABLE_POINTS for the report's sentences)."""
    if current is None or previous is None:
        return ""
    diff = (Decimal(str(current)) - Decimal(str(previous))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if threshold and abs(diff) < threshold:
        return ""
    if diff == 0:
        return "与上年持平"
    return f"同比{'提高' if diff > 0 else '降低'}{_strip_zeros(abs(diff))}个百分点"


def _strip_zeros(d: Decimal) -> str:
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
