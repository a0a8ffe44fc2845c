import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import coerce
from safetymonth_desktop.services.coerce import CoercionError


@pytest.mark.parametrize("raw", ["2021-6-16", "2021/6/16", "2021.6.16", "2021年6月16日", "2021-06-16", " 2021 年 6 月 16 日 ",
                                 "２０２１－６－１６", "20210616", "2021-06-16 00:00:00", 44363, 44363.0, "44363",
                                 dt.date(2021, 6, 16), dt.datetime(2021, 6, 16, 9, 30)])
def test_dates_in_every_spelling(raw):
    assert coerce.to_date(raw) == dt.date(2021, 6, 16)


@pytest.mark.parametrize("raw, reason", [("2021-13-01", "日期不存在"), ("六月十六日", "无法识别的日期"), ("2021-6", "无法识别的日期"),
                                         (True, "不是日期"), (-5, "不是有效的日期")])
def test_bad_dates(raw, reason):
    with pytest.raises(CoercionError) as exc:
        coerce.to_date(raw)
    assert reason in exc.value.reason


@pytest.mark.parametrize("raw, value", [("1,200", 1200), ("1，200", 1200), ("１２００", 1200), ("1200余", 1200), ("300多", 300),
                                        ("1.2万", 12000), ("3万余", 30000), ("8.7万", 87000), (12.0, 12), (7, 7), (" 5 ", 5),
                                        ("", None), (None, None), ("  ", None)])
def test_counts(raw, value):
    assert coerce.to_count(raw) == value


@pytest.mark.parametrize("raw, reason", [("-3", "不能为负数"), (-3, "不能为负数"), ("1.5", "应为整数"), (2.5, "应为整数"),
                                         ("abc", "不是数字"), ("十二", "不是数字"), ("1.2.3", "不是数字"), (True, "不是数字"),
                                         (float("nan"), "不是数字"), ("1e400", "不是数字"), (10**13, "数值过大")])
def test_bad_counts(raw, reason):
    with pytest.raises(CoercionError) as exc:
        coerce.to_count(raw)
    assert reason in exc.value.reason


@pytest.mark.parametrize("raw, value", [("28000", Decimal("28000.00")), ("2.8万", Decimal("28000.00")), ("2.8万元", Decimal("28000.00")),
                                        ("1,234.56元", Decimal("1234.56")), (99.5, Decimal("99.50"))])
def test_money(raw, value):
    assert coerce.to_money(raw) == value


def test_money_refuses_fractions_of_a_fen():
    with pytest.raises(CoercionError, match="两位小数"):
        coerce.to_money("1.234")


def test_choices_match_loosely():
    field = m.Event._meta.fields["kind"]
    assert coerce.coerce(field, "安全宣传“五进”") == '安全宣传"五进"'
    assert coerce.coerce(m.Media._meta.fields["channel"], "ＬＥＤ显示屏") == "LED显示屏"
    assert coerce.coerce(m.Media._meta.fields["channel"], "led显示屏") == "LED显示屏"
    with pytest.raises(CoercionError, match="不在可选项中"):
        coerce.coerce(m.Media._meta.fields["channel"], "抖音")


def test_text_keeps_what_was_typed_but_not_float_noise():
    assert coerce.to_text(13800138000.0) == "13800138000"
    assert coerce.to_text("  A & B <c>  ") == "A & B <c>"


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.none(), st.booleans(), st.dates()))
def test_coercion_never_crashes(value):
    for fn in (coerce.to_date, coerce.to_count, coerce.to_money, coerce.to_text):
        try:
            fn(value)
        except CoercionError:
            pass


@pytest.mark.parametrize("raw", ["6月16日", "6月16", " 6 月 16 日 ", "6-16", "6/16", "6.16", "06-16", "６月１６日"])
def test_a_month_and_day_fall_in_the_year_given(raw):
    assert coerce.to_date(raw, year=2024) == dt.date(2024, 6, 16)


@pytest.mark.parametrize("raw", ["6月16日", "6-16"])
def test_a_month_and_day_without_a_known_year_are_refused_with_advice(raw):
    with pytest.raises(CoercionError) as exc:
        coerce.to_date(raw)
    assert "缺少年份" in exc.value.reason


def test_a_month_and_day_that_do_not_exist_are_refused(db):
    with pytest.raises(CoercionError) as exc:
        coerce.to_date("2月30日", year=2024)
    assert "日期不存在" in exc.value.reason
    assert coerce.coerce(m.Hazard._meta.fields["found_date"], "6月5日", year=2022) == dt.date(2022, 6, 5)
