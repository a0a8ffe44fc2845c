"""Writing an imported workbook's checked rows into the database, all or nothing.

The reading and checking of a file lives in `exchange/xlsx_import.py`; this module only knows import
batches (`ImportBatch`: one per imported file, its content hash making a second import a no-op), which
earlier batch a changed file replaces, and the bulk write: units created on request, the batch row, the
records through the sqlite3 cursor's `executemany` (peewee's `insert_many` is ~10× slower; a big import into
a small table rebuilds its indexes once after it), the change history, and the deletion of a replaced batch —
all inside one transaction and one change group, so the whole import can be undone as one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter

import peewee as pw

from safetymonth_desktop.base import failures, vocab
from safetymonth_desktop.base.text import normalise
from safetymonth_desktop.db.connection import current_path, database
from safetymonth_desktop.db.fields import MoneyField
from safetymonth_desktop.db.models import ImportBatch, RECORD_MODELS, Unit, user_fields
from safetymonth_desktop.services import history, roster, units


@dataclass
class NewUnit:
    """A unit to be created by the import (only when the clerk agreed)."""

    name: str
    kind: str = "其他"
    contact: str = ""
    phone: str = ""
    notes: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """Everything one file writes. Unit values in `rows` are a unit id (int) or a key of `new_units`."""

    campaign_id: int
    file_name: str
    sha256: str
    unit: int | str | None = None  # the one unit the file reports for, if any
    rows: dict = field(default_factory=dict)  # model → list of {field name: cleaned value}
    new_units: dict[str, NewUnit] = field(default_factory=dict)
    replace: list[int] = field(default_factory=list)  # ids of earlier batches to delete first

    @property
    def total(self) -> int:
        return sum(len(r) for r in self.rows.values())


def batch_with_hash(campaign_id: int, sha256: str) -> ImportBatch | None:
    return (ImportBatch.select().where((ImportBatch.campaign == campaign_id) & (ImportBatch.sha256 == sha256))
            .order_by(ImportBatch.id).first())


def earlier_batches(campaign_id: int, *, unit_id: int | None, file_name: str) -> list[ImportBatch]:
    """Batches a changed file would replace: the same unit's, or for a file without one unit, the same file name's."""
    query = ImportBatch.select().where(ImportBatch.campaign == campaign_id)
    if unit_id is not None:
        query = query.where(ImportBatch.unit == unit_id)
    else:
        query = query.where(ImportBatch.unit.is_null() & (ImportBatch.file_name == file_name))
    return list(query.order_by(ImportBatch.id))


def batches(campaign_id: int) -> list[ImportBatch]:
    return list(ImportBatch.select().where(ImportBatch.campaign == campaign_id).order_by(ImportBatch.id))


def _converter(f: pw.Field, unit_ids: dict):
    """A function from a cleaned Python value to what SQLite stores, as peewee would store it."""
    if isinstance(f, pw.ForeignKeyField):
        return lambda v: None if v is None else (v if isinstance(v, int) else unit_ids[v])
    if isinstance(f, MoneyField):
        return f.db_value
    if isinstance(f, pw.DateField):
        return lambda v: v.isoformat() if v is not None else None
    if isinstance(f, (pw.IntegerField, pw.CharField, pw.TextField)):
        return None  # stored as it is
    return f.db_value


def delete_batch(batch_id: int) -> None:
    """Delete an import batch and its records (photos too), logged in the current change group."""
    for model in RECORD_MODELS:
        history.log_dependents(model, "import_batch_id = ?", (batch_id,))  # the replaced records' photos
        history.log_bulk_delete(model, "import_batch_id = ?", (batch_id,))
    history.log_delete(ImportBatch, batch_id, history.snapshot(ImportBatch, batch_id))
    ImportBatch.delete().where(ImportBatch.id == batch_id).execute()  # records go with it (ON DELETE CASCADE)


def _create_units(new_units: dict[str, NewUnit], campaign_id: int) -> dict[str, int]:
    """Create the file's new units (they join the roster of the year imported into, and no other year's), then
    their aliases: an alias that names any unit by then (an existing one or one just created) is never added, so
    an imported file cannot re-point a name."""
    ids = {}
    for key, new in new_units.items():
        kind = new.kind if new.kind in vocab.UNIT_KINDS else "其他"
        unit = units.create_unit(new.name, kind=kind, contact=new.contact, phone=new.phone, notes=new.notes,
                                 campaign=campaign_id)
        ids[key] = unit.id
    for key, new in new_units.items():
        for alias in new.aliases:
            if normalise(alias) and units.find_unit(alias) is None:
                units.add_alias(ids[key], alias)
    return ids


def write(plan: Plan) -> ImportBatch:
    """Write `plan` in one transaction (one change group); returns the new batch.

    A full disk, a read-only database or a failing disk during the write raises a Chinese AppError (the
    transaction is rolled back — by SQLite itself on a full disk, which is why peewee's own rollback then
    fails with "cannot rollback - no transaction is active"). Only when this write is the outermost
    transaction: inside a caller's transaction (the GUI imports all files in one) SQLite may have rolled
    back the caller's work too, so the error goes up to the caller, which must not carry on writing."""
    outermost = database.transaction_depth() == 0
    try:
        return _write(plan)
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        refusal = failures.explain(exc, current_path()) if outermost else None
        if refusal is None:
            raise
        raise refusal from exc


