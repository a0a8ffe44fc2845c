"""Backups belong to one database: two databases side by side (正式.sqlite, 试用.sqlite) never list, rotate,
offer or restore each other's backups (issue 13), and the backups an earlier version left in the shared
`backups` folder are still found for the database that made them."""

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from safetymonth_desktop.db import backup, backup_folder, identity
from safetymonth_desktop.db.migrations import latest_version
from tests.db.util import cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite"


def ok(result):
    assert result.returncode == 0, result.stderr
    return result


def backed_up(result) -> Path:
    return Path(ok(result).stdout.split("已备份到:")[1].strip())


def region(path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT region FROM campaign WHERE year = 2021").fetchone()[0]
    finally:
        con.close()


def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 * 2:4096 * 6] = b"\xff" * (4096 * 4)
    path.write_bytes(bytes(data))


@pytest.fixture
def pair(tmp_path):
    """正式.sqlite and 试用.sqlite in one folder, the second a file copy of the first (as a clerk makes one)."""
    real, trial = tmp_path / "正式.sqlite", tmp_path / "试用.sqlite"
    shutil.copyfile(FIXTURE, real)
    ok(cli("--db", real, "campaign", "--year", 2021, "--region", "正式区"))
    shutil.copyfile(real, trial)  # a copy made after the first had its id
    ok(cli("--db", trial, "campaign", "--year", 2021, "--region", "试用区"))
    return real, trial


def test_a_copied_database_gets_an_id_of_its_own(pair):
    real, trial = pair
    a, b = identity.read_mark(real), identity.read_mark(trial)
    assert a.id and b.id and a.id != b.id
    assert a.origin == b.origin  # same lineage: only the id tells them apart
    assert identity.relation(trial, real) is False


def test_each_database_lists_and_rotates_only_its_own_backups(pair):
    real, trial = pair
    mine = backed_up(cli("--db", real, "backup"))
    assert mine.parent == real.parent / "backups" / "正式"
    theirs = [backed_up(cli("--db", trial, "backup")) for _ in range(3)]
    assert all(p.parent == trial.parent / "backups" / "试用" for p in theirs)
    ok(cli("--db", trial, "backup", "--keep", 1))
    last = backed_up(cli("--db", trial, "backup"))
    assert mine.exists(), "rotating 试用's backups deleted 正式's"
    assert backup.backups_of(trial) == [last]
    assert mine in backup.backups_of(real) and not set(backup.backups_of(real)) & set(theirs + [last])
    listing = ok(cli("--db", real, "backup", "--list")).stdout
    assert str(mine) in listing and "试用" not in listing


def test_check_on_a_damaged_database_offers_only_its_own_backup(pair):
    real, trial = pair
    mine = backed_up(cli("--db", real, "backup"))
    backed_up(cli("--db", trial, "backup"))  # newer, healthy, and not 正式's
    damage(real)
    result = cli("--db", real, "check")
    assert result.returncode == 1 and "已损坏" in result.stderr
    assert str(mine) in result.stderr and "试用" not in result.stderr
    # with no backup of its own, nothing is offered (never the other database's)
    for p in backup.backups_of(real):
        p.unlink()
    result = cli("--db", real, "check")
    assert result.returncode == 1 and "最近一份完好的备份" not in result.stderr and "试用" not in result.stderr


def test_restoring_another_databases_backup_needs_force(pair):
    real, trial = pair
    theirs = backed_up(cli("--db", trial, "backup"))
    before = real.read_bytes()
    result = cli("--db", real, "restore", theirs)
    assert result.returncode == 1 and "试用.sqlite" in result.stderr and "--force" in result.stderr
    assert real.read_bytes() == before and region(real) == "正式区"
    ok(cli("--db", real, "restore", "--force", theirs))
    assert region(real) == "试用区"
    # 正式 is still itself: its id did not come with the data, its next backups stay its own
    assert identity.read_mark(real).id != identity.read_mark(trial).id
    again = backed_up(cli("--db", real, "backup"))
    assert again in backup.backups_of(real) and again not in backup.backups_of(trial)


def test_a_damaged_database_refuses_the_other_databases_backup_too(pair):
    real, trial = pair
    backed_up(cli("--db", real, "backup"))
    theirs = backed_up(cli("--db", trial, "backup"))
    damage(real)
    result = cli("--db", real, "restore", theirs)
    assert result.returncode == 1 and "试用.sqlite" in result.stderr


