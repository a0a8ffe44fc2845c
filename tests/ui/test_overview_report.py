"""The Word-report actions of the 导出 menu, driven through the window with prompts answered by the fake:
export (charts drawn, progress, open the file or its folder), choose a template (checked first, refused
with its problems, remembered per database), back to the built-in one, export a copy."""

from __future__ import annotations

from docx import Document
from docx.shared import Mm

from safetymonth_desktop.exchange import word_report


def action_texts(window):
    """The 导出 menu's items as the clerk sees them: when it opens (the template's name is read then)."""
    from safetymonth_desktop.ui.qt_compat import emit

    menu = window.menu("export")
    emit(menu.aboutToShow)
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_export_menu_has_the_report_actions(demo, make_window):
    window = make_window()
    assert action_texts(window)[:4] == ["导出活动总结…", "选择总结模板…", "恢复默认模板(当前已是默认模板)", "导出模板副本…"]
    assert window.menu("export").actions()[4].isSeparator() and len(action_texts(window)) > 4  # then the Excel ones
    assert not window.report_actions.reset_action.isEnabled()


def test_export_summary_with_charts_then_open_the_folder(demo, make_window, fake_prompts, inline_tasks, tmp_path):
    window = make_window()
    target = tmp_path / "out" / "总结"
    target.parent.mkdir()
    fake_prompts.save_file = lambda *a, **k: str(target)
    fake_prompts.button_answers = [1]
    window.report_actions.export_action.trigger()
    written = target.with_name("总结.docx")
    assert written.is_file() and fake_prompts.opened == [str(written.parent)]
    doc = Document(str(written))
    assert doc.paragraphs[0].text == "城南区2021年“安全生产月”活动总结"
    assert len(doc.inline_shapes) == 3 and all(abs(s.width - Mm(150)) < Mm(0.1) for s in doc.inline_shapes)  # no 报送记录 chart
    assert inline_tasks.progress_calls[-1] == (word_report.STEPS, word_report.STEPS)
    question = fake_prompts.of_kind("buttons")[-1]
    assert str(written) in question[1] and question[2] == ["打开文件", "打开所在文件夹", "关闭"]
    assert "已生成活动总结" in window.statusBar().currentMessage()


def test_export_then_open_the_file_or_nothing(demo, make_window, fake_prompts, tmp_path):
    window = make_window()
    fake_prompts.save_file = lambda *a, **k: str(tmp_path / "a.docx")
    fake_prompts.button_answers = [0, None]
    window.report_actions.export_summary()
    assert fake_prompts.opened == [str(tmp_path / "a.docx")]
    window.report_actions.export_summary()  # the question closed: nothing opened
    assert fake_prompts.opened == [str(tmp_path / "a.docx")]


def test_cancelled_file_dialog_writes_nothing(demo, make_window, fake_prompts, tmp_path):
    window = make_window()
    assert window.report_actions.export_summary() is None
    assert list(tmp_path.glob("*.docx")) == [] and fake_prompts.of_kind("buttons") == []


def test_choose_template_checks_it_and_remembers_it(demo, make_window, fake_prompts, tmp_path):
    window = make_window()
    broken = tmp_path / "坏模板.docx"
    doc = Document()
    doc.add_paragraph("{{ title }} {{ no_such_thing }}")
    doc.save(str(broken))
    fake_prompts.open_file = lambda *a, **k: str(broken)
    assert window.report_actions.choose_template() is None
    error = fake_prompts.of_kind("error")[-1][1]
    assert "no_such_thing" in error and "模板未被选用" in error
    assert word_report.chosen_template() is None

    copy = tmp_path / "我的模板.docx"
    fake_prompts.save_file = lambda *a, **k: str(copy)
    assert window.report_actions.export_template_copy() == copy and copy.is_file()
    assert (tmp_path / "我的模板-变量说明.txt").is_file()
    fake_prompts.open_file = lambda *a, **k: str(copy)
    assert window.report_actions.choose_template() == copy
    assert word_report.chosen_template() == copy
    window.report_actions._update()
    assert window.report_actions.reset_action.isEnabled()
    assert window.report_actions.reset_action.text() == "恢复默认模板(当前:我的模板.docx)"

    # The export uses the chosen template; a template that went missing falls back to the built-in one.
    fake_prompts.save_file = lambda *a, **k: str(tmp_path / "r.docx")
    window.report_actions.export_summary()
    assert (tmp_path / "r.docx").is_file()
    copy.unlink()
    fake_prompts.save_file = lambda *a, **k: str(tmp_path / "r2.docx")
    window.report_actions.export_summary()
    assert "已找不到" in fake_prompts.of_kind("warning")[-1][1] and (tmp_path / "r2.docx").is_file()

    window.report_actions.reset_action.trigger()
    assert word_report.chosen_template() is None and not window.report_actions.reset_action.isEnabled()


def test_report_actions_need_a_year(db, make_window, fake_prompts):
    window = make_window()
    assert not window.report_actions.export_action.isEnabled()
    assert window.report_actions.export_summary() is None
    assert "请先新建" in fake_prompts.of_kind("info")[-1][1]


def test_hostile_templates_in_the_window(demo, make_window, fake_prompts, tmp_path):
    """A template with {% include %} is not chosen; one that passes the check but builds too much is refused
    when exporting, in Chinese, and the previous summary file is left as it was; the window keeps working."""
    window = make_window()
    including = tmp_path / "引用.docx"
    doc = Document()
    doc.add_paragraph("{% include '其他模板.docx' %}")
    doc.save(str(including))
    fake_prompts.open_file = lambda *a, **k: str(including)
    assert window.report_actions.choose_template() is None
    error = fake_prompts.of_kind("error")[-1][1]
    assert "不能引用其他模板" in error and "正文第1段" in error and "模板未被选用" in error
    assert word_report.chosen_template() is None

    bomb = tmp_path / "重复.docx"
    doc = Document()
    doc.add_paragraph("{{ region * 10**10 }}")
    doc.save(str(bomb))
    fake_prompts.open_file = lambda *a, **k: str(bomb)
    assert window.report_actions.choose_template() == bomb  # variables and syntax are fine
    target = tmp_path / "总结.docx"
    target.write_bytes(b"previous summary")
    fake_prompts.save_file = lambda *a, **k: str(target)
    window.report_actions.export_summary()
    error = fake_prompts.of_kind("error")[-1][1]
    assert "重复.docx" in error and "超过上限" in error and "请检查模板中的循环或重复" in error
    assert target.read_bytes() == b"previous summary" and fake_prompts.of_kind("buttons") == []

    window.report_actions.reset_action.trigger()
    window.report_actions.export_summary()  # the built-in template still works
    assert Document(str(target)).paragraphs[0].text == "城南区2021年“安全生产月”活动总结"
