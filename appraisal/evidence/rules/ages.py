"""Rules on ages: age ranges in order, and England's population in bands that tile the ages."""

from __future__ import annotations

from itertools import pairwise

from appraisal.demography import band_label
from appraisal.errors import Problem
from appraisal.evidence.rules.registry import Tables, at, at_rows, rule


def band_cover_problem(bands: list[tuple[int, int]], lo: int, hi: int) -> str | None:
    """Do bands tile [lo, hi] exactly, with no gap or overlap? The problem in words, or None."""
    bands = sorted(bands)
    if not bands or bands[0][0] != lo or bands[-1][1] != hi:
        found = ", ".join(band_label(a, b) for a, b in bands) or "none"
        return f"bands must run from {lo} to {hi} without gaps; found {found}"
    for (a0, b0), (a1, b1) in pairwise(bands):
        if a1 != b0 + 1:
            return f"bands {band_label(a0, b0)} and {band_label(a1, b1)} leave a gap or overlap"
    return None


@rule("ages.ordered", "age_from does not exceed age_to.")
def ordered(t: Tables) -> list[Problem]:
    p = []
    for name in ("outcomes", "links", "unit_costs", "health_state_losses"):
        for r in t[name].to_dict("records"):
            if r["age_from"] > r["age_to"]:
                p.append(
                    Problem(
                        "library.ages.ordered",
                        at(name, r["_row"], "age_from"),
                        int(r["age_from"]),
                        f"must not exceed age_to {int(r['age_to'])}",
                    )
                )
    return p


@rule(
    "ages.population_bands",
    "England's population is given by sex or for persons (not both), in bands from 0 with no gap or overlap.",
)
def population_bands(t: Tables) -> list[Problem]:
    p = []
    pop = t["population"]
    if (pop["sex"] != "persons").any() and (pop["sex"] == "persons").any():
        p.append(
            Problem(
                "library.ages.population_bands",
                at("population", column="sex"),
                allowed="give the population by sex or for persons, not both",
            )
        )
    for sex in ["male", "female"] if (pop["sex"] != "persons").any() else ["persons"]:
        rows = pop[pop["sex"] == sex]
        bands = [(int(a), int(b)) for a, b in zip(rows["age_from"], rows["age_to"])]
        if text := band_cover_problem(bands, 0, max((b for _, b in bands), default=0)):
            p.append(Problem("library.ages.population_bands", at_rows("population", rows["_row"], "age_from"), sex, text))
    return p
