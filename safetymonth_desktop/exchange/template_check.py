"""Check a docxtpl template against the report context before anything is rendered.

Belongs here: finding every problem a template would hit when rendered — Jinja syntax errors, variables
and attributes the context does not have (also inside loops, conditions, `set` and `with`), unknown
filters and tests — each located the way the clerk sees the document in Word/WPS ("正文第15段", "页脚第1段",
with the paragraph's text), every message in Chinese. Rendering itself is `word_report`'s.

How: each part docxtpl renders (body, headers, footers, footnotes) is patched as docxtpl patches it, with a
marker before every original paragraph so that a Jinja line number maps back to the paragraph Word counts
(body paragraphs and table-cell paragraphs in document order; a `{%p %}` paragraph keeps its number). The
Jinja AST is then walked with a *shape* of the context: the keys of its dicts, the merged keys of its
lists' items and the scalar types, completed by the documented variable reference (`report_reference`), so
that a list that is empty this year still knows its items' keys. Names are resolved through `for` targets
(`loop` too), `set`, `with` and macro arguments; `x is defined` and `x|default(…)` are allowed to miss.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field

from safetymonth_desktop.exchange import report_reference
from safetymonth_desktop.services import indicators

MARK = "<!--tplchk:{}-->"
MARK_RE = re.compile(r"<!--tplchk:(\d+)-->")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}
LOOP_ATTRS = ("index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
              "previtem", "nextitem", "cycle", "changed")
SAME_LIST_FILTERS = {"sort", "reverse", "list", "unique", "selectattr", "rejectattr", "select", "reject", "batch_"}
ITEM_FILTERS = {"first", "last", "random", "min", "max"}
ATTRIBUTE_FILTERS = {"map", "sort", "sum", "groupby", "unique", "min", "max", "join"}
SHORT = 30
DEFINED = "\0defined"  # scope entry: expressions a surrounding {% if … is defined %} checked


# ---------------------------------------------------------------------------------------------- context shape

@dataclass(eq=False)
class Shape:
    """What a template can find at one place of the context."""
    label: str = ""                        # path in the context, lists' items as "name[]"
    keys: dict | None = None               # key → Shape, when a dict was seen there
    item: "Shape | None" = None            # the items' shape, when a list was seen there
    types: set = field(default_factory=set)  # Python types of the scalar values seen there
    open: bool = False                     # anything goes (data-keyed dicts, unknown values)
    elements: list | None = None           # a pair from dict.items()

    def child(self, key: str) -> "Shape":
        if self.keys is None:
            self.keys = {}
        if key not in self.keys:
            self.keys[key] = Shape(f"{self.label}.{key}" if self.label else key)
        return self.keys[key]

    def items_shape(self) -> "Shape":
        if self.item is None:
            self.item = Shape(f"{self.label}[]")
        return self.item


def unknown() -> Shape:
    return Shape(open=True)


def scalar(*types) -> Shape:
    return Shape(types=set(types))


def _data_keyed(value: dict) -> bool:
    return bool(value) and not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(k)) for k in value)


_CONTAINERS = (dict, list, tuple)


def _add_value(shape: Shape, value, opaque: tuple[str, ...]) -> None:
    if isinstance(value, dict):
        if shape.label in opaque or _data_keyed(value):
            shape.open = True
            return
        if shape.keys is None:
            shape.keys = {}
        for key, item in value.items():
            _add_value(shape.child(str(key)), item, opaque)
    elif isinstance(value, (list, tuple)):
        item_shape = shape.items_shape()
        seen = set()  # flat dicts already added: the same keys with the same value types add nothing new
        for item in value:
            if type(item) is dict:
                flat = tuple((k, type(v)) for k, v in item.items())
                if flat in seen:
                    continue
                if not any(issubclass(t, _CONTAINERS) for _, t in flat):
                    seen.add(flat)
            _add_value(item_shape, item, opaque)
    else:
        shape.types.add(type(value))


def _add_path(root: Shape, path: str, opaque: tuple[str, ...]) -> None:
    shape = root
    for segment in path.split("."):
        is_list = segment.endswith("[]")
        shape = shape.child(segment[:-2] if is_list else segment)
        if shape.label in opaque:
            shape.open = True
            return
        if is_list:
            shape = shape.items_shape()


def context_shape(context: dict) -> Shape:
    """The shape of `context`, completed by the documented variable reference and the indicator registry."""
    opaque = tuple(report_reference.OPAQUE)
    root = Shape()
    _add_value(root, context, opaque)
    for path in report_reference.described_paths():
        _add_path(root, path, opaque)
    for ind in indicators.CATALOGUE:
        for prefix in ("figures", "phrases"):
            _add_path(root, f"{prefix}.{ind.key}", opaque)
    return root


def _loop_shape() -> Shape:
    shape = Shape("loop", keys={})
    for attr in LOOP_ATTRS:
        shape.keys[attr] = unknown()
    shape.keys["index"] = Shape("loop.index", types={int})
    return shape


# ---------------------------------------------------------------------------------------------- locations

@dataclass
class Paragraph:
    part: str
    number: int          # as Word counts in that part, from 1
    text: str
    in_table: bool


@dataclass
class Source:
    """One part's Jinja source with a map from Jinja line numbers to the part's Word paragraphs."""
    part: str
    text: str
    line_paragraph: list  # line index (0-based) → Paragraph or None

    def where(self, lineno: int | None) -> str:
        paragraph = None
        if lineno and 0 < lineno <= len(self.line_paragraph):
            paragraph = self.line_paragraph[lineno - 1]
        if paragraph is None:
            return self.part
        table = "（表格内）" if paragraph.in_table else ""
        text = paragraph.text.strip()
        quoted = text if len(text) <= SHORT else text[:SHORT] + "…"
        return f"{paragraph.part}第{paragraph.number}段{table}“{quoted}”"


def _paragraphs(root, part: str) -> list:
    """Every w:p under `root` in document order, as Paragraph or None (a copy Word does not show)."""
    out = []
    number = 0
    for p in root.iter(f"{W}p"):
        ancestors = list(p.iterancestors())
        if any(a.tag == MC_FALLBACK for a in ancestors):
            out.append(None)
            continue
        number += 1
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        out.append(Paragraph(part, number, text, any(a.tag == f"{W}tc" for a in ancestors)))
    return out


def _source(template, root, part: str) -> Source:
    paragraphs = _paragraphs(root, part)
    counter = itertools.count()
    xml = template.xml_to_string(root)
    marked = re.sub(r"<w:p([ >])", lambda m: MARK.format(next(counter)) + m.group(0), xml)
    paragraphs += [None] * (next(counter) - len(paragraphs))  # (the same element walk: never more in fact)
    patched = template.patch_xml(marked)
    text = MARK_RE.sub(lambda m: "\n" + m.group(0), patched)
    line_paragraph = []
    current = None
    for line in text.split("\n"):
        found = MARK_RE.findall(line)
        if found and paragraphs[int(found[0])] is not None:
            current = paragraphs[int(found[0])]
        line_paragraph.append(current)
        if found and paragraphs[int(found[-1])] is not None:
            current = paragraphs[int(found[-1])]
    return Source(part, text, line_paragraph)


FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def sources(template) -> list[Source]:
    """The parts docxtpl renders: body, headers, footers, footnotes (numbered when there are several)."""
    from docx.oxml import parse_xml

    doc = template.docx
    out = [_source(template, doc._element.body, "正文")]
    for uri, label in ((template.HEADER_URI, "页眉"), (template.FOOTER_URI, "页脚")):
        blobs = [rel.target_part.blob for rel in doc.part.rels.values() if rel.reltype == uri and rel.target_part.blob]
        for i, blob in enumerate(blobs, 1):
            name = label if len(blobs) == 1 else f"{label}{i}"
            out.append(_source(template, parse_xml(blob), name))
    for part in doc.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE:
            out.append(_source(template, parse_xml(part.blob), "脚注"))
    return out


# ---------------------------------------------------------------------------------------------- syntax errors

def _tags(listing: str) -> list[str]:
    return re.findall(r"'(\w+)'", listing)


def _open_block(env, source: str, name: str) -> int | None:
    """Line of the innermost still-open `{% name %}` block of `source` (lexing what Jinja could)."""
    closers = {"if": "endif", "for": "endfor", "macro": "endmacro", "call": "endcall", "filter": "endfilter",
               "with": "endwith", "set": "endset", "block": "endblock", "autoescape": "endautoescape"}
    stack: list[tuple[str, int]] = []
    try:
        tokens = [t for t in env.lex(source) if t[1] not in ("whitespace", "data")]
    except Exception:  # noqa: BLE001 - a lexing error elsewhere: the parser's line number is used instead
        return None
    i = 0
    while i < len(tokens):
        lineno, kind, value = tokens[i]
        if kind == "block_begin" and i + 1 < len(tokens) and tokens[i + 1][1] == "name":
            tag = tokens[i + 1][2]
            if tag in closers:
                j = i + 2
                inline_set = False
                while j < len(tokens) and tokens[j][1] != "block_end":
                    inline_set = inline_set or (tag == "set" and tokens[j][1] == "assign")
                    j += 1
                if not inline_set:
                    stack.append((tag, lineno))
            elif tag.startswith("end") and stack and closers.get(stack[-1][0]) == tag:
                stack.pop()
        i += 1
    for tag, lineno in reversed(stack):
        if tag == name:
            return lineno
    return None


def syntax_problem(env, src: Source, exc) -> str:
    """The Chinese description of a Jinja syntax error, with where it is."""
    message = str(exc.message or "")
    lower = message.lower()
    lineno = exc.lineno
    m = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    innermost = m.group(1) if m else None
    if lower.startswith("unexpected end of template") and innermost:
        opened = _open_block(env, src.text, innermost)
        if opened:
            lineno = opened
        reason = (f"{{% {innermost} %}} 没有结束，缺少 {{% end{innermost} %}}"
                  "（请在该部分结束处加上这一段；整段控制时写作 {%p end" + innermost + " %}）")
    elif lower.startswith("unexpected end of template"):
        expected = re.search(r"expected '([^']+)'", message)
        closing = {"end of print statement": "}}", "end of statement block": "%}"}.get(expected.group(1), "") \
            if expected else ""
        reason = f"标记没有结束{f'，缺少“{closing}”' if closing else ''}"
    elif lower.startswith("encountered unknown tag"):
        tag = re.search(r"unknown tag '(\w+)'", message).group(1)
        wanted = _tags(message.split("looking for", 1)[1].split(".")[0]) if "looking for" in message else []
        if tag.startswith("end") and innermost and "nesting mistake" in lower:
            reason = (f"{{% {tag} %}} 与前面的 {{% {innermost} %}} 不配对：应先用 {{% end{innermost} %}} 结束 "
                      f"{innermost}（检查嵌套顺序）")
        elif innermost:
            reason = f"未知的标记 {{% {tag} %}}，这里应为 " + "、".join(f"{{% {w} %}}" for w in wanted) + " 之一"
        elif tag in ("endif", "endfor", "else", "elif", "endwith", "endset", "endmacro"):
            reason = f"{{% {tag} %}} 前面没有与之配对的开始标记（{{% if %}} 或 {{% for %}}）"
        else:
            reason = f"未知的标记 {{% {tag} %}}（可用的有 if、elif、else、for、set、with 及对应的 end…）"
    elif lower.startswith("missing end of comment"):
        reason = "注释 {# 没有以 #} 结束"
    elif lower.startswith("unexpected char"):
        char = re.search(r"unexpected char (['\"])(.*?)\1", message)
        shown = char.group(2) if char else ""
        reason = (f"标记中有无法识别的字符“{shown}”（标记内请用半角符号；文字要加引号时用半角引号并成对）")
    elif lower.startswith("unexpected '"):
        what = re.search(r"unexpected '([^']*)'", message).group(1)
        if what in ("/", "<", ">"):  # the paragraph's XML follows: the tag was not closed in its paragraph
            reason = "标记没有结束，缺少“}}”或“%}”（一个标记要在同一段内写完）"
        else:
            reason = (f"标记中多了“{what}”，花括号或括号不成对"
                      "（应为 {{ … }} 或 {% … %}）")
    elif lower.startswith("expected token"):
        got = re.search(r"got '([^']*)'", message)
        want = re.search(r"expected token '([^']*)'", message).group(1)
        got_text = got.group(1) if got else ""
        if got_text in ("end of print statement", "end of statement block"):
            reason = f"标记写法不完整（此处还缺少“{ {'in': 'in', 'name': '名称'}.get(want, want) }”）"
        elif want in ("end of print statement", "end of statement block"):
            reason = f"标记中多了“{got_text}”（变量名中不能有空格，两个变量之间要分别写 {{{{ }}}}）"
        else:
            reason = f"标记写法有误（“{got_text}”处应为“{want}”）"
    elif lower.startswith("expected an expression"):
        reason = "标记中缺少内容（{{ }} 或 {% if %} 中要写变量或条件）"
    elif lower.startswith("tag name expected"):
        reason = "{% %} 中缺少标记名（如 if、for）"
    elif lower.startswith("expected name or number"):
        reason = "“.”后面缺少名称（如 org.paragraphs）"
    else:
        reason = "标记写法有误，无法解析"
    return f"{src.where(lineno)}：语法错误，{reason}"


# ---------------------------------------------------------------------------------------------- the AST walk

def _describe(shape: Shape) -> str:
    if shape.label.endswith("[]"):
        return f"{shape.label[:-2]} 的每一项"
    return f"{shape.label} 中" if shape.label else "数据中"


def _expr_text(node, nodes) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expr_text(node.node, nodes)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg
        if isinstance(arg, nodes.Const):
            key = arg.value
            if isinstance(key, str) and re.fullmatch(r"[A-Za-z_]\w*", key):
                return f"{_expr_text(node.node, nodes)}.{key}"
            return f"{_expr_text(node.node, nodes)}[{key!r}]"
        return f"{_expr_text(node.node, nodes)}[…]"
    return "…"


def _suggest(name: str, candidates) -> str:
    close = difflib.get_close_matches(name, [str(c) for c in candidates], n=1, cutoff=0.6)
    return f"，是不是“{close[0]}”？" if close else "。"


class Walker:
    def __init__(self, env, root: Shape, src: Source, problems: list):
        from jinja2 import nodes

        self.nodes = nodes
        self.env = env
        self.root = root
        self.src = src
        self.problems = problems

    def report(self, node, text: str) -> None:
        entry = f"{self.src.where(getattr(node, 'lineno', None))}：{text}"
        if entry not in self.problems:
            self.problems.append(entry)

    # ---- expressions

    def lookup(self, node, scope: dict, guarded: bool) -> Shape:
        if node.name in scope.get(DEFINED, ()):
            return unknown()
        if node.name in scope:
            return scope[node.name]
        if self.root.keys is not None and node.name in self.root.keys:
            return self.root.keys[node.name]
        if node.name in GLOBALS:
            return unknown()
        if not guarded:
            names = list(scope) + list(self.root.keys or {})
            self.report(node, f"变量“{node.name}”不存在{_suggest(node.name, names)}")
        return unknown()

    def member(self, node, base: Shape, key, guarded: bool) -> Shape:
        if base.open or base.elements is not None:
            return unknown()
        if isinstance(key, int):
            if base.item is not None:
                return base.item
            return unknown()
        key = str(key)
        if key.startswith("_"):
            if not guarded:
                self.report(node, f"“{_expr_text(node, self.nodes)}”：不允许访问以下划线开头的属性")
            return unknown()
        if base.keys is not None and key in base.keys:
            return base.keys[key]
        if base.keys is not None and hasattr(dict, key):
            return unknown()
        if base.item is not None and hasattr(list, key):
            return unknown()
        if any(hasattr(t, key) for t in base.types):
            return unknown()
        if base.keys is None and base.item is None and not base.types:
            return unknown()  # documented, but its kind is not known: nothing to check against
        if guarded:
            return unknown()
        text = _expr_text(node, self.nodes)
        if base.keys:
            keys = sorted(base.keys)
            listed = f"（可用的有：{'、'.join(keys)}）" if len(keys) <= 12 else ""
            self.report(node, f"变量“{text}”不存在：{_describe(base)}没有“{key}”{listed}"
                              f"{_suggest(key, keys).rstrip('。')}")
        elif base.item is not None:
            self.report(node, f"变量“{text}”不存在：{_describe(base).removesuffix(' 中')}是列表，没有“{key}”"
                              "（列表要用 {% for x in 列表 %} 逐项取出）")
        else:
            self.report(node, f"变量“{text}”不存在：{_describe(base).removesuffix(' 中')}是一个值（文字或数字），没有“{key}”")
        return unknown()

    def expr(self, node, scope: dict, guarded: bool = False) -> Shape:
        n = self.nodes
        if isinstance(node, n.Name):
            return self.lookup(node, scope, guarded)
        if isinstance(node, (n.Getattr, n.Getitem)) and _expr_text(node, n) in scope.get(DEFINED, ()):
            guarded = True
        if isinstance(node, n.Getattr):
            return self.member(node, self.expr(node.node, scope, guarded), node.attr, guarded)
        if isinstance(node, n.Getitem):
            base = self.expr(node.node, scope, guarded)
            if isinstance(node.arg, n.Const) and isinstance(node.arg.value, (str, int)) \
                    and not isinstance(node.arg.value, bool):
                return self.member(node, base, node.arg.value, guarded)
            self.expr(node.arg, scope, guarded)
            return base.item if base.item is not None and not base.open else unknown()
        if isinstance(node, n.Const):
            return scalar(type(node.value))
        if isinstance(node, n.Call):
            return self.call(node, scope, guarded)
        if isinstance(node, n.Filter):
            return self.filter(node, scope, guarded)
        if isinstance(node, n.Test):
            if node.name not in self.env.tests:
                self.report(node, f"判断“is {node.name}”不存在")
            inner_guard = guarded or node.name in ("defined", "undefined")
            self.expr(node.node, scope, inner_guard)
            self.arguments(node, scope, guarded)
            return scalar(bool)
        if isinstance(node, n.CondExpr):
            self.expr(node.test, scope, guarded) if node.test is not None else None
            self.expr(node.expr1, scope, guarded)
            if node.expr2 is not None:
                self.expr(node.expr2, scope, guarded)
            return unknown()
        for child in node.iter_child_nodes():
            self.expr(child, scope, guarded)
        return unknown()

    def arguments(self, node, scope: dict, guarded: bool) -> None:
        for arg in node.args:
            self.expr(arg, scope, guarded)
        for kw in node.kwargs:
            self.expr(kw.value, scope, guarded)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, scope, guarded)

    def call(self, node, scope: dict, guarded: bool) -> Shape:
        n = self.nodes
        self.arguments(node, scope, guarded)
        if isinstance(node.node, n.Getattr) and node.node.attr in ("items", "values", "keys"):
            base = self.expr(node.node.node, scope, guarded)
            if base.keys is not None and not base.open:
                values = Shape(f"{base.label}.*", open=True)
                if node.node.attr == "keys":
                    return Shape(f"{base.label}.keys()", item=scalar(str))
                if node.node.attr == "values":
                    return Shape(f"{base.label}.values()", item=values)
                return Shape(f"{base.label}.items()", item=Shape(elements=[scalar(str), values]))
            return unknown()
        self.expr(node.node, scope, guarded)
        return unknown()

    def filter(self, node, scope: dict, guarded: bool) -> Shape:
        name = node.name
        if name not in self.env.filters:
            self.report(node, f"过滤器“|{name}”不存在{_suggest(name, self.env.filters)}")
        base = self.expr(node.node, scope, guarded or name in ("default", "d")) if node.node is not None \
            else unknown()
        self.arguments(node, scope, guarded)
        attribute = None
        if name in ("selectattr", "rejectattr") and node.args and isinstance(node.args[0], self.nodes.Const):
            attribute = node.args[0].value
        elif name in ATTRIBUTE_FILTERS:
            for kw in node.kwargs:
                if kw.key == "attribute" and isinstance(kw.value, self.nodes.Const):
                    attribute = kw.value.value
            if name == "groupby" and node.args and isinstance(node.args[0], self.nodes.Const):
                attribute = node.args[0].value
        if isinstance(attribute, str) and base.item is not None and not base.open:
            shape = base.item
            for key in attribute.split("."):
                probe = self.nodes.Getattr(self.nodes.Name(f"{_expr_text(node.node, self.nodes)}[]", "load"), key, "load",
                                           lineno=node.lineno)
                shape = self.member(probe, shape, int(key) if key.isdigit() else key, guarded)
        if name in SAME_LIST_FILTERS:
            return base
        if name in ITEM_FILTERS and base.item is not None:
            return base.item
        if name in ("default", "d"):
            return base
        return unknown()

    # ---- statements

    def bind(self, target, shape: Shape, scope: dict) -> None:
        n = self.nodes
        if isinstance(target, n.Name):
            scope[target.name] = shape
        elif isinstance(target, n.Tuple):
            elements = shape.elements if shape.elements is not None else []
            for i, item in enumerate(target.items):
                self.bind(item, elements[i] if i < len(elements) else unknown(), scope)
        elif isinstance(target, n.NSRef):
            if target.name not in scope and target.name not in (self.root.keys or {}):
                self.report(target, f"“{target.name}.{target.attr}”：{target.name} 未定义（先写 "
                                    f"{{% set {target.name} = namespace() %}}）")

    def guarded(self, scope: dict, test, kind: str) -> dict:
        """`scope` where what `test` checks with `is <kind>` counts as present ({% if x is defined %}…)."""
        n = self.nodes
        checked = set()
        for node in [test, *test.find_all(n.Test)]:
            if isinstance(node, n.Test) and node.name == kind:
                checked.add(_expr_text(node.node, n))
        if not checked:
            return scope
        inner = dict(scope)
        inner[DEFINED] = scope.get(DEFINED, frozenset()) | checked
        return inner

    def body(self, statements, scope: dict) -> None:
        for statement in statements:
            self.stmt(statement, scope)

    def stmt(self, node, scope: dict) -> None:
        n = self.nodes
        if isinstance(node, n.Output):
            for child in node.nodes:
                if not isinstance(child, n.TemplateData):
                    self.expr(child, scope)
        elif isinstance(node, n.If):
            self.expr(node.test, scope)
            self.body(node.body, self.guarded(scope, node.test, "defined"))
            for branch in node.elif_:
                self.stmt(branch, scope)
            self.body(node.else_, self.guarded(scope, node.test, "undefined"))
        elif isinstance(node, n.For):
            iterable = self.expr(node.iter, scope)
            if iterable.open:
                item = unknown()
            elif iterable.item is not None:
                item = iterable.item
            elif iterable.keys is not None:
                item = scalar(str)
            else:
                item = unknown()
            inner = dict(scope)
            self.bind(node.target, item, inner)
            inner["loop"] = _loop_shape()
            if node.test is not None:
                self.expr(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, n.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, n.AssignBlock):
            self.body(node.body, dict(scope))
            if node.filter is not None:
                self.filter(node.filter, scope, False)
            self.bind(node.target, scalar(str), scope)
        elif isinstance(node, n.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.expr(value, scope), inner)
            self.body(node.body, inner)
        elif isinstance(node, (n.Macro, n.CallBlock)):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = unknown()
            for default in node.defaults:
                self.expr(default, scope)
            for name in ("varargs", "kwargs", "caller"):
                inner[name] = unknown()
            if isinstance(node, n.Macro):
                scope[node.name] = unknown()
                inner[node.name] = unknown()
            else:
                self.expr(node.call, scope)
            self.body(node.body, inner)
        elif isinstance(node, n.FilterBlock):
            self.filter(node.filter, scope, False)
            self.body(node.body, scope)
        elif isinstance(node, (n.Include, n.Import, n.FromImport, n.Extends)):
            return  # refused by the sandbox's own check
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, n.Stmt):
                    self.stmt(child, scope)
                elif isinstance(child, n.Expr):
                    self.expr(child, scope)
                elif isinstance(child, n.Template):
                    self.body(child.body, scope)


# ---------------------------------------------------------------------------------------------- entry point

def problems(template, context: dict, env, extra: list[tuple[str, str]] = ()) -> list[str]:
    """Every problem of a docxtpl `template` (init_docx done) rendered with `context` in `env`, located.
    `extra`: (label, Jinja text) of other rendered pieces (document properties), located by their label."""
    from jinja2 import TemplateSyntaxError

    root = context_shape(context)
    found: list[str] = []
    pieces = [Source(label, text, [None] * (text.count("\n") + 1)) for label, text in extra]
    for src in [*sources(template), *pieces]:
        try:
            ast = env.parse(src.text)
        except TemplateSyntaxError as exc:
            found.append(syntax_problem(env, src, exc))
            continue
        walker = Walker(env, root, src, found)
        walker.body(ast.body, {})
    return found


def message(name: str, found: list[str]) -> str:
    """The clerk's message listing every problem of template file `name`."""
    lines = [f"模板“{name}”有 {len(found)} 处问题，未生成任何文件："]
    lines += [f"{i}. {text}" for i, text in enumerate(found, 1)]
    lines.append("请在 Word/WPS 中按上面的段落位置改正 {{ }} 或 {% %} 标记（变量名对照模板旁的《变量说明》），保存后再试。")
    return "\n".join(lines)
