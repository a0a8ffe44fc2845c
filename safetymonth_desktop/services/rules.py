"""Rules across fields of one record (DATA.md). Each takes the cleaned values and raises ValidationError.

Field-level rules (type, choices, required, non-negative, date bounds) are generic and live in
`records.clean`; only what concerns two or more fields of one record type belongs here.
"""

from __future__ import annotations

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import vocab
from safetymonth_desktop.services.errors import ValidationError


def _label(model, name: str) -> str:
    return model._meta.fields[name].verbose_name


def _not_more_than(model, values, part: str, whole: str) -> None:
    if not values.get(part):
        return
    if values.get(whole) is None:  # "整改10处" with nothing found would read as found 0, rate over 100%
        raise ValidationError(whole, f"填写了{_label(model, part)}时必须填写", label=_label(model, whole))
    if values[part] > values[whole]:
        raise ValidationError(part, f"不能大于{_label(model, whole)}({values[whole]})", label=_label(model, part))


def _not_before(model, values, later: str, earlier: str) -> None:
    if values.get(later) and values.get(earlier) and values[later] < values[earlier]:
        raise ValidationError(later, f"不能早于{_label(model, earlier)}", label=_label(model, later))


def training(values: dict) -> None:
    _not_before(m.Training, values, "end_date", "start_date")
    if values.get("sessions") is not None and values["sessions"] < 1:
        raise ValidationError("sessions", "至少为1", label="期(场)数")


def material(values: dict) -> None:
    if not values.get("measure") and values.get("kind"):
        values["measure"] = vocab.DEFAULT_MEASURE[values["kind"]]


def hazard(values: dict) -> None:
    if values.get("status") == vocab.RECTIFIED:
        if not values.get("rectified_date"):
            raise ValidationError("rectified_date", "状态为“已整改”时必须填写整改完成日期", label="整改完成日期")
        _not_before(m.Hazard, values, "rectified_date", "found_date")
    elif values.get("rectified_date"):
        raise ValidationError("rectified_date", "填写了整改完成日期,状态应为“已整改”", label="整改完成日期")
    if values.get("level") == vocab.MAJOR:
        for name in ("measures", "responsible"):
            if not values.get(name):
                raise ValidationError(name, "重大隐患必须填写", label=_label(m.Hazard, name))
    _not_before(m.Hazard, values, "deadline", "found_date")


def campaign_action(values: dict) -> None:
    _not_more_than(m.CampaignAction, values, "hazards_rectified", "hazards_found")


def inspection(values: dict) -> None:
    _not_more_than(m.Inspection, values, "problems_rectified", "problems_found")


def campaign(values: dict) -> None:
    if values.get("ordinal") is not None and values["ordinal"] < 1:
        raise ValidationError("ordinal", "至少为1", label=_label(m.Campaign, "ordinal"))
    _not_before(m.Campaign, values, "end_date", "start_date")


RULES = {
    m.Training: training,
    m.Material: material,
    m.Hazard: hazard,
    m.CampaignAction: campaign_action,
    m.Inspection: inspection,
    m.Campaign: campaign,
}


def check(model, values: dict) -> None:
    rule = RULES.get(model)
    if rule is not None:
        rule(values)
