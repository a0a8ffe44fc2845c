"""Which database a file belongs to, so that listing, rotation, "newest good backup" and restore only ever
use a database's own backups.

Every database carries an id: AppSetting `database.id`, a random UUID given the first time a writer opens
it (`stamp`), together with `database.home`, the resolved path it was given at. SQLite's backup API copies
both into every backup, so a backup says which database it came from. A file copied to a new name (the
clerk's 试用.sqlite made from 正式.sqlite) still holds the original's id; the first writer to open the copy
sees that its home is another file that exists with the same id, and gives the copy its own id.

Backups made before ids existed carry none; for them the first change ever logged (ChangeLog's first row:
time and a random group id, never deleted) tells a database's lineage apart from another's. `relation`
answers True (the same database), False (provably another) or None (cannot tell).
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from safetymonth_desktop.base.file_facts import same_file
from safetymonth_desktop.db.backup_folder import backup_dir, list_backups, parse_name
from safetymonth_desktop.db.integrity import SQLITE_HEADER, ro_connect
from safetymonth_desktop.db.migrations import APPLICATION_ID

ID_KEY = "database.id"
HOME_KEY = "database.home"
# Files in a database's folder looked at when asking "which other databases live here" (a large folder such
# as the desktop must not make listing the backups slow).
MAX_FOLDER_ENTRIES = 2000


@dataclass(frozen=True)
class Mark:
    """What identifies the database a file holds: its id and its lineage (first logged change)."""

    id: str | None = None
    origin: tuple | None = None

    @property
    def known(self) -> bool:
        return self.id is not None or self.origin is not None


def read_mark(path) -> Mark | None:
    """The mark of the database in `path`, read-only; None when the file cannot be read as a database."""
    try:
        con = ro_connect(Path(path))
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        ident = None
        if "app_setting" in tables:
            row = con.execute("SELECT value FROM app_setting WHERE key = ?", (ID_KEY,)).fetchone()
            ident = str(row[0]) if row and row[0] else None
        origin = None
        if "change_log" in tables:
            row = con.execute('SELECT id, "at", "group" FROM change_log ORDER BY id LIMIT 1').fetchone()
            origin = tuple(str(v) for v in row) if row else None
        return Mark(ident, origin)
    except (sqlite3.Error, OSError):
        return None
    finally:
        con.close()


def compare(a: Mark | None, b: Mark | None) -> bool | None:
    """True: the same database; False: provably different databases; None: cannot tell."""
    if a is None or b is None:
        return None
    if a.id is not None and b.id is not None:
        return a.id == b.id
    if a.origin is not None and b.origin is not None:
        return a.origin == b.origin
    return None


# ---- giving a database its id


def stamp(execute, db_path) -> str:
    """Make sure the database behind `execute` (sqlite3's `con.execute` or peewee's `db.execute_sql`, on a
    connection that may write) has an id of its own; returns it. `db_path` is where the database lives."""
    here = os.path.realpath(db_path)
    current = _setting(execute, ID_KEY)
    home = _setting(execute, HOME_KEY)
    if current is not None and home is not None and home != here and _is_copy_of(home, here, current):
        current = None  # a copy of another database that still exists: from now on a database of its own
    if current is None:
        current = uuid.uuid4().hex
        _put(execute, ID_KEY, current)
    if home != here:
        _put(execute, HOME_KEY, here)
    return current


def restamp(execute, db_path, mark: Mark | None) -> None:
    """After a restore, on the restored data: the database keeps the id it had before (`mark`), whatever the
    backup carried; a database that had none takes the backup's (it now holds that database's data), or a new
    one. Never fails the restore: without its id the database's backups still go by their folder."""
    try:
        if mark is not None and mark.id is not None:
            _put(execute, ID_KEY, mark.id)
        elif _setting(execute, ID_KEY) is None:
            _put(execute, ID_KEY, uuid.uuid4().hex)
        _put(execute, HOME_KEY, os.path.realpath(db_path))
    except sqlite3.Error:
        pass


def _is_copy_of(home: str, here: str, ident: str) -> bool:
    if not os.path.isfile(home) or same_file(home, here):
        return False
    other = read_mark(home)
    return other is not None and other.id == ident


def _setting(execute, key: str) -> str | None:
    row = execute("SELECT value FROM app_setting WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row and row[0] else None


def _put(execute, key: str, value: str) -> None:
    execute("INSERT OR REPLACE INTO app_setting (key, value) VALUES (?, ?)", (key, value))


# ---- whose backup is this?


class Owner:
    """A database as the judge of which backups are its own: its mark (read from the file, or — when the file
    is damaged or missing — from its newest own backup) and, only when needed, the other databases of ours in
    its folder."""

    def __init__(self, path: Path, mark: Mark | None):
        self.path = path
        self.mark = mark
        self._others: list[tuple[Path, Mark | None]] | None = None

    @classmethod
    def of(cls, db_path) -> Owner:
        path = Path(db_path)
        mark = read_mark(path) if path.is_file() else None
        if mark is None or not mark.known:
            mark = _mark_from_own_backups(path) or mark
        return cls(path, mark)

    @property
    def others(self) -> list[tuple[Path, Mark | None]]:
        """(path, mark) of our other databases in the same folder (looked for once, when first needed)."""
        if self._others is None:
            self._others = [(p, read_mark(p)) for p in other_databases(self.path)]
        return self._others

    def relation(self, candidate: Mark | None) -> bool | None:
        """True: `candidate` is this database's; False: it is provably another database's; None: unknown."""
        direct = compare(candidate, self.mark)
        if direct is not None:
            return direct
        if candidate is not None and candidate.known and any(compare(candidate, mark) is True
                                                             for _path, mark in self.others):
            return False  # it belongs to another database in the same folder
        return None

    def claims(self, candidate: Mark | None) -> bool:
        """Whether a backup from the old shared backups folder is this database's: provably so, or no other
        database in the folder can have made it."""
        answer = self.relation(candidate)
        if answer is not None:
            return answer
        if not self.others:
            return True
        return (candidate is not None and candidate.known
                and all(compare(candidate, mark) is False for _path, mark in self.others))


def relation(candidate, db_path) -> bool | None:
    """Whether the file `candidate` is a copy (backup) of the database at `db_path`: True / False / None."""
    return Owner.of(db_path).relation(read_mark(candidate))


def _mark_from_own_backups(db_path: Path) -> Mark | None:
    for candidate in list_backups(backup_dir(db_path)):
        mark = read_mark(candidate)
        if mark is not None and mark.known:
            return mark
    return None


def other_databases(db_path) -> list[Path]:
    """Our databases (by their header) in the folder of `db_path`, other than it; backup copies named like
    ours (safetymonth-YYYYMMDD-…) are copies, not databases of their own, and are left out."""
    db_path = Path(db_path)
    found = []
    try:
        with os.scandir(db_path.parent) as entries:
            for n, entry in enumerate(entries):
                if n >= MAX_FOLDER_ENTRIES:
                    break
                name = entry.name
                if name.startswith(".") or name.endswith(("-wal", "-shm", "-journal")) or parse_name(Path(name)):
                    continue
                try:
                    if not entry.is_file() or entry.stat().st_size < 100:
                        continue
                    with open(entry.path, "rb") as fh:
                        head = fh.read(72)
                except OSError:
                    continue
                if head.startswith(SQLITE_HEADER) and int.from_bytes(head[68:72], "big") == APPLICATION_ID:
                    if not same_file(entry.path, db_path):
                        found.append(Path(entry.path))
    except OSError:
        return []
    return found
