"""导入 / 导出 menu actions for Excel: import units' workbooks (preview, then all or nothing with progress and
cancel), write 填报模板 for the units, the statistics workbook, and a superior's form filled in. Thin: the
reading, checking and writing are `exchange.xlsx_*`; this module asks, runs them as tasks and shows results."""

from __future__ import annotations

import re
from pathlib import Path

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.ui import prompts, tasks
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.ui.actions.common import need_campaign, offer_open, on_failure, output_allowed
from safetymonth_desktop.services import roster

XLSX_FILTER = "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)"
IMPORT_FILTER = "Excel/WPS 表格 (*.xlsx *.xlsm *.xls *.xlsb *.ods);;所有文件 (*)"
XLSX_SAVE_FILTER = "Excel 工作簿 (*.xlsx)"
ALL_UNITS = "全部单位(每个单位一个文件)"
BLANK = "空白模板(不预填单位)"


def install(window) -> None:
    imports = window.menu("import")
    imports.addAction(window._action("import_xlsx", "导入单位填报表…", lambda: import_workbooks(window),
                                     "Ctrl+I", "导入各单位填好的 Excel 填报表(先预览检查,再导入)"))
    export = window.menu("export")
    export.addAction(window._action("write_templates", "生成填报模板…", lambda: write_templates(window),
                                    tip="为各单位生成 Excel 填报模板,发给单位填写"))
    export.addAction(window._action("export_stats", "导出统计表和台账…", lambda: export_stats(window),
                                    tip="统计表、分单位汇总、分行业隐患和各类台账(Excel)"))
    export.addAction(window._action("fill_form", "填写上级表样…", lambda: fill_form(window),
                                    tip="把上级表样中的 {{ 指标代码 }} 换成本年度的数值"))


# ---- import


