"""The command line as a user runs it: real subprocesses, Chinese errors, exit status, no tracebacks."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from safetymonth_desktop.services import indicators


def run(*args, env=None, cwd=None):
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "safetymonth_desktop", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=environment, cwd=cwd)


def assert_clean_error(result, *needles):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.fixture
def demo_db(tmp_path):
    path = tmp_path / "x.sqlite"
    result = run("--db", path, "demo", "--year", 2021)
    assert result.returncode == 0, result.stderr
    return path


def test_demo_then_figures_json_prints_the_whole_catalogue(demo_db):
    result = run("--db", demo_db, "figures", "--year", 2021, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == list(indicators.REGISTRY)
    scalars = [k for k in indicators.SCALAR_KEYS if k != "hazards.overdue"]
    assert [k for k in scalars if not data[k]] == []  # nearly every indicator is non-zero
    assert set(data["materials.by_kind"]) <= set(indicators.vocab.MATERIAL_KINDS)
    assert all(set(v) == {"found", "rectified"} for v in data["hazards.by_industry"].values())
    assert isinstance(data["hazards.rate"], float)


def test_figures_table(demo_db):
    result = run("--db", demo_db, "figures", "--year", 2021)
    assert result.returncode == 0
    assert "排查隐患(hazards.found)" in result.stdout and "隐患整改率" in result.stdout
    assert "逾期未整改隐患截至成文日期2021年7月10日统计" in result.stdout  # a past year: the summary's day


def test_figures_count_overdue_hazards_on_the_summarys_date(demo_db):
    """`figures` gives the overdue count the summary prints (as of its 成文日期), not one counted from today."""
    def overdue():
        result = run("--db", demo_db, "figures", "--year", 2021, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["hazards.overdue"]

    with sqlite3.connect(demo_db) as con:
        [cid] = con.execute("SELECT id FROM campaign WHERE year = 2021").fetchone()
        expected = lambda day: con.execute(  # noqa: E731
            "SELECT COUNT(*) FROM hazard WHERE campaign_id = ? AND status != '已整改' AND deadline < ?",
            (cid, day)).fetchone()[0]
        on_summary_day, much_later = expected("2021-07-10"), expected("2022-12-31")
    assert on_summary_day < much_later  # the demo has hazards due after 7月10日: the day matters
    assert overdue() == on_summary_day
    assert run("--db", demo_db, "campaign", "--year", 2021, "--report-date", "2022-12-31").returncode == 0
    assert overdue() == much_later


def test_missing_year(demo_db):
    assert_clean_error(run("--db", demo_db, "figures", "--year", 2019), "没有 2019 年度")


@pytest.mark.parametrize("args, needle", [
    (["campaign", "--year", "abc"], "不是有效的年份"),
    (["campaign", "--year", "1990"], "2002—2099"),
    (["campaign", "--year", "2021", "--consult-day", "六月十六"], "咨询日:无法识别的日期"),
    (["campaign", "--year", "2021", "--ordinal", "-1"], "第几个安全生产月:不能为负数"),
    (["figures"], "缺少必需的参数"),
])
def test_bad_campaign_values_change_nothing(tmp_path, args, needle):
    path = tmp_path / "c.sqlite"
    assert run("--db", path, "campaign", "--year", 2021, "--region", "某某区").returncode == 0
    before = path.read_bytes() if path.exists() else None
    assert_clean_error(run("--db", path, *args), needle)
    con = sqlite3.connect(path)
    assert con.execute("SELECT year, region, ordinal FROM campaign").fetchall() == [(2021, "某某区", 20)]
    con.close()
    del before


def test_campaign_creates_then_updates(tmp_path):
    path = tmp_path / "c.sqlite"
    result = run("--db", path, "campaign", "--year", 2021)
    assert result.returncode == 0 and "已新建" in result.stdout and "第20个" in result.stdout
    result = run("--db", path, "campaign", "--year", 2021, "--region", "城南区", "--theme", "自定主题")
    assert "已更新" in result.stdout and "自定主题" in result.stdout
    result = run("--db", path, "campaign", "--year", 2030)
    assert "内置主题表中没有 2030" in result.stdout


@pytest.mark.parametrize("content, needle", [
    (b"not a database at all" * 20, "不是本软件的数据库文件"),
    (b"SQLite format 3\x00" + b"\xff" * 4000, "已损坏"),
])
def test_bad_database_files(tmp_path, content, needle):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    for args in (["figures", "--year", "2021"], ["check"], ["demo"], ["backup"]):
        assert_clean_error(run("--db", path, *args), needle)
    assert path.read_bytes() == content


def test_check_and_backup(demo_db, tmp_path):
    result = run("--db", demo_db, "check")
    assert result.returncode == 0 and "数据库正常" in result.stdout
    target = tmp_path / "copy.sqlite"
    result = run("--db", demo_db, "backup", "-o", target)
    assert result.returncode == 0, result.stderr
    assert run("--db", target, "figures", "--year", 2021, "--json").stdout == \
        run("--db", demo_db, "figures", "--year", 2021, "--json").stdout
    result = run("--db", demo_db, "backup")
    assert result.returncode == 0 and "backups" in result.stdout
    assert_clean_error(run("--db", tmp_path / "missing.sqlite", "check"), "不存在")


def test_default_database_lives_in_the_user_data_folder(tmp_path):
    home = tmp_path / "home"
    result = run("campaign", "--year", 2021, env={"SAFETYMONTH_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert (home / "safetymonth.sqlite").exists()


def test_unexpected_error_is_logged_not_shown(tmp_path, monkeypatch, capsys):
    from safetymonth_desktop import cli
    from safetymonth_desktop.commands import figures

    monkeypatch.setenv("SAFETYMONTH_HOME", str(tmp_path / "home"))

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(figures, "run", broken)
    assert cli.main(["--db", str(tmp_path / "x.sqlite"), "figures", "--year", "2021"]) == 3
    err = capsys.readouterr().err
    assert "程序内部错误" in err and "Traceback" not in err
    # The crash log lies beside the database in use (x.sqlite → x.errors.log), not in the data folder.
    assert "ZeroDivisionError" in (tmp_path / "x.errors.log").read_text(encoding="utf-8")
    assert str(tmp_path / "x.errors.log") in err
    assert not (tmp_path / "home" / "errors.log").exists()


@pytest.mark.parametrize("args", [
    ("figures", "--year", 2021),
    ("report", "--year", 2021, "-o", "{out}/总结.docx"),
    ("stats", "--year", 2021, "-o", "{out}/统计.xlsx"),
    ("template", "--year", 2021, "-o", "{out}/模板.xlsx"),
    ("check",),
    ("backup",),
    ("backup", "--keep", 5),
])
def test_reading_commands_refuse_a_missing_database_and_create_nothing(tmp_path, args):
    """A mistyped --db must not become a new, empty database (and its folder) that then has "no such year"."""
    typo = tmp_path / "typo" / "x.sqlite"
    out = tmp_path / "out"
    out.mkdir()
    args = [str(a).format(out=out) for a in args]
    result = run("--db", typo, *args, env={"SAFETYMONTH_HOME": str(tmp_path / "home")})
    assert result.returncode == 1
    assert_clean_error(result, f"数据库文件“{typo}”不存在")
    assert not typo.exists() and not typo.parent.exists()
    assert list(out.iterdir()) == []


def test_campaign_creates_a_new_database_in_a_new_folder(tmp_path):
    path = tmp_path / "new" / "x.sqlite"
    result = run("--db", path, "campaign", "--year", 2022, "--region", "测试区",
                 env={"SAFETYMONTH_HOME": str(tmp_path / "home")})
    assert result.returncode == 0, result.stderr
    assert path.exists()
