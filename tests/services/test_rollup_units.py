"""A city's units after importing its counties' 上报数据包 (tests/rollup_city.py): deleting a sub-region or one of
its units is refused in Chinese saying what is under it and what to do; 撤回该地区的上报数据 takes a county's package
out in one undoable step, after which the county can be deleted."""

from __future__ import annotations

import datetime as dt

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, history, indicators, rollup, units
from tests.rollup_city import YEAR, city  # noqa: F401  (fixture)


def _unit(name, parent=None):
    return m.Unit.get((m.Unit.name == name) & ((m.Unit.parent == parent) if parent else m.Unit.parent.is_null()))


def test_deleting_a_sub_region_with_its_package_is_refused_in_chinese(city):
    county = _unit("甲县")
    with pytest.raises(AppError) as caught:
        units.delete_unit(county.id, campaign=campaigns.get(YEAR))
    text = str(caught.value)
    assert "下级地区" in text and f"{YEAR} 年度的上报数据包" in text and "其下 1 个单位" in text
    assert "撤回上报数据" in text and "替换" in text
    assert _unit("甲县").id == county.id


def test_deleting_or_merging_a_sub_regions_unit_is_refused(city):
    county = _unit("甲县")
    street = _unit("城关街道", county)
    for action in (lambda: units.delete_unit(street.id), lambda: units.merge_units(_unit("市应急管理局").id, street.id),
                   lambda: units.merge_units(street.id, _unit("市应急管理局").id)):
        with pytest.raises(AppError) as caught:
            action()
        assert "甲县" in str(caught.value) and "撤回上报数据" in str(caught.value)
    assert m.Training.select().where(m.Training.unit == street.id).count() == 1


def test_withdrawing_a_package_is_one_undoable_step(city):
    c = campaigns.get(YEAR)
    before = {k: indicators.compute(k, c) for k in ("training.participants", "org.meetings", "units.reported")}
    county = _unit("甲县")
    removed = rollup.withdraw(c, county.id)
    assert removed == 4  # the training, the meeting, the 组织机构 and the 补充说明 of 甲县
    assert not m.Note.select().where(m.Note.sub_region == county.id).exists()
    group = history.last_group()
    assert indicators.compute("training.participants", c) == before["training.participants"] - 10
    assert indicators.compute("units.reported", c) == before["units.reported"] - 1
    assert not m.Unit.select().where(m.Unit.parent == county.id).exists()
    assert county.id in {u.id for u in m.Unit.select()}  # still on the roster: 未报送 again
    with pytest.raises(AppError, match="没有导入过"):
        rollup.withdraw(c, county.id)
    history.revert_group(group)
    assert {k: indicators.compute(k, c) for k in before} == before
    assert [n.text for n in m.Note.select().where(m.Note.sub_region == county.id)] == ["甲县高度重视安全生产月活动。"]
    assert m.SubRegionPackage.select().where(m.SubRegionPackage.unit == county.id).exists()
    # withdrawn again, the county can be deleted (it is on this year's roster only)
    rollup.withdraw(c, county.id)
    units.delete_unit(county.id, campaign=c)
    assert m.Unit.get_or_none(m.Unit.id == county.id) is None


# ---- two units of one name from two sub-regions, told apart wherever units are listed

def test_a_shared_name_is_qualified_with_its_region(city):
    own = units.create_unit("城关街道")
    shown = units.display_names()
    by_parent = {u.parent.name if u.parent else None: shown[u.id] for u in m.Unit.select().where(m.Unit.name == "城关街道")}
    assert by_parent == {"甲县": "城关街道（甲县）", "乙县": "城关街道（乙县）", None: "城关街道（本级）"}
    assert shown[_unit("市应急管理局").id] == "市应急管理局" and shown[_unit("甲县").id] == "甲县"
    assert units.display_name(own.id) == "城关街道（本级）"


