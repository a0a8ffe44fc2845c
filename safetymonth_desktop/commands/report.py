"""`safetymonth report --year Y -o FILE.docx [--template T.docx] [--no-charts] [--draft]`: write the Word 活动总结.

Before writing, each thing the summary will lack (`services.readiness`, the overview's list) is printed as a 提示
line on stderr. A year without any record is refused (exit 1) unless `--draft` asks for a plain draft: the title,
the opening sentence with only facts (year, 第N个, theme) and the 落款.

The appendix charts are drawn by the GUI's chart code (Qt, offscreen), which the program's entry hands down
(`args.make_chart_renderer`, from __main__.py), so this module never imports Qt. When Qt cannot start, the
report is written without charts and stderr says so."""

import os
import sys

from safetymonth_desktop import command_line
from safetymonth_desktop.base.errors import AppError


def add_parser(sub):
    p = sub.add_parser("report", help="生成 Word 活动总结",
                       description="按公文格式生成一个年度的 Word《活动总结》,附件含统计表和统计图。")
    p.add_argument("--year", required=True, metavar="年度", help="年度")
    p.add_argument("-o", "--output", required=True, metavar="文件.docx", help="输出的 Word 文件")
    p.add_argument("--template", metavar="模板.docx", help="自定义模板(默认使用内置的公文格式模板)")
    p.add_argument("--no-charts", action="store_true", help="不在附件中插入统计图")
    p.add_argument("--draft", action="store_true",
                   help="年度还没有任何记录时仍生成一份草稿(只有标题、开头一句和落款,不写任何工作情况)")
    p.set_defaults(run=run)


def chart_renderer(make):
    """The Qt chart renderer `make()` gives, or None (with the reason on stderr) when Qt cannot be used here."""
    if make is None:
        print("注意:本入口未提供绘图组件,总结将不含统计图。", file=sys.stderr)
        return None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # without a display Qt would abort the process
    try:
        return make()
    except Exception as exc:  # noqa: BLE001 - any failure to start Qt: the report is still wanted
        print(f"注意:无法启动绘图组件({type(exc).__name__}: {exc}),总结将不含统计图。", file=sys.stderr)
        return None


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.exchange import word_report
    from safetymonth_desktop.services import campaigns, readiness, report_settings
    year = campaigns.check_year(args.year)
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.db.output_paths import check_output

    check_output(args.output, database=command_line.database_path(args), inputs=[(args.template, "模板")])
    command_line.open_db(args)
    campaign = campaigns.get(year)
    empty = readiness.is_empty(campaign)
    if empty and not args.draft:
        raise AppError(readiness.empty_year_message(campaign) + "未生成总结。如确需一份草稿(只有标题和开头,"
                       "不写任何工作情况),请加 --draft 选项。")
    for item in readiness.gaps(campaign):  # what the summary will lack: the overview's list
        if item.rule != "empty_year":
            print(f"提示:{item.text}", file=sys.stderr)
    renderer = None if args.no_charts or empty else chart_renderer(getattr(args, "make_chart_renderer", None))
    target = word_report.write_report(campaign, args.output, template=args.template, chart_renderer=renderer)
    dated = report_settings.report_date(campaign)
    what = "活动总结草稿" if empty else "活动总结"
    print(f"已生成 {campaign.year} 年度{what}:{target}" + ("" if renderer or empty else "(不含统计图)")
          + f",成文日期 {dated.phrase}" + ("(默认)" if dated.source != "set" else "") + "。")
    return 0
