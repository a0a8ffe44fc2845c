"""The layers as a strict order, read from the source (ast; nothing is imported).

Between packages: base → db → services → exchange → commands + command_line.py → ui → cli.py + __main__.py; a module imports
only from its own layer or the ones before it. Inside base/, db/ and services/ the modules have a rank (the
lists below, in the order a reader can follow top to bottom): a module imports only modules ranked before
it, so those packages hold no cycle at all. Nowhere is there an import cycle, not even one held apart by an
import inside a function: an import inside a function is there only for start-up speed and says so with a
`# lazy:` comment (on the import, or on the comment/import lines right above it). And nothing below ui/
imports Qt.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "safetymonth_desktop"

LAYERS = ("base", "db", "services", "exchange", "commands", "ui", "entry")
# Modules at the top of the package and the layer they belong to (the package's __init__ is the base).
LOOSE = {"": "base", "command_line": "commands", "cli_parser": "commands", "cli": "entry", "__main__": "entry"}

RANKS = {
    "base": ("errors", "text", "vocab", "paths", "file_facts", "failures", "files", "app_mutex", "collector"),
    "db": ("fields", "proxy", "models", "migrations", "page_stamps", "integrity", "lock", "storage", "backup_folder", "identity",
           "output_paths", "backup", "connection", "restore"),
    "services": ("numbers", "text_columns", "coerce", "rules", "report_settings", "submissions", "figure_cache",
                 "history", "photos", "roster", "units", "records", "campaigns", "history_view", "breakdowns",
                 "indicators", "readiness", "first_steps", "overview", "chart_data", "unit_summary", "listing", "paste",
                 "imports", "region_figures", "rollup", "region_summary", "progress", "safety", "demo", "crash_log",
                 "about"),
}
LAZY_MARK = "# lazy:"


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted, without the package name ("db.backup"; "" for the package)
    target: str  # imported module of ours, same form
    line: int
    in_function: bool
    marked_lazy: bool


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root / PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def own_modules(root: Path) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}


def _resolve(name: str, modules) -> str | None:
    """`safetymonth_desktop.a.b` → "a.b" when it is (or lies in) one of our modules, else None."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    name = name[len(PACKAGE) + 1:]
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in modules else ""


