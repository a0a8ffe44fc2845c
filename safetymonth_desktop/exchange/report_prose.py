"""Small phrasing helpers for the 活动总结: how lists, titles, 文号 and the clerk's free text are joined
into sentences of official register, and how the choice vocabularies read inside a sentence.

Only wording lives here; figures are phrased by `services.numbers` and come from the indicator registry.
Every helper that takes a count returns '' for 0 or None, so no sentence can boast a zero ("培训0人次").
"""

from __future__ import annotations

import functools
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

# ---------------------------------------------------------------------------------------------- punctuation

_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。", "(": "（", ")": "）"}
_OPEN, _CLOSE = "(\uff08", ")\uff09"
# Spans typed in Latin script that keep their marks whatever surrounds them.
_PROTECTED = re.compile(r"(?:https?://|ftp://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff“”‘’《》]+"
                        r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def is_chinese(ch: str | None) -> bool:
    """A Han character or a full-width mark (“”《》，。…): what makes the marks around it Chinese."""
    if not ch:
        return False
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or ch in "“”‘’《》〈〉…—·")


def _neighbour(chars: list[str], i: int, step: int) -> str | None:
    """The nearest character from i in direction `step` that is not a space (None at either end)."""
    i += step
    while 0 <= i < len(chars) and chars[i] in " \t":
        i += step
    return chars[i] if 0 <= i < len(chars) else None


# The marks punctuate() may change (or whose padding spaces it may drop): text without any is returned as it is.
_MARKS = re.compile(r"[,;:!?.()\uff08\uff09]")


def punctuate(text: str | None) -> str:
    """The clerk's text with Chinese punctuation in Chinese context: , : ; ! ? ( ) next to Chinese become
    ，：；！？（）, and a full stop after Chinese at the end of a sentence becomes 。. Numbers, dates, times and
    Latin runs keep their marks as typed ('3.5万', '2021-6-16', '10:30', 'A,B', 'f(x)'), and so do web and mail
    addresses. Spaces around a mark that became full-width are dropped ('责任 , 抓好' → '责任，抓好')."""
    text = text or ""
    if not text or not _MARKS.search(text):
        return text
    kept: list[str] = []

    def hide(match: re.Match) -> str:
        kept.append(match.group(0))
        return "\ue100"

    chars = list(_PROTECTED.sub(hide, text))
    full = [False] * len(chars)
    # Brackets first, as pairs: a pair is Chinese when what it holds or what stands around it is.
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(chars):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            pairs.append((stack.pop(), i))
    paired = {i for pair in pairs for i in pair}
    for a, b in pairs:
        inside = chars[a + 1:b]
        if (is_chinese(_neighbour(chars, a, -1)) or is_chinese(_neighbour(chars, b, 1))
                or any(is_chinese(c) for c in inside) or "\uff08" in (chars[a], chars[b])):
            full[a] = full[b] = True
    for i, ch in enumerate(chars):
        if ch in "()" and i not in paired:
            full[i] = is_chinese(_neighbour(chars, i, -1)) or is_chinese(_neighbour(chars, i, 1))
        elif ch in ",;:!?":
            left, right = _neighbour(chars, i, -1), _neighbour(chars, i, 1)
            full[i] = is_chinese(left) or is_chinese(right)
        elif ch == ".":
            left, right = _neighbour(chars, i, -1), _neighbour(chars, i, 1)
            # '整改到位.' → '。'; a decimal, an ellipsis '...' or 'No.5' is left alone
            full[i] = is_chinese(left) and left not in "。." and (right is None or is_chinese(right) or right == "\n") \
                and (i + 1 >= len(chars) or chars[i + 1] != ".")
    out: list[str] = []
    for i, ch in enumerate(chars):
        if ch in " \t" and ((_next_full(chars, full, i, 1)) or (_next_full(chars, full, i, -1))):
            continue  # a space that only pads a mark now full-width
        out.append(_FULL.get(ch, ch) if full[i] else ch)
    result = "".join(out)
    for original in kept:
        result = result.replace("\ue100", original, 1)
    return result


def _next_full(chars, full, i, step) -> bool:
    """Whether the space at i only stands between a full-width mark and the text (the run of spaces touches it)."""
    j = i
    while 0 <= j < len(chars) and chars[j] in " \t":
        j += step
    return 0 <= j < len(chars) and full[j]


def print_punctuation(text: str) -> str:
    """Kept for the theme: the same as `punctuate` (the built-in themes are stored as DATA.md spells them:
    '落实安全责任,推动安全发展')."""
    return punctuate(text)


# A pack note in a material's name, '安全生产月宣传挂图(8张/套)': the prose gives the count in its own measure.
_PACK_NOTE = re.compile(r"\s*[（(]\s*(?:每套|每本)?\s*\d+\s*[张幅页个份本册件]\s*/\s*[套本册份组]\s*[)）]")


