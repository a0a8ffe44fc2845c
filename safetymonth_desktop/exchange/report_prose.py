"""Small phrasing helpers for the 活动总结: how lists, titles, 文号 and the clerk's free text are joined
into sentences of official register, and how the choice vocabularies read inside a sentence.

Only wording lives here; figures are phrased by `services.numbers` and come from the indicator registry.
Every helper that takes a count returns '' for 0 or None, so no sentence can boast a zero ("培训0人次").
"""

from __future__ import annotations

import re

from safetymonth_desktop.services import numbers

# How a choice reads inside a sentence (the vocabulary strings carry slashes meant for forms).
TRAINING_NOUN = {
    "特种作业人员培训": "特种作业人员培训",
    "职业卫生管理人员培训": "职业卫生管理人员培训",
    "主要负责人和安全管理人员培训": "主要负责人和安全管理人员培训",
    "建筑施工安全培训": "建筑施工安全培训",
    "公开课/讲座": "安全公开课和专题讲座",
    "以会代训": "以会代训活动",
    "其他": "其他安全培训",
}
MATERIAL_NOUN = {
    "宣传挂图": "宣传挂图",
    "口袋书/手册": "口袋书和手册",
    "宣传单/折页": "宣传单和折页",
    "宣传品/纪念品": "宣传品和纪念品",
    "展板": "宣传展板",
    "横幅标语": "横幅标语",
    "警示片/光盘": "警示片光盘",
    "其他": "其他宣传资料",
}
CHANNEL_NOUN = {
    "微信": "微信", "微博": "微博", "网站": "网站", "电视": "电视", "广播": "广播", "报纸": "报纸",
    "LED显示屏": "户外LED显示屏", "楼宇/营业场所终端": "楼宇和营业场所终端", "短信": "手机短信",
    "网络直播": "网络直播", "其他": "其他媒体",
}
# (verb, measure, default outlet) for one media outlet: "“掌上城南”公众号推送36条".
CHANNEL_VERB = {
    "微信": ("推送", "条", "微信公众号"),
    "微博": ("发布", "条", "政务微博"),
    "网站": ("发布", "篇", "政府网站"),
    "电视": ("播出", "次", "电视台"),
    "广播": ("播出", "次", "广播电台"),
    "报纸": ("刊发", "篇", "报纸"),
    "LED显示屏": ("滚动播放", "条", "户外LED显示屏"),
    "楼宇/营业场所终端": ("播放", "条", "楼宇和营业场所终端"),
    "短信": ("发送", "条", "手机短信"),
    "网络直播": ("开展直播", "场", "网络平台"),
    "其他": ("发布", "条", "其他媒体"),
}
INDUSTRY_NOUN = {
    "建筑施工": "建筑施工", "危险化学品": "危险化学品", "烟花爆竹": "烟花爆竹", "特种设备": "特种设备",
    "工贸/中小企业": "工贸和中小企业", "消防/人员密集场所": "人员密集场所消防", "燃气": "燃气",
    "道路交通": "道路交通", "其他": "其他行业",
}
FOCUS_NOUN = {
    "活动开展情况": "安全生产月活动开展情况",
    "党政同责一岗双责落实": "“党政同责、一岗双责”落实情况",
    "隐患排查治理": "隐患排查治理情况",
}
EVENT_VERB = {"启动仪式": "举行", "知识竞赛": "举办", "文艺演出": "举办", "主题宣讲": "开展", "警示教育": "开展"}
MEETING_VERB = {"启动仪式": "举行"}
# Verbs of the clerk's quoted instructions, varied so three leaders in a row do not all "强调".
SPEECH_VERBS = ("强调", "要求", "指出", "提出")

_END_PUNCT = "。.;\uff1b,\uff0c、:\uff1a!\uff01?\uff1f \u3000\t\r\n"


_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》]"
_HALF_PUNCT = re.compile(rf"(?<={_CJK})\s*([,;:!?])\s*(?={_CJK})")
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def print_punctuation(text: str) -> str:
    """Half-width , ; : ! ? between Chinese characters as the full-width marks a printed document uses
    (the built-in themes are stored as DATA.md spells them: '落实安全责任,推动安全发展')."""
    return _HALF_PUNCT.sub(lambda mt: _FULL[mt.group(1)], text or "")


def strip_end(text: str | None) -> str:
    """The clerk's text without its trailing punctuation, so our own can follow it."""
    return (text or "").strip().rstrip(_END_PUNCT)


def sentence(*parts: str) -> str:
    """Join non-empty clauses with ',' and close with '。' ('' when every part is empty)."""
    body = "，".join(p for p in (strip_end(p) for p in parts) if p)
    return f"{body}。" if body else ""


def join(items, sep: str = "、") -> str:
    return sep.join(i for i in items if i)


def series(items, *, limit: int = 0) -> str:
    """'A、B和C'； with a limit， 'A、B、C等' when more items were left off."""
    items = [i for i in items if i]
    if limit and len(items) > limit:
        return "、".join(items[:limit]) + "等"
    if len(items) <= 2:
        return "和".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def etc(text: str) -> str:
    """'A、B' → 'A、B等' （once： a list already cut short ends in 等）."""
    return text if text.endswith("等") else f"{text}等"


def names(items, *, limit: int = 6, noun: str = "个单位") -> str:
    """Unit names for a sentence： 'A、B、C' or 'A、B、C等8个单位' when there are more than `limit`."""
    items = list(dict.fromkeys(i for i in items if i))
    if len(items) > limit:
        return "、".join(items[:limit]) + f"等{len(items)}{noun}"
    return "、".join(items)


def qty(n, measure: str, before: str = "") -> str:
    """'培训1.2万余人次' for n > 0； '' for 0 or None （a zero is never written as an achievement）."""
    if not n:
        return ""
    return f"{before}{numbers.count_phrase(n)}{measure}"


def money(wan, before: str = "") -> str:
    """An amount given in 万元 （the registry's Decimal） for prose： '投入经费11.21万元'； '' for nothing."""
    if not wan:
        return ""
    return f"{before}{numbers.money_phrase(int(wan * 1_000_000))}"


def money_yuan(yuan, before: str = "") -> str:
    """An amount given in 元 （a record's MoneyField） for prose； '' for nothing."""
    if not yuan:
        return ""
    return f"{before}{numbers.money_phrase(int(yuan * 100))}"


_DOC_YEAR = re.compile(r"[\[【〔(（]\s*(\d{4})\s*[\]】〕)）]")


def doc_no(text: str | None) -> str:
    """A 文号 with the year in 六角括号： '安委办[2021]5号' → '安委办〔2021〕5号'."""
    return _DOC_YEAR.sub(r"〔\1〕", (text or "").strip())


def book_title(title: str | None) -> str:
    """A document title in 书名号； 书名号 inside it become 〈〉 as official style nests them."""
    title = (title or "").strip()
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》" if title else ""


def paragraphs(text: str | None) -> list[str]:
    """The clerk's multi-line text as paragraphs (blank lines dropped, spaces trimmed)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def enumerate_items(items: list[dict], *, always: bool = True) -> list[dict]:
    """Give each present paragraph its 一是/二是… label in order, so a skipped item leaves no gap.

    With `always=False` a single paragraph gets no label ('一是' alone reads oddly)."""
    items = [i for i in items if i]
    numbered = always or len(items) > 1
    for n, item in enumerate(items, start=1):
        item["enum"] = numbers.enumeration(n) if numbered else ""
    return items
