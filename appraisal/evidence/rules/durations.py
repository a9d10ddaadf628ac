"""Rules on typical durations: a known, non-fatal outcome, with a length or lifelong."""

from __future__ import annotations

import numpy as np

from appraisal.errors import Problem
from appraisal.evidence.rules.registry import Tables, at, rule
from appraisal.evidence.schemas import DURATION_UNITS


@rule("durations.outcome_known", "A duration belongs to an outcome of pathways/outcomes.csv.")
def outcome_known(t: Tables) -> list[Problem]:
    outs = set(t["outcomes"]["outcome_id"])
    d = t["durations"]
    return [
        Problem("library.durations.outcome_known", at("durations", r, "outcome_id"), o, "an id from pathways/outcomes.csv")
        for r, o in zip(d["_row"], d["outcome_id"])
        if o not in outs
    ]


@rule("durations.not_death", "A death has no duration.")
def not_death(t: Tables) -> list[Problem]:
    fatal = dict(zip(t["outcomes"]["outcome_id"], t["outcomes"]["fatal"]))
    d = t["durations"]
    return [
        Problem(
            "library.durations.not_death", at("durations", r, "outcome_id"), o, "a non-fatal outcome: a death has no duration"
        )
        for r, o in zip(d["_row"], d["outcome_id"])
        if fatal.get(o, False)
    ]


@rule("durations.length", "A duration gives a value above 0 and a unit, or is lifelong with both blank.")
def length(t: Tables) -> list[Problem]:
    p = []
    for d in t["durations"].to_dict("records"):
        place = at("durations", d["_row"], "value")
        if d["statistic"] == "lifelong":
            if not np.isnan(d["value"]) or d["unit"]:
                p.append(
                    Problem("library.durations.length", place, d["value"], "leave value and unit blank for a lifelong condition")
                )
        elif not d["value"] > 0 or not d["unit"]:
            p.append(
                Problem(
                    "library.durations.length",
                    place,
                    d["value"],
                    f"a {d['statistic']} duration needs a value above 0 and a unit ({', '.join(DURATION_UNITS)})",
                )
            )
    return p


@rule("durations.no_overlap", "The rows of one outcome's phase cover ages at onset that do not overlap.")
def no_overlap(t: Tables) -> list[Problem]:
    p = []
    for (outcome, phase), rows in t["durations"].groupby(["outcome_id", "phase"]):
        seen: dict[int, int] = {}
        for r in rows.sort_values("_row").to_dict("records"):
            ages = range(int(r["age_from"]), int(r["age_to"]) + 1)
            clash = sorted({seen[a] for a in ages if a in seen})
            if clash:
                p.append(
                    Problem(
                        "library.durations.no_overlap",
                        at("durations", r["_row"], "age_from"),
                        f"{outcome} {phase} {r['age_from']}-{r['age_to']}",
                        f"ages at onset not already given for this phase (row {clash[0]} covers some of them)",
                    )
                )
            seen.update({a: r["_row"] for a in ages if a not in seen})
    return p
