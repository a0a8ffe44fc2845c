"""The one door for every message box, question, input box and file dialog of the application.

Widgets call the functions of this module, never QMessageBox / QFileDialog / QInputDialog directly,
so a test can `use(FakePrompts())` and answer without a modal loop. The Qt backend shows the standard
dialogs (translated by qtbase_zh_CN and our own resources/i18n for what it lacks).

Every file dialog names the kind of file it is for (`kind`, one of FILE_KINDS). It starts in the folder last
used for that kind, else in the clerk's Documents folder — never in the hidden per-user data folder or a
backups folder — and the folder chosen is remembered for that kind. That rule lives here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QIdentityProxyModel, QLocale, Qt

from safetymonth_desktop.base import paths
from safetymonth_desktop.db.connection import current_path
from safetymonth_desktop.ui import settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog

# The dialogs' Qt classes are imported where a dialog is made: creating their Python types costs start-up time
# (PySide6 makes each class's type on first use), and no dialog is shown before the main window.


class QtPrompts:
    def info(self, parent, text: str, title: str = "提示") -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(parent, title, text)

    def warning(self, parent, text: str, title: str = "注意") -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, title, text)

    def error(self, parent, text: str, title: str = "错误") -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(parent, title, text)

    def confirm(self, parent, text: str, title: str = "请确认", *, ok: str = "确定") -> bool:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
        yes = box.addButton(ok, QMessageBox.AcceptRole)
        box.addButton("取消", QMessageBox.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def buttons(self, parent, text: str, title: str, labels: list[str], icon: str = "question") -> int | None:
        """A question with its own buttons (the first is the default); the index clicked, None for Esc.
        `icon` "information" for news with choices (导出完成: 打开文件 / 打开所在文件夹 / 关闭)."""
        from PySide6.QtWidgets import QMessageBox

        kind = QMessageBox.Information if icon == "information" else QMessageBox.Question
        box = QMessageBox(kind, title, text, QMessageBox.NoButton, parent)
        made = [box.addButton(label, QMessageBox.AcceptRole if i == 0 else QMessageBox.RejectRole)
                for i, label in enumerate(labels)]
        if made:
            box.setDefaultButton(made[0])
            box.setEscapeButton(made[-1])
        box.exec()
        clicked = box.clickedButton()
        return next((i for i, b in enumerate(made) if b is clicked), None)

    def open_path(self, parent, path) -> bool:
        """Open a file or folder with the program the system associates with it (Word, Excel, the file manager)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def ask_text(self, parent, label: str, title: str, text: str = "") -> str | None:
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getText(parent, title, label, text=text)
        return value if ok else None

    def choose(self, parent, label: str, title: str, items: list[str]) -> int | None:
        """The index of the item picked from a list, or None."""
        from PySide6.QtWidgets import QInputDialog

        if not items:
            return None
        value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return items.index(value) if ok and value in items else None

    def table(self, parent, text: str, title: str, headers: list[str], rows: list[tuple]) -> None:
        """A message with a table under it (e.g. the rows a paste refused and why)."""
        from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
                                       QVBoxLayout)

        dialog = QDialog(parent)
        dialog.setWindowTitle(title)
        layout = QVBoxLayout(dialog)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        grid = QTableWidget(len(rows), len(headers))
        grid.setHorizontalHeaderLabels(headers)
        grid.setEditTriggers(QTableWidget.NoEditTriggers)
        grid.verticalHeader().hide()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                grid.setItem(r, c, item)
        grid.setWordWrap(True)
        grid.resizeColumnsToContents()
        grid.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.Stretch)
        layout.addWidget(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        buttons.accepted.connect(dialog.accept)
        layout.addWidget(buttons)
        dialog.resize(760, 420)
        grid.resizeRowsToContents()  # long reasons (the list of allowed choices) wrap instead of being cut
        dialog.exec()

    def open_file(self, parent, title: str, folder: str = "", filter: str = "") -> str | None:
        dialog = file_dialog(parent, title, folder, filter, mode="open")
        return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else None

    def open_files(self, parent, title: str, folder: str = "", filter: str = "") -> list[str]:
        dialog = file_dialog(parent, title, folder, filter, mode="open_many")
        return list(dialog.selectedFiles()) if dialog.exec() else []

    def save_file(self, parent, title: str, path: str = "", filter: str = "") -> str | None:
        dialog = file_dialog(parent, title, path, filter, mode="save")
        return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else None

    def choose_folder(self, parent, title: str, folder: str = "") -> str | None:
        dialog = file_dialog(parent, title, folder, "", mode="folder")
        return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else None


class ChineseFileModel(QIdentityProxyModel):
    """Qt's own file dialog (where the desktop offers no native one: plain X11, 统信UOS/麒麟 without a portal)
    formats dates and sizes by the system locale, which is often "C" ("29 11 2026", "12 KiB"): show them as
    Chinese Windows does instead, 2026-11-29 14:05 and 12.3 KB."""

    DATE_COLUMN, SIZE_COLUMN = 3, 1

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and index.column() in (self.DATE_COLUMN, self.SIZE_COLUMN):
            source = self.sourceModel()
            original = self.mapToSource(index)
            if index.column() == self.DATE_COLUMN:
                when = source.lastModified(original)
                return QLocale().toString(when, "yyyy-MM-dd HH:mm") if when.isValid() else ""
            if source.isDir(original):
                return ""
            return size_text(source.size(original))
        return super().data(index, role)


def size_text(size: int) -> str:
    """A file size as Windows' Explorer writes it: 980 字节, 12.3 KB, 4.5 MB."""
    if size < 1024:
        return f"{size} 字节"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}"
    return ""


