"""Render the Word 活动总结 from a docxtpl template: check the template, render it in a sandbox, write the
file atomically.

- `check_template(path, context)` refuses a template before anything is written, listing every syntax
  error and every variable the context lacks, each with its Word paragraph (`template_check`).
- Rendering uses `template_sandbox.BoundedEnvironment` (Jinja's sandbox with autoescape, bounded in what a
  template can build), so the clerk's `&`, `<`, `>` and quotes come out as typed and a template reaches
  nothing but its context; an undefined value is an error, never an empty placeholder. Every failure of a
  render is an AppError in Chinese, naming the paragraph when Jinja knows the line.
- A custom template is untrusted: `docx_safety.check_docx` looks at the file before anything opens it, and
  checking and rendering it run in a worker process the OS bounds in memory and time (`template_worker`).
  The built-in template is ours and renders in this process (no worker start-up cost).
- `write_report(campaign, target, …)` writes to a temporary file beside the target and replaces it,
  so a target held open by Word/WPS gives a clear message and the old file is left as it was. The context's
  per-record lists (every event, action, inspection … as a dict) are built only when the template names them
  (`named_lists`): the built-in template names none, and at a million records they were most of the work.
- Charts: this module never draws (no Qt below `ui/`). The caller hands `chart_renderer(spec) → PNG bytes`
  (the GUI and `safetymonth report` pass `ui.charts.render_png`); the pictures go into the appendix as
  inline images of a fixed width.
- Photos (活动图片): the JPEGs the clerk chose go into the last annex, two to a page, each as large as its slot
  allows (`report_sections.photos.picture_size`); no photo chosen, no annex.

The GUI calls `write_report` from a background task with `progress(done, total)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path
from typing import Callable

from safetymonth_desktop.base import paths
from safetymonth_desktop.base.collector import cycle_collection_paused
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import output_paths
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.db.models import AppSetting
from safetymonth_desktop.exchange import docx_safety, template_lists, template_worker
from safetymonth_desktop.exchange.report_context import AUTO, attach_charts, attach_photos, build_context
from safetymonth_desktop.exchange.report_sections.photos import photo_images, picture_size
from safetymonth_desktop.services import chart_data

DEFAULT_TEMPLATE_NAME = "default_summary.docx"
Progress = Callable[[int, int], None]
ChartRenderer = Callable[[object], bytes]
STEPS = 4
CHART_WIDTH_MM = 150  # the type area is 156 mm wide


def default_template() -> Path:
    return paths.resource("templates", DEFAULT_TEMPLATE_NAME)


def _environment():
    # lazy: start-up (jinja2 and python-docx load only when a template is checked or rendered)
    from safetymonth_desktop.exchange.template_sandbox import BoundedEnvironment

    return BoundedEnvironment()


def _is_builtin(path: Path) -> bool:
    try:
        return Path(path).resolve() == default_template().resolve()
    except OSError:
        return False


def _limit_message(path: Path) -> str:
    return (f"自定义模板“{Path(path).name}”渲染超出时间/内存限制(最多 {template_worker.TIMEOUT_SECONDS} 秒、"
            f"{template_worker.MEMORY_BYTES // 1048576} MB),已停止,未写入任何文件。请检查模板中的循环或重复"
            "(如 range 套 range、很大的乘法),或改用内置模板。")


def _bounded(func, path: Path, *args):
    """`func(path, *args)` here for the built-in template, in a bounded worker process for any other."""
    if _is_builtin(path):
        return func(path, *args)
    docx_safety.check_docx(path)  # a bad file is refused without starting a worker
    return template_worker.run(_untrusted, func, path, *args, on_limit=_limit_message(path))


def _untrusted(func, path: Path, *args):
    """`func(path, *args)` on a clerk's template (in the worker): whatever goes wrong that is not already an
    AppError (a damaged part python-docx or lxml chokes on …) is still the template's doing, said in Chinese."""
    try:
        return func(path, *args)
    except (AppError, MemoryError):
        raise
    except RecursionError:
        raise AppError(f"模板“{path.name}”中的标记或内容嵌套过深,无法处理。请简化模板后再试,或改用内置模板。") from None
    except Exception as exc:  # noqa: BLE001
        raise AppError(f"模板“{path.name}”无法处理({type(exc).__name__}: {str(exc)[:200]})。"
                       "请在 Word/WPS 中打开并另存为 .docx 后再试,或改用内置模板。") from None


