"""`safetymonth stats --year Y -o FILE.xlsx [--form FORM.xlsx]`: the statistics workbook, or a superior's
form with its `{{ key }}` placeholders filled."""

from safetymonth_desktop import command_line


def add_parser(sub):
    p = sub.add_parser("stats", help="导出统计表和台账(Excel),或填写上级表样",
                       description="导出一个年度的统计表和各类台账(Excel);带 --form 时,"
                                   "把上级表样中的 {{ 指标代码 }} 换成数值后另存。")
    p.add_argument("--year", required=True, metavar="年度", help="年度")
    p.add_argument("-o", "--output", required=True, metavar="文件.xlsx", help="输出文件")
    p.add_argument("--form", metavar="表样.xlsx", help="上级下发的表样:把其中的 {{ 指标代码 }} 换成数值")
    p.set_defaults(run=run)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.exchange import xlsx_safety
    from safetymonth_desktop.services import campaigns

    year = campaigns.check_year(args.year)
    xlsx_safety.check_output_path(args.output)
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.db.output_paths import check_output

    check_output(args.output, database=command_line.database_path(args), inputs=[(args.form, "表样")])
    if args.form:
        xlsx_safety.check_workbook(args.form)  # refuse a bad form before the database is opened
    command_line.open_db(args)
    campaign = campaigns.get(year)
    if args.form:
        # lazy: start-up (the parser imports every command module; its work loads when it runs)
        from safetymonth_desktop.exchange import xlsx_forms

        result = xlsx_forms.fill_form(campaign, args.form, args.output)
        for warning in result.warnings:
            print(f"提示:{warning}")
        print(f"已填写 {result.filled} 个单元格:{result.path}")
        return 0
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.exchange import xlsx_export

    path = xlsx_export.write_stats(campaign, args.output)
    print(f"已导出 {year} 年度统计表和台账:{path}")
    return 0
