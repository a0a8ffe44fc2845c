"""The Word 活动总结 as written: figures in the text equal the registry's in REPORT.md phrasing, no tags or
placeholders left, the official layout and fonts in the file, the clerk's special characters kept, empty
sections left out, bad templates refused before anything is written, locked targets left intact."""

import datetime as dt
import re
import shutil
import subprocess
import zipfile

import pytest

from safetymonth_desktop.base import files
from docx import Document
from docx.shared import Mm

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P, word_report
from safetymonth_desktop.services import indicators, numbers, records, units

BRAG = re.compile(r"(?<![\d.])0(人次|人|期|场|次|处|家次|家|个|份|件|条|块|套|本|万元|元)")


def text_of(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def headings(path, style="一级标题"):
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == style]


@pytest.fixture
def demo_docx(demo, today, tmp_path):
    return word_report.write_report(demo, tmp_path / "总结.docx", today=today)


def test_demo_figures_in_the_text(demo, demo_docx, today):
    v = indicators.compute_all(demo, today=today)
    text = text_of(demo_docx)
    c, about = numbers.count_phrase, numbers.approx_phrase
    money = lambda wan: numbers.money_phrase(int(wan * 1_000_000))  # noqa: E731
    main = max(m.Event.select().where((m.Event.campaign == demo) & (m.Event.kind == "安全宣传咨询日")),
               key=lambda e: e.participants)
    from_actions = sum(a.hazards_found or 0 for a in m.CampaignAction.select().where(m.CampaignAction.campaign == demo))
    expected = [
        *(r.title for r in m.Meeting.select().where(m.Meeting.campaign == demo)),
        *(P.doc_no(r.doc_no) for r in m.Document.select().where(m.Document.campaign == demo)),
        # each part's one total, rounded with 近/余; the details exact
        f"共举办各类安全培训{v['training.sessions']}期、培训{about(v['training.participants'])}人次",
        f"投入宣传经费{money(v['materials.cost'])}",
        f"设置咨询台{main.desks}个、展板{main.boards}块", f"发放宣传资料{c(main.materials)}份",
        f"当天参与群众{about(v['consult_day.participants'])}人次",
        f"应急演练{v['drills.count']}场", f"参演{about(v['drills.participants'])}人次",
        f"累计受教育群众{about(v['people.educated'])}人次",
        f"共排查各类隐患{about(v['hazards.found'])}处", f"含重大隐患{v['hazards.major']}处",
        f"专项行动排查隐患{c(from_actions)}处", f"登记台账隐患{v['hazards.found'] - from_actions}处",
        f"已整改隐患{c(v['hazards.rectified'])}处", f"整改率{numbers.rate_phrase(v['hazards.rate'])}",
        f"投入整改资金{money(v['hazards.funding'])}",
        f"仍有{v['hazards.overdue']}处隐患超过整改期限",
        f"出动执法检查人员{about(v['enforcement.personnel'])}人次",
        f"检查生产经营单位{c(v['enforcement.inspected'])}家次", f"对{v['enforcement.penalties']}家单位实施行政处罚",
        f"罚款{money(v['enforcement.fines'])}", f"关闭取缔非法违法生产经营单位{v['enforcement.shutdowns']}家",
        f"督查{v['supervision.count']}次", f"共发现问题{v['supervision.problems']}个",
        f"已整改{v['supervision.rectified']}个", "第20个“安全生产月”", "城南安委〔2021〕6号",
    ]
    assert [e for e in expected if e not in text] == []
    assert "8.7万余" == numbers.count_phrase(87998)  # the phrasing REPORT.md names
    assert re.search(r"\d+\.\d万余", text)  # large counts are phrased, not printed exactly
    assert "城南区2021年“安全生产月”活动总结" == Document(str(demo_docx)).paragraphs[0].text


def test_demo_structure_and_no_leftovers(demo_docx):
    text = text_of(demo_docx)
    assert "{{" not in text and "{%" not in text and "}}" not in text and "%}" not in text
    assert not re.search(r"(?<![A-Za-z])[xX](?![A-Za-z])", text)  # no 'x' placeholders of the reference
    assert BRAG.search(text) is None
    assert headings(demo_docx) == ["一、强化组织领导", "二、深入开展宣传教育", "三、扎实推进隐患排查整治",
                                   "四、强化督查检查", "五、下一步工作打算"]
    assert len(headings(demo_docx, "二级标题")) == 4
    assert "一是领导高度重视。" in text and "四是印发方案文件。" in text
    # notes are placed in their sections: 宣传培训's folded into the paragraph it belongs to (here before 据统计)
    body = [p.text for p in Document(str(demo_docx)).paragraphs]
    note = next(i for i, t in enumerate(body) if "组织企业开展安全文化建设" in t)
    closing = next(i for i, t in enumerate(body) if "据统计" in t)
    assert note == closing and body[closing].startswith("此外，组织企业开展安全文化建设")
    assert body.index("二、深入开展宣传教育") < closing < body.index("三、扎实推进隐患排查整治")
    assert "附件" in body and "类别" in text and "排查隐患" in text


