"""Choice lists (vocabularies) of DATA.md and the built-in table of campaign themes.

These strings are stored in the database as they are and appear verbatim in forms, dropdowns, Excel
headers and the report; renaming one is a data migration.
"""

UNIT_KINDS = ("街道/乡镇", "区级部门", "企业", "学校", "其他", "下级地区")
SUB_REGION = "下级地区"  # a district (city, …) whose 上报数据包 was imported: services/rollup.py

MEETING_KINDS = ("启动仪式", "部署会", "协调会", "调度会", "专题学习", "其他")

TRAINING_CATEGORIES = (
    "特种作业人员培训",
    "职业卫生管理人员培训",
    "主要负责人和安全管理人员培训",
    "建筑施工安全培训",
    "公开课/讲座",
    "以会代训",
    "其他",
)

MATERIAL_KINDS = ("宣传挂图", "口袋书/手册", "宣传单/折页", "宣传品/纪念品", "展板", "横幅标语", "警示片/光盘", "其他")
MEASURES = ("套", "本", "册", "份", "件", "个", "块", "条", "幅", "张")
# The measure a material of each kind is counted in when the clerk leaves 计量单位 blank.
DEFAULT_MEASURE = {
    "宣传挂图": "套",
    "口袋书/手册": "本",
    "宣传单/折页": "份",
    "宣传品/纪念品": "件",
    "展板": "块",
    "横幅标语": "条",
    "警示片/光盘": "张",
    "其他": "件",
}

MEDIA_CHANNELS = ("微信", "微博", "网站", "电视", "广播", "报纸", "LED显示屏", "楼宇/营业场所终端", "短信", "网络直播", "其他")

EVENT_KINDS = (
    "启动仪式",
    "安全宣传咨询日",
    '安全宣传"五进"',
    "应急演练",
    "警示教育",
    "知识竞赛",
    "文艺演出",
    "有奖竞猜",
    "承诺签名",
    "体验演示",
    "主题宣讲",
    "其他",
)
CONSULT_DAY = "安全宣传咨询日"
DRILL = "应急演练"

INDUSTRIES = (
    "建筑施工",
    "危险化学品",
    "烟花爆竹",
    "特种设备",
    "工贸/中小企业",
    "消防/人员密集场所",
    "燃气",
    "道路交通",
    "其他",
)
HAZARD_SOURCES = ("自查", "专项检查", "执法检查", "督查", "举报")
HAZARD_LEVELS = ("一般", "重大")
MAJOR = "重大"
HAZARD_STATUSES = ("待整改", "整改中", "已整改")
RECTIFIED = "已整改"

INSPECTION_KINDS = ("综合督查", "专项督查", "暗访", "复查")
INSPECTION_FOCUS = ("活动开展情况", "党政同责一岗双责落实", "隐患排查治理", "其他")

CAMPAIGN_LEVELS = ("区县", "市", "省")  # what the office is (a city rolls up districts)

NOTE_SECTIONS = ("开头", "组织领导", "宣传培训", "隐患整治", "督查", "下一步")

# The 1st Safety Production Month was held in 2002.
FIRST_YEAR = 2002

THEMES = {
    2014: "强化红线意识,促进安全发展",
    2015: "加强安全法治,保障安全生产",
    2016: "强化安全发展观念,提升全民安全素质",
    2017: "全面落实企业安全生产主体责任",
    2018: "生命至上,安全发展",
    2019: "防风险、除隐患、遏事故",
    2020: "消除事故隐患,筑牢安全防线",
    2021: "落实安全责任,推动安全发展",
    2022: "遵守安全生产法,当好第一责任人",
    2023: "人人讲安全、个个会应急",
    2024: "人人讲安全、个个会应急——畅通生命通道",
    2025: "人人讲安全、个个会应急——查找身边安全隐患",
}


def ordinal_for_year(year: int) -> int:
    """第几个安全生产月 a June of `year` is (2002 was the 1st)."""
    return year - (FIRST_YEAR - 1)


def theme_for_year(year: int) -> str:
    """The national theme of `year`, or '' for years the built-in table does not know."""
    return THEMES.get(year, "")


def pairs(values) -> list[tuple[str, str]]:
    """A vocabulary as peewee `choices` (value, display) pairs."""
    return [(v, v) for v in values]
