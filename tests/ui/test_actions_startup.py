"""Start-up through the safety service: a database held by another window, a damaged database with the
offer to restore the newest good backup (accepted and declined), warnings shown once, the lock released."""

from __future__ import annotations

import os

import pytest

from safetymonth_desktop.db import backup, backup_folder
from safetymonth_desktop.db.connection import close_database, current_path, holds_lock, open_database
from safetymonth_desktop.db.lock import lock_path
from safetymonth_desktop.services import indicators
from safetymonth_desktop.services.demo import create_demo
from safetymonth_desktop.ui import app
from tests.db.util import HOLDER, spawn, wait_for


def demo_db(path):
    open_database(path)
    create_demo(2021)
    figures = figures_now()
    close_database()
    return figures


def figures_now():
    from safetymonth_desktop.services import campaigns

    return indicators.to_json(indicators.compute_all(campaigns.get(2021)))


def test_a_database_held_by_another_window_is_refused_with_who_holds_it(db_path, fake_prompts):
    demo_db(db_path)
    holder = spawn(HOLDER, db_path)
    try:
        wait_for(holder, "locked")
        assert app.run_gui(db_path) == 1
        [(kind, text)] = fake_prompts.calls
        assert kind == "error"
        assert f"另一个窗口(进程 {holder.pid}" in text and "本窗口将关闭" in text
        assert lock_path(db_path).exists()  # the other window's lock is left alone
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


@pytest.mark.parametrize("accept", [True, False])
def test_a_damaged_database_offers_the_newest_good_backup(db_path, fake_prompts, accept):
    good_figures = demo_db(db_path)
    good = backup.make_backup(db_path, "manual")
    data = bytearray(db_path.read_bytes())
    data[4096 * 2:4096 * 2 + 2000] = os.urandom(2000)  # a broken page
    data[100:4096] = b"\xff" * (4096 - 100)
    db_path.write_bytes(bytes(data))
    damaged = db_path.read_bytes()

    fake_prompts.button_answers.append(0 if accept else 1)
    opened = app.open_for_gui(db_path)
    try:
        [(kind, text, labels)] = fake_prompts.of_kind("buttons")
        assert labels == ["从备份恢复", "退出"]
        assert "已损坏" in text and good.name in text and "不会被删除或改动" in text
        if not accept:
            assert opened is False and db_path.read_bytes() == damaged
            assert not lock_path(db_path).exists()
            return
        assert opened is True and holds_lock() and current_path() == db_path
        assert figures_now() == good_figures
        kept = [p for p in backup_folder.backup_dir(db_path).iterdir() if p.name.startswith("damaged-")
                and p.suffix == ".sqlite"]
        assert len(kept) == 1 and kept[0].read_bytes() == damaged
        assert "已从备份恢复" in fake_prompts.of_kind("info")[0][1]
    finally:
        close_database()
    assert not lock_path(db_path).exists()


def test_a_damaged_database_without_backup_is_explained_and_left_alone(db_path, fake_prompts):
    db_path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    assert app.run_gui(db_path) == 1
    [(kind, text)] = fake_prompts.calls
    assert kind == "error" and "已损坏" in text and "没有找到可用于恢复的备份" in text
    assert db_path.read_bytes() == b"SQLite format 3\x00" + b"\x13" * 5000


def test_warnings_are_shown_once_and_the_day_backup_made(db_path, fake_prompts, monkeypatch):
    from safetymonth_desktop.db import storage

    demo_db(db_path)
    monkeypatch.setattr(storage, "on_network", lambda path: True)
    try:
        assert app.open_for_gui(db_path) is True
        [(kind, text)] = fake_prompts.calls
        assert kind == "warning" and text == storage.network_warning(db_path)
        assert [p for p in backup_folder.list_backups(backup_folder.backup_dir(db_path)) if p.name.endswith("-auto.sqlite")]
    finally:
        close_database()
    assert not lock_path(db_path).exists()
