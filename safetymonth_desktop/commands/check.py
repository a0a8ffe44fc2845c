"""`safetymonth check`: is the database file healthy and ours? Exit status 1 when not."""

from safetymonth_desktop import cli


def add_parser(sub):
    p = sub.add_parser("check", help="检查数据库文件是否完好")
    p.set_defaults(run=run)


def run(args) -> int:
    from safetymonth_desktop.db.connection import inspect_file
    from safetymonth_desktop.services.errors import AppError

    path = cli.database_path(args)
    if not path.exists():
        raise AppError(f"数据库文件“{path}”不存在。")
    inspect_file(path)
    cli.open_db(args)
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.db.migrations import LATEST_VERSION
    from safetymonth_desktop.services import campaigns

    years = campaigns.list_years()
    total = sum(model.select().count() for model in m.RECORD_MODELS)
    print(f"数据库正常:{path}")
    print(f"结构版本 {LATEST_VERSION};年度 {'、'.join(map(str, years)) or '无'};单位 {m.Unit.select().count()} 个;记录 {total} 条。")
    return 0
