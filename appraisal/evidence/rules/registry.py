"""The registry of cross-table rules: each a function with an id, a one-line statement and a phase.

Rules run in phases: ``tables`` on the tables as read; ``graph`` on the pathway
graph and the unit costs with their derived rows, once the tables pass;
``coverage`` once the graph passes. A rule returns its problems, each with the
rule's id as its code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from appraisal.errors import InFile, Problem
from appraisal.evidence.schemas import TABLES

PHASES = ("tables", "graph", "coverage")


@dataclass(frozen=True)
class Tables:
    """The library's tables as read (by table name), both sources tables as one, and the pathway graph."""

    frames: dict[str, pd.DataFrame]
    sources: pd.DataFrame
    graph: nx.DiGraph = field(default_factory=nx.DiGraph)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]


RuleFunction = Callable[[Tables], list[Problem]]


@dataclass(frozen=True)
class Rule:
    """A named cross-table rule."""

    id: str
    statement: str
    phase: str
    check: RuleFunction


RULES: dict[str, Rule] = {}


def rule(rule_id: str, statement: str, phase: str = "tables") -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule under ``rule_id`` (also the code of its problems)."""

    def register(fn: RuleFunction) -> RuleFunction:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        RULES[rule_id] = Rule(rule_id, statement, phase, fn)
        return fn

    return register


def at(table: str, row: int | None = None, column: str | None = None) -> InFile:
    """A place in a table of the library, by table name."""
    return InFile(TABLES[table].path, row=None if row is None else int(row), column=column)


def at_rows(table: str, rows: object, column: str | None = None) -> InFile:
    """Several rows of a table."""
    return InFile(TABLES[table].path, rows=tuple(int(r) for r in rows), column=column)  # type: ignore[attr-defined]


def run(phase: str, tables: Tables) -> list[Problem]:
    """Every problem the rules of one phase find, rule by rule in registration order."""
    problems: list[Problem] = []
    for r in RULES.values():
        if r.phase == phase:
            problems += r.check(tables)
    return problems
