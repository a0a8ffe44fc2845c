"""The variable reference (变量说明) shipped next to the default template: every key of the report context
with what it holds, generated from `report_context.build_context` itself, the indicator registry and
the models' Chinese field labels, so it cannot drift from what a template really receives.

`key_paths(context)` lists the keys of a context (lists as `name[]`, their items' keys as `name[].key`);
`markdown()` writes the reference; a test checks the committed file is what `markdown()` gives and that
every key of a demo context and of an empty context is described.
"""

from __future__ import annotations

import re

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import indicators

# Dicts whose keys are data (类别, 渠道, 行业) or filled by later features: described as a whole.
OPAQUE = ("yoy",)

# Lists of records: their items carry every user field of the model (a unit as its name).
RECORD_LISTS = {
    "org.instructions[]": m.Instruction,
    "org.bodies[]": m.Body,
    "org.meetings[]": m.Meeting,
    "org.documents[]": m.Document,
    "publicity.materials.records[]": m.Material,
    "publicity.consult_day.main": m.Event,
    "publicity.consult_day.events[]": m.Event,
    "publicity.events[]": m.Event,
    "publicity.drills[]": m.Event,
    "hazards.actions[]": m.CampaignAction,
    "supervision.inspections[]": m.Inspection,
}

PARAGRAPH = {
    "": "段落列表，每段一个字典；编号已按实际存在的段落连续排好（不会跳号）",
    ".key": "段落代码（如 instructions、meetings）",
    ".enum": "段内序号“一是”“二是”……（只有一段时可能为空）",
    ".lead": "段首引语（如“领导高度重视”），模板中加粗并接“。”",
    ".text": "段落正文（按默认措辞写好的句子，数字已按公文习惯表述）",
}

