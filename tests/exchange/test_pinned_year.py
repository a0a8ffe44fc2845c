"""A small year worked out by hand: its figures (`figures --json`), cells of the statistics workbook and
sentences of the Word summary are compared with LITERAL values written below, not with the indicator
registry — so a wrong query (say, 隐患整改率 over the ledger alone) fails here even though every output
would still agree with the registry.

The year (测试区 2021; counted on 2021-07-15 unless run by the command line, which counts on the real today):
- units 城关街道, 东湖街道 (no records), 区应急管理局;
- training: 区应急管理局 特种作业人员培训 2期 150人次; 城关街道 公开课/讲座 1期 60人次 → 3期, 210人次;
- hazard ledger (all 城关街道): 燃气 一般 已整改 12 000元; 燃气 一般 整改中 deadline 6-20;
  建筑施工 重大 待整改 deadline 8-31 3 500元; 建筑施工 一般 已整改 500元
  → 4 found, 2 rectified, 1 major, 16 000元 = 1.60万元; overdue on 7-15: 1 (6-20), on any day after 8-31: 2;
- 专项整治: 区应急管理局 燃气安全专项排查, 20人次, 15家次, found 6, rectified 4, 1 penalty, 5 000元 fine;
  → 排查隐患 4 + 6 = 10, 已整改 2 + 4 = 6, 整改率 6 / 10 = 60.0%;
    燃气 2 + 6 = 8 found, 1 + 4 = 5 rectified (62.5%); 建筑施工 2 found, 1 rectified (50.0%);
- 宣传挂图 100 by 城关街道, 2 500元; 微信 12 items reaching 5 000; 咨询日 300人次 5 desks 10 boards 800 copies;
  a drill of 50; one 综合督查 of 城关街道 finding 3 problems, 2 rectified
  → 宣传活动 2场 350人次; 受教育群众 210 + 350 + 5 000 = 5 560.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, records, units
from tests.cli.test_cli import run

D = dt.date


@pytest.fixture
def year(db):
    campaign, _ = campaigns.save(2021, region="测试区", organizer="区政府安委会")
    units.create_unit("城关街道", kind="街道/乡镇", campaign=campaign)
    units.create_unit("东湖街道", kind="街道/乡镇", campaign=campaign)
    units.create_unit("区应急管理局", kind="区级部门", campaign=campaign)

    def add(model, **values):
        records.create(model, campaign, values)

    add(m.Training, unit="区应急管理局", category="特种作业人员培训", title="特种作业人员复训", sessions=2, participants=150)
    add(m.Training, unit="城关街道", category="公开课/讲座", title="社区安全讲座", sessions=1, participants=60)
    hazard = dict(unit="城关街道", enterprise="某企业", found_date=D(2021, 6, 5), description="隐患")
    add(m.Hazard, **hazard, industry="燃气", level="一般", status="已整改", rectified_date=D(2021, 6, 10),
        funding=Decimal("12000"))
    add(m.Hazard, **hazard, industry="燃气", level="一般", status="整改中", deadline=D(2021, 6, 20))
    add(m.Hazard, **hazard, industry="建筑施工", level="重大", status="待整改", deadline=D(2021, 8, 31),
        measures="停工整改", responsible="张三", funding=Decimal("3500"))
    add(m.Hazard, **hazard, industry="建筑施工", level="一般", status="已整改", rectified_date=D(2021, 6, 12),
        funding=Decimal("500"))
    add(m.CampaignAction, unit="区应急管理局", action="燃气安全专项排查", industry="燃气", personnel=20, inspected=15,
        hazards_found=6, hazards_rectified=4, penalties=1, fines=Decimal("5000"))
    add(m.Material, unit="城关街道", kind="宣传挂图", name="安全生产月挂图", quantity=100, cost=Decimal("2500"))
    add(m.Media, unit="区应急管理局", channel="微信", outlet="“平安测试”公众号", items=12, reach=5000)
    add(m.Event, unit="区应急管理局", kind="安全宣传咨询日", date=D(2021, 6, 16), title="安全宣传咨询日活动",
        participants=300, desks=5, boards=10, materials=800)
    add(m.Event, unit="城关街道", kind="应急演练", date=D(2021, 6, 18), title="燃气泄漏应急演练", participants=50)
    add(m.Inspection, date=D(2021, 6, 22), kind="综合督查", target="城关街道", problems_found=3, problems_rectified=2)
    return campaign


def test_figures_json(year, db_path):
    result = run("--db", db_path, "figures", "--year", 2021, "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    expected = {
        "training.sessions": 3, "training.participants": 210,
        "materials.total": 100, "materials.cost": 0.25, "materials.by_kind": {"宣传挂图": 100},
        "media.items": 12, "media.by_channel": {"微信": 12},
        "events.count": 2, "events.participants": 350,
        "consult_day.desks": 5, "consult_day.boards": 10, "consult_day.materials": 800, "consult_day.participants": 300,
        "drills.count": 1, "drills.participants": 50, "people.educated": 5560,
        "hazards.found": 10, "hazards.major": 1, "hazards.rectified": 6, "hazards.rate": 60.0,
        # counted on the summary's 成文日期 (a past year: 7月10日), whatever today is: the one due 6-20 was overdue
        # then, the 重大 one due 8-31 not yet
        "hazards.overdue": 1,
        "hazards.funding": 1.6,
        "hazards.by_industry": {"建筑施工": {"found": 2, "rectified": 1}, "燃气": {"found": 8, "rectified": 5}},
        "enforcement.inspected": 15, "enforcement.personnel": 20, "enforcement.penalties": 1,
        "enforcement.fines": 0.5, "enforcement.shutdowns": 0,
        "supervision.count": 1, "supervision.targets": 1, "supervision.problems": 3, "supervision.rectified": 2,
        "units.total": 3, "units.reported": 2,
        "org.instructions": 0, "org.meetings": 0, "org.documents": 0,
    }
    assert {key: figures.get(key) for key in expected} == expected
    assert list(figures["hazards.by_industry"]) == ["建筑施工", "燃气"]  # in the vocabulary's order


def test_statistics_workbook_cells(year, tmp_path, today):
    import openpyxl

    from safetymonth_desktop.exchange import xlsx_export

    path = xlsx_export.write_stats(year, tmp_path / "统计.xlsx", today=today)
    wb = openpyxl.load_workbook(path)
    rows = {r[1]: r for r in wb["统计表"].iter_rows(min_row=3, values_only=True)}
    assert rows["排查隐患"] == ("隐患整治", "排查隐患", "处", 10, "hazards.found")
    assert rows["已整改隐患"][3] == 6
    assert rows["隐患整改率"] == ("隐患整治", "隐患整改率", "%", 60.0, "hazards.rate")
    assert rows["逾期未整改隐患"][3] == 1
    assert rows["整改资金"] == ("隐患整治", "整改资金", "万元", 1.6, "hazards.funding")
    assert rows["培训人次"][3] == 210 and rows["受教育群众"][3] == 5560
    assert rows["罚款"][3] == 0.5 and rows["宣传经费"][3] == 0.25
    industry = [r for r in wb["分行业隐患"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert industry == [("建筑施工", 2, 1, 50.0), ("燃气", 8, 5, 62.5), ("合计", 10, 6, 60.0)]


def test_word_summary_sentences(year, tmp_path, today):
    from docx import Document

    from safetymonth_desktop.exchange import word_report

    path = word_report.write_report(year, tmp_path / "总结.docx", today=today)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    for sentence in (
        "我区共举办各类安全培训3期、培训210人次。",
        "区应急管理局举办特种作业人员复训2期，参训150人次；城关街道举办社区安全讲座1期，参训60人次。",
        "突出燃气、建筑施工重点行业领域，深入开展隐患排查整治，共排查各类隐患10处。",  # industries by size: 8, 2
        "各单位通过1项专项行动排查隐患6处，另在日常检查中登记台账隐患4处（含重大隐患1处）。",
        "已整改隐患6处，整改率60.0%，投入整改资金1.6万元。",
        "截至2021年7月15日，仍有1处隐患超过整改期限未完成整改，需加强跟踪督办。",
        "区应急管理局开展燃气安全专项排查，检查单位15家次，发现隐患6处",
        "各专项行动出动执法检查人员20人次，检查生产经营单位15家次，对1家单位实施行政处罚、罚款0.5万元",
        "累计受教育群众5500余人次。",  # 5560: one total per paragraph, cut to 5500 with 余 (REPORT.md)
        "共发现问题3个，已整改2个。",
    ):
        assert sentence in text, f"{sentence}\n---\n{text}"
