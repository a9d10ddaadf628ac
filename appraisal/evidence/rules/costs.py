"""Rules on unit costs, health-state losses and bearer share sets."""

from __future__ import annotations

import networkx as nx

from appraisal.costing import split_cost
from appraisal.errors import NOTHING, Problem
from appraisal.evidence.rules.registry import Tables, at, at_rows, rule
from appraisal.evidence.schemas import STATE_KINDS, TOTAL_COMPONENT

#: The parameter that values one unit of each kind of health-state loss.
LOSS_VALUES = {"QALY": "value_of_qaly", "disability weight": "value_of_qaly", "life satisfaction points": "value_of_wellby"}


def _share_graph(t: Tables) -> nx.DiGraph:
    shares = t["bearer_shares"]
    sets = set(shares["share_set"])
    return nx.DiGraph((s, b) for s, b in zip(shares["share_set"], shares["bearer"]) if b in sets)


@rule("costs.bearer_known", "A cost's or share's bearer is a bearer id or a share set.")
def bearer_known(t: Tables) -> list[Problem]:
    known = set(t["bearers"]["bearer_id"]) | set(t["bearer_shares"]["share_set"])
    p = []
    for name in ("unit_costs", "bearer_shares"):
        for r, b in zip(t[name]["_row"], t[name]["bearer"]):
            if b not in known:
                p.append(
                    Problem(
                        "library.costs.bearer_known",
                        at(name, r, "bearer"),
                        b,
                        f"a bearer id or a share set: {', '.join(sorted(known))}",
                    )
                )
    return p


@rule("costs.share_set_weights", "A share set's weights are in one unit and sum above 0 (percentages to 100, within rounding).")
def share_set_weights(t: Tables) -> list[Problem]:
    p = []
    for name, f in t["bearer_shares"].groupby("share_set", sort=False):
        place = at_rows("bearer_shares", f["_row"], "weight")
        total = float(f["weight"].sum())
        if total <= 0:
            p.append(
                Problem(
                    "library.costs.share_set_weights",
                    place,
                    total,
                    f"weights of share set {name!r} are normalised to shares, so at least one must be above 0",
                )
            )
        if f["weight_unit"].nunique() > 1:
            p.append(
                Problem(
                    "library.costs.share_set_weights",
                    at_rows("bearer_shares", f["_row"], "weight_unit"),
                    ", ".join(sorted(set(f["weight_unit"]))),
                    "one weight unit per share set",
                )
            )
        elif f["weight_unit"].iloc[0] == "percent" and abs(total - 100) > 1.5:
            p.append(
                Problem(
                    "library.costs.share_set_weights",
                    place,
                    total,
                    f"percentages of share set {name!r} must sum to 100 (within rounding)",
                )
            )
    return p


@rule("costs.share_sets_no_loop", "Share sets never refer to each other in a loop.")
def share_sets_no_loop(t: Tables) -> list[Problem]:
    g = _share_graph(t)
    if nx.is_directed_acyclic_graph(g):
        return []
    loop = [u for u, _ in nx.find_cycle(g)]
    rows = t["bearer_shares"].loc[t["bearer_shares"]["share_set"].isin(loop), "_row"]
    return [
        Problem(
            "library.costs.share_sets_no_loop",
            at_rows("bearer_shares", rows, "bearer"),
            " -> ".join(loop),
            "share sets must not refer to each other in a loop",
        )
    ]


@rule("costs.outcome_known", "A unit cost or health-state loss is for an outcome of pathways/outcomes.csv.")
def outcome_known(t: Tables) -> list[Problem]:
    outs = set(t["outcomes"]["outcome_id"])
    p = []
    for name in ("unit_costs", "health_state_losses"):
        for r, o in zip(t[name]["_row"], t[name]["outcome_id"]):
            if o not in outs:
                p.append(Problem("library.costs.outcome_known", at(name, r, "outcome_id"), o, "an id from pathways/outcomes.csv"))
    return p


@rule("costs.total_split", "A 'total' cost is split by a share set whose rows name each component.")
def total_split(t: Tables) -> list[Problem]:
    shares = t["bearer_shares"]
    sets = set(shares["share_set"])
    acyclic = nx.is_directed_acyclic_graph(_share_graph(t))
    p = []
    for r in t["unit_costs"][t["unit_costs"]["component"] == TOTAL_COMPONENT].to_dict("records"):
        named = r["bearer"] in sets and (
            not acyclic or all(c != TOTAL_COMPONENT for _, c, _ in split_cost(r["bearer"], TOTAL_COMPONENT, shares))
        )
        if not named:
            p.append(
                Problem(
                    "library.costs.total_split",
                    at("unit_costs", r["_row"], "component"),
                    r["bearer"],
                    "a 'total' cost's bearer must be a share set whose rows name each component",
                )
            )
    return p


