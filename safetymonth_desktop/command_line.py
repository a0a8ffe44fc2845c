"""The command line (PRODUCT.md, "Interfaces"): `safetymonth [--db FILE] <command> …`.

With no command the program's entry (cli.py) opens the GUI instead. Each command lives in `commands/<name>.py` with `add_parser()` and
`run(args)`; this module only parses, opens the database and turns errors into Chinese messages on
stderr with a non-zero exit status. No Qt is imported unless the GUI is opened.
"""

from __future__ import annotations

import argparse
import importlib
import keyword
import os
import sys
from pathlib import Path
from typing import Callable

from safetymonth_desktop import APP_NAME, __version__
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.cli_parser import ChineseArgumentParser, VERSION_TEXT
from safetymonth_desktop.services import crash_log
from safetymonth_desktop.base import paths

# Command modules under safetymonth_desktop/commands, in the order `--help` lists them.
COMMANDS = ("demo", "campaign", "template", "import", "figures", "progress", "report", "stats", "submit", "check", "backup", "restore")
# Commands that change the database: they take the write lock (refused while the GUI or another writing
# command holds it) and make the day's automatic backup. All others only read (SQLite's WAL lets them run
# beside the GUI). `restore` takes the lock itself, since it must work on a file that cannot be opened.
WRITING_COMMANDS = frozenset({"demo", "campaign", "import"})


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="safetymonth", description=f"{APP_NAME}。不带命令时打开图形界面。")
    parser.add_argument("--db", metavar="数据库文件",
                        help="使用指定的数据库文件(默认:用户数据文件夹中的 safetymonth.sqlite)")
    parser.add_argument("--version", action="version", version=f"safetymonth {__version__}", help=VERSION_TEXT)
    sub = parser.add_subparsers(dest="command", title="命令", metavar="命令",
                                help="各命令的用法:safetymonth 命令 --help")
    for name in COMMANDS:
        # A command named like a Python keyword ("import") lives in a module with a trailing underscore.
        module = importlib.import_module(f"safetymonth_desktop.commands.{name}{'_' if keyword.iskeyword(name) else ''}")
        module.add_parser(sub)
    return parser


