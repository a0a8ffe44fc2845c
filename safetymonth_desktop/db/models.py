"""Every record of DATA.md, declared once.

Each field carries its Chinese label (`verbose_name`, which is also the exchange workbook's column
header), its choices and help text. Tables, forms, Excel templates, import and the ledgers are generated
from these declarations through `user_fields()`; the extra `Meta` attributes say what a record type is
called (`title`), which exchange sheet holds it (`sheet`, None when it is not exchanged) and to which
report section it belongs.
"""

from __future__ import annotations

import datetime as dt

import peewee as pw

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.vocab import pairs
from safetymonth_desktop.db.fields import AutoIncrementField, MoneyField
from safetymonth_desktop.db.proxy import database


class BaseModel(pw.Model):
    # AUTOINCREMENT: a deleted record's id is never given to a new one, so the change history kept under
    # (table, id) stays that record's own (schema step 3). AppSetting, keyed by name, drops it.
    id = AutoIncrementField()

    class Meta:
        database = database
        legacy_table_names = False
        title = ""
        sheet = None
        section = None


class Campaign(BaseModel):
    year = pw.IntegerField(unique=True, verbose_name="年度", help_text="活动年度,如 2021")
    ordinal = pw.IntegerField(verbose_name="第几个安全生产月", help_text="默认为 年度−2001")
    theme = pw.CharField(default="", verbose_name="活动主题", help_text="默认取全国当年主题,可修改")
    region = pw.CharField(default="", verbose_name="地区名称", help_text="如 某某区")
    organizer = pw.CharField(default="", verbose_name="主办单位", help_text="如 区政府安委会")
    start_date = pw.DateField(verbose_name="开始日期")
    end_date = pw.DateField(verbose_name="结束日期")
    consult_day = pw.DateField(verbose_name="咨询日", help_text="全国安全宣传咨询日,默认6月16日")
    next_steps = pw.TextField(default="", verbose_name="下一步工作", help_text="总结末尾“下一步”一段的内容")
    deadline = pw.DateField(null=True, verbose_name="报送截止日期", help_text="各单位须在此日期前报送;过后未报送的单位显示为“逾期”")
    report_date = pw.DateField(null=True, verbose_name="成文日期",
                               help_text="总结落款的日期,“截至”和逾期隐患都按这一天统计;不填时当年取今天,往年取7月10日")
    recipient = pw.CharField(default="", verbose_name="主送机关", help_text="总结报送的上级机关,如 市安委办;不填则不写主送")
    signer = pw.CharField(default="", verbose_name="落款机关",
                          help_text="落款署名的机关全称,如 城南区政府安委会;不填时取 地区名称+主办单位")
    level = pw.CharField(default="区县", choices=pairs(vocab.CAMPAIGN_LEVELS), verbose_name="层级",
                         help_text="本单位的层级:区县、市或省;新年度按地区名称推断(…市为市,…省为省)")
    notes = pw.TextField(default="", verbose_name="备注")

    class Meta:
        title = "活动年度"


class Unit(BaseModel):
    # Names are unique per parent (schema step 7): the importer's own units have no parent; a sub-region (kind
    # 下级地区, services/rollup.py) is one of them, and the units its 上报数据包 brings are its children — never
    # merged with the importer's units or another sub-region's units of the same name.
    name = pw.CharField(verbose_name="单位名称")
    short_name = pw.CharField(default="", verbose_name="简称",
                              help_text="本地通用的简称,如 县应急局;总结正文提到该单位时使用,不填则用全称")
    norm = pw.CharField()  # normalised name used for matching; see services.units.normalise_name
    parent = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False, backref="children",
                                verbose_name="所属下级地区")
    kind = pw.CharField(default="其他", choices=pairs(vocab.UNIT_KINDS), verbose_name="单位类型")
    contact = pw.CharField(default="", verbose_name="联系人")
    phone = pw.CharField(default="", verbose_name="联系电话")
    notes = pw.TextField(default="", verbose_name="备注")

    class Meta:
        title = "单位"
        indexes = ((("parent", "norm"), True),)


