"""The import's write when the machine fails (no tmpfs needed: SQLite's behaviour is reproduced in-process).
On a full disk SQLite rolls the transaction back itself, so the rollback that follows fails with "cannot
rollback - no transaction is active": the file must be refused with the real reason, nothing written, and
the next file still imported. Inside a caller's transaction (the GUI's one-transaction import) the error
must reach the caller instead of being turned into a refusal it would carry on after."""

import sqlite3

import peewee as pw
import pytest

from safetymonth_desktop.db.connection import database
from safetymonth_desktop.exchange import xlsx_import
from safetymonth_desktop.services import imports
from tests.exchange.test_xlsx_import import counts, units_ready, write_book  # noqa: F401 (fixture)

TRAINING = ["填报单位", "培训类别", "参训人次"]


def full_disk_once(monkeypatch):
    """The next bulk insert behaves as SQLite does on a full disk: the transaction is gone, then the error."""
    real = imports._insert
    calls = []

    def insert(cursor, *args, **kwargs):
        if not calls:
            calls.append(1)
            real(cursor, *args, **kwargs)  # some rows reach the file …
            database.execute_sql("ROLLBACK")  # … SQLite undoes the transaction itself
            raise sqlite3.OperationalError("database or disk is full")
        return real(cursor, *args, **kwargs)

    monkeypatch.setattr(imports, "_insert", insert)


def test_a_full_disk_refuses_the_file_and_writes_nothing(units_ready, tmp_path, monkeypatch):
    first = write_book(tmp_path / "城关.xlsx", {"培训": [TRAINING, ["城关街道", "以会代训", 10]]})
    second = write_book(tmp_path / "东湖.xlsx", {"培训": [TRAINING, ["东湖街道", "以会代训", 20]]})
    before = counts()
    full_disk_once(monkeypatch)
    results = xlsx_import.import_files([first, second], 2021, backup=False)
    assert results[0].status == xlsx_import.REFUSED
    assert "磁盘空间已满" in results[0].message and "cannot rollback" not in results[0].message
    assert results[1].status == xlsx_import.IMPORTED  # space again: the next file goes in
    after = counts()
    assert after["Training"] == before["Training"] + 1 and after["ImportBatch"] == before["ImportBatch"] + 1


def test_inside_a_callers_transaction_the_error_goes_up(units_ready, tmp_path, monkeypatch):
    """Turned into a refusal here, the second file would be written outside any transaction (SQLite ended the
    caller's) and stay, though the GUI's import as a whole failed."""
    first = write_book(tmp_path / "城关.xlsx", {"培训": [TRAINING, ["城关街道", "以会代训", 10]]})
    second = write_book(tmp_path / "东湖.xlsx", {"培训": [TRAINING, ["东湖街道", "以会代训", 20]]})
    before = counts()
    full_disk_once(monkeypatch)
    with pytest.raises(pw.OperationalError) as raised:
        xlsx_import.import_files_together([first, second], 2021)
    assert "no transaction is active" in str(raised.value) or "disk is full" in str(raised.value)
    assert counts() == before