class ImportFlow:
    """One import from the file dialog to the summary; kept on the window while it runs (tests drive it)."""

    def __init__(self, window, paths: list[Path]):
        self.window = window
        self.paths = paths
        self.year = window.campaign.year
        self.dialog = None
        self.results = None  # of the real import, then the files its preview refused
        self.group = None
        self.refused_in_preview = []

    def preview(self) -> None:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import calamine_probe, xlsx_import

        paths, year = self.paths, self.year

        def work(progress, cancelled):
            with calamine_probe.isolated():  # each workbook is read in a child process first: an abort stays there
                return xlsx_import.import_files(paths, year, create_units=True, replace=True, allow_other_units=True,
                                                dry_run=True, backup=False, progress=progress, cancelled=cancelled)

        tasks.run_task(self.window, work, title=f"正在检查 {len(paths)} 个文件…", on_done=self._previewed)

    def _previewed(self, results) -> None:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import xlsx_import
        from safetymonth_desktop.ui.dialogs.import_preview import ImportPreviewDialog

        # A file the check refused was received and sent back: 报送进度 shows it as 有误退回 whatever the clerk does next.
        self.refused_in_preview = [r for r in results if r.status == xlsx_import.REFUSED]
        if self.refused_in_preview:
            xlsx_import.record_receipts(self.window.campaign, self.refused_in_preview)
            emit(self.window.data_changed)
        self.dialog = ImportPreviewDialog(results, self.year, self.window)
        self.dialog.import_requested.connect(self.confirm_and_import)
        self.dialog.save_errors_requested.connect(lambda: save_error_list(self.dialog, self.dialog.results))
        self.dialog.open()

    def confirm_and_import(self) -> None:
        ready = self.dialog.ready()
        new_units = sorted({name for r in ready for name in r.units_created})
        create = False
        if new_units:
            shown = "、".join(new_units[:30]) + (f" 等 {len(new_units)} 个" if len(new_units) > 30 else "")
            create = prompts.confirm(self.window, f"以下单位不在单位名录中:\n{shown}\n\n导入时新建这些单位吗?\n"
                                                  "选“不新建”:填报了这些单位的文件将不导入(不写入任何数据),"
                                                  "可先在“单位管理”中把它们设为已有单位的别名,再重新导入。",
                                     "新建单位", ok="新建这些单位")
        replacing = [r for r in ready if r.replaced]
        replace = False
        if replacing:
            lines = "\n".join(f"{r.file}:将删除以前导入的 {r.replaced} 行,换成本文件的 {r.total} 行" for r in replacing)
            replace = prompts.confirm(self.window, "以下文件是同一单位(或同名文件)以前导入过的文件的修改版本:\n"
                                                   f"{lines}\n\n用新文件替换以前导入的数据吗?(可撤销)\n"
                                                   "选“取消”:这些文件不导入。", "替换以前的导入", ok="替换")
        mixed = [r for r in ready if r.other_units]
        allow = False
        if mixed:
            lines = "\n".join(f"{r.file}(“{r.stamp.unit}”的模板):" + "、".join(f"{name} {n} 行" for name, n
                                                                              in r.other_units.items())
                              for r in mixed)
            allow = prompts.confirm(self.window, "以下文件是某个单位的填报模板,但有些行填的是其他单位:\n"
                                                 f"{lines}\n\n按各行所填的单位导入这些行吗?(如属代报可以导入)\n"
                                                 "选“取消”:这些文件不导入,可把错误清单发回填报单位核对。",
                                    "其他单位的数据", ok="导入")
        self.run([r.path for r in ready], create_units=create, replace=replace, allow_other_units=allow)

    def run(self, paths, *, create_units: bool, replace: bool, allow_other_units: bool = False) -> None:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import calamine_probe, xlsx_import

        year = self.year

        def work(progress, cancelled):
            with calamine_probe.isolated():  # the preview's verdicts are remembered: no second child per file
                return xlsx_import.import_files_together(paths, year, create_units=create_units, replace=replace,
                                                         allow_other_units=allow_other_units,
                                                         progress=progress, cancelled=cancelled)

        tasks.run_task(self.window, work, title=f"正在导入 {len(paths)} 个文件…",
                       on_done=self._imported, on_error=self._failed)

    def _failed(self, exc) -> None:
        if getattr(exc, "is_cancel", False):
            prompts.info(self.window, "已取消导入,数据库未作任何修改。", "导入")
        else:
            prompts.error(self.window, tasks.explain(exc) + "\n数据库未作任何修改。")

    def _imported(self, outcome) -> None:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import xlsx_import as xi
        from safetymonth_desktop.ui.dialogs.import_preview import counts_text, status_text

        self.results, self.group = outcome
        self.results = self.results + self.refused_in_preview  # refused files stay in the result list
        done = [r for r in self.results if r.status == xi.IMPORTED]
        if done:
            total = sum(r.total for r in done)
            self.window.undo_stack.push(self.group, f"导入{len(done)}个文件")
            self.window.refresh()  # every table, total and the overview read again (data_changed)
            self.window.statusBar().showMessage(f"已导入 {len(done)} 个文件,共 {total} 行。", 10000)
        else:  # no record changed, but the files received did: 报送进度 reads them again
            emit(self.window.data_changed)
        rows = []
        for r in self.results:
            detail = counts_text(r) if r.status == xi.IMPORTED else r.message
            if r.status == xi.IMPORTED and r.units_created:
                detail += ";新建单位:" + "、".join(r.units_created)
            if r.status == xi.IMPORTED and r.replaced:
                detail += f";替换了以前导入的 {r.replaced} 行"
            first = next((e for e in r.errors if e.sheet or e.row), None)
            if not r.ok and first is not None:
                where = " ".join(part for part in (first.sheet, f"第{first.row}行" if first.row else "", first.column) if part)
                detail += f"\n第一处错误:{where}:{first.reason}"
            rows.append((r.file, status_text(r), detail))
        refused = [r for r in self.results if not r.ok]
        text = f"已导入 {len(done)} 个文件,共 {sum(r.total for r in done)} 行。"
        if refused:
            text += f"\n{len(refused)} 个文件{status_text(refused[0]) if len(refused) == 1 else '未导入(未写入任何数据)'}。"
        if done:
            text += "\n如导入有误,可用“编辑 → 撤销”(Ctrl+Z)整体撤销这次导入。"
        prompts.table(self.window, text, "导入结果", ["文件", "结果", "说明"], rows)
        errors = [e for r in refused for e in r.errors if e.sheet or e.row]
        if errors and prompts.confirm(self.window, f"未导入的文件共有 {len(errors)} 处错误。保存错误清单吗?",
                                      "导入结果", ok="保存错误清单…"):
            save_error_list(self.window, refused)


def import_workbooks(window, paths=None) -> ImportFlow | None:
    """导入单位填报表…: choose workbooks, check them (nothing written), show the preview."""
    if need_campaign(window) is None:
        return None
    if paths is None:
        paths = prompts.open_files(window, "选择各单位填好的填报表(可多选)", filter=IMPORT_FILTER, kind="import")
    if not paths:
        return None
    paths = [Path(p) for p in paths]
    flow = ImportFlow(window, paths)
    window._import_flow = flow  # kept alive while the preview is open
    flow.preview()
    return flow


def save_error_list(parent, results) -> Path | None:
    # lazy: start-up (loaded when first used, not when the window opens)
    from safetymonth_desktop.exchange import xlsx_import

    target = prompts.save_file(parent, "保存错误清单", "导入错误清单.xlsx", XLSX_SAVE_FILTER, kind="errors")
    if not target:
        return None
    target = _with_suffix(target)
    imported = [(r.path, "导入文件") for r in results or () if getattr(r, "path", None) is not None]
    if not output_allowed(parent, target, imported, "保存错误清单"):
        return None
    try:
        path = xlsx_import.save_errors(results, target)
    except (AppError, OSError) as exc:
        prompts.error(parent, tasks.explain(exc))
        return None
    offer_open(parent, path, f"错误清单已保存:{path}", "保存错误清单")
    return path


def _with_suffix(path, suffix: str = ".xlsx") -> Path:
    path = Path(path)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


# ---- templates


