"""报送进度 (DATA.md "Roster"): who on a year's roster has reported, who sent a file that was refused, who is late.

One `UnitProgress` per roster unit: its templates issued, the files received from it (with their outcome, rows per
sheet and errors), the record sheets it has records in this year with their counts, and its status. Files whose
unit is not known (or no longer on the roster) are listed apart. `progress(campaign, as_of=…)` reads it all in four
queries; `reminder_text` words the 催报清单 for WeChat/OA. The GUI page, `safetymonth progress` and the 催报清单
workbook (exchange/progress_export.py) all read this module.

Status, one per unit, the first that applies:

1. 有误退回 — the LAST file received from the unit was refused. It wins over 已报送 although the unit's earlier
   records still count in the figures: the unit is waiting on a correction the clerk asked for, so it belongs on
   the 催报清单, and a later good file (or the same file fixed) moves it back. Showing it as 已报送 would hide it.
2. 已报送 — the unit has at least one record in the year, whatever its way in (import, typed, pasted). This is the
   very test of the indicator `units.reported`, so the page and `figures --json` count the same units.
3. 逾期 — not reported and the as-of date is after 报送截止日期 (the deadline day itself is still in time).
   Only a unit that has not reported can be late: a unit that reported after the deadline is simply 已报送.
4. 未报送 — everything else (no deadline set, or the deadline not yet passed).

The as-of date (default today) decides 逾期 and is the date the 催报清单 speaks of; the files and records are those
in the database now. `Progress.reported` (units with a record) equals `units.reported` and `Progress.total` (the
roster's size) equals `units.total`; a 有误退回 unit that had reported earlier counts in `reported` but not in the
已报送 status count.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.services import numbers, submissions, units

REFUSED_BACK, REPORTED, OVERDUE, MISSING = "有误退回", "已报送", "逾期", "未报送"
STATUSES = (REFUSED_BACK, REPORTED, OVERDUE, MISSING)  # in priority order (see the module docstring)
ALL = "全部"
FILTERS = (ALL, MISSING, REPORTED, REFUSED_BACK, OVERDUE)  # the order the GUI offers them
TO_CHASE = (MISSING, OVERDUE, REFUSED_BACK)  # the units a 催报清单 names
# The record sheets a unit can have records in, in the workbook's order, by table name.
SECTION_TITLES = {model._meta.table_name: model._meta.title for model in m.UNIT_RECORD_MODELS}


@dataclass
class Issue:
    """A template written for the unit."""

    when: dt.datetime
    file_name: str

    @property
    def name(self) -> str:
        """The file's name without its folder."""
        return _base_name(self.file_name)


@dataclass
class Receipt:
    """A file received: when, which, what became of it, rows per sheet, the errors kept of a refused file."""

    id: int
    when: dt.datetime
    file_name: str
    outcome: str
    rows: dict
    errors: list[str]
    message: str = ""
    stamped: bool = False
    sha256: str = ""
    unit_id: int | None = None
    unit: str = ""  # the unit's name; '' when it is not known

    @property
    def name(self) -> str:
        return _base_name(self.file_name)

    @property
    def outcome_label(self) -> str:
        return submissions.OUTCOME_LABELS.get(self.outcome, self.outcome)

    @property
    def refused(self) -> bool:
        return self.outcome == submissions.REFUSED

    @property
    def total_rows(self) -> int:
        return sum(int(v or 0) for v in self.rows.values())

    def to_json(self) -> dict:
        return {"file": self.file_name, "received_at": _iso(self.when), "outcome": self.outcome,
                "outcome_label": self.outcome_label, "rows": self.rows, "message": self.message,
                "errors": self.errors, "stamped": self.stamped, "sha256": self.sha256}


@dataclass
class UnitProgress:
    unit_id: int
    unit: str
    kind: str
    status: str
    issued: list[Issue] = field(default_factory=list)
    received: list[Receipt] = field(default_factory=list)
    sections: dict[str, int] = field(default_factory=dict)  # record sheet title → records this year
    contact: str = ""
    phone: str = ""
    late: bool = False  # not reported and the deadline has passed (also for a 有误退回 unit)

    @property
    def records(self) -> int:
        return sum(self.sections.values())

    @property
    def last_file(self) -> Receipt | None:
        return self.received[-1] if self.received else None

    @property
    def last_issue(self) -> Issue | None:
        return self.issued[-1] if self.issued else None

    @property
    def sections_text(self) -> str:
        """'培训 2、隐患台账 5' — what the unit has records of this year; '' for nothing."""
        return sections_text(self.sections)

    def to_json(self) -> dict:
        last = self.last_file
        return {"unit": self.unit, "status": self.status, "files": [r.to_json() for r in self.received],
                "rows": dict(self.sections), "kind": self.kind, "records": self.records,
                "last_file": last.file_name if last else None, "last_received_at": _iso(last.when) if last else None,
                "templates": [{"file": i.file_name, "issued_at": _iso(i.when)} for i in self.issued],
                "late": self.late}