def test_the_unit_summary_lists_the_districts_units_by_region_and_adds_up(city, tmp_path):
    from openpyxl import load_workbook

    from safetymonth_desktop.exchange import xlsx_export
    from safetymonth_desktop.services import unit_summary

    c = campaigns.get(YEAR)
    rows = {r[0]: r for r in unit_summary.unit_rows(c)}
    assert set(rows) == {"城关街道（甲县）", "城关街道（乙县）", "市应急管理局"}
    assert rows["城关街道（甲县）"][2] == "已报送" and rows["城关街道（甲县）"][4] == 10
    assert rows["城关街道（乙县）"][4] == 20
    out = xlsx_export.write_stats(c, tmp_path / "统计表.xlsx")
    sheet = list(load_workbook(out)["分单位汇总"].iter_rows(values_only=True))
    names = [r[0] for r in sheet[1:]]
    assert "城关街道（甲县）" in names and "城关街道（乙县）" in names and "甲县" not in names
    total = sheet[-1]
    assert total[sheet[0].index("培训人次")] == indicators.compute("training.participants", c) == 30
    # the ledgers name them the same way: each county's training under its own 城关街道
    wb = load_workbook(out)
    ledger = next(wb[name] for name in wb.sheetnames if name.startswith("培训"))
    header, *body = list(ledger.iter_rows(values_only=True))
    named = {row[header.index("填报单位")] for row in body}
    assert {"城关街道（甲县）", "城关街道（乙县）"} <= named and "城关街道" not in named


def test_tables_search_and_pickers_tell_the_two_apart(city):
    from safetymonth_desktop.services import breakdowns, listing, progress

    c = campaigns.get(YEAR)
    table = listing.Listing(m.Training, c.id)
    column = 1 + [f.name for f in table.fields].index("unit")
    assert sorted(r[column] for r in table.page(0)) == ["城关街道（乙县）", "城关街道（甲县）"]
    table.search = "甲县"
    assert [r[column] for r in table.page(0)] == ["城关街道（甲县）"] and table.count() == 1
    table.search = "城关"
    assert table.count() == 2
    assert {n for _i, n, _c in breakdowns.records_per_unit(c)} >= {"城关街道（甲县）", "城关街道（乙县）"}
    assert "城关街道（甲县）" in {r["name"] for r in listing.unit_rows()}
    # a district's street can never join the city's roster: it is not offered
    assert all(u.parent_id is None for u in progress.units_off_roster(c))


# ---- a sub-region's records are read-only at the city; the city's own stay editable

def test_a_packaged_record_is_read_only_and_the_citys_own_stay_editable(city):
    from safetymonth_desktop.base.errors import ValidationError
    from safetymonth_desktop.services import records

    c = campaigns.get(YEAR)
    training = m.Training.get(m.Training.participants == 10)
    assert records.from_packages(m.Training, [training.id]) == {training.id: "甲县"}
    for action in (lambda: records.update(m.Training, training.id, {"participants": 11}),
                   lambda: records.delete_many(m.Training, [training.id])):
        with pytest.raises(ValidationError) as caught:
            action()
        text = caught.value.message
        assert "甲县的上报数据包" in text and "替换" in text and "撤回上报数据" in text
    assert m.Training.get_by_id(training.id).participants == 10
    # the city's own: a meeting typed here, changed and deleted as anywhere
    own = records.create(m.Meeting, c, {"kind": "部署会", "title": "某市安全生产月动员部署会"})
    assert records.from_packages(m.Meeting, [own.id]) == {}
    records.update(m.Meeting, own.id, {"attendees": 80})
    records.delete(m.Meeting, own.id)
    # nothing of the city's own goes under a county or a county's unit
    for unit in ("甲县", _unit("城关街道", _unit("甲县")).id):
        with pytest.raises(ValidationError, match="下级地区") as caught:
            records.create(m.Training, c, {"unit": unit, "category": "以会代训", "participants": 5})
    assert records.create(m.Training, c, {"unit": "市应急管理局", "category": "以会代训", "participants": 5})
    # the city inspecting a county is the city's own 督查
    assert records.create(m.Inspection, c, {"kind": "综合督查", "target": "甲县"})


# ---- the region's 组织机构 and 补充说明 travel in the package, checked like the records

