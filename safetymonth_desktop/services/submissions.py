"""报送 tracking (DATA.md "Roster"): the templates issued to a year's units and the files received from them.

`record_issue` is called when a 填报模板 is written, `record_receipt` once for every file an import really tried
(not for a preview): imported, refused, replaced an earlier import, or unchanged (the same file again). These rows
are a log of what happened, kept beside the records: the status of a roster unit (未报送 / 已报送 / 有误退回 / 逾期)
is read from them and from the records the unit has in the year.
"""

from __future__ import annotations

import datetime as dt
import json

from safetymonth_desktop.db.models import FileReceipt, TemplateIssue

IMPORTED, REFUSED, REPLACED, UNCHANGED = "imported", "refused", "replaced", "unchanged"
OUTCOME_LABELS = {IMPORTED: "已导入", REFUSED: "退回(有误)", REPLACED: "已导入(替换旧文件)", UNCHANGED: "重复文件(未变化)"}
MAX_KEPT_ERRORS = 200  # a receipt keeps the first errors of a refused file, for the clerk to look at or send back


def _cid(campaign) -> int:
    return campaign if isinstance(campaign, int) else campaign.id


def record_issue(campaign, unit_id: int | None, file_name: str, stamp: str = "",
                 when: dt.datetime | None = None) -> TemplateIssue:
    """Remember that a template for `unit_id` (None: a blank one) was written to `file_name`."""
    return TemplateIssue.create(campaign=_cid(campaign), unit=unit_id, file_name=str(file_name), stamp=stamp,
                                issued_at=when or dt.datetime.now())


def record_receipt(campaign, *, unit_id: int | None, file_name: str, sha256: str, rows: dict, outcome: str,
                   message: str = "", errors=(), stamped: bool = False,
                   when: dt.datetime | None = None) -> FileReceipt:
    """Remember a received file and what became of it. `rows` maps sheet name → rows (imported or that would have
    been); `errors` are the file's problems as text (the first MAX_KEPT_ERRORS are kept)."""
    if outcome not in OUTCOME_LABELS:
        raise ValueError(f"unknown outcome {outcome!r}")
    kept = [str(e) for e in list(errors)[:MAX_KEPT_ERRORS]]
    return FileReceipt.create(campaign=_cid(campaign), unit=unit_id, file_name=str(file_name), sha256=sha256 or "",
                              rows=json.dumps(rows or {}, ensure_ascii=False), outcome=outcome, message=message or "",
                              errors=json.dumps(kept, ensure_ascii=False), stamped=bool(stamped),
                              received_at=when or dt.datetime.now())


def receipts(campaign, unit_id: int | None = None) -> list[FileReceipt]:
    """The files received for the year (for one unit), oldest first."""
    query = FileReceipt.select().where(FileReceipt.campaign == _cid(campaign))
    if unit_id is not None:
        query = query.where(FileReceipt.unit == unit_id)
    return list(query.order_by(FileReceipt.received_at, FileReceipt.id))


def issues(campaign, unit_id: int | None = None) -> list[TemplateIssue]:
    """The templates written for the year (for one unit), oldest first."""
    query = TemplateIssue.select().where(TemplateIssue.campaign == _cid(campaign))
    if unit_id is not None:
        query = query.where(TemplateIssue.unit == unit_id)
    return list(query.order_by(TemplateIssue.issued_at, TemplateIssue.id))


def receipt_rows(receipt: FileReceipt) -> dict:
    return json.loads(receipt.rows or "{}")


def receipt_errors(receipt: FileReceipt) -> list[str]:
    return json.loads(receipt.errors or "[]")
