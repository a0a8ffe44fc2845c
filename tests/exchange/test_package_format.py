"""The 上报数据包's digest is canonical and order-independent, and a package that lost its stamp is refused."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from safetymonth_desktop.exchange import package_format as fmt


def test_the_digest_ignores_order_and_sees_every_value():
    rows = [("培训", "", ["城关街道", "以会代训", dt.date(2024, 6, 3), 1, 30, Decimal("12.5"), None]),
            ("培训", "河西区", ["城关街道", "以会代训", dt.date(2024, 6, 3), 1, 30, Decimal("12.50"), ""]),
            ("隐患台账", "", ["东湖街道", "a\x1fb", "x\\y"])]
    lines = [fmt.line(s, p, v) for s, p, v in rows]
    assert fmt.digest(lines) == fmt.digest(list(reversed(lines)))
    assert lines[0] != lines[1]  # the same record under another sub-region is another record
    changed = [fmt.line("培训", "", ["城关街道", "以会代训", dt.date(2024, 6, 3), 1, 31, Decimal("12.5"), None]),
               *lines[1:]]
    assert fmt.digest(changed) != fmt.digest(lines)
    # a separator inside a value cannot make two different records one line
    assert fmt.line("隐患台账", "", ["a\x1fb"]) != fmt.line("隐患台账", "", ["a", "b"])
    assert fmt.canonical(Decimal("3")) == "3.00" and fmt.canonical(30.0) == "30" and fmt.canonical(None) == ""


def test_a_package_without_its_stamp_is_refused_in_chinese(demo, tmp_path):
    from openpyxl import load_workbook

    from safetymonth_desktop.exchange import package_write, xlsx_import
    from safetymonth_desktop.services import campaigns

    path = package_write.write_package(demo, tmp_path / "包.xlsx").path
    wb = load_workbook(path)
    del wb[fmt.STAMP_SHEET]
    wb.save(tmp_path / "无标识.xlsx")
    campaigns.save(2021, region="城南区", level="市")  # whatever the year holds: the file is refused before
    [result] = xlsx_import.import_files([tmp_path / "无标识.xlsx"], 2021, backup=False)
    assert result.status == xlsx_import.REFUSED
    assert "数据包标识缺失或被改动" in result.message


VALUE = st.one_of(st.none(), st.text(max_size=5), st.sampled_from(["a\x1fb", "x\\y", "l\nm", "", "1"]),
                  st.integers(-3, 3), st.booleans(), st.floats(allow_nan=False, allow_infinity=False),
                  st.sampled_from([0.0, -0.0, 1.0, 2.5]), st.decimals(min_value=-10**9, max_value=10**9, places=3),
                  st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("1.5"), Decimal("1.50"), Decimal("15E-1")]),
                  st.dates(), st.datetimes())


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(st.lists(VALUE, min_size=width, max_size=width), max_size=6)))
def test_pieces_of_a_column_are_what_line_writes(rows):
    """The reader joins each row's pieces (written column by column) instead of calling `line` per row."""
    columns = [fmt.pieces(list(column)) for column in zip(*rows)] if rows else []
    joined = ["\x1f".join(["隐患台账", "甲区", *texts]) for texts in zip(*columns)] if rows else []
    assert joined == [fmt.line("隐患台账", "甲区", row) for row in rows]