@dataclass
class Progress:
    year: int
    as_of: dt.date
    deadline: dt.date | None
    units: list[UnitProgress]
    unlisted: list[Receipt]  # files of an unknown unit (or of a unit not on the roster), oldest first
    blank_templates: list[Issue] = field(default_factory=list)  # templates written without a unit

    @property
    def total(self) -> int:
        """The roster's size (= indicator units.total)."""
        return len(self.units)

    @property
    def reported(self) -> int:
        """Roster units with a record this year (= indicator units.reported), whatever their status."""
        return sum(1 for u in self.units if u.records)

    @property
    def counts(self) -> dict[str, int]:
        """How many units have each status (every status present, in STATUSES order)."""
        out = dict.fromkeys(STATUSES, 0)
        for u in self.units:
            out[u.status] += 1
        return out

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.as_of > self.deadline

    def of_status(self, *statuses: str) -> list[UnitProgress]:
        """The units of those statuses (ALL or nothing given: every unit)."""
        if not statuses or ALL in statuses:
            return list(self.units)
        return [u for u in self.units if u.status in statuses]

    def unit(self, unit_id: int) -> UnitProgress | None:
        return next((u for u in self.units if u.unit_id == unit_id), None)


def _base_name(path: str) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def _iso(when) -> str | None:
    if when is None:
        return None
    return when.isoformat(timespec="seconds") if isinstance(when, dt.datetime) else when.isoformat()


def _cid(campaign) -> int:
    return campaign if isinstance(campaign, int) else campaign.id


def sections_text(sections: dict) -> str:
    return "、".join(f"{title} {n}" for title, n in sections.items() if n)


def _sections_by_unit(campaign_id: int) -> dict[int, dict[str, int]]:
    """unit id → {record sheet title: records this year}, in the workbook's sheet order: one query."""
    parts = [f"SELECT '{model._meta.table_name}', unit_id, COUNT(*) FROM \"{model._meta.table_name}\""
             f" WHERE campaign_id = :c AND unit_id IS NOT NULL GROUP BY unit_id" for model in m.UNIT_RECORD_MODELS]
    out: dict[int, dict[str, int]] = {}
    roots = _sub_region_roots()
    for table, unit_id, n in database.execute_sql(" UNION ALL ".join(parts), {"c": campaign_id}).fetchall():
        unit_id = roots.get(unit_id, unit_id)  # roll-up: a sub-region's units' records are the sub-region's
        counts = out.setdefault(unit_id, {})
        counts[table] = counts.get(table, 0) + n
    order = list(SECTION_TITLES)
    return {uid: {SECTION_TITLES[t]: counts[t] for t in order if t in counts} for uid, counts in out.items()}


def _sub_region_roots() -> dict[int, int]:
    """Each unit that belongs to a sub-region (services/rollup.py) → the importer's own unit it is under."""
    parent = dict(m.Unit.select(m.Unit.id, m.Unit.parent).where(m.Unit.parent.is_null(False)).tuples())
    roots = {}
    for uid in parent:
        top = uid
        while top in parent:
            top = parent[top]
        roots[uid] = top
    return roots


def _receipt(r: m.FileReceipt, names: dict[int, str]) -> Receipt:
    try:
        rows = json.loads(r.rows or "{}")
    except ValueError:
        rows = {}
    try:
        errors = [str(e) for e in json.loads(r.errors or "[]")]
    except ValueError:
        errors = []
    uid = r.unit_id
    return Receipt(id=r.id, when=r.received_at, file_name=r.file_name, outcome=r.outcome,
                   rows=rows if isinstance(rows, dict) else {}, errors=errors, message=r.message or "",
                   stamped=bool(r.stamped), sha256=r.sha256 or "", unit_id=uid, unit=names.get(uid, "") if uid else "")


def status_of(*, has_records: bool, last_refused: bool, late: bool) -> str:
    """The status by the rule of the module docstring."""
    if last_refused:
        return REFUSED_BACK
    if has_records:
        return REPORTED
    return OVERDUE if late else MISSING


