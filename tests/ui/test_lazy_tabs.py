"""The window shows with only the overview built; each record tab and 报送进度 is built the first time it is shown
or reached (ui/lazy_tab), and everything that reaches into a tab — an action, the overview's links, undo, a
change of year, the remembered tab — finds it built and showing the right rows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, history, records, units
from safetymonth_desktop.ui.record_table import RecordTable


def built(window) -> list[str]:
    return [tab.spec.title for tab in window.record_tabs if tab.is_built]


def test_the_window_shows_without_the_record_tabs_built(demo, make_window):
    window = make_window()
    assert window.isVisible() and window.tabs.currentWidget() is window.overview
    assert built(window) == [] and not window.lazy_pages["progress"].is_built
    assert window.findChildren(RecordTable) == []  # not one table widget yet
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "概览", "组织领导", "培训", "宣传", "隐患整治", "督查", "报送进度"]


def test_each_tab_is_built_when_first_shown(demo, make_window):
    window = make_window()
    for index in range(1, window.tabs.count() - 1):
        tab = window.tabs.widget(index)
        assert not tab.is_built
        window.tabs.setCurrentIndex(index)
        assert tab.is_built and built(window)[-1] == tab.spec.title
        table = tab.current_table()
        assert table.isVisible() and table.view.isVisible()  # on screen now, not at the next event loop
        totals = [t.table_model.total for t in tab.tables]
        assert totals == [p.model.select().where(p.model.campaign == demo).count() for p in tab.spec.pages]
        assert any(totals) and all(t.campaign is not None and t.campaign.id == demo.id for t in tab.tables)
    window.tabs.setCurrentIndex(window.tabs.count() - 1)
    page = window.lazy_pages["progress"]
    assert page.is_built and page.report is not None and page.table.rowCount() == page.report.total > 0
    assert window.progress is page


def test_an_action_builds_only_the_tab_it_targets(demo, make_window, qtbot):
    window = make_window()
    table = window.show_records(m.Hazard)  # what the overview's links and the checklist do
    assert built(window) == ["隐患整治"] and window.tabs.currentWidget() is window.record_tab("隐患整治")
    assert table.table_model.total == m.Hazard.select().where(m.Hazard.campaign == demo).count() > 0
    # The edit menu's actions reach the table of the tab now shown: Ctrl+F goes to its search box.
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert table.search_box.hasFocus()
    assert window.current_table() is table
    # A tab reached through the accessor by its title is built too, without being shown.
    training = window.record_tab("培训")
    assert training.is_built and window.tabs.currentWidget() is not training
    assert training.tables[0].table_model.total == m.Training.select().where(m.Training.campaign == demo).count()


def test_tabs_built_later_show_the_year_and_the_data_of_that_moment(demo, make_window):
    c2022, _ = campaigns.save(2022, region="城南区")
    unit = units.find_unit("城关街道")
    records.create(m.Training, c2022, {"unit": unit, "category": "以会代训", "participants": 40})
    window = make_window()
    window.set_year(2021)
    window.set_year(2022)  # changes of year while the tab is not built
    assert built(window) == []
    table = window.show_records(m.Training)
    assert table.campaign.id == c2022.id and table.table_model.total == 1

    # Undo refreshes the tabs built and leaves the others to read the database when they are built.
    with history.change_group() as group:
        records.create(m.Training, c2022, {"unit": unit, "category": "以会代训", "participants": 5})
    window.undo_stack.push(group, "新增培训")
    window.refresh()
    assert table.table_model.total == 2 and "共 2 条" in table.count_label.text()
    window.undo()
    assert table.table_model.total == 1 and "共 1 条" in table.count_label.text()
    assert built(window) == ["培训"]
    assert window.record_tab("隐患整治").tables[0].table_model.total == 0  # 2022 has no hazards


STARTED = r"""
import json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

seen = {}
original = QApplication.exec

def exec_(*_):
    def look():
        QApplication.processEvents()
        loaded = set(sys.modules)
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible())
        seen.update(progress_module="safetymonth_desktop.ui.tabs.progress" in loaded,
                    command_modules=sorted(m for m in loaded if m.startswith("safetymonth_desktop.commands")),
                    tabs=[window.tabs.tabText(i) for i in range(window.tabs.count())])
        page = window.progress  # reached: its module loads and the page is built (its data come from a worker)
        seen.update(built=page.is_built and page.table.isVisibleTo(page) and page.window is window
                    and window.tabs.widget(window.tabs.count() - 1) is page,
                    progress_module_after="safetymonth_desktop.ui.tabs.progress" in sys.modules)
        QApplication.instance().quit()
    QTimer.singleShot(0, look)
    return original()

QApplication.exec = exec_
from safetymonth_desktop.cli import main
status = main(["--db", sys.argv[1]])
print(json.dumps({"status": status, **seen}))
"""


def test_the_window_starts_without_the_progress_module_or_the_commands(tmp_path):
    """Start-up loads neither 报送进度's module (loaded when the page is reached) nor any command's parser."""
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SAFETYMONTH_HOME=str(tmp_path / "home"),
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    db = tmp_path / "a.sqlite"
    made = subprocess.run([sys.executable, "-m", "safetymonth_desktop", "--db", str(db), "campaign", "--year", "2021"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    done = subprocess.run([sys.executable, "-c", STARTED, str(db)], env=env, capture_output=True, text=True,
                          timeout=120)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["status"] == 0 and seen["tabs"][-1] == "报送进度"
    assert seen["progress_module"] is False and seen["command_modules"] == []
    assert seen["built"] is True and seen["progress_module_after"] is True
