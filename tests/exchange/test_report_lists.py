"""The context's per-record lists (every event, action, inspection … as a dict) are built only when the template
names them (`template_lists.named_lists`), and a report comes out the same as from the whole context: the
built-in template, which names none, and a clerk's template that loops over every one (document.xml compared
byte for byte with the rendering of the context holding every list)."""

import zipfile

import pytest
from docx import Document

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import report_context, template_lists, word_report
from safetymonth_desktop.exchange.report_sections.base import RECORD_LISTS


def names(*sources) -> frozenset:
    return template_lists.named_lists(sources, word_report._environment())


def at(context: dict, path: str):
    value = context
    for key in path.split("."):
        value = value[key]
    return value


def has(context: dict, path: str) -> bool:
    *head, last = path.split(".")
    return last in at(context, ".".join(head))


@pytest.mark.parametrize("source, expected", [
    ("{{ hazards.intro }}{% for p in hazards.paragraphs %}{{ p.text }}{% endfor %}", set()),
    ("{% for a in hazards.actions %}{{ a.action }}{% endfor %}", {"hazards.actions"}),
    ("{{ hazards['actions']|length }}", {"hazards.actions"}),
    ("{{ org.documents[0].title }}{{ supervision.inspections[:2] }}", {"org.documents", "supervision.inspections"}),
    # a dict above the lists used whole: every list under it
    ("{% set h = hazards %}{{ h.intro }}", {"hazards.actions"}),
    ("{% for k, v in publicity.items() %}{{ k }}{% endfor %}",
     {p for p in RECORD_LISTS if p.startswith("publicity.")}),
    ("{{ org[key] }}", {p for p in RECORD_LISTS if p.startswith("org.")}),
    ("{% macro m(x) %}{{ x.documents }}{% endmacro %}{{ m(org) }}", {p for p in RECORD_LISTS if p.startswith("org.")}),
    ("{{ publicity.consult_day }}", {"publicity.consult_day.events"}),
    ("{{ publicity.consult_day.date }}{{ publicity.consult_day.main.title }}", set()),
    ("{{ publicity|attr('events') }}", {p for p in RECORD_LISTS if p.startswith("publicity.")}),
    ("{{ supervision.get('inspections') }}", {"supervision.inspections"}),
    # a name of a loop or a set is not the context's: reaching a list still goes through the context
    ("{% for s in publicity.subsections %}{{ s.title }}{% endfor %}", set()),
    # what Jinja cannot parse: every list (the check refuses it with its own message)
    ("{% for a in hazards.actions %}", set(RECORD_LISTS)),
])
def test_named_lists(source, expected):
    assert names(source) == frozenset(expected)


def test_the_builtin_template_names_no_list_and_a_property_or_footer_counts():
    assert word_report.named_lists(word_report.default_template()) == frozenset()
    assert names("{{ title }}", "{{ hazards.actions|length }}") == {"hazards.actions"}


def test_the_context_without_lists_is_the_whole_context_less_them(demo, today):
    whole = report_context.build_context(demo, today=today)
    bare = report_context.build_context(demo, today=today, lists=frozenset())
    for path in RECORD_LISTS:
        assert isinstance(at(whole, path), list), path
        assert not has(bare, path), path
        *head, last = path.split(".")
        del at(whole, ".".join(head))[last]
    assert bare == whole
    assert list(bare) == list(whole)  # the same keys in the same order, down to the flags
    one = report_context.build_context(demo, today=today, lists=frozenset({"hazards.actions"}))
    assert [p for p in RECORD_LISTS if has(one, p)] == ["hazards.actions"]


def document_xml(data_or_path) -> bytes:
    import io

    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    with zipfile.ZipFile(source) as z:
        return z.read("word/document.xml")


