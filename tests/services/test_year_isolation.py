"""Work on one year never moves another year's figures (issue 12, DATA.md "Roster"): every figure of year A —
`figures --json`, the statistics workbook's cells, the Word summary's text — is identical before and after each
operation on year B (import with new units, record deletes, unit create / rename / alias / merge, roster edits,
the demo on yet another year) and after undoing each. B is the later year, so A's 同比 never involves it."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_context, xlsx_export, xlsx_import
from safetymonth_desktop.services import campaigns, demo, history, indicators, records, roster, units

TODAY = dt.date(2021, 7, 15)
YEAR_A, YEAR_B = 2021, 2024


def year_a_faces(tmp_path) -> str:
    """Everything year A hands up, as one comparable text. The 单位名录 sheet's 别名 column is left out: an alias is
    how the one unit is spelt on import, the same in every year (merging a B-only spelling into a unit A also has
    adds one); it is no figure and names no record."""
    campaign = campaigns.get(YEAR_A)
    figures = indicators.to_json(indicators.compute_all(campaign, today=TODAY))
    stats = xlsx_export.write_stats(campaign, tmp_path / "a-stats.xlsx", today=TODAY)
    book = openpyxl.load_workbook(stats)
    cells = {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    cells["单位名录"] = [row[:4] + row[5:] for row in cells["单位名录"]]
    context = report_context.build_context(campaign, today=TODAY)
    return json.dumps({"figures": figures, "cells": cells, "report": context}, ensure_ascii=False, default=str,
                      sort_keys=True)


def unit_workbook(path, unit_name: str, participants: int = 40):
    """A hand-made workbook (as units send them) with one training row of year B."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "培训"
    ws.append(["填报单位", "培训类别", "培训名称", "开始日期", "参训人次"])
    ws.append([unit_name, "以会代训", "安全生产月专题培训", dt.date(YEAR_B, 6, 10), participants])
    wb.save(path)
    return path


@pytest.fixture
def two_years(db):
    demo.create_demo(YEAR_A)
    campaigns.save(YEAR_B, region="城南区")  # B's roster starts as a copy of A's
    return campaigns.get(YEAR_A), campaigns.get(YEAR_B)


def operations(tmp_path):
    """(name, function doing one thing to year B) — each returns nothing; undo is tried after each."""
    def import_new_unit():
        [result] = xlsx_import.import_files([unit_workbook(tmp_path / "new.xlsx", "新成立街道")], YEAR_B,
                                           create_units=True)
        assert result.status == xlsx_import.IMPORTED, result.errors

    def import_known_unit():
        [result] = xlsx_import.import_files([unit_workbook(tmp_path / "known.xlsx", "城关街道", 55)], YEAR_B)
        assert result.status == xlsx_import.IMPORTED, result.errors

    def delete_records():
        b = campaigns.get(YEAR_B)
        record = records.create(m.Training, b, {"unit": "城关街道", "category": "其他", "participants": 9})
        records.delete(m.Training, record.id)

    def create_rename_alias_delete():
        b = campaigns.get(YEAR_B)
        unit = units.create_unit("临时工作组", campaign=b)
        units.update_unit(unit.id, name="临时工作专班")
        units.add_alias(unit.id, "工作专班")
        units.delete_unit(unit.id, campaign=b)

    def merge_into_a_unit():
        b = campaigns.get(YEAR_B)
        twin = units.create_unit("城关街道办事处", campaign=b)
        records.create(m.Training, b, {"unit": twin, "category": "其他", "participants": 12})
        units.merge_units(units.find_unit("城关街道").id, twin.id)

    def roster_edits():
        b = campaigns.get(YEAR_B)
        silent = units.find_unit("青石镇")
        roster.remove(b, silent.id)
        roster.add(b, silent.id)
        roster.remove(b, silent.id)

    def demo_elsewhere():
        demo.create_demo(2025)

    return [(f.__name__, f) for f in (import_new_unit, import_known_unit, delete_records, create_rename_alias_delete,
                                       merge_into_a_unit, roster_edits, demo_elsewhere)]


def test_no_operation_on_year_b_moves_year_a(two_years, tmp_path):
    before = year_a_faces(tmp_path)
    for name, operation in operations(tmp_path):
        with history.change_group() as group:
            operation()
        assert year_a_faces(tmp_path) == before, name
        history.revert_group(group)
        assert year_a_faces(tmp_path) == before, f"undo of {name}"


def test_a_unit_created_for_b_joins_b_only(two_years):
    a, b = two_years
    total_a = indicators.compute("units.total", a)
    unit = units.create_unit("新设单位", campaign=b)
    assert roster.is_listed(b, unit.id) and not roster.is_listed(a, unit.id)
    assert indicators.compute("units.total", a) == total_a
    assert indicators.compute("units.total", b) == total_a + 1


def test_a_new_year_starts_from_the_previous_roster(two_years):
    a, b = two_years
    assert roster.unit_ids(b) == roster.unit_ids(a)
    c = campaigns.save(2026)[0]
    assert roster.unit_ids(c) == roster.unit_ids(b)


def test_removing_a_unit_that_reported_is_refused_and_nothing_changes(two_years):
    from safetymonth_desktop.base.errors import ValidationError

    a, _ = two_years
    street = units.find_unit("城关街道")
    with pytest.raises(ValidationError, match="已有 .* 条记录"):
        roster.remove(a, street.id)
    assert roster.is_listed(a, street.id)


def test_deleting_a_unit_on_another_years_roster_is_refused(two_years):
    from safetymonth_desktop.base.errors import ValidationError

    a, b = two_years
    unit = units.create_unit("两年都有的单位", campaign=a)
    roster.add(b, unit.id)
    with pytest.raises(ValidationError, match=f"{YEAR_A} 年度的报送单位名单"):
        units.delete_unit(unit.id, campaign=b)
    roster.remove(b, unit.id)
    with pytest.raises(ValidationError):
        units.delete_unit(unit.id, campaign=b)  # still on A's roster
    units.delete_unit(unit.id, campaign=a)
    assert units.find_unit("两年都有的单位") is None


def test_reported_units_never_exceed_the_roster(two_years):
    _, b = two_years
    outsider = units.create_unit("名单外单位")  # made outside any year
    assert not roster.is_listed(b, outsider.id)
    records.create(m.Training, b, {"unit": outsider, "category": "其他", "participants": 3})
    assert roster.is_listed(b, outsider.id)  # it reported in B: it is on B's roster
    assert indicators.compute("units.reported", b) <= indicators.compute("units.total", b)
