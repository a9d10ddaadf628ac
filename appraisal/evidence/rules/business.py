"""Rules on the business-case tables: how each flow counts, optimism bias, value-for-money bands, area lookups."""

from __future__ import annotations

import re

from appraisal.costing import split_cost
from appraisal.errors import NOTHING, Problem
from appraisal.evidence.rules.registry import Tables, at, at_rows, rule

#: An English local authority district's ONS code: unitary (E06), non-metropolitan district (E07),
#: metropolitan district (E08) or London borough (E09).
DISTRICT_CODE = re.compile(r"E0[6-9]\d{6}")
#: Parameters the engine reads by id.
REQUIRED_PARAMETERS = {
    "value_of_qaly": "the Green Book value of a QALY (social value)",
    "value_of_qaly_health_system": "the opportunity-cost value of a QALY for NHS spending (health-system perspective)",
}


@rule(
    "value_types.cover",
    "Every component a bearer bears in a unit cost has one row in unit_costs/value_types.csv saying its value type.",
    phase="graph",
)
def value_types_cover(t: Tables) -> list[Problem]:
    vt = t["value_types"]
    known = set(zip(vt["component"], vt["bearer"]))
    shares = t["bearer_shares"]
    p = []
    seen: set[tuple[str, str]] = set()
    for r in t["unit_costs"].itertuples(index=False):
        for bearer, component, _ in split_cost(r.bearer, r.component, shares):
            if (component, bearer) in known or (component, bearer) in seen:
                continue
            seen.add((component, bearer))
            p.append(
                Problem(
                    "library.value_types.cover",
                    at("value_types"),
                    f"{component} borne by {bearer} (unit cost {r.cost_id})",
                    "a row for it: its value type (fiscal, economic, social), where it counts in the present value of "
                    "benefits, whether it is cashable, the organisation it lands on and the rule",
                )
            )
    bearers = set(t["bearers"]["bearer_id"])
    for row, b in zip(vt["_row"], vt["bearer"]):
        if b not in bearers:
            p.append(
                Problem("library.value_types.cover", at("value_types", row, "bearer"), b, "a bearer id of unit_costs/bearers.csv")
            )
    return p


@rule("optimism_bias.bounds", "An optimism-bias row's lower bound is 0 or more and not above its upper bound.")
def optimism_bias_bounds(t: Tables) -> list[Problem]:
    ob = t["optimism_bias"]
    return [
        Problem(
            "library.optimism_bias.bounds",
            at("optimism_bias", r["_row"], "lower_percent"),
            f"{r['lower_percent']:g} to {r['upper_percent']:g}",
            "0 <= lower_percent <= upper_percent",
        )
        for r in ob.to_dict("records")
        if not 0 <= r["lower_percent"] <= r["upper_percent"]
    ]


@rule("vfm.bands", "Value-for-money bands run from no lower bound to no upper bound without gaps or overlaps.")
def vfm_bands(t: Tables) -> list[Problem]:
    v = t["vfm_categories"].sort_values("bcr_from", na_position="first")
    if v.empty:
        return []
    lows, highs = v["bcr_from"].tolist(), v["bcr_to"].tolist()
    ok = lows[0] != lows[0] and highs[-1] != highs[-1]  # NaN: open ends
    ok &= all(h == lo for h, lo in zip(highs[:-1], lows[1:]))
    if ok:
        return []
    return [
        Problem(
            "library.vfm.bands",
            at_rows("vfm_categories", v["_row"], "bcr_from"),
            NOTHING,
            "bands that follow each other: the first with no bcr_from, each bcr_from the bcr_to of the band below, the last with no bcr_to",
        )
    ]


@rule(
    "areas.codes",
    "A district code in the area lookups is an English district's ONS code; lad_icb's districts are in local_authorities.csv.",
)
def area_codes(t: Tables) -> list[Problem]:
    p = []
    la = t["local_authorities"]
    for name in ("local_authorities", "lad_icb"):
        for row, code in zip(t[name]["_row"], t[name]["lad_code"]):
            if not DISTRICT_CODE.fullmatch(str(code)):
                p.append(Problem("library.areas.codes", at(name, row, "lad_code"), code, "E06, E07, E08 or E09 and six digits"))
    known = set(zip(la["vintage"], la["lad_code"]))
    vintages = set(la["vintage"])
    i = t["lad_icb"]
    for row, vintage, code in zip(i["_row"], i["vintage"], i["lad_code"]):
        if vintage in vintages and (vintage, code) not in known:
            p.append(
                Problem(
                    "library.areas.codes",
                    at("lad_icb", row, "lad_code"),
                    code,
                    f"a district of areas/local_authorities.csv in {vintage}",
                )
            )
    return p


@rule("areas.shares", "Each district's shares of people across its sub-ICB locations sum to 1, each above 0.")
def area_shares(t: Tables) -> list[Problem]:
    p = []
    for (vintage, code), g in t["lad_icb"].groupby(["vintage", "lad_code"], sort=False):
        total = float(g["population_share"].sum())
        if abs(total - 1.0) > 1e-3 or (g["population_share"] <= 0).any():
            p.append(
                Problem(
                    "library.areas.shares",
                    at_rows("lad_icb", g["_row"], "population_share"),
                    round(total, 6),
                    f"shares above 0 summing to 1 for {code} ({vintage})",
                )
            )
    return p


@rule("parameters.required", "The parameters the engine reads by id are in unit_costs/parameters.csv.")
def required_parameters(t: Tables) -> list[Problem]:
    have = set(t["parameters"]["parameter_id"])
    return [
        Problem("library.parameters.required", at("parameters"), NOTHING, f"a row {pid}: {what}")
        for pid, what in REQUIRED_PARAMETERS.items()
        if pid not in have
    ]
