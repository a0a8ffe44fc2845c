"""template / import / stats as a clerk runs them: real subprocesses, exit codes, Chinese stderr, no tracebacks."""

import json
import sqlite3

import openpyxl
import pytest

from tests.cli.test_cli import assert_clean_error, run
from tests.exchange.test_xlsx_import import write_book


@pytest.fixture
def dbfile(tmp_path):
    path = tmp_path / "c.sqlite"
    assert run("--db", path, "campaign", "--year", 2021, "--region", "城南区").returncode == 0
    return path


def figures(path):
    result = run("--db", path, "figures", "--year", 2021, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_template_fill_import_reimport(dbfile, tmp_path):
    template = tmp_path / "城关街道.xlsx"
    result = run("--db", dbfile, "template", "--year", 2021, "--unit", "城关街道", "-o", template)
    assert result.returncode == 0, result.stderr
    assert "提示" in result.stdout and "--create-units" in result.stdout
    wb = openpyxl.load_workbook(template)
    ws = wb["隐患台账"]
    ws["B2"], ws["C2"], ws["D2"], ws["F2"], ws["L2"], ws["M2"] = "某厂", "燃气", "2021年6月3日", "阀门锈蚀", "已整改", "2021/6/9"
    ws["B3"], ws["C3"], ws["D3"], ws["F3"] = "某店", "消防/人员密集场所", 44352, "通道堵塞"
    wb.save(template)
    result = run("--db", dbfile, "import", "--year", 2021, template)
    assert_clean_error(result, "城关街道", "不在单位名录中", "第2行", "填报单位")
    result = run("--db", dbfile, "import", "--year", 2021, "--create-units", template)
    assert result.returncode == 0, result.stderr
    assert "已导入 城关街道.xlsx:隐患台账 2 行" in result.stdout
    assert figures(dbfile)["hazards.rate"] == 50.0
    result = run("--db", dbfile, "import", "--year", 2021, template)
    assert result.returncode == 0 and "未变化" in result.stdout
    ws["F3"] = "通道堵塞(已复查)"
    wb.save(template)
    assert_clean_error(run("--db", dbfile, "import", "--year", 2021, template), "--replace")
    result = run("--db", dbfile, "import", "--year", 2021, "--replace", template)
    assert result.returncode == 0 and "已替换以前导入的 2 行" in result.stdout
    con = sqlite3.connect(dbfile)
    assert con.execute("SELECT count(*) FROM hazard").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM import_batch").fetchone()[0] == 1
    con.close()


def test_bad_file_lists_every_error_and_writes_nothing(dbfile, tmp_path):
    bad = write_book(tmp_path / "bad.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["城关街道", "安全培训", "很多"]]})
    good = write_book(tmp_path / "good.xlsx", {"宣传品": [["填报单位", "类别", "数量"], ["城关街道", "展板", "60"]]})
    result = run("--db", dbfile, "import", "--year", 2021, "--create-units", bad, good)
    assert_clean_error(result, "文件 / 工作表 / 行 / 列 / 值 / 原因",
                       "bad.xlsx / 培训 / 第2行 / 培训类别 / 安全培训 / 不在可选项中",
                       "bad.xlsx / 培训 / 第2行 / 参训人次 / 很多 / 不是数字", "1 个文件未导入")
    assert result.returncode == 1
    assert "已导入 good.xlsx:宣传品 1 行" in result.stdout
    data = figures(dbfile)
    assert data["training.participants"] == 0 and data["materials.total"] == 60


@pytest.mark.parametrize("content, needle", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "设置了打开密码"),
    (b"hello", "不是 Excel 工作簿"),
])
def test_unreadable_files(dbfile, tmp_path, content, needle):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert_clean_error(run("--db", dbfile, "import", "--year", 2021, path), needle)
    assert_clean_error(run("--db", dbfile, "stats", "--year", 2021, "--form", path, "-o", tmp_path / "o.xlsx"), needle)


def test_errors_for_missing_year_and_files(dbfile, tmp_path):
    assert_clean_error(run("--db", dbfile, "template", "--year", 2030, "-o", tmp_path / "t.xlsx"), "没有 2030 年度")
    assert_clean_error(run("--db", dbfile, "import", "--year", 2030, tmp_path / "t.xlsx"), "没有 2030 年度")
    assert_clean_error(run("--db", dbfile, "import", "--year", 2021, tmp_path / "missing.xlsx"), "不存在")
    assert_clean_error(run("--db", dbfile, "template", "--year", 2021, "-o", tmp_path / "t.xls"), ".xlsx 结尾")
    assert_clean_error(run("--db", dbfile, "stats", "--year", 2021, "-o", tmp_path / "nofolder" / "s.xlsx"), "不存在")


def test_stats_round_trip_and_form(tmp_path):
    source = tmp_path / "demo.sqlite"
    assert run("--db", source, "demo", "--year", 2021).returncode == 0
    out = tmp_path / "统计.xlsx"
    result = run("--db", source, "stats", "--year", 2021, "-o", out)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "fresh.sqlite"
    assert run("--db", target, "campaign", "--year", 2021).returncode == 0
    result = run("--db", target, "import", "--year", 2021, "--create-units", out)
    assert result.returncode == 0, result.stderr
    assert figures(target) == figures(source)
    form = tmp_path / "表样.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"], wb.active["B2"] = "隐患", "{{ hazards.found }}", "{{ nope }}"
    wb.save(form)
    assert_clean_error(run("--db", source, "stats", "--year", 2021, "--form", form, "-o", tmp_path / "f.xlsx"),
                       "单元格 B2", "nope")
    assert not (tmp_path / "f.xlsx").exists()
    wb.active["B2"] = None
    wb.save(form)
    result = run("--db", source, "stats", "--year", 2021, "--form", form, "-o", tmp_path / "f.xlsx")
    assert result.returncode == 0 and "已填写 1 个单元格" in result.stdout
    assert openpyxl.load_workbook(tmp_path / "f.xlsx").active["B1"].value == figures(source)["hazards.found"]