DESCRIPTIONS = {
    "version": "上下文版本号（结构变化时递增）",
    "title": "总结标题：{地区}{年度}年“安全生产月”活动总结",
    "region": "地区名称（活动年度设置）",
    "subject": "句子主语：地区名称；未填写时为“本地区”",
    "year": "年度（整数）",
    "ordinal": "第几个安全生产月（整数）",
    "ordinal_phrase": "如“第20个”",
    "theme": "活动主题",
    "organizer": "主办单位（年度设置）；落款用 signer",
    "month_phrase": "活动时间的说法，如“6月”或“6月5日至7月5日”",
    "start_date": "开始日期，如“2021年6月1日”",
    "end_date": "结束日期",
    "consult_day": "咨询日（活动年度设置）",
    "today": "同 report_date（早期模板使用的名称）",
    "report_date": "成文日期，如“2021年7月10日”：落款日期，“截至”和逾期隐患均按这一天统计（年度设置未填时，当年为生成当天，往年为7月10日）",
    "report_date_source": "成文日期从何而来：set（年度设置中填写）、today（当年，取生成当天）、past_default（往年，默认7月10日）",
    "recipient": "主送机关（年度设置），未填写时为空；默认模板写在标题下一行，顶格，后加全角冒号",
    "signer": "落款机关全称：年度设置中的落款机关；未填时为 地区名称+主办单位（如“城南区政府安委会”）；都未填时为空",
    "annexes[]": "附件说明（正文之后、落款之前），每个附件一项；没有附件时为空列表",
    "annexes[].number": "附件序号“1.”“2.”；只有一个附件时为空",
    "annexes[].title": "附件名称（与附件页的标题相同）",
    "annexes[].first": "是否第一项（第一项前写“附件：”）",
    "figures": "全部指标的精确值，按指标代码分层：figures.training.sessions；金额为万元两位小数的字符串，整改率为一位小数的数（无隐患时为空）",
    "phrases": "全部指标的行文说法，分层同 figures：如 8.7万余、11.21万元、93.9%；数值为0时为空字符串",
    "opening": "开头部分",
    "opening.text": "开头一段：第N个安全生产月、主题、目的",
    "opening.notes[]": "“开头”部分的补充说明，每项一段",
    "org": "一、组织领导",
    "org.number": "本部分的标题序号（如“一、”），按实际存在的部分连续编号；本部分无内容时为空",
    "org.paragraphs[]": PARAGRAPH[""],
    "org.instructions[]": "领导重视记录",
    "org.bodies[]": "组织机构记录",
    "org.meetings[]": "会议部署记录（按日期排序）",
    "org.documents[]": "印发文件记录（文号已统一为〔〕）",
    "org.documents[].citation": "引用写法：《标题》（文号）",
    "org.notes[]": "“组织领导”部分的补充说明，每项一段",
    "publicity": "二、宣传教育",
    "publicity.number": "本部分的标题序号",
    "publicity.subsections[]": "小节列表（（一）培训 （二）宣传品 （三）媒体 （四）群众性活动），无内容的小节不列出",
    "publicity.subsections[].key": "小节代码：training、materials、media、events",
    "publicity.subsections[].number": "小节序号“（一）”……，连续编号",
    "publicity.subsections[].title": "小节标题",
    "publicity.subsections[].paragraphs[]": PARAGRAPH[""],
    "publicity.closing": "本部分结尾一段：累计受教育群众",
    "publicity.training": "培训分组",
    "publicity.training.by_category[]": "按培训类别汇总",
    "publicity.training.by_category[].category": "培训类别",
    "publicity.training.by_category[].noun": "类别在句子中的说法",
    "publicity.training.by_category[].sessions": "期（场）数",
    "publicity.training.by_category[].participants": "参训人次",
    "publicity.training.by_category[].organizers[]": "举办单位名称",
    "publicity.training.by_organizer[]": "按举办单位汇总",
    "publicity.training.by_organizer[].unit": "举办单位",
    "publicity.training.by_organizer[].sessions": "期（场）数",
    "publicity.training.by_organizer[].participants": "参训人次",
    "publicity.training.by_organizer[].categories[]": "该单位举办的培训类别",
    "publicity.materials": "宣传品分组",
    "publicity.materials.by_measure[]": "按类别和计量单位汇总",
    "publicity.materials.by_measure[].kind": "类别",
    "publicity.materials.by_measure[].noun": "类别在句子中的说法",
    "publicity.materials.by_measure[].measure": "计量单位",
    "publicity.materials.by_measure[].quantity": "数量",
    "publicity.materials.records[]": "宣传品记录（按数量从多到少）",
    "publicity.media": "媒体宣传分组",
    "publicity.media.outlets[]": "按渠道和媒体/账号汇总",
    "publicity.media.outlets[].channel": "渠道",
    "publicity.media.outlets[].outlet": "媒体/账号名称",
    "publicity.media.outlets[].items": "条（篇/次）数",
    "publicity.media.outlets[].phrase": "句子说法，如“《城南报》刊发8篇”",
    "publicity.media.channels[]": "用到的渠道（句子中的说法）",
    "publicity.consult_day": "安全宣传咨询日",
    "publicity.consult_day.date": "咨询日日期（主场活动的日期，否则为活动年度设置的咨询日）",
    "publicity.consult_day.main": "主场活动（参与人次最多的一场）；没有咨询日活动时为空字典",
    "publicity.consult_day.events[]": "全部咨询日活动",
    "publicity.events[]": "其他宣传活动（不含咨询日和应急演练）",
    "publicity.drills[]": "应急演练",
    "publicity.notes[]": "“宣传培训”部分的补充说明中未能并入段落的（只在本部分没有其他内容时出现），每项一段；"
                         "其余已按内容并入培训、宣传品、媒体、活动各段或“据统计”一段之前",
    "hazards": "三、隐患排查整治",
    "hazards.number": "本部分的标题序号",
    "hazards.intro": "本部分第一段：重点行业领域（按隐患多少排序），排查总数及来源（专项行动、日常台账），重大、整改、整改率、资金、逾期",
    "hazards.paragraphs[]": PARAGRAPH[""],
    "hazards.by_industry[]": "分行业领域排查整改（台账 + 专项整治），只含有隐患的行业",
    "hazards.by_industry[].industry": "行业领域",
    "hazards.by_industry[].noun": "行业在句子中的说法",
    "hazards.by_industry[].found": "排查隐患（处）",
    "hazards.by_industry[].rectified": "已整改（处）",
    "hazards.sources": "排查隐患的来源（二者之和即 figures.hazards.found）",
    "hazards.sources.actions": "专项整治报告的发现隐患（处）",
    "hazards.sources.ledger": "隐患台账登记的隐患（处）",
    "hazards.actions[]": "专项整治记录（按行业领域排序）",
    "hazards.notes[]": "“隐患整治”部分的补充说明，每项一段",
    "supervision": "四、督查",
    "supervision.number": "本部分的标题序号",
    "supervision.text": "督查一段：方式、次数、带队、对象、重点、问题和整改要求",
    "supervision.inspections[]": "督查记录（按日期排序）",
    "supervision.inspections[].target": "被督查单位名称",
    "supervision.notes[]": "“督查”部分的补充说明，每项一段",
    "next": "下一步工作",
    "next.number": "本部分的标题序号",
    "next.paragraphs[]": "活动年度设置中“下一步工作”的各段",
    "next.notes[]": "“下一步”部分的补充说明，每项一段",
    "has_org": "有组织领导内容（否则整个部分不出现）",
    "has_instructions": "有领导重视记录",
    "has_body": "有组织机构记录",
    "has_meetings": "有会议部署记录",
    "has_documents": "有印发文件记录",
    "has_publicity": "有宣传教育内容",
    "has_training": "有培训（期数不为0）",
    "has_materials": "有宣传品（数量不为0）",
    "has_media": "有媒体宣传（条数不为0）",
    "has_consult_day": "有咨询日活动",
    "has_events": "有其他宣传活动",
    "has_drills": "有应急演练",
    "has_hazards": "有隐患排查整治内容",
    "has_actions": "有专项整治记录",
    "has_enforcement": "有执法检查数字（出动人员、检查单位、处罚、罚款或关闭取缔）",
    "has_supervision": "有督查内容",
    "has_next_steps": "有下一步工作内容",
    "appendix": "附件：统计表",
    "appendix.label": "统计表的附件标注：只有这一个附件时为“附件”，否则为“附件1”",
    "appendix.title": "统计表标题",
    "appendix.rows[]": "统计表各行（指标目录顺序）",
    "appendix.rows[].category": "类别（同一类别只在第一行写出）",
    "appendix.rows[].key": "指标代码",
    "appendix.rows[].label": "指标名称（分项写作“名称：分项”）",
    "appendix.rows[].measure": "计量单位",
    "appendix.rows[].value": "数值（文字；无法计算时为“—”）",
    "has_appendix": "有可以列表的数字（附件出现）",
    "yoy": "同比变化（数据库中有上一年度时）：previous_year 为上一年度，其余分层同 figures，值如“同比增长12.5%”、"
           "整改率“同比提高2.5个百分点”；没有上一年度时为空字典。默认措辞只在变化明显时（增减5%以上，整改率2个百分点以上）"
           "在培训人次、受教育群众、排查隐患和整改率处写入同比",
    "charts[]": "统计图（只含有数据的图）；生成总结时由软件绘制图片填入，命令行使用 --no-charts 时为空列表",
    "charts[].key": "图的代码：training（各类培训参训人次）、materials（各类宣传品经费）、hazards（分行业隐患排查整改）",
    "charts[].number": "图号：“图1”“图2”……",
    "charts[].title": "图题，如“2021年分行业领域隐患排查整改情况”",
    "charts[].note": "图题下的说明；通常为空",
    "charts[].image": "图片（宽15厘米，嵌入式），单独成段：{{ c.image }}",
    "has_charts": "有统计图图片（附件统计图出现）",
    "chart_appendix": "附件：统计图",
    "chart_appendix.label": "统计图的附件标注：只有这一个附件时为“附件”，否则按顺序为“附件1”或“附件2”",
    "chart_appendix.title": "统计图标题",
    "photos[]": "活动图片（在各条记录的“活动图片”中勾选“选入总结”的图片，按记录日期排列）；生成总结时填入图片，未选图片时为空列表",
    "photos[].key": "图片的编号（内部使用）",
    "photos[].number": "图号：“图1”“图2”……",
    "photos[].caption": "图片说明：录入时填写的说明；未填写时按记录生成，如“6月16日，县应急管理局在县城广场举办安全宣传咨询日”",
    "photos[].new_page": "是否另起一页（每页两张：第3、5、7……张为真）",
    "photos[].image": "图片（嵌入式，按版心大小缩放，每页两张），单独成段：{{ p.image }}",
    "has_photos": "有选入总结的活动图片（附件活动图片出现）",
    "photo_appendix": "附件：活动图片",
    "photo_appendix.label": "活动图片的附件标注：只有这一个附件时为“附件”，否则按顺序为“附件2”或“附件3”（总在最后）",
    "photo_appendix.title": "活动图片附件的标题，如“城南区2021年“安全生产月”活动图片”",
}


