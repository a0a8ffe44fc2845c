"""The import cleans a sheet column by column (`_FieldCleaner.column`) and checks only the rows holding a cell that
could not be read cell by cell, asking the row rules once per distinct combination of the values they read
(`rules.remembering`). That must change nothing the clerk sees: random sheets (good, bad, blank and
unit-only rows, unknown and look-alike units, numbers that equal each other across types) give exactly the
same result — status, every error in order, warnings, notes, counts and the rows written — as checking every
row cell by cell."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import workbook_rows, xlsx_import
from safetymonth_desktop.services import history, records, rules
from tests.exchange.test_xlsx_import import HAZARD_HEADERS, units_ready, write_book  # noqa: F401 (fixture)

UNIT = st.sampled_from(["城关街道", " 城关街道 ", "城关办事处", "东湖街道", "城\u200b关街道", "西山街道", "", None, 3])
CELL = st.one_of(st.none(), st.sampled_from(["", " ", "燃气", "已整改", "待整改", "一般", "重大", "2021-6-1", "6月3日",
                                              "2021年6月16日", "1,200余", "３万", "-3", "a\u200bb", "x\u200ey", "某厂"]),
                 st.integers(-2, 3), st.sampled_from([0.0, 1.0, 1.5, 44350.0, 44350, True, False]),
                 st.dates(dt.date(2020, 12, 25), dt.date(2021, 7, 5)),
                 st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6))
ROW = st.tuples(UNIT, st.lists(CELL, min_size=len(HAZARD_HEADERS) - 1, max_size=len(HAZARD_HEADERS) - 1))


def _import_both_ways(path, monkeypatch):
    """(result, rows written) with the column path, then with every row checked cell by cell; undone after each."""
    outcomes = []
    for by_cell in (False, True):
        if by_cell:
            real = workbook_rows._FieldCleaner.column
            monkeypatch.setattr(workbook_rows._FieldCleaner, "column",
                                lambda self, cells: (real(self, cells)[0], list(range(len(cells)))))
            # and every row's rules asked on their own (not once per distinct combination of the values they read)
            monkeypatch.setattr(rules, "remembering",
                                lambda model: lambda values, *, skip=(): rules.problems(model, values, skip=skip))
        [result] = xlsx_import.import_files([path], 2021, create_units=True, backup=False)
        written = [records.values_of(r) for r in m.Hazard.select().order_by(m.Hazard.id)]
        written = [{k: (v.name if isinstance(v, m.Unit) else v) for k, v in row.items()} for row in written]
        if result.status == xlsx_import.IMPORTED:
            history.revert_group(history.last_group())
        seen = (result.status, [e.cells() for e in result.errors], result.warnings, result.notes,
                dict(result.counts), result.units_created, written)
        outcomes.append(seen)
        monkeypatch.undo()
    return outcomes


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(ROW, min_size=1, max_size=6))
def test_column_cleaning_gives_what_cell_by_cell_checking_gives(tmp_path_factory, units_ready, rows):
    with pytest.MonkeyPatch.context() as monkeypatch:
        path = tmp_path_factory.mktemp("h") / "r.xlsx"
        write_book(path, {"隐患台账": [HAZARD_HEADERS] + [[unit, *cells] for unit, cells in rows]})
        fast, by_cell = _import_both_ways(path, monkeypatch)
        assert fast == by_cell


FILLED_TEXT = st.sampled_from([" 某厂 ", "某厂", "\u3000某厂\t", "a\u200bb", "x" * 256, "某" * 300, "1", "燃气"])
GOOD_ROW = st.tuples(st.sampled_from(["城关街道", "东湖街道"]), FILLED_TEXT,
                     st.sampled_from(["燃气", " 燃气 ", "化工"]), st.sampled_from(["2021-6-3", "6月3日"]),
                     FILLED_TEXT, st.sampled_from(["待整改", "已整改"]), st.sampled_from([None, "2021-6-5"]),
                     st.sampled_from([None, 500, 1.5, "1,200"]), st.just("一般"), FILLED_TEXT, FILLED_TEXT)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(GOOD_ROW, min_size=1, max_size=5))
def test_filled_text_columns_give_what_cell_by_cell_checking_gives(tmp_path_factory, units_ready, rows):
    """Text columns without a blank cell take the strip-only path when nothing in them needs dropping."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        path = tmp_path_factory.mktemp("h") / "r.xlsx"
        write_book(path, {"隐患台账": [HAZARD_HEADERS] + [list(row) for row in rows]})
        fast, by_cell = _import_both_ways(path, monkeypatch)
        assert fast == by_cell


def test_a_good_sheet_takes_the_column_path_and_imports(units_ready, tmp_path, monkeypatch):
    rows = [["城关街道", "某厂", "燃气", "2021-6-3", "管道老化", "待整改", None, 500, "一般", None, None],
            [None] * len(HAZARD_HEADERS),
            ["东湖街道", None, None, None, None, None, None, None, None, None, None],  # the unit alone: skipped
            ["城关办事处", " 某厂 ", "燃气", dt.date(2021, 6, 4), "管道老化", "已整改", "2021-6-5", "1,200", "一般", "", ""]]
    path = write_book(tmp_path / "ok.xlsx", {"隐患台账": [HAZARD_HEADERS] + rows})
    by_cell = []
    real = xlsx_import._Reader._row_values
    monkeypatch.setattr(xlsx_import._Reader, "_row_values", lambda self, *args: by_cell.append(args) or real(self, *args))
    [result] = xlsx_import.import_files([path], 2021, backup=False)
    assert result.status == xlsx_import.IMPORTED and result.total == 2 and by_cell == []
    stored = list(m.Hazard.select().order_by(m.Hazard.id))
    assert [h.enterprise for h in stored] == ["某厂", "某厂"] and stored[1].unit.name == "城关街道"
    assert str(stored[1].funding) == "1200.00" and stored[1].rectified_date == dt.date(2021, 6, 5)
