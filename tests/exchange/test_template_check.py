"""A custom template is checked before anything is written: every undefined variable (top level, in loops,
nested loops, conditions, set/with), unknown filter and syntax error is listed in Chinese, each located by
its Word paragraph (body, table cell, footer) and quoted; a correct template passes and renders."""

import zipfile

import pytest
from docx import Document

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import word_report
from safetymonth_desktop.exchange.report_context import build_context


def make_template(path, *paragraphs, table=None, footer=None):
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    for p in paragraphs[len(paragraphs):]:
        doc.add_paragraph(p)
    if footer is not None:
        doc.sections[0].footer.paragraphs[0].text = footer
    doc.save(str(path))
    return path


def problems_of(demo, today, template, tmp_path):
    """The lines of the refusal, checking nothing was written."""
    target = tmp_path / "out.docx"
    with pytest.raises(AppError) as err:
        word_report.write_report(demo, target, template=template, today=today)
    assert not target.exists()
    return str(err.value)


def test_typo_inside_a_loop_is_found_and_located(demo, today, tmp_path):
    bad = make_template(tmp_path / "t.docx", "{{ title }}", "开头",
                        "{% for p in org.paragraphs %}{{ p.enum }}，{{ p.laed }}。{% endfor %}")
    message = problems_of(demo, today, bad, tmp_path)
    assert "p.laed" in message and "正文第3段" in message and "org.paragraphs 的每一项没有“laed”" in message
    assert "是不是“lead”" in message
    assert "p.enum" not in message
    assert "attribute" not in message and "dict object" not in message


def test_typos_in_conditions_nested_loops_set_and_with_are_all_listed(demo, today, tmp_path):
    bad = make_template(
        tmp_path / "t.docx",
        "{{ regoin }}的总结",                                                         # 1 top level
        "{% if has_trainng %}有培训{% endif %}",                                      # 2 condition
        "{% for s in publicity.subsections %}{% for q in s.paragraphs %}{{ q.txt }}{% endfor %}{% endfor %}",  # 3 nested
        "{% set h = hazards %}{{ h.intro }}{{ h.intr }}",                             # 4 set
        "{% with rows = appendix.rows %}{% for r in rows %}{{ r.lable }}{% endfor %}{% endwith %}",  # 5 with
        "{% for p in org.paragraphs %}{{ loop.indx }}{% endfor %}",                  # 6 loop variable
        "{{ title|upcase }}",                                                         # 7 unknown filter
        "{% if figures.hazards.found > 0 %}{{ figures.hazards.fund }}{% endif %}",    # 8 figure in a condition
        "{{ subject if has_org else subjet }}",                                       # 9 both branches
        "{{ org.paragraphs|map(attribute='lede')|join('；') }}",                      # 10 attribute as a string
    )
    message = problems_of(demo, today, bad, tmp_path)
    expected = [("正文第1段", "regoin", "region"), ("正文第2段", "has_trainng", "has_training"),
                ("正文第3段", "q.txt", "text"), ("正文第4段", "h.intr", "intro"), ("正文第5段", "r.lable", "label"),
                ("正文第6段", "loop.indx", "index"), ("正文第7段", "upcase", None),
                ("正文第8段", "figures.hazards.fund", "found"), ("正文第9段", "subjet", "subject"),
                ("正文第10段", "lede", "lead")]
    lines = message.splitlines()
    assert "有 10 处问题" in lines[0]
    for where, name, suggestion in expected:
        line = next(line for line in lines if where + "“" in line)
        assert name in line, (where, line)
        if suggestion:
            assert f"“{suggestion}”" in line, line
    for fine in ("h.intro", "s.paragraphs", "q.text", "rows", "has_org", "figures.hazards.found"):
        assert f"“{fine}”" not in message


def test_defined_tests_and_defaults_may_miss(demo, today, tmp_path):
    good = make_template(tmp_path / "t.docx", "{% if foo is defined %}{{ foo }}{% endif %}{{ bar|default('无') }}",
                         "{% for k, v in figures.hazards.items() %}{{ k }}{{ v }}{% endfor %}",
                         "{% set ns = namespace(n=0) %}{% for p in org.paragraphs %}{% set ns.n = ns.n + 1 %}"
                         "{% endfor %}{{ ns.n }}")
    target = tmp_path / "out.docx"
    word_report.write_report(demo, target, template=good, today=today)
    assert target.is_file()


def test_an_empty_list_still_knows_its_items_keys(campaign, today, tmp_path):
    # The hand-built year has no records: publicity.drills is empty, but its items' keys are documented.
    context = build_context(campaign, today=today)
    assert context["publicity"]["drills"] == []
    bad = make_template(tmp_path / "t.docx", "{% for d in publicity.drills %}{{ d.titel }}{{ d.title }}{% endfor %}")
    with pytest.raises(AppError) as err:
        word_report.check_template(bad, context)
    assert "d.titel" in str(err.value) and "“d.title”" not in str(err.value)