@pytest.fixture
def built(monkeypatch):
    """The contexts write_report builds, to look at which lists they hold."""
    seen = []
    real = word_report.build_context

    def spy(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(word_report, "build_context", spy)
    return seen


def test_builtin_template_same_document_without_the_lists(demo, today, tmp_path, built):
    out = word_report.write_report(demo, tmp_path / "总结.docx", today=today)
    assert not [p for p in RECORD_LISTS if has(built[0], p)]
    whole = report_context.build_context(demo, today=today)
    assert document_xml(out) == document_xml(word_report.render(word_report.default_template(), whole))


def test_custom_template_naming_every_list_same_document(demo, today, tmp_path, built):
    loops = [f"{path}: {{% for x in {path} %}}{{{{ x }}}}；{{% endfor %}}" for path in RECORD_LISTS]
    template = tmp_path / "全部清单.docx"
    doc = Document()
    for text in ["{{ title }}", "{{ hazards.intro }}", *loops,
                 "{% set h = hazards %}{% for a in h.actions %}{{ a.action }}{{ a.unit }}{% endfor %}"]:
        doc.add_paragraph(text)
    doc.save(str(template))
    out = word_report.write_report(demo, tmp_path / "总结.docx", template=template, today=today)
    assert all(has(built[0], p) for p in RECORD_LISTS)
    whole = report_context.build_context(demo, today=today)
    assert sum(bool(at(whole, p)) for p in RECORD_LISTS) >= 8  # the demo year fills (nearly) all of them
    assert document_xml(out) == document_xml(word_report.render(template, whole))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert whole["hazards"]["actions"][0]["action"] in text


def test_custom_template_naming_one_list_gets_only_that_one(demo, today, tmp_path, built):
    template = tmp_path / "督查.docx"
    doc = Document()
    doc.add_paragraph("{% for i in supervision.inspections %}{{ i.target }}{{ i.date }}；{% endfor %}")
    doc.save(str(template))
    out = word_report.write_report(demo, tmp_path / "督查情况.docx", template=template, today=today)
    assert [p for p in RECORD_LISTS if has(built[0], p)] == ["supervision.inspections"]
    whole = report_context.build_context(demo, today=today)
    assert document_xml(out) == document_xml(word_report.render(template, whole))


def test_a_template_edited_in_place_is_read_again(demo, today, tmp_path, built):
    template = tmp_path / "自定义.docx"
    doc = Document()
    doc.add_paragraph("{{ title }}")
    doc.save(str(template))
    word_report.write_report(demo, tmp_path / "一.docx", template=template, today=today)
    assert not [p for p in RECORD_LISTS if has(built[-1], p)]
    doc = Document()
    doc.add_paragraph("{{ title }}{% for a in hazards.actions %}{{ a.action }}{% endfor %}")
    doc.save(str(template))  # the same file, now naming a list (whatever its size and time say)
    out = word_report.write_report(demo, tmp_path / "二.docx", template=template, today=today)
    assert [p for p in RECORD_LISTS if has(built[-1], p)] == ["hazards.actions"]
    assert built[-1]["hazards"]["actions"][0]["action"] in Document(str(out)).paragraphs[0].text


def test_choosing_a_template_checks_it_with_the_lists_it_names(demo, tmp_path, built):
    template = tmp_path / "选用.docx"
    doc = Document()
    doc.add_paragraph("{% for d in org.documents %}{{ d.citation }}{{ d.nonexistent_field }}{% endfor %}")
    doc.save(str(template))
    with pytest.raises(AppError, match="nonexistent_field"):
        word_report.choose_template(template, demo)
    assert [p for p in RECORD_LISTS if has(built[-1], p)] == ["org.documents"]


def test_the_charts_are_worked_out_once_per_report(demo, today, tmp_path, monkeypatch):
    """The context lists the charts and the renderer draws them from the same specs, read once in the snapshot."""
    from safetymonth_desktop.services import chart_data

    calls = []
    real = chart_data.report_charts
    monkeypatch.setattr(chart_data, "report_charts", lambda campaign: calls.append(1) or real(campaign))
    drawn = []
    out = word_report.write_report(demo, tmp_path / "图.docx", today=today,
                                   chart_renderer=lambda spec: drawn.append(spec.key) or PNG)
    assert len(calls) == 1 and drawn
    assert document_xml(out).count(b"<pic:pic") == len(drawn)  # one picture per chart (the same PNG stored once)


# a 1×1 white PNG
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fe"
                    "a7d2a5e40000000049454e44ae426082")
