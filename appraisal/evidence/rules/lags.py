"""Rules on lag profiles: each a rising share of the full effect that reaches it, and every link's lag known."""

from __future__ import annotations

from appraisal.errors import Problem
from appraisal.evidence.rules.registry import Tables, at, rule


@rule("lags.known", "A link's lag_id is blank (the stated default rule) or a lag of pathways/lags.csv.")
def known(t: Tables) -> list[Problem]:
    lags = set(t["lags"]["lag_id"])
    links = t["links"]
    return [
        Problem("library.lags.known", at("links", r, "lag_id"), v, "blank, or a lag_id of pathways/lags.csv")
        for r, v in zip(links["_row"], links["lag_id"])
        if v and v not in lags
    ]


@rule(
    "lags.profile",
    "A lag's years run 1, 2, 3, ... and its cumulative share rises from 0-1 and reaches 1 in its last year.",
)
def profile(t: Tables) -> list[Problem]:
    problems = []
    for lag_id, rows in t["lags"].groupby("lag_id", sort=False):
        rows = rows.sort_values("year")
        years, shares = rows["year"].astype(int).tolist(), rows["cumulative_share"].astype(float).tolist()
        allowed = "years 1, 2, 3, ... with a cumulative share rising within 0-1 to exactly 1 in the last year"
        if years != list(range(1, len(years) + 1)):
            problems.append(Problem("library.lags.profile", at("lags", rows["_row"].iloc[0], "year"), lag_id, allowed))
            continue
        bad = [r for r, s, before in zip(rows["_row"], shares, [0.0, *shares[:-1]]) if not 0.0 <= s <= 1.0 or s < before]
        if not bad and abs(shares[-1] - 1.0) > 1e-6:
            bad = [rows["_row"].iloc[-1]]
        problems += [Problem("library.lags.profile", at("lags", r, "cumulative_share"), lag_id, allowed) for r in bad]
    return problems


@rule("utility.range", "A population utility norm lies in 0-1 and each sex covers one run of single years of age.")
def utility_range(t: Tables) -> list[Problem]:
    u = t["utility_norms"]
    problems = [
        Problem("library.utility.range", at("utility_norms", r, "utility"), v, "a utility in 0-1")
        for r, v in zip(u["_row"], u["utility"])
        if not 0.0 <= float(v) <= 1.0
    ]
    for sex, rows in u.groupby("sex"):
        ages = sorted(rows["age"].astype(int))
        if ages != list(range(ages[0], ages[0] + len(ages))):
            problems.append(
                Problem(
                    "library.utility.range",
                    at("utility_norms", rows["_row"].iloc[0], "age"),
                    sex,
                    "consecutive single years of age",
                )
            )
    return problems


@rule(
    "lags.unpublished_listed",
    "A default link acting on an outcome with no lag (the default rule) has a row 'lag: <link_id>' in pathways/gaps.csv.",
)
def unpublished_listed(t: Tables) -> list[Problem]:
    listed = set(t["gaps"]["pathway"])
    mediators = set(t["mediators"]["mediator_id"])
    links = t["links"]
    return [
        Problem(
            "library.lags.unpublished_listed",
            at("links", r, "lag_id"),
            link_id,
            f"a lag_id, or a row 'lag: {link_id}' in pathways/gaps.csv saying what was searched",
        )
        for r, link_id, lag, default, to in zip(
            links["_row"], links["link_id"], links["lag_id"], links["is_default"], links["to_id"]
        )
        if default and not lag and to not in mediators and f"lag: {link_id}" not in listed
    ]
