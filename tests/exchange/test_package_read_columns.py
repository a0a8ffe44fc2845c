"""Reading a 上报数据包 cleans each record sheet column by column (`_FieldCleaner.column`) and checks only the rows
holding a cell that could not be read (or an empty unit cell, or a formula without a result) cell by cell. That must
change nothing: packages whose record cells were changed at random (good, bad, blank, look-alike values, numbers
that equal each other across types, formulas saved without a result) read exactly as when every row is checked
cell by cell — the rows and their sub-regions, every error in order, the counts and the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetymonth_desktop.exchange import package_read, workbook_rows

CELL = st.one_of(st.none(), st.sampled_from(["", " ", "燃气", "已整改", "待整改", "一般", "重大", "2021-6-1", "6月3日",
                                              "2021年6月16日", "1,200余", "３万", "-3", "a\u200bb", "x\u200ey", "某厂",
                                              " 城关街道 ", "=1+1", "甲区", "甲区/乙街"]),
                 st.integers(-2, 3), st.sampled_from([0.0, 1.0, 1.5, 44350.0, 44350, True, False]),
                 st.dates(dt.date(2020, 12, 25), dt.date(2021, 7, 5)),
                 st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6))
# (sheet: 0 = 隐患台账, 1 = another record sheet; row 2..; column 1..) → the value written there
CHANGE = st.tuples(st.integers(0, 1), st.integers(2, 12), st.integers(1, 12), CELL)


@pytest.fixture
def package_path(demo, tmp_path):
    from safetymonth_desktop.exchange import package_write

    return package_write.write_package(demo, tmp_path / "包.xlsx").path


def _read_both_ways(path):
    """What the column path reads, then what checking every row cell by cell reads."""
    outcomes = []
    for by_cell in (False, True):
        with pytest.MonkeyPatch.context() as monkeypatch:
            if by_cell:
                real = workbook_rows._FieldCleaner.column
                monkeypatch.setattr(workbook_rows._FieldCleaner, "column",
                                    lambda self, cells: (real(self, cells)[0], list(range(len(cells)))))
            try:
                package = package_read.read_package(path)
            except Exception as exc:  # noqa: BLE001 - both ways must refuse alike
                outcomes.append(("refused", type(exc).__name__, str(exc)))
                continue
        rows = {model.__name__: rows for model, rows in package.rows.items()}
        outcomes.append((rows, [e.cells() for e in package.errors], package.counts, package.digest))
    return outcomes


def _changed(source, target, changes):
    from openpyxl import load_workbook

    wb = load_workbook(source)
    sheets = [wb["隐患台账"], next(ws for ws in wb.worksheets if ws.title not in ("隐患台账",)
                                   and ws.max_row > 2 and ws.sheet_state == "visible"
                                   and ws.cell(1, 1).value == "所属下级地区")]
    for which, row, column, value in changes:
        ws = sheets[which]
        if column <= ws.max_column:
            ws.cell(row, column).value = value
    wb.save(target)
    return target


def test_an_unchanged_package_reads_the_same_both_ways(package_path):
    fast, by_cell = _read_both_ways(package_path)
    assert fast == by_cell
    rows, errors, counts, _digest = fast
    assert not errors and sum(counts.values()) > 20 and rows["Hazard"]


def test_a_bad_cell_is_reported_once_in_column_order(package_path, tmp_path):
    path = _changed(package_path, tmp_path / "改.xlsx",
                    [(0, 3, 4, "不是日期"), (0, 3, 2, ""), (0, 4, 12, "=1+1"), (0, 5, 1, "  ")])
    fast, by_cell = _read_both_ways(path)
    assert fast == by_cell
    _rows, errors, _counts, _digest = fast
    assert [(e[1], e[2], e[3]) for e in errors][:3] == [("隐患台账", "第3行", "填报单位"), ("隐患台账", "第3行", "行业领域"),
                                                       ("隐患台账", "第4行", "整改资金(元)")]
    assert "公式没有计算结果" in errors[2][5]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(CHANGE, min_size=1, max_size=12))
def test_column_cleaning_reads_what_cell_by_cell_checking_reads(package_path, tmp_path_factory, changes):
    path = _changed(package_path, tmp_path_factory.mktemp("p") / "改.xlsx", changes)
    fast, by_cell = _read_both_ways(path)
    assert fast == by_cell


def test_progress_rises_and_cancelling_stops_the_reading(package_path):
    from safetymonth_desktop.base.errors import Cancelled

    seen = []
    package = package_read.read_package(package_path, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen == sorted(seen) and all(done <= total for done, total in seen)
    assert seen[-1][1] == package.total
    asked = []
    with pytest.raises(Cancelled):
        package_read.read_package(package_path, cancelled=lambda: asked.append(1) or len(asked) > 2)


NUMBER_CELL = st.one_of(st.floats(), st.sampled_from([0.0, -0.0, 0.1, 0.125, 2.5, 3.0, 1e12, 1e12 + 0.5, 1e-5, 12345.67]),
                        st.sampled_from(["", " ", "12", "1万", "x", "3.456"]), st.none())


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(NUMBER_CELL, max_size=20))
def test_amounts_and_counts_read_as_the_cleaner_reads_them(cells):
    """The numeric fast path (`package_read._numbers`) gives each cell the value the import's cleaner gives it,
    refuses what it refuses (same reason), and writes the digest's piece of the value it gives."""
    from safetymonth_desktop.base.errors import ValidationError
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.exchange import package_format, xlsx_layout

    for field, kind in ((m.Hazard.funding, xlsx_layout.MONEY), (m.Material.quantity, xlsx_layout.COUNT)):
        got = package_read._numbers(workbook_rows._FieldCleaner(field), kind, tuple(cells))
        if got is None:
            assert not any(type(c) is float for c in cells)
            continue
        values, bad, texts = got
        refused = []
        for position, (cell, value, text) in enumerate(zip(cells, values, texts)):
            try:
                want = workbook_rows._FieldCleaner(field)(cell)
            except ValidationError as exc:
                assert isinstance(value, ValidationError) and value.message == exc.message
                refused.append(position)
                continue
            assert value == want and type(value) is type(want)
            assert text == package_format.piece(value)
        assert bad == refused


@pytest.mark.parametrize("collecting", [True, False])
def test_importing_a_package_leaves_the_cycle_collector_as_it_found_it(tmp_path, collecting):
    """The import pauses Python's cycle collector while it reads and writes, and switches it back on after (also
    when the file is refused), unless it was off before."""
    import gc

    from safetymonth_desktop.exchange import package_import

    seen = []
    real = package_read.read_package

    def reading(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(package_read, "read_package", reading)
            result = package_import.import_package(tmp_path / "没有这个文件.xlsx", campaign=None)
        assert result.status == workbook_rows.REFUSED and "不存在" in result.message
        assert seen == [False] and gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