def _is_data_dict(value: dict) -> bool:
    return bool(value) and not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(k)) for k in value)


def key_paths(context: dict) -> set[str]:
    """Every key path of a context, figures/phrases excepted (their keys are the registry's)."""
    out: set[str] = set()

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            if path:
                out.add(path)
            if path in OPAQUE or path in ("figures", "phrases") or _is_data_dict(value):
                return
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            out.add(f"{path}[]")
            merged: dict = {}
            for item in value:
                if isinstance(item, dict):
                    for key, v in item.items():
                        merged.setdefault(key, v)
            for key, item in merged.items():
                walk(item, f"{path}[].{key}")
        else:
            out.add(path)

    walk(context, "")
    return out


def described_paths() -> dict[str, str]:
    """Every documented path with its description, in document order."""
    out = dict(DESCRIPTIONS)
    for prefix, model in RECORD_LISTS.items():
        for field in m.user_fields(model):
            out.setdefault(f"{prefix}.{field.name}", field.verbose_name or field.name)
    for prefix in ("org.paragraphs[]", "hazards.paragraphs[]", "publicity.subsections[].paragraphs[]"):
        for key, text in PARAGRAPH.items():
            if key:
                out.setdefault(prefix + key, text)
    return out


def _indicator_rows() -> list[str]:
    rows = ["| 指标代码 | figures 中的写法 | 名称 | 计量单位 | 计算方法 |", "|---|---|---|---|---|"]
    for ind in indicators.CATALOGUE:
        rows.append(f"| `{ind.key}` | `figures.{ind.key}` / `phrases.{ind.key}` | {ind.label} | {ind.measure} | "
                    f"{ind.description} |")
    return rows


