"""The sample campaign (`safetymonth demo`): a district modelled on the reference summary, with every
section filled with plausible figures so that nearly every indicator is non-zero. All names are
fictitious. Figures vary a little from year to year (seeded by the year), so two demo years compare.
Everything is written through the record services, so the demo obeys the same rules as the clerk.

The demo never touches the clerk's data: a year is rebuilt only when every record in it was made by the demo (the
demo's change group is remembered per year), after a backup; any other existing year is refused, naming what is
there. The demo year's roster is the demo's own units, not a copy of another year's.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.backup import make_backup
from safetymonth_desktop.db.connection import current_path, database
from safetymonth_desktop.services import campaigns, history, photos, records, units

REGION = "城南区"
ORGANIZER = "区政府安委会"

UNITS = [
    ("城关街道", "街道/乡镇"), ("东湖街道", "街道/乡镇"), ("西山街道", "街道/乡镇"), ("南苑街道", "街道/乡镇"),
    ("北城街道", "街道/乡镇"), ("青石镇", "街道/乡镇"),
    ("区应急管理局", "区级部门"), ("区住房和城乡建设局", "区级部门"), ("区市场监督管理局", "区级部门"),
    ("区人力资源和社会保障局", "区级部门"), ("区文化广电旅游局", "区级部门"), ("区供销合作社联合社", "区级部门"),
    ("区委宣传部", "区级部门"), ("区融媒体中心", "区级部门"), ("区总工会", "区级部门"), ("团区委", "区级部门"),
    ("区消防救援大队", "区级部门"), ("区教育局", "区级部门"), ("区交通运输局", "区级部门"),
    ("城南燃气有限公司", "企业"), ("宏达建筑工程有限公司", "企业"), ("华信化工有限公司", "企业"),
    ("城南区实验中学", "学校"),
]
STREETS = [n for n, k in UNITS if k == "街道/乡镇"]

NEXT_STEPS = (
    "全区将继续围绕“{theme}”主题，把安全生产宣传教育贯穿全年，坚持贴近实际、贴近生活、贴近群众，"
    "推动安全宣传进企业、进农村、进社区、进学校、进家庭；持续深化重点行业领域专项整治，"
    "紧盯逾期未整改隐患挂牌督办、跟踪销号；健全安全生产月工作长效机制，"
    "不断提升全民安全素质，为全区安全生产形势持续稳定向好营造良好氛围。"
)


GROUP_SETTING = "demo.group.{year}"  # AppSetting: the change group that made the demo year
_TRACKED = (*m.RECORD_MODELS, m.Note)


def _demo_group(year: int) -> str | None:
    row = m.AppSetting.get_or_none(m.AppSetting.key == GROUP_SETTING.format(year=year))
    return row.value if row else None


def foreign_content(campaign: m.Campaign) -> list[str]:
    """What the year holds that the demo did not make, as phrases ('培训 3 条', '导入的文件 2 个'); [] for a pure demo year."""
    group = _demo_group(campaign.year)
    found = []
    for model in _TRACKED:
        table = model._meta.table_name
        sql = f'SELECT COUNT(*) FROM "{table}" WHERE campaign_id = ?'
        params: tuple = (campaign.id,)
        if group is not None:
            sql += (f' AND id NOT IN (SELECT record_id FROM "{m.ChangeLog._meta.table_name}" '
                    "WHERE \"group\" = ? AND \"table\" = ? AND action = 'create')")
            params = (campaign.id, group, table)
        count = database.execute_sql(sql, params).fetchone()[0]
        if count:
            found.append(f"{model._meta.title} {count} 条")
    pictures = sum(sum(photos.counts(model, campaign).values()) for model in photos.owners())
    if pictures:  # the demo adds none: any photo is the clerk's
        found.append(f"活动图片 {pictures} 张")
    imported = m.ImportBatch.select().where(m.ImportBatch.campaign == campaign).count()
    if imported:
        found.append(f"导入的文件 {imported} 个")
    if group is None and not found:
        found.append(f"您建立的年度设置(地区“{campaign.region or '未填'}”)")
    return found


def check_can_rebuild(year: int) -> bool:
    """True when `year` exists and is a pure demo year (it will be rebuilt), False when it does not exist; refuses
    (AppError) a year holding anything the demo did not make."""
    existing = campaigns.find(year)
    if existing is None:
        return False
    foreign = foreign_content(existing)
    if foreign:
        raise AppError(f"{year} 年度已有不是示例生成的数据({'、'.join(foreign)}),示例不会覆盖它。"
                       f"请在另一个数据库中查看示例,例如:safetymonth --db 示例.sqlite demo --year {year}")
    return True


def create_demo(year: int = 2021) -> m.Campaign:
    """Create (or rebuild) the sample campaign of `year`; returns it. A year that holds anything the demo did not
    make is refused (`check_can_rebuild`); a demo year is backed up, then emptied and made again."""
    year = campaigns.check_year(year)
    if check_can_rebuild(year):
        _backup_before_rebuild()
    rnd = random.Random(year)
    scale = 1 + (year - 2021) * 0.08

    def n(base: int) -> int:
        return max(1, int(base * scale * rnd.uniform(0.9, 1.1)))

    def day(d: int) -> dt.date:
        return dt.date(year, 6, d)

    with history.change_group() as group, database.atomic():
        existing = campaigns.find(year)
        if existing is not None:
            campaigns.delete(year)
        campaign, _ = campaigns.save(year, copy_roster=False, region=REGION, organizer=ORGANIZER)
        m.AppSetting.insert(key=GROUP_SETTING.format(year=year), value=group).on_conflict_replace().execute()
        theme = campaign.theme or "人人讲安全、个个会应急"
        if not campaign.theme:
            campaign, _ = campaigns.save(year, theme=theme)
        campaigns.save(year, next_steps=NEXT_STEPS.format(theme=theme.replace(",", "，")))
        for name, kind in UNITS:
            units.ensure_unit(name, kind=kind, campaign=campaign)

        def add(model, **values):
            records.create(model, campaign, values)

        # 组织领导
        add(m.Instruction, date=day(2), leader="李明远", title="区委书记", occasion="区委常委会议",
            content="加强安全生产宣传教育，培育安全文化，强化全民安全意识，把安全生产月活动与隐患排查整治结合起来")
        add(m.Instruction, date=day(4), leader="王建华", title="区长", occasion="区政府常务会议",
            content="针对辖区行业特点，采取行之有效的方式方法宣传安全生产法律法规和安全知识，提高宣传教育的质量和效果")
        add(m.Instruction, date=day(9), leader="陈晓东", title="副区长", occasion="安全生产专题会议",
            content="亲自策划、协调和参与安全生产月各项活动，确保活动有方案、有部署、有检查、有成果、有总结")
        add(m.Body, name=f"{year}年“安全生产月”活动组委会", lead="副区长陈晓东", office="区应急管理局",
            duties="负责安全生产月活动的组织、指导和协调")
        add(m.Meeting, date=day(1), kind="启动仪式", title=f"{year}年“安全生产月”活动启动仪式", host="区政府安委会",
            attendees=n(300), content="动员部署全区安全生产月活动")
        add(m.Meeting, date=dt.date(year, 5, 26), kind="部署会", title="安全生产月活动部署会", host="区政府安委会",
            attendees=n(80), content="部署主要活动安排及新闻报道等工作")
        add(m.Meeting, date=day(8), kind="协调会", title="宣传部门协调会", host="区应急管理局", attendees=n(25),
            content="与区委宣传部、区融媒体中心、区总工会、团区委等部门协调宣传工作")
        add(m.Meeting, date=day(20), kind="调度会", title="安全生产月活动调度会", host="区应急管理局", attendees=n(40),
            content="调度各街道、各部门活动开展情况")
        add(m.Document, doc_no=f"城南安委〔{year}〕6号",
            title=f"关于印发《城南区{year}年“安全生产月”活动方案》的通知", date=dt.date(year, 5, 20), issuer="区政府安委会")
        add(m.Document, doc_no=f"城南安办〔{year}〕15号", title="关于开展安全生产月专项督查的通知", date=day(10),
            issuer="区政府安委会办公室")
        add(m.Document, doc_no=f"城南应急〔{year}〕21号", title="关于做好安全生产月宣传咨询日活动的通知", date=day(3),
            issuer="区应急管理局")

        # 培训
        trainings = [
            ("区应急管理局", "特种作业人员培训", "特种作业人员培(复)训", 3, 420),
            ("区应急管理局", "职业卫生管理人员培训", "职业卫生管理人员培训", 3, 260),
            ("区应急管理局", "主要负责人和安全管理人员培训", "企业主要负责人和安全管理人员培训", 2, 310),
            ("区住房和城乡建设局", "建筑施工安全培训", "建筑施工安全专项培训", 2, 380),
            ("区人力资源和社会保障局", "公开课/讲座", "工伤保险专题讲座", 1, 150),
            ("区文化广电旅游局", "以会代训", "文旅行业安全培训", 1, 85),
            ("区供销合作社联合社", "以会代训", "供销系统安全培训", 1, 60),
        ] + [(s, "公开课/讲座", "社区安全知识讲座", 2, 120) for s in STREETS]
        for i, (unit, category, title, sessions, people) in enumerate(trainings):
            add(m.Training, unit=unit, category=category, title=title, start_date=day(3 + i % 20),
                end_date=day(4 + i % 20), sessions=sessions, participants=n(people), venue="区安全培训中心")

        # 宣传品
        materials = [
            ("区应急管理局", "宣传挂图", "安全生产月宣传挂图(8张/套)", 4900, "套", "28000"),
            ("区应急管理局", "口袋书/手册", "新《安全生产法》口袋书", 6000, "本", "30000"),
            ("区应急管理局", "宣传品/纪念品", "无纺布袋、围裙、雨伞、扇子等宣传品", 8500, "件", "42500"),
            ("区消防救援大队", "宣传单/折页", "家庭消防安全宣传单", 30000, "份", "6000"),
        ] + [(s, "展板", "安全生产宣传展板", 40, "块", "4000") for s in STREETS] \
          + [(s, "横幅标语", "安全生产月横幅", 30, "条", "1500") for s in STREETS] \
          + [(s, "宣传单/折页", "安全知识宣传折页", 5000, "份", None) for s in STREETS]
        for unit, kind, name, qty, measure, cost in materials:
            add(m.Material, unit=unit, kind=kind, name=name, quantity=n(qty), measure=measure,
                cost=Decimal(n(int(cost))) if cost else None)

        # 媒体宣传
        media = [
            ("区融媒体中心", "微信", "“掌上城南”公众号", 36, 120000),
            ("区融媒体中心", "电视", "城南有线电视台", 60, 200000),
            ("区融媒体中心", "报纸", "《城南报》", 8, 50000),
            ("区应急管理局", "网站", "区应急管理局官方网站", 24, None),
            ("区应急管理局", "微博", "“平安城南”微博", 40, 30000),
            ("区应急管理局", "短信", "安全提示短信", 5, 300000),
            ("区市场监督管理局", "LED显示屏", "户外LED显示屏", 30, None),
            ("区委宣传部", "楼宇/营业场所终端", "楼宇及营业场所终端", 20, None),
        ]
        for unit, channel, outlet, items, reach in media:
            add(m.Media, unit=unit, channel=channel, outlet=outlet, items=n(items),
                reach=n(reach) if reach else None, description="安全公益广告和安全提示")

        # 宣传活动
        add(m.Event, unit="区应急管理局", kind="安全宣传咨询日", date=day(16), title="“安全生产月”宣传咨询日活动",
            venue="城南中心广场", participants=n(8000), leaders="省政府安委会领导、市政府安委会领导、区委区政府相关领导",
            desks=n(36), boards=n(120), materials=n(45000),
            description="文艺演出、承诺签名、有奖竞猜、电梯安全模拟体验、应急自救互救演示")
        for i, s in enumerate(STREETS[:4]):
            add(m.Event, unit=s, kind="安全宣传咨询日", date=day(16), title="街道安全宣传咨询点", venue=f"{s}文化广场",
                participants=n(600), desks=n(4), boards=n(10), materials=n(2000))
        drills = [("华信化工有限公司", "危险化学品泄漏应急演练", 120), ("城南区实验中学", "校园消防疏散演练", 1500),
                  ("城南燃气有限公司", "燃气泄漏抢险演练", 80), ("宏达建筑工程有限公司", "建筑工地坍塌救援演练", 150),
                  ("东湖街道", "社区火灾疏散演练", 300), ("区消防救援大队", "人员密集场所灭火救援演练", 200)]
        for i, (unit, title, people) in enumerate(drills):
            add(m.Event, unit=unit, kind="应急演练", date=day(5 + 3 * i), title=title, participants=n(people))
        others = [("区应急管理局", "启动仪式", "安全生产月启动仪式", 500), ("区总工会", "知识竞赛", "职工安全知识竞赛", 300),
                  ("团区委", '安全宣传"五进"', "青年志愿者安全宣传进社区", 2500), ("区教育局", "警示教育", "校园安全警示教育", 6000),
                  ("西山街道", "有奖竞猜", "安全生产谜语有奖竞猜", 1800), ("南苑街道", "承诺签名", "“安全从我做起”承诺签名", 2200),
                  ("区市场监督管理局", "体验演示", "电梯安全体验", 900)]
        for i, (unit, kind, title, people) in enumerate(others):
            add(m.Event, unit=unit, kind=kind, date=day(2 + 2 * i), title=title, participants=n(people))

        # 隐患台账
        # Streets keep ledgers; the departments report their campaigns as 专项整治 counts. The fire brigade does
        # both for 消防 — the one possible double count the overview should point out.
        ledger_units = STREETS + ["区消防救援大队"]
        industries = list(vocab.INDUSTRIES)
        for i in range(60 + (year - 2021) * 6):
            found = day(1 + i % 25)
            level = "重大" if i % 17 == 3 else "一般"
            state = rnd.choices(["已整改", "整改中", "待整改"], weights=[8, 1, 1])[0]
            deadline = found + dt.timedelta(days=rnd.choice([7, 15, 30]))
            add(m.Hazard, unit=ledger_units[i % len(ledger_units)], enterprise=f"城南区{['某某', '宏达', '华信', '联华', '安康'][i % 5]}企业{i + 1}号",
                industry=industries[i % len(industries)], found_date=found,
                source=vocab.HAZARD_SOURCES[i % len(vocab.HAZARD_SOURCES)],
                description=["消防通道堵塞", "安全出口指示灯损坏", "未按规定配备灭火器", "特种设备未定期检验",
                             "临时用电不规范", "危化品储存不规范", "燃气管道老化", "安全警示标志缺失"][i % 8],
                level=level, measures="限期整改并复查" if level == "重大" or i % 2 else "",
                responsible="企业负责人" if level == "重大" or i % 3 == 0 else "",
                deadline=deadline, funding=Decimal(rnd.choice([500, 1200, 3000, 8000, 20000])),
                status=state, rectified_date=(found + dt.timedelta(days=rnd.randint(1, 6))) if state == "已整改" else None)

        # 专项整治
        actions = [
            ("区应急管理局", "打非治违专项行动", "工贸/中小企业", 8, 160, 320, 410, 380, 12, "240000", 3),
            ("区住房和城乡建设局", "建筑施工安全专项整治", "建筑施工", 5, 90, 85, 230, 215, 6, "180000", 0),
            ("区市场监督管理局", "特种设备安全专项检查", "特种设备", 4, 60, 140, 120, 118, 2, "30000", 0),
            ("区应急管理局", "危险化学品专项整治", "危险化学品", 3, 45, 36, 75, 70, 3, "90000", 1),
            ("区应急管理局", "烟花爆竹打非专项行动", "烟花爆竹", 2, 30, 52, 18, 18, 4, "20000", 5),
            ("城南燃气有限公司", "燃气安全专项排查", "燃气", 6, 70, 600, 160, 150, 0, None, 0),
            ("区消防救援大队", "人员密集场所消防安全整治", "消防/人员密集场所", 7, 120, 450, 520, 490, 15, "105000", 2),
            ("区交通运输局", "道路运输安全专项整治", "道路交通", 3, 50, 95, 60, 58, 5, "25000", 0),
        ]
        for unit, action, industry, teams, people, inspected, found, rectified, penalties, fines, shut in actions:
            found_n = n(found)
            add(m.CampaignAction, unit=unit, action=action, industry=industry, teams=teams, personnel=n(people),
                inspected=n(inspected), hazards_found=found_n, hazards_rectified=min(found_n, n(rectified)),
                penalties=penalties, fines=Decimal(n(int(fines))) if fines else None, shutdowns=shut)

        # 督查
        targets = STREETS + ["区住房和城乡建设局", "区市场监督管理局"]
        focus = list(vocab.INSPECTION_FOCUS)
        for i, target in enumerate(targets):
            found = 2 + (i * 3) % 5
            add(m.Inspection, date=day(18 + i % 10), team=f"第{'一二三'[i % 3]}督查组", leader="区应急管理局副局长",
                kind="综合督查" if i % 3 else "专项督查", target=target, focus=focus[i % 3], problems_found=found,
                problems="宣传资料发放不到位；隐患整改台账不完整", requests="限期整改并报送整改情况",
                problems_rectified=found - (1 if i % 4 == 0 else 0))

        # 补充说明
        add(m.Note, section="宣传培训", order=1,
            text="组织企业开展安全文化建设学习交流活动，宣传推广安全文化建设示范企业的经验和做法。")
        add(m.Note, section="隐患整治", order=1,
            text="突出涉农辖区、专业市场等重点区域，一批安全隐患得到治理，有效防范了各类事故。")
    return campaigns.get(year)


def _backup_before_rebuild() -> None:
    path = current_path()
    if path is not None and path.exists():
        make_backup(path, "before-demo")
