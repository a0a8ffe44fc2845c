"""`safetymonth import --year Y [--create-units] [--replace] [--allow-other-units] FILE...`: import filled
workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods).

Each file is imported all or nothing; a per-file summary goes to stdout, refused files and their row
errors (文件 / 工作表 / 第N行 / 列 / 值 / 原因) to stderr, and the exit status is 1 when any file was refused.
"""

import sys

from safetymonth_desktop import cli

MAX_PRINTED_ERRORS = 200


def add_parser(sub):
    p = sub.add_parser("import", help="导入各单位填好的 Excel 文件")
    p.add_argument("--year", required=True, help="年度(须已建立)")
    p.add_argument("--create-units", action="store_true", help="自动创建单位名录中没有的单位")
    p.add_argument("--replace", action="store_true", help="用修改后的新文件替换同一单位(或同名文件)以前导入的数据")
    p.add_argument("--allow-other-units", action="store_true",
                   help="某单位的填报模板中填了其他单位的行时,照样按所填单位导入(默认拒绝整个文件)")
    p.add_argument("files", nargs="+", metavar="FILE.xlsx", help="要导入的文件(可多个;.xlsx/.xls/.xlsb/.ods)")
    p.set_defaults(run=run)


def run(args) -> int:
    from safetymonth_desktop.exchange import xlsx_import
    from safetymonth_desktop.services import campaigns

    year = campaigns.check_year(args.year)
    cli.open_db(args)
    campaigns.get(year)
    results = xlsx_import.import_files(args.files, year, create_units=args.create_units, replace=args.replace,
                                       allow_other_units=args.allow_other_units)
    refused = 0
    for result in results:
        for warning in result.warnings:
            print(f"提示:{result.file}:{warning}")
        for note in result.notes:
            print(f"说明:{result.file}:{note}")
        if result.status == xlsx_import.IMPORTED:
            parts = "、".join(f"{sheet} {n} 行" for sheet, n in result.counts.items())
            print(f"已导入 {result.file}:{parts}(共 {result.total} 行)。")
            if result.units_created:
                print(f"  新建单位 {len(result.units_created)} 个:" + "、".join(result.units_created))
            if result.replaced:
                print(f"  已替换以前导入的 {result.replaced} 行。")
        elif result.status == xlsx_import.UNCHANGED:
            print(f"未变化 {result.file}:{result.message}")
        else:
            refused += 1
            print(f"未导入 {result.file}:{result.message}", file=sys.stderr)
            row_errors = [e for e in result.errors if e.sheet or e.row]
            if row_errors:
                print("  " + " / ".join(xlsx_import.ERROR_HEADERS), file=sys.stderr)
                for error in row_errors[:MAX_PRINTED_ERRORS]:
                    print(f"  {error}", file=sys.stderr)
                if len(row_errors) > MAX_PRINTED_ERRORS:
                    print(f"  ……另有 {len(row_errors) - MAX_PRINTED_ERRORS} 处错误未列出。", file=sys.stderr)
    if refused:
        print(f"错误:{refused} 个文件未导入(未导入的文件没有写入任何数据)。请按上面列出的位置改正后重新导入。",
              file=sys.stderr)
        return 1
    return 0