# The importer's own units (no parent) are matched by name alone: one per name (NULLs are distinct in the
# (parent, norm) index above, so this partial index keeps their names unique).
Unit.add_index(Unit.index(Unit.norm, unique=True, name="unit_norm_own", where=Unit.parent.is_null()))


class UnitAlias(BaseModel):
    unit = pw.ForeignKeyField(Unit, backref="aliases", on_delete="CASCADE")
    alias = pw.CharField(verbose_name="别名")
    norm = pw.CharField(unique=True)

    class Meta:
        title = "单位别名"


class ImportBatch(BaseModel):
    """One imported workbook: its content hash makes a second import of the same file a no-op."""

    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    file_name = pw.CharField(verbose_name="文件名")
    sha256 = pw.CharField(index=True)
    imported_at = pw.DateTimeField(default=dt.datetime.now, verbose_name="导入时间")
    rows = pw.IntegerField(default=0, verbose_name="导入行数")

    class Meta:
        title = "导入记录"


class RosterEntry(BaseModel):
    """A unit expected to report in one campaign year (报送单位名单). `units.total` counts a year's entries."""

    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE", index=False)  # (campaign, unit) below serves it
    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT", verbose_name="单位")
    added_at = pw.DateTimeField(default=dt.datetime.now, verbose_name="加入时间")

    class Meta:
        title = "报送单位名单"
        indexes = ((("campaign", "unit"), True),)


class TemplateIssue(BaseModel):
    """A 填报模板 written for a year (and a unit): when, to which file, with which stamp."""

    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE", index=False)
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="CASCADE", verbose_name="单位")
    file_name = pw.CharField(verbose_name="文件")
    issued_at = pw.DateTimeField(default=dt.datetime.now, verbose_name="下发时间")
    stamp = pw.CharField(default="", verbose_name="模板标识")

    class Meta:
        title = "模板下发记录"
        indexes = ((("campaign", "unit"), False),)


class FileReceipt(BaseModel):
    """A workbook received for a year: what it was, whose, and what became of it (imported, refused, replaced an
    earlier file, or unchanged). Kept outside the change history: undo does not un-receive a file."""

    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE", index=False)
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="SET NULL", verbose_name="单位")
    file_name = pw.CharField(verbose_name="文件名")
    sha256 = pw.CharField(default="")
    received_at = pw.DateTimeField(default=dt.datetime.now, verbose_name="收到时间")
    rows = pw.TextField(default="{}", verbose_name="各表行数")  # JSON: sheet name → rows
    outcome = pw.CharField(verbose_name="结果")  # imported / refused / replaced / unchanged
    message = pw.TextField(default="", verbose_name="说明")
    errors = pw.TextField(default="[]")  # JSON: the first row errors, as text
    stamped = pw.BooleanField(default=False, verbose_name="本软件模板")

    class Meta:
        title = "收文记录"
        indexes = ((("campaign", "unit"), False),)


class SubRegionPackage(BaseModel):
    """The 上报数据包 a sub-region handed up for a year and that was imported (services/rollup.py): its stamp, its
    digest and its 汇总 as verified. One per sub-region and year; a newer package replaces it."""

    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE", index=False)
    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT", verbose_name="下级地区")
    import_batch = pw.ForeignKeyField(ImportBatch, null=True, on_delete="SET NULL")
    level = pw.CharField(default="区县", verbose_name="层级")
    organizer = pw.CharField(default="", verbose_name="主办单位")
    issued_at = pw.CharField(default="", verbose_name="生成时间")
    as_of = pw.DateField(null=True, verbose_name="统计截至")
    file_name = pw.CharField(default="", verbose_name="文件名")
    sha256 = pw.CharField(default="")
    digest = pw.CharField(default="", verbose_name="数据摘要")
    counts = pw.TextField(default="{}", verbose_name="各表行数")  # JSON: sheet name → rows
    summary = pw.TextField(default="{}", verbose_name="汇总")  # JSON: flat exact figures (exchange/package_figures)
    imported_at = pw.DateTimeField(default=dt.datetime.now, verbose_name="导入时间")

    class Meta:
        title = "下级地区数据包"
        indexes = ((("campaign", "unit"), True),)


