"""`safetymonth submit --year Y -o FILE.xlsx`: the year's 上报数据包 for the level above (DATA.md), which `import`
at the level above recognises by its stamp and rolls up exactly (exchange/package_write.py)."""

from safetymonth_desktop import command_line


def add_parser(sub):
    p = sub.add_parser("submit", help="生成上报数据包(交上级汇总)",
                       description="生成一个年度的上报数据包(Excel):全部记录、组织领导和督查、报送单位名单、全部指标的汇总"
                                   "和核对标识。上级用本软件“导入”即可汇总,不必重新录入;文件请勿修改。")
    p.add_argument("--year", required=True, metavar="年度", help="年度")
    p.add_argument("-o", "--output", required=True, metavar="文件.xlsx", help="输出文件")
    p.set_defaults(run=run)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.exchange import package_write, xlsx_safety
    from safetymonth_desktop.services import campaigns
    from safetymonth_desktop.db.output_paths import check_output

    year = campaigns.check_year(args.year)
    xlsx_safety.check_output_path(args.output)
    check_output(args.output, database=command_line.database_path(args))
    command_line.open_db(args)
    campaign = campaigns.get(year)
    written = package_write.write_package(campaign, args.output)
    parts = "、".join(f"{sheet} {n} 行" for sheet, n in written.counts.items() if n)
    print(f"已生成 {year} 年度上报数据包:{written.path}(共 {written.total} 条记录" + (f":{parts}" if parts else "") + ")。")
    if written.regions:
        print(f"  含下级地区 {len(written.regions)} 个:" + "、".join(written.regions))
    return 0
