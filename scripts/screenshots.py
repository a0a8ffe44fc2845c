"""Render every tab of the main window, and the main dialogs, with demo data offscreen to PNG files.

    python scripts/screenshots.py OUTDIR [--year 2021] [--db FILE]

Without --db a demo database is created in a temporary folder. Used for the README's screenshot and
for looking at the screens (a CJK font such as fonts-wqy-microhei must be installed, or Chinese shows
as boxes). Nothing of the clerk's own settings is touched: QSettings point into the temporary folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of the GUI with demo data")
    parser.add_argument("outdir")
    parser.add_argument("--year", type=int, default=2021)
    parser.add_argument("--db", help="an existing database instead of a fresh demo")
    args = parser.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="safetymonth-shots-"))

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.services.demo import create_demo
    from safetymonth_desktop.ui import app as gui_app, tasks

    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(work / "settings"))
    qapp = gui_app.make_app()
    tasks.use(tasks.InlineRunner())
    db_path = Path(args.db) if args.db else work / "demo.sqlite"
    open_database(db_path)
    if not args.db:
        create_demo(args.year)

    from safetymonth_desktop.ui.main_window import MainWindow

    window = MainWindow(db_path)
    window.show()
    qapp.processEvents()
    shots = []

    def save(widget, name):
        qapp.processEvents()
        path = out / f"{len(shots) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        shots.append(path)

    for i, tab in enumerate(window.record_tabs):
        window.tabs.setCurrentWidget(tab)
        for table in tab.tables:
            if tab.inner is not None:
                tab.inner.setCurrentWidget(table)
            save(window, f"{tab.spec.title}-{table.page.label}")

    # The dialogs, each on top of the tab it belongs to.
    table = window.show_records(m.Hazard)
    form = table.add()
    save(form, "form-new-hazard")
    form.form.editors["participants" if "participants" in form.form.editors else "enterprise"].widget.setText("某某公司")
    form.save()
    save(form, "form-hazard-errors")
    form.reject()
    table = window.show_records(m.Event)
    table.view.selectRow(0)
    form = table.edit()
    save(form, "form-edit-event")
    form.reject()
    dialog = window.campaign_settings()
    save(dialog, "campaign-settings")
    dialog.pages.setCurrentIndex(1)
    save(dialog, "campaign-notes")
    dialog.reject()
    dialog = window.new_year()
    save(dialog, "new-year")
    dialog.reject()
    dialog = window.manage_units()
    save(dialog, "units")
    dialog.reject()

    window.close()
    close_database()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