class Record(BaseModel):
    """A record of one campaign year. `notes` is always shown last, whatever the declaration order."""

    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE")
    import_batch = pw.ForeignKeyField(ImportBatch, null=True, on_delete="CASCADE")
    notes = pw.TextField(default="", verbose_name="备注")


class UnitRecord(Record):
    """A record reported by a unit: 填报单位 is its first column."""

    # Indexed by UNIT_INDEX below, not alone: (unit_id, campaign_id) serves the foreign-key checks too.
    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT", verbose_name="填报单位", index=False)

    class Meta:
        indexes = ((("unit", "campaign"), False),)


# Every UnitRecord table has this index ("units that reported this year" looks each unit up through it);
# a subclass that declares its own Meta.indexes must list it again.
UNIT_INDEX = (("unit", "campaign"), False)


# ---- 组织领导: the region's own records (填报单位 blank = 本级) or a unit's (its own meeting, its own document)

OWN_LEVEL_HELP = "留空为本级;街道、部门自己的会议或文件填该单位"

class Instruction(Record):
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT", verbose_name="填报单位", index=False,
                              help_text=OWN_LEVEL_HELP)
    date = pw.DateField(null=True, verbose_name="日期")
    leader = pw.CharField(verbose_name="领导姓名")
    title = pw.CharField(default="", verbose_name="职务", help_text="如 区委书记")
    occasion = pw.CharField(default="", verbose_name="场合", help_text="如 区委常委会议")
    content = pw.TextField(verbose_name="讲话/批示要点")

    class Meta:
        title = "领导重视"
        sheet = "领导重视"
        section = "组织领导"
        indexes = (UNIT_INDEX,)


class Meeting(Record):
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT", verbose_name="填报单位", index=False,
                              help_text=OWN_LEVEL_HELP)
    date = pw.DateField(null=True, verbose_name="日期")
    kind = pw.CharField(choices=pairs(vocab.MEETING_KINDS), verbose_name="类型")
    title = pw.CharField(verbose_name="名称")
    host = pw.CharField(default="", verbose_name="主持/牵头单位")
    attendees = pw.IntegerField(null=True, verbose_name="参会人数")
    content = pw.TextField(default="", verbose_name="内容")

    class Meta:
        title = "会议部署"
        sheet = "会议部署"
        section = "组织领导"
        indexes = (UNIT_INDEX,)


class Document(Record):
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT", verbose_name="填报单位", index=False,
                              help_text=OWN_LEVEL_HELP)
    doc_no = pw.CharField(default="", verbose_name="文号", help_text="如 安委办〔2021〕5号")
    title = pw.CharField(verbose_name="文件标题")
    date = pw.DateField(null=True, verbose_name="印发日期")
    issuer = pw.CharField(default="", verbose_name="印发单位")

    class Meta:
        title = "印发文件"
        sheet = "印发文件"
        section = "组织领导"
        indexes = (UNIT_INDEX,)


# A sub-region's 组织机构 and 补充说明 (schema step 8): those a sub-region's 上报数据包 brought name that 下级地区 unit
# (one of its nested sub-regions' for a city's districts at a province); NULL = the region's own. Hidden from the
# generated faces (user_fields): only the roll-up sets it (services/rollup.py), and such rows are read-only here.
SUB_REGION_HELP = "上报数据包带来的下级地区;空为本级"


class Body(Record):
    sub_region = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT", verbose_name="所属下级地区",
                                    help_text=SUB_REGION_HELP)
    name = pw.CharField(verbose_name="机构名称", help_text="如 活动组委会")
    lead = pw.CharField(default="", verbose_name="牵头领导")
    office = pw.CharField(default="", verbose_name="办公室设在")
    duties = pw.TextField(default="", verbose_name="职责")

    class Meta:
        title = "组织机构"
        sheet = None
        section = "组织领导"


