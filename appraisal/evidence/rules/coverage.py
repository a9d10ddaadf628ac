"""Rules on coverage: every outcome a link reaches has baseline rates and unit costs, and every cost component is accounted for."""

from __future__ import annotations

import networkx as nx

from appraisal.costing import split_cost
from appraisal.demography import LIFE_TABLE_OUTCOME
from appraisal.errors import Problem
from appraisal.evidence.rules.ages import band_cover_problem
from appraisal.evidence.rules.registry import Tables, at, at_rows, rule
from appraisal.evidence.schemas import COSTED_COMPONENTS, SEXES


def reached(t: Tables) -> set[str]:
    """The nodes a characteristic reaches by default links."""
    out: set[str] = set()
    for c in t["characteristics"]["characteristic_id"]:
        if c in t.graph:
            out |= nx.descendants(t.graph, c)
    return out


def needs_rates(t: Tables) -> list[str]:
    """Outcomes that need baseline rates: reached, not given by a curve; the life table's outcome if any is fatal."""
    d = t["links"][t["links"]["is_default"]]
    from_curve = set(d.loc[d["form"] == "polynomial", "to_id"])
    got = reached(t)
    outs = t["outcomes"]
    need = [o for o in outs["outcome_id"] if o in got and o not in from_curve]
    fatal = dict(zip(outs["outcome_id"], outs["fatal"]))
    if any(fatal[o] for o in need) and LIFE_TABLE_OUTCOME not in need:
        need.append(LIFE_TABLE_OUTCOME)
    return need


@rule(
    "coverage.life_table_outcome",
    "If a fatal outcome is reached, the life table's outcome (all deaths) is in pathways/outcomes.csv.",
    phase="coverage",
)
def life_table_outcome(t: Tables) -> list[Problem]:
    if LIFE_TABLE_OUTCOME in needs_rates(t) and LIFE_TABLE_OUTCOME not in set(t["outcomes"]["outcome_id"]):
        return [
            Problem(
                "library.coverage.life_table_outcome",
                at("outcomes", column="outcome_id"),
                LIFE_TABLE_OUTCOME,
                "its baseline gives the life table for valuing deaths",
            )
        ]
    return []


@rule(
    "coverage.rates",
    "An outcome a link reaches has baseline rates by sex or for persons (not both) covering its ages.",
    phase="coverage",
)
def rates(t: Tables) -> list[Problem]:
    outs = t["outcomes"].set_index("outcome_id").to_dict("index")
    br = t["baseline_rates"]
    p = []
    for o in needs_rates(t):
        if o not in outs:
            continue
        r = br[br["outcome_id"] == o]
        if r.empty:
            p.append(
                Problem(
                    "library.coverage.rates",
                    at("outcomes", outs[o]["_row"], "outcome_id"),
                    o,
                    "an outcome reached by a link needs a baseline rate in pathways/baseline_rates.csv",
                )
            )
            continue
        # An outcome given for one sex only (e.g. prostate cancer) counts cases in that sex only.
        by_sex = bool((r["sex"] != "persons").any())
        if by_sex and (r["sex"] == "persons").any():
            p.append(
                Problem(
                    "library.coverage.rates",
                    at_rows("baseline_rates", r["_row"], "sex"),
                    o,
                    "give baseline rates by sex or for persons, not both",
                )
            )
        for sex in [x for x in SEXES if (r["sex"] == x).any()] if by_sex else ["persons"]:
            rs = r[r["sex"] == sex]
            bands = list(zip(rs["age_from"].astype(int), rs["age_to"].astype(int)))
            if text := band_cover_problem(bands, int(outs[o]["age_from"]), int(outs[o]["age_to"])):
                p.append(
                    Problem(
                        "library.coverage.rates", at_rows("baseline_rates", rs["_row"], "age_from"), f"{o} ({sex})", f"age {text}"
                    )
                )
    return p


@rule("coverage.rate_outcome_known", "A baseline rate is for an outcome of pathways/outcomes.csv.", phase="coverage")
def rate_outcome_known(t: Tables) -> list[Problem]:
    outs = set(t["outcomes"]["outcome_id"])
    br = t["baseline_rates"]
    return [
        Problem(
            "library.coverage.rate_outcome_known", at("baseline_rates", r, "outcome_id"), o, "an id from pathways/outcomes.csv"
        )
        for r, o in zip(br["_row"], br["outcome_id"])
        if o not in outs
    ]


