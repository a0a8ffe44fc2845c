"""The 修改记录 panel's view of the change history (services/history.py): `record_history` gives a record's
changes as readable rows (Chinese labels, units by name, money in 元, dates), `deleted_records` lists what
was deleted, and `restore_value` brings back an old value through the normal services (validated, logged,
undoable) — which is why this module sits above units, campaigns and records, and history below them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import peewee as pw

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db.fields import MoneyField, is_figure
from safetymonth_desktop.db.models import Campaign, ChangeLog, RECORD_MODELS, Unit, user_fields
from safetymonth_desktop.services import campaigns, numbers, records, units
from safetymonth_desktop.services.history import changes_for, snapshot


ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除"}
EMPTY = "(空)"


@dataclass
class FieldChange:
    name: str
    label: str
    before: str  # display text
    after: str


@dataclass
class HistoryRow:
    change_id: int
    at: dt.datetime
    action: str  # create / update / delete
    group: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def time_text(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S}" if isinstance(self.at, dt.datetime) else str(self.at)

    def summary(self) -> str:
        """'修改 参训人次:120 → 150;地点:(空) → 区会议中心'."""
        if self.action == "update":
            parts = [f"{c.label}:{c.before} → {c.after}" for c in self.changes]
        else:
            parts = [f"{c.label}:{c.after if self.action == 'create' else c.before}" for c in self.changes]
        return f"{self.action_label} " + ";".join(parts) if parts else self.action_label


def _column_fields(model) -> list[tuple[str, pw.Field]]:
    return [(f.column_name, f) for f in user_fields(model)]


def unit_name(unit_id) -> str:
    """A unit's name, also for a unit deleted since (from its deletion's snapshot)."""
    if unit_id is None:
        return EMPTY
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is not None:
        return unit.name
    gone = (ChangeLog.select().where((ChangeLog.table == Unit._meta.table_name) & (ChangeLog.record_id == unit_id)
                                     & (ChangeLog.action == "delete")).order_by(ChangeLog.id.desc()).first())
    if gone is not None and gone.before:
        return f"{json.loads(gone.before).get('name', unit_id)}(已删除)"
    return f"(单位编号 {unit_id})"


def display_value(field: pw.Field, raw) -> str:
    """A stored (raw SQLite) value as the clerk reads it: units by name, money in 元, dates in Chinese."""
    if raw is None or raw == "":
        return EMPTY
    if isinstance(field, pw.ForeignKeyField):
        return unit_name(raw)
    if isinstance(field, MoneyField):
        return f"{numbers.money_text(numbers.yuan(raw))} 元"
    if isinstance(field, pw.DateField):
        try:
            return numbers.date_phrase(dt.date.fromisoformat(str(raw)[:10]))
        except ValueError:
            return str(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and is_figure(field):
        return numbers.figure_text(raw)
    return str(raw)


def labelled(model, raw: dict | None) -> dict[str, str]:
    """A snapshot as {Chinese label: display text}, in form order."""
    raw = raw or {}
    return {f.verbose_name or f.name: display_value(f, raw.get(col)) for col, f in _column_fields(model)}


def _row(model, entry: ChangeLog) -> HistoryRow:
    before = json.loads(entry.before) if entry.before else None
    after = json.loads(entry.after) if entry.after else None
    row = HistoryRow(change_id=entry.id, at=entry.at, action=entry.action, group=entry.group)
    for col, f in _column_fields(model):
        old = (before or {}).get(col)
        new = (after or {}).get(col)
        if entry.action == "update" and old == new:
            continue
        if entry.action != "update" and (old if entry.action == "delete" else new) in (None, ""):
            continue
        row.changes.append(FieldChange(f.name, f.verbose_name or f.name,
                                       display_value(f, old) if before is not None else "",
                                       display_value(f, new) if after is not None else ""))
    return row


def record_history(model, record_id: int) -> list[HistoryRow]:
    """A record's history as readable rows, newest first."""
    return [_row(model, e) for e in reversed(changes_for(model, record_id))]


@dataclass
class DeletedRecord:
    change_id: int
    record_id: int
    at: dt.datetime
    values: dict[str, str]  # {Chinese label: display text}

    def summary(self, n: int = 3) -> str:
        shown = [f"{k}:{v}" for k, v in self.values.items() if v != EMPTY][:n]
        return ";".join(shown)


def deleted_records(model, *, campaign=None, limit: int = 200) -> list[DeletedRecord]:
    """Records of `model` deleted and not brought back since, newest first (of one campaign year if given)."""
    table = model._meta.table_name
    query = (ChangeLog.select().where((ChangeLog.table == table) & (ChangeLog.action == "delete")
                                      & ChangeLog.before.is_null(False))
             .order_by(ChangeLog.id.desc()))
    if campaign is not None:
        campaign_id = campaign if isinstance(campaign, int) else campaign.id
        query = query.where(pw.fn.json_extract(ChangeLog.before, "$.campaign_id") == campaign_id)
    found, seen = [], set()
    for entry in query.iterator():
        if entry.record_id in seen:
            continue
        seen.add(entry.record_id)
        if snapshot(model, entry.record_id) is not None:
            continue  # brought back (or the id reused) since
        found.append(DeletedRecord(entry.id, entry.record_id, entry.at, labelled(model, json.loads(entry.before))))
        if len(found) >= limit:
            break
    return found


def restore_value(model, record_id: int, change_id: int, field_name: str):
    """Bring back the value `field_name` had before change `change_id` (an update of that record), as a new
    change through the normal services (validated, logged, undoable). Returns the updated record."""
    entry = ChangeLog.get_or_none(ChangeLog.id == change_id)
    if entry is None or entry.table != model._meta.table_name or entry.record_id != record_id or not entry.before:
        raise AppError("找不到这条修改记录,无法恢复旧值。")
    if snapshot(model, record_id) is None:
        raise AppError("该记录已被删除,请先恢复被删除的记录。")
    field_obj = model._meta.fields.get(field_name)
    before = json.loads(entry.before)
    if field_obj is None or field_obj.column_name not in before:
        raise AppError("这条修改记录中没有该项的旧值。")
    raw = before[field_obj.column_name]
    value = raw if isinstance(field_obj, pw.ForeignKeyField) or raw is None else field_obj.python_value(raw)
    if model is Unit:
        return units.update_unit(record_id, **{field_name: value if value is not None else ""})
    if model is Campaign:
        year = Campaign.get_by_id(record_id).year
        return campaigns.save(year, **{field_name: value})[0]
    if model not in RECORD_MODELS:
        raise AppError("该类记录不能恢复旧值。")
    return records.update(model, record_id, {field_name: value})