# ---- 培训

class Training(UnitRecord):
    category = pw.CharField(choices=pairs(vocab.TRAINING_CATEGORIES), verbose_name="培训类别")
    title = pw.CharField(default="", verbose_name="培训名称")
    start_date = pw.DateField(null=True, verbose_name="开始日期")
    end_date = pw.DateField(null=True, verbose_name="结束日期")
    sessions = pw.IntegerField(default=1, verbose_name="期(场)数", help_text="至少1期")
    participants = pw.IntegerField(verbose_name="参训人次")
    venue = pw.CharField(default="", verbose_name="地点")

    class Meta:
        title = "培训"
        sheet = "培训"
        section = "宣传培训"


# ---- 宣传

class Material(UnitRecord):
    kind = pw.CharField(choices=pairs(vocab.MATERIAL_KINDS), verbose_name="类别")
    name = pw.CharField(default="", verbose_name="名称", help_text="如 新《安全生产法》口袋书")
    quantity = pw.IntegerField(verbose_name="数量")
    measure = pw.CharField(default="", choices=pairs(vocab.MEASURES), verbose_name="计量单位", help_text="留空按类别默认")
    cost = MoneyField(null=True, verbose_name="经费(元)")

    class Meta:
        title = "宣传品"
        sheet = "宣传品"
        section = "宣传培训"
        indexes = (UNIT_INDEX, (("campaign", "kind", "measure"), False))


class Media(UnitRecord):
    channel = pw.CharField(choices=pairs(vocab.MEDIA_CHANNELS), verbose_name="渠道")
    outlet = pw.CharField(default="", verbose_name="媒体/账号名称")
    items = pw.IntegerField(verbose_name="条(篇/次)数")
    reach = pw.IntegerField(null=True, verbose_name="覆盖人次", help_text="可不填")
    description = pw.TextField(default="", verbose_name="内容")

    class Meta:
        title = "媒体宣传"
        sheet = "媒体宣传"
        section = "宣传培训"
        indexes = (UNIT_INDEX, (("campaign", "channel"), False))


class Event(UnitRecord):
    kind = pw.CharField(choices=pairs(vocab.EVENT_KINDS), verbose_name="活动类型")
    date = pw.DateField(null=True, verbose_name="日期")
    title = pw.CharField(default="", verbose_name="名称")
    venue = pw.CharField(default="", verbose_name="地点")
    participants = pw.IntegerField(null=True, verbose_name="参与人次")
    leaders = pw.TextField(default="", verbose_name="出席领导")
    desks = pw.IntegerField(null=True, verbose_name="咨询台(个)")
    boards = pw.IntegerField(null=True, verbose_name="展板(块)")
    materials = pw.IntegerField(null=True, verbose_name="发放资料(份)")
    description = pw.TextField(default="", verbose_name="活动内容")

    class Meta:
        title = "宣传活动"
        sheet = "宣传活动"
        section = "宣传培训"
        indexes = (UNIT_INDEX, (("campaign", "kind"), False))


# ---- 隐患整治

class Hazard(UnitRecord):
    enterprise = pw.CharField(verbose_name="被查单位")
    industry = pw.CharField(choices=pairs(vocab.INDUSTRIES), verbose_name="行业领域")
    found_date = pw.DateField(verbose_name="发现日期")
    source = pw.CharField(null=True, choices=pairs(vocab.HAZARD_SOURCES), verbose_name="来源")
    description = pw.TextField(verbose_name="隐患描述")
    level = pw.CharField(default="一般", choices=pairs(vocab.HAZARD_LEVELS), verbose_name="隐患等级")
    measures = pw.TextField(default="", verbose_name="整改措施", help_text="重大隐患必填")
    responsible = pw.CharField(default="", verbose_name="责任人", help_text="重大隐患必填")
    deadline = pw.DateField(null=True, verbose_name="整改期限")
    funding = MoneyField(null=True, verbose_name="整改资金(元)")
    status = pw.CharField(default="待整改", choices=pairs(vocab.HAZARD_STATUSES), verbose_name="状态")
    rectified_date = pw.DateField(null=True, verbose_name="整改完成日期", help_text="状态为已整改时必填")

    class Meta:
        title = "隐患台账"
        sheet = "隐患台账"
        section = "隐患整治"
        # Each covers an indicator's query (schema step 2): by industry with status, rectified and overdue, major.
        indexes = (UNIT_INDEX, (("campaign", "industry", "status"), False), (("campaign", "status", "deadline"), False),
                   (("campaign", "level"), False))


