"""Roll-up across two levels (issue 17, "Done when"): three districts — the demo, one filled from a messy unit
workbook, one with nothing but its 组织领导 — each `submit` a 上报数据包, a city imports them and submits its own,
a province imports the city's. Every additive figure at each level is the sum of the level below (plus the city's
own records); each district stays exact inside the province; a tampered package and last year's are refused in
Chinese and change nothing; the same package twice changes nothing; a newer one replaces with --replace."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

YEAR = 2024


def run(*args, home: Path):
    environment = {**os.environ, "SAFETYMONTH_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "safetymonth_desktop", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=environment)


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


class Opened:
    """The services on one database file, in this process, for as long as the block runs."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        from safetymonth_desktop.db.connection import open_database

        open_database(self.path)
        return self

    def __exit__(self, *exc):
        from safetymonth_desktop.db.connection import close_database

        close_database()


def exact(path, scope_path: tuple[str, ...] = (), *, on_summary_day: bool = False) -> dict:
    """The whole catalogue of `path`'s year as exact flat values; with `scope_path`, of that sub-region. Counted
    as of today, or (`on_summary_day`) of the year's 成文日期, as the statistics workbook counts."""
    from safetymonth_desktop.db.models import Unit
    from safetymonth_desktop.services import campaigns, indicators, region_figures

    with Opened(path):
        scope = None
        for name in scope_path:
            scope = Unit.get((Unit.name == name) & ((Unit.parent == scope) if scope else Unit.parent.is_null())).id
        campaign = campaigns.get(YEAR)
        day = indicators.as_of(campaign) if on_summary_day else dt.date.today()
        return region_figures.exact(campaign, today=day, scope=scope)


def additive_sum(parts: list[dict]) -> dict:
    from safetymonth_desktop.services import region_figures

    total: dict = {}
    for part in parts:
        for key, value in part.items():
            if region_figures.is_additive(key):
                total[key] = region_figures.add(total.get(key, 0 if isinstance(value, int) else "0"), value)
    return total


def additive(values: dict) -> dict:
    from safetymonth_desktop.services import region_figures

    return {k: v for k, v in values.items() if region_figures.is_additive(k) and v not in (0, "0.00")}