def progress(campaign, *, as_of: dt.date | None = None) -> Progress:
    """The 报送进度 of `campaign` (a Campaign or its year's Campaign id) as of the day `as_of` (default today)."""
    campaign = campaign if isinstance(campaign, m.Campaign) else m.Campaign.get_by_id(campaign)
    cid = campaign.id
    as_of = as_of or dt.date.today()
    deadline = campaign.deadline
    passed = deadline is not None and as_of > deadline
    roster_units = list(m.Unit.select(m.Unit.id, m.Unit.name, m.Unit.kind, m.Unit.contact, m.Unit.phone)
                        .join(m.RosterEntry, on=(m.RosterEntry.unit == m.Unit.id))
                        .where(m.RosterEntry.campaign == cid))
    rank = {k: i for i, k in enumerate(vocab.UNIT_KINDS)}
    roster_units.sort(key=lambda u: (rank.get(u.kind, len(rank)), u.name))
    sections = _sections_by_unit(cid)
    listed = {u.id for u in roster_units}

    received: dict[int, list[Receipt]] = {}
    unlisted: list[Receipt] = []
    receipts = list(m.FileReceipt.select().where(m.FileReceipt.campaign == cid)
                    .order_by(m.FileReceipt.received_at, m.FileReceipt.id))
    names = units.display_names()  # a name shared with a sub-region's unit is qualified (城关街道（本级）)
    for r in receipts:
        item = _receipt(r, names)
        if r.unit_id in listed:
            received.setdefault(r.unit_id, []).append(item)
        else:
            unlisted.append(item)

    issued: dict[int | None, list[Issue]] = {}
    for i in (m.TemplateIssue.select().where(m.TemplateIssue.campaign == cid)
              .order_by(m.TemplateIssue.issued_at, m.TemplateIssue.id)):
        issued.setdefault(i.unit_id, []).append(Issue(i.issued_at, i.file_name))

    rows = []
    for u in roster_units:
        files = received.get(u.id, [])
        counts = sections.get(u.id, {})
        late = passed and not counts
        status = status_of(has_records=bool(counts), last_refused=bool(files) and files[-1].refused, late=late)
        rows.append(UnitProgress(unit_id=u.id, unit=names.get(u.id, u.name), kind=u.kind, status=status, issued=issued.get(u.id, []),
                                 received=files, sections=counts, contact=u.contact, phone=u.phone, late=late))
    return Progress(year=campaign.year, as_of=as_of, deadline=deadline, units=rows, unlisted=unlisted,
                    blank_templates=issued.get(None, []))


def unit_history(campaign, unit_id: int) -> tuple[list[Issue], list[Receipt]]:
    """The templates issued to one unit in the year and the files received from it, oldest first."""
    name = {unit_id: units.display_name(m.Unit.get_by_id(unit_id).id)}  # NotFound is the caller's to see
    return ([Issue(i.issued_at, i.file_name) for i in submissions.issues(campaign, unit_id)],
            [_receipt(r, name) for r in submissions.receipts(campaign, unit_id)])


def units_off_roster(campaign) -> list[m.Unit]:
    """The units of the directory that are not on the year's roster (to pick one to add), by kind then name."""
    cid = _cid(campaign)
    listed = m.RosterEntry.select(m.RosterEntry.unit).where(m.RosterEntry.campaign == cid)
    rank = {k: i for i, k in enumerate(vocab.UNIT_KINDS)}
    # a sub-region's own units are never on the roster (services/roster.ensure_listed): the sub-region is
    return sorted(m.Unit.select().where(m.Unit.id.not_in(listed) & m.Unit.parent.is_null()),
                  key=lambda u: (rank.get(u.kind, len(rank)), u.name))


# ---- the 催报清单

def _day(d: dt.date, year: int) -> str:
    """'6月25日' within the campaign's year, '2022年1月5日' outside it."""
    return numbers.month_day_phrase(d) if d.year == year else numbers.date_phrase(d)


def reminder_text(report: Progress) -> str:
    """The 催报清单 as plain text for WeChat or OA: who has not reported (未报送 and 逾期), who must send a corrected
    file (有误退回), and the deadline. Says so when nobody is left to chase."""
    today = _day(report.as_of, report.year)
    missing = report.of_status(MISSING, OVERDUE)
    refused = report.of_status(REFUSED_BACK)
    what = f"{report.year}年安全生产月材料"
    if not missing and not refused:
        if not report.units:
            return f"截至{today}，{report.year}年度报送单位名单中还没有单位。"
        return f"截至{today}，名单中的{len(report.units)}个单位均已报送{what}。"
    lines = []
    if missing:
        names = "、".join(u.unit for u in missing)
        lines.append(f"截至{today}，以下{len(missing)}个单位尚未报送{what}：{names}。")
    if refused:
        names = "、".join(u.unit for u in refused)
        lead = "" if missing else f"截至{today}，"
        lines.append(f"{lead}以下{len(refused)}个单位报送材料有误，已退回，请修改后重新报送：{names}。")
    if report.deadline is not None:
        due = _day(report.deadline, report.year)
        lines.append(f"报送截止日期（{due}）已过，请尽快报送。" if report.deadline_passed else f"请于{due}前报送。")
    return "\n".join(lines)


def reminder_units(report: Progress) -> list[UnitProgress]:
    """The units a 催报清单 names: 有误退回 first, then 逾期 and 未报送."""
    return report.of_status(REFUSED_BACK) + report.of_status(OVERDUE, MISSING)


def last_file_text(unit: UnitProgress) -> str:
    """'城关街道.xlsx(6月20日 10:15,已导入)' or '' when nothing was received."""
    last = unit.last_file
    if last is None:
        return ""
    return f"{last.name}({when_text(last.when)},{last.outcome_label})"


def when_text(when) -> str:
    if when is None:
        return ""
    if isinstance(when, dt.datetime):
        return f"{when.year}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}"
    return when.isoformat()
