"""Change history (修改记录): every create, update and delete made through the services is logged with
the stored values before and after, inside the same transaction. A user action that changes many records
(a paste, an import, a merge) shares one `group`, so it can be undone as one.

Undo is itself a change: `revert_group(g)` applies the inverse of group g's changes as a new group, which
`revert_group` can revert in turn (redo); `restore_record` brings a deleted record back as a new, undoable
change. The 修改记录 panel reads this log through services/history_view.py.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import uuid

import peewee as pw

from safetymonth_desktop.db.connection import database
from safetymonth_desktop.db.models import (
    PHOTO_OWNERS, RECORD_MODELS, Campaign, ChangeLog, FileReceipt, ImportBatch, Note, Photo, RosterEntry,
    TemplateIssue, model_by_table,
)
from safetymonth_desktop.services import figure_cache
from safetymonth_desktop.base.errors import AppError

_current_group: contextvars.ContextVar[str | None] = contextvars.ContextVar("change_group", default=None)
_last_group: contextvars.ContextVar[str | None] = contextvars.ContextVar("last_group", default=None)


@contextlib.contextmanager
def change_group():
    """Everything logged inside the block belongs to one group; yields the group id."""
    if _current_group.get() is not None:
        yield _current_group.get()
        return
    group = uuid.uuid4().hex
    token = _current_group.set(group)
    try:
        yield group
    finally:
        _current_group.reset(token)
        _last_group.set(group)


def last_group() -> str | None:
    """The group of the most recent change made in this context (what an Undo button undoes)."""
    return _last_group.get()


def _group() -> str:
    group = _current_group.get()
    if group is None:
        group = uuid.uuid4().hex
        _last_group.set(group)
    return group


def snapshot(model, record_id: int) -> dict | None:
    """The stored (raw SQLite) values of one row, JSON-safe; None when the row does not exist."""
    table = model._meta.table_name
    cursor = database.execute_sql(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))
    row = cursor.fetchone()
    if row is None:
        return None
    return {d[0]: v for d, v in zip(cursor.description, row)}


def _log(model, record_id: int, action: str, before: dict | None, after: dict | None) -> None:
    figure_cache.bump()  # every logged write makes the cached figures stale, in the write's own transaction
    ChangeLog.create(group=_group(), table=model._meta.table_name, record_id=record_id, action=action,
                     before=json.dumps(before, ensure_ascii=False) if before is not None else None,
                     after=json.dumps(after, ensure_ascii=False) if after is not None else None)


def log_create(model, record_id: int) -> None:
    _log(model, record_id, "create", None, snapshot(model, record_id))


def log_update(model, record_id: int, before: dict | None) -> None:
    after = snapshot(model, record_id)
    if after != before:
        _log(model, record_id, "update", before, after)


def log_delete(model, record_id: int, before: dict | None) -> None:
    _log(model, record_id, "delete", before, None)


def next_id(model) -> int:
    """The id SQLite gives the next row of `model`'s table: above every id it ever had (AUTOINCREMENT), so a bulk
    insert that numbers its rows itself never takes a deleted record's id and history."""
    table = model._meta.table_name
    return database.execute_sql(
        f"""SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),
                       coalesce((SELECT max(id) FROM "{table}"), 0)) + 1""", (table,)).fetchone()[0]


def log_bulk_create(model, first_id: int, last_id: int) -> None:
    """Log rows inserted in bulk (ids first_id..last_id) with one statement."""
    table = model._meta.table_name
    figure_cache.bump()
    database.execute_sql(
        f"""INSERT INTO "{ChangeLog._meta.table_name}" ("at", "group", "table", record_id, action, before, after)
            SELECT datetime('now', 'localtime'), ?, ?, id, 'create', NULL, NULL FROM "{table}" WHERE id BETWEEN ? AND ?""",
        (_group(), table, first_id, last_id),
    )


def changes_for(model, record_id: int) -> list[ChangeLog]:
    """The history of one record, oldest first."""
    return list(ChangeLog.select().where((ChangeLog.table == model._meta.table_name) & (ChangeLog.record_id == record_id))
                .order_by(ChangeLog.id))


