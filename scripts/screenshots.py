"""Render every tab of the main window, and the main dialogs, with demo data offscreen to PNG files.

    python scripts/screenshots.py OUTDIR [--year 2021] [--db FILE] [--screen 1366x768]
    QT_SCALE_FACTOR=1.5 python scripts/screenshots.py OUTDIR --screen 1920x1080   # a laptop at 150 %

Without --db a demo database is created in a temporary folder. Used for the README's screenshot and
for looking at the screens (a CJK font such as fonts-wqy-microhei must be installed, or Chinese shows
as boxes). Nothing of the clerk's own settings is touched: QSettings point into the temporary folder.
The offscreen screen is --screen pixels (with QT_SCALE_FACTOR=1.5 in the environment, 1920x1080 gives the
1280×720 logical pixels of a laptop at 150 %), so the window opens as it would there.
The status bar, which shows the database's path, shows where the database lives on a clerk's Windows PC
(DISPLAYED_PATH), not the temporary folder of the run. Besides the tabs and dialogs: the overview of a new,
empty year (the first-day steps), the toolbar, and Qt's own file dialog in Chinese.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# What the status bar shows in the pictures: the default database of a clerk's Windows PC.
DISPLAYED_PATH = r"C:\Users\办事员\AppData\Local\safetymonth\safetymonth.sqlite"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of the GUI with demo data")
    parser.add_argument("outdir")
    parser.add_argument("--year", type=int, default=2021)
    parser.add_argument("--db", help="an existing database instead of a fresh demo")
    parser.add_argument("--screen", default="1366x768", help="the offscreen screen's size in pixels, e.g. 1920x1080")
    args = parser.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="safetymonth-shots-"))
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        import json

        width, height = (int(n) for n in args.screen.lower().split("x"))
        config = work / "screen.json"
        config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
            {"name": "screen", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96,
             "logicalBaseDpi": 96, "dpr": 1}]}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.services.demo import create_demo
    from safetymonth_desktop.ui import app as gui_app, tasks

    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(work / "settings"))
    qapp = gui_app.make_app()
    tasks.use(tasks.InlineRunner())
    db_path = Path(args.db) if args.db else work / "safetymonth.sqlite"
    open_database(db_path)
    if not args.db:
        create_demo(args.year - 1)  # a previous year, so the overview shows 同比 changes
        create_demo(args.year)

    from safetymonth_desktop.ui.main_window import MainWindow

    window = MainWindow(db_path)
    if not args.db:
        window.db_label.setText(DISPLAYED_PATH)
    window.set_year(args.year)
    window.show()
    qapp.processEvents()
    shots = []

    def save(widget, name):
        qapp.processEvents()
        path = out / f"{len(shots) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        shots.append(path)

    window.tabs.setCurrentIndex(0)  # 概览
    save(window, "概览")
    fitted = window.size()  # as it opens on this screen
    window.resize(1366, 1000)  # the whole overview page at once, for the guide
    save(window, "概览-全页")
    window.resize(fitted)
    save(window.daily_bar, "toolbar")
    first_day(window, save, fitted)
    file_dialog(work, save)

    for i, tab in enumerate(window.record_tabs):
        window.tabs.setCurrentWidget(tab)
        for table in tab.tables:
            if tab.inner is not None:
                tab.inner.setCurrentWidget(table)
            save(window, f"{tab.spec.title}-{table.page.label}")

    progress_page(window, save)

    # The dialogs, each on top of the tab it belongs to.
    table = window.show_records(m.Hazard)
    form = table.add()
    save(form, "form-new-hazard")
    form.form.editors["participants" if "participants" in form.form.editors else "enterprise"].widget.setText("某某公司")
    form.save()
    save(form, "form-hazard-errors")
    form.discard()
    form = table.add()  # dates as typed: understood, month and day in the campaign's year, and one that cannot be
    for name, text in (("found_date", "20210605"), ("deadline", "6月16日"), ("rectified_date", "2021-13-1")):
        form.form.editors[name].widget.edit.setText(text)
    save(form, "form-hazard-dates")
    form.discard()
    table = window.show_records(m.Event)
    table.view.selectRow(0)
    form = table.edit()
    save(form, "form-edit-event")
    form.discard()
    dialog = window.campaign_settings()
    save(dialog, "campaign-settings")
    dialog.pages.setCurrentIndex(1)
    save(dialog, "campaign-notes")
    dialog.discard()
    dialog = window.new_year()
    save(dialog, "new-year")
    dialog.discard()
    dialog = window.manage_units()
    save(dialog, "units")
    dialog.reject()

    menu_dialogs(window, work, save)

    window.close()
    close_database()
    for path in shots:
        print(path)
    return 0


def progress_page(window, save) -> None:
    """报送进度 at 1366×768 with a deadline, templates issued to every roster unit, files received (imported, one
    refused from a unit that had reported, one refused from a unit that has not, one of an unknown unit) and three
    roster units that sent nothing; then the 有误退回 filter and a refused file's 导入记录."""
    import datetime as dt

    from safetymonth_desktop.services import campaigns, roster, submissions, units

    campaign = window.campaign
    year = campaign.year
    campaigns.save(year, deadline=dt.date(year, 6, 30))
    for name, kind in (("和平社区", "其他"), ("区卫生健康局", "区级部门"), ("红星化工有限公司", "企业")):
        units.create_unit(name, kind=kind, campaign=campaign)
    listed = roster.units(campaign)
    for number, unit in enumerate(listed):
        submissions.record_issue(campaign, unit.id, f"D:/安全生产月/{year}/模板/{year}年安全生产月填报模板-{unit.name}.xlsx",
                                 when=dt.datetime(year, 5, 28, 9, 30 + number % 20))
    by_name = {u.name: u for u in listed}
    day = lambda d, h, mi: dt.datetime(year, 6, d, h, mi)  # noqa: E731
    for name, rows, when in (("城关街道", {"培训": 1, "宣传品": 3, "宣传活动": 1, "隐患台账": 9}, day(20, 10, 15)),
                             ("南苑街道", {"培训": 1, "宣传品": 3, "宣传活动": 2, "隐患台账": 9}, day(22, 16, 2)),
                             ("区应急管理局", {"培训": 3, "宣传品": 3, "媒体宣传": 3}, day(24, 11, 40))):
        submissions.record_receipt(campaign, unit_id=by_name[name].id, file_name=f"{name}.xlsx", sha256=name,
                                   rows=rows, outcome=submissions.IMPORTED, stamped=True, when=when)
    errors = ["东湖街道-第二版.xlsx / 培训 / 第2行 / 培训类别 / 培训? / 不在可选范围内,可选:特种作业人员培训、以会代训等",
              "东湖街道-第二版.xlsx / 培训 / 第2行 / 期(场)数 / 两期 / 不是数字",
              "东湖街道-第二版.xlsx / 培训 / 第3行 / 参训人次 / 很多 / 不是数字"]
    submissions.record_receipt(campaign, unit_id=by_name["东湖街道"].id, file_name="东湖街道-第二版.xlsx", sha256="d2",
                               rows={"培训": 2}, outcome=submissions.REFUSED, message="有 3 处错误,整份文件未导入",
                               errors=errors, stamped=True, when=day(25, 9, 5))
    submissions.record_receipt(campaign, unit_id=by_name["和平社区"].id, file_name="和平社区.xlsx", sha256="x1",
                               rows={"培训": 1}, outcome=submissions.REFUSED, message="文件是2020年度的填报模板",
                               when=day(26, 14, 30))
    submissions.record_receipt(campaign, unit_id=None, file_name="新建 Microsoft Excel 工作表.xlsx", sha256="u1",
                               rows={}, outcome=submissions.REFUSED, message="没有找到可导入的工作表",
                               when=day(27, 8, 50))
    window.refresh()
    fitted = window.size()
    window.resize(1366, 768)
    window.tabs.setCurrentWidget(window.progress)
    save(window, "报送进度")
    window.progress.set_filter("有误退回")
    save(window, "报送进度-有误退回")
    window.progress.select_unit(by_name["东湖街道"].id)
    dialog = window.progress.show_history()
    save(dialog, "报送进度-导入记录")
    dialog.reject()
    window.progress.set_filter("全部")
    window.resize(fitted)


