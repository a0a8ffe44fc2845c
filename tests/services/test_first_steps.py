"""The first day's five steps read their state from the database: roster, templates issued, files received, records,
the readiness checklist."""

from __future__ import annotations

import datetime as dt


def states(campaign):
    from safetymonth_desktop.services import first_steps

    return {step.key: step.state for step in first_steps.steps(campaign, today=dt.date(2024, 6, 1))}


def test_a_new_year_walks_the_path(db):
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.services import campaigns, first_steps as fs, records, submissions, units

    campaign = campaigns.save(2024, region="城南区", organizer="区政府安委会")[0]
    assert states(campaign) == {"roster": fs.NEXT, "templates": fs.LATER, "import": fs.LATER, "check": fs.LATER,
                                "export": fs.LATER}
    unit = units.create_unit("城关街道", campaign=campaign)
    assert states(campaign)["roster"] == fs.DONE and states(campaign)["templates"] == fs.NEXT
    submissions.record_issue(campaign, unit.id, "模板-城关街道.xlsx")
    assert states(campaign)["templates"] == fs.DONE and states(campaign)["import"] == fs.NEXT
    submissions.record_receipt(campaign, unit_id=unit.id, file_name="城关街道.xlsx", sha256="a", rows={},
                               outcome=submissions.REFUSED)
    steps = {s.key: s for s in fs.steps(campaign)}
    assert steps["import"].state == fs.NEXT and "已收到 1 个文件,其中 0 个已导入" in steps["import"].detail
    records.create(m.Meeting, campaign, {"unit": unit.id, "title": "部署会", "date": dt.date(2024, 6, 3), "kind": "部署会"})
    got = states(campaign)
    assert got["import"] == fs.DONE
    # no 下一步工作 and no signer problem: only 提示 remain, so the check is done and the year may be exported
    assert got["check"] == fs.DONE and got["export"] == fs.READY


def test_a_serious_gap_keeps_the_check_open(db):
    from safetymonth_desktop.services import campaigns, first_steps as fs
    from safetymonth_desktop.services.demo import create_demo

    create_demo(2021)
    campaign = campaigns.save(2021, region=None)[0]  # no region: 注意
    got = states(campaign)
    assert got["import"] == fs.DONE and got["templates"] == fs.DONE  # records typed or imported: nothing to issue
    assert got["check"] == fs.NEXT and got["export"] == fs.LATER
