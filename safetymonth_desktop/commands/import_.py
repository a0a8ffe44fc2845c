"""`safetymonth import --year Y [--create-units] [--replace] [--allow-other-units] FILE...`: import filled
workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods).

Each file is imported all or nothing; a per-file summary goes to stdout, refused files and their row
errors (文件 / 工作表 / 第N行 / 列 / 值 / 原因) to stderr, and the exit status is 1 when any file was refused.
"""

import sys

from safetymonth_desktop import command_line

MAX_PRINTED_ERRORS = 200


def add_parser(sub):
    p = sub.add_parser("import", help="导入各单位填好的 Excel 文件",
                       description="导入各单位填好的 Excel 填报文件。每个文件逐行校验,要么整份导入,"
                                   "要么一行也不导入,并列出有错的 文件/工作表/行/列/值/原因。")
    p.add_argument("--year", required=True, metavar="年度", help="年度(须已建立)")
    p.add_argument("--create-units", action="store_true", help="自动创建单位名录中没有的单位")
    p.add_argument("--replace", action="store_true", help="用修改后的新文件替换同一单位(或同名文件)以前导入的数据")
    p.add_argument("--allow-other-units", action="store_true",
                   help="某单位的填报模板中填了其他单位的行时,照样按所填单位导入(默认拒绝整个文件)")
    p.add_argument("files", nargs="+", metavar="文件.xlsx", help="要导入的文件(可多个;.xlsx/.xls/.xlsb/.ods)")
    p.set_defaults(run=run)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.exchange import xlsx_import
    from safetymonth_desktop.services import campaigns

    year = campaigns.check_year(args.year)
    command_line.open_db(args)
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
            _print_refusal(result)
    if refused:
        print(f"错误:{refused} 个文件未导入(未导入的文件没有写入任何数据)。", file=sys.stderr)
        return 1
    return 0


# What to do about a refusal whose message says only what is wrong, by a phrase of that message.
ADVICE_BY_MESSAGE = (
    ("没有数据行", "请从第2行起填写数据(第1行是表头)并保存后重新导入;如果选错了文件,请选择各单位填好的文件。"),
)
ADVICE_FOR_POSITIONS = "请按上面列出的位置改正后重新导入。"
ADVICE_FOR_REASONS = "请按上面的说明改正后重新导入。"
ADVICE_OTHERWISE = "请检查该文件后重新导入。"


def advice(result, *, positions: bool, reasons: bool) -> str:
    """The advice that ends a file's refusal: to correct the positions listed, when rows were listed; the
    reasons given, when the file as a whole was faulted; nothing more when the message already says what
    to do (“请……”); otherwise the advice that fits its message."""
    if positions:
        return ADVICE_FOR_POSITIONS
    if reasons:
        return ADVICE_FOR_REASONS
    if "请" in result.message:
        return ""
    for phrase, text in ADVICE_BY_MESSAGE:
        if phrase in result.message:
            return text
    return ADVICE_OTHERWISE


def _print_refusal(result) -> None:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.exchange import xlsx_import

    print(f"未导入 {result.file}:{result.message}", file=sys.stderr)
    # Problems of the file as a whole that the message does not already say (e.g. no sheet to import).
    reasons = [e.reason for e in result.errors if not (e.sheet or e.row) and e.reason != result.message]
    for reason in reasons:
        print(f"  {reason}", file=sys.stderr)
    row_errors = [e for e in result.errors if e.sheet or e.row]
    if row_errors:
        print("  " + " / ".join(xlsx_import.ERROR_HEADERS), file=sys.stderr)
        for error in row_errors[:MAX_PRINTED_ERRORS]:
            print(f"  {error}", file=sys.stderr)
        if len(row_errors) > MAX_PRINTED_ERRORS:
            print(f"  ……另有 {len(row_errors) - MAX_PRINTED_ERRORS} 处错误未列出。", file=sys.stderr)
    text = advice(result, positions=bool(row_errors), reasons=bool(reasons))
    if text:
        print(f"  {text}", file=sys.stderr)
