"""报送进度 on a year whose every unit's status is worked out by hand: statuses and their priority, the deadline
day, the as-of date, files of no roster unit, counts that agree with the indicators, and the 催报清单."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import progress_export
from safetymonth_desktop.services import campaigns, indicators, progress, records, roster, submissions, units

DEADLINE = dt.date(2021, 6, 30)


def at(day, hour=10):
    return dt.datetime(2021, 6, day, hour, 0)


def receive(c, unit, name, outcome, when, rows=None, errors=(), message=""):
    return submissions.record_receipt(c, unit_id=unit.id if unit else None, file_name=name, sha256=name,
                                      rows=rows or {"培训": 1}, outcome=outcome, errors=errors, message=message,
                                      when=when)


@pytest.fixture
def year(db):
    c = campaigns.save(2021, region="测试区", deadline=DEADLINE)[0]
    other = campaigns.save(2020)[0]
    kinds = {"甲街道": "街道/乡镇", "乙局": "区级部门", "丙街道": "街道/乡镇", "丁公司": "企业", "戊学校": "学校"}
    u = {name: units.create_unit(name, kind=kind, campaign=c) for name, kind in kinds.items()}
    u["己单位"] = units.create_unit("己单位", campaign=other)  # another year's roster only
    train = lambda unit, n=1: records.create(m.Training, c, {"unit": unit.id, "category": "以会代训",  # noqa: E731
                                                              "participants": 10 * n})
    # 甲: reported by a good file (two training rows, a hazard, its own meeting).
    train(u["甲街道"]); train(u["甲街道"], 2)
    records.create(m.Hazard, c, {"unit": u["甲街道"].id, "enterprise": "厂", "industry": "燃气", "description": "隐患",
                                 "found_date": "2021-6-2"})
    records.create(m.Meeting, c, {"unit": u["甲街道"].id, "kind": "部署会", "title": "街道部署会"})
    records.create(m.Meeting, c, {"kind": "部署会", "title": "区部署会"})  # the region's own: nobody's
    receive(c, u["甲街道"], "甲街道.xlsx", submissions.IMPORTED, at(20))
    # 乙: reported, then its corrected file was refused: the LAST file decides → 有误退回.
    train(u["乙局"])
    receive(c, u["乙局"], "乙局.xlsx", submissions.IMPORTED, at(18))
    receive(c, u["乙局"], "乙局-修改.xlsx", submissions.REFUSED, at(24), errors=["乙局-修改.xlsx / 培训 / 第2行 / 参训人次 / 很多 / 不是数字"])
    # 丙: first file refused, the second imported → 已报送 (received out of order: time decides, not entry order).
    train(u["丙街道"])
    receive(c, u["丙街道"], "丙街道-2.xlsx", submissions.IMPORTED, at(23))
    receive(c, u["丙街道"], "丙街道-1.xlsx", submissions.REFUSED, at(21), message="有 2 处错误")
    # 丁: nothing at all. 戊: a refused file only.
    receive(c, u["戊学校"], "戊学校.xlsx", submissions.REFUSED, at(22), message="文件是2020年度的填报模板")
    submissions.record_issue(c, u["丁公司"].id, "/模板/丁公司.xlsx", when=at(1))
    submissions.record_issue(c, u["丁公司"].id, "/模板/丁公司-重发.xlsx", when=at(25))
    submissions.record_issue(c, None, "/模板/空白.xlsx", when=at(1))
    # Files of no roster unit: one unknown, one of 己单位 (not on 2021's roster).
    receive(c, None, "新建 XLSX 工作表.xlsx", submissions.REFUSED, at(26), message="没有找到可导入的工作表")
    receive(c, u["己单位"], "己单位.xlsx", submissions.REFUSED, at(27))
    # Another year's files and records never show here.
    records.create(m.Training, other, {"unit": u["丁公司"].id, "category": "以会代训", "participants": 5})
    receive(other, u["丁公司"], "丁公司-2020.xlsx", submissions.IMPORTED, dt.datetime(2020, 6, 20))
    return c, u


def statuses(report):
    return {row.unit: row.status for row in report.units}


def test_statuses_and_their_priority(year):
    c, u = year
    report = progress.progress(c, as_of=dt.date(2021, 6, 25))
    assert statuses(report) == {"甲街道": "已报送", "乙局": "有误退回", "丙街道": "已报送", "丁公司": "未报送",
                                "戊学校": "有误退回"}
    # By kind (the vocabulary's order), then name.
    assert [r.unit for r in report.units] == ["丙街道", "甲街道", "乙局", "丁公司", "戊学校"]
    assert report.counts == {"有误退回": 2, "已报送": 2, "逾期": 0, "未报送": 1}
    jia = report.unit(u["甲街道"].id)
    assert jia.sections == {"会议部署": 1, "培训": 2, "隐患台账": 1}  # in the workbook's sheet order
    assert jia.sections_text == "会议部署 1、培训 2、隐患台账 1" and jia.records == 4
    yi = report.unit(u["乙局"].id)
    assert [f.name for f in yi.received] == ["乙局.xlsx", "乙局-修改.xlsx"]
    assert yi.last_file.refused and yi.last_file.errors == ["乙局-修改.xlsx / 培训 / 第2行 / 参训人次 / 很多 / 不是数字"]
    bing = report.unit(u["丙街道"].id)
    assert [f.name for f in bing.received] == ["丙街道-1.xlsx", "丙街道-2.xlsx"]
    ding = report.unit(u["丁公司"].id)
    assert (ding.received, ding.sections) == ([], {})
    assert [i.name for i in ding.issued] == ["丁公司.xlsx", "丁公司-重发.xlsx"] and ding.last_issue.when == at(25)
    assert [i.name for i in report.blank_templates] == ["空白.xlsx"]


def test_status_rule_order():
    assert progress.status_of(has_records=True, last_refused=True, late=False) == "有误退回"
    assert progress.status_of(has_records=False, last_refused=True, late=True) == "有误退回"
    assert progress.status_of(has_records=True, last_refused=False, late=False) == "已报送"
    assert progress.status_of(has_records=False, last_refused=False, late=True) == "逾期"
    assert progress.status_of(has_records=False, last_refused=False, late=False) == "未报送"


@pytest.mark.parametrize("as_of, ding, late_school", [
    (dt.date(2021, 6, 29), "未报送", False),
    (dt.date(2021, 6, 30), "未报送", False),   # the deadline day itself is still in time
    (dt.date(2021, 7, 1), "逾期", True),
    (dt.date(2022, 1, 5), "逾期", True),
])
def test_the_deadline_day_and_the_as_of_date(year, as_of, ding, late_school):
    c, u = year
    report = progress.progress(c, as_of=as_of)
    assert report.unit(u["丁公司"].id).status == ding
    school = report.unit(u["戊学校"].id)
    assert (school.status, school.late) == ("有误退回", late_school)  # still 有误退回 when late
    assert report.unit(u["乙局"].id).late is False  # it has records: never late
    assert report.unit(u["甲街道"].id).status == "已报送"


def test_without_a_deadline_nobody_is_late(year):
    c, u = year
    campaigns.save(2021, deadline=None)
    report = progress.progress(campaigns.get(2021), as_of=dt.date(2030, 1, 1))
    assert report.deadline is None and not report.deadline_passed
    assert report.unit(u["丁公司"].id).status == "未报送"
    assert report.counts["逾期"] == 0


def test_as_of_defaults_to_today(year):
    c, _ = year
    assert progress.progress(c).as_of == dt.date.today()


def test_files_of_no_roster_unit_are_listed_apart(year):
    c, u = year
    report = progress.progress(c, as_of=dt.date(2021, 6, 25))
    assert [(r.name, r.unit) for r in report.unlisted] == [("新建 XLSX 工作表.xlsx", ""), ("己单位.xlsx", "己单位")]
    assert report.unlisted[0].message == "没有找到可导入的工作表"
    assert all(r.unit_id is None or r.unit_id == u["己单位"].id for r in report.unlisted)
    listed_files = {f.name for row in report.units for f in row.received}
    assert "己单位.xlsx" not in listed_files and "丁公司-2020.xlsx" not in listed_files


def test_counts_agree_with_the_indicators(year):
    c, u = year
    report = progress.progress(c, as_of=dt.date(2021, 7, 1))
    figures = indicators.compute_all(c)
    assert report.total == figures["units.total"] == 5
    assert report.reported == figures["units.reported"] == 3  # 甲, 乙 (有误退回 but with records), 丙
    assert report.counts["已报送"] + sum(1 for r in report.of_status("有误退回") if r.records) == figures["units.reported"]
    assert sum(report.counts.values()) == figures["units.total"]
    # A roster edit moves both the same way.
    extra = units.create_unit("庚社区")
    roster.add(c, extra.id)
    report = progress.progress(c, as_of=dt.date(2021, 7, 1))
    assert report.total == indicators.compute("units.total", c) == 6
    assert report.unit(extra.id).status == "逾期"


def test_json_keys(year):
    c, u = year
    report = progress.progress(c, as_of=dt.date(2021, 6, 25))
    row = report.unit(u["乙局"].id).to_json()
    assert {"unit", "status", "files", "rows"} <= set(row)
    assert (row["unit"], row["status"], row["rows"]) == ("乙局", "有误退回", {"培训": 1})
    assert [f["file"] for f in row["files"]] == ["乙局.xlsx", "乙局-修改.xlsx"]
    assert row["files"][-1]["outcome"] == "refused" and row["files"][-1]["received_at"] == "2021-06-24T10:00:00"
    assert row["last_file"] == "乙局-修改.xlsx"


def test_reminder_text_before_the_deadline(year):
    c, _ = year
    text = progress.reminder_text(progress.progress(c, as_of=dt.date(2021, 6, 25)))
    assert text == ("截至6月25日，以下1个单位尚未报送2021年安全生产月材料：丁公司。\n"
                    "以下2个单位报送材料有误，已退回，请修改后重新报送：乙局、戊学校。\n"
                    "请于6月30日前报送。")


def test_reminder_text_after_the_deadline(year):
    c, _ = year
    text = progress.reminder_text(progress.progress(c, as_of=dt.date(2021, 7, 2)))
    assert text.splitlines()[0] == "截至7月2日，以下1个单位尚未报送2021年安全生产月材料：丁公司。"
    assert text.splitlines()[-1] == "报送截止日期（6月30日）已过，请尽快报送。"
    # In another calendar year the dates say their year.
    text = progress.reminder_text(progress.progress(c, as_of=dt.date(2022, 1, 5)))
    assert text.startswith("截至2022年1月5日，")


def test_reminder_text_without_deadline_or_anyone_to_chase(year):
    c, u = year
    campaigns.save(2021, deadline=None)
    c = campaigns.get(2021)
    text = progress.reminder_text(progress.progress(c, as_of=dt.date(2021, 6, 25)))
    assert "请于" not in text and "截止" not in text
    # Everybody reports and the refused units send good files: nothing to chase.
    records.create(m.Training, c, {"unit": u["丁公司"].id, "category": "以会代训", "participants": 1})
    records.create(m.Training, c, {"unit": u["戊学校"].id, "category": "以会代训", "participants": 1})
    receive(c, u["戊学校"], "戊学校-改.xlsx", submissions.IMPORTED, at(28))
    receive(c, u["乙局"], "乙局-改.xlsx", submissions.REPLACED, at(28))
    report = progress.progress(c, as_of=dt.date(2021, 6, 29))
    assert progress.reminder_units(report) == []
    assert progress.reminder_text(report) == "截至6月29日，名单中的5个单位均已报送2021年安全生产月材料。"


def test_reminder_for_refused_only(year):
    c, u = year
    records.create(m.Training, c, {"unit": u["丁公司"].id, "category": "以会代训", "participants": 1})
    text = progress.reminder_text(progress.progress(c, as_of=dt.date(2021, 6, 25)))
    assert text == ("截至6月25日，以下2个单位报送材料有误，已退回，请修改后重新报送：乙局、戊学校。\n"
                    "请于6月30日前报送。")


def test_units_off_roster(year):
    c, u = year
    assert [x.name for x in progress.units_off_roster(c)] == ["己单位"]


def test_reminder_workbook(year, tmp_path):
    c, u = year
    units.update_unit(u["丁公司"].id, contact="王五", phone="=1+1")  # text that looks like a formula stays text
    report = progress.progress(c, as_of=dt.date(2021, 7, 1))
    path = progress_export.write_reminder(report, tmp_path / "催报.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["催报清单", "报送进度"]
    ws = wb["催报清单"]
    assert "2021年安全生产月材料催报清单" in ws["A1"].value
    assert ws["A2"].value == progress.reminder_text(report)
    assert [c.value for c in ws[4]] == list(progress_export.REMINDER_HEADERS)
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=5)]
    assert [(r[1], r[3]) for r in rows] == [("乙局", "有误退回"), ("戊学校", "有误退回"), ("丁公司", "逾期")]
    assert rows[0][8] == "培训 第2行 参训人次“很多”:不是数字"
    assert rows[1][8] == "文件是2020年度的填报模板"
    assert (rows[2][4], rows[2][5], ws.cell(row=7, column=6).data_type) == ("王五", "=1+1", "s")
    full = wb["报送进度"]
    assert [r[1] for r in full.iter_rows(min_row=2, values_only=True)] == [x.unit for x in report.units]
    assert next(r for r in full.iter_rows(min_row=2, values_only=True) if r[1] == "甲街道")[4] == "会议部署 1、培训 2、隐患台账 1"


def test_error_list_from_stored_errors(year, tmp_path):
    c, u = year
    receipt = receive(c, u["丁公司"], "丁公司.xlsx", submissions.REFUSED, at(29), message="有 2 处错误", errors=[
        "丁公司.xlsx / 培训 / 第3行 / 参训人次 / 1 / 2 / 不是数字",  # a value holding " / " stays whole
        "丁公司.xlsx / 培训 / — / 培训类别 / — / 缺少必填列",
        "整个文件读不出来"])
    [row] = [r for r in progress.progress(c).units if r.unit == "丁公司"]
    assert row.last_file.id == receipt.id
    rows = progress_export.error_rows(row.last_file)
    assert rows == [("丁公司.xlsx", "培训", "第3行", "参训人次", "1 / 2", "不是数字"),
                    ("丁公司.xlsx", "培训", "", "培训类别", "", "缺少必填列"),
                    ("丁公司.xlsx", "", "", "", "", "整个文件读不出来")]
    path = progress_export.write_error_list([row.last_file], tmp_path / "错误.xlsx")
    ws = load_workbook(path)["导入错误"]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [list(progress_export.ERROR_HEADERS)] + [
        [v or None for v in r] for r in rows]
    # A refused file with no row errors: its message is the one line.
    bare = receive(c, u["丁公司"], "丁公司-2.xlsx", submissions.REFUSED, at(30), message="文件已加密")
    [row] = [r for r in progress.progress(c).units if r.unit == "丁公司"]
    assert row.last_file.id == bare.id
    assert progress_export.error_rows(row.last_file) == [("丁公司-2.xlsx", "", "", "", "", "文件已加密")]
