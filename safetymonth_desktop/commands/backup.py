"""`safetymonth backup [-o FILE]`: copy the database safely (SQLite backup API)."""

from pathlib import Path

from safetymonth_desktop import cli


def add_parser(sub):
    p = sub.add_parser("backup", help="备份数据库")
    p.add_argument("-o", "--output", metavar="FILE", help="备份到指定文件(默认:数据库旁的 backups 文件夹)")
    p.set_defaults(run=run)


def run(args) -> int:
    from safetymonth_desktop.db import backup

    cli.open_db(args)  # refuses a damaged or foreign file before copying it
    path = cli.database_path(args)
    target = backup.backup_to(path, Path(args.output)) if args.output else backup.make_backup(path, "manual")
    print(f"已备份到:{target}")
    return 0
