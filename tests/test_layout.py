"""The layout holds: dependencies flow one way, no module imports another in a circle, and
SQL, terminal and chart libraries stay in their own packages. Read from the source (ast), so
an import inside a function counts as much as one at the top; `TYPE_CHECKING` ones do not."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "migraine_diary"

# Which layers each layer may import (besides itself, the package root and errors).
ALLOWED: dict[str, set[str]] = {
    "__main__": {"cli"},
    "cli": {"diary", "render", "transfer", "domain", "analysis"},
    "transfer": {"diary", "domain", "analysis", "storage"},
    "diary": {"domain", "analysis", "storage"},
    "render": {"domain", "analysis"},
    "analysis": {"domain"},
    "storage": {"domain"},
    "domain": set(),
    "errors": set(),
}
# Third-party libraries that only one layer may import.
ONLY_IN = {
    "sqlite3": "storage",
    "sqlalchemy": "storage",
    "sqlmodel": "storage",
    "psycopg": "storage",
    "rich": "render",
    "jinja2": "render",
    "matplotlib": "render",
}


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in (root / package).rglob("*.py"):
        parts = (package, *path.relative_to(root / package).with_suffix("").parts)
        name = ".".join(parts).removesuffix(".__init__")
        found[name] = path
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded.update(id(n) for n in ast.walk(node))
    return guarded


def imported_names(path: Path) -> Iterator[str]:
    """Dotted names a module imports, at any depth, except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (a name resolved to its longest module)."""
    known = modules(root, package)
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target in imported_names(path):
            while target and target not in known:
                target = target.rpartition(".")[0]
            # A package's __init__ runs when a submodule is imported: the package itself is
            # no edge of its own submodules.
            if target and target != name and not name.startswith(target + "."):
                edges[name].add(target)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in sorted(edges.items()):
        mine = layer(module)
        for target in sorted(targets):
            theirs = layer(target)
            if theirs in ("", "errors", mine) or theirs in ALLOWED.get(mine, set()):
                continue
            wrong.append(f"{module} -> {target}")
    return wrong


def misplaced_libraries(root: Path, package: str) -> list[str]:
    wrong = []
    for name, path in sorted(modules(root, package).items()):
        for target in imported_names(path):
            home = ONLY_IN.get(target.partition(".")[0])
            if home is not None and layer(name) != home:
                wrong.append(f"{name} imports {target}")
    return wrong


def test_no_module_imports_another_in_a_circle() -> None:
    assert circles(graph(SRC, PACKAGE)) == []


def test_dependencies_flow_one_way() -> None:
    assert upward_imports(graph(SRC, PACKAGE)) == []


def test_sql_terminal_and_chart_libraries_stay_in_their_package() -> None:
    assert misplaced_libraries(SRC, PACKAGE) == []


def test_every_module_is_in_a_known_layer() -> None:
    layers = {layer(name) for name in modules(SRC, PACKAGE)}
    assert layers - set(ALLOWED) == {""}  # "" is the package root


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    """A small package in the same shape: domain <- analysis <- render, cli on top."""
    files = {
        "__init__.py": "",
        "domain/__init__.py": "",
        "domain/days.py": "import datetime\n",
        "analysis/__init__.py": "",
        "analysis/stats.py": "from toy.domain import days\n",
        "render/__init__.py": "",
        "render/text.py": "from toy.analysis.stats import x\n",
        "cli/__init__.py": "",
        "cli/app.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from toy.storage import Diary\n"
            "def run():\n    from toy.render import text\n"
        ),
    }
    for name, text in files.items():
        path = tmp_path / "toy" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_checks_pass_a_clean_tree(toy: Path) -> None:
    edges = graph(toy, "toy")
    assert edges["toy.cli.app"] == {"toy.render.text"}  # the TYPE_CHECKING import is no edge
    assert circles(edges) == []
    assert upward_imports(edges) == []


def test_a_circle_added_inside_a_function_is_found(toy: Path) -> None:
    stats = toy / "toy" / "analysis" / "stats.py"
    stats.write_text(stats.read_text() + "def f():\n    from toy.render.text import y\n")
    edges = graph(toy, "toy")
    assert circles(edges) == [["toy.analysis.stats", "toy.render.text"]]
    assert upward_imports(edges) == ["toy.analysis.stats -> toy.render.text"]


def test_an_upward_import_and_a_misplaced_library_are_found(toy: Path) -> None:
    days = toy / "toy" / "domain" / "days.py"
    days.write_text("import sqlite3\nfrom rich.table import Table\nfrom toy.cli import app\n")
    assert upward_imports(graph(toy, "toy")) == ["toy.domain.days -> toy.cli.app"]
    assert misplaced_libraries(toy, "toy") == [
        "toy.domain.days imports sqlite3",
        "toy.domain.days imports rich.table.Table",
    ]
