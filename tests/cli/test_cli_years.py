"""`--year` on the command line: full-width digits work, look-alikes are refused with the usual message,
and a huge value is never echoed in full."""

import pytest

from tests.cli.test_cli import assert_clean_error, run


@pytest.mark.parametrize("year", ["2_021", "٢٠٢١", "1e308", "2021.0", "9" * 400])
def test_look_alike_years_are_refused_before_the_database_is_touched(tmp_path, year):
    path = tmp_path / "x.sqlite"
    for command in (["campaign"], ["figures"], ["demo"], ["import", "a.xlsx"]):
        result = run("--db", path, *command[:1], "--year", year, *command[1:])
        assert result.returncode == 1
        assert_clean_error(result, "不是有效的年份,请写成四位数字,如 2021")
        assert len(result.stderr) < 120, result.stderr  # 1e308 once came back as 309 digits
    assert list(tmp_path.iterdir()) == []


def test_full_width_digits_are_a_year(tmp_path):
    path = tmp_path / "x.sqlite"
    result = run("--db", path, "campaign", "--year", "２０２１", "--region", "某某区")
    assert result.returncode == 0, result.stderr
    assert "已新建 2021 年度" in result.stdout
    assert run("--db", path, "figures", "--year", " 2021 ").returncode == 0


def test_campaign_report_settings_options(tmp_path):
    path = tmp_path / "x.sqlite"
    result = run("--db", path, "campaign", "--year", "2021", "--region", "江州市", "--organizer", "市安委会")
    assert result.returncode == 0, result.stderr
    assert "落款 江州市安委会,层级 市" in result.stdout
    result = run("--db", path, "campaign", "--year", "2021", "--report-date", "2021-07-08", "--recipient", "省安委办",
                 "--signer", "江州市安全生产委员会", "--level", "区县")
    assert result.returncode == 0, result.stderr
    assert "成文日期 2021年7月8日,主送 省安委办,落款 江州市安全生产委员会,层级 区县" in result.stdout
    result = run("--db", path, "campaign", "--year", "2021", "--level", "乡")
    assert result.returncode == 1 and "层级" in result.stderr
