"""Units named by an imported workbook: look-alike names (invisible characters) go to the existing unit, and the
file's 单位名录 sheet can propose aliases for the units it creates but never re-point an existing name or alias."""

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import xlsx_import
from safetymonth_desktop.services import units

TRAINING = ["填报单位", "培训类别", "参训人次"]
UNIT_LIST = ["单位名称", "单位类型", "别名"]
INVISIBLE = ["\x00", "\x01", "\x1f", "\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\u202a", "\u202b", "\u202c",
             "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u2060"]


def _cell(text):
    """Text as an .xlsx stores it: characters XML cannot hold as Excel's _xHHHH_ escapes (calamine decodes them)."""
    return "".join(f"_x{ord(ch):04X}_" if ord(ch) < 0x20 else ch for ch in text)


def write_book(path, sheets: dict):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append([_cell(v) if isinstance(v, str) else v for v in row])
    wb.save(path)
    return path


@pytest.fixture
def chengguan(campaign):
    unit = units.create_unit("城关街道", kind="街道/乡镇")
    units.add_alias(unit.id, "城关办事处")
    units.create_unit("东湖街道", kind="街道/乡镇")
    return unit


def trainings_of(name):
    unit = m.Unit.get(m.Unit.name == name)
    return sorted(t.participants for t in m.Training.select().where(m.Training.unit == unit))


@pytest.mark.parametrize("ch", INVISIBLE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_a_look_alike_unit_name_imports_into_the_existing_unit(chengguan, tmp_path, ch):
    path = write_book(tmp_path / "a.xlsx", {"培训": [
        ["填报单位", f"培训{ch}类别", "参训人次"],
        [f"城关{ch}街道", f"以会{ch}代训", 10],
        [f"{ch}城关街道", "以会代训", 20],
        ["城关街道", "以会代训", 30],
    ]})
    [result] = xlsx_import.import_files([path], 2021, create_units=True, backup=False)
    assert result.status == xlsx_import.IMPORTED, result.errors
    assert result.units_created == []
    assert m.Unit.select().count() == 2
    assert trainings_of("城关街道") == [10, 20, 30]
    assert any("不可见字符" in w and "城关街道" in w for w in result.warnings), result.warnings


def test_a_cell_of_invisible_characters_only_is_an_empty_unit(chengguan, tmp_path):
    path = write_book(tmp_path / "a.xlsx", {"培训": [TRAINING, ["\u200b\u200d", "以会代训", 10]]})
    [result] = xlsx_import.import_files([path], 2021, create_units=True, backup=False)
    assert result.status == xlsx_import.REFUSED
    assert [(e.row, e.column) for e in result.errors] == [(2, "填报单位")] and "必须填写" in result.errors[0].reason
    assert m.Unit.select().count() == 2


@pytest.mark.parametrize("alias, owner", [("城关街道", "城关街道"), ("城关办事处", "城关街道"),
                                          ("城关\u200b街道", "城关街道"), (" 城关 街道 ", "城关街道")])
def test_a_units_sheet_cannot_hijack_an_existing_name(chengguan, tmp_path, alias, owner):
    path = write_book(tmp_path / "hijack.xlsx", {
        "单位名录": [UNIT_LIST, ["影子单位", "其他", f"{alias}、影子"]],
        "培训": [TRAINING, ["城关街道", "以会代训", 10], ["城关办事处", "以会代训", 20], ["影子单位", "以会代训", 5],
               ["影子", "以会代训", 1]],
    })
    [result] = xlsx_import.import_files([path], 2021, create_units=True, backup=False)
    assert result.status == xlsx_import.IMPORTED, result.errors
    assert result.units_created == ["影子单位"]
    assert trainings_of(owner) == [10, 20]
    assert trainings_of("影子单位") == [1, 5]  # its own, non-colliding alias 影子 is kept
    assert units.find_unit("城关街道").name == "城关街道"
    assert units.find_unit("城关办事处").name == "城关街道"
    assert units.find_unit("影子").name == "影子单位"
    assert [a.alias for a in units.find_unit("影子单位").aliases] == ["影子"]
    [warning] = [w for w in result.warnings if "别名未采用" in w]
    assert "城关" in warning and "影子单位" in warning


def test_an_alias_of_a_new_unit_never_takes_another_name_of_the_same_file(chengguan, tmp_path):
    path = write_book(tmp_path / "b.xlsx", {
        "单位名录": [UNIT_LIST, ["新甲", "企业", "新乙、甲厂"], ["新乙", "企业", ""], ["新丙", "企业", "甲厂"]],
        "培训": [TRAINING, ["新乙", "以会代训", 7], ["甲厂", "以会代训", 8], ["新丙", "以会代训", 9]],
    })
    [result] = xlsx_import.import_files([path], 2021, create_units=True, backup=False)
    assert result.status == xlsx_import.IMPORTED, result.errors
    assert sorted(result.units_created) == ["新丙", "新乙", "新甲"]
    assert trainings_of("新乙") == [7]
    assert trainings_of("新甲") == [8]  # 甲厂 was first proposed for 新甲; 新丙's claim is dropped
    assert trainings_of("新丙") == [9]
    assert units.find_unit("新乙").name == "新乙"
    assert units.find_unit("甲厂").name == "新甲"
    [warning] = [w for w in result.warnings if "别名未采用" in w]
    assert "“新乙”" in warning and "“甲厂”" in warning


def test_aliases_listed_for_existing_units_are_not_added(chengguan, tmp_path):
    path = write_book(tmp_path / "c.xlsx", {
        "单位名录": [UNIT_LIST, ["城关街道", "街道/乡镇", "城关办事处、城关镇"], ["东湖街道", "街道/乡镇", "城关街道"]],
        "培训": [TRAINING, ["城关街道", "以会代训", 10], ["东湖街道", "以会代训", 3]],
    })
    [result] = xlsx_import.import_files([path], 2021, create_units=True, backup=False)
    assert result.status == xlsx_import.IMPORTED, result.errors
    assert units.find_unit("城关镇") is None
    assert units.find_unit("城关街道").name == "城关街道"
    assert trainings_of("城关街道") == [10] and trainings_of("东湖街道") == [3]
    assert any("未添加" in w and "城关镇" in w for w in result.warnings)
    assert any("别名未采用" in w and "东湖街道" in w for w in result.warnings)
    assert not any("城关办事处" in w for w in result.warnings)  # already this unit's alias: nothing to say


def test_without_creating_units_the_file_still_cannot_re_point(chengguan, tmp_path):
    path = write_book(tmp_path / "d.xlsx", {
        "单位名录": [UNIT_LIST, ["影子单位", "其他", "城关街道"]],
        "培训": [TRAINING, ["城关街道", "以会代训", 10]],
    })
    [result] = xlsx_import.import_files([path], 2021, backup=False)
    assert result.status == xlsx_import.IMPORTED, result.errors
    assert trainings_of("城关街道") == [10] and units.find_unit("影子单位") is None
