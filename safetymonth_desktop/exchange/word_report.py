"""Render the Word 活动总结 from a docxtpl template: check the template, render it in a sandbox, write the
file atomically.

- `check_template(path, context)` refuses a template before anything is written: a Jinja syntax error
  is reported with the text of the offending paragraph; variables the template uses that the context
  lacks are listed (also `org.foo` when `org` exists but has no `foo`).
- Rendering uses `jinja2.sandbox.SandboxedEnvironment` with autoescape, so the clerk's `&`, `<`, `>` and
  quotes come out as typed and a template reaches nothing but its context; an undefined value is an error,
  never an empty placeholder.
- `write_report(campaign, target, …)` writes to a temporary file beside the target and replaces it,
  so a target held open by Word/WPS gives a clear message and the old file is left as it was.
- Charts: this module never draws (no Qt below `ui/`). The caller hands `chart_renderer(spec) → PNG bytes`
  (the GUI and `safetymonth report` pass `ui.charts.render_png`); the pictures go into the appendix as
  inline images of a fixed width.

The GUI calls `write_report` from a background task with `progress(done, total)`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Callable

from safetymonth_desktop import paths
from safetymonth_desktop.exchange.report_context import AUTO
from safetymonth_desktop.services import files
from safetymonth_desktop.services.errors import AppError

DEFAULT_TEMPLATE_NAME = "default_summary.docx"
Progress = Callable[[int, int], None]
ChartRenderer = Callable[[object], bytes]
STEPS = 4
CHART_WIDTH_MM = 150  # the type area is 156 mm wide


def default_template() -> Path:
    return paths.resource("templates", DEFAULT_TEMPLATE_NAME)


def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


# ---------------------------------------------------------------------------------------------- template check

def _open_template(path: Path):
    from docxtpl import DocxTemplate

    path = Path(path)
    if not path.is_file():
        raise AppError(f"找不到模板文件“{path}”。请确认文件存在,或改用内置模板。")
    if not zipfile.is_zipfile(path):
        raise AppError(f"模板文件“{path.name}”不是 Word 文档(.docx)。请在 Word/WPS 中另存为 .docx 格式后再选择。")
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception as exc:  # a zip that is not a Word document: python-docx raises many kinds
        raise AppError(f"模板文件“{path.name}”无法作为 Word 文档打开({type(exc).__name__})。"
                       "请在 Word/WPS 中打开并另存为 .docx 后再试。") from None
    return template


def _parts_xml(template) -> list[tuple[str, str]]:
    """(part name, docxtpl-patched XML) for the body, headers and footers, as docxtpl renders them."""
    from docx.oxml import parse_xml

    doc = template.docx
    parts = [("正文", template.patch_xml(template.xml_to_string(doc._element.body)))]
    for uri, label in ((template.HEADER_URI, "页眉"), (template.FOOTER_URI, "页脚")):
        for rel in doc.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                parts.append((label, template.patch_xml(template.xml_to_string(parse_xml(rel.target_part.blob)))))
    return parts


def _paragraph_lines(xml: str) -> list[str]:
    # The same split docxtpl uses before rendering: one line per paragraph, so Jinja's line number names one.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).splitlines()


def _text(line: str) -> str:
    text = re.sub(r"<[^>]+>", "", line)
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        text = text.replace(a, b)
    return text.strip()


def _paragraph_index(lines: list[str], lineno: int) -> int:
    return sum(1 for line in lines[:lineno] if line.startswith("<w:p ") or line.startswith("<w:p>"))


def template_variables(path: Path) -> set[str]:
    """Top-level variables a template uses (for listing what a custom template needs)."""
    from jinja2 import meta

    template = _open_template(path)
    env = _environment()
    names: set[str] = set()
    for _, xml in _parts_xml(template):
        names |= meta.find_undeclared_variables(env.parse("\n".join(_paragraph_lines(xml))))
    return names


def check_template(path: Path, context: dict) -> None:
    """Refuse a template that cannot render with `context`: AppError in Chinese naming the paragraph of a
    syntax error, or listing every variable the context lacks."""
    from jinja2 import TemplateSyntaxError, meta, nodes

    template = _open_template(path)
    env = _environment()
    missing: list[str] = []
    for part, xml in _parts_xml(template):
        lines = _paragraph_lines(xml)
        try:
            ast = env.parse("\n".join(lines))
        except TemplateSyntaxError as exc:
            line = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
            where = f"{part}第{_paragraph_index(lines, exc.lineno or 0)}段"
            text = _text(line)
            raise AppError(f"模板“{Path(path).name}”有语法错误,位于{where}:“{text[:80]}”。"
                           f"错误原因:{_syntax_reason(exc)}。请在 Word/WPS 中修改这一段的 {{{{ }}}} 或 {{% %}} 标记后再试。"
                           ) from None
        top = meta.find_undeclared_variables(ast)
        for name in sorted(top):
            if name not in context:
                missing.append(name)
        for path_ in _attribute_paths(ast, nodes):
            if path_[0] in top and path_[0] in context and not _resolves(context, path_):
                missing.append(".".join(path_))
    if missing:
        listed = "、".join(dict.fromkeys(missing))
        raise AppError(f"模板“{Path(path).name}”使用了数据中没有的变量:{listed}。"
                       "请对照模板旁的《变量说明》改正变量名,或删除这些标记后再试。")


def _syntax_reason(exc) -> str:
    message = str(exc.message or "")
    known = {
        "unexpected end of template": "标记没有结束(缺少 {% endif %} 或 {% endfor %})",
        "unexpected '}'": "花括号不成对",
        "Encountered unknown tag": "未知的标记",
        "expected token": "标记写法不完整",
        "unexpected char": "标记中有无法识别的字符",
    }
    for needle, reason in known.items():
        if needle in message:
            return f"{reason}({message})"
    return message


def _attribute_paths(ast, nodes):
    """Constant attribute/item chains on names, outermost first: {{ org.paragraphs }} → ('org', 'paragraphs')."""
    seen_inner = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        chain = []
        cur = node
        while isinstance(cur, (nodes.Getattr, nodes.Getitem)):
            if isinstance(cur, nodes.Getattr):
                chain.append(cur.attr)
            elif isinstance(cur.arg, nodes.Const) and isinstance(cur.arg.value, str):
                chain.append(cur.arg.value)
            else:
                chain = None
                break
            cur = cur.node
        if chain is None or not isinstance(cur, nodes.Name):
            continue
        path_ = (cur.name, *reversed(chain))
        if path_ in seen_inner:
            continue
        seen_inner.add(path_)
        yield path_


def _resolves(context: dict, path_) -> bool:
    value = context
    for key in path_:
        if isinstance(value, dict) and key in value:
            value = value[key]
        else:
            # A method of a plain value (e.g. dict.items) is reachable in the sandbox too.
            return not isinstance(value, dict) or hasattr(value, key)
    return True


# ---------------------------------------------------------------------------------------------- render and write

def render(template_path: Path, context: dict, *, charts: dict[str, bytes] | None = None) -> bytes:
    """The rendered .docx as bytes (nothing written). Checks the template first. `charts`: chart key →
    PNG bytes, placed as inline pictures CHART_WIDTH_MM wide."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    check_template(template_path, context)
    template = _open_template(template_path)
    if charts:
        from docx.shared import Mm
        from docxtpl import InlineImage

        from safetymonth_desktop.exchange.report_context import attach_charts

        context = attach_charts(context, {key: InlineImage(template, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
                                          for key, png in charts.items()})
    try:
        template.render(context, jinja_env=_environment(), autoescape=True)
    except SecurityError:
        raise AppError(f"模板“{Path(template_path).name}”试图访问不允许的内容,已拒绝生成。请只使用《变量说明》中的变量。") from None
    except TemplateError as exc:
        raise AppError(f"模板“{Path(template_path).name}”无法生成:{exc}。请对照《变量说明》检查模板中的标记。") from None
    from safetymonth_desktop.exchange.docx_signature import place_signature

    place_signature(template.docx)  # the organ's name centred over the date, which depends on the rendered text
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def write_report(campaign, target: Path, *, template: Path | None = None, today: dt.date | None = None,
                 previous=AUTO, progress: Progress | None = None,
                 chart_renderer: ChartRenderer | None = None) -> Path:
    """Build the context, check and render the template, write `target` atomically. Returns the path.
    `previous`: the year to compare with (default: last year when the database holds it; None: none).
    `chart_renderer(spec) → PNG bytes` draws the appendix charts; without it the report has no charts."""
    from safetymonth_desktop.db.connection import database
    from safetymonth_desktop.exchange.report_context import build_context
    from safetymonth_desktop.services import chart_data

    step = progress or (lambda done, total: None)
    target = Path(target)
    if target.suffix.lower() != ".docx":
        raise AppError(f"输出文件“{target.name}”应以 .docx 结尾。")
    template = Path(template) if template else default_template()
    step(0, STEPS)
    # Every figure from one snapshot: the dozens of queries run in one (deferred, read-only) transaction,
    # so edits saved meanwhile in the GUI cannot make the totals and their splits disagree. Nothing in it
    # writes, so it never takes the write lock; the charts are drawn after it ends.
    with database.atomic():
        context = build_context(campaign, today=today, previous=previous)
        step(1, STEPS)
        specs = chart_data.report_charts(campaign) if chart_renderer is not None else []
    charts = {spec.key: chart_renderer(spec) for spec in specs}
    step(2, STEPS)
    data = render(template, context, charts=charts)  # checks the template first
    step(3, STEPS)
    files.write_atomically(target, lambda tmp: tmp.write_bytes(data), what="总结文件")
    step(4, STEPS)
    return target


def export_template_copy(target: Path) -> Path:
    """A copy of the built-in template for the clerk to customise in Word/WPS (written atomically)."""
    target = Path(target)
    if target.suffix.lower() != ".docx":
        raise AppError(f"模板文件“{target.name}”应以 .docx 结尾。")
    files.write_atomically(target, lambda tmp: tmp.write_bytes(default_template().read_bytes()), what="模板文件")
    reference = default_template().with_name("变量说明.md")
    if reference.is_file():
        try:
            shutil.copyfile(reference, target.with_name(f"{target.stem}-变量说明.md"))
        except OSError:
            pass  # the copy of the template is what matters; the reference also ships with the program
    return target


# ---------------------------------------------------------------------------------------------- chosen template

TEMPLATE_SETTING = "report.template"


def chosen_template() -> Path | None:
    """The clerk's own template remembered in this database (None: the built-in one)."""
    from safetymonth_desktop.db.models import AppSetting

    row = AppSetting.get_or_none(AppSetting.key == TEMPLATE_SETTING)
    return Path(row.value) if row and row.value.strip() else None


def choose_template(path: Path, campaign) -> Path:
    """Check `path` against `campaign`'s context (AppError naming the problems) and remember it for this database."""
    from safetymonth_desktop.db.connection import database
    from safetymonth_desktop.db.models import AppSetting
    from safetymonth_desktop.exchange.report_context import build_context

    path = Path(path)
    check_template(path, build_context(campaign))
    with database.atomic():
        AppSetting.insert(key=TEMPLATE_SETTING, value=str(path)).on_conflict_replace().execute()
    return path


def reset_template() -> None:
    """Use the built-in template again."""
    from safetymonth_desktop.db.connection import database
    from safetymonth_desktop.db.models import AppSetting

    with database.atomic():
        AppSetting.delete().where(AppSetting.key == TEMPLATE_SETTING).execute()
