"""The evidence library's cross-table rules, named and grouped by concern.

Each module registers its rules in :data:`RULES` (see :mod:`.registry`); importing
this package imports every module, so the registry is complete.
"""

from appraisal.evidence.rules import (  # noqa: F401  (each module registers its rules)
    ages,
    bands,
    business,
    costs,
    coverage,
    curves,
    discounting,
    durations,
    graph,
    ids,
    lags,
    links,
    nodes,
    provenance,
    values,
)
from appraisal.evidence.rules.registry import PHASES, RULES, Rule, Tables, run

__all__ = ["PHASES", "RULES", "Rule", "Tables", "run"]
