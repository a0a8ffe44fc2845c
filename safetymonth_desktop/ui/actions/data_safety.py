"""备份 menu actions: 备份与恢复…, 修改记录… (the selected record's history) and 已删除的记录…; restores become
undoable steps on the window's undo stack and every view is reloaded afterwards."""

from __future__ import annotations

from safetymonth_desktop.ui import prompts
from safetymonth_desktop.db.models import RECORD_MODELS


def install(window) -> None:
    menu = window.menu("backup")
    menu.addAction(window._action("backups", "备份与恢复…", lambda: show_backups(window),
                                  tip="查看全部备份,立即备份,从备份恢复,另存备份到 U 盘"))
    menu.addSeparator()
    menu.addAction(window._action("history", "修改记录…", lambda: show_history(window),
                                  tip="选中记录的修改历史,可恢复旧值"))
    menu.addAction(window._action("deleted", "已删除的记录…", lambda: show_deleted(window),
                                  tip="找回删除的记录"))


def show_backups(window):
    # lazy: start-up (loaded when first used, not when the window opens)
    from safetymonth_desktop.ui.dialogs.backups import BackupsDialog

    dialog = BackupsDialog(window)
    dialog.restored.connect(lambda: after_restore(window))
    dialog.open()
    return dialog


def after_restore(window) -> None:
    """The database file was replaced: older undo steps mean nothing now; read years and records again."""
    window.undo_stack.clear()
    window.reload_years(window.campaign.year if window.campaign is not None else None)
    window.refresh()


def _push(window, group: str, label: str) -> None:
    window.undo_stack.push(group, label)
    window.refresh()
    window.statusBar().showMessage(f"已{label}。可用“撤销”(Ctrl+Z)撤回。", 8000)


def show_history(window):
    """The history of the record selected in the table on screen."""
    # lazy: start-up (loaded when first used, not when the window opens)
    from safetymonth_desktop.ui.dialogs.history import RecordHistoryDialog

    table = window.current_table()
    ids = table.selected_ids() if table is not None else []
    if not ids:
        prompts.info(window, "请先在表格中选中一条记录,再查看它的修改记录。\n"
                             "找回已删除的记录请用“备份 → 已删除的记录…”。", "修改记录")
        return None
    dialog = RecordHistoryDialog(table.model, ids[0], window)
    dialog.changed.connect(lambda group, label: _push(window, group, label))
    dialog.open()
    return dialog


def show_deleted(window):
    # lazy: start-up (loaded when first used, not when the window opens)
    from safetymonth_desktop.ui.dialogs.history import DeletedRecordsDialog

    if window.campaign is None:
        prompts.info(window, "请先新建一个活动年度。")
        return None
    table = window.current_table()
    dialog = DeletedRecordsDialog(RECORD_MODELS, window.campaign, window, model=table.model if table else None)
    dialog.changed.connect(lambda group, label: _push(window, group, label))
    dialog.open()
    return dialog
