"""The crash log: the traceback of an unexpected error (a bug, not bad input), kept for technical support.

It belongs to the database in use and lies beside it, named after it — `D:\\数据\\正式.sqlite` logs to
`D:\\数据\\正式.errors.log` — so the errors of two databases never mix, and sending the database folder
sends its log. With no database in use, or when that folder cannot be written (read-only, full, removed),
the log is `errors.log` in the per-user data folder. Writing the log never raises: a log that cannot be
written anywhere is reported as None.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

from safetymonth_desktop import __version__
from safetymonth_desktop.base import paths

FALLBACK_NAME = "errors.log"
SUFFIX = ".errors.log"
MAX_UNRAISABLE = 3  # secondary failures (clean-up after an error) logged per process; the rest only counted


def log_path(database: Path | None) -> Path:
    """Where the crash log of `database` goes (before any fallback)."""
    if database is None:
        return paths.data_dir() / FALLBACK_NAME
    database = Path(database)
    return database.with_name(database.stem + SUFFIX)


def candidates(database: Path | None) -> list[Path]:
    """The log files to try, in order: beside the database (when its folder exists), then the data folder."""
    fallback = paths.data_dir() / FALLBACK_NAME
    if database is None:
        database = current_database()
    if database is not None and Path(database).parent.is_dir():
        return [log_path(database), fallback]
    return [fallback]


def current_database() -> Path | None:
    """The database file open in this process, if any (the GUI's, or a command's)."""
    try:
        from safetymonth_desktop.db.proxy import database  # lazy: start-up (`--help` never loads peewee)

        db = database.obj
        if db is not None and not db.is_closed():
            return Path(db.database)
    except Exception:  # noqa: BLE001 - asking must never fail the logging
        pass
    return None


def write(exc: BaseException, database: Path | None = None, *, note: str = "") -> Path | None:
    """Append the traceback of `exc` to the log of `database` (default: the open one); returns the file
    written, or None when no log could be written."""
    header = f"\n==== {dt.datetime.now():%Y-%m-%d %H:%M:%S} safetymonth {__version__} {sys.argv[1:]}"
    text = header + (f" ({note})" if note else "") + "\n" + "".join(traceback.format_exception(exc))
    for path in candidates(database):
        if _append(path, text):
            return path
    return None


def write_named(exc: BaseException, database: Path | None = None) -> Path:
    """Append the traceback of an unexpected error to the crash log of `database` (default: the database
    open now) and return its path — where it should have been written if no folder could be written, so
    that a message naming it still makes sense."""
    return write(exc, database) or log_path(None)


def _append(path: Path, text: str) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "a", encoding="utf-8")
    except OSError:
        return False
    try:
        fh.write(text)
        fh.flush()
        return True
    except OSError:
        return False
    finally:
        try:
            fh.close()
        except OSError:  # a full disk fails the close as well; the file object is closed regardless
            pass


class UnraisableLog:
    """`sys.unraisablehook` for the command line: an exception Python cannot raise (an object's clean-up
    failing while it is garbage-collected — after a full disk, openpyxl's half-written streams and zip file)
    goes to the crash log instead of printing "Exception ignored …" with a traceback on the console."""

    def __init__(self, database: Path | None = None):
        self.database = database
        self.count = 0

    def __call__(self, unraisable) -> None:
        self.count += 1
        if self.count > MAX_UNRAISABLE or unraisable.exc_value is None:
            return
        where = getattr(unraisable.object, "__qualname__", None) or type(unraisable.object).__name__
        try:
            write(unraisable.exc_value, self.database, note=f"ignored in {where}")
        except Exception:  # noqa: BLE001 - the hook must never raise
            pass
