"""`safetymonth demo [--year Y]`: create the sample campaign."""

from safetymonth_desktop import command_line


def add_parser(sub):
    p = sub.add_parser("demo", help="创建示例年度(仿照参考总结的示例数据)",
                       description="创建示例年度:一个虚构的区,各部分都有数据,用于试用和演示。"
                                   "建议用 --db 指定一个单独的试用数据库。")
    p.add_argument("--year", default=2021, metavar="年度", help="年度,默认 2021")
    p.set_defaults(run=run)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.services import campaigns, demo, indicators

    year = campaigns.check_year(args.year)  # refuse a bad year before any file is touched
    command_line.open_db(args)
    existed = campaigns.find(year) is not None
    campaign = demo.create_demo(year)
    values = indicators.compute_all(campaign)
    verb = "已重建" if existed else "已创建"
    print(f"{verb}示例年度 {campaign.year}({campaign.region},第{campaign.ordinal}个安全生产月,主题“{campaign.theme}”)。")
    print(f"培训 {values['training.sessions']} 期 {values['training.participants']} 人次;"
          f"宣传活动 {values['events.count']} 场;排查隐患 {values['hazards.found']} 处;督查 {values['supervision.count']} 次。")
    print(f"数据库:{command_line.database_path(args)}")
    return 0
