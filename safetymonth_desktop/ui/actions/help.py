"""帮助 menu: 使用说明 (the offline user guide opened by the system's browser), 显示工作步骤 (the overview's
first-day path) and 关于."""

from __future__ import annotations

from safetymonth_desktop.ui import prompts


def install(window) -> None:
    menu = window.menu("help")
    menu.addAction(window._action("guide", "使用说明", lambda: open_guide(window), "F1", "打开使用说明(无需联网)"))
    menu.addAction(window._action("first_steps", "显示工作步骤", lambda: show_first_steps(window),
                                  tip="在概览上显示本年度的工作步骤:名单 → 下发模板 → 收回导入 → 检查 → 导出"))
    menu.addSeparator()
    menu.addAction(window._action("about", "关于…", lambda: show_about(window)))


def open_guide(window) -> bool:
    from safetymonth_desktop.services import about  # lazy: start-up (only when the guide is asked for)

    guide = about.guide_path()
    if guide is None:
        prompts.info(window, "没有找到使用说明文件。\n安装版(setup 安装包)自带使用说明,也可以在“开始”菜单中打开;"
                             "以 Python 包方式安装时不含使用说明,请向技术支持人员索取 docs/使用说明.html。", "使用说明")
        return False
    if not prompts.open_path(window, guide):
        prompts.warning(window, f"无法自动打开使用说明,请用浏览器或记事本打开文件:\n{guide}", "使用说明")
        return False
    return True


def show_first_steps(window) -> None:
    """Bring back the overview's five steps of the year (after 不再显示, or when the year is under way)."""
    overview = getattr(window, "overview", None)
    if overview is None or window.campaign is None:
        prompts.info(window, "请先新建一个活动年度(文件 → 新建年度)。")
        return
    window.tabs.setCurrentWidget(overview)
    overview.first_day.show_again()


def show_about(window):
    # lazy: start-up (loaded when first used, not when the window opens)
    from safetymonth_desktop.services import about
    from safetymonth_desktop.ui.dialogs.about import AboutDialog

    dialog = AboutDialog(about.about_info(window.db_path), window)
    dialog.open()
    return dialog