def cited_components(t: Tables) -> dict[tuple[str, str], int]:
    """``(outcome, component) -> spreadsheet row`` of the first unit cost that gives it a value."""
    cited: dict[tuple[str, str], int] = {}
    for r in t["unit_costs"].to_dict("records"):
        for _, comp, share in split_cost(r["bearer"], r["component"], t["bearer_shares"]):
            if share > 0:
                cited.setdefault((r["outcome_id"], comp), r["_row"])
    return cited


@rule(
    "coverage.marks",
    "A row of unit_costs/cost_coverage.csv names a known outcome, once, and a component (and ages) with no unit cost.",
    phase="coverage",
)
def marks(t: Tables) -> list[Problem]:
    outs = set(t["outcomes"]["outcome_id"])
    ages: dict[tuple[str, str], set[int]] = {}
    for r in t["unit_costs"].to_dict("records"):
        for _, comp, share in split_cost(r["bearer"], r["component"], t["bearer_shares"]):
            if share > 0:
                ages.setdefault((r["outcome_id"], comp), set()).update(range(int(r["age_from"]), int(r["age_to"]) + 1))
    cited = {k: v for k, v in cited_components(t).items()}
    marked: dict[tuple[str, str, int, int], int] = {}
    p = []
    for r in t["cost_coverage"].to_dict("records"):
        key = (r["outcome_id"], r["component"], r["age_from"], r["age_to"])
        overlap = ages.get(key[:2], set()) & set(range(int(r["age_from"]), int(r["age_to"]) + 1))
        if r["outcome_id"] not in outs:
            p.append(
                Problem(
                    "library.coverage.marks",
                    at("cost_coverage", r["_row"], "outcome_id"),
                    r["outcome_id"],
                    "an id from pathways/outcomes.csv",
                )
            )
        elif key in marked:
            p.append(
                Problem(
                    "library.coverage.marks",
                    at("cost_coverage", r["_row"], "component"),
                    r["component"],
                    f"already marked for {r['outcome_id']!r} in row {marked[key]}",
                )
            )
        elif overlap:
            p.append(
                Problem(
                    "library.coverage.marks",
                    at("cost_coverage", r["_row"], "component"),
                    r["component"],
                    f"{r['outcome_id']!r} has a unit cost for it at ages {min(overlap)}-{max(overlap)} "
                    f"(row {cited[key[:2]]} of unit_costs.csv or health_state_losses.csv): mark only the ages with no cost",
                )
            )
        marked.setdefault(key, r["_row"])
    return p


@rule(
    "coverage.components",
    "Every outcome accounts for every costed component at every age: a unit cost, or a row of unit_costs/cost_coverage.csv.",
    phase="coverage",
)
def components(t: Tables) -> list[Problem]:
    accounted = accounted_ages(t)
    p = []
    for r in t["outcomes"].to_dict("records"):
        ages = set(range(int(r["age_from"]), int(r["age_to"]) + 1))
        missing = []
        for c in COSTED_COMPONENTS:
            left = sorted(ages - accounted.get((r["outcome_id"], c), set()))
            if left:
                missing.append(c if len(left) == len(ages) else f"{c} at ages {_spans(left)}")
        if missing:
            p.append(
                Problem(
                    "library.coverage.components",
                    at("outcomes", r["_row"], "outcome_id"),
                    f"{r['outcome_id']}: {', '.join(missing)}",
                    "each component needs, at every age of the outcome, a unit cost or a row of unit_costs/cost_coverage.csv "
                    "(status not_applicable or not_found, with the reason)",
                )
            )
    return p


def accounted_ages(t: Tables) -> dict[tuple[str, str], set[int]]:
    """``(outcome, component) -> ages`` a unit cost (cited or derived) or a coverage row accounts for."""
    out: dict[tuple[str, str], set[int]] = {}
    for r in t["unit_costs"].to_dict("records"):
        for _, comp, share in split_cost(r["bearer"], r["component"], t["bearer_shares"]):
            if share > 0:
                out.setdefault((r["outcome_id"], comp), set()).update(range(int(r["age_from"]), int(r["age_to"]) + 1))
    for r in t["cost_coverage"].to_dict("records"):
        out.setdefault((r["outcome_id"], r["component"]), set()).update(range(int(r["age_from"]), int(r["age_to"]) + 1))
    return out


def _spans(ages: list[int]) -> str:
    """Sorted ages as ranges: ``0-39, 71-120``."""
    spans, start = [], ages[0]
    for a, b in zip(ages, [*ages[1:], -1]):
        if b != a + 1:
            spans.append(f"{start}-{a}" if a != start else f"{a}")
            start = b
    return ", ".join(spans)