def test_the_package_carries_the_organization_and_the_notes_and_the_digest_covers_them(city, tmp_path):
    from openpyxl import load_workbook

    from safetymonth_desktop.exchange import package_import, package_read

    package = package_read.read_package(city["甲县"])
    [(path, body)] = package.rows[m.Body]
    assert path == "" and body["name"] == "甲县安全生产月活动组委会" and body["lead"] == "副县长"
    [(path, note)] = package.rows[m.Note]
    assert note["section"] == "开头" and "甲县高度重视" in note["text"]
    assert package.digest == package.stamp["digest"]
    # one word of the 组织机构 changed: refused like a changed record, nothing written
    wb = load_workbook(city["甲县"])
    ws = wb["组织机构"]
    column = [c.value for c in ws[1]].index("牵头领导") + 1
    ws.cell(row=2, column=column).value = "县长"
    tampered = tmp_path / "甲县(改).xlsx"
    wb.save(tampered)
    before = m.Body.select().count()
    result = package_import.import_package(tampered, campaigns.get(YEAR), replace=True)
    assert result.status == "refused" and "数据摘要不符" in result.message
    assert m.Body.select().count() == before


def test_the_city_keeps_each_countys_organization_as_the_countys(city, tmp_path):
    from safetymonth_desktop.exchange import package_read, package_write
    from safetymonth_desktop.exchange.report_context import build_context
    from safetymonth_desktop.services import records

    c = campaigns.get(YEAR)
    bodies = {b.name: b.id for b in m.Body.select()}
    assert records.from_packages(m.Body, bodies.values()) == {
        bodies["甲县安全生产月活动组委会"]: "甲县", bodies["乙县安全生产月活动组委会"]: "乙县"}
    own = records.create(m.Body, c, {"name": "某市安全生产月活动领导小组", "lead": "副市长"})
    context = build_context(c, today=dt.date(YEAR, 7, 10))
    assert [b["name"] for b in context["org"]["bodies"]] == ["某市安全生产月活动领导小组"]
    text = "".join(p["text"] for p in context["org"]["paragraphs"])
    assert "成立某市安全生产月活动领导小组" in text and "均成立了活动组织机构" in text
    assert "甲县安全生产月活动组委会" not in text
    # the city's own package carries its own body and, under their paths, the counties'
    out = package_write.write_package(c, tmp_path / "某市.xlsx", today=dt.date(YEAR, 7, 1)).path
    carried = sorted((path, values["name"]) for path, values in package_read.read_package(out).rows[m.Body])
    assert carried == [("", "某市安全生产月活动领导小组"), ("乙县", "乙县安全生产月活动组委会"),
                       ("甲县", "甲县安全生产月活动组委会")]
    assert records.from_packages(m.Body, [own.id]) == {}


def test_a_county_that_handed_up_is_never_called_silent(city):
    from safetymonth_desktop.services import overview

    c = campaigns.get(YEAR)
    county = _unit("乙县")
    # its records are all under its own units: none names the county itself
    m.Meeting.delete().where(m.Meeting.unit == county.id).execute()
    silent = [i.text for i in overview._units_without_records(c)]
    assert silent == ["单位“市应急管理局”本年度尚未报送任何数据"]
    rollup.withdraw(c, county.id)
    assert "单位“乙县”本年度尚未报送任何数据" in [i.text for i in overview._units_without_records(c)]


