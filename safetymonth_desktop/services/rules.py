"""Rules across fields of one record (DATA.md). Each rule looks at the cleaned values and yields every
ValidationError it finds, so that a record breaking two rules is told both at once.

Field-level rules (type, choices, required, non-negative, date bounds) are generic and live in
`records.clean`; only what concerns two or more fields of one record type belongs here. `problems(model,
values)` lists what is wrong; `check(model, values)` raises it (`ValidationError`, or `ValidationErrors` for
several); `RULES[model](values)` does the same for one model. A rule may fill a default (宣传品's 计量单位).
`READS[model]` names every field a rule reads, for a rule that changes nothing: what it says depends on those
values alone, so a bulk reader (the import) asks it once per distinct combination of them (a test holds each
rule to its list).
"""

from __future__ import annotations

from operator import itemgetter

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import ValidationError
from safetymonth_desktop.db import models as m


def _label(model, name: str) -> str:
    return model._meta.fields[name].verbose_name


def _not_more_than(model, values, part: str, whole: str):
    if not values.get(part):
        return
    if values.get(whole) is None:  # "整改10处" with nothing found would read as found 0, rate over 100%
        yield ValidationError(whole, f"填写了{_label(model, part)}时必须填写", label=_label(model, whole))
    elif values[part] > values[whole]:
        yield ValidationError(part, f"不能大于{_label(model, whole)}({values[whole]})", label=_label(model, part))


def _not_before(model, values, later: str, earlier: str):
    if values.get(later) and values.get(earlier) and values[later] < values[earlier]:
        yield _before_error(model, later, earlier)


def _before_error(model, later: str, earlier: str) -> ValidationError:
    return ValidationError(later, f"不能早于{_label(model, earlier)}", label=_label(model, later))


def training(values: dict):
    yield from _not_before(m.Training, values, "end_date", "start_date")
    if values.get("sessions") is not None and values["sessions"] < 1:
        yield ValidationError("sessions", "至少为1", label="期(场)数")


def material(values: dict):
    if not values.get("measure") and values.get("kind"):
        values["measure"] = vocab.DEFAULT_MEASURE[values["kind"]]
    return ()


def hazard(values: dict):
    # (run on every row of a 100 000-row import: the values are read once, the dates compared inline)
    get = values.get
    rectified, found = get("rectified_date"), get("found_date")
    if get("status") == vocab.RECTIFIED:
        if not rectified:
            yield ValidationError("rectified_date", "状态为“已整改”时必须填写整改完成日期", label="整改完成日期")
        elif found and rectified < found:
            yield _before_error(m.Hazard, "rectified_date", "found_date")
    elif rectified:
        yield ValidationError("rectified_date", "填写了整改完成日期,状态应为“已整改”", label="整改完成日期")
    if get("level") == vocab.MAJOR:
        for name in ("measures", "responsible"):
            if not get(name):
                yield ValidationError(name, "重大隐患必须填写", label=_label(m.Hazard, name))
    deadline = get("deadline")
    if deadline and found and deadline < found:
        yield _before_error(m.Hazard, "deadline", "found_date")


def campaign_action(values: dict):
    yield from _not_more_than(m.CampaignAction, values, "hazards_rectified", "hazards_found")


def inspection(values: dict):
    yield from _not_more_than(m.Inspection, values, "problems_rectified", "problems_found")


def campaign(values: dict):
    if values.get("ordinal") is not None and values["ordinal"] < 1:
        yield ValidationError("ordinal", "至少为1", label=_label(m.Campaign, "ordinal"))
    yield from _not_before(m.Campaign, values, "end_date", "start_date")
    # the summary is written once the month has begun, and in the campaign's year or the next
    yield from _not_before(m.Campaign, values, "report_date", "start_date")
    year, report_date = values.get("year"), values.get("report_date")
    if year and report_date and report_date.year > year + 1:
        yield ValidationError("report_date", f"应在{year}年或{year + 1}年内", label=_label(m.Campaign, "report_date"))


CHECKS = {
    m.Training: training,
    m.Material: material,
    m.Hazard: hazard,
    m.CampaignAction: campaign_action,
    m.Inspection: inspection,
    m.Campaign: campaign,
}


# Every field each rule reads, for the rules that only read (宣传品's fills in a default: not listed, asked row by row).
READS = {
    m.Training: ("start_date", "end_date", "sessions"),
    m.Hazard: ("status", "rectified_date", "found_date", "level", "measures", "responsible", "deadline"),
    m.CampaignAction: ("hazards_found", "hazards_rectified"),
    m.Inspection: ("problems_found", "problems_rectified"),
    m.Campaign: ("ordinal", "start_date", "end_date", "report_date", "year"),
}


def problems(model, values: dict, *, skip=()) -> list[ValidationError]:
    """Every rule of `model` that `values` break. Problems naming a field in `skip` are left out: a field that
    could not be read is absent from `values`, and what a rule says about it would only repeat that error."""
    rule = CHECKS.get(model)
    if rule is None:
        return []
    found = list(rule(values))
    return [problem for problem in found if problem.field not in skip] if found and skip else found


MAX_REMEMBERED = 100_000  # distinct combinations one `remembering` keeps the answer for


def remembering(model):
    """`problems(model, values, skip=...)` for the many rows of one sheet: a rule listed in `READS` is asked once per
    distinct combination of the values it reads, and the answer (a tuple: shared, not to be changed) given again
    for every row holding the same ones. A row with a field that could not be read (`skip`), or with values that
    cannot be told apart by equality (unhashable), is asked on its own."""
    reads = READS.get(model)
    if reads is None or model not in CHECKS:
        return lambda values, *, skip=(): problems(model, values, skip=skip)
    key_of = itemgetter(*reads)
    known: dict = {}

    def ask(values: dict, *, skip=()):
        if skip:
            return problems(model, values, skip=skip)
        try:
            key = key_of(values)
        except KeyError:  # a field not given reads as None (the rules look it up with .get)
            key = tuple(map(values.get, reads))
        try:
            return known[key]
        except KeyError:
            found = tuple(problems(model, values))
            if len(known) < MAX_REMEMBERED:
                known[key] = found
            return found
        except TypeError:  # unhashable: asked on its own
            return problems(model, values)

    return ask


def check(model, values: dict) -> None:
    """Raise every rule of `model` that `values` break (nothing when all hold)."""
    ValidationError.raise_all(problems(model, values))


def _raising(model):
    def rule(values: dict) -> None:
        check(model, values)
    return rule


# One callable per model that raises (ValidationErrors for several problems), for callers that catch.
RULES = {model: _raising(model) for model in CHECKS}