def imports_of(module: str, path: Path, modules) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    found: list[Import] = []
    import_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            import_lines.update(range(node.lineno, node.end_lineno + 1))

    def marked(node) -> bool:
        if any(LAZY_MARK in lines[n - 1] for n in range(node.lineno, node.end_lineno + 1)):
            return True
        n = node.lineno - 1
        while n >= 1 and (lines[n - 1].strip().startswith("#") or n in import_lines):
            if LAZY_MARK in lines[n - 1]:
                return True
            n -= 1
        return False

    def targets(node) -> list[str]:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                package = package[:len(package) - (node.level - 1)]
                base = ".".join([PACKAGE, *[p for p in package if p], *([base] if base else [])])
            names = [f"{base}.{alias.name}" for alias in node.names]
        resolved = [_resolve(name, modules) for name in names]
        return [r for r in resolved if r is not None]

    def walk(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in targets(child):
                    if target != module:
                        found.append(Import(module, target, child.lineno, in_function, marked(child)))
            walk(child, inside)

    walk(tree, False)
    return found


def layer_of(module: str) -> str:
    if module in LOOSE:
        return LOOSE[module]
    return module.split(".")[0]


def check(root: Path = ROOT, ranks=RANKS) -> list[str]:
    """Every breach of the order in the tree at `root`, as sentences naming file and line."""
    modules = own_modules(root)
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        where = path.relative_to(root)
        layer = layer_of(module)
        if layer not in LAYERS:
            problems.append(f"{where}: module in no layer ({layer}); place it in LAYERS or LOOSE")
            continue
        for package, order in ranks.items():
            inner = module.split(".", 1)[1] if module.startswith(package + ".") else None
            if inner is not None and inner.split(".")[0] not in order:
                problems.append(f"{where}: {package}/ module without a rank; add it to RANKS[{package!r}]")
        for imp in imports_of(module, path, modules):
            graph[module].add(imp.target)
            place = f"{where}:{imp.line}"
            target_layer = layer_of(imp.target) if imp.target else "base"
            if target_layer in LAYERS and LAYERS.index(target_layer) > LAYERS.index(layer):
                problems.append(f"{place}: {layer} imports upward from {target_layer} ({imp.target})")
            for package, order in ranks.items():
                if module.startswith(package + ".") and imp.target.startswith(package + "."):
                    mine, theirs = module.split(".")[1], imp.target.split(".")[1]
                    if mine in order and theirs in order and order.index(theirs) >= order.index(mine):
                        problems.append(f"{place}: {package}.{mine} imports {package}.{theirs}, which is not "
                                        f"ranked before it")
            if imp.in_function and not imp.marked_lazy:
                problems.append(f"{place}: import of {imp.target} inside a function without a '{LAZY_MARK}' "
                                "comment (import at the top, or say why it must wait)")
    problems += [f"import cycle: {' → '.join(cycle)}" for cycle in cycles(graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan), as module names."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    found = []
    for group in groups:
        members, path, v = set(group), [group[0]], group[0]
        while True:  # follow edges inside the group until a module repeats
            v = min(w for w in graph[v] if w in members)
            if v in path:
                found.append(path[path.index(v):] + [v])
                break
            path.append(v)
    return found


def test_the_layers_are_a_strict_order():
    problems = check()
    assert problems == [], "\n".join(problems)


def test_every_ranked_module_exists():
    modules = own_modules(ROOT)
    for package, order in RANKS.items():
        assert len(set(order)) == len(order), package
        missing = [name for name in order if f"{package}.{name}" not in modules]
        assert missing == [], f"{package}: ranked but not there: {missing}"


# ---- the checker itself must catch what it is for


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {"__init__.py": "", "base/__init__.py": "", "base/errors.py": "", "base/text.py": "",
                       "db/__init__.py": "", "db/fields.py": "", "db/proxy.py": "",
                       "services/__init__.py": "", "services/numbers.py": "", "services/history.py": "",
                       "ui/__init__.py": "", "command_line.py": "", **files}.items():
        path = tmp_path / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


SMALL_RANKS = {"base": ("errors", "text"), "db": ("fields", "proxy"), "services": ("numbers", "history")}


def test_checker_accepts_a_clean_tree(tmp_path):
    root = _tree(tmp_path, {
        "db/proxy.py": "from safetymonth_desktop.base.errors import AppError\nfrom . import fields\n",
        "services/history.py": "from safetymonth_desktop.services import numbers\n"
                               "def f():\n    # lazy: start-up\n    from safetymonth_desktop.db import proxy\n"
                               "    from safetymonth_desktop.db import fields\n",
        "cli.py": "from safetymonth_desktop import command_line\n"
                       "def g():\n    from safetymonth_desktop.ui import app  # lazy: start-up\n",
        "ui/app.py": "from safetymonth_desktop import command_line\n",
    })
    assert check(root, SMALL_RANKS) == []


def test_checker_catches_an_upward_import(tmp_path):
    root = _tree(tmp_path, {"db/proxy.py": "from safetymonth_desktop.services.numbers import yuan\n"})
    assert any("db imports upward from services" in p for p in check(root, SMALL_RANKS))


def test_checker_catches_a_lazy_upward_import_and_a_gui_import_from_the_command_line(tmp_path):
    root = _tree(tmp_path, {"command_line.py": "def main():\n    from safetymonth_desktop.ui import app  # lazy: start-up\n",
                            "ui/app.py": ""})
    assert any("commands imports upward from ui" in p for p in check(root, SMALL_RANKS))


def test_checker_catches_a_rank_breach_inside_a_package(tmp_path):
    root = _tree(tmp_path, {"db/fields.py": "from safetymonth_desktop.db.proxy import database\n"})
    assert any("db.fields imports db.proxy" in p for p in check(root, SMALL_RANKS))
    root = _tree(tmp_path / "relative", {"base/errors.py": "from . import text\n"})
    assert any("base.errors imports base.text" in p for p in check(root, SMALL_RANKS))


def test_checker_catches_an_unranked_module(tmp_path):
    root = _tree(tmp_path, {"services/newcomer.py": ""})
    assert any("services/ module without a rank" in p for p in check(root, SMALL_RANKS))


def test_checker_catches_a_cycle_dodged_by_an_import_inside_a_function(tmp_path):
    root = _tree(tmp_path, {
        "ui/a.py": "from safetymonth_desktop.ui import b\n",
        "ui/b.py": "def f():\n    from safetymonth_desktop.ui import a  # lazy: start-up\n",
    })
    problems = check(root, SMALL_RANKS)
    assert any(p.startswith("import cycle: ui.a → ui.b → ui.a") or p.startswith("import cycle: ui.b → ui.a")
               for p in problems), problems


def test_checker_wants_a_reason_for_every_import_inside_a_function(tmp_path):
    root = _tree(tmp_path, {"services/history.py": "def f():\n    from safetymonth_desktop.services import numbers\n"})
    problems = check(root, SMALL_RANKS)
    assert len(problems) == 1 and "inside a function without a '# lazy:' comment" in problems[0]
    assert "services/history.py:2" in problems[0]


def test_non_ui_layers_do_not_import_pyside6():
    code = (
        "import sys, pkgutil, importlib\n"
        "import safetymonth_desktop.cli, safetymonth_desktop.command_line, safetymonth_desktop.base.paths\n"
        "for pkg in ('base', 'db', 'services', 'exchange', 'commands'):\n"
        "    base = importlib.import_module('safetymonth_desktop.' + pkg)\n"
        "    for info in pkgutil.walk_packages(base.__path__, base.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "safetymonth_desktop.command_line.build_parser()\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6') or m.startswith('shiboken')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
