"""The menu actions of the window's 导入 / 导出 / 备份 / 帮助 menus: thin faces over the services, each area in
its own module with `install(window)`. `install_all(window)` is the one call the main window makes."""

from __future__ import annotations


def install_all(window) -> None:
    # lazy: importing one action module (ui.actions.common) loads no other
    from safetymonth_desktop.ui.actions import data_safety, excel, help, package

    excel.install(window)
    package.install(window)  # 导出 → 生成上报数据包 (roll-up)
    data_safety.install(window)
    help.install(window)
