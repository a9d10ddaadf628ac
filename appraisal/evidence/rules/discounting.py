"""Rules on the Green Book discount schedules."""

from __future__ import annotations

from appraisal.errors import Problem
from appraisal.evidence.rules.ages import band_cover_problem
from appraisal.evidence.rules.registry import Tables, at, at_rows, rule
from appraisal.evidence.schemas import SCHEDULES


@rule(
    "discounting.schedules",
    "The standard and health schedules are both given, each in year ranges from 0 with no gap or overlap.",
)
def schedules(t: Tables) -> list[Problem]:
    rates = t["discount_rates"]
    p = []
    for schedule in SCHEDULES:
        f = rates[rates["schedule"] == schedule]
        if f.empty:
            p.append(
                Problem(
                    "library.discounting.schedules", at("discount_rates", column="schedule"), schedule, "the schedule is missing"
                )
            )
            continue
        bands = [(int(a), int(b)) for a, b in zip(f["year_from"], f["year_to"])]
        if text := band_cover_problem(bands, 0, max(b for _, b in bands)):
            p.append(
                Problem(
                    "library.discounting.schedules",
                    at_rows("discount_rates", f["_row"], "year_from"),
                    schedule,
                    text.replace("bands", "year ranges"),
                )
            )
    return p


@rule("discounting.rate_fraction", "A discount rate is a fraction in [0, 1).")
def rate_fraction(t: Tables) -> list[Problem]:
    r = t["discount_rates"]
    return [
        Problem("library.discounting.rate_fraction", at("discount_rates", row, "rate"), float(x), "a fraction in [0, 1)")
        for row, x in zip(r["_row"], r["rate"])
        if not 0 <= x < 1
    ]
