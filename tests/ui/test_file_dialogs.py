"""Every file dialog starts in the folder last used for its kind of file, else in Documents — never in the hidden
per-user data folder where the database and its backups live (issue 15, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def documents(tmp_path, monkeypatch):
    home = tmp_path / "user"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home / "Documents"


@pytest.fixture
def window(db_path, make_window):
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.services.demo import create_demo

    open_database(db_path)
    create_demo(2021)
    yield make_window()
    close_database()


def starts(fake, kind):
    return [Path(call[2]) for call in fake.of_kind(kind)]


def test_documents_folder_is_the_users(documents):
    from safetymonth_desktop.ui import prompts

    assert prompts.documents_folder() == documents


def test_first_save_opens_in_documents_then_in_the_last_folder_of_that_kind(window, fake_prompts, documents,
                                                                          tmp_path):
    from safetymonth_desktop.ui.actions import excel

    excel.export_stats(window)  # cancelled
    first = starts(fake_prompts, "save_file")[-1]
    assert first == documents / "2021年安全生产月统计表和台账.xlsx"

    elsewhere = tmp_path / "报表"
    elsewhere.mkdir()
    fake_prompts.file_answers.append(str(elsewhere / "统计.xlsx"))
    excel.export_stats(window)
    assert (elsewhere / "统计.xlsx").is_file()

    excel.export_stats(window)
    assert starts(fake_prompts, "save_file")[-1] == elsewhere / "2021年安全生产月统计表和台账.xlsx"
    # another kind of file keeps its own folder: the summary still starts in Documents
    window.report_actions.export_summary()
    assert starts(fake_prompts, "save_file")[-1].parent == documents


def test_a_remembered_data_folder_is_never_used(window, fake_prompts, documents, data_home):
    from safetymonth_desktop.base import paths
    from safetymonth_desktop.ui import prompts, settings

    backups = window.db_path.parent / "backups"
    backups.mkdir(exist_ok=True)
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    for kind in prompts.FILE_KINDS:
        settings.remember_folder(kind, str(paths.data_dir()))
        assert prompts.start_folder(kind) == documents
        settings.remember_folder(kind, str(backups))
        assert prompts.start_folder(kind) == documents


def test_every_menu_dialog_starts_outside_the_data_folder(window, fake_prompts, documents, monkeypatch):
    """Open every file dialog the menus have (each cancelled) with the database inside the data folder."""
    from safetymonth_desktop.base import paths
    from safetymonth_desktop.ui.actions import data_safety, excel

    fake_prompts.choose_answers = [0]
    excel.write_templates(window)
    excel.import_workbooks(window)
    excel.fill_form(window)
    excel.export_stats(window)
    excel.save_error_list(window, [])
    window.report_actions.export_summary()
    window.report_actions.choose_template()
    window.report_actions.export_template_copy()
    dialog = data_safety.show_backups(window)
    dialog.restore_from_file()
    dialog.save_copy()
    window.tabs.setCurrentWidget(window.progress)
    window.progress.save_reminder()
    calls = [c for c in fake_prompts.calls if c[0] in ("save_file", "open_file", "open_files", "choose_folder")]
    assert len(calls) == 11
    data = paths.data_dir().resolve()
    for call in calls:
        start = Path(call[2])
        folder = start if start.is_dir() else start.parent
        assert folder == documents, call
        assert data not in folder.resolve().parents and folder.resolve() != data


def test_qt_backend_gets_the_start_folder(documents, qapp, monkeypatch, tmp_path, data_home):
    """The real backend opens its dialog in the start folder with the proposed name (the dialog is not shown)."""
    from PySide6.QtWidgets import QFileDialog

    from safetymonth_desktop.ui import prompts

    seen = []

    def exec_(dialog):
        seen.append((dialog.directory().absolutePath(), [Path(f).name for f in dialog.selectedFiles()]))
        return 0  # cancelled

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    previous = prompts.use(prompts.QtPrompts())
    try:
        assert prompts.save_file(None, "导出", "a.xlsx", "", kind="stats") is None
    finally:
        prompts.use(previous)
    assert seen == [(str(documents), ["a.xlsx"])]
