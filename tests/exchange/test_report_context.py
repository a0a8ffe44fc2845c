"""The report context: plain data, figures equal to the registry, splits that add up, sections that are
left out and renumbered when they have no records, and a variable reference that matches it."""

import datetime as dt
from decimal import Decimal

import pytest

from safetymonth_desktop.base import paths
from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_reference
from safetymonth_desktop.exchange.report_context import build_context
from safetymonth_desktop.services import indicators, numbers, records


def walk(value, path=""):
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, f"{path}[{i}]")


@pytest.fixture
def ctx(demo, today):
    return build_context(demo, today=today)


def test_context_is_plain_data(ctx):
    bad = [(p, type(v)) for p, v in walk(ctx) if not isinstance(v, (dict, list, str, int, float, bool, type(None)))]
    assert bad == []


def test_figures_are_the_registry_values(demo, ctx, today):
    values = indicators.compute_all(demo, today=today)
    for key, value in values.items():
        head, tail = key.split(".")
        exact = ctx["figures"][head][tail]
        if isinstance(value, Decimal):
            assert exact == f"{value:.2f}"
            assert ctx["phrases"][head][tail] == (numbers.money_phrase(int(value * 1_000_000)) if value else "")
        else:
            assert exact == value, key
    assert ctx["phrases"]["hazards"]["rate"] == numbers.rate_phrase(values["hazards.rate"])
    assert ctx["phrases"]["people"]["educated"] == numbers.count_phrase(values["people.educated"])


def test_group_splits_add_up_to_the_registry(demo, ctx, today):
    values = indicators.compute_all(demo, today=today)
    training = ctx["publicity"]["training"]
    assert sum(c["sessions"] for c in training["by_category"]) == values["training.sessions"]
    assert sum(c["participants"] for c in training["by_organizer"]) == values["training.participants"]
    assert sum(x["quantity"] for x in ctx["publicity"]["materials"]["by_measure"]) == values["materials.total"]
    assert sum(o["items"] for o in ctx["publicity"]["media"]["outlets"]) == values["media.items"]
    assert {x["industry"]: {"found": x["found"], "rectified": x["rectified"]}
            for x in ctx["hazards"]["by_industry"]} == values["hazards.by_industry"]


def test_demo_sections_enumerations_and_headings(ctx):
    assert ctx["title"] == "城南区2021年“安全生产月”活动总结"
    assert [ctx[k]["number"] for k in ("org", "publicity", "hazards", "supervision", "next")] == \
        ["一、", "二、", "三、", "四、", "五、"]
    assert [p["enum"] for p in ctx["org"]["paragraphs"]] == ["一是", "二是", "三是", "四是"]
    assert [s["number"] for s in ctx["publicity"]["subsections"]] == [f"\uff08{n}\uff09" for n in "一二三四"]
    assert "第20个“安全生产月”" in ctx["opening"]["text"]
    assert "城南安委〔2021〕6号" in ctx["org"]["paragraphs"][3]["text"]
    assert "《关于印发〈城南区2021年“安全生产月”活动方案〉的通知》" in ctx["org"]["paragraphs"][3]["text"]


def test_empty_year_has_no_sections_and_no_zero(campaign, today):
    ctx = build_context(campaign, today=today)
    assert not any(v for k, v in ctx.items() if k.startswith("has_"))
    assert [ctx[k]["number"] for k in ("org", "publicity", "hazards", "supervision", "next")] == [""] * 5
    assert ctx["org"]["paragraphs"] == [] and ctx["publicity"]["subsections"] == []
    assert ctx["publicity"]["closing"] == "" and ctx["hazards"]["intro"] == "" and ctx["supervision"]["text"] == ""
    assert ctx["phrases"]["training"]["participants"] == "" and ctx["phrases"]["hazards"]["rate"] == ""
    assert ctx["yoy"] == {} and ctx["charts"] == []


def test_skipped_items_leave_no_gap(campaign, today):
    # No instruction, no body: meetings become 一是, documents 二是; only 隐患 and 下一步 besides.
    records.create(m.Meeting, campaign, {"kind": "部署会", "title": "部署会", "date": dt.date(2021, 6, 2)})
    records.create(m.Document, campaign, {"doc_no": "测安[2021]3号", "title": "活动方案", "issuer": "区安委办"})
    records.create(m.CampaignAction, campaign, {"unit": _unit("区应急管理局"), "action": "打非治违", "industry": "燃气",
                                                "hazards_found": 5, "hazards_rectified": 5})
    ctx = build_context(campaign, today=today)
    assert [(p["enum"], p["key"]) for p in ctx["org"]["paragraphs"]] == [("一是", "meetings"), ("二是", "documents")]
    assert "测安〔2021〕3号" in ctx["org"]["paragraphs"][1]["text"]
    assert (ctx["org"]["number"], ctx["hazards"]["number"], ctx["supervision"]["number"]) == ("一、", "二、", "")
    assert not ctx["has_publicity"] and ctx["has_hazards"] and not ctx["has_enforcement"]
    assert [p["key"] for p in ctx["hazards"]["paragraphs"]] == ["actions"]


def test_no_sentence_boasts_a_zero(campaign, today):
    # A training with 0 participants, a consult day without desks, an action with nothing found.
    unit = _unit("区应急管理局")
    records.create(m.Training, campaign, {"unit": unit, "category": "以会代训", "sessions": 1, "participants": 0})
    records.create(m.Event, campaign, {"unit": unit, "kind": "安全宣传咨询日", "date": dt.date(2021, 6, 16)})
    records.create(m.CampaignAction, campaign, {"unit": unit, "action": "专项检查", "industry": "燃气", "inspected": 3})
    ctx = build_context(campaign, today=today)
    texts = [v for p, v in walk(ctx) if isinstance(v, str) and not p.startswith((".figures", ".appendix"))]
    import re

    brag = re.compile(r"(?<![\d.])0(人次|人|期|场|次|处|家次|家|个|份|件|条|块|套|本|万元|元)")
    assert [t for t in texts if brag.search(t)] == []
    assert "培训1期" in " ".join(texts) or "以会代训活动1期" in " ".join(texts)
    assert "整改率" not in ctx["hazards"]["intro"]


