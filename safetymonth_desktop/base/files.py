"""Writing files the clerk asked for (backups, reports, workbooks) without ever leaving a half-written or
lost file: write to a temporary file beside the target, flush it to disk, then replace the target in one
step. A full disk, a read-only folder or a target held open by another program (WPS, Excel, Word) gives a
Chinese message and leaves the previous file as it was.

Before anything is written the target passes the caller's `check`: every output the clerk asked for goes
through db/output_paths.py (`write_output`, whose check refuses the database, its side files or backups, the
command's own inputs, another database, or a read-only file); only the database's own machinery (backups,
restore) writes with `check=None`. A new file gets the permissions the user's umask gives; a replaced file
keeps its own.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Callable

from safetymonth_desktop.base.errors import AppError

# Windows error codes of a file held open by another program.
_WIN_SHARING = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_SQLITE_FULL = 13


def explain_os_error(exc: BaseException, path: Path, *, what: str = "文件") -> str:
    """A Chinese explanation of why `path` could not be written; the previous file is untouched."""
    code = getattr(exc, "errno", None)
    winerror = getattr(exc, "winerror", None)
    keep = "原文件未被改动。"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or _sqlite_full(exc):
        return f"无法写入{what}“{path}”:磁盘空间不足。请清理磁盘或换一个位置(如U盘)后重试,{keep}"
    if winerror in _WIN_SHARING or code in (errno.EBUSY, errno.ETXTBSY):
        return f"无法写入{what}“{path}”:该文件正被其他程序(如 WPS、Excel、Word)打开。请先关闭它再试,{keep}"
    if code == errno.EROFS:
        return f"无法写入{what}“{path}”:所在磁盘是只读的。请换一个位置后重试,{keep}"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return (f"无法写入{what}“{path}”:没有写入权限(文件夹只读,或文件被设为只读、正被其他程序打开)。"
                f"请换一个文件夹或关闭占用该文件的程序后重试,{keep}")
    if code == errno.ENOENT:
        return f"无法写入{what}“{path}”:文件夹不存在或已被移除(如U盘已拔出)。{keep}"
    reason = getattr(exc, "strerror", None) or str(exc)
    return f"无法写入{what}“{path}”:{reason}。{keep}"


def _sqlite_full(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.Error) and (getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL
                                                or "disk is full" in str(exc))


def temp_path_beside(target: Path, *, suffix: str = ".part") -> Path:
    """A new, empty, uniquely named file in the target's folder (same file system, so replace is atomic),
    `.<name>.<random>.part`. Created with mode 0666 less the user's umask, as any new file of the user's."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    import secrets  # here, not at the top: start-up time (hmac, random), and files are written later

    for _attempt in range(100):
        name = target.parent / f".{target.name}.{secrets.token_hex(4)}{suffix}"
        try:
            fd = os.open(name, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return name
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


def _keep_mode(tmp: Path, target: Path, mode: int | None) -> None:
    """Give the finished temporary file the permissions the target should have: `mode` when given, else those
    of the file it replaces; a new file keeps what the umask gave it at creation."""
    if mode is None:
        try:
            mode = os.stat(target).st_mode & 0o7777
        except OSError:
            return
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles for this and needs none)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(target: str | os.PathLike, write: Callable[[Path], None], *,
                     check: Callable[[Path], object] | None, what: str = "文件", create_folder: bool = False,
                     mode: int | None = None) -> Path:
    """Call `write(tmp)` to fill a temporary file beside `target`, then put it in place of `target`.
    Any failure raises AppError with a Chinese message; the old target and the folder are left as they were.
    A missing folder is refused (a typo or a removed USB stick) unless `create_folder` is set.
    check: called with the target first; it raises AppError to refuse a dangerous target (every writer of the
    clerk's outputs passes db.output_paths' check, through `output_paths.write_output`). Required, so that no
    writer forgets it: only the database's own machinery (backups into its folder, restore) passes None.
    mode: the permissions of the result (default: those of the replaced file, or the umask's for a new one)."""
    target = Path(target)
    if check is not None:
        check(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not create_folder and not folder.is_dir():
        raise AppError(f"保存位置“{folder}”不存在。请选择已有的文件夹(如“文档”或桌面)。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = temp_path_beside(target)
    except OSError as exc:
        raise AppError(explain_os_error(exc, target, what=what)) from None
    try:
        write(tmp)
        fsync_file(tmp)
        _keep_mode(tmp, target, mode)
        os.replace(tmp, target)
    except AppError:
        remove_quietly(tmp)
        raise
    except (OSError, sqlite3.Error) as exc:
        remove_quietly(tmp)
        raise AppError(explain_os_error(exc, target, what=what)) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    fsync_dir(target.parent)
    return target


def remove_quietly(path: Path) -> None:
    try:
        Path(path).unlink()
    except OSError:
        pass