class CampaignAction(UnitRecord):
    action = pw.CharField(verbose_name="行动名称", help_text="如 打非治违专项行动")
    industry = pw.CharField(choices=pairs(vocab.INDUSTRIES), verbose_name="行业领域")
    teams = pw.IntegerField(null=True, verbose_name="检查组(个)")
    personnel = pw.IntegerField(null=True, verbose_name="出动人次")
    inspected = pw.IntegerField(null=True, verbose_name="检查单位(家次)")
    hazards_found = pw.IntegerField(null=True, verbose_name="发现隐患(处)")
    hazards_rectified = pw.IntegerField(null=True, verbose_name="整改隐患(处)", help_text="不超过发现隐患数")
    penalties = pw.IntegerField(null=True, verbose_name="行政处罚(家)")
    fines = MoneyField(null=True, verbose_name="罚款(元)")
    shutdowns = pw.IntegerField(null=True, verbose_name="关闭取缔(家)")

    class Meta:
        title = "专项整治"
        sheet = "专项整治"
        section = "隐患整治"


# ---- 督查

class Inspection(Record):
    date = pw.DateField(null=True, verbose_name="日期")
    team = pw.CharField(default="", verbose_name="督查组")
    leader = pw.CharField(default="", verbose_name="带队领导")
    kind = pw.CharField(choices=pairs(vocab.INSPECTION_KINDS), verbose_name="类型")
    target = pw.ForeignKeyField(Unit, on_delete="RESTRICT", verbose_name="被督查单位")
    focus = pw.CharField(null=True, choices=pairs(vocab.INSPECTION_FOCUS), verbose_name="督查重点")
    problems_found = pw.IntegerField(null=True, verbose_name="发现问题(个)")
    problems = pw.TextField(default="", verbose_name="问题描述")
    requests = pw.TextField(default="", verbose_name="整改要求")
    problems_rectified = pw.IntegerField(null=True, verbose_name="已整改(个)", help_text="不超过发现问题数")

    class Meta:
        title = "督查"
        sheet = "督查"
        section = "督查"
        indexes = ((("campaign", "target"), False),)


# ---- 补充说明

class Note(BaseModel):
    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE")
    section = pw.CharField(choices=pairs(vocab.NOTE_SECTIONS), verbose_name="部分")
    order = pw.IntegerField(default=0, verbose_name="顺序")
    text = pw.TextField(verbose_name="内容")
    sub_region = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT", verbose_name="所属下级地区",
                                    help_text=SUB_REGION_HELP)

    class Meta:
        title = "补充说明"
        sheet = None
        section = None


# ---- 活动图片: photos of events, meetings, trainings and inspections (schema step 6)

class PhotoImage(BaseModel):
    """A photo's pixels, downscaled to print size and stored as JPEG (exchange/photo_reading.py). Kept by content
    (sha256) and outside the change history, so that undoing the deletion of a photo or of its record finds them
    again; a Photo row says where and how an image is used."""

    sha256 = pw.CharField(unique=True)
    data = pw.BlobField()
    width = pw.IntegerField(verbose_name="宽(像素)")
    height = pw.IntegerField(verbose_name="高(像素)")

    class Meta:
        title = "图片数据"