def test_year_on_year_slot(db, today):
    from safetymonth_desktop.services.demo import create_demo

    before = create_demo(2020)
    now = create_demo(2021)
    ctx = build_context(now, today=today, previous=before)
    assert ctx["yoy"]["previous_year"] == 2020
    assert ctx["yoy"]["hazards"]["found"].startswith("同比")


def test_variable_reference_is_up_to_date(demo, today, tmp_path):
    from PIL import Image

    from safetymonth_desktop.exchange import photo_files
    from safetymonth_desktop.services import campaigns

    Image.new("RGB", (40, 30)).save(tmp_path / "p.jpg")  # the demo has no photos: one chosen, so photos[] has items
    photo_files.add_files(m.Event, m.Event.select().first().id, [tmp_path / "p.jpg"])
    empty = campaigns.save(2022, region="测试区")[0]
    documented = set(report_reference.described_paths())
    used = report_reference.key_paths(build_context(demo, today=today)) | \
        report_reference.key_paths(build_context(empty, today=today))
    assert sorted(used - documented) == [], "keys without a description: run scripts/build_template.py"
    assert sorted(documented - used) == [], "described keys the context no longer has"
    committed = paths.resource("templates", "变量说明.md").read_text(encoding="utf-8")
    assert committed == report_reference.markdown(), "变量说明.md is stale: run scripts/build_template.py"


def _unit(name):
    from safetymonth_desktop.services import units

    return units.ensure_unit(name, kind="区级部门")


def test_sentences_speak_of_the_region_as_it_is(db, today):
    from safetymonth_desktop.services import campaigns

    county = campaigns.save(2023, region="某某县")[0]
    unit = _unit("县应急管理局")
    records.create(m.Training, county, {"unit": unit, "category": "以会代训", "sessions": 1, "participants": 30})
    records.create(m.Training, county, {"unit": unit, "category": "其他", "sessions": 2, "participants": 40})
    records.create(m.Material, county, {"unit": unit, "kind": "展板", "quantity": 12})
    records.create(m.Material, county, {"unit": unit, "kind": "宣传单/折页", "quantity": 500, "cost": 800})
    ctx = build_context(county, today=today)
    texts = " ".join(v for _, v in walk(ctx) if isinstance(v, str))
    assert "县应急管理局举办以会代训活动和其他安全培训3期" in texts
    assert "全区" not in texts and "我区" not in texts and "\ue000" not in texts and "\ue001" not in texts
    assert ctx["publicity"]["subsections"][1]["paragraphs"][0]["text"].startswith("我县投入宣传经费0.08万元")


def test_theme_printed_with_full_width_punctuation(campaign):
    from safetymonth_desktop.exchange.report_context import build_context

    ctx = build_context(campaign)
    assert campaign.theme == "落实安全责任,推动安全发展"  # stored as DATA.md spells it
    assert ctx["theme"] == "落实安全责任，推动安全发展"
    assert "“落实安全责任，推动安全发展”" in ctx["opening"]["text"]


def test_a_units_own_meeting_and_document_are_told_as_its_own(campaign, today):
    """A street's document is the street's (对本街道活动作出安排), never the district's (issue 12)."""
    from safetymonth_desktop.services import units

    units.create_unit("城关街道", kind="街道/乡镇", campaign=campaign)
    units.create_unit("区教育局", kind="区级部门", campaign=campaign)
    records.create(m.Document, campaign, {"title": "测试区安全生产月活动方案", "doc_no": "测安委〔2021〕1号",
                                          "issuer": "区政府安委会"})
    records.create(m.Document, campaign, {"unit": "城关街道", "title": "城关街道安全生产月活动方案",
                                          "doc_no": "城关办〔2021〕12号"})
    records.create(m.Document, campaign, {"unit": "区教育局", "title": "关于开展校园安全生产月活动的通知"})
    records.create(m.Meeting, campaign, {"unit": "城关街道", "kind": "部署会", "title": "城关街道安全生产月部署会",
                                         "date": "2021-6-3"})
    paragraphs = {p["key"]: p["text"] for p in build_context(campaign, today=today)["org"]["paragraphs"]}
    own = paragraphs["documents"]
    assert "测试区安全生产月活动方案" in own and "对全区安全生产月活动作出" in own
    assert "城关" not in own and "校园" not in own
    units_text = paragraphs["units"]
    assert "6月3日，城关街道召开安全生产月部署会，对本街道活动进行部署" in units_text
    assert ("城关街道和区教育局分别印发《城关街道安全生产月活动方案》（城关办〔2021〕12号）和"
            "《关于开展校园安全生产月活动的通知》，对本单位活动作出安排") in units_text
    assert "meetings" not in paragraphs  # the region held no meeting of its own
    # One unit's document alone is told on that unit's own ground.
    records.delete(m.Document, m.Document.get(m.Document.title.startswith("关于开展校园")).id)
    paragraphs = {p["key"]: p["text"] for p in build_context(campaign, today=today)["org"]["paragraphs"]}
    assert "城关街道印发《城关街道安全生产月活动方案》（城关办〔2021〕12号），对本街道活动作出安排" in paragraphs["units"]