def _limits() -> list[str]:
    """What a custom template may not do (the bounds of docx_safety, template_sandbox and template_worker)."""
    # lazy: start-up (jinja2 and python-docx load only when a template is checked or rendered)
    from safetymonth_desktop.exchange import docx_safety as d
    from safetymonth_desktop.exchange import template_sandbox as s
    from safetymonth_desktop.exchange import template_worker as w

    return [
        f"自定义模板在单独的进程中检查和生成，超出以下限制时软件说明原因并拒绝生成，不写入任何文件：模板文件不超过"
        f" {d.MAX_FILE_BYTES // 1048576} MB，正文、页眉页脚各不超过 {d.MAX_RENDERED_PART_BYTES // 1048576} MB，",
        f"标记合计不超过 {d.MAX_BRACES // 2:,} 个；不能用 `{{% include %}}`、`{{% extends %}}`、`{{% import %}}` 引用其他模板；"
        f"`range()` 最多产生 {s.MAX_RANGE:,} 个数，",
        f"循环和调用合计不超过 {s.MAX_STEPS:,} 次；一次算出的文字不超过 {s.MAX_TEXT:,} 个字符、列表不超过 {s.MAX_ITEMS:,} 项；"
        f"生成时间不超过 {w.TIMEOUT_SECONDS} 秒。",
    ]


def markdown() -> str:
    """The 变量说明 as Markdown."""
    lines = [
        "# 活动总结模板变量说明",
        "",
        "本文件由 `scripts/build_template.py` 根据程序生成，请勿手工修改。",
        "",
        "模板用 docxtpl（Jinja2）语法：`{{ 变量 }}` 输出，`{%p if 条件 %}…{%p endif %}`、`{%p for x in 列表 %}…{%p endfor %}`",
        "控制整段，`{%tr for … %}` 控制表格行。变量名区分大小写；写错或使用本表没有的变量时，软件在生成前列出并拒绝生成，",
        "不会留下空白。文字中的 `&`、`<`、`>`、引号按原样输出。数值为0的项目对应的 `phrases` 为空字符串，`has_…` 为假，",
        "模板应据此略去该句或该段，避免出现“培训0人次”之类的说法。",
        "",
        *_limits(),
        "",
        "## 指标",
        "",
        "`figures.<代码>` 为精确值（金额：万元、两位小数；整改率：百分数、一位小数），`phrases.<代码>` 为行文说法",
        "（1万以上写作“8.7万余”，金额写作“11.21万元”，整改率写作“93.9%”）。分项指标是按类别、渠道或行业为键的字典。",
        "",
        *_indicator_rows(),
        "",
        "## 其他变量",
        "",
        "| 变量 | 说明 |",
        "|---|---|",
    ]
    for path, text in described_paths().items():
        lines.append(f"| `{path}` | {text} |")
    lines.append("")
    return "\n".join(lines)
