"""The window's toolbar of daily actions, with icons: 新建年度, 单位管理 | 生成填报模板, 导入 | 导出活动总结, 统计表 |
备份 | 撤销, 重做. The buttons are the menus' own actions (same shortcut, same enabled state), labelled short
(`iconText`); icons are Qt's standard ones, so they follow the platform's style. Also the window's icon."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStyle, QToolBar

from safetymonth_desktop.base import paths

# (action key, label on the button, standard icon); None: a separator. "export_summary" is report_actions'.
DAILY = (
    ("new_year", "新建年度", QStyle.SP_FileDialogNewFolder),
    ("units", "单位管理", QStyle.SP_FileDialogContentsView),
    None,
    ("write_templates", "生成填报模板", QStyle.SP_FileIcon),
    ("import_xlsx", "导入填报表", QStyle.SP_DialogOpenButton),
    None,
    ("export_summary", "导出活动总结", QStyle.SP_DialogSaveButton),
    ("export_stats", "导出统计表", QStyle.SP_FileDialogDetailedView),
    None,
    ("backups", "备份与恢复", QStyle.SP_DriveHDIcon),
    None,
    ("undo", "撤销", QStyle.SP_ArrowBack),
    ("redo", "重做", QStyle.SP_ArrowForward),
)
# Actions of the year bar (next to the year selector) that get an icon too.
YEAR_BAR = (("settings", "年度设置", QStyle.SP_FileDialogInfoView),)


def app_icon() -> QIcon:
    try:
        return QIcon(str(paths.resource("icons", "safetymonth.png")))
    except FileNotFoundError:
        return QIcon()


def _actions(window) -> dict:
    found = dict(window.actions)
    report = getattr(window, "report_actions", None)
    if report is not None:
        found["export_summary"] = report.export_action
    return found


def install(window) -> QToolBar:
    """Add the daily toolbar above the year bar, give the actions their icons, set the window's icon."""
    icon = app_icon()
    if not icon.isNull():
        window.setWindowIcon(icon)
    style = window.style()
    actions = _actions(window)
    bar = QToolBar("常用")
    bar.setObjectName("daily_bar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
    bar.setIconSize(QSize(20, 20))
    for entry in DAILY:
        if entry is None:
            bar.addSeparator()
            continue
        key, label, pixmap = entry
        action = actions.get(key)
        if action is None:  # a feature that is not installed (tests build partial windows)
            continue
        action.setIcon(style.standardIcon(pixmap))
        action.setIconText(label)
        if action.statusTip():  # else the tooltip follows the text (撤销 新增培训)
            action.setToolTip(action.statusTip())
        bar.addAction(action)
    year_bar = getattr(window, "year_bar", None)
    if year_bar is not None:
        window.insertToolBar(year_bar, bar)
        window.insertToolBarBreak(year_bar)
        after_combo = year_bar.actions()[2] if len(year_bar.actions()) > 2 else None
        for key, label, pixmap in YEAR_BAR:
            action = actions.get(key)
            if action is not None:
                action.setIcon(style.standardIcon(pixmap))
                action.setIconText(label)
                year_bar.insertAction(after_combo, action) if after_combo else year_bar.addAction(action)
        year_bar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        year_bar.setIconSize(QSize(16, 16))
    else:
        window.addToolBar(Qt.TopToolBarArea, bar)
    window.daily_bar = bar
    return bar
