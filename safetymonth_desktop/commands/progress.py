"""`safetymonth progress --year Y [--json] [--as-of DATE]`: 报送进度, one line per roster unit (unit, status, last
file and when, records by sheet), then the files no roster unit could be matched to. A reading command: it opens
the database like `figures` (no write lock, no backup) and exits 0 whatever the units' statuses."""

import json
import unicodedata

from safetymonth_desktop import command_line
from safetymonth_desktop.base.errors import AppError


def add_parser(sub):
    p = sub.add_parser("progress", help="报送进度:各单位已报送 / 未报送 / 有误退回 / 逾期")
    p.add_argument("--year", required=True, metavar="年度", help="年度")
    p.add_argument("--json", action="store_true",
                   help="以 JSON 输出:每个名单单位一个对象(单位、状态、收到的文件、各表行数等)")
    p.add_argument("--as-of", metavar="日期", help="按哪一天判断逾期(默认今天),如 2021-6-25")
    p.set_defaults(run=run)


def _as_of(text):
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.services.coerce import CoercionError, to_date
    if text is None:
        return None
    try:
        day = to_date(text)
    except CoercionError as exc:
        raise AppError(f"--as-of 的值“{text}”不是日期:{exc.reason}。") from None
    if day is None:
        raise AppError("--as-of 需要一个日期,如 2021-6-25。")
    return day


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def run(args) -> int:
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.services import campaigns, numbers
    from safetymonth_desktop.services import progress as progress_service

    year = campaigns.check_year(args.year)
    as_of = _as_of(args.as_of)
    command_line.open_db(args)
    campaign = campaigns.get(year)
    report = progress_service.progress(campaign, as_of=as_of)
    if args.json:
        print(json.dumps([u.to_json() for u in report.units], ensure_ascii=False, indent=2))
        return 0

    deadline = (f"报送截止日期 {numbers.date_phrase(report.deadline)}" + (",已过" if report.deadline_passed else "")
                if report.deadline else "未设报送截止日期")
    print(f"{campaign.region}{year}年“安全生产月”报送进度(截至{numbers.date_phrase(report.as_of)};{deadline})")
    counts = report.counts
    print(f"名单 {report.total} 个单位:" + ",".join(f"{s} {counts[s]}" for s in progress_service.FILTERS[1:])
          + f"。本年度有记录的单位 {report.reported} 个。")
    if not report.units:
        print("本年度报送单位名单中还没有单位(可在图形界面的“报送进度”页添加)。")
    name_width = max((_width(u.unit) for u in report.units), default=0) + 2
    for u in report.units:
        last = progress_service.last_file_text(u) or "未收到文件"
        rows = u.sections_text or "无记录"
        print(f"{_pad(u.unit, name_width)}{_pad(u.status, 10)}最后文件:{last}  记录:{rows}")
    if report.unlisted:
        print(f"\n另有 {len(report.unlisted)} 个文件未能对应到名单中的单位:")
        for r in report.unlisted:
            who = f"单位“{r.unit}”不在名单中" if r.unit else "未识别填报单位"
            print(f"  {r.name}({progress_service.when_text(r.when)},{r.outcome_label}):{who}")
    return 0
