"""`safetymonth restore FILE`: put a backup back in place of the database (checked first; the current
database is backed up, or kept aside when it is damaged)."""

from pathlib import Path

from safetymonth_desktop import command_line
from safetymonth_desktop.base.errors import AppError


def add_parser(sub):
    p = sub.add_parser("restore", help="用备份文件恢复数据库(恢复前自动备份当前数据库)",
                       description="用备份文件替换当前数据库。备份先经过检查;恢复前自动备份当前数据库,"
                                   "当前数据库已损坏时原样另存。")
    p.add_argument("file", metavar="备份文件", help="备份文件,如 backups 文件夹中的 safetymonth-….sqlite")
    p.add_argument("--force", action="store_true", help="即使备份来自另一个数据库也恢复(慎用)")
    p.set_defaults(run=run)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.db import backup
    from safetymonth_desktop.services import safety
    path = command_line.database_path(args)
    try:
        result = safety.restore(Path(args.file), path, program="命令 safetymonth restore", force=args.force)
    except safety.ForeignBackupError as exc:
        raise AppError(f"{exc}如确实要用它恢复,请在命令中加 --force。") from None
    info = backup.describe(path)
    print(f"已用“{result.restored_from}”恢复数据库:{path}")
    print(f"恢复后:{info.summary()}。")
    if result.before_restore:
        print(f"恢复前的数据库已备份到:{result.before_restore}")
    if result.kept_damaged:
        print(f"原来无法使用的数据库文件已原样保存到:{result.kept_damaged}")
    return 0
