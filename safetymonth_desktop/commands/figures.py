"""`safetymonth figures --year Y [--json]`: print the indicator catalogue's values."""

import json

from safetymonth_desktop import command_line


def add_parser(sub):
    p = sub.add_parser("figures", help="输出指标数值",
                       description="输出一个年度的全部指标数值(与界面、总结和统计表中的数值相同)。")
    p.add_argument("--year", required=True, metavar="年度", help="年度")
    p.add_argument("--json", action="store_true", help="以 JSON 输出(键为指标代码)")
    p.set_defaults(run=run)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.services import campaigns, indicators, report_settings

    year = campaigns.check_year(args.year)
    command_line.open_db(args)
    campaign = campaigns.get(year)
    values = indicators.compute_all(campaign)
    if args.json:
        print(json.dumps(indicators.to_json(values), ensure_ascii=False, indent=2))
        return 0
    print(f"{campaign.region}{campaign.year}年“安全生产月”指标")
    dated = report_settings.report_date(campaign)
    if dated.source != "today":
        print(f"(逾期未整改隐患截至成文日期{dated.phrase}统计,与总结一致)")
    category = None
    for ind in indicators.CATALOGUE:
        if ind.category != category:
            category = ind.category
            print(f"\n【{category}】")
        print(f"  {ind.label}({ind.key}):{indicators.display(ind.key, values[ind.key])}")
    return 0
