"""Unexpected errors in the GUI reach the clerk as a Chinese message naming errors.log, which holds the
traceback (the windowed exe has no console)."""

import sys

import pytest


@pytest.fixture
def home(data_home):
    return data_home


@pytest.fixture
def gui_hook():
    from safetymonth_desktop.ui.app import install_excepthook

    previous = sys.excepthook
    install_excepthook()
    yield
    sys.excepthook = previous


def _boom():
    return 1 / 0


def test_an_error_in_a_slot_is_logged_and_shown(home, gui_hook, fake_prompts, qtbot):
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("测试")
    qtbot.addWidget(button)
    button.clicked.connect(_boom)
    button.click()

    errors = fake_prompts.of_kind("error")
    assert len(errors) == 1
    assert "errors.log" in errors[0][1] and "程序内部错误" in errors[0][1]
    log = (home / "errors.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log and "_boom" in log


def test_an_error_while_the_message_is_open_is_logged_without_a_second_message(home, gui_hook, fake_prompts, qtbot):
    """The message box runs its own event loop; a slot failing meanwhile must not open boxes recursively."""
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("测试")
    qtbot.addWidget(button)
    button.clicked.connect(_boom)
    original_error = fake_prompts.error

    def error_that_triggers_another(parent, text, title="错误"):
        original_error(parent, text, title)
        button.click()  # a second failure while the first message is "open"

    fake_prompts.error = error_that_triggers_another
    button.click()
    assert len(fake_prompts.of_kind("error")) == 1
    assert (home / "errors.log").read_text(encoding="utf-8").count("ZeroDivisionError: division by zero") == 2


@pytest.mark.parametrize("runner", ["thread", "inline"])
def test_a_task_that_fails_unexpectedly_writes_the_log_and_names_it(home, fake_prompts, qtbot, runner):
    from safetymonth_desktop.ui import tasks

    def work(progress, cancelled):
        return _boom()

    previous = tasks.use(tasks.ThreadRunner() if runner == "thread" else tasks.InlineRunner())
    try:
        tasks.run_task(None, work, title="测试")
        qtbot.waitUntil(lambda: bool(fake_prompts.of_kind("error")), timeout=5000)
    finally:
        tasks.use(previous)
    message = fake_prompts.of_kind("error")[0][1]
    assert str(home / "errors.log") in message and "ZeroDivisionError" in message
    log = (home / "errors.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "_boom" in log


def test_an_app_error_in_a_task_is_not_logged(home, fake_prompts):
    from safetymonth_desktop.base.errors import AppError
    from safetymonth_desktop.ui import tasks

    def work(progress, cancelled):
        raise AppError("文件“x.xlsx”第 3 行有误。")

    tasks.run_task(None, work, title="测试")
    assert fake_prompts.of_kind("error") == [("error", "文件“x.xlsx”第 3 行有误。")]
    assert not (home / "errors.log").exists()


def test_a_full_disk_in_a_task_is_explained_not_logged(home, fake_prompts):
    """The GUI imports all files in one transaction: SQLite's full-disk error reaches the task (hidden behind the
    failed rollback); the clerk reads what to do, and no crash is logged."""
    import sqlite3

    import peewee as pw

    from safetymonth_desktop.ui import tasks

    def work(progress, cancelled):
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise pw.OperationalError("cannot rollback - no transaction is active")

    tasks.run_task(None, work, title="测试")
    message = fake_prompts.of_kind("error")[0][1]
    assert "磁盘空间已满" in message and "程序内部错误" not in message
    assert not (home / "errors.log").exists()
