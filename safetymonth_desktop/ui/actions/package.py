"""导出 → 生成上报数据包…: the year's 上报数据包 for the level above (exchange/package_write.py), written as a task with
progress and cancel. Importing a sub-region's package needs no action of its own: 导入单位填报表… recognises it by
its stamp (services/rollup.py) and asks before it replaces a region's earlier package."""

from __future__ import annotations

from pathlib import Path

from safetymonth_desktop.ui import prompts, tasks
from safetymonth_desktop.ui.actions.common import (folder_for, need_campaign, offer_open, on_failure, output_allowed,
                                                    remember)

XLSX_SAVE_FILTER = "Excel 工作簿 (*.xlsx)"


def install(window) -> None:
    window.menu("export").addAction(window._action(
        "write_package", "生成上报数据包…", lambda: write_package(window),
        tip="把本年度全部记录和汇总生成一个数据包(Excel),交上级用本软件导入汇总,不必重新录入"))


def write_package(window, target=None):
    campaign = need_campaign(window)
    if campaign is None:
        return
    if target is None:
        default = Path(folder_for("export", window.db_path.parent)) / f"{campaign.region or ''}{campaign.year}年上报数据包.xlsx"
        target = prompts.save_file(window, "生成上报数据包", str(default), XLSX_SAVE_FILTER)
    if not target:
        return
    target = Path(target)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    if not output_allowed(window, target, title="生成上报数据包"):
        return
    remember("export", target)

    def work(progress, cancelled):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import package_write

        return package_write.write_package(campaign, target, progress=progress, cancelled=cancelled)

    def done(written):
        regions = f",含下级地区 {len(written.regions)} 个" if written.regions else ""
        offer_open(window, written.path, f"已生成 {campaign.year} 年度上报数据包(共 {written.total} 条记录{regions}):\n"
                                         f"{written.path}\n\n请把这个文件原样报送上级,不要修改其中的内容。")

    tasks.run_task(window, work, title="正在生成上报数据包…", on_done=done,
                   on_error=on_failure(window, f"已取消,未生成文件“{target.name}”(原有的同名文件保持不变)。"))
