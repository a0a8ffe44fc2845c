"""`safetymonth backup [-o FILE] [--list] [--keep N]`: copy the database safely (SQLite backup API),
list the backups, or set how many are kept."""

from pathlib import Path

from safetymonth_desktop import command_line
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.services.text_columns import table


def add_parser(sub):
    p = sub.add_parser("backup", help="备份数据库",
                       description="安全地复制数据库(图形界面打开时也可以进行),"
                                   "或列出已有的备份、设置保留的备份份数。")
    p.add_argument("-o", "--output", metavar="文件", help="备份到指定文件或文件夹(默认:数据库旁的 backups 文件夹)")
    p.add_argument("--list", action="store_true", help="列出已有的备份")
    p.add_argument("--keep", metavar="份数", help="设置 backups 文件夹中保留的备份份数(默认 30)")
    p.set_defaults(run=run)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.services import safety

    path = command_line.database_path(args)
    if args.list:
        return _list(path)
    if args.keep is not None:
        command_line.open_db(args, write=True)
        n = safety.set_keep_count(args.keep)
        print(f"已设置:保留最近 {n} 份备份。")
        return 0
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.db.integrity import MISSING, examine
    if examine(path).kind == MISSING:
        raise AppError(f"数据库文件“{path}”不存在,无法备份。")
    if args.output:
        # lazy: start-up (the parser imports every command module; its work loads when it runs)
        from safetymonth_desktop.db.backup import check_target

        check_target(path, Path(args.output))  # never the database, its side files or its backups
    command_line.open_db(args)  # refuses a damaged or foreign file before copying it
    if args.output:
        target = safety.save_backup_to(Path(args.output), path)
    else:
        target = safety.backup_now(path).path
    print(f"已备份到:{target}")
    return 0


def _list(path) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.services import safety

    found = safety.backups(path)
    if not found:
        print("还没有任何备份。")
        return 0
    rows = [("时间", "类型", "大小", "内容", "文件")]
    rows += [(f"{info.time:%Y-%m-%d %H:%M:%S}", info.reason_label, info.size_text, info.summary(), str(info.path))
             for info in found]
    for line in table(rows, right=(2,)):  # columns counted in display width: Chinese takes two
        print(line)
    return 0
