"""The package's floors only look down: no import circle, no upward import, no import hidden in a function.

Floors, lowest first (a module may import its own floor and those below):

0. ``_version``, ``errors``
1. maths: ``risk``, ``costing``, ``demography``
2. ``evidence``
3. ``proposal`` (no file I/O)
4. ``engine`` (model, run, accounts)
5. ``analysis`` (Monte Carlo, sensitivity, confidence)
6. ``result`` (tables only: never runs the engine)
7. ``composing`` (the one place that runs appraisals)
8. ``wording``, ``layout`` (every sentence and label; where template fields live)
9. ``writers`` (text, workbook, CSV/JSON, template)
10. ``readers`` (YAML, template)
11. ``files`` (dispatch between readers and writers)
12. ``cli``
13. the package's ``__init__`` (the public names)
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "appraisal"

FLOORS = {
    "_version": 0,
    "errors": 0,
    "risk": 1,
    "costing": 1,
    "demography": 1,
    "evidence": 2,
    "proposal": 3,
    "engine": 4,
    "analysis": 5,
    "result": 6,
    "composing": 7,
    "wording": 8,
    "layout": 8,
    "writers": 9,
    "readers": 10,
    "files": 11,
    "cli": 12,
    "": 13,
}
#: Modules that may not read or write files (the proposal floor, and everything between it and the writers).
NO_FILE_IO = ("proposal", "engine", "analysis", "result", "composing")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def floor(name: str) -> int:
    """``appraisal.engine.run`` -> 4; the package itself -> the top floor."""
    first = name.split(".")[1] if "." in name else ""
    assert first in FLOORS, f"{name} is on no floor: add it to FLOORS in tests/test_floors.py"
    return FLOORS[first]


def imports(name: str, path: Path, known: set[str]) -> tuple[set[str], list[str]]:
    """The package modules ``name`` imports at its top level, and any import written inside a function or class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    hidden: list[str] = []
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]

    def targets(node: ast.Import | ast.ImportFrom) -> set[str]:
        if isinstance(node, ast.Import):
            return {a.name for a in node.names if a.name.split(".")[0] == "appraisal"}
        base = node.module or ""
        if node.level:
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
        if base.split(".")[0] != "appraisal":
            return set()
        # ``from appraisal.analysis import monte_carlo`` imports the module appraisal.analysis.monte_carlo,
        # and runs the package's own ``__init__`` first: below the top package, that is an import of it too.
        found = {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names}
        return found | ({base} if base != "appraisal" else set())

    def module_level(body: list[ast.stmt]):
        """Statements run when the module is imported: its body, and the bodies of its if/try blocks."""
        for node in body:
            yield node
            if isinstance(node, ast.If):
                yield from module_level(node.body + node.orelse)
            elif isinstance(node, ast.Try):
                yield from module_level(node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body])

    for node in module_level(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            top |= targets(node)
    if "import_module" in path.read_text(encoding="utf-8"):
        hidden.append(f"{name}: importlib.import_module")
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    hidden.append(f"{name} line {inner.lineno}")
    return top, hidden


def import_graph() -> tuple[nx.DiGraph, list[str]]:
    found = modules()
    graph = nx.DiGraph()
    hidden_all: list[str] = []
    for name, path in found.items():
        graph.add_node(name)
        targets, hidden = imports(name, path, set(found))
        hidden_all += hidden
        for target in targets:
            if target != name:
                graph.add_edge(name, target)
    return graph, hidden_all


def test_every_module_is_on_a_floor():
    for name in modules():
        floor(name)


def test_no_import_circle():
    graph, _ = import_graph()
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, f"import circles: {cycles}"


def test_no_upward_import():
    graph, _ = import_graph()
    upward = [f"{a} (floor {floor(a)}) imports {b} (floor {floor(b)})" for a, b in graph.edges if floor(b) > floor(a)]
    assert not upward, "\n".join(upward)


def test_no_import_inside_a_function():
    _, hidden = import_graph()
    assert not hidden, f"imports written inside a function or class: {hidden}"


def test_middle_floors_do_no_file_io():
    words = (
        "open(",
        ".read_text(",
        ".write_text(",
        ".read_bytes(",
        ".write_bytes(",
        "read_csv(",
        "to_csv(",
        "load_workbook(",
        "yaml.",
    )
    offenders = [
        f"{name}: {w}"
        for name, path in modules().items()
        if name.split(".")[1:2] and name.split(".")[1] in NO_FILE_IO
        for w in words
        if w in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from appraisal.result import Result\n", "floor"),  # an engine module importing the result: upward
        ("import typing\nif typing.TYPE_CHECKING:\n    from appraisal.result import Result\n", "floor"),
        ("def f():\n    from appraisal import risk\n", "hidden"),
    ],
)
def test_the_walker_catches_what_it_looks_for(tmp_path, source, expected):
    """The checks above could fail: an upward import and a hidden import are both caught."""
    path = tmp_path / "probe.py"
    path.write_text(source)
    known = set(modules())
    top, hidden = imports("appraisal.engine.probe", path, known)
    if expected == "floor":
        assert any(floor(t) > floor("appraisal.engine.probe") for t in top)
    else:
        assert hidden == ["appraisal.engine.probe line 2"]


def test_the_walker_finds_a_circle():
    graph = nx.DiGraph([("appraisal.engine.run", "appraisal.engine.model"), ("appraisal.engine.model", "appraisal.engine.run")])
    assert list(nx.simple_cycles(graph))
    circle, _ = import_graph()
    circle.add_edge("appraisal.errors", "appraisal.proposal")  # errors importing the proposal would close one
    assert list(nx.simple_cycles(circle))
