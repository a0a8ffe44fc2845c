"""`safetymonth template --year Y [--unit NAME] -o FILE.xlsx`: write a blank 填报模板 (for one unit)."""

from safetymonth_desktop import cli


def add_parser(sub):
    p = sub.add_parser("template", help="生成填报模板(Excel)")
    p.add_argument("--year", required=True, help="年度")
    p.add_argument("--unit", metavar="NAME", help="填报单位名称(预先填入模板)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="输出文件")
    p.set_defaults(run=run)


def run(args) -> int:
    from safetymonth_desktop.exchange import xlsx_safety, xlsx_template
    from safetymonth_desktop.services import campaigns, units

    year = campaigns.check_year(args.year)
    xlsx_safety.check_output_path(args.output)
    from safetymonth_desktop.services.output_paths import check_output

    check_output(args.output, database=cli.database_path(args))
    cli.open_db(args)
    campaign = campaigns.get(year)
    unit_name = ""
    if args.unit is not None:
        unit = units.find_unit(args.unit)
        unit_name = unit.name if unit else units.normalise_name(args.unit)
        if not unit_name:
            from safetymonth_desktop.services.errors import AppError

            raise AppError("--unit 的单位名称不能为空。")
        if unit is None:
            print(f"提示:单位名录中还没有“{unit_name}”。导入该单位发回的文件时请加 --create-units,或先添加该单位。")
    path = xlsx_template.write_template(campaign, args.output, unit_name=unit_name)
    print(f"已生成 {year} 年度填报模板{'(' + unit_name + ')' if unit_name else ''}:{path}")
    return 0