def messy_workbook(path: Path) -> Path:
    """A unit's own table: a title above the header, merged unit cells, full-width and 万 numbers, a unit named
    like one of the demo district's (城关街道) that must stay the other district's."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "培训"
    ws["A1"] = "河西区安全生产月培训情况统计表"
    ws.merge_cells("A1:F1")
    ws.append(["填报单位 ", "培训类别", "培训名称", "期（场）数", "参训人次", "开始日期"])
    ws.append(["城关街道", "以会代训", "安全例会", "１", "30余", "2024年6月3日"])
    ws.append([None, "特种作业人员培训", "电工复训", 2, "1,045", "2024/6/5"])
    ws.append([None, "公开课/讲座", "消防讲座", 1, "1.2万", "2024.6.8"])
    ws.merge_cells("A3:A5")
    ws.append(["河西区应急管理局", "主要负责人和安全管理人员培训", "主要负责人培训", 3, 240, "2024-6-10"])
    hz = wb.create_sheet("隐患台账")
    hz.append(["填报单位", "被查单位", "行业领域", "发现日期", "隐患描述", "状态", "整改完成日期", "整改资金(元)", "整改期限"])
    hz.append(["城关街道", "某燃气站", "燃气", "2024-6-3", "阀门锈蚀", "已整改", "2024-6-9", "1,234.5", "2024-6-20"])
    hz.append(["城关街道", "某饭店", "燃气", "2024-6-4", "软管老化", "整改中", None, None, "2024-6-10"])
    hz.append(["河西区应急管理局", "某工地", "建筑施工", "2024-6-6", "临边无防护", "待整改", None, "0.3万", None])
    ev = wb.create_sheet("宣传活动")
    ev.append(["填报单位", "活动类型", "日期", "名称", "参与人次", "咨询台(个)", "展板(块)", "发放资料(份)"])
    ev.append(["城关街道", "安全宣传咨询日", "2024-6-16", "咨询日", 800, 6, 20, "3000"])
    ev.append(["河西区应急管理局", "应急演练", "2024-6-20", "燃气泄漏演练", 150, None, None, None])
    ac = wb.create_sheet("专项整治")
    ac.append(["填报单位", "行动名称", "行业领域", "检查单位(家次)", "发现隐患(处)", "整改隐患(处)", "罚款(元)"])
    ac.append(["河西区应急管理局", "打非治违专项行动", "工贸/中小企业", 36, 12, 10, "5万"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def levels(tmp_path_factory):
    """Build the districts, the city and the province once; returns their paths and the packages."""
    base = tmp_path_factory.mktemp("rollup")
    home = base / "home"
    d = {name: base / f"{name}.sqlite" for name in ("城南区", "河西区", "青山县", "江北市", "江东省")}
    # 1. the demo district
    ok(run("--db", d["城南区"], "demo", "--year", YEAR, home=home))
    # 2. a district filled from a messy unit workbook
    ok(run("--db", d["河西区"], "campaign", "--year", YEAR, "--region", "河西区", "--organizer", "区政府安委会", home=home))
    ok(run("--db", d["河西区"], "import", "--year", YEAR, "--create-units", messy_workbook(base / "河西区培训.xlsx"), home=home))
    # 3. a county with nothing but its 组织领导 (entered through the services, as the GUI does)
    ok(run("--db", d["青山县"], "campaign", "--year", YEAR, "--region", "青山县", "--organizer", "县政府安委会", home=home))
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.services import campaigns, records

    with Opened(d["青山县"]):
        c = campaigns.get(YEAR)
        records.create(m.Instruction, c, {"date": dt.date(YEAR, 6, 3), "leader": "赵一", "title": "县长",
                                          "occasion": "县政府常务会议", "content": "抓好安全生产月各项工作"})
        records.create(m.Meeting, c, {"date": dt.date(YEAR, 6, 2), "kind": "部署会", "title": "青山县安全生产月部署会"})
    packages = {}
    for name in ("城南区", "河西区", "青山县"):
        packages[name] = base / f"{name}上报数据包.xlsx"
        ok(run("--db", d[name], "submit", "--year", YEAR, "-o", packages[name], home=home))
    # the city: its own 部署会, then the three packages
    ok(run("--db", d["江北市"], "campaign", "--year", YEAR, "--region", "江北市", "--organizer", "市政府安委会", home=home))
    with Opened(d["江北市"]):
        records.create(m.Meeting, campaigns.get(YEAR), {"date": dt.date(YEAR, 6, 1), "kind": "部署会",
                                                        "title": "江北市安全生产月动员部署会", "attendees": 120})
    imported = ok(run("--db", d["江北市"], "import", "--year", YEAR, *packages.values(), home=home))
    packages["江北市"] = base / "江北市上报数据包.xlsx"
    ok(run("--db", d["江北市"], "submit", "--year", YEAR, "-o", packages["江北市"], home=home))
    ok(run("--db", d["江东省"], "campaign", "--year", YEAR, "--region", "江东省", "--organizer", "省安委会", home=home))
    ok(run("--db", d["江东省"], "import", "--year", YEAR, packages["江北市"], home=home))
    return {"dbs": d, "packages": packages, "home": home, "base": base, "import_output": imported.stdout}


def test_every_additive_figure_is_the_sum_of_the_level_below(levels):
    d = levels["dbs"]
    districts = [exact(d[name]) for name in ("城南区", "河西区", "青山县")]
    assert additive(districts[1])["training.participants"] == 30 + 1045 + 12000 + 240  # the messy book, read exactly
    assert additive(districts[2]) == {"org.instructions": 1, "org.meetings": 1}
    city = exact(d["江北市"])
    own = {"org.meetings": 1}
    assert additive(city) == additive(additive_sum([*districts, own]))
    province = exact(d["江东省"])
    assert additive(province) == additive(city)
    # rates recomputed from the sums, never averaged
    found, rectified = province["hazards.found"], province["hazards.rectified"]
    assert province["hazards.rate"] == f"{rectified * 100 / found:.1f}"


def test_each_district_stays_exact_inside_the_city_and_the_province(levels):
    from safetymonth_desktop.services import region_figures

    d = levels["dbs"]
    for name in ("城南区", "河西区", "青山县"):
        own = region_figures.compared(exact(d[name]))
        assert region_figures.compared(exact(d["江北市"], (name,))) == own, name
        assert region_figures.compared(exact(d["江东省"], ("江北市", name))) == own, name
    city = region_figures.compared(exact(d["江北市"]))
    assert region_figures.compared(exact(d["江东省"], ("江北市",))) == city


def test_a_sub_regions_units_never_merge_with_another_of_the_same_name(levels):
    from safetymonth_desktop.db.models import Unit
    from safetymonth_desktop.services import roster, campaigns

    with Opened(levels["dbs"]["江北市"]):
        same = list(Unit.select().where(Unit.name == "城关街道"))
        assert sorted(u.parent.name for u in same) == ["城南区", "河西区"]
        # the roster holds the sub-regions, not their units
        listed = sorted(u.name for u in roster.units(campaigns.get(YEAR)))
        assert listed == ["城南区", "河西区", "青山县"]
        assert all(u.kind == "下级地区" for u in roster.units(campaigns.get(YEAR)))


def test_the_same_package_twice_changes_nothing(levels):
    d, home = levels["dbs"], levels["home"]
    before = exact(d["江北市"])
    result = ok(run("--db", d["江北市"], "import", "--year", YEAR, levels["packages"]["城南区"], home=home))
    assert "未变化" in result.stdout
    assert exact(d["江北市"]) == before


def test_a_tampered_package_is_refused_in_chinese_and_changes_nothing(levels, tmp_path):
    from openpyxl import load_workbook

    d, home = levels["dbs"], levels["home"]
    before = exact(d["江北市"])
    wb = load_workbook(levels["packages"]["河西区"])
    ws = wb["培训"]
    column = [c.value for c in ws[1]].index("参训人次") + 1
    ws.cell(row=2, column=column).value = ws.cell(row=2, column=column).value + 1  # one cell changed
    tampered = tmp_path / "河西区上报数据包(改).xlsx"
    wb.save(tampered)
    result = run("--db", d["江北市"], "import", "--year", YEAR, "--replace", tampered, home=home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "数据摘要不符" in result.stderr and "手工修改" in result.stderr
    # the 汇总 changed instead: the records still give the old figure — refused after the write, rolled back
    wb = load_workbook(levels["packages"]["河西区"])
    ws = wb["汇总"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "training.participants")
    row[3].value = row[3].value + 100
    summary_changed = tmp_path / "河西区上报数据包(改汇总).xlsx"
    wb.save(summary_changed)
    for city in (d["江北市"], tmp_path / "新市.sqlite"):  # the package imported already; a city that has none yet
        if not city.exists():
            ok(run("--db", city, "campaign", "--year", YEAR, "--region", "新市", home=home))
        result = run("--db", city, "import", "--year", YEAR, "--replace", summary_changed, home=home)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "与其记录不符" in result.stderr and "培训人次" in result.stderr and "已全部撤销" in result.stderr
    assert exact(d["江北市"]) == before
    assert additive(exact(tmp_path / "新市.sqlite")) == {}


def test_last_years_package_and_the_own_package_are_refused(levels, tmp_path):
    d, home = levels["dbs"], levels["home"]
    old_db = tmp_path / "old.sqlite"
    ok(run("--db", old_db, "demo", "--year", YEAR - 1, home=home))
    old = tmp_path / "城南区2023.xlsx"
    ok(run("--db", old_db, "submit", "--year", YEAR - 1, "-o", old, home=home))
    before = exact(d["江北市"])
    result = run("--db", d["江北市"], "import", "--year", YEAR, old, home=home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{YEAR - 1} 年度" in result.stderr and f"当前导入的是 {YEAR} 年度" in result.stderr
    result = run("--db", d["江北市"], "import", "--year", YEAR, levels["packages"]["江北市"], home=home)
    assert result.returncode == 1 and "本级(江北市)自己" in result.stderr
    assert exact(d["江北市"]) == before


def test_a_newer_package_replaces_with_replace_and_undo_puts_it_back(levels, tmp_path):
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.exchange import xlsx_import
    from safetymonth_desktop.services import campaigns, history, records

    d, home = levels["dbs"], levels["home"]
    county = tmp_path / "青山县.sqlite"
    county.write_bytes(d["青山县"].read_bytes())
    city = tmp_path / "江北市.sqlite"
    city.write_bytes(d["江北市"].read_bytes())
    with Opened(county):
        records.create(m.Document, campaigns.get(YEAR), {"doc_no": "青安委办〔2024〕3号", "title": "关于开展安全生产月活动的通知"})
    newer = tmp_path / "青山县(新).xlsx"
    ok(run("--db", county, "submit", "--year", YEAR, "-o", newer, home=home))
    before = exact(city)
    result = run("--db", city, "import", "--year", YEAR, newer, home=home)
    assert result.returncode == 1 and "--replace" in result.stderr
    assert exact(city) == before
    with Opened(city):
        [result] = xlsx_import.import_files([newer], YEAR, replace=True, backup=False)
        assert result.status == xlsx_import.IMPORTED, result.message
        group = history.last_group()
    after = exact(city)
    assert after["org.documents"] == before["org.documents"] + 1
    assert exact(city, ("青山县",))["org.documents"] == 1
    with Opened(city):
        history.revert_group(group)
    assert exact(city) == before


def test_the_statistics_workbook_adds_up_by_sub_region(levels):
    from openpyxl import load_workbook

    from safetymonth_desktop.services import region_summary

    d, home = levels["dbs"], levels["home"]
    out = levels["base"] / "江北市统计表.xlsx"
    ok(run("--db", d["江北市"], "stats", "--year", YEAR, "-o", out, home=home))
    rows = list(load_workbook(out)["分地区汇总"].iter_rows(values_only=True))
    assert list(rows[0]) == region_summary.headers()
    names = [r[0] for r in rows[1:]]
    assert names == ["城南区", "河西区", "青山县", "本级", "合计"]
    city = exact(d["江北市"], on_summary_day=True)
    for column, (key, _header, kind) in enumerate(region_summary.columns(), start=3):
        total = rows[-1][column]
        if kind == "rate":
            assert total == (float(city[key]) if city[key] else None), key
            continue
        expected = float(city[key]) if kind == "money" else city[key]
        assert total == pytest.approx(expected), key
        assert sum(r[column] or 0 for r in rows[1:-1]) == pytest.approx(total), key
    own = dict(zip(rows[0], rows[-2]))
    assert own["召开会议(次)"] == 1  # the city's own 部署会
    # 组织机构 says whose body it is: the demo district's 组委会 is 城南区's, not the city's own
    bodies = list(load_workbook(out)["组织机构"].iter_rows(values_only=True))
    assert bodies[0][-1] == "所属下级地区"
    assert [(r[0], r[-1]) for r in bodies[1:]] == [(f"{YEAR}年“安全生产月”活动组委会", "城南区")]
    district = levels["base"] / "城南区统计表.xlsx"
    ok(run("--db", d["城南区"], "stats", "--year", YEAR, "-o", district, home=home))
    assert "所属下级地区" not in next(load_workbook(district)["组织机构"].iter_rows(values_only=True))


@pytest.mark.skipif(__import__("shutil").which("soffice") is None or __import__("shutil").which("pdftotext") is None,
                    reason="LibreOffice / poppler not installed")
def test_the_citys_summary_reads_as_a_citys_page_by_page(levels):
    """The city's 活动总结 as PDF, page by page: it speaks as the city ('全市各区县共…'), names districts where it
    gives examples, tells its own meeting as its own and the districts' as counts, and never lists a district's
    streets or departments."""
    import re

    d, home, base = levels["dbs"], levels["home"], levels["base"]
    docx = base / "江北市总结.docx"
    ok(run("--db", d["江北市"], "report", "--year", YEAR, "-o", docx, home=home))
    profile = base / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(base), str(docx)], check=True, capture_output=True, timeout=240)
    pdf = base / "江北市总结.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                              capture_output=True, text=True).stdout) for n in range(1, pages + 1)]
    first = text[0]
    assert "江北市2024年“安全生产月”活动总结" in first
    assert "全市各区县共举办培训" in first and "3个区县全部报送" in first
    assert "城南区排查隐患最多" in first  # an example names the district
    assert "召开江北市安全生产月动员部署会" in first  # the city's own meeting, as the city's
    assert re.search(r"各区县结合本地实际层层部署.*共召开部署会\d+次", first)
    body = "".join(text)
    body = body[:body.find("附件1")] if "附件1" in body else body
    assert "各区县共开展督查8次" in body
    # never a district's streets, departments or enterprises (the demo's and the messy book's units)
    for unit in ("东湖街道", "北城街道", "南苑街道", "区应急管理局", "河西区应急管理局", "华信化工有限公司", "第一督查组"):
        assert unit not in body, unit
    assert "我区" not in body and "全区" not in body


def test_the_city_and_the_province_speak_at_their_own_level(levels):
    """Read as the city's and the province's leaders would: their own scope (全市 / 全省, 我市 / 我省), the
    sub-regions where a district's summary says 各单位, a district's 组织机构 told as the district's, never as the
    city's own, and never a district's 全区 / 我区."""
    from docx import Document

    d, home, base = levels["dbs"], levels["home"], levels["base"]
    bodies = {}
    # the province has one city: it names it where the city says 各区县
    for region, opening, own, word in (("江北市", "全市各区县共举办培训", "我市", "各区县"),
                                       ("江东省", "江北市共举办培训", "我省", "江北市")):
        out = base / f"{region}总结(层级).docx"
        ok(run("--db", d[region], "report", "--year", YEAR, "-o", out, home=home))
        text = "".join(p.text for p in Document(out).paragraphs)
        body = text[:text.find("附件：")] if "附件：" in text else text
        assert opening in body and own in body, region
        assert f"{word}组织开展应急演练" in body and f"其中，{word}通过" in body, region
        for wrong in ("全区", "我区", "各单位"):
            assert wrong not in body, (region, wrong)
        bodies[region] = body
    # the demo district's 组委会 came in its package: the city tells it as 城南区's, not as its own
    assert "城南区成立了活动组织机构" in bodies["江北市"] and "成立2024年" not in bodies["江北市"]
    assert "各市" not in bodies["江东省"] and "全省" in bodies["江东省"]


def test_a_unit_workbook_at_the_city_never_files_rows_under_a_districts_unit(levels, tmp_path):
    """The city's own 城关街道 does not exist: a unit workbook naming it is refused (not matched to a district's)."""
    from openpyxl import Workbook

    d, home = levels["dbs"], levels["home"]
    wb = Workbook()
    ws = wb.active
    ws.title = "培训"
    ws.append(["填报单位", "培训类别", "期(场)数", "参训人次"])
    ws.append(["城关街道", "以会代训", 1, 20])
    book = tmp_path / "城关街道.xlsx"
    wb.save(book)
    before = exact(d["江北市"])
    result = run("--db", d["江北市"], "import", "--year", YEAR, book, home=home)
    assert result.returncode == 1 and "不在单位名录中" in result.stderr
    assert exact(d["江北市"]) == before


def test_every_levels_organization_and_notes_are_kept_under_their_sub_region(levels):
    """Two levels of 组织机构 and 补充说明 (schema step 8): the demo district's 组委会 and notes are 城南区's at the
    city and 江北市/城南区's at the province — never the city's or the province's own — and the summaries tell the
    district's body as the district's and print neither level's sub-regions' notes as their own."""
    from docx import Document

    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.services import campaigns, records

    d, home, base = levels["dbs"], levels["home"], levels["base"]
    demo_note = "组织企业开展安全文化建设学习交流活动"
    for region, path in (("江北市", ("城南区",)), ("江东省", ("江北市", "城南区"))):
        with Opened(d[region]):
            def where(unit):
                names = []
                while unit is not None:
                    names.insert(0, unit.name)
                    unit = unit.parent
                return "/".join(names)

            bodies = [(b.name, where(b.sub_region)) for b in m.Body.select()]
            notes = sorted((n.section, where(n.sub_region)) for n in m.Note.select())
            own_notes = records.notes_for(campaigns.get(YEAR))
        assert bodies == [(f"{YEAR}年“安全生产月”活动组委会", "/".join(path))], region
        assert notes == [("宣传培训", "/".join(path)), ("隐患整治", "/".join(path))], region
        assert own_notes == [], region
        out = base / f"{region}总结(组织机构).docx"
        ok(run("--db", d[region], "report", "--year", YEAR, "-o", out, home=home))
        text = "".join(p.text for p in Document(out).paragraphs)
        assert demo_note not in text, region
        assert f"成立{YEAR}年" not in text, region
    # the province names the district whose own 组委会 came inside the city's package (the city set up none)
    text = "".join(p.text for p in Document(base / "江东省总结(组织机构).docx").paragraphs)
    assert "城南区成立了活动组织机构" in text and "江北市成立了活动组织机构" not in text
