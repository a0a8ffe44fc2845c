"""`safetymonth report --year Y -o FILE.docx [--template T.docx]`: write the Word 活动总结."""

from safetymonth_desktop import cli


def add_parser(sub):
    p = sub.add_parser("report", help="生成 Word 活动总结")
    p.add_argument("--year", required=True, help="年度")
    p.add_argument("-o", "--output", required=True, metavar="FILE.docx", help="输出的 Word 文件")
    p.add_argument("--template", metavar="T.docx", help="自定义模板(默认使用内置的公文格式模板)")
    p.set_defaults(run=run)


def run(args) -> int:
    from safetymonth_desktop.exchange import word_report
    from safetymonth_desktop.services import campaigns

    year = campaigns.check_year(args.year)
    cli.open_db(args)
    campaign = campaigns.get(year)
    target = word_report.write_report(campaign, args.output, template=args.template)
    print(f"已生成 {campaign.year} 年度活动总结:{target}")
    return 0