def first_day(window, save, size) -> None:
    """The overview of a new year with nothing in it yet: the five steps with their buttons."""
    from safetymonth_desktop.services import campaigns

    year = max(campaigns.list_years()) + 1
    campaigns.save(year)
    window.reload_years(year)
    window.tabs.setCurrentWidget(window.overview)
    save(window, "概览-新年度")
    campaigns.delete(year)  # the other pictures show the demo year
    window.reload_years(year - 1)
    window.resize(size)


def file_dialog(work: Path, save) -> None:
    """Qt's own save dialog (where the desktop has none) with our translation, at 900×520, detail view."""
    import time

    from PySide6.QtWidgets import QApplication, QTreeView

    from safetymonth_desktop.ui import prompts

    folder = work / "文档"
    folder.mkdir(exist_ok=True)
    (folder / "上报材料").mkdir(exist_ok=True)
    (folder / "2021年安全生产月统计表和台账.xlsx").write_bytes(b"x" * 52_000)
    (folder / "城南区2021年安全生产月活动总结.docx").write_bytes(b"x" * 38_000)
    dialog = prompts.file_dialog(None, "导出统计表和台账", str(folder / "2022年安全生产月统计表和台账.xlsx"),
                                 "Excel 工作簿 (*.xlsx);;所有文件 (*)", mode="save", native=False)
    dialog.setViewMode(dialog.ViewMode.Detail)
    dialog.resize(900, 520)
    dialog.show()
    view = dialog.findChild(QTreeView, "treeView")
    for _ in range(40):  # the folder is read in a thread
        QApplication.processEvents()
        if view.model().rowCount(view.rootIndex()) >= 3:
            break
        time.sleep(0.05)
    save(dialog, "file-dialog")
    dialog.reject()


