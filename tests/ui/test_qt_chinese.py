"""Qt's own file dialog (Linux desktops without a native one: 统信UOS, 麒麟, plain X11) speaks Chinese everywhere:
qtbase_zh_CN lacks its "&Look in:" / "Files of &type:" labels and the folders' type, so we ship
resources/i18n/safetymonth_zh_CN.qm; dates and sizes are shown the Chinese way whatever the system locale."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Words allowed in a label: a file format's or a key's own name.
ALLOWED = re.compile(r"Excel|Python|KB|MB|GB|Alt|xlsx|\(\*\)")


@pytest.fixture
def translated(qapp):
    """The application's translators, installed as `make_app` does, removed afterwards."""
    from PySide6.QtCore import QLocale, QTranslator

    from safetymonth_desktop.ui import app

    before = set(qapp.findChildren(QTranslator))
    locale = QLocale()
    app.install_translator(qapp)
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(locale)


def texts_of(dialog):
    """Every label, button, tooltip, combo item, action and column header a clerk can see in `dialog`."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTreeView, QWidget

    found = []
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text():
            found.append(widget.text())
        if widget.toolTip():
            found.append(widget.toolTip())
        if widget.accessibleName():
            found.append(widget.accessibleName())
        if isinstance(widget, QComboBox) and widget.objectName() == "fileTypeCombo":
            found += [widget.itemText(i) for i in range(widget.count())]
    for action in dialog.findChildren(QAction):
        if action.text():
            found.append(action.text())
    view = dialog.findChild(QTreeView, "treeView")
    model = view.model()
    found += [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    return found, view


def english(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", ALLOWED.sub("", text.replace("&", ""))))


@pytest.mark.parametrize("mode", ["save", "open", "open_many", "folder"])
def test_qt_file_dialog_has_no_english_label(translated, qtbot, tmp_path, mode):
    from safetymonth_desktop.ui import prompts

    (tmp_path / "子文件夹").mkdir()
    (tmp_path / "统计表.xlsx").write_bytes(b"x" * 5000)
    dialog = prompts.file_dialog(None, "导出统计表和台账", str(tmp_path), "Excel 工作簿 (*.xlsx);;所有文件 (*)",
                                 mode=mode, native=False)
    qtbot.addWidget(dialog)
    dialog.setViewMode(dialog.ViewMode.Detail)
    dialog.show()
    found, view = texts_of(dialog)
    root = view.rootIndex()
    qtbot.waitUntil(lambda: view.model().rowCount(view.rootIndex()) >= (1 if mode == "folder" else 2))
    root = view.rootIndex()
    model = view.model()
    rows = [[model.index(r, c, root).data() for c in range(model.columnCount())]
            for r in range(model.rowCount(root))]
    for row in rows:
        name, size, kind, date = row
        found.append(kind)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", date), row
        assert size == "" or re.fullmatch(r"\d+ 字节|\d+\.\d (KB|MB|GB)", size), row
    assert ["子文件夹", "", "文件夹"] == rows[0][:3]
    if mode != "folder":
        assert rows[1][1] == "4.9 KB"
    leftovers = [t for t in found if t and english(t)]
    assert leftovers == [], leftovers
    assert "查找范围(&L):" in found or "查找范围(&L)：" in found


def test_the_qm_is_compiled_from_the_ts(tmp_path):
    """resources/i18n/safetymonth_zh_CN.qm is what pyside6-lrelease makes of the .ts next to it."""
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed next to this Python")
    folder = ROOT / "resources" / "i18n"
    out = tmp_path / "again.qm"
    subprocess.run([str(lrelease), str(folder / "safetymonth_zh_CN.ts"), "-qm", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (folder / "safetymonth_zh_CN.qm").read_bytes(), \
        "run: pyside6-lrelease resources/i18n/safetymonth_zh_CN.ts -qm resources/i18n/safetymonth_zh_CN.qm"


def test_app_and_window_have_the_icon(qapp, make_window, db):
    from safetymonth_desktop.ui import app

    app.install_icon(qapp)
    assert not qapp.windowIcon().isNull()


def test_context_menus_say_the_apps_word_for_undo(translated, qtbot):
    """Qt's own context menu of a text field says 撤销 (as 编辑 → 撤销 does), not qtbase_zh_CN's 撤消."""
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    for widget in (QLineEdit(), QPlainTextEdit()):
        qtbot.addWidget(widget)
        menu = widget.createStandardContextMenu()
        texts = [a.text().split("\t")[0] for a in menu.actions()]
        assert "撤销(&U)" in texts and not [t for t in texts if "撤消" in t], texts


def test_a_file_chosen_in_the_chinese_dialog_is_returned(translated, qtbot, tmp_path):
    """Our proxy model (Chinese dates and sizes) does not get in the way of choosing a file."""
    from PySide6.QtWidgets import QLineEdit, QTreeView

    from safetymonth_desktop.ui import prompts

    (tmp_path / "城关街道.xlsx").write_bytes(b"x")
    dialog = prompts.file_dialog(None, "选择", str(tmp_path), "Excel 工作簿 (*.xlsx)", mode="open", native=False)
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.findChild(QTreeView, "treeView")
    qtbot.waitUntil(lambda: view.model().rowCount(view.rootIndex()) == 1)
    dialog.findChild(QLineEdit, "fileNameEdit").setText("城关街道.xlsx")
    dialog.accept()
    assert dialog.result() == 1 and dialog.selectedFiles() == [str(tmp_path / "城关街道.xlsx")]
