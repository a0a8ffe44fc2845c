"""导出 → 生成上报数据包 and the import of a sub-region's package through 导入单位填报表 (preview, confirmation before a
newer package replaces the region's records, one Undo takes it back)."""

from __future__ import annotations

import os
import subprocess
import sys

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, history, indicators
from safetymonth_desktop.ui.actions import excel, package


def district_package(tmp_path, name: str, *, extra_meeting: bool = False):
    """A district's package written by the command line from its own database (demo 2021, region 城南区)."""
    db = tmp_path / f"{name}.sqlite"
    env = {**os.environ, "SAFETYMONTH_HOME": str(tmp_path / "home")}
    cli = [sys.executable, "-m", "safetymonth_desktop", "--db", str(db)]
    if not db.exists():
        subprocess.run([*cli, "demo", "--year", "2021"], check=True, capture_output=True, env=env)
    if extra_meeting:
        code = ("from safetymonth_desktop.db.connection import open_database, close_database\n"
                "from safetymonth_desktop.db import models as m\n"
                "from safetymonth_desktop.services import campaigns, records\n"
                f"open_database(r'{db}')\n"
                "records.create(m.Meeting, campaigns.get(2021), {'kind': '调度会', 'title': '第二次调度会'})\n"
                "close_database()\n")
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env)
    out = tmp_path / f"{name}.xlsx"
    subprocess.run([*cli, "submit", "--year", "2021", "-o", str(out)], check=True, capture_output=True, env=env)
    return out


def test_the_gui_writes_the_package_of_the_year_on_screen(demo, make_window, fake_prompts, tmp_path):
    from safetymonth_desktop.exchange import package_read

    window = make_window()
    target = tmp_path / "城南区上报数据包.xlsx"
    package.write_package(window, target)
    assert package_read.is_package(target)
    read = package_read.read_package(target)
    assert read.region == "城南区" and read.year == 2021 and read.digest == read.stamp["digest"]
    assert read.total == sum(len(rows) for rows in read.rows.values()) > 100
    [(kind, text, *_rest)] = fake_prompts.calls
    assert kind == "buttons" and "已生成 2021 年度上报数据包" in text


def test_the_gui_refuses_to_write_the_package_among_the_databases_backups(demo, make_window, fake_prompts, db_path):
    from safetymonth_desktop.db.backup import backup_dir

    window = make_window()
    target = backup_dir(db_path) / "上报数据包.xlsx"
    package.write_package(window, target)
    assert not target.exists()
    [(kind, text, *_rest)] = fake_prompts.calls
    assert kind == "error" and "备份文件夹" in text, text


def test_a_city_imports_a_package_and_a_newer_one_after_confirmation(db, make_window, fake_prompts, tmp_path):
    first = district_package(tmp_path, "城南区")
    campaigns.save(2021, region="江北市", organizer="市政府安委会")
    window = make_window()
    flow = excel.import_workbooks(window, [first])
    flow.dialog.import_button.click()
    city = campaigns.get(2021)
    assert indicators.compute("org.meetings", city) > 0
    meetings = indicators.compute("org.meetings", city)
    [region] = m.Unit.select().where(m.Unit.kind == "下级地区")
    assert region.name == "城南区" and indicators.compute("units.reported", city) == 1

    newer = district_package(tmp_path, "城南区", extra_meeting=True)
    flow = excel.import_workbooks(window, [newer])
    fake_prompts.confirm_answers.append(False)  # not now: nothing changes
    flow.dialog.import_button.click()
    assert indicators.compute("org.meetings", city) == meetings
    flow = excel.import_workbooks(window, [newer])
    fake_prompts.confirm_answers.append(True)
    flow.dialog.import_button.click()
    assert indicators.compute("org.meetings", city) == meetings + 1
    assert [r.replaced for r in flow.results] and flow.results[0].replaced > 0
    history.revert_group(history.last_group())
    assert indicators.compute("org.meetings", city) == meetings