def _write(plan: Plan) -> ImportBatch:
    with history.change_group(), database.atomic():
        for batch_id in plan.replace:
            delete_batch(batch_id)
        unit_ids = _create_units(plan.new_units, plan.campaign_id)
        batch_unit = plan.unit if isinstance(plan.unit, int) or plan.unit is None else unit_ids[plan.unit]
        batch = ImportBatch.create(campaign=plan.campaign_id, unit=batch_unit, file_name=plan.file_name,
                                   sha256=plan.sha256, imported_at=dt.datetime.now(), rows=plan.total)
        history.log_create(ImportBatch, batch.id)
        cursor = database.cursor()
        reporting = set()
        for model, rows in plan.rows.items():
            if rows:
                _insert(cursor, model, rows, plan.campaign_id, batch.id, unit_ids)
                if "unit" in model._meta.fields:
                    reporting.update({row["unit"] for row in rows})
        roster.ensure_listed(plan.campaign_id, {v if isinstance(v, int) else unit_ids[v]
                                                for v in reporting if v is not None})
    return batch


BULK_INDEX_ROWS = 5000  # from this many rows, into a table that held no more before, indexes are rebuilt after


def _insert(cursor, model, rows: list[dict], campaign_id: int, batch_id: int, unit_ids: dict) -> None:
    """The rows as raw tuples through `executemany`, converted column by column: each distinct value of a
    column (dates, amounts, units repeat) is converted once and the column mapped through a dict in C. When
    at least `BULK_INDEX_ROWS` rows go into a table holding no more than that before, its plain (not UNIQUE)
    indexes are dropped for the insert and created again after it, in the same transaction, so a failure
    restores them with everything else (sorting once is cheaper than 100 000 B-tree insertions per index)."""
    fields = user_fields(model)
    table = model._meta.table_name
    columns = ["id", "campaign_id", "import_batch_id"] + [f.column_name for f in fields]
    first = history.next_id(model)
    count = len(rows)
    values = []
    by_column = zip(*map(itemgetter(*[f.name for f in fields]), rows)) if len(fields) > 1 else \
        iter([[row[fields[0].name] for row in rows]])
    for f, column in zip(fields, by_column):
        convert = _converter(f, unit_ids)
        if convert is not None:
            converted = {value: convert(value) for value in set(column)}
            column = list(map(converted.__getitem__, column))
        values.append(column)
    marks = ", ".join("?" for _ in columns)
    cols = ", ".join(f'"{c}"' for c in columns)
    rebuilt = _plain_indexes(cursor, table) if count >= BULK_INDEX_ROWS and _rows_in(cursor, table, first) <= count else []
    for name, _sql in rebuilt:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})',
                       zip(range(first, first + count), repeat(campaign_id), repeat(batch_id), *values))
    for _name, sql in rebuilt:
        cursor.execute(sql)
    history.log_bulk_create(model, first, first + count - 1)


def _rows_in(cursor, table: str, next_id: int) -> int:
    """How many rows `table` holds (ids below `next_id`: counted only when there may be more than a few)."""
    if next_id - 1 <= BULK_INDEX_ROWS:
        return next_id - 1
    return cursor.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _plain_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's declared indexes that enforce nothing (not UNIQUE)."""
    found = cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                           (table,)).fetchall()
    return [(name, sql) for name, sql in found if not sql.lstrip().upper().startswith("CREATE UNIQUE")]


def unit_name(unit_id: int | None) -> str:
    unit = Unit.get_or_none(Unit.id == unit_id) if unit_id else None
    return unit.name if unit else ""