def changes_in_group(group: str) -> list[ChangeLog]:
    return list(ChangeLog.select().where(ChangeLog.group == group).order_by(ChangeLog.id))


def _insert_raw(table: str, values: dict) -> None:
    cols = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join("?" for _ in values)
    database.execute_sql(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', tuple(values.values()))


def _update_raw(table: str, record_id: int, values: dict) -> None:
    sets = ", ".join(f'"{c}" = ?' for c in values if c != "id")
    params = tuple(v for c, v in values.items() if c != "id")
    database.execute_sql(f'UPDATE "{table}" SET {sets} WHERE id = ?', params + (record_id,))


def revert_change(entry: ChangeLog) -> None:
    """Apply the inverse of one logged change (logged itself, in the current group)."""
    model = model_by_table(entry.table)
    before = json.loads(entry.before) if entry.before else None
    current = snapshot(model, entry.record_id)
    if entry.action == "create":
        if current is not None:
            log_dependents(model, "id = ?", (entry.record_id,))
            database.execute_sql(f'DELETE FROM "{entry.table}" WHERE id = ?', (entry.record_id,))
            log_delete(model, entry.record_id, current)
    elif entry.action == "delete":
        if current is not None:
            raise AppError("该记录已存在,无需恢复。")
        _insert_raw(entry.table, before)
        log_create(model, entry.record_id)
    elif entry.action == "update":
        if current is None:
            raise AppError("该记录已被删除,无法恢复旧值;请先恢复被删除的记录。")
        _update_raw(entry.table, entry.record_id, before)
        log_update(model, entry.record_id, current)


# A run of at least this many creates (or deletes) of one table in a group is reverted in a few statements
# (an import of 100 000 rows: 1 s instead of a minute); shorter runs go one change at a time.
BULK_RUN = 50


def revert_group(group: str) -> str:
    """Undo every change of `group` (newest first) as one new group; returns the new group's id."""
    log = ChangeLog._meta.table_name
    entries = database.execute_sql(f'SELECT id, "table", action FROM "{log}" WHERE "group" = ? ORDER BY id',
                                   (group,)).fetchall()
    if not entries:
        raise AppError("没有可撤销的修改。")
    with change_group() as new_group, database.atomic():
        for table, action, ids in _runs(reversed(entries)):
            try:
                if len(ids) >= BULK_RUN and action == "create":
                    _revert_creates(group, table, min(ids), max(ids))
                elif len(ids) >= BULK_RUN and action == "delete" and _complete_snapshots(group, table, min(ids), max(ids)):
                    _revert_deletes(group, new_group, table, min(ids), max(ids))
                else:
                    for entry in ChangeLog.select().where(ChangeLog.id.in_(ids)).order_by(ChangeLog.id.desc()):
                        revert_change(entry)
            except Exception as exc:  # sqlite3.IntegrityError etc.: explain, roll back everything
                if isinstance(exc, AppError):
                    raise
                raise AppError(f"无法撤销:相关记录已被其他修改引用或改变({exc})。") from exc
    return new_group


def _runs(entries):
    """(table, action, [change ids]) for each run of consecutive entries with the same table and action."""
    run = None
    for change_id, table, action in entries:
        if run is not None and run[0] == table and run[1] == action:
            run[2].append(change_id)
            continue
        if run is not None:
            yield run
        run = (table, action, [change_id])
    if run is not None:
        yield run


_IN_RUN = '"group" = ? AND id BETWEEN ? AND ?'  # a run's entries: consecutive in the group, so its id range


def _revert_creates(group: str, table: str, low: int, high: int) -> None:
    """Delete the records a run of logged creates made, those still there, each logged with its values."""
    model = model_by_table(table)
    where = f'id IN (SELECT record_id FROM "{ChangeLog._meta.table_name}" WHERE {_IN_RUN})'
    log_bulk_delete(model, where, (group, low, high))
    database.execute_sql(f'DELETE FROM "{table}" WHERE {where}', (group, low, high))


def _complete_snapshots(group: str, table: str, low: int, high: int) -> bool:
    """Whether every logged delete of the run holds a value for every column the table has now (a snapshot taken
    before a column was added goes one by one, so that the column's default applies)."""
    model = model_by_table(table)
    missing = " OR ".join(f"json_type(before, '$.{f.column_name}') IS NULL" for f in model._meta.sorted_fields)
    return database.execute_sql(f'SELECT NOT EXISTS (SELECT 1 FROM "{ChangeLog._meta.table_name}" '
                                f"WHERE {_IN_RUN} AND (before IS NULL OR {missing}))", (group, low, high)).fetchone()[0]


def _revert_deletes(group: str, new_group: str, table: str, low: int, high: int) -> None:
    """Put back the records a run of logged deletes removed, exactly as they were, each logged as created."""
    log = ChangeLog._meta.table_name
    model = model_by_table(table)
    inside = f'id IN (SELECT record_id FROM "{log}" WHERE {_IN_RUN})'
    if database.execute_sql(f'SELECT EXISTS (SELECT 1 FROM "{table}" WHERE {inside})', (group, low, high)).fetchone()[0]:
        raise AppError("该记录已存在,无需恢复。")
    columns = [f.column_name for f in model._meta.sorted_fields]
    values = ", ".join(f"json_extract(before, '$.{c}')" for c in columns)
    database.execute_sql(f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
                         f'SELECT {values} FROM "{log}" WHERE {_IN_RUN} ORDER BY id DESC', (group, low, high))
    figure_cache.bump()
    database.execute_sql(
        f"""INSERT INTO "{log}" ("at", "group", "table", record_id, action, before, after)
            SELECT datetime('now', 'localtime'), ?, "table", record_id, 'create', NULL, before
            FROM "{log}" WHERE {_IN_RUN} ORDER BY id DESC""", (new_group, group, low, high))


def log_cascade_delete(campaign_id: int) -> None:
    """Log every row that deleting campaign `campaign_id` removes by ON DELETE CASCADE (records, notes,
    imports), in SQL, so that undoing the deletion — or restore_record(Campaign, id) — brings them back.
    Call it before deleting the campaign."""
    figure_cache.bump()
    # Records before the rows they reference: undo replays in reverse, so imports and notes come back first (and
    # photos, which reference records, last).
    for model in RECORD_MODELS:
        log_dependents(model, "campaign_id = ?", (campaign_id,))
    for model in (*RECORD_MODELS, Note, RosterEntry, TemplateIssue, FileReceipt, ImportBatch):
        table = model._meta.table_name
        columns = [f.column_name for f in model._meta.sorted_fields]
        pairs = ", ".join(f"'{c}', \"{c}\"" for c in columns)
        database.execute_sql(
            f"""INSERT INTO "{ChangeLog._meta.table_name}" ("at", "group", "table", record_id, action, before, after)
                SELECT datetime('now', 'localtime'), ?, ?, id, 'delete', json_object({pairs}), NULL
                FROM "{table}" WHERE campaign_id = ? ORDER BY id""",
            (_group(), table, campaign_id),
        )


def restore_record(model, record_id: int) -> str:
    """Bring back a deleted record exactly as it was (a new, undoable change); returns the change group.
    A deleted campaign year comes back with every record that was deleted with it, a record with its photos."""
    entry = (ChangeLog.select().where((ChangeLog.table == model._meta.table_name) & (ChangeLog.record_id == record_id)
                                      & (ChangeLog.action == "delete")).order_by(ChangeLog.id.desc()).first())
    if entry is None:
        raise AppError("修改记录中没有该记录的删除操作,无法恢复。")
    if snapshot(model, record_id) is not None:
        raise AppError("该记录已存在,无需恢复。")
    entries = [entry]
    if model is Campaign:
        children = (ChangeLog.select().where((ChangeLog.group == entry.group) & (ChangeLog.action == "delete")
                                             & (ChangeLog.id < entry.id) & (ChangeLog.table != entry.table)
                                             & (pw.fn.json_extract(ChangeLog.before, "$.campaign_id") == record_id))
                    .order_by(ChangeLog.id.desc()))
        entries += list(children)
    entries = _with_photos(entry.group, entry.id, entries)  # a record's photos come back with it
    with change_group() as group, database.atomic():
        for item in entries:
            try:
                revert_change(item)
            except AppError:
                raise
            except pw.IntegrityError as exc:
                raise AppError("无法恢复:该记录引用的单位或年度已被删除,请先恢复它们"
                               f"({exc})。") from exc
    return group


def log_dependents(model, where: str, params: tuple = ()) -> int:
    """Log, as deleted, the photos that ON DELETE CASCADE takes with the rows of `model` that `where` selects. Call it
    before deleting (and logging) those rows: undo replays a group newest first, so the record comes back before its
    photos. Returns how many photos were logged (0 for a record type without photos)."""
    column = PHOTO_OWNERS.get(model)
    if column is None:
        return 0
    return log_bulk_delete(Photo, f'"{column}_id" IN (SELECT id FROM "{model._meta.table_name}" WHERE {where})', params)


def _with_photos(group: str, before_id: int, entries: list[ChangeLog]) -> list[ChangeLog]:
    """`entries` (deletions being restored, newest first) plus the deletions of the photos of the records among them
    logged earlier in `group`, placed last so that each photo comes back after its record."""
    restored = {(e.table, e.record_id) for e in entries}
    photos = []
    for item in (ChangeLog.select().where((ChangeLog.group == group) & (ChangeLog.action == "delete")
                                          & (ChangeLog.table == Photo._meta.table_name) & (ChangeLog.id < before_id))
                 .order_by(ChangeLog.id.desc())):
        values = json.loads(item.before or "{}")
        if any((owner._meta.table_name, values.get(f"{column}_id")) in restored for owner, column in PHOTO_OWNERS.items()):
            photos.append(item)
    return entries + photos


def _json_row(model) -> str:
    """SQL building a row's stored values as a JSON object (the shape `snapshot` returns)."""
    return "json_object(" + ", ".join(f"'{f.column_name}', \"{f.column_name}\"" for f in model._meta.sorted_fields) + ")"


def log_bulk_delete(model, where: str, params: tuple = ()) -> int:
    """Log rows about to be deleted in bulk (`where` selects them) with their stored values, in one
    statement, so that the deletion can be undone like any other; returns how many rows were logged."""
    table = model._meta.table_name
    figure_cache.bump()
    cursor = database.execute_sql(
        f"""INSERT INTO "{ChangeLog._meta.table_name}" ("at", "group", "table", record_id, action, before, after)
            SELECT datetime('now', 'localtime'), ?, ?, id, 'delete', {_json_row(model)}, NULL
            FROM "{table}" WHERE {where} ORDER BY id""",
        (_group(), table, *params),
    )
    return cursor.rowcount


def update_logged(model, assignments: dict, where: str, params: tuple = ()) -> int:
    """UPDATE the rows `where` selects with `assignments` (column → value), logging each row's values before
    and after in the current group, in three statements whatever the number of rows; returns the row count."""
    table, log = model._meta.table_name, ChangeLog._meta.table_name
    group = _group()
    figure_cache.bump()
    database.execute_sql(
        f"""INSERT INTO "{log}" ("at", "group", "table", record_id, action, before, after)
            SELECT datetime('now', 'localtime'), ?, ?, id, 'update', {_json_row(model)}, NULL
            FROM "{table}" WHERE {where} ORDER BY id""", (group, table, *params))
    sets = ", ".join(f'"{column}" = ?' for column in assignments)
    count = database.execute_sql(f'UPDATE "{table}" SET {sets} WHERE {where}',
                                 (*assignments.values(), *params)).rowcount
    database.execute_sql(
        f"""UPDATE "{log}" SET after = (SELECT {_json_row(model)} FROM "{table}" t WHERE t.id = "{log}".record_id)
            WHERE "group" = ? AND "table" = ? AND action = 'update' AND after IS NULL""", (group, table))
    return count
