"""The summary's settings: 成文日期 and its defaults, 落款机关 from region + organizer, 层级 from the region's name,
and their validation like any record."""

import datetime as dt

import pytest

from safetymonth_desktop.base.errors import ValidationError
from safetymonth_desktop.services import campaigns, report_settings


@pytest.mark.parametrize("region, level", [("江州市", "市"), ("某某省", "省"), ("城南区", "区县"), ("某某县", "区县"),
                                           ("", "区县")])
def test_level_follows_the_region_for_a_new_year(db, region, level):
    assert campaigns.save(2021, region=region)[0].level == level
    assert campaigns.save(2022, region="江州市", level="区县")[0].level == "区县"  # given: kept


def test_report_date_defaults(campaign):
    today = dt.date(2026, 11, 29)
    past = report_settings.report_date(campaign, today=today)
    assert (past.date, past.source) == (dt.date(2021, 7, 10), "past_default")
    assert "7月10日" in past.explanation and "未设置成文日期" in past.explanation
    current = report_settings.report_date(campaign, today=dt.date(2021, 6, 20))
    assert (current.date, current.source) == (dt.date(2021, 6, 20), "today")
    campaigns.save(2021, report_date="2021-07-05")
    chosen = report_settings.report_date(campaigns.get(2021), today=today)
    assert (chosen.date, chosen.source, chosen.phrase) == (dt.date(2021, 7, 5), "set", "2021年7月5日")


@pytest.mark.parametrize("region, organizer, signer", [
    ("城南区", "区政府安委会", "城南区政府安委会"),
    ("城南区", "城南区安委办", "城南区安委办"),
    ("某某县", "县安委会", "某某县安委会"),
    ("江州市", "应急管理局", "江州市应急管理局"),
    ("", "区政府安委会", "区政府安委会"),
    ("城南区", "", ""),
])
def test_signer_defaults_to_region_and_organizer(db, region, organizer, signer):
    campaign = campaigns.save(2021, region=region, organizer=organizer)[0]
    assert report_settings.signer(campaign) == signer
    campaigns.save(2021, signer="城南区安全生产委员会")
    assert report_settings.signer(campaigns.get(2021)) == "城南区安全生产委员会"


def test_settings_are_validated(campaign):
    with pytest.raises(ValidationError) as exc:
        campaigns.save(2021, level="乡镇")
    assert exc.value.field == "level"
    with pytest.raises(ValidationError) as exc:
        campaigns.save(2021, report_date="2021-05-20")
    assert exc.value.field == "report_date" and "不能早于开始日期" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        campaigns.save(2021, report_date="2024-01-05")
    assert exc.value.field == "report_date"
    assert campaigns.save(2021, report_date="2022-01-05")[0].report_date == dt.date(2022, 1, 5)


def test_a_new_year_carries_the_recipient_and_signer_over(campaign):
    campaigns.save(2021, recipient="市安委办", signer="城南区安全生产委员会")
    new = campaigns.save(2022)[0]
    assert (new.recipient, new.signer, new.report_date) == ("市安委办", "城南区安全生产委员会", None)
