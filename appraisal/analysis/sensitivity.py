"""One-way sensitivity: each option's total present value with each link and unit cost at its low and high value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from appraisal.engine.model import Model
from appraisal.engine.run import run_model
from appraisal.evidence.library import link_text

#: Most array elements (scenarios x sites x options x pathways x age bands) one chunk of scenarios may hold.
CHUNK_ELEMENTS = 20_000_000
COLUMNS = ["option", "kind", "id", "what", "low", "high", "pv_central", "pv_at_low", "pv_at_high", "swing"]


def has_interval(rows: pd.DataFrame) -> np.ndarray:
    """``[row]`` True for a row with an interval of any kind (low below high)."""
    low, high = rows["low"].to_numpy(float), rows["high"].to_numpy(float)
    return (rows["interval_kind"] != "none").to_numpy() & np.isfinite(low) & np.isfinite(high) & (high > low)


def one_way_sensitivity(model: Model) -> pd.DataFrame:
    """Each option's total present value (all sites) with each link and unit cost at its low and at its high value.

    Every other input stays central. Links and unit costs without an interval are left out.

    Returns
    -------
    DataFrame
        option, kind (link or unit_cost), id, what, low, high (the input's values),
        pv_central, pv_at_low, pv_at_high (£), swing (|pv_at_high - pv_at_low|), sorted by swing within option.
    """
    links, costs = model.links, model.costs.table
    has_link = np.flatnonzero(has_interval(links))
    # A unit cost split into parts by age (a duration that differs by age at onset) moves as one.
    first_part = ~costs["cost_id"].duplicated().to_numpy()
    has_cost = np.flatnonzero(has_interval(costs) & first_part)
    n = 2 * (len(has_link) + len(has_cost)) + 1
    lv = np.repeat(model.central_link_values, n, axis=0)
    cv = np.repeat(model.central_cost_values, n, axis=0)
    k = 1
    for i in has_link:
        lv[k, i], lv[k + 1, i] = links.loc[i, "low"], links.loc[i, "high"]
        k += 2
    value = costs["value"].to_numpy(float)
    uplift = np.divide(costs["uplifted"].to_numpy(float), value, out=np.ones_like(value), where=value != 0)
    for i in has_cost:
        parts = np.flatnonzero((costs["cost_id"] == costs.loc[i, "cost_id"]).to_numpy())
        cv[k, parts], cv[k + 1, parts] = costs.loc[i, "low"] * uplift[parts], costs.loc[i, "high"] * uplift[parts]
        k += 2
    total = scenario_totals(model, lv, cv)
    what = [
        (
            "link",
            links.loc[i, "link_id"],
            f"{links.loc[i, 'from_id']} -> {links.loc[i, 'to_id']} ({link_text(links.loc[i])})",
            links.loc[i, "low"],
            links.loc[i, "high"],
        )
        for i in has_link
    ]
    what += [
        (
            "unit_cost",
            costs.loc[i, "cost_id"],
            f"{costs.loc[i, 'outcome_id']} {costs.loc[i, 'component']} ({costs.loc[i, 'price_year']} prices)",
            costs.loc[i, "low"],
            costs.loc[i, "high"],
        )
        for i in has_cost
    ]
    rows = []
    for j, (kind, ident, text, low, high) in enumerate(what):
        for o, option in enumerate(model.options):
            lo, hi = total[1 + 2 * j, o], total[2 + 2 * j, o]
            rows.append(
                {
                    "option": option,
                    "kind": kind,
                    "id": ident,
                    "what": text,
                    "low": float(low),
                    "high": float(high),
                    "pv_central": total[0, o],
                    "pv_at_low": lo,
                    "pv_at_high": hi,
                    "swing": abs(hi - lo),
                }
            )
    out = pd.DataFrame(rows, columns=COLUMNS)
    order = {o: i for i, o in enumerate(model.options)}
    return out.sort_values(
        ["option", "swing"], key=lambda s: s.map(order) if s.name == "option" else -s, kind="stable"
    ).reset_index(drop=True)


def scenario_totals(model: Model, link_values: np.ndarray, cost_values: np.ndarray) -> np.ndarray:
    """``[scenario, option]`` total present value (all sites and bearers; fiscal, economic and social value, transfers
    left out) for each row of link and cost values.

    .. math:: PV_{n,o} = \\sum_{s,p,b} A_{n,s,o,p,b} \\sum_r w_{r,b}\\, m_{p,r}\\, c_{n,r}\\, f_{s,l(p),r}

    with ``A`` the annual change in cases, ``w`` the band weight and ``m`` the match of each
    unit-cost row, ``c`` its £ value and ``f`` its present-value factor summed over bearers as it counts in the benefits, for the lag
    ``l(p)`` of the pathway.
    Scenarios run in chunks of at most :data:`CHUNK_ELEMENTS` case-array elements, so memory
    stays bounded however many options there are.
    """
    pvf_total = np.einsum("slr,pl->spr", model.pv_counted, model.lag_onehot)  # [site, pathway, row]
    n_sites, n_options, n_paths = model.x1.shape[0], model.x1.shape[1], model.onehot.shape[0]
    per_scenario = max(1, n_sites * n_options * n_paths * model.age_weight.shape[1])
    chunk = max(1, CHUNK_ELEMENTS // per_scenario)
    out = np.empty((len(link_values), n_options))
    for start in range(0, len(link_values), chunk):
        sl = slice(start, start + chunk)
        weight = np.einsum("rb,pr,nr,spr->nspb", model.costs.band_weight, model.match, cost_values[sl], pvf_total)
        out[sl] = np.einsum("nsopb,nspb->no", run_model(model, link_values[sl]), weight)
    return out
