"""What the About dialog and 帮助 → 使用说明 show: version, database file, backup folder, data folder and the
offline user guide. Plain data, no Qt: the dialog lays out `about_rows()` and opens `guide_path()` itself
(QDesktopServices.openUrl(QUrl.fromLocalFile(...))).
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from safetymonth_desktop import APP_NAME, __version__
from safetymonth_desktop.base import paths
from safetymonth_desktop.db.backup_folder import backup_dir
from safetymonth_desktop.db.proxy import database as bound

GUIDE_HTML = "使用说明.html"
GUIDE_MARKDOWN = "使用说明.md"


@dataclass(frozen=True)
class AboutInfo:
    app_name: str
    version: str
    database: Path
    backup_dir: Path
    data_dir: Path
    guide: Path | None
    python: str
    bundled: bool  # running from the PyInstaller bundle (installed program) rather than from Python


def guide_path() -> Path | None:
    """The user guide: the HTML page in the bundle (`_internal/docs`) or the checkout's docs/, else the Markdown
    source; None when neither is there."""
    for name in (GUIDE_HTML, GUIDE_MARKDOWN):
        for folder in paths.shipped_places("docs"):
            if (folder / name).is_file():
                return folder / name
    return None


def about_info(database: Path | None = None) -> AboutInfo:
    """Facts about this installation; `database` defaults to the open database, else the default one."""
    if database is None:
        open_db = bound.obj
        is_open = open_db is not None and not open_db.is_closed()
        database = Path(open_db.database) if is_open else paths.default_database()
    database = Path(database).resolve()
    return AboutInfo(
        app_name=APP_NAME,
        version=__version__,
        database=database,
        backup_dir=backup_dir(database),
        data_dir=paths.data_dir(),
        guide=guide_path(),
        python=platform.python_version(),
        bundled=getattr(sys, "frozen", False),
    )


def about_rows(info: AboutInfo) -> list[tuple[str, str]]:
    """(label, value) rows in Chinese, in the order the dialog shows them."""
    return [
        ("版本", info.version),
        ("数据库文件", str(info.database)),
        ("备份文件夹", str(info.backup_dir)),
        ("数据文件夹", str(info.data_dir)),
        ("使用说明", str(info.guide) if info.guide else "未找到(安装版在“开始”菜单中也有“使用说明”)"),
        ("运行环境", f"Python {info.python}" + (",安装版" if info.bundled else "")),
    ]


def about_text(info: AboutInfo) -> str:
    """The same facts as plain text, for a copy button or a terminal."""
    return "\n".join([f"{info.app_name}"] + [f"{label}:{value}" for label, value in about_rows(info)])
