"""Small helpers shared by the menu actions: the current year, remembered folders, background work that
leaves no database connection behind on its worker thread, and the "open the file?" offer after an export."""

from __future__ import annotations

from pathlib import Path

from safetymonth_desktop.ui import prompts, tasks
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db.output_paths import check_output


def need_campaign(window):
    """The year on screen, or None after telling the clerk to create one first."""
    if window.campaign is None:
        prompts.info(window, "请先新建一个活动年度(文件 → 新建年度)。")
    return window.campaign


def folder_for(kind: str, fallback: Path | None = None) -> str:
    """Where a file dialog for `kind` starts (`prompts.start_folder`: the last folder used for it, else
    Documents). `fallback` is ignored: the database's folder may be the hidden data folder."""
    return str(prompts.start_folder(kind))


def remember(kind: str, path) -> None:
    prompts.remember_folder(kind, path)


def output_allowed(parent, target, inputs=(), title: str = "无法保存") -> bool:
    """Whether `target` may be written (db.output_paths: never the database, its side files or backups,
    the action's own `inputs`, another database or a read-only file); when not, the clerk is told why."""
    try:
        check_output(target, inputs=inputs)
    except AppError as exc:
        prompts.error(parent, str(exc), title)
        return False
    return True


def offer_open(parent, path, text: str, title: str = "导出完成") -> None:
    """Tell the clerk where `path` was written and offer to open it or the folder holding it."""
    path = Path(path)
    if path.is_dir():
        labels, targets = ["打开文件夹", "关闭"], [path]
    else:
        labels, targets = ["打开文件", "打开所在文件夹", "关闭"], [path, path.parent]
    choice = prompts.buttons(parent, text, title, labels, icon="information")  # news, not a question
    if choice is not None and choice < len(targets):
        if not prompts.open_path(parent, targets[choice]):
            prompts.warning(parent, f"无法自动打开“{targets[choice]}”,请在文件管理器中找到它。")


def on_failure(parent, cancelled_text: str):
    """A task's error handler: a cancel is told in words of this action — `cancelled_text` —; anything else as
    a Chinese message."""

    def handle(exc) -> None:
        if getattr(exc, "is_cancel", False):
            prompts.info(parent, cancelled_text)
        else:
            prompts.error(parent, tasks.explain(exc))

    return handle
