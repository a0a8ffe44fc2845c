"""A campaign year is exactly four digits — ASCII or full-width, after trimming — and nothing int() would also
take ('2_021', Arabic-Indic digits, '1e308', '2021.0'); a refused value is echoed short and printable."""

import pytest

from safetymonth_desktop.base.errors import ValidationError
from safetymonth_desktop.services.campaigns import check_year


@pytest.mark.parametrize("value", [2021, "2021", " 2021 ", "\u30002021\t", "２０２１", " ２０２1 "])
def test_accepted(value):
    assert check_year(value) == 2021


@pytest.mark.parametrize("value, shown", [
    ("2_021", "“2_021”"), ("٢٠٢١", "“٢٠٢١”"), ("۲۰۲۱", "“۲۰۲۱”"), ("२०२१", "“२०२१”"), ("2021.0", "“2021.0”"),
    ("1e308", "“1e308”"), ("+2021", "“+2021”"), ("02021", "“02021”"), ("20 21", "“20 21”"), ("", "“”"),
    ("2021\x00", "“2021?”"), ("\x1b[31m2021", "“?[31m2021”"), (True, "“”"), (2021.0, "“2021.0”"), (None, "“None”"),
])
def test_refused_with_the_value_echoed(value, shown):
    with pytest.raises(ValidationError) as refused:
        check_year(value)
    assert f"{shown}不是有效的年份" in str(refused.value)


@pytest.mark.parametrize("value", ["9" * 309, "1" * 10_000, "x" * 50, 10 ** 400])
def test_a_long_value_is_echoed_shortened(value):
    with pytest.raises(ValidationError) as refused:
        check_year(value)
    message = str(refused.value)
    assert "不是有效的年份" in message and len(message) < 60, message


@pytest.mark.parametrize("value", [1999, "2001", "2100", "９９９９"])
def test_four_digits_outside_the_campaigns_range(value):
    with pytest.raises(ValidationError, match="不在 2002—2099 之间"):
        check_year(value)
