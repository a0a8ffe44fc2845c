"""The indicator catalogue's values kept in the database between changes: computed once per change, read
many times (the overview, the tables' totals, `figures`, the report, the statistics workbook).

Every write of data is logged in the change history (services/history.py), and every logging call bumps the
data generation (`bump()`, AppSetting `data.generation`) in the same transaction as the write. Values are
stored per (campaign, as-of date) with the stamp they were computed under — the generation, the newest change
log id and the schema version, so a file edited by a version of the application that did not bump the
generation, or changed by a migration, is never read from a stale cache — and a stored entry is used only
while its stamp is the current one. What is stored is the registry's own output (services/indicators.py
encodes and decodes it); this module knows nothing about what the figures mean. Beside them, under the same
stamp, each record table's row count for the year (services/listing.py: a tab over a million rows opens
without counting them).

Nothing here is an instruction to compute: `lookup` never computes, `store` writes only when the stamp is
still current and this process may write (a command reading beside the GUI never writes the cache).
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import peewee as pw

from safetymonth_desktop.db.connection import current_path, database, holds_lock
from safetymonth_desktop.db.lock import lock_path
from safetymonth_desktop.db.models import AppSetting, ChangeLog

GENERATION_KEY = "data.generation"
PREFIX = "figures."  # AppSetting keys of cached values: figures.<campaign id>.<as-of date>
ROWS_PREFIX = PREFIX + "rows."  # a record table's rows in the year: figures.rows.<campaign id>.<table>
_SETTINGS = f'"{AppSetting._meta.table_name}"'
_LOG = f'"{ChangeLog._meta.table_name}"'


def bump() -> None:
    """A write happened: every cached value is stale from now on (call inside the write's transaction)."""
    database.execute_sql(
        f"INSERT INTO {_SETTINGS} (key, value) VALUES (?, '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1", (GENERATION_KEY,))


def generation() -> int:
    row = database.execute_sql(f"SELECT value FROM {_SETTINGS} WHERE key = ?", (GENERATION_KEY,)).fetchone()
    try:
        return int(row[0]) if row else 0
    except (TypeError, ValueError):
        return 0


def stamp(*, execute=None) -> list:
    """What the data looks like now, in three numbers read in one statement: the generation, the newest change
    log entry and the schema version. `execute(sql, params)` reads through another connection."""
    row = (execute or database.execute_sql)(
        f"SELECT (SELECT value FROM {_SETTINGS} WHERE key = ?), (SELECT max(id) FROM {_LOG}), "
        "(SELECT user_version FROM pragma_user_version)", (GENERATION_KEY,)).fetchone()
    try:
        gen = int(row[0]) if row[0] is not None else 0
    except (TypeError, ValueError):
        gen = -1
    return [gen, row[1] or 0, row[2] or 0]


def _key(campaign_id: int, as_of: dt.date) -> str:
    return f"{PREFIX}{campaign_id}.{as_of.isoformat()}"


def _rows_key(table: str, campaign_id: int) -> str:
    return f"{ROWS_PREFIX}{campaign_id}.{table}"


def lookup(campaign_id: int, as_of: dt.date, current: list | None = None) -> dict | None:
    """The stored values of (campaign, as-of date) if they were computed under the current stamp, else None."""
    values = _get(_key(campaign_id, as_of), current)
    return values if isinstance(values, dict) else None


def lookup_rows(tables, campaign_id: int, current: list | None = None) -> dict[str, int]:
    """How many rows each of `tables` holds for the year, for those counted under the current stamp (one read)."""
    tables = list(tables)
    if not tables:
        return {}
    current = current if current is not None else stamp()
    keys = {_rows_key(table, campaign_id): table for table in tables}
    marks = ", ".join("?" * len(keys))
    found = {}
    for key, text in database.execute_sql(f"SELECT key, value FROM {_SETTINGS} WHERE key IN ({marks})", tuple(keys)):
        count = _valid(text, current)
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            found[keys[key]] = count
    return found


def _get(key: str, current: list | None):
    row = database.execute_sql(f"SELECT value FROM {_SETTINGS} WHERE key = ?", (key,)).fetchone()
    return None if row is None else _valid(row[0], current if current is not None else stamp())


def _valid(text, current: list):
    """The values of a stored entry if it was computed under `current`, else None."""
    try:
        entry = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("stamp") != current:
        return None
    return entry.get("values")


def may_write() -> bool:
    """Only the database's one writer stores (the GUI, a writing command); a process that holds no write lock
    while another does only reads. Without any lock file (tests, a lone process) storing is harmless."""
    if holds_lock():
        return True
    path = current_path()
    return path is None or not lock_path(path).exists()


def store(campaign_id: int, as_of: dt.date, computed_under: list, values: dict) -> bool:
    """Keep `values` (JSON-safe) for (campaign, as-of date) if the data has not changed since `computed_under`
    was read, dropping entries that are stale; returns whether they were stored. A read-only database, or a
    busy one, simply keeps no cache."""
    return _put({_key(campaign_id, as_of): values}, computed_under)


def store_rows(campaign_id: int, computed_under: list, counts: dict[str, int]) -> bool:
    """Keep the year's row count of each table in `counts` as `store` keeps the figures (same stamp, same rules).
    Counted on a worker, they wait for the main thread (`keep_handed_over`)."""
    entries = {_rows_key(table, campaign_id): int(n) for table, n in counts.items()}
    if threading.current_thread() is not threading.main_thread():
        with _handed_lock:
            _handed_over.append((database.obj, entries, computed_under))
        return False
    return _put(entries, computed_under)


# Row counts a worker made, for the main thread to keep, with the opened database they were counted in (another
# file or a restore opens a new one, whose stamp may look the same).
_handed_over: list[tuple[object, dict, list]] = []
_handed_lock = threading.Lock()


def keep_handed_over() -> int:
    """On the main thread (a worker's results delivered): keep the row counts workers made since, those still
    counted under the current stamp; returns how many entries were kept."""
    if threading.current_thread() is not threading.main_thread():
        return 0
    with _handed_lock:
        waiting = _handed_over[:]
        _handed_over.clear()
    return sum(len(entries) for opened, entries, under in waiting if opened is database.obj and _put(entries, under))


def _put(entries: dict, computed_under: list) -> bool:
    """Store each key's values under `computed_under` in one transaction, if that is still the current stamp. Only
    the main thread stores: a worker (the checklist counting the year's rows beside the GUI) reads and never takes
    the write lock a clerk's edit may be waiting for."""
    if not may_write() or threading.current_thread() is not threading.main_thread():
        return False
    rows = [(key, json.dumps({"stamp": computed_under, "values": values}, ensure_ascii=False))
            for key, values in entries.items()]
    try:
        with database.atomic():
            if stamp() != computed_under:
                return False
            database.execute_sql(f"DELETE FROM {_SETTINGS} WHERE key LIKE ? AND json_extract(value, '$.stamp') <> ?",
                                 (PREFIX + "%", json.dumps(computed_under, separators=(",", ":"))))
            for row in rows:
                database.execute_sql(f"INSERT OR REPLACE INTO {_SETTINGS} (key, value) VALUES (?, ?)", row)
        return True
    except pw.OperationalError:  # read-only file or folder, a lock held too long: the values are still right
        return False


def clear() -> None:
    """Forget every cached value (the next look computes them again)."""
    database.execute_sql(f"DELETE FROM {_SETTINGS} WHERE key LIKE ?", (PREFIX + "%",))
