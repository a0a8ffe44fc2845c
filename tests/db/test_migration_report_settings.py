"""Schema step 5: a version-4 file gets 成文日期 (blank), 主送机关 and 落款机关 (empty) and 层级 from its region's name,
with the schema a new file has (tests/db/test_schema_indexes_perf.py compares the whole schema)."""

import shutil
import sqlite3
from pathlib import Path

from safetymonth_desktop.db import integrity, migrations
from safetymonth_desktop.db.connection import close_database, open_database
from safetymonth_desktop.services import campaigns, report_settings

V4 = Path(__file__).resolve().parents[1] / "fixtures" / "schema_v4.sqlite"


def upgraded(tmp_path, region_by_year=None) -> Path:
    path = tmp_path / "v4.sqlite"
    shutil.copyfile(V4, path)
    if region_by_year:
        con = sqlite3.connect(path)
        with con:
            for year, region in region_by_year.items():
                con.execute("UPDATE campaign SET region = ? WHERE year = ?", (region, year))
        con.close()
    open_database(path, lock=True, auto_backup=True)
    return path


def test_version_4_gets_the_report_settings_with_level_from_the_region(tmp_path):
    upgraded(tmp_path, {2021: "江州市", 2022: "城南区"})
    try:
        c21, c22 = campaigns.get(2021), campaigns.get(2022)
        assert (c21.level, c22.level) == ("市", "区县")
        assert c21.report_date is None and c21.recipient == "" and c21.signer == ""
        assert report_settings.signer(c22) == "城南区政府安委会"  # region + organizer, the 区 not doubled
    finally:
        close_database()
    con = integrity.ro_connect(tmp_path / "v4.sqlite")
    assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.latest_version() >= 5
    columns = [r[1] for r in con.execute('PRAGMA table_info("campaign")')]
    assert columns[columns.index("deadline") + 1:columns.index("deadline") + 5] == [
        "report_date", "recipient", "signer", "level"]
    con.close()


def test_a_province_and_the_settings_can_be_saved_after_the_upgrade(tmp_path):
    upgraded(tmp_path, {2021: "某某省 "})
    try:
        assert campaigns.get(2021).level == "省"
        campaign, _ = campaigns.save(2021, recipient="市安委办", level="市", report_date="2021-07-12")
        assert (campaign.recipient, campaign.level, str(campaign.report_date)) == ("市安委办", "市", "2021-07-12")
    finally:
        close_database()