def test_layout_fonts_and_page_numbers(demo_docx):
    doc = Document(str(demo_docx))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    for value, mm in ((section.top_margin, 37), (section.bottom_margin, 35), (section.left_margin, 28),
                      (section.right_margin, 26)):
        assert abs(value - Mm(mm)) < Mm(0.2)
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == pytest.approx(28.9)
    assert normal.paragraph_format.first_line_indent.pt == pytest.approx(32)
    with zipfile.ZipFile(demo_docx) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        footers = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")]
        document = z.read("word/document.xml").decode("utf-8")
    for font in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"):
        assert re.search(rf'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"', styles), font
    assert 'w:lineRule="exact"' in styles and 'w:firstLineChars="200"' in styles
    assert "eastAsiaTheme" not in styles.split("</w:docDefaults>")[0]
    assert len(footers) == 2
    for xml in footers:
        assert "PAGE" in xml and "— " in xml and " —" in xml and 'w:fldCharType="begin"' in xml
    assert "wp:anchor" not in document  # no floating objects
    assert 'w:tblLayout w:type="fixed"' in document


def test_special_characters_come_out_as_typed(campaign, today, tmp_path):
    odd = 'A&B <危险> "双引号" \'单引号\' {{ 不是标记 }} 100%'
    records.create(m.Note, campaign, {"section": "组织领导", "text": odd})
    records.create(m.Instruction, campaign, {"leader": "张三", "title": "区长", "content": "R&D<投入>要加大"})
    target = word_report.write_report(campaign, tmp_path / "a.docx", today=today)
    text = text_of(target)
    assert odd in text
    assert "区长张三强调\uff1aR&D<投入>要加大。" in text, [t for t in text.splitlines() if "张三" in t]


def test_hand_built_year_leaves_empty_sections_out(campaign, today, tmp_path):
    unit = units.ensure_unit("区应急管理局", kind="区级部门")
    records.create(m.Training, campaign, {"unit": unit, "category": "特种作业人员培训", "sessions": 2,
                                          "participants": 120})
    records.create(m.Training, campaign, {"unit": unit, "category": "以会代训", "sessions": 1, "participants": 0})
    records.create(m.Hazard, campaign, {"unit": unit, "enterprise": "甲公司", "industry": "燃气",
                                        "found_date": dt.date(2021, 6, 3), "description": "管道老化",
                                        "status": "已整改", "rectified_date": dt.date(2021, 6, 5)})
    target = word_report.write_report(campaign, tmp_path / "b.docx", today=today)
    text = text_of(target)
    assert headings(target) == ["一、深入开展宣传教育", "二、扎实推进隐患排查整治"]
    assert headings(target, "二级标题") == ["\uff08一\uff09强化安全培训"]
    assert "区应急管理局举办特种作业人员培训和以会代训活动3期、培训120人次" in text
    assert "在日常检查中共排查登记隐患1处" in text and "整改率100.0%" in text
    for absent in ("组织领导", "督查", "下一步", "咨询", "重大隐患", "罚款", "宣传经费"):
        assert absent not in text.split("附件")[0], absent
    assert BRAG.search(text.split("附件")[0]) is None
    assert "{{" not in text


def make_template(path, *paragraphs):
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    doc.save(str(path))
    return path


def test_syntax_error_is_refused_with_its_paragraph(demo, today, tmp_path):
    bad = make_template(tmp_path / "bad.docx", "{{ title }}", "第二段没问题", "{% if has_org %}组织领导部分")
    target = tmp_path / "out.docx"
    with pytest.raises(AppError) as err:
        word_report.write_report(demo, target, template=bad, today=today)
    message = str(err.value)
    assert "语法错误" in message and "正文第3段" in message and "组织领导部分" in message
    assert not target.exists()

    bad = make_template(tmp_path / "bad2.docx", "开头", "{{ region 的总结")
    with pytest.raises(AppError, match=r"第2段.*region 的总结"):
        word_report.write_report(demo, target, template=bad, today=today)
    assert not target.exists()


def test_the_cycle_collector_runs_again_after_a_report_good_or_refused(demo, today, tmp_path):
    """write_report pauses Python's cycle collector while it holds the context; it is back on afterwards, also
    when the template is refused, and stays off when the caller had paused it."""
    import gc

    word_report.write_report(demo, tmp_path / "good.docx", today=today)
    assert gc.isenabled()
    bad = make_template(tmp_path / "bad.docx", "{{ region 的总结")
    with pytest.raises(AppError):
        word_report.write_report(demo, tmp_path / "out.docx", template=bad, today=today)
    assert gc.isenabled()
    gc.disable()
    try:
        word_report.write_report(demo, tmp_path / "again.docx", today=today)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_unknown_variables_are_listed(demo, today, tmp_path):
    bad = make_template(tmp_path / "vars.docx", "{{ regoin }}{{ year }}", "{{ org.foo }} {{ figures.training.sessionz }}",
                        "{% for p in org.paragraphs %}{{ p.text }}{% endfor %}")
    with pytest.raises(AppError) as err:
        word_report.write_report(demo, tmp_path / "out.docx", template=bad, today=today)
    message = str(err.value)
    assert "regoin" in message and "org.foo" in message and "figures.training.sessionz" in message
    assert "变量“year”" not in message and "变量“p.text”" not in message
    assert not (tmp_path / "out.docx").exists()


