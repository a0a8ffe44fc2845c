"""Which of the report context's per-record lists a template names (`named_lists`), so that `build_context`
builds only those: every event, action, inspection … as a dict is most of the context at a million records,
and the built-in template names none of them.

Belongs here: reading the Jinja source of a template's parts (as `word_report` patches them) for the paths it
reaches. Opening the template and deciding where that runs (this process or the bounded worker) is
`word_report`'s; the lists themselves are `report_sections.base.RECORD_LISTS`.

How: Jinja has no way to look a variable up by a computed name, and each list sits under dicts only, so a
template reaches a list only through a context variable: by a path of constant keys (`hazards.actions`,
`hazards['actions']|length`, `org.documents[0].title`), or by using a dict above it whole (`{% set h = hazards %}`,
`hazards.items()`, `hazards[key]`, `{{ publicity }}`, a macro given `org`). Every expression is read as the
longest such path from a name (a method call or a computed key ends the path before it); a list is named when
one of these paths leads to it or into it. Reading more than the template needs costs only time; a source
Jinja cannot parse names every list (the check refuses it anyway, with its own message).
"""

from __future__ import annotations

from safetymonth_desktop.exchange.report_sections.base import RECORD_LISTS

ALL = frozenset(RECORD_LISTS)


def named_lists(sources, env) -> frozenset[str]:
    """The RECORD_LISTS paths the Jinja `sources` (texts, parsed with `env`) name, as defined above."""
    from jinja2 import TemplateSyntaxError

    paths: set[tuple[str, ...]] = set()
    for text in sources:
        try:
            ast = env.parse(text)
        except (TemplateSyntaxError, RecursionError, ValueError, OverflowError):
            return ALL
        _collect(ast, paths)
    return frozenset(path for path in RECORD_LISTS if _reached(tuple(path.split(".")), paths))


def _reached(target: tuple[str, ...], paths: set[tuple[str, ...]]) -> bool:
    """Whether a template path leads to `target` (a dict above it used whole, or the list itself) or into it."""
    return any(target[:len(p)] == p or p[:len(target)] == target for p in paths)


def _chain(node) -> tuple[str, ...] | None:
    """('hazards', 'actions') for `hazards.actions` or `hazards['actions']`; None for anything else."""
    from jinja2 import nodes

    keys: list[str] = []
    while not isinstance(node, nodes.Name):
        if isinstance(node, nodes.Getattr):
            keys.append(node.attr)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
                and isinstance(node.arg.value, (str, int)) and not isinstance(node.arg.value, bool):
            keys.append(str(node.arg.value))
        else:
            return None
        node = node.node
    return (node.name, *reversed(keys)) if node.ctx == "load" else None


def _collect(node, paths: set) -> None:
    """Add to `paths` every path of constant keys from a name in `node` (see the module's docstring)."""
    from jinja2 import nodes

    stack = [node]
    while stack:  # no recursion: a deeply nested template must not exhaust the stack here
        node = stack.pop()
        chain = _chain(node)
        if chain is not None:
            paths.add(chain)
            continue
        children = list(node.iter_child_nodes())
        if isinstance(node, nodes.Call):
            called = _chain(node.node)
            if called is not None and len(called) > 1:
                paths.add(called[:-1])  # a method of what is before it (`publicity.items()`): that one whole
                children = [c for c in children if c is not node.node]
        stack.extend(children)