def menu_dialogs(window, work: Path, save) -> None:
    """The dialogs of the 导入 / 备份 / 帮助 menus: an import preview with a good and a bad workbook, 备份与恢复,
    a record's 修改记录, 已删除的记录 and 关于."""
    import datetime as dt

    from openpyxl import load_workbook

    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.exchange import xlsx_template
    from safetymonth_desktop.services import history, records, safety
    from safetymonth_desktop.ui.actions import data_safety, excel, help

    books = []
    for name, unit, rows in (
            ("城关街道.xlsx", "城关街道", [("以会代训", "班组安全例会", 2, 120), ("特种作业人员培训", "电工取证培训", 1, 45)]),
            ("东湖街道-第二版.xlsx", "东湖街道", [("培训?", "消防培训", "两期", 80), ("以会代训", "", 1, "很多")]),
            ("幸福里社区.xlsx", "幸福里社区", [("公开课/讲座", "安全讲座", 1, 60)])):
        path = work / name
        xlsx_template.write_template(window.campaign, path, unit_name=unit)
        wb = load_workbook(path)
        ws = wb["培训"]
        col = {c.value: c.column for c in ws[1] if c.value}
        for r, (category, title, sessions, people) in enumerate(rows, start=2):
            for header, value in (("培训类别", category), ("培训名称", title), ("开始日期", dt.date(2021, 6, 9)),
                                  ("期(场)数", sessions), ("参训人次", people)):
                ws.cell(row=r, column=col[header], value=value)
        wb.save(path)
        books.append(path)
    flow = excel.import_workbooks(window, books)
    save(flow.dialog, "import-preview")
    flow.dialog.reject()

    safety.backup_now()
    hazard = m.Hazard.select().where(m.Hazard.campaign == window.campaign).first()
    with history.change_group():
        records.update(m.Hazard, hazard.id, {"status": "已整改", "rectified_date": dt.date(2021, 6, 20),
                                             "measures": "已更换老化电线并加装漏电保护器"})
    with history.change_group():
        records.delete(m.Hazard, m.Hazard.select().where(m.Hazard.campaign == window.campaign)
                       .order_by(m.Hazard.id.desc()).first().id)
    window.refresh()
    dialog = data_safety.show_backups(window)
    save(dialog, "backups")
    dialog.reject()
    table = window.show_records(m.Hazard)
    table.select_record(hazard.id)
    dialog = data_safety.show_history(window)
    save(dialog, "history")
    dialog.reject()
    dialog = data_safety.show_deleted(window)
    save(dialog, "deleted-records")
    dialog.reject()
    dialog = help.show_about(window)
    save(dialog, "about")
    dialog.reject()


if __name__ == "__main__":
    sys.exit(main())