def test_sandbox_refuses_reaching_outside_the_context(demo, today, tmp_path):
    bad = make_template(tmp_path / "evil.docx", "{{ title.__class__.__mro__ }}")
    with pytest.raises(AppError):
        word_report.write_report(demo, tmp_path / "out.docx", template=bad, today=today)
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("content, needle", [(b"not a zip", "不是 Word 文档"), (None, "找不到模板文件")])
def test_bad_template_files(demo, today, tmp_path, content, needle):
    template = tmp_path / "t.docx"
    if content is not None:
        template.write_bytes(content)
    with pytest.raises(AppError, match=needle):
        word_report.write_report(demo, tmp_path / "out.docx", template=template, today=today)


def test_locked_target_keeps_the_old_file(demo, today, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "总结.docx"
    target.write_bytes(b"old contents")

    def held_open(src, dst):  # what Windows does when Word/WPS holds the file
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(files.os, "replace", held_open)
    with pytest.raises(AppError, match="没有写入权限.*正被其他程序打开.*原文件未被改动"):
        word_report.write_report(demo, target, today=today)
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in target.parent.iterdir()] == ["总结.docx"]  # no temporary file left behind


def test_read_only_folder(tmp_path):
    """As the clerk runs it, without the privileges that ignore permissions (so also as root in CI)."""
    from tests import unprivileged
    from tests.db.util import cli

    unprivileged.check_it_works(tmp_path)
    db = tmp_path / "x.sqlite"
    assert cli("--db", db, "demo", "--year", 2021).returncode == 0
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "a.docx").write_bytes(b"old")
    folder.chmod(0o555)
    try:
        result = unprivileged.run_cli("--db", db, "report", "--year", 2021, "--no-charts", "-o", folder / "a.docx")
        assert result.returncode == 1 and "没有写入权限" in result.stderr and "原文件未被改动" in result.stderr
        assert (folder / "a.docx").read_bytes() == b"old" and [p.name for p in folder.iterdir()] == ["a.docx"]
    finally:
        folder.chmod(0o755)


def test_missing_folder_and_wrong_suffix(demo, today, tmp_path):
    with pytest.raises(AppError, match="不存在"):
        word_report.write_report(demo, tmp_path / "nope" / "a.docx", today=today)
    with pytest.raises(AppError, match=r"\.docx"):
        word_report.write_report(demo, tmp_path / "a.doc", today=today)


def test_progress_and_template_copy(demo, today, tmp_path):
    seen = []
    word_report.write_report(demo, tmp_path / "a.docx", today=today, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, word_report.STEPS) and seen[-1] == (word_report.STEPS, word_report.STEPS)
    copy = word_report.export_template_copy(tmp_path / "我的模板.docx")
    assert copy.read_bytes() == word_report.default_template().read_bytes()
    notes = (tmp_path / "我的模板-变量说明.txt").read_bytes()
    assert notes.startswith(b"\xef\xbb\xbf") and b"\r\n" in notes  # Notepad and WPS open it as UTF-8 text
    text = notes.decode("utf-8-sig")
    assert "training.participants" in text and "`" not in text and "|---" not in text
    # the copy, edited by the clerk, renders
    doc = Document(str(copy))
    opening = next(p for p in doc.paragraphs if p.text == "{{ opening.text }}")
    opening.text = "本区自定义开头:{{ region }}{{ phrases.training.participants }}人次。"
    doc.save(str(copy))
    target = word_report.write_report(demo, tmp_path / "b.docx", template=copy, today=today)
    assert f"本区自定义开头:城南区{numbers.count_phrase(indicators.compute('training.participants', demo))}人次。" \
        in text_of(target)


def test_default_template_is_built_by_the_script(tmp_path):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "build_template.py"
    spec = importlib.util.spec_from_file_location("build_template", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = module.build(tmp_path / "t.docx")
    assert text_of(rebuilt) == text_of(word_report.default_template())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler not installed")
def test_pdf_rendering(demo_docx, tmp_path, demo, today):
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(demo_docx)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "总结.pdf"
    assert pdf.exists()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > 1
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    v = indicators.compute_all(demo, today=today)
    for needle in ("城南区2021年“安全生产月”活动总结", "一、强化组织领导", "五、下一步工作打算", "—1—",
                   f"共排查各类隐患{numbers.approx_phrase(v['hazards.found'])}处"):
        assert needle in flat, needle