def test_location_in_a_table_cell_and_in_the_footer(demo, today, tmp_path):
    bad = make_template(tmp_path / "t.docx", "{{ title }}", "第二段",
                        table=[["类别", "数值"], ["培训", "{{ figures.training.particpants }}"]],
                        footer="第{{ pag }}页")
    message = problems_of(demo, today, bad, tmp_path)
    # Word counts the table's paragraphs after the two body paragraphs: cells 类别, 数值, 培训, then this one.
    assert "正文第6段（表格内）“{{ figures.training.particpant…”" in message  # quoted, shortened
    assert "页脚第1段“第{{ pag }}页”" in message and "变量“pag”不存在" in message


def test_paragraph_numbers_count_control_paragraphs_as_word_does(demo, today, tmp_path):
    # {%p … %} paragraphs vanish from docxtpl's source but are paragraphs in Word.
    bad = make_template(tmp_path / "t.docx", "{%p if has_org %}", "组织领导", "{%p endif %}", "{{ nmae }}")
    message = problems_of(demo, today, bad, tmp_path)
    assert "正文第4段“{{ nmae }}”" in message


@pytest.mark.parametrize("paragraphs, where, reason", [
    (("开头", "{% if has_org %}组织领导部分", "结尾"), "正文第2段“{% if has_org %}组织领导部分”",
     "{% if %} 没有结束，缺少 {% endif %}"),
    (("开头", "{%p if has_org %}", "组织领导", "结尾", "落款"), "正文第2段“{%p if has_org %}”",
     "{% if %} 没有结束，缺少 {% endif %}"),
    (("{% for p in org.paragraphs %}", "{% if p.lead %}{{ p.lead }}", "{% endfor %}"), "正文第3段",
     "{% endfor %} 与前面的 {% if %} 不配对"),
    (("{% if has_org %}x{% endfi %}",), "正文第1段", "未知的标记 {% endfi %}，这里应为 {% elif %}、{% else %}、{% endif %} 之一"),
    (("一", "{% iff has_org %}",), "正文第2段", "未知的标记 {% iff %}"),
    (("一", "二", "{{ region 的总结"), "正文第3段“{{ region 的总结”", "标记中多了“的总结”"),
    (("一", "{{ region ？}}"), "正文第2段", "标记中有无法识别的字符“？”"),
    (("{{ title }", "二"), "正文第1段", "花括号或括号不成对"),
    (("{{ org paragraphs }}",), "正文第1段", "标记中多了“paragraphs”"),
    (("{{ title", "第二段"), "正文第1段“{{ title”", "标记没有结束"),
    (("{% endif %}",), "正文第1段", "前面没有与之配对的开始标记"),
    (("{{ }}",), "正文第1段", "标记中缺少内容"),
])
def test_syntax_errors_in_chinese_with_their_paragraph(demo, today, tmp_path, paragraphs, where, reason):
    bad = make_template(tmp_path / "t.docx", *paragraphs)
    message = problems_of(demo, today, bad, tmp_path)
    assert "语法错误" in message and where in message and reason in message, message
    assert not any(word in message for word in ("Unexpected", "unexpected", "Encountered", "expected", "Jinja"))


def test_syntax_error_in_the_footer_and_variables_in_the_body_are_shown_together(demo, today, tmp_path):
    bad = make_template(tmp_path / "t.docx", "{{ titel }}", footer="{% if has_org %}页脚")
    message = problems_of(demo, today, bad, tmp_path)
    assert "正文第1段“{{ titel }}”" in message and "页脚第1段" in message and "缺少 {% endif %}" in message


def test_a_correct_custom_template_passes_and_renders(demo, today, tmp_path):
    good = make_template(
        tmp_path / "t.docx", "{{ title }}",
        "{%p for p in org.paragraphs %}", "{{ p.enum }}{{ p.lead }}。{{ p.text }}", "{%p endfor %}",
        "{%p for s in publicity.subsections %}", "{{ s.number }}{{ s.title }}",
        "{%p for q in s.paragraphs %}", "{{ q.text }}", "{%p endfor %}", "{%p endfor %}",
        "{%p if has_hazards %}", "{{ hazards.intro }}", "{%p endif %}",
        table=[["{%tr for r in appendix.rows %}", ""], ["{{ r.label }}", "{{ r.value }}"], ["{%tr endfor %}", ""]],
        footer="— {{ year }} —")
    target = tmp_path / "out.docx"
    word_report.write_report(demo, target, template=good, today=today)
    with zipfile.ZipFile(target) as z:
        body = z.read("word/document.xml").decode()
    assert "{{" not in body and "{%" not in body and "安全生产月" in body


def test_the_builtin_template_passes_for_the_demo_and_an_empty_year(demo, campaign, today):
    word_report.check_template(word_report.default_template(), build_context(demo, today=today))
    word_report.check_template(word_report.default_template(), build_context(campaign, today=today))


def test_other_pieces_are_checked_under_their_label(demo, today, tmp_path):
    from safetymonth_desktop.exchange import template_check

    template = word_report._open_template(make_template(tmp_path / "t.docx", "{{ title }}"))
    found = template_check.problems(template, build_context(demo, today=today), word_report._environment(),
                                    extra=[("文档属性", "{{ titel }}"), ("文档属性", "{% if x %}")])
    assert found[0].startswith("文档属性：变量“titel”不存在") and "缺少 {% endif %}" in found[1]
