"""The one door for every message box, question, input box and file dialog of the application.

Widgets call the functions of this module, never QMessageBox / QFileDialog / QInputDialog directly,
so a test can `use(FakePrompts())` and answer without a modal loop. The Qt backend shows the standard
dialogs (translated by qtbase_zh_CN).
"""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QInputDialog, QLabel,
                               QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout)


class QtPrompts:
    def info(self, parent, text: str, title: str = "提示") -> None:
        QMessageBox.information(parent, title, text)

    def warning(self, parent, text: str, title: str = "注意") -> None:
        QMessageBox.warning(parent, title, text)

    def error(self, parent, text: str, title: str = "错误") -> None:
        QMessageBox.critical(parent, title, text)

    def confirm(self, parent, text: str, title: str = "请确认", *, ok: str = "确定") -> bool:
        box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
        yes = box.addButton(ok, QMessageBox.AcceptRole)
        box.addButton("取消", QMessageBox.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def buttons(self, parent, text: str, title: str, labels: list[str]) -> int | None:
        """A question with its own buttons (the first is the default); the index clicked, None for Esc."""
        box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
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
        value, ok = QInputDialog.getText(parent, title, label, text=text)
        return value if ok else None

    def choose(self, parent, label: str, title: str, items: list[str]) -> int | None:
        """The index of the item picked from a list, or None."""
        if not items:
            return None
        value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return items.index(value) if ok and value in items else None

    def table(self, parent, text: str, title: str, headers: list[str], rows: list[tuple]) -> None:
        """A message with a table under it (e.g. the rows a paste refused and why)."""
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
        path, _ = QFileDialog.getOpenFileName(parent, title, folder, filter)
        return path or None

    def open_files(self, parent, title: str, folder: str = "", filter: str = "") -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, title, folder, filter)
        return list(paths)

    def save_file(self, parent, title: str, path: str = "", filter: str = "") -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, path, filter)
        return path or None

    def choose_folder(self, parent, title: str, folder: str = "") -> str | None:
        return QFileDialog.getExistingDirectory(parent, title, folder) or None


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


def buttons(parent, text, title, labels) -> int | None:
    return _backend.buttons(parent, text, title, list(labels))


def open_path(parent, path) -> bool:
    return _backend.open_path(parent, path)


def ask_text(parent, label, title, text="") -> str | None:
    return _backend.ask_text(parent, label, title, text)


def choose(parent, label, title, items) -> int | None:
    return _backend.choose(parent, label, title, items)


def table(parent, text, title, headers, rows) -> None:
    return _backend.table(parent, text, title, headers, rows)


def open_file(parent, title, folder="", filter="") -> str | None:
    return _backend.open_file(parent, title, folder, filter)


def open_files(parent, title, folder="", filter="") -> list[str]:
    return _backend.open_files(parent, title, folder, filter)


def save_file(parent, title, path="", filter="") -> str | None:
    return _backend.save_file(parent, title, path, filter)


def choose_folder(parent, title, folder="") -> str | None:
    return _backend.choose_folder(parent, title, folder)
