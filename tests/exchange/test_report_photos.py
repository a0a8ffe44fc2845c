"""The annex 活动图片 in the Word 活动总结: the chosen photos only, in the order of their records' dates, two to a
page, captioned from their records (a unit by its 简称), sized to the type area, listed last in the 附件说明; no photo
chosen, no annex and no entry."""

import datetime as dt

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import photo_files, report_prose as P, word_report
from safetymonth_desktop.exchange.report_context import build_context
from safetymonth_desktop.exchange.report_sections import photos as annex
from safetymonth_desktop.services import photos, units

LATER = dt.date(2026, 11, 29)


@pytest.fixture
def picture(tmp_path):
    def make(name, size=(2400, 1800)):
        path = tmp_path / name
        Image.new("RGB", size, (40, 90, 160)).save(path, quality=85)
        return path
    return make


def annex_paragraphs(path):
    paras = Document(str(path)).paragraphs
    start = next((i for i, p in enumerate(paras) if p.text.endswith("活动图片") and p.style.name == "公文标题"), None)
    return paras, start


def test_chosen_photos_make_the_last_annex_two_to_a_page(demo, picture, tmp_path):
    consult = m.Event.select().where(m.Event.kind == "安全宣传咨询日").order_by(m.Event.id).first()
    training = (m.Training.select().where(m.Training.start_date.is_null(False) & (m.Training.unit == consult.unit_id))
                .order_by(m.Training.start_date).first())
    assert training.start_date < consult.date
    units.update_unit(consult.unit_id, short_name="区应急局")
    photo_files.add_files(m.Event, consult.id, [picture("wide.jpg"), picture("tall.jpg", (1800, 2400)),
                                                picture("left-out.jpg")])
    photo_files.add_files(m.Training, training.id, [picture("t.jpg")])
    left_out = photos.photos_of(m.Event, consult.id)[2]
    photos.update_photo(left_out.id, include=False)
    photos.update_photo(photos.photos_of(m.Event, consult.id)[1].id, caption="区长宣布活动启动(现场)")
    path = word_report.write_report(demo, tmp_path / "r.docx", today=LATER)
    paras, start = annex_paragraphs(path)
    assert start is not None
    assert paras[start - 2].text == "附件2" and paras[start - 2].paragraph_format.page_break_before  # title on line 3
    notes = [p.text for p in paras if p.style.name == "附件说明"]
    assert notes[-1] == "2.城南区2021年“安全生产月”活动图片"
    captions = [p.text for p in paras[start:] if p.style.name == "图题"]
    day = consult.date
    assert captions == [
        P.punctuate(f"{training.start_date.month}月{training.start_date.day}日，区应急局在{training.venue}举办"
                    f"{training.title}"),  # the same unit: its 简称
        P.punctuate(f"{day.month}月{day.day}日，区应急局在{consult.venue}举办{consult.title}"),
        "区长宣布活动启动（现场）",  # the clerk's caption, with Chinese punctuation
    ]
    pictures = [p for p in paras[start:] if p.style.name == "图片"]
    assert len(pictures) == 3
    assert [bool(p.paragraph_format.page_break_before) for p in pictures] == [False, False, True]
    doc = Document(str(path))
    shapes = doc.inline_shapes
    sizes = [(round(s.width / Mm(1)), round(s.height / Mm(1))) for s in shapes][-3:]
    type_width = round((doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin) / Mm(1))
    assert all(w <= type_width and h <= annex.SLOT_HEIGHT_MM for w, h in sizes)
    assert sizes[0][1] <= annex.FIRST_PAGE_HEIGHT_MM and sizes[1][1] <= annex.FIRST_PAGE_HEIGHT_MM
    assert sizes[2] == (round(annex.SLOT_HEIGHT_MM * 3 / 4), annex.SLOT_HEIGHT_MM)  # a portrait photo, full height


def test_no_photo_chosen_no_annex(demo, picture, tmp_path):
    consult = m.Event.select().where(m.Event.kind == "安全宣传咨询日").first()
    photo_files.add_files(m.Event, consult.id, [picture("a.jpg")])
    photos.update_photo(photos.photos_of(m.Event, consult.id)[0].id, include=False)
    path = word_report.write_report(demo, tmp_path / "r.docx", today=LATER)
    paras, start = annex_paragraphs(path)
    assert start is None and not Document(str(path)).inline_shapes
    assert [p.text for p in paras if p.style.name == "附件说明"] == ["附件：城南区2021年“安全生产月”活动统计表"]
    assert not build_context(demo, today=LATER)["photos"]


def test_photos_alone_are_the_only_annex(campaign, picture, tmp_path):
    unit = units.create_unit("县应急管理局", kind="区级部门", short_name="县应急局")
    from safetymonth_desktop.services import records

    event = records.create(m.Event, campaign, {"unit": unit, "kind": "安全宣传咨询日", "title": "安全宣传咨询日",
                                               "date": "2021-06-16", "venue": "县城广场", "participants": 500})
    photo_files.add_files(m.Event, event.id, [picture("a.jpg")])
    context = build_context(campaign, today=LATER)
    assert context["photos"][0]["caption"] == "6月16日，县应急局在县城广场举办安全宣传咨询日"
    path = word_report.write_report(campaign, tmp_path / "r.docx", today=LATER)
    paras, start = annex_paragraphs(path)
    notes = [p.text for p in paras if p.style.name == "附件说明"]
    assert notes[-1].endswith("活动图片") and paras[start - 2].text in ("附件", "附件2")


def test_a_custom_templates_photo_loop_is_checked_even_without_photos(demo, tmp_path):
    from tests.exchange.test_template_check import make_template, problems_of

    good = make_template(tmp_path / "good.docx", "{{ title }}",
                         "{% if has_photos %}{{ photo_appendix.label }}{{ photo_appendix.title }}{% endif %}",
                         "{% for p in photos %}{{ p.image }}{{ p.caption }}{{ p.new_page }}{% endfor %}")
    word_report.write_report(demo, tmp_path / "ok.docx", template=good, today=LATER)
    bad = make_template(tmp_path / "bad.docx", "{{ title }}", "{% for p in photos %}{{ p.captoin }}{% endfor %}")
    message = problems_of(demo, LATER, bad, tmp_path)
    assert "p.captoin" in message and "正文第2段" in message and "是不是“caption”" in message
