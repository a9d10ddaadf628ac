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
