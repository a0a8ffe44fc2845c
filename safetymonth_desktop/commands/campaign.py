"""`safetymonth campaign --year Y [--region R] [--organizer O] [--theme T] [--deadline D] [--report-date D]
[--recipient R] [--signer S] [--level L] …`: create or update a year."""

from safetymonth_desktop import command_line


def add_parser(sub):
    p = sub.add_parser("campaign", help="新建或修改活动年度(主题和第几个默认取自年度)",
                       description="新建活动年度,或修改已有年度的设置;只改给出的选项,其余保持不变。"
                                   "新年度的主题、“第几个安全生产月”和日期按年度自动填写。")
    p.add_argument("--year", required=True, metavar="年度", help="年度,如 2021")
    p.add_argument("--region", metavar="地区", help="地区名称,如 某某区")
    p.add_argument("--organizer", metavar="主办单位", help="主办单位,如 区政府安委会")
    p.add_argument("--theme", metavar="主题", help="活动主题(默认取全国当年主题)")
    p.add_argument("--ordinal", metavar="第几个", help="第几个安全生产月(默认 年度−2001)")
    p.add_argument("--start", dest="start_date", metavar="日期", help="开始日期(默认 6月1日)")
    p.add_argument("--end", dest="end_date", metavar="日期", help="结束日期(默认 6月30日)")
    p.add_argument("--consult-day", dest="consult_day", metavar="日期", help="咨询日(默认 6月16日)")
    p.add_argument("--deadline", metavar="日期", help="报送截止日期(过后未报送的单位在报送进度中显示为逾期)")
    p.add_argument("--report-date", dest="report_date", metavar="日期",
                   help="成文日期:总结落款的日期,“截至”和逾期隐患按这一天统计(不填:当年取今天,往年取7月10日)")
    p.add_argument("--recipient", metavar="主送机关", help="主送机关,如 市安委办(写在总结标题下)")
    p.add_argument("--signer", metavar="落款机关", help="落款机关全称(不填:地区名称+主办单位,如 城南区政府安委会)")
    p.add_argument("--level", metavar="层级", help="层级:区县、市或省(新年度按地区名称推断)")
    p.set_defaults(run=run)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.services import campaigns, numbers, report_settings

    year = campaigns.check_year(args.year)  # refuse a bad year before any file is touched
    command_line.open_db(args)
    # Only the options given: a setting left out keeps its value (or the year's default for a new year).
    values = {k: getattr(args, k) for k in ("region", "organizer", "theme", "ordinal", "start_date", "end_date",
                                             "consult_day", "deadline", "report_date", "recipient", "signer", "level")
              if getattr(args, k) is not None}
    campaign, created = campaigns.save(year, **values)
    print(f"{'已新建' if created else '已更新'} {campaign.year} 年度:{campaign.region or '(未填地区)'},"
          f"第{campaign.ordinal}个安全生产月,主题“{campaign.theme or '(未填)'}”,"
          f"{numbers.date_phrase(campaign.start_date)}至{numbers.date_phrase(campaign.end_date)},"
          f"咨询日 {numbers.date_phrase(campaign.consult_day)}"
          + (f",报送截止 {numbers.date_phrase(campaign.deadline)}" if campaign.deadline else "")
          + (f",成文日期 {numbers.date_phrase(campaign.report_date)}" if campaign.report_date else "")
          + (f",主送 {campaign.recipient}" if campaign.recipient else "")
          + f",落款 {report_settings.signer(campaign) or '(未填)'},层级 {campaign.level}。")
    if not campaign.theme:
        print(f"提示:内置主题表中没有 {year} 年的主题,请用 --theme 填写。")
    return 0
