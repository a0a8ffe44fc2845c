"""`safetymonth check`: is the database file healthy and ours? Read-only; exit status 1 when not, with the
newest good backup to restore from."""

from safetymonth_desktop import command_line


def add_parser(sub):
    p = sub.add_parser("check", help="检查数据库文件是否完好(只读)",
                       description="检查数据库文件是否完好、是否为本软件的数据库;只读,不作任何修改。"
                                   "有问题时退出状态为 1,并给出最近一份完好的备份。")
    p.set_defaults(run=run)


def run(args) -> int:
    import sys

    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.services import safety

    report = safety.check(command_line.database_path(args))
    if not report.ok:
        print(f"错误:{report.message}", file=sys.stderr)
        if report.backup is not None:
            print(command_line.restore_hint(args, report.backup), file=sys.stderr)
        return 1
    print(report.message)
    for line in report.lines:
        print(line)
    return 0
