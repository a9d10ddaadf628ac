"""Cautions: what ``appraisal library check`` flags for a reviewer without refusing the library.

A caution is a number that may be right but deserves a second look; the library
still loads. A ratio above 10, a unit cost 100 times the median of its component, and a deflator that moves more
than 20% in a year are flagged as they stand; and two more need explaining:

**A default link no characteristic reaches.** A default out of a mediator that no
default link feeds (today the links out of loneliness, whose feeders are alternatives)
never acts; it waits for evidence into the mediator.

**An interval narrower than its study's size allows.** For a ratio comparing
exposed with unexposed people (a ``proportion_exposed`` link), with ``a`` and ``c``
events in the two groups, the variance of the log ratio is about ``1/a + 1/c``
(less ``1/n1 + 1/n2``, small for an uncommon outcome), and ``1/a + 1/c >= 4/(a + c)``.
The events are at most the study's size ``n`` (participants, or events where the
source prints them), so the standard error of the log ratio is at least about
``2 / sqrt(n)``. A printed 95% interval implies
``se = (ln high - ln low) / (2 x 1.96)``; a link whose ``se`` is below ``2 / sqrt(n)``
is flagged. The bound is loose when ``n`` counts participants (the events are fewer),
so a flagged interval is narrower than any study of that size could give.
"""

from __future__ import annotations

import math

from appraisal.errors import InFile, Problem
from appraisal.evidence.library import Library
from appraisal.evidence.schemas import TABLES

Z95 = 1.959963984540054


def narrowest_log_se(study_size: float) -> float:
    """The smallest standard error of a log ratio a two-group study of ``study_size`` people (or events) can give, about ``2 / sqrt(n)``."""
    return 2.0 / math.sqrt(study_size)


def cautions(library: Library) -> list[Problem]:
    """Every caution about the library, each at its file, row and column (see the module notes)."""
    return [
        *unreached_defaults(library),
        *narrow_intervals(library),
        *large_ratios(library),
        *outlying_costs(library),
        *deflator_jumps(library),
    ]


#: A relative risk, hazard or odds ratio above this is flagged.
LARGE_RATIO = 10.0
#: A unit cost this many times the median of its component (per unit, at its price year) is flagged.
OUTLYING_COST = 100.0
#: A year-on-year change of the deflator above this share is flagged.
DEFLATOR_JUMP = 0.20


def large_ratios(library: Library) -> list[Problem]:
    """Links whose ratio (RR, HR or OR) is above :data:`LARGE_RATIO`: possible, but rare outside a dose far from the increment."""
    links = library.links
    rows = links[links["measure"].isin(["RR", "HR", "OR"]) & (links["central"] > LARGE_RATIO)]
    return [
        Problem(
            "library.caution.large_ratio",
            InFile(TABLES["links"].path, int(r["_row"]), "central"),
            f"{r['link_id']}: {r['measure']} {r['central']:g} per {r['increment']:g} {r['exposure_unit']}",
            "check the value and its increment against the source",
        )
        for r in rows.to_dict("records")
    ]


def outlying_costs(library: Library) -> list[Problem]:
    """Cited unit costs more than :data:`OUTLYING_COST` times the median of their component (per unit, as printed)."""
    uc = library.unit_costs
    uc = uc[uc["derived_from"] == "unit_costs"]
    each = uc["value"] / uc["per"].fillna(1.0)
    median = each.groupby(uc["component"]).transform("median")
    out = []
    for r, x, m in zip(uc.to_dict("records"), each, median):
        if m > 0 and x > OUTLYING_COST * m:
            out.append(
                Problem(
                    "library.caution.outlying_cost",
                    InFile(TABLES["unit_costs"].path, int(r["_row"]), "value"),
                    f"{r['cost_id']}: £{x:,.0f} {r['basis'].replace('_', ' ')}",
                    f"the median {r['component'].replace('_', ' ')} cost is £{m:,.0f}: check the value, its per and its basis",
                )
            )
    return out


def deflator_jumps(library: Library) -> list[Problem]:
    """Years in which the GDP deflator moves by more than :data:`DEFLATOR_JUMP` from the year before."""
    p = library.price_index.sort_values("year")
    years, values, rows = p["year"].to_numpy(int), p["gdp_deflator"].to_numpy(float), p["_row"].to_numpy(int)
    return [
        Problem(
            "library.caution.deflator_jump",
            InFile(TABLES["price_index"].path, int(rows[i]), "gdp_deflator"),
            f"{values[i - 1]:g} in {years[i - 1]} to {values[i]:g} in {years[i]}",
            "a real deflator moves a few per cent a year: check the year and the base",
        )
        for i in range(1, len(years))
        if years[i] == years[i - 1] + 1 and abs(values[i] / values[i - 1] - 1) > DEFLATOR_JUMP
    ]


def unreached_defaults(library: Library) -> list[Problem]:
    """Default links that no characteristic reaches through default links."""
    used = set(library.pathway_table["first_link"]) | set(library.pathway_table["outcome_link"])
    return [
        Problem(
            "library.caution.unreached_default",
            InFile(TABLES["links"].path, int(r["_row"]), "is_default"),
            f"{r['link_id']}: {r['from_id']} -> {r['to_id']}",
            f"no default link leads into {r['from_id']}, so this default never acts until one does",
        )
        for r in library.default_links.to_dict("records")
        if r["link_id"] not in used
    ]


def narrow_intervals(library: Library) -> list[Problem]:
    """Proportion-exposed ratios whose 95% interval is narrower than a study of their size can give."""
    out = []
    links = library.links
    for r in links[(links["form"] == "proportion_exposed") & (links["interval_kind"] == "ci95")].to_dict("records"):
        n, low, high = r["study_size"], r["low"], r["high"]
        if n is None or (isinstance(n, float) and math.isnan(n)) or str(n) == "<NA>" or not (low > 0 and high > low):
            continue
        se = (math.log(high) - math.log(low)) / (2 * Z95)
        floor = narrowest_log_se(float(n))
        if se < floor:
            out.append(
                Problem(
                    "library.caution.narrow_interval",
                    InFile(TABLES["links"].path, int(r["_row"]), "low"),
                    f"{r['link_id']}: {r['measure']} {r['central']:g} ({low:g}-{high:g}), standard error of the log ratio {se:.4f}",
                    f"at least about 2/sqrt({int(n):,} {r['study_size_unit']}) = {floor:.4f}: check the interval against the source",
                )
            )
    return out
