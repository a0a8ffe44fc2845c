"""A 上报数据包 is a whole region's year: recognised by its stamp, it is held to the bounds of a package
(xlsx_limits.package_limits, xlsx_safety.check_workbook(package=True)) rather than those of a unit's workbook. A
package with more rows in one sheet than any workbook may have (xlsx_limits.MAX_ROWS) imports; the same file
checked as an ordinary workbook is refused before calamine reads it; a year whose sheet would not fit in one
Excel sheet is not written as a package at all."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import xlsx_limits

YEAR = 2024


def run(*args, home):
    environment = {**os.environ, "SAFETYMONTH_HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "safetymonth_desktop", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=environment)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _district_with_documents(path, rows: int):
    """A district year holding `rows` 印发文件 (the narrowest record sheet), inserted in bulk."""
    from safetymonth_desktop.db.connection import database, open_database
    from safetymonth_desktop.services import campaigns, units

    open_database(path)
    campaign, _ = campaigns.save(YEAR, region="大河区", organizer="区政府安委会", level="区县")
    unit = units.create_unit("区应急管理局", kind="区级部门", campaign=campaign)
    day = dt.date(YEAR, 6, 1).isoformat()
    with database.atomic():
        database.cursor().executemany(
            'INSERT INTO "document" (campaign_id, unit_id, doc_no, title, date, issuer, notes) '
            "VALUES (?, ?, '', ?, ?, '', '')", ((campaign.id, unit.id, f"文件{i}", day) for i in range(rows)))
    return campaign


@pytest.mark.slow
@pytest.mark.timeout(1800)  # writes and imports 300 300 rows: about a minute on a quiet machine
def test_a_package_above_the_workbook_row_bound_imports(tmp_path):
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.db.models import Document, SubRegionPackage
    from safetymonth_desktop.exchange import package_write
    from safetymonth_desktop.services import campaigns, region_figures, rollup

    rows = xlsx_limits.MAX_ROWS + 300
    package = tmp_path / "大河区上报数据包.xlsx"
    campaign = _district_with_documents(tmp_path / "district.sqlite", rows)
    try:
        package_write.write_package(campaign, package)
        expected = region_figures.exact(campaign, today=campaign.report_date or dt.date.today())
    finally:
        close_database()

    # as an ordinary workbook the sheet is over the row bound, refused by the scan before calamine reads it
    with pytest.raises(AppError) as refused:
        xlsx_limits.check(package)
    assert f"超出上限 {xlsx_limits.MAX_ROWS} 行" in refused.value.message and "印发文件" in refused.value.message

    home = tmp_path / "home"
    city = tmp_path / "city.sqlite"
    assert run("--db", city, "campaign", "--year", YEAR, "--region", "大江市", "--organizer", "市政府安委会",
               "--level", "市", home=home).returncode == 0
    done = run("--db", city, "import", "--year", YEAR, package, home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"印发文件 {rows} 行" in done.stdout

    open_database(city)
    try:
        assert Document.select().count() == rows
        year = campaigns.get(YEAR)
        root = rollup.sub_region("大河区")
        assert SubRegionPackage.get(SubRegionPackage.unit == root.id).digest
        assert region_figures.differences(expected, region_figures.exact(
            year, today=campaign.report_date or dt.date.today(), scope=root.id)) == []
    finally:
        close_database()


def test_package_bounds_are_larger_but_still_bounds(tmp_path):
    workbook, package = xlsx_limits.workbook_limits(), xlsx_limits.package_limits()
    assert package.rows == xlsx_limits.EXCEL_MAX_ROWS - 1 > workbook.rows
    assert workbook.read_bytes < package.read_bytes < 8 * 1024 ** 3
    # a sheet longer than Excel's is no package this software wrote: refused with the package's wording
    with pytest.raises(AppError) as refused:
        xlsx_limits.check_rows("某区上报数据包.xlsx", "隐患台账", xlsx_limits.EXCEL_MAX_ROWS + 1, package)
    assert "上报数据包" in refused.value.message and "1048576" in refused.value.message


def test_a_year_too_large_for_one_sheet_is_not_written_as_a_package(tmp_path, monkeypatch):
    from safetymonth_desktop.db.connection import close_database
    from safetymonth_desktop.exchange import package_write

    campaign = _district_with_documents(tmp_path / "district.sqlite", 30)
    monkeypatch.setattr(xlsx_limits, "PACKAGE_MAX_ROWS", 20)  # Excel's 1 048 575 rows, within reach of a test
    try:
        with pytest.raises(AppError) as refused:
            package_write.write_package(campaign, tmp_path / "p.xlsx")
    finally:
        close_database()
    assert "印发文件 30 条" in refused.value.message and "统计表" in refused.value.message
    assert not (tmp_path / "p.xlsx").exists()
