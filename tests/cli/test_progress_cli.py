"""`safetymonth progress` as a clerk runs it: a real subprocess over a database with files received and refused."""

import datetime as dt
import json

import pytest

from tests.cli.test_cli import assert_clean_error, run


@pytest.fixture
def progress_db(db_path):
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.services import campaigns, records, submissions, units

    open_database(db_path)
    c = campaigns.save(2021, region="测试区", deadline=dt.date(2021, 6, 30))[0]
    a = units.create_unit("城关街道", kind="街道/乡镇", campaign=c)
    b = units.create_unit("区教育局", kind="区级部门", campaign=c)
    units.create_unit("红星公司", kind="企业", campaign=c)
    for n in (1, 2):
        records.create(m.Training, c, {"unit": a.id, "category": "以会代训", "participants": 10 * n})
    records.create(m.Media, c, {"unit": a.id, "channel": "微信", "items": 3})
    submissions.record_receipt(c, unit_id=a.id, file_name="城关街道.xlsx", sha256="a", rows={"培训": 2, "媒体宣传": 1},
                               outcome=submissions.IMPORTED, when=dt.datetime(2021, 6, 20, 10, 15))
    submissions.record_receipt(c, unit_id=b.id, file_name="区教育局.xlsx", sha256="b", rows={"培训": 1},
                               outcome=submissions.REFUSED, message="有 1 处错误",
                               errors=["区教育局.xlsx / 培训 / 第2行 / 参训人次 / 很多 / 不是数字"],
                               when=dt.datetime(2021, 6, 22, 9, 0))
    submissions.record_receipt(c, unit_id=None, file_name="未知.xlsx", sha256="u", rows={},
                               outcome=submissions.REFUSED, when=dt.datetime(2021, 6, 23, 9, 0))
    close_database()
    return db_path


def test_text_one_line_per_roster_unit(progress_db):
    result = run("--db", progress_db, "progress", "--year", 2021, "--as-of", "2021-6-25")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "2021年6月25日" in lines[0] and "报送截止日期 2021年6月30日" in lines[0]
    assert lines[1].startswith("名单 3 个单位:未报送 1,已报送 1,有误退回 1,逾期 0。")
    unit_lines = {line.split()[0]: line for line in lines[2:5]}
    assert set(unit_lines) == {"城关街道", "区教育局", "红星公司"}
    assert "已报送" in unit_lines["城关街道"] and "城关街道.xlsx(2021-06-20 10:15,已导入)" in unit_lines["城关街道"]
    assert "培训 2、媒体宣传 1" in unit_lines["城关街道"]
    assert "有误退回" in unit_lines["区教育局"] and "退回(有误)" in unit_lines["区教育局"]
    assert "未报送" in unit_lines["红星公司"] and "未收到文件" in unit_lines["红星公司"]
    assert "另有 1 个文件未能对应到名单中的单位" in result.stdout and "未知.xlsx" in result.stdout


def test_json_keys_and_the_deadline(progress_db):
    result = run("--db", progress_db, "progress", "--year", 2021, "--json", "--as-of", "2021-7-1")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 3
    assert all({"unit", "status", "files", "rows"} <= set(row) for row in data)
    by_unit = {row["unit"]: row for row in data}
    assert by_unit["城关街道"]["status"] == "已报送" and by_unit["城关街道"]["rows"] == {"培训": 2, "媒体宣传": 1}
    assert by_unit["区教育局"]["status"] == "有误退回"
    assert by_unit["区教育局"]["files"][0]["errors"] == ["区教育局.xlsx / 培训 / 第2行 / 参训人次 / 很多 / 不是数字"]
    assert by_unit["红星公司"]["status"] == "逾期" and by_unit["红星公司"]["files"] == []
    figures = json.loads(run("--db", progress_db, "figures", "--year", 2021, "--json").stdout)
    assert figures["units.total"] == len(data)
    assert figures["units.reported"] == sum(1 for row in data if row["rows"])


def test_bad_as_of_and_missing_year(progress_db):
    assert_clean_error(run("--db", progress_db, "progress", "--year", 2021, "--as-of", "六月"), "--as-of", "不是日期")
    assert_clean_error(run("--db", progress_db, "progress", "--year", 2019), "没有 2019 年度")


def test_reads_without_creating_a_database(tmp_path):
    missing = tmp_path / "不存在.sqlite"
    result = run("--db", missing, "progress", "--year", 2021)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert not missing.exists()
