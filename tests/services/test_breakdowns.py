"""The grouped figures behind the report's per-category and per-outlet sentences, against hand-computed values."""

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import breakdowns, campaigns, records, units


@pytest.fixture
def year(db):
    y20 = campaigns.save(2020)[0]
    y21 = campaigns.save(2021)[0]
    a = units.create_unit("甲街道", kind="街道/乡镇")
    b = units.create_unit("乙局", kind="区级部门")

    def training(campaign, unit, category, sessions, participants):
        records.create(m.Training, campaign, {"unit": unit.id, "category": category, "sessions": sessions,
                                              "participants": participants})

    training(y21, b, "以会代训", 1, 40)
    training(y21, a, "以会代训", 2, 100)
    training(y21, a, "以会代训", 1, 30)
    training(y21, a, "特种作业人员培训", 3, 90)
    training(y21, b, "公开课/讲座", 1, 25)
    training(y20, a, "以会代训", 9, 999)  # another year: not counted

    def media(campaign, unit, channel, outlet, items):
        records.create(m.Media, campaign, {"unit": unit.id, "channel": channel, "outlet": outlet, "items": items})

    media(y21, a, "网站", "区政府网", 4)
    media(y21, b, "网站", "区政府网", 3)
    media(y21, a, "微信", "甲街道公众号", 5)
    media(y21, b, "微信", "乙局公众号", 12)
    media(y21, a, "网站", "应急局网站", 6)
    media(y21, a, "短信", "", 2)
    media(y20, a, "微信", "甲街道公众号", 100)
    return y21


def test_training_by_category_and_unit(year):
    # Categories in vocabulary order (特种作业人员培训, 公开课/讲座, 以会代训),
    # within a category the units in the order they were added (甲 before 乙).
    assert breakdowns.training_by_category_and_unit(year) == [
        ("特种作业人员培训", "甲街道", 3, 90),
        ("公开课/讲座", "乙局", 1, 25),
        ("以会代训", "甲街道", 3, 130),
        ("以会代训", "乙局", 1, 40),
    ]
    assert breakdowns.training_by_category_and_unit(year.id) == breakdowns.training_by_category_and_unit(year)


def test_media_by_channel_and_outlet(year):
    # Channels in vocabulary order (微信, 网站, … 短信); within a channel the outlet with most items first.
    assert breakdowns.media_by_channel_and_outlet(year) == [
        ("微信", "乙局公众号", 12),
        ("微信", "甲街道公众号", 5),
        ("网站", "区政府网", 7),
        ("网站", "应急局网站", 6),
        ("短信", "", 2),
    ]


def test_an_empty_year_has_no_groups(db):
    empty = campaigns.save(2022)[0]
    assert breakdowns.training_by_category_and_unit(empty) == []
    assert breakdowns.media_by_channel_and_outlet(empty) == []