def window_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when `argv` only opens the window (nothing, `--db FILE` or `--db=FILE`), read without
    building the parser of every command (start-up of the GUI); None for anything else, which the full parser
    reads (a command, --help, --version, an abbreviated or repeated option, an error: all exactly as before)."""
    if not argv:
        return argparse.Namespace(db=None, command=None)
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return argparse.Namespace(db=argv[1], command=None)
    if len(argv) == 1 and argv[0].startswith("--db=") and argv[0] != "--db=":
        return argparse.Namespace(db=argv[0][len("--db="):], command=None)
    return None


def database_path(args) -> Path:
    return Path(args.db) if args.db else paths.default_database()


def open_db(args, *, write: bool | None = None):
    """Open the database named by --db (or the default) for a command; a command of WRITING_COMMANDS (or
    write=True) becomes the one writer. Only WRITING_COMMANDS make a new database: for any other command a
    missing file (a mistyped --db) is refused instead of being created. Warnings (network share …) go to stderr."""
    # lazy: start-up (`safetymonth --help` loads no database code)
    from safetymonth_desktop.db.connection import open_database, open_warnings

    creates = getattr(args, "command", None) in WRITING_COMMANDS
    if write is None:
        write = creates
    path = database_path(args)
    # A read-only file is refused by open_database before the lock, the daily backup or any write. A command
    # that only reads does not read every page of a big file again that passed the check unchanged
    # (db/page_stamps.py): its cost then does not grow with the year; a writing command always checks.
    db = open_database(path, lock=write, auto_backup=write, create=creates, trust_page_stamp=not write,
                       program=f"命令 safetymonth {getattr(args, 'command', '')}".strip())
    for warning in open_warnings():
        print(f"提示:{warning}", file=sys.stderr)
    return db


def restore_hint(args, backup_path) -> str:
    """How to put the newest good backup back, as a command the clerk can copy."""
    db = f'--db "{args.db}" ' if getattr(args, "db", None) else ""
    return f'最近一份完好的备份是“{backup_path}”,可用以下命令恢复:safetymonth {db}restore "{backup_path}"'



# Exit status when whoever reads our output stopped reading (`figures --json | head -1`): what a shell
# reports for a program ended by SIGPIPE. Nothing is printed and nothing is logged: it is not an error.
BROKEN_PIPE_STATUS = 141


def main(argv: list[str] | None = None, *, open_gui: Callable[[Path | None], int] | None = None,
         make_chart_renderer: Callable[[], Callable] | None = None) -> int:
    """Run the command line; returns the exit status: 0 done, 1 refused (a Chinese message on stderr),
    2 a usage error, 3 an internal error (its traceback in the crash log), 130 cancelled, 141 output closed.
    The Qt pieces come from the program's entry (cli.py), the one module above both the command line
    and the GUI: open_gui(database or None) runs when no command is given (without it a command is
    required); make_chart_renderer() gives `report` its chart drawing (without it, no charts)."""
    in_process = argv is not None  # called by a test: leave the interpreter's hook as it was
    argv = sys.argv[1:] if argv is None else argv
    _utf8_console()
    unraisable = crash_log.UnraisableLog()
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    try:
        return _main(argv, unraisable, open_gui, make_chart_renderer)
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    finally:
        _finish_output()
        if in_process:
            sys.unraisablehook = previous_hook


def _main(argv: list[str], unraisable: crash_log.UnraisableLog, open_gui, make_chart_renderer) -> int:
    args = window_arguments(argv) if open_gui is not None else None
    if args is None:  # a command, or anything else than opening the window: the full parser
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None and open_gui is None:
            parser.error("请指定一个命令")
    args.make_chart_renderer = make_chart_renderer
    database = database_path(args)
    unraisable.database = database
    try:
        if args.command is None:
            return open_gui(database if args.db else None)
        status = args.run(args) or 0
        sys.stdout.flush()  # a closed pipe or a full disk shows here, not as a warning at exit
        return status
    except AppError as exc:
        _refuse(args, exc)
        return 1
    except KeyboardInterrupt:
        _say("已取消。")
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:  # noqa: BLE001 - a failure of the machine, or a bug
        # lazy: start-up (`safetymonth --help` loads no database code)
        from safetymonth_desktop.base import failures

        refusal = failures.explain(exc, database)
        if refusal is not None:  # a full disk, a read-only file …: the clerk can act on it
            _refuse(args, refusal)
            return 1
        log = crash_log.write(exc, database)
        where = (f"详细信息已写入“{log}”,请将该文件发给技术支持人员。" if log is not None
                 else "详细信息未能写入日志(磁盘已满或文件夹只读),请把这条消息告知技术支持人员。")
        _say(f"错误:程序内部错误({type(exc).__name__}: {exc})。数据库未被修改或已回滚。{where}")
        return 3
    finally:
        # lazy: start-up (`safetymonth --help` loads no database code)
        from safetymonth_desktop.db.connection import close_database

        try:
            close_database()
        except Exception as exc:  # noqa: BLE001 - closing must not hide what happened before
            crash_log.write(exc, database, note="closing the database")


def _refuse(args, exc: AppError) -> None:
    _say(f"错误:{exc}")
    backup_path = getattr(exc, "backup", None)
    if backup_path is not None:
        _say(restore_hint(args, backup_path))


def _say(text: str) -> None:
    """A line on stderr; a closed stderr is no reason for a traceback."""
    try:
        print(text, file=sys.stderr)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """Point stdout at the null device, so that what is still buffered cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _finish_output() -> None:
    """Flush stdout now; if that fails (reader gone, disk full), drop the rest quietly instead of letting the
    interpreter print "Exception ignored …" at exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        _silence_stdout()


def _utf8_console() -> None:
    """Chinese on a Windows console or a pipe: write UTF-8 whatever the locale."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass

