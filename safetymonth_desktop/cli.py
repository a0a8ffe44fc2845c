"""The command line (PRODUCT.md, "Interfaces"): `safetymonth [--db FILE] <command> …`.

With no command it opens the GUI. Each command lives in `commands/<name>.py` with `add_parser()` and
`run(args)`; this module only parses, opens the database and turns errors into Chinese messages on
stderr with a non-zero exit status. No Qt is imported unless the GUI is opened.
"""

from __future__ import annotations

import argparse
import importlib
import keyword
import sys
from pathlib import Path

from safetymonth_desktop import APP_NAME, __version__
from safetymonth_desktop.services.errors import AppError

# Command modules under safetymonth_desktop/commands, in the order `--help` lists them.
COMMANDS = ("demo", "campaign", "template", "import", "figures", "progress", "report", "stats", "check", "backup", "restore")
# Commands that change the database: they take the write lock (refused while the GUI or another writing
# command holds it) and make the day's automatic backup. All others only read (SQLite's WAL lets them run
# beside the GUI). `restore` takes the lock itself, since it must work on a file that cannot be opened.
WRITING_COMMANDS = frozenset({"demo", "campaign", "import"})


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors in Chinese and exit status 2."""

    def error(self, message: str):
        message = (message.replace("the following arguments are required", "缺少必需的参数")
                   .replace("unrecognized arguments", "无法识别的参数")
                   .replace("invalid choice", "无效的选项")
                   .replace("expected one argument", "需要一个参数值")
                   .replace("invalid int value", "不是有效的整数"))
        self.print_usage(sys.stderr)
        print(f"错误:{message}", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="safetymonth", description=f"{APP_NAME}。不带命令时打开图形界面。")
    parser.add_argument("--db", metavar="FILE", help="使用指定的数据库文件(默认:用户数据文件夹中的 safetymonth.sqlite)")
    parser.add_argument("--version", action="version", version=f"safetymonth {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for name in COMMANDS:
        # A command named like a Python keyword ("import") lives in a module with a trailing underscore.
        module = importlib.import_module(f"safetymonth_desktop.commands.{name}{'_' if keyword.iskeyword(name) else ''}")
        module.add_parser(sub)
    return parser


def database_path(args) -> Path:
    from safetymonth_desktop import paths

    return Path(args.db) if args.db else paths.default_database()


def open_db(args, *, write: bool | None = None):
    """Open the database named by --db (or the default) for a command; a command of WRITING_COMMANDS (or
    write=True) becomes the one writer. Only WRITING_COMMANDS make a new database: for any other command a
    missing file (a mistyped --db) is refused instead of being created. Warnings (network share …) go to stderr."""
    from safetymonth_desktop.db.connection import open_database, open_warnings

    creates = getattr(args, "command", None) in WRITING_COMMANDS
    if write is None:
        write = creates
    db = open_database(database_path(args), lock=write, auto_backup=write, create=creates,
                       program=f"命令 safetymonth {getattr(args, 'command', '')}".strip())
    for warning in open_warnings():
        print(f"提示:{warning}", file=sys.stderr)
    return db


def restore_hint(args, backup_path) -> str:
    """How to put the newest good backup back, as a command the clerk can copy."""
    db = f'--db "{args.db}" ' if getattr(args, "db", None) else ""
    return f'最近一份完好的备份是“{backup_path}”,可用以下命令恢复:safetymonth {db}restore "{backup_path}"'



def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _utf8_console()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from safetymonth_desktop.ui.app import run_gui

            return run_gui(database_path(args) if args.db else None)
        return args.run(args) or 0
    except AppError as exc:
        print(f"错误:{exc}", file=sys.stderr)
        backup_path = getattr(exc, "backup", None)
        if backup_path is not None:
            print(restore_hint(args, backup_path), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: keep the details for IT, show the clerk one sentence
        log = write_crash_log(exc)
        print(f"错误:程序内部错误({type(exc).__name__}: {exc})。数据库未被修改或已回滚。"
              f"详细信息已写入“{log}”,请将该文件发给技术支持人员。", file=sys.stderr)
        return 3
    finally:
        from safetymonth_desktop.db.connection import close_database

        close_database()


def write_crash_log(exc: BaseException) -> Path:
    """Append the traceback of an unexpected error to errors.log in the data folder; returns its path."""
    import datetime as dt
    import traceback

    from safetymonth_desktop import paths

    log = paths.data_dir() / "errors.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"\n==== {dt.datetime.now():%Y-%m-%d %H:%M:%S} safetymonth {__version__} {sys.argv[1:]}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        pass
    return log


def _utf8_console() -> None:
    """Chinese on a Windows console or a pipe: write UTF-8 whatever the locale."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass


if __name__ == "__main__":
    sys.exit(main())