# ---------------------------------------------------------------------------------------------- template check

def _open_template(path: Path):
    from docxtpl import DocxTemplate

    path = docx_safety.check_docx(path)
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception as exc:  # a zip that is not a Word document: python-docx raises many kinds
        raise AppError(f"模板文件“{path.name}”无法作为 Word 文档打开({type(exc).__name__})。"
                       "请在 Word/WPS 中打开并另存为 .docx 后再试。") from None
    return template


FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # the ones docxtpl renders


def _parts_xml(template) -> list[tuple[str, str]]:
    """(part name, docxtpl-patched XML) for every part docxtpl renders: body, headers, footers, footnotes
    and the document properties."""
    from docx.oxml import parse_xml

    doc = template.docx
    parts = [("正文", template.patch_xml(template.xml_to_string(doc._element.body)))]
    for uri, label in ((template.HEADER_URI, "页眉"), (template.FOOTER_URI, "页脚")):
        for rel in doc.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                parts.append((label, template.patch_xml(template.xml_to_string(parse_xml(rel.target_part.blob)))))
    for part in doc.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            parts.append(("脚注", template.patch_xml(blob)))
    for prop in PROPERTIES:
        value = getattr(doc.core_properties, prop)
        if value and ("{" in value):
            parts.append(("文档属性", value))
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


def named_lists(path: Path) -> frozenset[str]:
    """The per-record lists of the context (`report_sections.base.RECORD_LISTS`) the template at `path` names
    (`template_lists.named_lists`), read once per content of the file: the built-in template here, any other in
    the bounded worker, like everything else done with a clerk's template."""
    path = Path(path)
    try:
        if path.stat().st_size > docx_safety.MAX_FILE_BYTES:
            raise OSError  # refused by the check below, unread
        key = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return _bounded(_named_here, path)  # says what is wrong with the file, as rendering would
    if key not in _NAMED:
        _NAMED[key] = _bounded(_named_here, path)
    return _NAMED[key]


_NAMED: dict = {}


def _named_here(path: Path) -> frozenset[str]:
    template = _open_template(path)
    return template_lists.named_lists([xml for _, xml in _parts_xml(template)], _environment())


def check_template(path: Path, context: dict) -> None:
    """Refuse a template that cannot render with `context`: AppError in Chinese listing every syntax error, every
    variable the context lacks (also inside loops and conditions) and any {% include %}-like tag, each with its
    Word paragraph (`template_check`). A custom template is checked in the bounded worker."""
    _bounded(_check_here, Path(path), context)


def _where(part: str, lines: list[str], lineno: int | None) -> str:
    """'正文第3段:“text”' for a Jinja line number of a part's source ('' when unknown)."""
    if not lineno or lineno > len(lines):
        return f"{part}" if part else ""
    if part == "文档属性":
        return f"{part}:“{_text(lines[lineno - 1])[:80]}”"
    return f"{part}第{_paragraph_index(lines, lineno)}段:“{_text(lines[lineno - 1])[:80]}”"


