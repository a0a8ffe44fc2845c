"""Failures of the machine rather than of the program — a full disk, a read-only database, a busy or failing
disk, text that Excel cannot hold, too little memory — turned into a Chinese refusal the clerk can act on.

`explain(exc, database)` looks through the exception and the ones it was raised while handling (SQLite
reports a full disk, rolls the transaction back itself, and the rollback that follows fails with "cannot
rollback - no transaction is active", hiding the cause) and returns an AppError for the first failure it
recognises, or None for anything else: a genuine bug, which the caller logs as a crash. Writers of the
clerk's own output files explain their failures themselves (`base/files.py`); this module is for what
reaches the top of a command or a GUI task without an explanation.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import peewee as pw

from safetymonth_desktop.base.errors import AppError

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", -1)}
_PERMISSION = {errno.EACCES, errno.EPERM}
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR = 13, 8, 5, 6, 10


class EnvironmentFailure(AppError):
    """A refusal because of the machine (disk, permissions, memory), not because of the clerk's data."""


def explain(exc: BaseException, database: Path | None = None) -> EnvironmentFailure | None:
    """The Chinese refusal for `exc` (or a failure it was raised while handling), or None when none fits."""
    for link in _chain(exc):
        message = _explain_one(link, Path(database) if database else None)
        if message:
            return EnvironmentFailure(message)
    return None


def read_only(database: Path) -> EnvironmentFailure:
    """The refusal for a database file this process may not write."""
    return EnvironmentFailure(_read_only(Path(database)))


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _explain_one(exc: BaseException, database: Path | None) -> str:
    if isinstance(exc, (sqlite3.Error, pw.DatabaseError)):
        return _sqlite(exc, database)
    if isinstance(exc, MemoryError):
        return "内存不足,操作未完成,数据库中没有写入一半的内容。请关闭其他程序后重试。"
    if type(exc).__name__ == "IllegalCharacterError" and type(exc).__module__.startswith("openpyxl"):
        return _illegal_character(exc)
    if isinstance(exc, OSError):
        return _os_error(exc, database)
    return ""


def _sqlite(exc: BaseException, database: Path | None) -> str:
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None and exc.__context__ is not None:  # peewee's wrapper keeps sqlite3's error as context
        code = getattr(exc.__context__, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return _disk_full(database)
    if primary == _SQLITE_READONLY or "readonly database" in text:
        return _read_only(database)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text or "table is locked" in text:
        where = f"数据库“{database}”" if database else "数据库"
        return f"{where}正被其他程序读写,等待后仍未完成,本次操作未作任何修改。请稍后再试;如反复出现,请关闭其他打开该数据库的窗口或程序。"
    if primary == _SQLITE_IOERR or "disk i/o error" in text:
        where = f"数据库“{database}”所在的磁盘" if database else "磁盘"
        return (f"读写{where}时出错(磁盘故障、U盘被拔出或网络共享断开),本次操作未完成。"
                "请确认磁盘连接正常后重试,并运行“safetymonth check”检查数据库。")
    return ""


def _os_error(exc: OSError, database: Path | None) -> str:
    code = exc.errno
    name = exc.filename
    if code in _DISK_FULL:  # no file name: the console output (`figures > file` on a full disk)
        return _disk_full(Path(name) if name else None, file=True)
    if code == errno.EROFS:
        return _read_only(Path(name) if name else None, file=True)
    if isinstance(exc, PermissionError) or code in _PERMISSION:
        if not name:
            return ""
        return (f"没有权限访问“{name}”(文件或文件夹是只读的,或正被其他程序占用),操作未完成。"
                "请检查该文件的权限,或换一个位置后重试。")
    return ""


def _disk_full(path: Path | None, *, file: bool = False) -> str:
    advice = "请清理磁盘空间(如删除不需要的文件、清空回收站)后重试。"
    if path is None:  # an error without a file name: the console output redirected to a full disk
        return f"磁盘空间已满,输出未能写完,操作未完成。{advice}"
    if file:
        return f"“{path}”所在的磁盘空间已满,无法写入,操作未完成。{advice}"
    return f"数据库“{path}”所在的磁盘空间已满,操作未完成;未完成的修改已撤销,数据库中没有写入一半的内容。{advice}"


def _read_only(path: Path | None, *, file: bool = False) -> str:
    if path is None:
        return "要写入的磁盘或文件是只读的,操作未完成,未作任何修改。请检查文件权限或换一个位置后重试。"
    if file:
        return f"“{path}”在只读的磁盘上,无法写入,操作未完成。请换一个可写的位置后重试。"
    return (f"数据库文件“{path}”是只读的(文件属性为“只读”、没有写入权限,或在只读的磁盘/共享上),"
            "无法保存修改;数据库未作任何修改。请取消该文件的“只读”属性或请管理员开放写入权限;"
            "也可以把它复制到本机可写的文件夹,再打开复制后的文件。")


def _illegal_character(exc: BaseException) -> str:
    text = str(exc).removesuffix(" cannot be used in worksheets.")
    shown = "".join(ch if ch.isprintable() else "□" for ch in text)
    shown = shown if len(shown) <= 20 else shown[:19] + "…"
    return (f"文字“{shown}”中含有 Excel 不允许的控制字符(□ 处,通常是从别处复制来的不可见字符),文件未生成。"
            "请在软件中找到这段文字(活动年度设置、单位名称或记录),删去这些字符后重试。")