@functools.lru_cache(maxsize=4096)  # a year's records repeat their places, hosts and titles: each worded once
def clerk(text: str | None) -> str:
    """The clerk's text for the middle of one of our sentences: Chinese punctuation, no trailing mark, no pack
    notes like '(8张/套)'."""
    return strip_end(punctuate(_PACK_NOTE.sub("", text or "")))


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


# ---------------------------------------------------------------------------------------------- grouping

def about(n, measure: str, before: str = "") -> str:
    """A paragraph's total as the prose rounds it ('共排查隐患近1700处'); '' for 0 or None."""
    if not n:
        return ""
    return f"{before}{numbers.approx_phrase(n)}{measure}"


_KIND_NOUN = {"区级部门": "个部门", "企业": "家企业", "学校": "所学校"}


def _local_group(names: list[str], full: dict[str, str] | None = None) -> str:
    """Streets and towns as a reader counts them: '5个街道和青石镇', '城关街道、东湖街道'. `full`: a name as said →
    the registered name, which says whether it is a street or a town (a 简称 like '城关' may not)."""
    full = full or {}
    streets = [n for n in names if full.get(n, n).endswith(("街道", "街道办事处"))]
    towns = [n for n in names if n not in streets]
    parts = []
    for group, noun in ((streets, "个街道"),
                        (towns, "个乡镇" if any(full.get(t, t).endswith("乡") for t in towns) else "个镇")):
        if len(group) >= 3:
            parts.append(f"{len(group)}{noun}")
        elif group:
            parts.append("、".join(group))
    return "和".join(parts)


def unit_phrase(units, *, limit: int = 4) -> str:
    """Units for a sentence, in the order given: their names when there are at most `limit`; otherwise streets and
    towns counted ('5个街道和青石镇') and the rest named or counted by kind ('区应急管理局等7个部门').
    `units`: Unit objects (or anything with .name and .kind); duplicates are told once."""
    seen: dict[str, str] = {}
    full: dict[str, str] = {}
    for u in units:
        if u is not None and u.name not in seen:
            seen[u.name] = u.kind
            full[u.name] = getattr(u, "full_name", u.name)
    if len(seen) <= limit:
        return "、".join(seen)
    local = [n for n, k in seen.items() if k == "街道/乡镇"]
    others = [n for n, k in seen.items() if k != "街道/乡镇"]
    parts = [_local_group(local, full)] if local else []
    if len(others) > (limit if not local else 2):
        kinds = {seen[n] for n in others}
        noun = _KIND_NOUN.get(kinds.pop(), "个单位") if len(kinds) == 1 else "个单位"
        parts.append(f"{others[0]}等{len(others)}{noun}")
    elif others:
        parts.append("、".join(others))
    return "及".join(p for p in parts if p)


def respectively(subjects, verb: str, objects, *, tail: str = "", limit: int = 4) -> str:
    """Several units each doing their own thing, in one clause: 'A、B和C分别开展X、Y和Z{tail}'; with more than
    `limit` pairs the first `limit` and '等'. One unit: 'A开展X、Y{tail}'. Pairs are kept in the order given."""
    pairs = [(s, o) for s, o in zip(subjects, objects) if o]
    if not pairs:
        return ""
    if len({o for _, o in pairs}) == 1:  # all did the same thing: no '分别', and no '等' after one thing
        who = list(dict.fromkeys(s for s, _ in pairs))
        return f"{names(who, limit=limit)}{verb}{pairs[0][1]}{tail[1:] if tail.startswith('等') else tail}"
    more = len(pairs) > limit
    if any("会同" in s or s.endswith("联合") for s, _ in pairs):  # 'A会同B和C分别…' would pair them wrongly
        own = tail[1:] if tail.startswith("等") else tail
        return "，".join(f"{s}{verb}{o}{own}" for s, o in pairs[:limit]) + ("等" if more else "")
    if more and tail.startswith("等"):
        tail = tail[1:]
    pairs = pairs[:limit]
    who = list(dict.fromkeys(s for s, _ in pairs))
    what = [o for _, o in pairs]
    if len(who) == 1:
        return f"{who[0]}{verb}{series(what)}{'等' if more else ''}{tail}"
    if len(who) < len(pairs):  # one unit did two of them: no '分别' that would pair them wrongly
        return f"{series(who)}{verb}{series(what)}{'等' if more else ''}{tail}"
    return f"{series(who)}分别{verb}{series(what)}{'等' if more else ''}{tail}"


def strip_suffix(text: str, *suffixes: str) -> str:
    """`text` without the first of `suffixes` it ends with (never down to nothing)."""
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def without_owner(text: str, owner) -> str:
    """A record's title without its unit's name in front ('白沙镇安全手册' of 白沙镇 → '安全手册'), so that the
    sentence naming the unit does not say it twice and the same item of several units reads as one. `owner`: a name,
    or a unit whose 简称 and full name are both tried."""
    names = (owner,) if isinstance(owner, str) or owner is None else (owner.name, getattr(owner, "full_name", ""))
    for name in sorted((n for n in names if n), key=len, reverse=True):
        if text.startswith(name) and len(text) - len(name) >= 2:
            return text[len(name):].lstrip("的")
    return text
