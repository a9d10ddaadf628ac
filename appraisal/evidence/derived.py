"""Rows and structures derived from the tables as read: quality-of-life costs, death values, durations in years, cost splits, the pathway graph.

Every unit-cost row says where it comes from in ``derived_from``: ``unit_costs``
(a row of ``unit_costs/unit_costs.csv``), ``health_state_losses`` (a loss valued
at the value of a QALY or WELLBY) or ``every_death`` (a death outcome valued as a
death from any cause).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from appraisal.costing import split_cost
from appraisal.demography import LIFE_TABLE_OUTCOME
from appraisal.evidence.rules.costs import LOSS_VALUES
from appraisal.evidence.schemas import DURATION_UNITS

#: The values of ``derived_from`` in the library's unit costs.
DERIVED_FROM = ("unit_costs", "health_state_losses", "every_death")


def quality_of_life_costs(unit_costs: pd.DataFrame, losses: pd.DataFrame, parameters: pd.DataFrame) -> pd.DataFrame:
    """Quality-of-life unit costs from health-state losses: ``share of cases x loss x value of a QALY (or WELLBY)``.

    A disability weight is valued as a QALY loss (one year lived with weight ``w``
    loses about ``w`` QALYs); a fall of one point in life satisfaction for a year is
    one WELLBY (HM Treasury 2021, Wellbeing Guidance for Appraisal, section 4). Each
    severity (or phase) of an outcome is its own row, weighted by the share of the
    outcome's cases in it, and lasts as long as its phase in ``pathways/durations.csv``.
    The rows are borne by households, in the price year of the value used.
    """
    params = parameters.set_index("parameter_id").to_dict("index")
    rows = []
    for r in losses.to_dict("records"):
        name = LOSS_VALUES[r["unit"]]
        par = params[name]
        v = float(par["value"]) * float(r["share_of_cases"])
        mix = f" x {r['share_of_cases']:g} of cases ({r['severity']})" if r["share_of_cases"] != 1 else f" ({r['severity']})"
        rows.append(
            {
                **{
                    c: r.get(c, "") for c in ("source", "locator", "verification", "copy_read", "quoted_by", "transform", "quote")
                },
                "cost_id": f"{r['loss_id']}_quality_of_life",
                "outcome_id": r["outcome_id"],
                "component": "quality_of_life",
                "bearer": "households",
                "basis": r["basis"],
                "phase": r["phase"],
                "delay_years": pd.NA,
                "value": r["loss"] * v,
                "per": np.nan,
                "low": r["low"] * v,
                "high": r["high"] * v,
                "interval_kind": r["interval_kind"],
                "price_year": par["price_year"],
                "age_from": r["age_from"],
                "age_to": r["age_to"],
                "population_described": f"cases of {r['outcome_id']}, {r['severity']}",
                "weighting": "as_printed",
                "notes": f"{r['loss']:g} {r['unit']}{mix} x {name} £{float(par['value']):,.0f} ({int(par['price_year'])} prices, {par['source']}). {r['notes']}".strip(),
                "_row": r["_row"],
                "derived_from": "health_state_losses",
            }
        )
    frame = pd.DataFrame(rows, columns=[*unit_costs.columns, "derived_from"])
    for col in ("delay_years", "price_year", "age_from", "age_to"):
        frame[col] = frame[col].astype("Int64")
    return frame


def death_values(unit_costs: pd.DataFrame, outcomes: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """Mortality unit costs for each death outcome, the same as for a death from any cause.

    A death is valued by its cause-free consequences (life-years lost at the value of
    a QALY, or the value of a prevented fatality), so every outcome of kind ``death``
    that has neither a mortality cost of its own nor a ``cost_coverage.csv`` row for
    the component takes the mortality rows of :data:`appraisal.demography.LIFE_TABLE_OUTCOME`,
    limited to its own ages. ``derived_from`` is ``every_death`` and ``_row`` the row they copy.
    """
    uc = unit_costs
    own = set(uc.loc[uc["component"] == "mortality", "outcome_id"])
    own |= set(coverage.loc[coverage["component"] == "mortality", "outcome_id"])
    base = uc[(uc["outcome_id"] == LIFE_TABLE_OUTCOME) & (uc["component"] == "mortality")]
    columns = [*uc.columns, "derived_from"]
    frames = []
    for o in outcomes[(outcomes["kind"] == "death") & ~outcomes["outcome_id"].isin(own)].to_dict("records"):
        frames.append(
            base.assign(
                cost_id=[f"{o['outcome_id']}_{c.removeprefix('acm_')}" for c in base["cost_id"]],
                outcome_id=o["outcome_id"],
                age_from=np.maximum(base["age_from"], o["age_from"]),
                age_to=np.minimum(base["age_to"], o["age_to"]),
                notes=[
                    f"As every death (row {r} of unit_costs.csv, {c}). {n}".strip()
                    for r, c, n in zip(base["_row"], base["cost_id"], base["notes"])
                ],
            )
        )
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).assign(derived_from="every_death")[columns]


def all_unit_costs(
    unit_costs: pd.DataFrame, outcomes: pd.DataFrame, coverage: pd.DataFrame, losses: pd.DataFrame, parameters: pd.DataFrame
) -> pd.DataFrame:
    """The cited unit costs, then the death values, then the quality-of-life costs, each row with ``derived_from``."""
    return pd.concat(
        [
            unit_costs.assign(derived_from="unit_costs"),
            death_values(unit_costs, outcomes, coverage),
            quality_of_life_costs(unit_costs, losses, parameters),
        ],
        ignore_index=True,
    )


def duration_years(durations: pd.DataFrame) -> pd.Series:
    """Each duration in years, from the value and unit as printed.

    ``years = value x length of the unit in years`` (a day is 1/365.25 of a year, a
    week 7/365.25, a month 1/12); missing for a condition that lasts for life (the
    engine then uses the remaining life expectancy at the age of onset).
    """
    per_unit = durations["unit"].map(DURATION_UNITS).astype(float)
    return (durations["value"] * per_unit).where(durations["statistic"] != "lifelong")


def cost_splits(unit_costs: pd.DataFrame, shares: pd.DataFrame) -> dict[str, list[tuple[str, str, float]]]:
    """Who bears each unit cost, and as which component: ``cost_id -> [(bearer, component, share)]``."""
    return {
        r["cost_id"]: split_cost(r["bearer"], r["component"], shares)
        for r in unit_costs[["cost_id", "bearer", "component"]].to_dict("records")
    }


def pathway_graph(
    characteristics: pd.DataFrame, mediators: pd.DataFrame, outcomes: pd.DataFrame, links: pd.DataFrame
) -> nx.DiGraph:
    """The directed graph of default links: nodes with their ``kind``, edges with ``link_id`` and spreadsheet ``row``."""
    g = nx.DiGraph()
    g.add_nodes_from(characteristics["characteristic_id"], kind="characteristic")
    g.add_nodes_from(mediators["mediator_id"], kind="mediator")
    g.add_nodes_from(outcomes["outcome_id"], kind="outcome")
    for k in links[links["is_default"]].to_dict("records"):
        g.add_edge(k["from_id"], k["to_id"], link_id=k["link_id"], row=k["_row"])
    return g
