"""The Jinja environment Word templates render in, and the Chinese wording of what goes wrong in one.

Jinja's sandbox keeps a template away from Python internals but lets it build anything: `'x' * 10**10`,
`''.join(['x'] * 10**7)`, nested `range(99999)` loops or `year ** year ** year` ran for minutes and took
gigabytes. `BoundedEnvironment` is Jinja's immutable sandbox (a template can reach nothing but its context's
plain data and cannot change it; autoescape on; an undefined value is an error) that also caps what a
template can build, each cap refused with a Chinese message (TemplateLimitError):

- `*`, `+`, `**` and `%` are checked before they run: strings up to MAX_TEXT characters, lists up to
  MAX_ITEMS items, integers up to MAX_INT_BITS bits, `%`/`format` widths up to MAX_FORMAT_WIDTH;
- a list or dict turned into text (printed, `~`, `%`, `|string`, `|join`, `|tojson`, `.format()` …) may be
  at most MAX_TEXT characters long, measured before it is converted: `[[big] * 99999] * 99999` is short as a
  list but not as text;
- `range()` gives at most MAX_RANGE numbers; every loop iteration and every call counts toward MAX_STEPS;
- filters and methods that can multiply a string (`join`, `replace`, `center`, `indent`, `format`,
  `wordwrap`, `batch`, `slice`, `tojson`, `urlize`, `sum`, `str.ljust`/`zfill`/`expandtabs`/`translate`,
  `int.to_bytes` …) are checked before they run and every result is measured after; all strings and lists
  built count toward MAX_PRODUCED, and one rendered part holds at most MAX_OUTPUT characters;
- there is no loader: `{% include %}`, `{% extends %}` and `{% import %}` are refused (`word_report.check_template`
  already names the paragraph; here at run time too), and `lipsum` is gone.

These bounds give the clerk a precise message for the usual mistakes and hostile files; the hard limit is
the worker process of `template_worker`, whose memory and CPU time the OS caps. `describe(exc)` words any
exception a render raises in Chinese.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
import string
from decimal import Decimal

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference, Undefined
from jinja2.utils import Cycler, Joiner, Namespace
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_RANGE = 10_000
MAX_STEPS = 200_000
MAX_TEXT = 1_000_000
MAX_ITEMS = 100_000
MAX_PRODUCED = 50_000_000
MAX_OUTPUT = 20_000_000
MAX_INT_BITS = 4096
MAX_FORMAT_WIDTH = 1000

ADVICE = "请检查模板中的循环或重复。"
NO_INCLUDE = "模板中不能引用其他模板({% include %}、{% extends %}、{% import %}),请把需要的内容直接写在模板里"

# Objects whose attributes a template may read: the context's plain data and Jinja's own helpers. Anything
# else (a docxtpl picture's `tpl`, a generator's `send`) is refused like an underscore attribute.
_READABLE = (str, int, float, Decimal, dt.date, dt.time, dt.timedelta, list, tuple, dict, set, frozenset, range,
             LoopContext, Namespace, Cycler, Joiner, Macro, TemplateReference, BlockReference, Undefined)
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_SEQUENCES = (str, bytes, bytearray, list, tuple)
_CONTAINERS = (list, tuple, dict, set, frozenset, Namespace)
# Filters that turn their value (and `format` its arguments) into text.
_TEXT_FILTERS = {"string", "pprint", "tojson", "format", "e", "escape", "forceescape", "safe", "urlize", "urlencode",
                 "center", "indent", "wordwrap", "truncate", "replace", "upper", "lower", "title", "capitalize", "trim",
                 "striptags", "wordcount", "xmlattr"}


class TemplateLimitError(SecurityError):
    """A template asked for more than the bounds allow; `message` says what, in Chinese."""


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with every `for` loop iterating through `environment.loop_items` (counted) and
    every `~` concatenation measured by `environment.checked`."""

    def visit_For(self, node, frame):
        counted = nodes.Call(nodes.EnvironmentAttribute("loop_items"), [node.iter], [], None, None,
                             lineno=node.iter.lineno)
        loop = nodes.For(node.target, counted, node.body, node.else_, node.test, node.recursive, lineno=node.lineno)
        super().visit_For(loop, frame)

    def visit_Concat(self, node, frame):  # Jinja's, with each operand and the result measured
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"environment.checked({func_name}((")
        for arg in node.nodes:
            self.write("environment.as_text(")
            self.visit(arg, frame)
            self.write("), ")
        self.write(")))")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """A sandbox whose templates cannot exhaust memory or time (see the module docstring). One instance
    per render: the step and size budgets add up over all parts of one document."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self):
        super().__init__(autoescape=True, undefined=StrictUndefined, finalize=self.as_text)
        self.steps = 0
        self.produced = 0
        self.last_source: str | None = None  # the source being rendered, to locate a failure
        self.globals["range"] = self.range
        self.globals.pop("lipsum", None)
        self.filters = {name: _bounded_filter(self, name, func) for name, func in self.filters.items()}

    def from_string(self, source, *args, **kwargs):
        if isinstance(source, str):
            self.last_source = source
        return super().from_string(source, *args, **kwargs)

    # ---- budgets

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(f"模板中的循环和调用超过 {MAX_STEPS:,} 次上限(多半是循环套循环)")

    def size_ok(self, size: int, limit: int, what: str) -> None:
        if size > limit:
            raise TemplateLimitError(f"模板要生成 {size:,} {what},超过上限 {limit:,}")

    def checked(self, value):
        """`value` when its size is within the bounds; counted toward MAX_PRODUCED."""
        if isinstance(value, (str, bytes, bytearray)):
            self.size_ok(len(value), MAX_TEXT, "个字符的文字")
        elif isinstance(value, (list, tuple, dict, set, frozenset)):
            self.size_ok(len(value), MAX_ITEMS, "项的列表")
        elif isinstance(value, int):
            _int_ok(value.bit_length())
            return value
        else:
            return value
        self.produced += len(value)
        if self.produced > MAX_PRODUCED:
            raise TemplateLimitError(f"模板生成的文字和列表累计超过 {MAX_PRODUCED:,} 个字符/项")
        return value

    def as_text(self, value):
        """`value` unchanged when its text (str()) is within MAX_TEXT characters; applied to every {{ }}
        output, every `~` operand and whatever `%`, `.format()` and the text filters convert."""
        if isinstance(value, _CONTAINERS):
            self.size_ok(_text_size(value, MAX_TEXT), MAX_TEXT, "个字符的文字(列表或字典转成文字后)")
        return value

    def loop_items(self, iterable):
        """The items of a `for` loop, each counted as a step."""
        for item in iterable:
            self.step()
            yield item

    def range(self, *args):
        numbers = range(*args)
        try:
            size = len(numbers)
        except OverflowError:  # longer than sys.maxsize
            size = math.inf
        if size > MAX_RANGE:
            shown = f"{size:,}" if size != math.inf else "极多"
            raise TemplateLimitError(f"range() 最多产生 {MAX_RANGE:,} 个数,模板要求 {shown} 个")
        return numbers

    def concat(self, parts) -> str:  # joins the output of a template, a macro or a {% set %} block
        out = []
        size = 0
        for part in parts:
            size += len(part)
            if size > MAX_OUTPUT:
                raise TemplateLimitError(f"模板一个部分生成的内容超过 {MAX_OUTPUT:,} 个字符")
            out.append(part)
        return "".join(out)

    # ---- operators, calls, attributes

    def call_binop(self, context, operator, left, right):
        _BINOP_CHECKS[operator](self, left, right)
        return self.checked(self.binop_table[operator](left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        __self.step()
        if isinstance(__obj, LoopContext) and args:  # loop(children) of a recursive loop
            args = (__self.loop_items(args[0]), *args[1:])
        args = _check_method_call(__self, __obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, Macro):  # its output is bounded by concat(); still counted
            __self.produced += len(result)
            return result
        return __self.checked(result)

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return isinstance(obj, _READABLE) and super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value):
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:
            _format_specs_ok(value.__self__)
        return wrapper

    def get_template(self, *args, **kwargs):
        raise TemplateLimitError(NO_INCLUDE)

    select_template = get_or_select_template = get_template


# ---------------------------------------------------------------------------------------------- checks

def _int_ok(bits: float) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateLimitError(f"模板中的计算结果数字过大(约 {bits:,.0f} 位二进制,上限 {MAX_INT_BITS} 位)")


def _count(value):
    """n for `seq * n` (None when `value` is not a plain integer)."""
    return value if isinstance(value, int) else None


def _times_ok(env, left, right) -> None:
    for seq, n in ((left, _count(right)), (right, _count(left))):
        if isinstance(seq, _SEQUENCES) and n is not None:
            limit, what = (MAX_TEXT, "个字符的文字") if isinstance(seq, (str, bytes, bytearray)) else (MAX_ITEMS, "项的列表")
            env.size_ok(len(seq) * max(n, 0), limit, what)
            return
    if isinstance(left, int) and isinstance(right, int):
        _int_ok(left.bit_length() + right.bit_length())


def _plus_ok(env, left, right) -> None:
    if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        limit, what = (MAX_TEXT, "个字符的文字") if isinstance(left, (str, bytes, bytearray)) else (MAX_ITEMS, "项的列表")
        env.size_ok(len(left) + len(right), limit, what)


def _power_ok(env, base, exponent) -> None:
    if isinstance(base, (int, Decimal)) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        _int_ok(exponent * math.log2(abs(base)))


def _percent_ok(env, left, right) -> None:
    if isinstance(left, str):
        _printf_ok(left)
        for value in right if isinstance(right, tuple) else (right,):
            env.as_text(value)


_BINOP_CHECKS = {"*": _times_ok, "+": _plus_ok, "**": _power_ok, "%": _percent_ok}


def _width_ok(value) -> None:
    if value == "*":
        raise TemplateLimitError("格式中不能用 * 指定宽度")
    if value and (len(value) > 6 or int(value) > MAX_FORMAT_WIDTH):
        raise TemplateLimitError(f"格式中的宽度或精度 {value[:12]} 超过上限 {MAX_FORMAT_WIDTH}")


def _printf_ok(fmt: str) -> None:
    for match in _PRINTF.finditer(fmt):
        for group in match.groups():
            _width_ok(group)


def _format_specs_ok(fmt: str) -> None:
    """str.format(): no nested fields in a spec, no width or precision over MAX_FORMAT_WIDTH."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # a malformed format string: format() itself raises, explain() words it
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise TemplateLimitError("格式说明中不能再嵌套 {} 字段")
        for number in re.findall(r"\d+", spec):
            _width_ok(number)