def test_a_province_keeps_the_citys_and_its_districts_organization_and_notes(city, tmp_path):
    """Two levels: the city's package carries its counties' 组织机构 and 补充说明 by path; the province files each under
    its own sub-region (某市, 某市/甲县, 某市/乙县), keeps none as its own, tells them apart in its summary, hands them
    up again by path, and withdraws them with the city's package (undoably)."""
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import package_import, package_read, package_write
    from safetymonth_desktop.exchange.report_context import build_context
    from safetymonth_desktop.services import records

    c = campaigns.get(YEAR)
    records.create(m.Body, c, {"name": "某市安全生产月活动领导小组", "lead": "副市长"})
    records.create(m.Note, c, {"section": "下一步", "order": 1, "text": "某市将持续推进专项整治。"})
    # the city's summary: its own note printed, the counties' not (they are the counties')
    city_context = build_context(c, today=dt.date(YEAR, 7, 10))
    assert "某市将持续推进专项整治" in str(city_context) and "甲县高度重视" not in str(city_context)
    out = package_write.write_package(c, tmp_path / "某市.xlsx", today=dt.date(YEAR, 7, 1)).path
    close_database()
    open_database(tmp_path / "省.sqlite")
    province = campaigns.save(YEAR, region="某省", organizer="省安委会", level="省")[0]
    result = package_import.import_package(out, province)
    assert result.status == "imported", result.message
    city_unit = _unit("某市")
    names = {u.id: (u.name if u.parent_id is None else f"{u.parent.name}/{u.name}") for u in m.Unit.select()}
    assert sorted((b.name, names[b.sub_region_id]) for b in m.Body.select()) == [
        ("乙县安全生产月活动组委会", "某市/乙县"), ("某市安全生产月活动领导小组", "某市"), ("甲县安全生产月活动组委会", "某市/甲县")]
    assert sorted((n.text, names[n.sub_region_id]) for n in m.Note.select()) == [
        ("乙县高度重视安全生产月活动。", "某市/乙县"), ("某市将持续推进专项整治。", "某市"), ("甲县高度重视安全生产月活动。", "某市/甲县")]
    # read-only here, as the city's (whose package to replace or withdraw)
    assert set(records.from_packages(m.Body, [b.id for b in m.Body.select()]).values()) == {"某市"}
    assert set(records.from_packages(m.Note, [n.id for n in m.Note.select()]).values()) == {"某市"}
    assert records.notes_for(province) == [] and len(records.notes_for(province, with_sub_regions=True)) == 3
    # the province's summary: none of them as its own; the city's body as the city's, the counties' as theirs
    context = build_context(province, today=dt.date(YEAR, 7, 10))
    assert context["org"]["bodies"] == []
    text = "".join(p["text"] for p in context["org"]["paragraphs"])
    assert "某市" in text and "成立了活动组织机构" in text and "所辖2个区县也成立了活动组织机构" in text
    assert "甲县安全生产月活动组委会" not in text and "高度重视安全生产月活动" not in str(context)
    # the province's own package carries all three levels' by path
    out = package_write.write_package(province, tmp_path / "某省.xlsx", today=dt.date(YEAR, 7, 1)).path
    carried = package_read.read_package(out)
    assert sorted((path, v["name"]) for path, v in carried.rows[m.Body]) == [
        ("某市", "某市安全生产月活动领导小组"), ("某市/乙县", "乙县安全生产月活动组委会"), ("某市/甲县", "甲县安全生产月活动组委会")]
    assert sorted(path for path, _ in carried.rows[m.Note]) == ["某市", "某市/乙县", "某市/甲县"]
    # withdrawn with the city's package, back with undo
    rollup.withdraw(province, city_unit.id)
    group = history.last_group()
    assert m.Body.select().count() == 0 and m.Note.select().count() == 0
    history.revert_group(group)
    assert m.Body.select().count() == 3 and m.Note.select().count() == 3
    assert {names[n.sub_region_id] for n in m.Note.select()} == {"某市", "某市/甲县", "某市/乙县"}


def test_a_county_that_handed_up_stays_on_the_roster_until_withdrawn(city):
    from safetymonth_desktop.base.errors import ValidationError
    from safetymonth_desktop.services import roster

    c = campaigns.get(YEAR)
    county = _unit("乙县")
    m.Meeting.delete().where(m.Meeting.unit == county.id).execute()  # nothing names the county itself
    with pytest.raises(ValidationError, match="撤回上报数据"):
        roster.remove(c, county.id)
    assert roster.is_listed(c, county.id)
    rollup.withdraw(c, county.id)
    roster.remove(c, county.id)
    assert not roster.is_listed(c, county.id)