@rule("costs.price_year_indexed", "A unit cost's or parameter's price year is in unit_costs/price_index.csv.")
def price_year_indexed(t: Tables) -> list[Problem]:
    years = {int(y) for y in t["price_index"]["year"].dropna()}
    p = []
    for name in ("unit_costs", "parameters"):
        for r, y in zip(t[name]["_row"], t[name]["price_year"]):
            if int(y) not in years:
                p.append(
                    Problem(
                        "library.costs.price_year_indexed",
                        at(name, r, "price_year"),
                        int(y),
                        f"a year of unit_costs/price_index.csv ({min(years, default=0)} to {max(years, default=0)}), so it can be uplifted",
                    )
                )
    return p


def _phase_of(outcome_kind: str, basis: str) -> str:
    """Whether a cost or loss must name a phase of its outcome ("needed"), must not ("none"), or may ("either")."""
    if basis != "per_case_year":
        return "either"
    return "none" if outcome_kind in STATE_KINDS else "needed"


@rule(
    "costs.phase_duration",
    "A per_case_year cost or loss of an incidence or event outcome names a phase of pathways/durations.csv covering its ages; "
    "one of a prevalence or wellbeing outcome names none (a person in the state is counted in each year)",
)
def phase_duration(t: Tables) -> list[Problem]:
    kinds = dict(zip(t["outcomes"]["outcome_id"], t["outcomes"]["kind"]))
    d = t["durations"]
    p = []
    for name in ("unit_costs", "health_state_losses"):
        for r in t[name].to_dict("records"):
            need = _phase_of(kinds.get(r["outcome_id"], ""), r["basis"])
            place = at(name, r["_row"], "phase")
            if need == "none" and r["phase"]:
                p.append(
                    Problem(
                        "library.costs.phase_duration",
                        place,
                        r["phase"],
                        "leave phase blank: a prevalent case is counted in each year it lasts",
                    )
                )
            if need == "needed" or (need == "either" and r["phase"]):
                rows = d[(d["outcome_id"] == r["outcome_id"]) & (d["phase"] == r["phase"])]
                ages = set()
                for a, b in zip(rows["age_from"], rows["age_to"]):
                    ages |= set(range(int(a), int(b) + 1))
                missing = sorted(set(range(int(r["age_from"]), int(r["age_to"]) + 1)) - ages)
                if not r["phase"] or missing:
                    have = ", ".join(sorted(set(d.loc[d["outcome_id"] == r["outcome_id"], "phase"]))) or "none yet"
                    p.append(
                        Problem(
                            "library.costs.phase_duration",
                            place,
                            r["phase"] or NOTHING,
                            f"a phase of {r['outcome_id']} in pathways/durations.csv covering ages {r['age_from']}-{r['age_to']}"
                            + (f" (ages {missing[0]}-{missing[-1]} not covered)" if r["phase"] and missing else "")
                            + f"; phases given: {have}",
                        )
                    )
    return p


@rule("costs.severity_mix", "The shares of an outcome's cases in the severities of one phase are above 0 and sum to at most 1")
def severity_mix(t: Tables) -> list[Problem]:
    f = t["health_state_losses"]
    p = [
        Problem(
            "library.costs.severity_mix",
            at("health_state_losses", r, "share_of_cases"),
            float(x),
            "a share above 0 and at most 1",
        )
        for r, x in zip(f["_row"], f["share_of_cases"])
        if not 0 < x <= 1
    ]
    for (outcome, phase, a, b), group in f.groupby(["outcome_id", "phase", "age_from", "age_to"], dropna=False):
        total = float(group["share_of_cases"].sum())
        if total > 1 + 1e-6:
            p.append(
                Problem(
                    "library.costs.severity_mix",
                    at("health_state_losses", int(group["_row"].iloc[-1]), "share_of_cases"),
                    total,
                    f"the severities of {outcome} ({phase or 'every year of a prevalent case'}, ages {a}-{b}) share its cases: they sum to at most 1",
                )
            )
    return p


@rule("costs.loss_valued", "The parameter that values a kind of health-state loss is in unit_costs/parameters.csv.")
def loss_valued(t: Tables) -> list[Problem]:
    params = set(t["parameters"]["parameter_id"])
    f = t["health_state_losses"]
    return [
        Problem(
            "library.costs.loss_valued",
            at("health_state_losses", r, "unit"),
            u,
            f"a loss in {u} is valued with parameter {LOSS_VALUES[u]!r}, which must be in unit_costs/parameters.csv",
        )
        for r, u in zip(f["_row"], f["unit"])
        if LOSS_VALUES.get(u) not in params
    ]
