"""Keyboard work: Ctrl+N, Ctrl+F, Enter in the unit field, Ctrl+Z; and a start-up free of heavy imports."""

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import units
from safetymonth_desktop.ui.form import RecordForm


def _open_forms(window):
    return [f for f in window.findChildren(RecordForm) if f.isVisible()]


def test_ctrl_n_opens_the_form_and_enter_in_the_unit_field_saves(campaign, make_window, qtbot):
    units.create_unit("区教育局")
    window = make_window()
    table = window.show_records(m.Document)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key_N, Qt.ControlModifier)
    [form] = _open_forms(window)
    form.form.editors["title"].widget.setText("关于开展2021年安全生产月活动的通知")
    qtbot.keyClick(form.form.editors["title"].widget, Qt.Key_Return)
    assert m.Document.get().title == "关于开展2021年安全生产月活动的通知"

    training = window.show_records(m.Training)
    form = training.add()
    combo = form.form.editors["unit"].widget
    combo.setEditText("区教育局")
    form.form.editors["category"].widget.setCurrentIndex(1)
    form.form.editors["participants"].widget.setText("50")
    combo.setFocus()
    qtbot.keyClick(combo.lineEdit(), Qt.Key_Return)
    assert m.Training.get().participants == 50

    # Ctrl+Z in the table undoes the last add.
    training.view.setFocus()
    qtbot.keyClick(training.view, Qt.Key_Z, Qt.ControlModifier)
    assert m.Training.select().count() == 0


def test_ctrl_f_focuses_the_search_box(demo, make_window, qtbot):
    window = make_window()
    table = window.show_records(m.Event)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key_F, Qt.ControlModifier)
    assert QApplication.focusWidget() is table.search_box


def test_opening_the_window_imports_no_office_libraries(tmp_path):
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from safetymonth_desktop.db.connection import open_database\n"
        f"open_database({str(tmp_path / 'x.sqlite')!r})\n"
        "from safetymonth_desktop.ui.app import make_app\n"
        "app = make_app()\n"
        "from safetymonth_desktop.ui.main_window import MainWindow\n"
        "w = MainWindow(); w.show(); app.processEvents()\n"
        "heavy = [m for m in ('openpyxl', 'docxtpl', 'docx', 'python_calamine', 'PySide6.QtCharts') if m in sys.modules]\n"
        "print(heavy); sys.exit(1 if heavy else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
