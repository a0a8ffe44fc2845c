"""Choosing a custom template in the window: every problem the checker finds (a typo inside a loop, a syntax
error in the footer) is shown in the existing error display with its Word paragraph, and the template is not
chosen."""

from docx import Document

from safetymonth_desktop.exchange import word_report


def test_every_template_problem_is_shown_located(demo, make_window, fake_prompts, tmp_path):
    window = make_window()
    broken = tmp_path / "循环里写错.docx"
    doc = Document()
    doc.add_paragraph("{{ title }}")
    doc.add_paragraph("{% for p in org.paragraphs %}{{ p.laed }}{% endfor %}")
    doc.sections[0].footer.paragraphs[0].text = "{% if has_org %}页脚"
    doc.save(str(broken))
    fake_prompts.open_file = lambda *a, **k: str(broken)
    assert window.report_actions.choose_template() is None
    error = fake_prompts.of_kind("error")[-1][1]
    assert "有 2 处问题" in error and "正文第2段" in error and "p.laed" in error and "是不是“lead”" in error
    assert "页脚第1段" in error and "缺少 {% endif %}" in error and "模板未被选用" in error
    assert word_report.chosen_template() is None
