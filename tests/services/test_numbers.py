import datetime as dt
from decimal import Decimal

import pytest

from safetymonth_desktop.services import numbers


@pytest.mark.parametrize("n, text", [
    (0, "0"), (7, "7"), (9999, "9999"), (10000, "1万"), (10001, "1万余"), (45000, "4.5万"),
    (87998, "8.7万余"), (99999, "9.9万余"), (500000, "50万"), (1234567, "123.4万余"), (None, "0"),
    (19999, "1.9万余"), (100000, "10万"),
])
def test_count_phrase(n, text):
    assert numbers.count_phrase(n) == text


@pytest.mark.parametrize("fen, text", [
    (3_580_000, "3.58万元"), (3_500_000, "3.5万元"), (30_000_000, "30万元"), (1_234_567, "1.23万元"),
    (1_235_000, "1.24万元"), (850_000, "0.85万元"), (5_000, "50元"), (9_950, "99.5元"), (0, "0元"),
])
def test_money_phrase(fen, text):
    assert numbers.money_phrase(fen) == text


def test_money_wan_is_exact_decimal():
    assert numbers.money_wan(1_395_000) == Decimal("1.40")
    assert numbers.money_wan(None) == Decimal("0.00")


@pytest.mark.parametrize("part, whole, rate", [(1542, 1642, 93.9), (1, 3, 33.3), (2, 3, 66.7), (5, 5, 100.0),
                                                (0, 4, 0.0), (1, 8, 12.5), (3, 0, None)])
def test_percent(part, whole, rate):
    assert numbers.percent(part, whole) == rate


def test_rate_phrase():
    assert numbers.rate_phrase(93.9) == "93.9%"
    assert numbers.rate_phrase(100.0) == "100.0%"
    assert numbers.rate_phrase(None) == "—"


def test_dates_and_ordinals():
    assert numbers.date_phrase(dt.date(2021, 6, 16)) == "2021年6月16日"
    assert numbers.date_phrase(dt.date(2021, 10, 1)) == "2021年10月1日"
    assert numbers.month_day_phrase(dt.date(2021, 6, 6)) == "6月6日"
    assert numbers.ordinal_phrase(20) == "第20个"


@pytest.mark.parametrize("n, text", [(1, "一"), (4, "四"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (99, "九十九")])
def test_chinese_numeral(n, text):
    assert numbers.chinese_numeral(n) == text


def test_heading_numbers_and_enumeration():
    assert [numbers.heading_number(level, 2) for level in (1, 2, 3, 4)] == ["二、", "(二)", "2.", "(2)"]
    assert numbers.enumeration(3) == "三是"
    with pytest.raises(ValueError):
        numbers.chinese_numeral(0)


@pytest.mark.parametrize("cur, prev, text", [(120, 100, "同比增长20%"), (90, 100, "同比下降10%"), (100, 100, "与上年持平"),
                                             (5, 0, ""), (5, None, ""), (1, 3, "同比下降66.7%")])
def test_change_phrase(cur, prev, text):
    assert numbers.change_phrase(cur, prev) == text


@pytest.mark.parametrize("cur, prev, text", [(93.9, 91.4, "同比提高2.5个百分点"), (90.0, 92.0, "同比降低2个百分点"),
                                             (90.0, 90.0, "与上年持平"), (None, 90.0, "")])
def test_points_change_phrase(cur, prev, text):
    assert numbers.points_change_phrase(cur, prev) == text


@pytest.mark.parametrize("value, text", [
    (82254, "82,254"), (707982, "707,982"), (999, "999"), (0, "0"), (1234567, "1,234,567"),
    (Decimal("244845.00"), "244,845.00"), (Decimal("39.28"), "39.28"), (Decimal("1500.5"), "1,500.5"),
    (12.25, "12.2"), (None, ""),
])
def test_figure_text_groups_thousands_for_the_screen(value, text):
    assert numbers.figure_text(value) == text


def test_money_text_always_has_two_decimals():
    assert numbers.money_text(Decimal("20000")) == "20,000.00"
    assert numbers.money_text(Decimal("0.5")) == "0.50"
    assert numbers.money_text(None) == ""


def test_the_prose_keeps_its_wan_style():
    assert numbers.count_phrase(82254) == "8.2万余"  # never '82,254' in the Word text