def _check_here(path: Path, context: dict) -> None:
    from jinja2 import TemplateSyntaxError, nodes

    # lazy: start-up (jinja2 and python-docx load only when a template is checked or rendered)
    from safetymonth_desktop.exchange import template_check

    template = _open_template(path)
    env = _environment()
    for part, xml in _parts_xml(template):
        lines = _paragraph_lines(xml)
        try:
            ast = env.parse("\n".join(lines))
        except TemplateSyntaxError:
            continue  # template_check lists it, located as Word counts paragraphs
        except RecursionError:
            raise AppError(f"模板“{Path(path).name}”的{part}中标记嵌套过深,无法解析。请简化其中的括号或嵌套后再试。"
                           ) from None
        except (ValueError, OverflowError) as exc:  # e.g. a number of more than 4300 digits
            raise AppError(f"模板“{Path(path).name}”的{part}中有无法解析的标记({str(exc)[:120]})。"
                           "请检查其中过长的数字或文字后再试。") from None
        for node in ast.find_all((nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
            # lazy: start-up (jinja2 and python-docx load only when a template is checked or rendered)
            from safetymonth_desktop.exchange.template_sandbox import NO_INCLUDE

            raise AppError(f"模板“{Path(path).name}”位于{_where(part, lines, node.lineno)}:{NO_INCLUDE}。")
    properties = [(part, xml) for part, xml in _parts_xml(template) if part == "文档属性"]
    found = template_check.problems(template, context, env, extra=properties)
    if found:
        raise AppError(template_check.message(Path(path).name, found))


# ---------------------------------------------------------------------------------------------- render and write

def render(template_path: Path, context: dict, *, charts: dict[str, bytes] | None = None,
           photos: dict[str, tuple[bytes, int, int]] | None = None) -> bytes:
    """The rendered .docx as bytes (nothing written). Checks the template first; a custom template is checked
    and rendered in the bounded worker. `charts`: chart key → PNG bytes, placed as inline pictures
    CHART_WIDTH_MM wide. `photos`: photo key → (JPEG bytes, width, height in pixels) for the 活动图片 annex."""
    return _bounded(_render_here, Path(template_path), context, charts or {}, photos or {})


def _render_here(template_path: Path, context: dict, charts: dict[str, bytes],
                 photos: dict[str, tuple[bytes, int, int]] | None = None) -> bytes:
    _check_here(template_path, context)
    template = _open_template(template_path)
    if photos:
        context = _with_photos(template, context, photos)
    if charts:
        from docx.shared import Mm
        from docxtpl import InlineImage

        context = attach_charts(context, {key: InlineImage(template, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
                                          for key, png in charts.items()})
    env = _environment()
    try:
        template.render(context, jinja_env=env, autoescape=True)
    except MemoryError:
        raise  # the worker reports its memory limit itself
    except Exception as exc:  # noqa: BLE001 - whatever a clerk's template does wrong is the clerk's to fix
        from jinja2 import TemplateError

        if _is_builtin(template_path) and not isinstance(exc, TemplateError):
            raise  # our own template failing is a bug: the crash log gets it
        raise _render_error(template_path, template, env, exc) from None
    # lazy: start-up (jinja2 and python-docx load only when a template is checked or rendered)
    from safetymonth_desktop.exchange.docx_signature import place_signature

    place_signature(template.docx)  # the organ's name centred over the date, which depends on the rendered text
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _with_photos(template, context: dict, photos: dict[str, tuple[bytes, int, int]]) -> dict:
    """The context with the chosen photos as inline pictures sized to their slot (two to a page; the annex's first
    page has its heading above them)."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    images = {}
    keys = [p["key"] for p in context.get("photos", []) if p["key"] in photos]
    for n, key in enumerate(keys):
        data, width, height = photos[key]
        w, h = picture_size(width, height, first_page=n < 2)
        images[key] = InlineImage(template, io.BytesIO(data), width=Mm(w), height=Mm(h))
    return attach_photos(context, images)


_PART_LABELS = (("/word/document", "正文"), ("/word/header", "页眉"), ("/word/footer", "页脚"), ("/word/footnotes", "脚注"))


def _render_error(template_path: Path, template, env, exc: BaseException) -> AppError:
    """AppError in Chinese for a failed render, naming the paragraph when the failing line is known."""
    from jinja2 import TemplateError

    # lazy: start-up (jinja2 and python-docx load only when a template is checked or rendered)
    from safetymonth_desktop.exchange.template_sandbox import ADVICE, TemplateLimitError, describe

    lineno = getattr(exc, "lineno", None) if isinstance(exc, TemplateError) else None  # (lxml's: XML lines)
    tb = exc.__traceback__
    while tb is not None:  # Jinja rewrites tracebacks so that template frames carry the template's line
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    source = env.last_source or ""
    if "<w:" in source:
        partname = str(getattr(getattr(template, "current_rendering_part", None), "partname", ""))
        part = next((label for prefix, label in _PART_LABELS if partname.startswith(prefix)), "")
    else:
        part = "文档属性"
    where = _where(part, source.splitlines(), lineno)
    advice = ADVICE if isinstance(exc, (TemplateLimitError, RecursionError)) else "请对照《变量说明》检查模板中的标记。"
    return AppError(f"模板“{Path(template_path).name}”无法生成" + (f"(位于{where})" if where else "") +
                    f":{describe(exc)}。{advice}")


def write_report(campaign, target: Path, *, template: Path | None = None, today: dt.date | None = None,
                 previous=AUTO, progress: Progress | None = None,
                 chart_renderer: ChartRenderer | None = None, with_photos: bool = True) -> Path:
    """Build the context, check and render the template, write `target` atomically. Returns the path.
    `previous`: the year to compare with (default: last year when the database holds it; None: none).
    `chart_renderer(spec) → PNG bytes` draws the appendix charts; without it the report has no charts.
    `with_photos`: the annex 活动图片 with the photos chosen for the summary (when any are)."""
    step = progress or (lambda done, total: None)
    target = Path(target)
    if target.suffix.lower() != ".docx":
        raise AppError(f"输出文件“{target.name}”应以 .docx 结尾。")
    template = Path(template) if template else default_template()
    lists = named_lists(template)  # the context's per-record lists only when the template names them
    step(0, STEPS)
    # Every figure from one snapshot: the dozens of queries run in one (deferred, read-only) transaction,
    # so edits saved meanwhile in the GUI cannot make the totals and their splits disagree. Nothing in it
    # writes, so it never takes the write lock; the charts are drawn after it ends.
    with cycle_collection_paused():  # several hundred thousand rows at 1 000 000 records, no cycles
        with database.atomic():
            specs = chart_data.report_charts(campaign)  # listed in the context, drawn when there is a renderer
            context = build_context(campaign, today=today, previous=previous, lists=lists, charts=specs)
            step(1, STEPS)
            specs = specs if chart_renderer is not None else []
            photos = photo_images(campaign) if with_photos else {}
        charts = {spec.key: chart_renderer(spec) for spec in specs}
        step(2, STEPS)
        data = render(template, context, charts=charts, photos=photos)  # checks the template first
        del context
    step(3, STEPS)
    output_paths.write_output(target, lambda tmp: tmp.write_bytes(data), what="总结文件")
    step(4, STEPS)
    return target


def export_template_copy(target: Path) -> Path:
    """A copy of the built-in template for the clerk to customise in Word/WPS (written atomically)."""
    target = Path(target)
    if target.suffix.lower() != ".docx":
        raise AppError(f"模板文件“{target.name}”应以 .docx 结尾。")
    output_paths.write_output(target, lambda tmp: tmp.write_bytes(default_template().read_bytes()), what="模板文件")
    reference = default_template().with_name("变量说明.md")
    if reference.is_file():
        try:  # a .txt a clerk can open with Notepad (a .md opens nowhere on an office PC)
            text = reference_as_text(reference.read_text(encoding="utf-8"))
            reference_copy(target).write_text(text, encoding="utf-8-sig", newline="\r\n")
        except OSError:
            pass  # the copy of the template is what matters; the reference also ships with the program
    return target


def reference_copy(target: Path) -> Path:
    """Where `export_template_copy` puts the variable reference beside the copied template."""
    return Path(target).with_name(f"{Path(target).stem}-变量说明.txt")


def reference_as_text(markdown: str) -> str:
    """The variable reference as plain text: headings underlined, no code quotes, no table rulers."""
    import re

    lines = []
    for line in markdown.splitlines():
        if re.fullmatch(r"\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?", line.strip()):
            continue  # |---|---|
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            title = heading.group(2).strip()
            lines += [title, ("=" if len(heading.group(1)) == 1 else "-") * (2 * len(title))]
            continue
        lines.append(line.replace("`", ""))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- chosen template

TEMPLATE_SETTING = "report.template"


def chosen_template() -> Path | None:
    """The clerk's own template remembered in this database (None: the built-in one)."""
    row = AppSetting.get_or_none(AppSetting.key == TEMPLATE_SETTING)
    return Path(row.value) if row and row.value.strip() else None


def choose_template(path: Path, campaign) -> Path:
    """Check `path` against `campaign`'s context (AppError naming the problems) and remember it for this database."""
    path = Path(path)
    check_template(path, build_context(campaign, lists=named_lists(path)))
    with database.atomic():
        AppSetting.insert(key=TEMPLATE_SETTING, value=str(path)).on_conflict_replace().execute()
    return path


def reset_template() -> None:
    """Use the built-in template again."""
    with database.atomic():
        AppSetting.delete().where(AppSetting.key == TEMPLATE_SETTING).execute()