def _text_size(value, limit: int) -> int:
    """About how long str(value) is, counted only until it passes `limit` (shared sublists count each time,
    as str() writes them each time)."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 4
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(itertools.islice(item.keys(), limit))
            stack.extend(itertools.islice(item.values(), limit))
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            stack.extend(itertools.islice(item, limit))
        elif isinstance(item, Namespace):
            total += 16
            stack.append(object.__getattribute__(item, "_Namespace__attrs"))
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 2
        else:
            total += 32
    return total


def _materialized(env, iterable) -> list:
    items = list(itertools.islice(iter(iterable), MAX_ITEMS + 1))
    env.size_ok(len(items), MAX_ITEMS, "项的列表")
    return items


def _joined_size(items, separator) -> int:
    return (sum(len(x) if isinstance(x, str) else _text_size(x, MAX_TEXT) for x in items)
            + len(separator) * max(len(items) - 1, 0))


def _replaced_size(text, old, new, count=None) -> int:
    if not isinstance(text, str) or not isinstance(old, str) or not isinstance(new, str):
        return 0
    hits = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(len(new) - len(old), 0)


def _arg(args, kwargs, index, name, default=None):
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _check_method_call(env, func, args, kwargs):
    """Refuse a str/bytes/int method call whose result would be too large; returns the (possibly
    materialised) arguments."""
    owner = getattr(getattr(func, "__wrapped__", func), "__self__", None)  # str.format comes wrapped by the sandbox
    name = getattr(func, "__name__", "")
    text = "个字符的文字"
    if isinstance(owner, (str, bytes, bytearray)):
        for value in itertools.chain(args, kwargs.values()):
            env.as_text(value)
        if name in ("center", "ljust", "rjust", "zfill"):
            width = _arg(args, kwargs, 0, "width", 0)
            if isinstance(width, int):
                env.size_ok(width, MAX_TEXT, text)
        elif name == "expandtabs":
            tabsize = _arg(args, kwargs, 0, "tabsize", 8)
            if isinstance(tabsize, int):
                env.size_ok(len(owner) * max(tabsize, 1), MAX_TEXT, text)
        elif name == "replace" and len(args) >= 2:
            env.size_ok(_replaced_size(owner, args[0], args[1], _arg(args, kwargs, 2, "count")), MAX_TEXT, text)
        elif name == "join" and args:
            items = _materialized(env, args[0])
            env.size_ok(_joined_size(items, owner), MAX_TEXT, text)
            return (items, *args[1:])
        elif name == "translate" and args and isinstance(args[0], dict):
            longest = max((len(v) for v in args[0].values() if isinstance(v, (str, bytes))), default=1)
            env.size_ok(len(owner) * max(longest, 1), MAX_TEXT, text)
    elif isinstance(owner, int) and name == "to_bytes":
        length = _arg(args, kwargs, 0, "length", 1)
        if isinstance(length, int):
            env.size_ok(length, MAX_TEXT, "字节")
    return args


# ---------------------------------------------------------------------------------------------- filters

def _check_filter(env, name, args, kwargs):
    """Checks made before a filter runs, on its arguments after the context/environment one; returns the
    (possibly materialised) arguments."""
    text = "个字符的文字"
    value = args[0] if args else None
    if name in _TEXT_FILTERS:
        for arg in args if name == "format" else args[:1]:
            env.as_text(arg)
    if name == "center":
        width = _arg(args, kwargs, 1, "width", 80)
        if isinstance(width, int):
            env.size_ok(width, MAX_TEXT, text)
    elif name == "indent":
        width = _arg(args, kwargs, 1, "width", 4)
        per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        lines = str(value).count("\n") + 1 if isinstance(value, str) else 1
        env.size_ok(lines * max(per_line, 0) + (len(value) if isinstance(value, str) else 0), MAX_TEXT, text)
    elif name == "format" and isinstance(value, str):
        _printf_ok(value)
    elif name == "join" and value is not None and not isinstance(value, Undefined):
        items = _materialized(env, value)
        separator = _arg(args, kwargs, 1, "d", "")
        env.size_ok(_joined_size(items, separator if isinstance(separator, str) else ""), MAX_TEXT, text)
        return (items, *args[1:])
    elif name == "replace":
        env.size_ok(_replaced_size(value, _arg(args, kwargs, 1, "old"), _arg(args, kwargs, 2, "new"),
                                   _arg(args, kwargs, 3, "count")), MAX_TEXT, text)
    elif name == "wordwrap" and isinstance(value, str):
        wrapstring = _arg(args, kwargs, 3, "wrapstring") or "\n"
        env.size_ok(len(value) * (1 + len(str(wrapstring))), MAX_TEXT, text)
    elif name in ("batch", "slice"):
        count = _arg(args, kwargs, 1, "linecount" if name == "batch" else "slices")
        if isinstance(count, int):
            env.size_ok(count, MAX_ITEMS, "项的列表")
    elif name == "tojson":
        indent = _arg(args, kwargs, 1, "indent")
        if indent is not None:
            env.size_ok(len(indent) if isinstance(indent, str) else indent if isinstance(indent, int) else 0,
                        MAX_FORMAT_WIDTH, "个缩进字符")
    elif name == "urlize" and isinstance(value, str):
        extra = sum(len(str(_arg(args, kwargs, i, key) or "")) for i, key in ((3, "target"), (4, "rel")))
        env.size_ok(len(value) * (2 + extra), MAX_TEXT, text)
    elif name == "sum":
        start = _arg(args, kwargs, 2, "start", 0)
        if isinstance(start, _SEQUENCES):
            items = _materialized(env, value)
            env.size_ok(len(start) + sum(len(x) for x in items if isinstance(x, _SEQUENCES)), MAX_ITEMS, "项的列表")
            return (items, *args[1:])
    return args


def _bounded_filter(env, name, func):
    passed = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(func)
    def bounded(*args, **kwargs):
        env.step()
        args = (*args[:passed], *_check_filter(env, name, args[passed:], kwargs))
        return env.checked(func(*args, **kwargs))

    return bounded


# ---------------------------------------------------------------------------------------------- messages

def describe(exc: BaseException) -> str:
    """What went wrong while rendering, in Chinese (without the template's name or the advice)."""
    if isinstance(exc, TemplateLimitError):
        return str(exc.message)
    if isinstance(exc, UndefinedError):
        return f"使用了数据中没有的变量或属性({_undefined_name(exc)})"
    if isinstance(exc, SecurityError):
        return "试图访问不允许的内容(只能使用《变量说明》中的变量)"
    if isinstance(exc, TemplateSyntaxError):
        return f"标记写法有误({exc.message})"
    if isinstance(exc, ZeroDivisionError):
        return "有除以零的计算"
    if isinstance(exc, OverflowError):
        return "计算结果超出数值范围"
    if type(exc).__name__ == "XMLSyntaxError":  # lxml, parsing what the template wrote
        return "生成的内容不是有效的 Word 文档内容(多半是用 |safe 原样输出了尖括号或 & 符号)"
    if isinstance(exc, SyntaxError):  # Python's, compiling the template: more than 20 nested blocks
        return "循环、条件等标记嵌套的层数过多(最多约 20 层)"
    if isinstance(exc, RecursionError):
        return "宏或循环嵌套过深(可能是宏调用了它自己)"
    if isinstance(exc, MemoryError):
        return "所需内存超出限制"
    return f"有无法计算的表达式({type(exc).__name__}: {str(exc)[:200]})"


def _undefined_name(exc: UndefinedError) -> str:
    message = str(exc.message or "")
    match = re.search(r"'([^']+)' is undefined", message)
    if match:
        return f"“{match.group(1)}”未定义"
    match = re.search(r"'([^']+)' has no attribute '([^']+)'", message)
    if match:
        return f"“{match.group(1)}”没有“{match.group(2)}”"
    return message[:200]
