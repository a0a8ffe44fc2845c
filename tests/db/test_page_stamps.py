"""A command that only reads does not read every page of a big file again once that file passed the page check
unchanged (db/page_stamps.py) — and any change to the file, even one that puts its modification time back, or
damage, makes the next command check it in full and refuse it."""

import os
import random
import sqlite3
import subprocess
import sys

import pytest

from safetymonth_desktop.db import integrity, page_stamps
from safetymonth_desktop.db.connection import DatabaseFileError, close_database, open_database
from tests.db.util import ROOT, env

PAGE = 4096


def cli(*args, home):
    return subprocess.run([sys.executable, "-m", "safetymonth_desktop", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env={**env(), "SAFETYMONTH_HOME": str(home)}, cwd=ROOT)


@pytest.fixture
def big_db(db_path, monkeypatch):
    """A year's database that counts as big (the threshold set to 0), with the checks it gets recorded."""
    from benchmarks.datagen import fill_year
    from safetymonth_desktop.services import indicators

    open_database(db_path)
    try:
        indicators.compute_all(fill_year(2021, 300))
    finally:
        close_database()
    monkeypatch.setattr(integrity, "DEFER_CHECK_BYTES", 0)
    checks = []
    real = integrity._read_facts
    monkeypatch.setattr(integrity, "_read_facts", lambda con, thorough: checks.append(thorough) or real(con, thorough))
    return db_path, checks


def read_only_open(path):
    open_database(path, trust_page_stamp=True)
    close_database()


def test_a_read_only_look_checks_a_big_file_once_per_change(big_db):
    path, checks = big_db
    read_only_open(path)
    read_only_open(path)
    read_only_open(path)
    assert checks == [True, False, False]  # checked in full once, then the stamp stands for it

    open_database(path, lock=True)  # a writer checks in full whatever the stamp says …
    from safetymonth_desktop.services import campaigns

    campaigns.save(2022)  # … and its write changes the file
    close_database()
    assert checks[-1] is True
    read_only_open(path)
    read_only_open(path)
    assert checks[-2:] == [True, False]


def test_without_trust_every_open_reads_every_page(big_db):
    path, checks = big_db
    for _ in range(2):
        open_database(path)
        close_database()
    assert checks == [True, True]


def test_damage_with_the_times_put_back_is_still_found(big_db):
    path, checks = big_db
    read_only_open(path)
    assert page_stamps.unchanged(path)
    st = os.stat(path)
    data = bytearray(path.read_bytes())
    rnd = random.Random(3)
    for page in rnd.sample(range(2, len(data) // PAGE), 6):
        data[page * PAGE:page * PAGE + 300] = bytes(rnd.randrange(256) for _ in range(300))
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p` or a careless tool would leave it
    assert not page_stamps.unchanged(path)  # the change time moved: no program sets it back
    with pytest.raises(DatabaseFileError) as exc:
        open_database(path, trust_page_stamp=True)
    close_database()
    assert checks[-1] is True and exc.value.kind == "damaged"
    assert not page_stamps.unchanged(path)


def test_a_write_through_the_wal_invalidates_the_stamp(big_db):
    """Another program (or the GUI) writing beside the reader: the WAL changes, so does the stamp's view."""
    path, checks = big_db
    read_only_open(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("UPDATE campaign SET theme = '改了' WHERE year = 2021")
    con.commit()
    assert not page_stamps.unchanged(path)  # the WAL holds the change; the main file is as it was
    read_only_open(path)
    assert checks[-1] is True
    con.close()


def test_an_unwritable_stamp_file_only_means_checking_every_time(big_db, monkeypatch, tmp_path):
    path, checks = big_db
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("SAFETYMONTH_HOME", str(blocked))
    read_only_open(path)
    read_only_open(path)
    assert checks == [True, True]


def test_figures_on_a_big_file_damaged_after_it_was_stamped_is_refused(tmp_path):
    """The whole path as the clerk meets it, in real processes: a file above the size at which stamps are used."""
    from benchmarks.datagen import fill_year
    from safetymonth_desktop.services import indicators

    path = tmp_path / "big.sqlite"
    open_database(path)
    try:
        indicators.compute_all(fill_year(2021, 40_000))
    finally:
        close_database()
    assert path.stat().st_size > integrity.DEFER_CHECK_BYTES
    home = tmp_path / "home"
    first = cli("--db", path, "figures", "--year", 2021, "--json", home=home)
    assert first.returncode == 0, first.stderr
    assert (home / page_stamps.STAMP_FILE).is_file()
    again = cli("--db", path, "figures", "--year", 2021, "--json", home=home)
    assert again.returncode == 0 and again.stdout == first.stdout

    data = bytearray(path.read_bytes())
    for page in (5, len(data) // PAGE // 2, len(data) // PAGE - 3):
        data[page * PAGE:page * PAGE + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))
    result = cli("--db", path, "figures", "--year", 2021, "--json", home=home)
    assert result.returncode == 1 and "已损坏" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