def file_dialog(parent, title: str, start: str, filter: str, *, mode: str, native: bool = True) -> QFileDialog:
    """The file dialog of `mode` (open, open_many, save, folder) starting at `start`. The system's own dialog
    where there is one (Windows, a Linux desktop with a portal); otherwise Qt's, in Chinese: our translation
    (resources/i18n) and dates and sizes in Chinese. `native=False` forces Qt's dialog (tests, screenshots)."""
    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(parent, title, start, filter)
    if not native:
        dialog.setOption(QFileDialog.DontUseNativeDialog)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
    elif mode == "open_many":
        dialog.setFileMode(QFileDialog.ExistingFiles)
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.Directory)
        dialog.setOption(QFileDialog.ShowDirsOnly)
    else:
        dialog.setFileMode(QFileDialog.ExistingFile)
    dialog.setProxyModel(ChineseFileModel(dialog))
    _fit_columns(dialog)
    return dialog


def _fit_columns(dialog: QFileDialog) -> None:
    """Room for the whole date and type in Qt's own dialog's detail view (its widths fit English texts)."""
    from PySide6.QtWidgets import QTreeView

    view = dialog.findChild(QTreeView, "treeView")
    if view is None:  # the system's dialog: nothing of ours to size
        return
    metrics = view.fontMetrics()
    header = view.header()
    header.resizeSection(0, max(header.sectionSize(0), metrics.horizontalAdvance("M" * 24)))
    header.resizeSection(1, metrics.horizontalAdvance("1023.9 KB") + 16)
    header.resizeSection(2, metrics.horizontalAdvance("Excel 2007 电子表格") + 16)
    header.resizeSection(3, metrics.horizontalAdvance("2026-11-29 20:23") + 16)


_backend = QtPrompts()


def use(backend):
    """Replace the backend (tests); returns the previous one."""
    global _backend
    previous, _backend = _backend, backend
    return previous


def backend():
    return _backend


def info(parent, text, title="提示"):
    return _backend.info(parent, text, title)


def warning(parent, text, title="注意"):
    return _backend.warning(parent, text, title)


def error(parent, text, title="错误"):
    return _backend.error(parent, text, title)


def confirm(parent, text, title="请确认", *, ok="确定") -> bool:
    return _backend.confirm(parent, text, title, ok=ok)


def buttons(parent, text, title, labels, *, icon: str = "question") -> int | None:
    return _backend.buttons(parent, text, title, list(labels), icon)


def open_path(parent, path) -> bool:
    return _backend.open_path(parent, path)


