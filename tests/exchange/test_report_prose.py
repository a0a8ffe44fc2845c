"""The summary reads like a person wrote it (REPORT.md, "Writing like a person"): no sentence frame more than three
times in a row, one hazards total with its split said once, industries in order of size, no schema unit strings,
no two paragraphs opening alike, 同比 only when the change is notable, the clerk's text in Chinese punctuation,
joint and repeated records told once, leaders' roles only as the data gives them. Checked on the demo year and on
a crowded year built to tempt every repetition."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_context import build_context
from safetymonth_desktop.services import campaigns, indicators, numbers, records, units

from .prose_rules import (SCHEMA_UNITS, duplicate_clauses, focus_industries, frame_runs, generated_paragraphs,
                          hazards_text, repeated_figures, shape, year_names)


# ---------------------------------------------------------------------------------------------- punctuation

@pytest.mark.parametrize("typed, printed", [
    ("强调:压实属地责任,抓好隐患排查", "强调：压实属地责任，抓好隐患排查"),
    ("要求;加强值守!是否到位?", "要求；加强值守！是否到位？"),
    ("安全生产月宣传挂图(8张/套)", "安全生产月宣传挂图（8张/套）"),
    ("户外显示屏(LED)", "户外显示屏（LED）"),
    ("（8张/套)", "（8张/套）"),
    ("责任 , 抓好", "责任，抓好"),
    ("共3处,已整改", "共3处，已整改"),
    ("整改到位.", "整改到位。"),
    ("投入3.5万元", "投入3.5万元"),
    ("2021-6-16", "2021-6-16"),
    ("时间:10:30", "时间：10:30"),
    ("10:30", "10:30"),
    ("LED", "LED"),
    ("A,B", "A,B"),
    ("1,000", "1,000"),
    ("f(x)", "f(x)"),
    ("No.5号楼", "No.5号楼"),
    ("等等...", "等等..."),
    ("网址:http://yjj.example.cn/a?b=1,2", "网址：http://yjj.example.cn/a?b=1,2"),
    ("联系 aq@example.cn,电话", "联系 aq@example.cn，电话"),
    ("已经是，全角：（好）", "已经是，全角：（好）"),
    ("", ""),
])
def test_punctuation_in_chinese_context(typed, printed):
    assert P.punctuate(typed) == printed


def test_clerk_text_loses_pack_notes_and_trailing_marks():
    assert P.clerk("安全生产月宣传挂图(8张/套)") == "安全生产月宣传挂图"
    assert P.clerk("口袋书（每本20页）。") == "口袋书（每本20页）"
    assert P.clerk("抓好排查,落实整改;") == "抓好排查，落实整改"


def test_items_sharing_a_verb_are_merged():
    assert P.respectively(["A局", "B局"], "开展", ["甲", "乙"], tail="等演练") == "A局和B局分别开展甲和乙等演练"
    assert P.respectively(["A局"], "开展", ["甲"], tail="等演练") == "A局开展甲演练"  # no 等 after one thing
    assert P.respectively(["A局", "B局"], "开展", ["甲", "甲"], tail="等演练") == "A局、B局开展甲演练"
    assert P.respectively(["A局", "A局"], "开展", ["甲", "乙"]) == "A局开展甲和乙"  # no 分别 pairing one unit twice
    five = P.respectively(list("ABCDE"), "开展", list("甲乙丙丁戊"), tail="等活动")
    assert five == "A、B、C和D分别开展甲、乙、丙和丁等活动"
    assert P.respectively(["A局会同B局", "C局"], "开展", ["甲", "乙"], tail="等演练") == "A局会同B局开展甲演练，C局开展乙演练"


# ---------------------------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("n, text", [
    (47, "47"), (100, "100"), (608, "600余"), (998, "近1000"), (1698, "近1700"), (2377, "2300余"), (2400, "2400"),
    (9950, "近1万"), (87998, "近8.8万"), (70712, "7万余"), (45000, "4.5万"),
])
def test_totals_are_rounded_with_jin_and_yu(n, text):
    assert numbers.approx_phrase(n) == text


def test_year_on_year_threshold():
    assert numbers.change_phrase(1030, 1000, threshold=numbers.NOTABLE_PERCENT) == ""
    assert numbers.change_phrase(1077, 1000, threshold=numbers.NOTABLE_PERCENT) == "同比增长7.7%"
    assert numbers.change_phrase(950, 1000, threshold=numbers.NOTABLE_PERCENT) == "同比下降5%"
    assert numbers.points_change_phrase(90.0, 89.0, threshold=numbers.NOTABLE_POINTS) == ""
    assert numbers.points_change_phrase(90.0, 86.0, threshold=numbers.NOTABLE_POINTS) == "同比提高4个百分点"
    assert numbers.change_phrase(1030, 1000) == "同比增长3%"  # the template's yoy keeps every change


# ---------------------------------------------------------------------------------------------- the checker itself

def test_the_frame_checker_finds_a_table_dump():
    names = {"区应急管理局", "区住建局", "区消防大队", "区燃气公司", "打非治违", "建筑整治", "消防整治", "燃气排查"}
    dump = ("区应急管理局开展打非治违，检查单位321家次，发现隐患446处；区住建局开展建筑整治，检查单位78家次，发现隐患247处；"
            "区消防大队开展消防整治，检查单位477家次，发现隐患533处；区燃气公司开展燃气排查，检查单位638家次，发现隐患154处。")
    assert frame_runs(dump, names)
    assert not frame_runs(dump.split("；区燃气公司")[0] + "。", names)  # three in a row are allowed
    assert shape("城南区共排查隐患近1700处", {"城南区"}) == "Ⓝ共排查隐患#处"


# ---------------------------------------------------------------------------------------------- the demo year

@pytest.fixture
def two_demo_years(db):
    from safetymonth_desktop.services.demo import create_demo

    create_demo(2020)
    return create_demo(2021)


@pytest.fixture
def demo_ctx(two_demo_years, today):
    return build_context(two_demo_years, today=today)


def check_rules(ctx, campaign):
    paragraphs = generated_paragraphs(ctx)
    names = year_names(campaign)
    assert [(p, frame_runs(p, names)) for p in paragraphs if frame_runs(p, names)] == []
    assert [p for p in paragraphs if SCHEMA_UNITS.search(p)] == []
    assert [p for p in paragraphs if re.search(r"[\u4e00-\u9fff][,;:!?()]|[,;:!?()][\u4e00-\u9fff]", p)] == []
    assert duplicate_clauses(paragraphs) == []
    assert [p for p in paragraphs if repeated_figures(p)] == []
    openings = [re.sub(r"^[一二三四五六七八九十]是", "", p)[:4] for p in paragraphs]
    assert [(a, b) for a, b in zip(openings, openings[1:]) if a == b] == []
    assert sum(p.startswith(("活动期间，全", "活动期间全")) for p in paragraphs) <= 1
    assert "同比" not in " ".join(paragraphs) or ctx["yoy"]
    for p in paragraphs:  # at most one rounded total (近1700, 2300余) per paragraph
        assert len(re.findall(r"近\d|\d0余", p)) <= 1, p


def test_demo_year_reads_like_a_person_wrote_it(demo_ctx, two_demo_years):
    check_rules(demo_ctx, two_demo_years)


def test_demo_hazards_are_one_account(demo_ctx, two_demo_years, today):
    f = indicators.compute_all(two_demo_years, today=today)
    text = hazards_text(demo_ctx)
    total = numbers.approx_phrase(f["hazards.found"])
    assert text.count(f"隐患{total}处") == 1 and text.count("共排查") == 1
    sources = demo_ctx["hazards"]["sources"]
    assert sources["actions"] + sources["ledger"] == f["hazards.found"] and sources["ledger"] > 0
    # the split is said once, and no per-industry list restates the total a second way
    assert f"专项行动排查隐患{numbers.count_phrase(sources['actions'])}处" in text
    assert f"登记台账隐患{sources['ledger']}处" in text
    assert "领域排查隐患" not in text
    # the small actions are grouped
    assert re.search(r"其余\d项专项行动共发现隐患\d+处", text)


def test_demo_industries_in_order_of_size(demo_ctx):
    named = focus_industries(demo_ctx)
    ranked = [x["noun"] for x in sorted(demo_ctx["hazards"]["by_industry"], key=lambda x: -x["found"])
              if x["industry"] != "其他"]
    assert named == ranked[:len(named)] and len(named) >= 3
    assert named[0] == "人员密集场所消防"  # the largest, which vocabulary order would leave out


def test_demo_no_repetition_the_issue_quotes(demo_ctx):
    text = " ".join(generated_paragraphs(demo_ctx))
    assert "培训人次同比" not in text and "实施行政处罚47家" not in text
    assert re.search(r"对\d+家单位实施行政处罚", text)
    assert "份（件）" not in text and "条（篇/次）" not in text and "(8张/套)" not in text
    assert "宣传展板" in text and "横幅" in text  # named in their own measures, not summed with leaflets
    assert "出席活动" in text  # the demo lists the leaders only: no role is invented
    assert "致辞" not in text
    assert text.count("启动仪式") == 1  # entered as a meeting and as an event: told once


def test_year_on_year_only_when_notable(db, today):
    y20 = campaigns.save(2020, region="测试区")[0]
    y21 = campaigns.save(2021, region="测试区")[0]
    a = units.create_unit("甲街道", kind="街道/乡镇")
    records.create(m.Training, y20, {"unit": a.id, "category": "以会代训", "sessions": 2, "participants": 1000})
    records.create(m.Training, y21, {"unit": a.id, "category": "以会代训", "sessions": 2, "participants": 1030})
    hz = {"unit": a.id, "enterprise": "厂", "industry": "燃气", "description": "隐患"}
    records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2"})
    for _ in range(2):
        records.create(m.Hazard, y21, {**hz, "found_date": "2021-6-2"})
    ctx = build_context(y21, today=today)
    assert ctx["yoy"]["training"]["participants"] == "同比增长3%"  # the template's data keeps it
    training = ctx["publicity"]["subsections"][0]["paragraphs"][0]["text"]
    assert "同比" not in training  # 3% is not news
    assert "同比增长100%" in ctx["hazards"]["intro"]


# ---------------------------------------------------------------------------------------------- a crowded year

STREETS = ["城关街道", "东湖街道", "西山街道", "南苑街道", "北城街道", "河口街道", "青石镇", "白沙镇"]
DEPTS = ["县应急管理局", "县住房和城乡建设局", "县市场监督管理局", "县交通运输局", "县消防救援大队", "县教育局",
         "县总工会", "县融媒体中心", "县农业农村局", "县水利局"]


@pytest.fixture
def crowded(db):
    """A county year whose records all look alike: ten actions, nine drills, twelve lectures, eight meetings of one
    host, six documents, twelve inspections, eleven outlets — everything a table dump would list in one frame."""
    year = campaigns.save(2022, region="某某县", organizer="县政府安委会")[0]
    for name in STREETS:
        units.ensure_unit(name, kind="街道/乡镇", campaign=year)
    for name in DEPTS:
        units.ensure_unit(name, kind="区级部门", campaign=year)

    def add(model, **values):
        records.create(model, year, values)

    for i in range(8):
        add(m.Meeting, date=dt.date(2022, 6, 1 + i), kind="调度会", title=f"第{i + 1}次调度会", host="县应急管理局",
            content="调度活动进展")
    for i, issuer in enumerate(DEPTS[:6]):
        add(m.Document, doc_no=f"某安[2022]{i + 1}号", title=f"关于做好第{i + 1}项工作的通知", issuer=issuer)
    for i, name in enumerate(STREETS + DEPTS[:4]):
        add(m.Training, unit=name, category="公开课/讲座", sessions=1 + i % 3, participants=50 + 10 * i)
    for i, name in enumerate(DEPTS[:6]):
        add(m.Training, unit=name, category="以会代训", sessions=1, participants=30 + i)
    for i, name in enumerate(STREETS):
        add(m.Material, unit=name, kind="展板", name="宣传展板", quantity=20 + i, measure="块")
        add(m.Material, unit=name, kind="横幅标语", name="宣传横幅", quantity=10 + i, measure="条")
        add(m.Material, unit=name, kind="宣传单/折页", name=f"{name}安全手册", quantity=1000 + 100 * i, measure="份",
            cost=300)
    for i, name in enumerate(DEPTS[:8]):
        add(m.Media, unit=name, channel="微信", outlet=f"{name}公众号", items=10 + i)
    for i, name in enumerate(DEPTS[:3]):
        add(m.Media, unit=name, channel="网站", outlet=f"{name}网站", items=5 + i)
    for i, name in enumerate(STREETS + DEPTS[:1]):
        add(m.Event, unit=name, kind="应急演练", date=dt.date(2022, 6, 5 + i), title=f"{name}消防疏散演练",
            participants=100 + 10 * i)
    for i, name in enumerate(STREETS[:6] + DEPTS[5:9]):
        add(m.Event, unit=name, kind="主题宣讲", date=dt.date(2022, 6, 10 + i), title=f"{name}安全宣讲",
            participants=200 + 5 * i)
    add(m.Event, unit=STREETS[0], kind="主题宣讲", date=dt.date(2022, 6, 10), title=f"{STREETS[0]}安全宣讲",
        participants=200)  # the same event entered twice
    industries = ["建筑施工", "危险化学品", "特种设备", "燃气", "道路交通", "消防/人员密集场所", "工贸/中小企业",
                  "烟花爆竹", "其他", "燃气"]
    for i, name in enumerate(DEPTS):
        add(m.CampaignAction, unit=name, action=f"第{i + 1}项专项整治", industry=industries[i], inspected=50 + i,
            hazards_found=20 + 7 * i, hazards_rectified=18 + 7 * i, personnel=30 + i, penalties=i % 3)
    for i, name in enumerate(STREETS):
        for j in range(3):
            status = "已整改" if j else "整改中"
            add(m.Hazard, unit=name, enterprise=f"企业{i}-{j}", industry="燃气", found_date=dt.date(2022, 6, 2),
                description="隐患", status=status, rectified_date=dt.date(2022, 6, 3) if j else None)
    for i, name in enumerate(STREETS + DEPTS[:4]):
        add(m.Inspection, date=dt.date(2022, 6, 20), leader="县应急管理局局长", kind="综合督查", target=name,
            focus="活动开展情况", problems_found=2, problems_rectified=2, problems="台账不全", requests="限期整改")
    return year


def test_crowded_year_reads_like_a_person_wrote_it(crowded, today):
    ctx = build_context(crowded, today=today)
    check_rules(ctx, crowded)
    text = " ".join(generated_paragraphs(ctx))
    assert "其余" in hazards_text(ctx)  # ten actions are not listed one by one
    assert "6个街道和白沙镇、青石镇" in text  # streets counted, not listed
    assert "通过各自公众号" in text  # eight accounts of one kind are one clause
    assert "我县" in text and "我区" not in text and "全区" not in text
    # the groups behind the prose still add up to the registry
    f = indicators.compute_all(crowded, today=today)
    assert sum(o["items"] for o in ctx["publicity"]["media"]["outlets"]) == f["media.items"]
    assert sum(c["participants"] for c in ctx["publicity"]["training"]["by_category"]) == f["training.participants"]


def test_an_event_entered_twice_is_told_once(campaign, today):
    a = units.ensure_unit("城关街道", kind="街道/乡镇")
    b = units.ensure_unit("区总工会", kind="区级部门")
    for unit, title in ((a, "安全宣讲进社区"), (b, "职工安全知识竞赛"), (a, "安全宣讲进社区")):
        records.create(m.Event, campaign, {"unit": unit, "kind": "主题宣讲", "title": title, "participants": 100,
                                           "date": dt.date(2021, 6, 10)})
    ctx = build_context(campaign, today=today)
    text = ctx["publicity"]["subsections"][0]["paragraphs"][0]["text"]
    assert text.count("安全宣讲进社区") == 1 and "职工安全知识竞赛" in text
    assert len(ctx["publicity"]["events"]) == 3  # the records themselves are all there for templates


def test_crowded_year_hazards_without_ledger_or_without_actions(db, today):
    year = campaigns.save(2022, region="某某县")[0]
    unit = units.ensure_unit("县应急管理局", kind="区级部门")
    records.create(m.CampaignAction, year, {"unit": unit, "action": "打非治违专项行动", "industry": "燃气",
                                           "hazards_found": 12, "hazards_rectified": 12})
    intro = build_context(year, today=today)["hazards"]["intro"]
    assert "通过1项专项行动共排查隐患12处" in intro and "台账" not in intro
    records.delete_many(m.CampaignAction, [a.id for a in m.CampaignAction.select()])
    for industry in ("燃气", "燃气", "建筑施工"):
        records.create(m.Hazard, year, {"unit": unit, "enterprise": "厂", "industry": industry,
                                        "found_date": dt.date(2022, 6, 2), "description": "隐患", "level": "重大",
                                        "measures": "限期整改", "responsible": "张三"})
    intro = build_context(year, today=today)["hazards"]["intro"]
    assert "突出燃气、建筑施工重点行业领域" in intro
    assert "在日常检查中共排查登记隐患3处" in intro and "其中重大隐患3处" in intro and "专项行动" not in intro


# ---------------------------------------------------------------------------------------------- told once, roles as given

def test_joint_organisers_are_told_once_with_huitong(campaign, today):
    fire = units.ensure_unit("区消防救援大队", kind="区级部门")
    school = units.ensure_unit("城南区实验中学", kind="学校")
    street = units.ensure_unit("东湖街道", kind="街道/乡镇")
    for unit in (fire, school):  # one drill, reported by both organisers
        records.create(m.Event, campaign, {"unit": unit, "kind": "应急演练", "title": "校园消防疏散演练",
                                           "date": dt.date(2021, 6, 9), "venue": "实验中学", "participants": 1500})
    records.create(m.Event, campaign, {"unit": street, "kind": "应急演练", "title": "社区火灾疏散演练",
                                       "date": dt.date(2021, 6, 12), "participants": 300})
    text = build_context(campaign, today=today)["publicity"]["subsections"][0]["paragraphs"][0]["text"]
    assert "区消防救援大队会同城南区实验中学" in text and text.count("校园消防疏散") == 1


def test_leaders_roles_only_as_the_data_gives_them(campaign, today):
    unit = units.ensure_unit("区应急管理局", kind="区级部门")
    records.create(m.Event, campaign, {"unit": unit, "kind": "安全宣传咨询日", "date": dt.date(2021, 6, 16),
                                       "title": "省、市安全宣传咨询日活动", "venue": "中心广场", "participants": 3000,
                                       "leaders": "副区长陈晓东致辞,省安委办主任孙某宣布活动启动"})
    text = build_context(campaign, today=today)["publicity"]["subsections"][0]["paragraphs"][0]["text"]
    assert text.startswith("2021年6月16日，区应急管理局在中心广场举办省、市安全宣传咨询日活动，"
                           "副区长陈晓东致辞，省安委办主任孙某宣布活动启动。")
    assert "出席活动" not in text


def test_joint_documents_merge_under_one_verb_and_units_keep_their_own_paragraph(campaign, today):
    street = units.ensure_unit("城关街道", kind="街道/乡镇")
    records.create(m.Document, campaign, {"doc_no": "测安[2021]3号", "title": "活动方案", "issuer": "区安委会"})
    records.create(m.Document, campaign, {"doc_no": "测应急[2021]5号", "title": "咨询日通知", "issuer": "区应急管理局"})
    records.create(m.Document, campaign, {"doc_no": "测安办[2021]8号", "title": "督查通知", "issuer": "区安委办"})
    records.create(m.Meeting, campaign, {"unit": street, "kind": "部署会", "title": "街道部署会",
                                         "date": dt.date(2021, 6, 3), "content": "部署本街道活动"})
    records.create(m.Instruction, campaign, {"leader": "张三", "title": "区长", "content": "压实属地责任,抓好隐患排查"})
    ctx = build_context(campaign, today=today)
    paragraphs = {p["key"]: p["text"] for p in ctx["org"]["paragraphs"]}
    assert paragraphs["documents"].startswith("区安委会印发《活动方案》（测安〔2021〕3号），对全区安全生产月活动作出统一部署。")
    assert "区应急管理局和区安委办分别印发《咨询日通知》（测应急〔2021〕5号）和《督查通知》（测安办〔2021〕8号）" \
        in paragraphs["documents"]
    assert paragraphs["instructions"] == "区长张三强调：压实属地责任，抓好隐患排查。"
    assert paragraphs["units"] == "6月3日，城关街道召开街道部署会，部署本街道活动。"
    assert "meetings" not in paragraphs  # the street's meeting is its own, not the region's


def test_materials_are_counted_in_their_own_measures(campaign, today):
    a = units.ensure_unit("区应急管理局", kind="区级部门")
    b = units.ensure_unit("甲街道", kind="街道/乡镇")
    records.create(m.Material, campaign, {"unit": a, "kind": "宣传挂图", "name": "安全生产月宣传挂图(8张/套)",
                                          "quantity": 5000, "measure": "套", "cost": 20000})
    records.create(m.Material, campaign, {"unit": b, "kind": "展板", "name": "宣传展板", "quantity": 40, "measure": "块"})
    records.create(m.Material, campaign, {"unit": b, "kind": "横幅标语", "name": "横幅", "quantity": 30, "measure": "条"})
    text = build_context(campaign, today=today)["publicity"]["subsections"][0]["paragraphs"][0]["text"]
    assert "投入宣传经费2万元" in text
    assert "安全生产月宣传挂图5000套" in text and "制作宣传展板40块" in text and "悬挂横幅30条" in text
    assert "5070" not in text and "份（件）" not in text and "张/套" not in text


def test_a_year_with_only_org_records(db, today):
    """Only 组织领导, the county's own and its towns': one section, an opening that claims nothing else, the towns
    told as their own actions under '各乡镇', the clerk's half-width marks printed full-width."""
    year = campaigns.save(2023, region="某某县", organizer="县政府安委会")[0]
    town_a = units.ensure_unit("城关镇", kind="街道/乡镇", campaign=year)
    town_b = units.ensure_unit("河西镇", kind="街道/乡镇", campaign=year)
    records.create(m.Instruction, year, {"leader": "赵刚", "title": "县长", "occasion": "县政府常务会议",
                                         "content": "层层压实责任;各乡镇要抓好隐患排查(特别是燃气和自建房)"})
    records.create(m.Instruction, year, {"unit": town_a, "leader": "孙丽", "title": "党委书记", "occasion": "镇党委会",
                                         "content": "结合赶集日开展宣传"})
    records.create(m.Meeting, year, {"unit": town_b, "date": dt.date(2023, 6, 2), "kind": "部署会",
                                     "title": "河西镇安全生产月工作会", "host": "河西镇", "content": "安排本镇工作"})
    records.create(m.Document, year, {"doc_no": "某安委[2023]2号", "title": "某某县2023年安全生产月活动方案",
                                      "issuer": "县安委会"})
    ctx = build_context(year, today=today)
    assert [ctx[k]["number"] for k in ("org", "publicity", "hazards", "supervision")] == ["一、", "", "", ""]
    assert "宣传教育" not in ctx["opening"]["text"] and "隐患" not in ctx["opening"]["text"]
    paragraphs = {p["key"]: p["text"] for p in ctx["org"]["paragraphs"]}
    assert paragraphs["instructions"] == "县长赵刚在县政府常务会议上强调：层层压实责任；各乡镇要抓好隐患排查（特别是燃气和自建房）。"
    assert paragraphs["units"].startswith("各乡镇也相应行动起来，城关镇党委书记孙丽在镇党委会上要求结合赶集日开展宣传；")
    assert "河西镇召开安全生产月工作会" in paragraphs["units"]
    assert "对全县安全生产月活动作出统一部署" in paragraphs["documents"]
    check_rules(ctx, year)
