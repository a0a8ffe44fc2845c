"""The Jinja sandbox Word templates render in: every way of building something huge (operators, filters,
str methods, range, loops, macros, `~`, the whole output) is refused in Chinese before it is built, what a
template may read is the context's plain data, {% include %}-like tags are refused, and ordinary template
code still works. The sizes used are just over each limit, so a broken check fails the test instead of
exhausting memory. A hypothesis run throws random expressions at the sandbox inside one bounded worker:
none may reach the OS limits."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

from safetymonth_desktop.exchange import template_sandbox as sb
from safetymonth_desktop.exchange import template_worker
from safetymonth_desktop.exchange.template_sandbox import BoundedEnvironment, TemplateLimitError

CJK = re.compile(r"[\u4e00-\u9fff]")
CONTEXT = {"year": 2021, "region": "城南区", "items": ["甲", "乙", "丙"],
           "tree": [{"name": "一", "children": [{"name": "二", "children": []}]}]}


def render(source: str, **context) -> str:
    return BoundedEnvironment().from_string(source).render({**CONTEXT, **context})


def refused(source: str, needle: str = "上限", **context) -> str:
    with pytest.raises(TemplateLimitError) as err:
        render(source, **context)
    message = str(err.value)
    assert needle in message and CJK.search(message), message
    return message


@pytest.mark.parametrize("source, needle", [
    ("{{ 'x' * 1000001 }}", "1,000,001 个字符"),
    ("{{ 1000001 * 'x' }}", "1,000,001 个字符"),
    ("{{ ['x'] * 100001 }}", "100,001 项"),
    ("{{ 'x' * 600000 + 'y' * 600000 }}", "1,200,000 个字符"),
    ("{{ [1] * 60000 + [2] * 60000 }}", "120,000 项"),
    ("{{ 2 ** 5000 }}", "数字过大"),
    ("{{ year ** year ** year }}", "数字过大"),
    ("{{ (2 ** 4000) * (2 ** 200) }}", "数字过大"),
    ("{{ '%1001s' % 'x' }}", "宽度或精度"),
    ("{{ '%*s' % (5, 'x') }}", "* 指定宽度"),
])
def test_operators_are_checked_before_they_run(source, needle):
    refused(source, needle)


@pytest.mark.parametrize("tail", ["{{ a }}", "{{ a ~ '' }}", "{{ a|string }}", "{{ '%s' % (a,) }}",
                                  "{{ '{}'.format(a) }}", "{{ [a]|join }}", "{{ a|tojson }}", "{{ '%s'|format(a) }}",
                                  "{{ a|e }}"])
def test_lists_are_measured_before_they_become_text(tail):
    prefix = "{% set a = [[1] * 99999] * 99999 %}"  # 99 999 items, but 10 billion characters as text
    assert render(prefix + "{{ a|length }}") == "99999"
    refused(prefix + tail, "个字符的文字")


@pytest.mark.parametrize("source, needle", [
    ("{{ range(10001)|list }}", "range() 最多产生 10,000 个数,模板要求 10,001 个"),
    ("{% for i in range(10**9) %}x{% endfor %}", "模板要求 1,000,000,000 个"),
    ("{{ range(10**30) }}", "模板要求 极多 个"),
    ("{% for i in range(9000) %}{% for j in range(30) %}{% endfor %}{% endfor %}", "循环和调用超过 200,000 次"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(30) }}", "循环和调用"),
    ("{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "1,048,576 个字符"),
])
def test_ranges_loops_calls_and_concatenation_are_bounded(source, needle):
    refused(source, needle)


def test_the_output_of_one_part_and_the_total_built_are_bounded(monkeypatch):
    monkeypatch.setattr(sb, "MAX_OUTPUT", 1000)
    refused("{% for i in range(200) %}xxxxxxxx{% endfor %}", "一个部分生成的内容超过 1,000 个字符")
    refused("{% macro m() %}{% for i in range(200) %}xxxxxxxx{% endfor %}{% endmacro %}{% set x = m() %}",
            "一个部分生成的内容")
    monkeypatch.setattr(sb, "MAX_PRODUCED", 100_000)
    refused("{% for i in range(100) %}{% set s = 'x' * 5000 %}{% endfor %}", "累计超过 100,000")


@pytest.mark.parametrize("source, needle", [
    ("{{ 'x'|center(1000001) }}", "1,000,001 个字符"),  # constant arguments: also refused when folded at compile time
    ("{{ 'x'|center(10**9) }}", "1,000,000,000 个字符"),
    ("{{ 'a'|indent(1000001, true) }}", "个字符"),
    ("{{ ('a\\n' * 2)|indent('x' * 600000, true, true) }}", "1,800,00"),
    ("{{ '%1001s'|format('x') }}", "宽度或精度"),
    ("{{ range(10000)|join('x' * 1000) }}", "个字符"),
    ("{{ ('x' * 1000)|replace('x', 'y' * 2000) }}", "个字符"),
    ("{{ ('x' * 1000)|wordwrap(1, true, 'y' * 1000) }}", "个字符"),
    ("{{ [1]|batch(100001, 0)|list }}", "100,001 项"),
    ("{{ [1]|slice(100001, 0)|list }}", "100,001 项"),
    ("{{ {'a': 1}|tojson(1001) }}", "缩进"),
    ("{{ ('http://a.cn ' * 1000)|urlize(target='t' * 1000) }}", "个字符"),
    ("{{ [[1] * 60000, [1] * 60000]|sum(start=[]) }}", "120,000 项"),
    ("{{ range(10000)|list|map('string')|join|list|list|length }}", ""),
])
def test_filters_that_multiply_are_checked(source, needle):
    if not needle:
        assert render(source) == "38890"  # within the limits: works
        return
    refused(source, needle)


@pytest.mark.parametrize("source, needle", [
    ("{{ 'x'.ljust(1000001) }}", "个字符"),
    ("{{ 'x'.zfill(10**9) }}", "个字符"),
    ("{{ ('\t' * 1000).expandtabs(10000) }}", "个字符"),
    ("{{ ('x' * 1000).replace('x', 'y' * 1001) }}", "个字符"),
    ("{{ ('y' * 1000).join(range(2000)|map('string')) }}", "个字符"),
    ("{{ ('x' * 1000).translate({120: 'y' * 1001}) }}", "个字符"),
    ("{{ (1).to_bytes(1000001, 'big') }}", "字节"),
    ("{{ '{:>1001}'.format('x') }}", "宽度或精度"),
    ("{{ '{:{}}'.format('x', 5) }}", "嵌套"),
])
def test_str_and_int_methods_that_multiply_are_checked(source, needle):
    refused(source, needle)


@pytest.mark.parametrize("source", ["{% include 'a.docx' %}", "{% extends 'a.docx' %}", "{% import 'a' as b %}",
                                    "{% from 'a' import b %}{{ b }}"])
def test_other_templates_cannot_be_reached(source):
    refused(source, "不能引用其他模板")


def test_only_plain_data_can_be_read():
    class Picture:  # what docxtpl's InlineImage is to a template: an object holding the DocxTemplate
        tpl = "the document, with save()"

        def __str__(self):
            return "<图>"

    assert render("{{ pic }}", pic=Picture()) == "&lt;图&gt;"
    for source in ("{{ pic.tpl }}", "{{ region.__class__ }}", "{{ items.append(1) }}",
                   "{{ (items|map('upper')).send }}"):
        with pytest.raises(SecurityError):
            render(source, pic=Picture())
    with pytest.raises(UndefinedError):
        render("{{ lipsum(10**9) }}")


def test_ordinary_template_code_still_works():
    source = ("{{ region }}{{ year }}年|{% for x in items %}{{ loop.index }}{{ x }}{% if not loop.last %}、{% endif %}"
              "{% endfor %}|{{ items|join('、') }}|{{ '%s年' % year }}|{{ '{:.1f}'.format(93.94) }}"
              "|{{ '{:,}'.format(12345) }}|{{ '%.2f'|format(3.14159) }}|{{ range(1, 13)|list|length }}|{{ 2 ** 10 }}"
              "|{{ 'ab' * 3 }}|{{ [1, 2] + [3] }}"
              "|{{ 10 / 4 }}|{{ 'a' ~ year }}|{{ items|batch(2)|list|length }}|{{ [1, 2, 3]|sum }}|{{ '<&>' }}"
              "|{% set ns = namespace(n=0) %}{% for x in items %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}"
              "|{% for node in tree recursive %}{{ node.name }}{{ loop(node.children) }}{% endfor %}"
              "|{% macro box(t) %}[{{ t }}{{ caller() }}]{% endmacro %}{% call box('甲') %}乙{% endcall %}"
              "|{% for k, v in {'a': 1}.items() %}{{ k }}={{ v }}{% endfor %}|{{ items|map('upper')|join }}")
    assert render(source).split("|") == [
        "城南区2021年", "1甲、2乙、3丙", "甲、乙、丙", "2021年", "93.9", "12,345", "3.14", "12", "1024", "ababab",
        "[1, 2, 3]", "2.5", "a2021", "2", "6", "&lt;&amp;&gt;", "3", "一二", "[甲乙]", "a=1", "甲乙丙"]


def test_describe_words_every_failure_in_chinese():
    samples = [TemplateLimitError("模板要生成太多"), UndefinedError("'dict object' has no attribute 'foo'"),
               UndefinedError("'regoin' is undefined"), SecurityError("x"), ZeroDivisionError(), OverflowError(),
               RecursionError(), MemoryError(), TemplateSyntaxError("unexpected '}'", 1), TypeError("bad operand"),
               ValueError("Exceeds the limit (4300 digits)")]
    texts = [sb.describe(exc) for exc in samples]
    assert all(CJK.search(t) for t in texts), texts
    assert "“dict object”没有“foo”" in texts[1] and "“regoin”未定义" in texts[2] and "除以零" in texts[4]


def test_runtime_errors_of_a_render():
    with pytest.raises(ZeroDivisionError):
        render("{{ year // 0 }}")
    with pytest.raises(OverflowError):
        render("{{ 10.0 ** 400 }}")
    with pytest.raises(RecursionError):
        render("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")
    with pytest.raises(RecursionError):
        render("{% for x in items recursive %}{{ loop(items) }}{% endfor %}")


# ---------------------------------------------------------------------------------------------- fuzz

ATOMS = {
    "int": ["0", "1", "2", "3", "7", "99", "999", "9999", "99999", "10**6", "10**9", "10**30", "-1", "year"],
    "str": ["''", "'x'", "'安全'", "'%s'", "'{}'", "'{:>9}'", "'%9s'", "'\\t'", "'a\\nb'", "region", "'http://a.cn x'"],
    "list": ["[1]", "['x']", "[]", "range(10)", "range(9999)", "range(10**9)", "items", "[items, items]"],
}
# (result kind, template with {int}/{str}/{list} holes): the ways a template builds values; the holes are filled
# with expressions of that kind, so most combinations run instead of failing on a type error.
PRODUCTIONS = [
    ("int", "({int} * {int})"), ("int", "({int} ** {int})"), ("int", "({int} + {int})"), ("int", "({int} // {int})"),
    ("int", "({str}|length)"), ("int", "({list}|length)"), ("int", "({list}|sum)"), ("int", "({str}|int)"),
    ("str", "({str} * {int})"), ("str", "({int} * {str})"), ("str", "({str} + {str})"), ("str", "({str} ~ {int})"),
    ("str", "({list}|join({str}))"), ("str", "({str}|center({int}))"), ("str", "({str}|replace({str}, {str}))"),
    ("str", "({str}|indent({int}, true, true))"), ("str", "({str}|wordwrap({int}, true, {str}))"),
    ("str", "({str}|format({int}))"), ("str", "({str} % {int})"), ("str", "({list}|string)"),
    ("str", "({list}|tojson)"),
    ("str", "({str}|urlize(target={str}))"), ("str", "({str}|truncate({int}))"), ("str", "({str}).ljust({int})"),
    ("str", "({str}).zfill({int})"), ("str", "({str}).expandtabs({int})"),
    ("str", "({str}).join({list}|map('string'))"),
    ("str", "({str}).replace({str}, {str})"), ("str", "({str}).format({str})"), ("str", "({str}).center({int}, {str})"),
    ("list", "({list} * {int})"), ("list", "({list} + {list})"), ("list", "range({int})"), ("list", "[{str}, {int}]"),
    ("list", "({list}|batch({int}, {str})|list)"), ("list", "({list}|slice({int})|list)"), ("list", "({str}|list)"),
    ("list", "({str}).split()"), ("list", "({list}|map('string')|list)"), ("list", "({list}|unique|list)"),
    ("list", "({list}|sort|reverse|list)"), ("list", "[{list}] * {int}"),
]


@st.composite
def expressions(draw, kind: str = "str", depth: int = 3):
    """A Jinja expression giving a `kind` value (most of the time), built from the productions above."""
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(ATOMS[kind] if draw(st.integers(0, 9)) else sum(ATOMS.values(), [])))
    _, pattern = draw(st.sampled_from([p for p in PRODUCTIONS if p[0] == kind]))
    holes = re.findall(r"\{(int|str|list)\}", pattern)
    filled = [draw(expressions(hole, depth - 1)) for hole in holes]
    return re.sub(r"\{(int|str|list)\}", lambda m: filled.pop(0), pattern)


@st.composite
def templates(draw):
    """A small template: an expression printed, possibly inside one to three nested loops or a macro."""
    kind = draw(st.sampled_from(list(ATOMS)))
    body = "{{ " + draw(expressions(kind)) + " }}"
    for _ in range(draw(st.integers(0, 3))):
        body = "{% for i in " + draw(expressions("list")) + " %}" + body + "{% endfor %}"
    if draw(st.booleans()):
        body = "{% macro m(n) %}" + body + "{% endmacro %}{{ m(1) }}{{ m(" + draw(expressions("int")) + ") }}"
    return body


def fuzz_sandbox(examples: int) -> int:
    """Run in a bounded worker: random templates rendered in-process there; each must give its output or an
    exception describe() words in Chinese; none may exhaust memory (MemoryError) or time (the worker's CPU
    limit would kill it and the caller would get the limit message). Returns how many were tried."""
    seen = []

    @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(templates())
    def check(source):
        seen.append(source)
        try:
            output = BoundedEnvironment().from_string(source).render(CONTEXT)
        except MemoryError:
            raise AssertionError(f"the sandbox let this exhaust memory: {source}") from None
        except Exception as exc:  # noqa: BLE001 - every failure must be worded in Chinese
            assert CJK.search(sb.describe(exc)), (source, exc)
        else:
            assert len(output) <= sb.MAX_OUTPUT

    check()
    return len(seen)


@pytest.mark.slow
def test_fuzz_random_templates_never_reach_the_os_limits():
    tried = template_worker.run(fuzz_sandbox, 300, on_limit="沙箱没能拦住某个模板:工作进程超出了时间/内存限制",
                                cpu=120, timeout=180)
    assert tried == 300