def test_a_newer_package_replaces_the_countys_organization_and_notes(city, db_path, tmp_path):
    """Replacing 甲县's package replaces its 组织机构 and 补充说明 (none doubled, none left behind); undo brings the
    earlier ones back."""
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import package_import, package_write
    from safetymonth_desktop.services import records

    close_database()
    open_database(tmp_path / "甲县.sqlite")
    county_year = campaigns.get(YEAR)
    m.Note.update(text="甲县高度重视，多次专题研究。").execute()
    records.create(m.Note, county_year, {"section": "下一步", "order": 1, "text": "甲县将巩固整治成果。"})
    newer = package_write.write_package(county_year, tmp_path / "甲县(新).xlsx", today=dt.date(YEAR, 7, 2)).path
    close_database()
    open_database(db_path)
    c = campaigns.get(YEAR)
    county = _unit("甲县")
    result = package_import.import_package(newer, c, replace=True)
    assert result.status in ("imported", "replaced"), result.message
    texts = sorted(n.text for n in m.Note.select().where(m.Note.sub_region == county.id))
    assert texts == ["甲县将巩固整治成果。", "甲县高度重视，多次专题研究。"]
    assert m.Body.select().where(m.Body.sub_region == county.id).count() == 1
    assert records.notes_for(c) == []
    history.revert_group(history.last_group())
    assert [n.text for n in m.Note.select().where(m.Note.sub_region == county.id)] == ["甲县高度重视安全生产月活动。"]
    assert m.Body.select().where(m.Body.sub_region == county.id).count() == 1


def test_undoing_an_import_takes_back_the_units_it_created_together(city):
    """The units a package brings are written together (rollup._Units.flush) and logged: undo of the import takes
    them out, the other county's units stay, and importing again creates them again under the county."""
    from safetymonth_desktop.exchange import package_import

    c = campaigns.get(YEAR)
    county = _unit("乙县")
    street = _unit("城关街道", county)
    assert m.ChangeLog.select().where((m.ChangeLog.table == m.Unit._meta.table_name)
                                      & (m.ChangeLog.record_id == street.id)
                                      & (m.ChangeLog.action == "create")).exists()
    batch = m.ImportBatch.get(m.ImportBatch.unit == county.id)
    group = m.ChangeLog.get((m.ChangeLog.table == m.ImportBatch._meta.table_name)
                            & (m.ChangeLog.record_id == batch.id)).group
    history.revert_group(group)
    assert not m.Unit.select().where(m.Unit.parent == county.id).exists()
    assert not m.Unit.select().where(m.Unit.id == street.id).exists()
    assert _unit("城关街道", _unit("甲县"))  # the other county's street stays
    result = package_import.import_package(city["乙县"], c)
    assert result.status == "imported", result.message
    again = _unit("城关街道", _unit("乙县"))  # the county too was the import's, and is again
    assert again.id > street.id and again.kind == street.kind and again.norm == street.norm
    assert m.Training.select().where(m.Training.unit == again.id).count() == 1


def test_the_citys_template_offers_its_own_units_to_report_and_the_counties_to_inspect(city, tmp_path):
    """填报单位 in the city's 填报模板 lists the units that report to the city, never a county (it hands up its
    上报数据包, and a row naming it is refused); 被督查单位 still offers the counties."""
    from openpyxl import load_workbook

    from safetymonth_desktop.exchange import xlsx_layout as layout, xlsx_template

    path = xlsx_template.write_template(campaigns.get(YEAR), tmp_path / "模板.xlsx")
    wb = load_workbook(path)
    lists = {col[0].value: [c.value for c in col[1:] if c.value] for col in wb[layout.LIST_SHEET].iter_cols()}
    assert "市应急管理局" in lists["单位"] and not {"甲县", "乙县"} & set(lists["单位"])
    assert {"甲县", "乙县", "市应急管理局"} <= set(lists["被督查单位"])
    letters = {col[0].value: col[0].column_letter for col in wb[layout.LIST_SHEET].iter_cols()}
    checked = set()
    for sheet in wb.worksheets:
        for dv in sheet.data_validations.dataValidation:
            if "单位不在名录中" == dv.errorTitle:
                header = sheet.cell(row=1, column=next(iter(dv.sqref.ranges)).min_col).value
                wanted = letters["被督查单位"] if header == "被督查单位" else letters["单位"]
                assert f"${wanted}$2" in dv.formula1, (sheet.title, header, dv.formula1)
                checked.add(header)
    assert {"填报单位", "被督查单位"} <= checked
