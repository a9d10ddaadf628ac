"""Rules on single values: intervals that hold their central value, amounts that cannot be negative."""

from __future__ import annotations

import numpy as np

from appraisal.demography import OPEN_AGE
from appraisal.errors import Problem
from appraisal.evidence.rules.registry import Tables, at, rule

#: (table, central column) for every table with an interval; a problem is placed at its ``interval_kind``.
INTERVALS = (
    ("links", "central"),
    ("unit_costs", "value"),
    ("parameters", "value"),
    ("health_state_losses", "loss"),
    ("durations", "value"),
)


def interval_problem(kind: str, central: float, low: float, high: float) -> str | None:
    """What is wrong with an interval of its kind, or None.

    ``none``: low and high blank. Every other kind: both given, ``low < high`` and
    ``low <= central <= high`` (a printed 95% interval may touch its central value by rounding).
    """
    if kind == "none":
        return None if np.isnan(low) and np.isnan(high) else "leave low and high blank, or give the interval's kind"
    if np.isnan(low) or np.isnan(high):
        return f"a {kind} interval gives both low and high (or say interval_kind none)"
    if not low < high:
        return f"low ({low:g}) must be below high ({high:g})"
    if not (low <= central <= high):
        return f"the interval [{low:g}, {high:g}] must contain the central value {central:g}"
    return None


@rule(
    "values.interval",
    "An interval fits its kind: none has no low or high; any other kind gives low below high around the central value",
)
def interval(t: Tables) -> list[Problem]:
    p = []
    for name, central in INTERVALS:
        for r in t[name].to_dict("records"):
            if np.isnan(r[central]) or (name == "links" and r["form"] == "polynomial"):
                continue  # a missing central value is its own rule's problem
            if name == "durations" and not (r["value"] > 0 and r["unit"]):
                continue
            if text := interval_problem(r["interval_kind"], r[central], r["low"], r["high"]):
                found = f"{r['interval_kind']}: central {r[central]:g}, low {r['low']:g}, high {r['high']:g}"
                p.append(Problem("library.values.interval", at(name, r["_row"], "interval_kind"), found, text))
    return p


#: (table, column, what is allowed, the test) for values that must be 0 or more, or above 0.
BOUNDS = (
    ("population", "persons", "0 or more", lambda x: x >= 0),
    ("baseline_rates", "value", "0 or more", lambda x: x >= 0),
    ("baseline_rates", "per", "above 0", lambda x: x > 0),
    ("life_expectancy", "life_expectancy_years", "0 or more", lambda x: x >= 0),
    ("bearer_shares", "weight", "0 or more", lambda x: x >= 0),
    ("health_state_losses", "loss", "0 or more", lambda x: x >= 0),
    ("price_index", "gdp_deflator", "above 0", lambda x: x > 0),
    ("unit_costs", "per", "above 0 (the number of cases the value is for), or blank", lambda x: np.isnan(x) or x > 0),
    ("parameters", "value", "above 0 (a value of health, such as a QALY's, cannot be zero or negative)", lambda x: x > 0),
)

#: Outcome kinds whose baseline rate is a probability or a share of people, so cannot exceed its ``per``;
#: events may recur (a person can fall twice in a year).
WITHIN_PER_KINDS = ("death", "incidence", "prevalence", "wellbeing")


@rule("values.sign", "Counts, rates, weights, losses and the deflator are 0 or more, or above 0, as each must be.")
def sign(t: Tables) -> list[Problem]:
    p = []
    for name, column, allowed, ok in BOUNDS:
        for row, x in zip(t[name]["_row"], t[name][column]):
            if not ok(x):
                p.append(Problem("library.values.sign", at(name, row, column), float(x), f"must be {allowed}"))
    return p


#: The largest sum of money any cell of the library may hold, in pounds: the same limit as a scheme cost, above
#: England's whole public spending in a year, so no unit cost or value of health can reach it.
MAX_MONEY = 1e12

#: (table, columns) holding sums of money.
MONEY = (("unit_costs", ("value", "low", "high")), ("parameters", ("value", "low", "high")))


@rule("values.money", "A unit cost or a value of health is at most GBP 1,000,000,000,000 (a trillion pounds)")
def money(t: Tables) -> list[Problem]:
    return [
        Problem("library.values.money", at(name, row, column), float(x), f"at most {MAX_MONEY:,.0f}")
        for name, columns in MONEY
        for column in columns
        for row, x in zip(t[name]["_row"], t[name][column])
        if abs(x) > MAX_MONEY  # NaN compares false: a blank low or high is fine
    ]


@rule(
    "values.rate_within_per",
    "A baseline rate of deaths, new cases or people in a state is at most its per (only events may recur)",
)
def rate_within_per(t: Tables) -> list[Problem]:
    kinds = dict(zip(t["outcomes"]["outcome_id"], t["outcomes"]["kind"]))
    r = t["baseline_rates"]
    return [
        Problem(
            "library.values.rate_within_per",
            at("baseline_rates", row, "value"),
            f"{value:g} per {per:g}",
            f"at most {per:g} per {per:g}: a rate of {kinds[o]} is a share of people",
        )
        for row, o, value, per in zip(r["_row"], r["outcome_id"], r["value"], r["per"])
        if kinds.get(o) in WITHIN_PER_KINDS and value > per
    ]


@rule("values.life_expectancy", "A life expectancy does not reach past the oldest age of the life table (age + years <= 120)")
def life_expectancy_within_table(t: Tables) -> list[Problem]:
    le = t["life_expectancy"]
    return [
        Problem(
            "library.values.life_expectancy",
            at("life_expectancy", row, "life_expectancy_years"),
            float(years),
            f"at most {OPEN_AGE - int(age)} years at age {int(age)}: the life table ends at {OPEN_AGE}",
        )
        for row, age, years in zip(le["_row"], le["age"], le["life_expectancy_years"])
        if age + years > OPEN_AGE
    ]
