"""Fixtures for the GUI tests: QSettings in a temp folder, prompts answered by a fake, tasks run inline,
and a main window over a fresh database."""

from __future__ import annotations

import pytest


class FakePrompts:
    """Records every prompt; answers confirm/choose/ask_text from queues (default: yes / first / None)."""

    def __init__(self):
        self.calls: list[tuple] = []
        self.confirm_answers: list[bool] = []
        self.choose_answers: list[int | None] = []
        self.text_answers: list[str | None] = []
        self.button_answers: list[int | None] = []
        self.file_answers: list = []  # answers of open_file / open_files / save_file / choose_folder, in order
        self.opened: list[str] = []  # paths given to open_path
        self.button_icons: list[str] = []  # the icon of each buttons() box

    def _record(self, kind, *args):
        self.calls.append((kind, *args))

    def info(self, parent, text, title="提示"):
        self._record("info", text)

    def warning(self, parent, text, title="注意"):
        self._record("warning", text)

    def error(self, parent, text, title="错误"):
        self._record("error", text)

    def confirm(self, parent, text, title="请确认", *, ok="确定"):
        self._record("confirm", text)
        return self.confirm_answers.pop(0) if self.confirm_answers else True

    def ask_text(self, parent, label, title, text=""):
        self._record("ask_text", label)
        return self.text_answers.pop(0) if self.text_answers else None

    def choose(self, parent, label, title, items):
        self._record("choose", label, list(items))
        return self.choose_answers.pop(0) if self.choose_answers else None

    def table(self, parent, text, title, headers, rows):
        self._record("table", text, list(rows))

    def buttons(self, parent, text, title, labels, icon="question"):
        self._record("buttons", text, list(labels))
        self.button_icons.append(icon)
        return self.button_answers.pop(0) if self.button_answers else None

    def open_path(self, parent, path):
        self._record("open_path", str(path))
        self.opened.append(str(path))
        return True

    def _file(self, kind, title, start, empty):
        self._record(kind, title, start)  # start: the folder (or folder/name) the dialog would open at
        return self.file_answers.pop(0) if self.file_answers else empty

    def open_file(self, parent, title, folder="", filter=""):
        return self._file("open_file", title, folder, None)

    def open_files(self, parent, title, folder="", filter=""):
        return self._file("open_files", title, folder, [])

    def save_file(self, parent, title, path="", filter=""):
        return self._file("save_file", title, path, None)

    def choose_folder(self, parent, title, folder=""):
        return self._file("choose_folder", title, folder, None)

    def of_kind(self, kind):
        return [c for c in self.calls if c[0] == kind]


@pytest.fixture(autouse=True)
def qsettings_tmp(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))
    yield tmp_path / "qsettings"


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """The per-user data folder (errors.log of unexpected failures …) in tmp_path, as the `db_path` fixture has it."""
    monkeypatch.setenv("SAFETYMONTH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def fake_prompts():
    from safetymonth_desktop.ui import prompts

    fake = FakePrompts()
    previous = prompts.use(fake)
    yield fake
    prompts.use(previous)


@pytest.fixture(autouse=True)
def inline_tasks():
    from safetymonth_desktop.ui import tasks

    runner = tasks.InlineRunner()
    previous = tasks.use(runner)
    yield runner
    tasks.use(previous)


@pytest.fixture
def make_window(qtbot):
    def make():
        from safetymonth_desktop.ui.main_window import MainWindow

        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts (Del, Ctrl+Z …) reach only the active window
        return window

    return make