def write_templates(window, choice: int | None = None, folder=None):
    """生成填报模板…: one unit of the year's roster, every one (one file each) or a blank template, into a folder.
    Each template written is recorded as issued (报送进度)."""
    campaign = need_campaign(window)
    if campaign is None:
        return
    unit_list = roster.units(campaign)
    items = ([f"名单中全部单位(共 {len(unit_list)} 个,每个单位一个文件)"] if unit_list else []) + [BLANK] + \
        [u.name for u in unit_list]
    if choice is None:
        choice = prompts.choose(window, "为哪个单位生成填报模板?(单位名称会预先填好)", "生成填报模板", items)
    if choice is None:
        return
    if folder is None:
        folder = prompts.choose_folder(window, "选择保存填报模板的文件夹", kind="templates")
    if not folder:
        return
    folder = Path(folder)
    picked = items[choice]
    if picked == BLANK:
        chosen = []
    elif unit_list and choice == 0:
        chosen = unit_list
    else:
        chosen = [unit_list[choice - 2]]

    def work(progress, cancelled):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import xlsx_template

        if not chosen:
            target = folder / f"{campaign.year}年安全生产月填报模板.xlsx"
            return [xlsx_template.write_template(campaign, target, progress=progress, cancelled=cancelled)], False
        written = xlsx_template.write_templates(campaign, folder, chosen, progress=progress, cancelled=cancelled)
        return written, len(written) < len(chosen)

    def done(outcome):
        written, stopped = outcome
        emit(window.data_changed)  # 报送进度 shows the templates issued
        if stopped:
            prompts.info(window, f"已取消:只生成了 {len(written)} 个模板(在“{folder}”中)。", "生成填报模板")
            return
        what = f"“{written[0].name}”" if len(written) == 1 else f" {len(written)} 个填报模板(每个单位一个文件)"
        offer_open(window, written[0] if len(written) == 1 else folder,
                   f"已生成{what},保存在:\n{folder}\n\n请发给各单位填写,收回后用“导入 → 导入单位填报表”导入。",
                   "生成填报模板")

    tasks.run_task(window, work, title="正在生成填报模板…", on_done=done,
                   on_error=on_failure(window, "已取消生成填报模板。"))


# ---- statistics workbook and superiors' forms


def export_stats(window, target=None):
    """导出统计表和台账…: the statistics workbook of the year on screen."""
    campaign = need_campaign(window)
    if campaign is None:
        return
    if target is None:
        target = prompts.save_file(window, "导出统计表和台账", f"{campaign.year}年安全生产月统计表和台账.xlsx",
                                   XLSX_SAVE_FILTER, kind="stats")
    if not target:
        return
    target = _with_suffix(target)
    if not output_allowed(window, target, title="导出统计表和台账"):
        return

    def work(progress, cancelled):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import xlsx_export

        return xlsx_export.write_stats(campaign, target, progress=progress, cancelled=cancelled)

    tasks.run_task(window, work, title="正在导出统计表和台账…",
                   on_done=lambda path: offer_open(window, path, f"已导出 {campaign.year} 年度统计表和台账:\n{path}"),
                   on_error=on_failure(window, f"已取消导出,未生成文件“{target.name}”(原有的同名文件保持不变)。"))


PLACE = re.compile(r"^工作表“(?P<sheet>.*)”单元格 (?P<cell>[A-Z]+\d+):(?P<reason>.*)$")


def fill_form(window, form=None, target=None):
    """填写上级表样…: the superior's workbook with its {{ 指标代码 }} cells filled; the form itself is kept."""
    campaign = need_campaign(window)
    if campaign is None:
        return
    if form is None:
        form = prompts.open_file(window, "选择上级下发的表样(含 {{ 指标代码 }} 的 Excel 文件)", filter=XLSX_FILTER,
                                 kind="forms")
    if not form:
        return
    form = Path(form)
    if target is None:
        target = prompts.save_file(window, "保存填好的表格", f"{form.stem}-{campaign.year}年已填写.xlsx", XLSX_SAVE_FILTER,
                                   kind="filled_form")
    if not target:
        return
    target = _with_suffix(target)
    if not output_allowed(window, target, [(form, "表样")], "填写上级表样"):
        return

    def work(progress, cancelled):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import xlsx_forms

        return xlsx_forms.fill_form(campaign, form, target)

    def done(result):
        text = f"已填写 {result.filled} 个单元格:\n{result.path}"
        if result.warnings:
            text += "\n\n" + "\n".join(f"提示:{w}" for w in result.warnings)
        offer_open(window, result.path, text, "填写上级表样")

    def failed(exc):
        message = tasks.explain(exc)
        head, *lines = message.split("\n")
        places = [PLACE.match(line) for line in lines]
        if lines and all(places):
            prompts.table(window, head + "\n请在表样中改正这些单元格。可用的指标代码见“导出 → 导出统计表和台账…”"
                          "所得文件中“统计表”的“指标代码”一列。",
                          "填写上级表样", ["工作表", "单元格", "原因"],
                          [(m["sheet"], m["cell"], m["reason"]) for m in places])
        else:
            prompts.error(window, message, "填写上级表样")

    tasks.run_task(window, work, title="正在填写表样…", on_done=done, on_error=failed, cancellable=False)