class Photo(BaseModel):
    """A photo attached to one record (exactly one of event / meeting / training / inspection); its year is its
    record's. Deleting the record deletes its photos (ON DELETE CASCADE; services/photos.py logs them first so
    undo brings them back)."""

    event = pw.ForeignKeyField(Event, null=True, on_delete="CASCADE", verbose_name="宣传活动")
    meeting = pw.ForeignKeyField(Meeting, null=True, on_delete="CASCADE", verbose_name="会议部署")
    training = pw.ForeignKeyField(Training, null=True, on_delete="CASCADE", verbose_name="培训")
    inspection = pw.ForeignKeyField(Inspection, null=True, on_delete="CASCADE", verbose_name="督查")
    image = pw.ForeignKeyField(PhotoImage, on_delete="RESTRICT")
    caption = pw.TextField(default="", verbose_name="图片说明", help_text="不填则按记录自动生成,如 6月16日,县应急管理局在县城广场举办安全宣传咨询日")
    include = pw.BooleanField(default=True, verbose_name="选入总结")
    order = pw.IntegerField(default=0, verbose_name="顺序")
    file_name = pw.CharField(default="", verbose_name="原文件名")
    added_at = pw.DateTimeField(default=dt.datetime.now, verbose_name="添加时间")

    class Meta:
        title = "活动图片"
        constraints = [pw.SQL('CHECK ((("event_id" IS NOT NULL) + ("meeting_id" IS NOT NULL) + ("training_id" IS NOT NULL)'
                              ' + ("inspection_id" IS NOT NULL)) = 1)')]


# Record types that can carry photos, and the Photo column naming each.
PHOTO_OWNERS = {Event: "event", Meeting: "meeting", Training: "training", Inspection: "inspection"}


# ---- bookkeeping

class ChangeLog(BaseModel):
    """One create / update / delete made through the services, with the values before and after (JSON)."""

    at = pw.DateTimeField(default=dt.datetime.now, index=True, verbose_name="时间")
    group = pw.CharField(index=True)  # one user action (a paste, an import) may change many records
    table = pw.CharField(verbose_name="记录类型")
    record_id = pw.IntegerField(verbose_name="记录编号")
    action = pw.CharField(verbose_name="操作")  # create / update / delete
    before = pw.TextField(null=True)
    after = pw.TextField(null=True)

    class Meta:
        title = "修改记录"
        indexes = ((("table", "record_id"), False),)


class AppSetting(BaseModel):
    """Settings that belong to this database (e.g. the clerk's own report template)."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField(default="")


# The record types of the five data-entry tabs, in the order of the report.
RECORD_MODELS: tuple[type[BaseModel], ...] = (
    Instruction, Meeting, Document, Body,
    Training,
    Material, Media, Event,
    Hazard, CampaignAction,
    Inspection,
)
# Record types that carry a reporting unit (填报单位): required on UnitRecord, optional (blank = 本级) on 组织领导's.
UNIT_RECORD_MODELS = tuple(m for m in RECORD_MODELS if "unit" in m._meta.fields)
# Record types exchanged through the workbook, in its sheet order.
SHEET_MODELS = tuple(m for m in RECORD_MODELS if m._meta.sheet)
ALL_MODELS = (Campaign, Unit, UnitAlias, ImportBatch, RosterEntry, TemplateIssue, FileReceipt, *RECORD_MODELS, Note,
              ChangeLog, AppSetting, PhotoImage, Photo, SubRegionPackage)

_HIDDEN = {"id", "campaign", "import_batch", "norm", "parent", "sub_region"}


def user_fields(model) -> list[pw.Field]:
    """The fields a person sees and edits, in display order (notes last); the basis of every generated face."""
    fields = [f for f in model._meta.sorted_fields if f.name not in _HIDDEN]
    notes = [f for f in fields if f.name == "notes"]
    return [f for f in fields if f.name != "notes"] + notes


def model_by_table(table: str):
    """The model whose table is `table` (change history stores table names)."""
    for m in ALL_MODELS:
        if m._meta.table_name == table:
            return m
    raise KeyError(table)


def model_by_sheet(sheet: str):
    """The record model exchanged on sheet `sheet`, or None."""
    for m in SHEET_MODELS:
        if m._meta.sheet == sheet:
            return m
    return None