# ---- backups an earlier version left in the shared folder


def legacy_backup(db: Path, when: dt.datetime) -> Path:
    """A backup as versions before per-database folders made it: `backups/safetymonth-…`, no id inside."""
    folder = db.parent / "backups"
    folder.mkdir(exist_ok=True)
    target = folder / backup_folder.backup_name("auto", when)
    source, dest = sqlite3.connect(db), sqlite3.connect(target)
    source.backup(dest)
    dest.execute("DELETE FROM app_setting WHERE key IN (?, ?)", (identity.ID_KEY, identity.HOME_KEY))
    dest.commit()
    dest.execute("PRAGMA journal_mode = DELETE")
    source.close()
    dest.close()
    return target


def forget_id(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("DELETE FROM app_setting WHERE key IN (?, ?)", (identity.ID_KEY, identity.HOME_KEY))
    con.commit()
    con.close()


@pytest.fixture
def old_layout(tmp_path):
    """Two unrelated databases of an earlier version in one folder, both with backups in `backups/`."""
    real, trial = tmp_path / "正式.sqlite", tmp_path / "试用.sqlite"
    shutil.copyfile(FIXTURE, real)
    ok(cli("--db", trial, "demo", "--year", 2021))  # a database of its own lineage
    for db in (real, trial):
        forget_id(db)
    real_old = legacy_backup(real, dt.datetime(2021, 6, 1, 9))
    trial_old = legacy_backup(trial, dt.datetime(2021, 6, 2, 9))  # newer
    return real, trial, real_old, trial_old


def test_old_shared_backups_are_found_for_the_database_that_made_them(old_layout):
    real, trial, real_old, trial_old = old_layout
    assert backup.backups_of(real) == [real_old] and backup.backups_of(trial) == [trial_old]
    ok(cli("--db", real, "campaign", "--year", 2023))  # the new version opens it: id given, backups own folder
    assert identity.read_mark(real).id is not None
    new = backup.backups_of(real)
    assert real_old in new and trial_old not in new and len(new) == 2  # the day's backup and the old one
    # rotation never deletes the old shared backups, nor the other database's
    ok(cli("--db", real, "backup", "--keep", 1))
    backed_up(cli("--db", real, "backup"))
    assert real_old.exists() and trial_old.exists()


def test_a_damaged_database_is_offered_its_old_backup_not_its_neighbours(old_layout):
    real, trial, real_old, trial_old = old_layout
    damage(real)
    result = cli("--db", real, "check")
    assert result.returncode == 1 and str(real_old) in result.stderr and str(trial_old) not in result.stderr
    refused = cli("--db", real, "restore", trial_old)
    assert refused.returncode == 1 and "试用.sqlite" in refused.stderr
    ok(cli("--db", real, "restore", real_old))
    assert region(real) == "城南区"


def test_a_single_database_keeps_every_old_backup(tmp_path):
    db = tmp_path / "safetymonth.sqlite"
    shutil.copyfile(FIXTURE, db)
    olds = [legacy_backup(db, dt.datetime(2021, 6, d, 9)) for d in (1, 2, 3)]
    assert backup.backups_of(db) == olds[::-1]
    ok(cli("--db", db, "campaign", "--year", 2023))
    assert set(olds) <= set(backup.backups_of(db))
    assert "每日自动备份" in ok(cli("--db", db, "backup", "--list")).stdout


def test_two_databases_with_one_stem_share_a_folder_but_not_their_backups(tmp_path):
    """数据.sqlite and 数据.db both back up into backups/数据/: the ids keep them apart."""
    first, second = tmp_path / "数据.sqlite", tmp_path / "数据.db"
    shutil.copyfile(FIXTURE, first)
    ok(cli("--db", first, "campaign", "--year", 2023))  # its daily backup
    shutil.copyfile(first, second)
    ok(cli("--db", second, "campaign", "--year", 2024))  # a copy: its own id, and its own daily backup
    mine, theirs = backup.backups_of(first), backup.backups_of(second)
    assert len(mine) == 1 and len(theirs) == 1 and mine != theirs
    assert mine[0].parent == theirs[0].parent == tmp_path / "backups" / "数据"
    ok(cli("--db", second, "backup", "--keep", 1))
    for _ in range(2):
        backed_up(cli("--db", second, "backup"))
    assert backup.backups_of(first) == mine and mine[0].exists() and len(backup.backups_of(second)) == 1