def ask_text(parent, label, title, text="") -> str | None:
    return _backend.ask_text(parent, label, title, text)


def choose(parent, label, title, items) -> int | None:
    return _backend.choose(parent, label, title, items)


def table(parent, text, title, headers, rows) -> None:
    return _backend.table(parent, text, title, headers, rows)


# ---- file dialogs: where they start and what they remember

# The kinds of file a dialog is for; each remembers its own last folder.
FILE_KINDS = {
    "report": "活动总结",
    "word_template": "总结模板",
    "templates": "填报模板",
    "import": "各单位交回的填报表",
    "stats": "统计表和台账",
    "forms": "上级表样",
    "filled_form": "填好的上级表样",
    "errors": "错误清单",
    "reminder": "催报清单",
    "backup": "备份文件",
}


def documents_folder() -> Path:
    """The clerk's Documents folder (文档/我的文档), else the home folder."""
    from PySide6.QtCore import QStandardPaths

    for location in (QStandardPaths.DocumentsLocation, QStandardPaths.HomeLocation):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir() and not _hidden_data(Path(folder)):
            return Path(folder)
    return Path.home()


def _hidden_data(folder: Path) -> bool:
    """Whether `folder` is (inside) the per-user data folder or the open database's backups folder: places a
    clerk should never be sent to save or look for files."""
    places = [paths.data_dir()]
    database = current_path()
    if database is not None:
        places.append(Path(database).parent / "backups")
    try:
        folder = folder.resolve()
    except OSError:
        return False
    for place in places:
        try:
            place = place.resolve()
        except OSError:
            continue
        if folder == place or place in folder.parents:
            return True
    return False


def start_folder(kind: str | None) -> Path:
    """Where a file dialog for `kind` opens: the folder last used for that kind if it still exists (and is not
    the data folder), else Documents."""
    remembered = settings.last_folder(kind) if kind else ""
    if remembered and Path(remembered).is_dir() and not _hidden_data(Path(remembered)):
        return Path(remembered)
    return documents_folder()


def remember_folder(kind: str, path) -> None:
    """Remember the folder of `path` (a file or a folder) as the last one used for `kind`."""
    path = Path(path)
    settings.remember_folder(kind, str(path if path.is_dir() else path.parent))


def _start(kind: str | None, given: str = "") -> Path:
    """The start of a dialog: `start_folder(kind)`; without a kind, the folder `given` unless it is hidden data."""
    if kind is None and given:
        folder = Path(given) if Path(given).is_dir() else Path(given).parent
        if folder.is_dir() and not _hidden_data(folder):
            return folder
    return start_folder(kind)


def _name(given: str) -> str:
    return Path(given).name if given and not Path(given).is_dir() else ""


def open_file(parent, title, folder="", filter="", *, kind: str | None = None) -> str | None:
    """An open dialog for one file of `kind` (FILE_KINDS); `folder` counts only without a kind."""
    path = _backend.open_file(parent, title, str(_start(kind, folder)), filter)
    if path and kind:
        remember_folder(kind, path)
    return path or None


def open_files(parent, title, folder="", filter="", *, kind: str | None = None) -> list[str]:
    paths = list(_backend.open_files(parent, title, str(_start(kind, folder)), filter) or [])
    if paths and kind:
        remember_folder(kind, paths[0])
    return paths


def save_file(parent, title, path="", filter="", *, kind: str | None = None) -> str | None:
    """A save dialog for a file of `kind`, proposing the file name of `path` in `start_folder(kind)` (any folder
    in `path` counts only without a kind, and never when it is the data folder)."""
    folder = _start(kind, path)
    name = _name(path)
    chosen = _backend.save_file(parent, title, str(folder / name) if name else str(folder), filter)
    if chosen and kind:
        remember_folder(kind, chosen)
    return chosen or None


def choose_folder(parent, title, folder="", *, kind: str | None = None) -> str | None:
    chosen = _backend.choose_folder(parent, title, str(_start(kind, folder)))
    if chosen and kind:
        remember_folder(kind, chosen)
    return chosen or None
