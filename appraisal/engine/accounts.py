"""Money and health accounts of a run: the same arrays and formulas for the central run and every draw.

Central and Monte Carlo results go through :func:`account`, so a Monte Carlo run
whose inputs do not vary reproduces the central run exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from appraisal.engine.model import Model
from appraisal.engine.run import cost_units, run_model


@dataclass(frozen=True)
class Accounts:
    """What the tables need from a run, the first axis a draw (one row for the central run).

    Attributes
    ----------
    row_cost
        ``[draw, site, option, row]`` annual change in £ at full occupancy and full effect.
    pv
        ``[draw, site, option, bearer]`` present value of the change in cost.
    path_pv, path_cases
        ``[draw, site, option, pathway]`` present value, and change in cases over the period.
    by_band
        ``[draw, site, option, outcome, band]`` annual change in cases at full occupancy and full effect.
    """

    row_cost: np.ndarray
    pv: np.ndarray
    path_pv: np.ndarray
    path_cases: np.ndarray
    by_band: np.ndarray


def account(model: Model, annual: np.ndarray, units: np.ndarray, cost_values: np.ndarray) -> Accounts:
    """The accounts of a run.

    Parameters
    ----------
    annual
        ``[draw, site, option, pathway, band]`` annual change in cases (:func:`appraisal.engine.run.run_model`).
    units
        ``[draw, site, option, pathway, row]`` costed units (:func:`appraisal.engine.run.cost_units`).
    cost_values
        ``[draw, row]`` £ per unit of each unit-cost row at the price year.
    """
    money = units * cost_values[:, None, None, None, :]  # [d, s, o, p, r]
    pvf = model.pv_factors  # [s, r, b]
    row_cost = money.sum(axis=3)
    return Accounts(
        row_cost=row_cost,
        pv=np.einsum("dsor,srb->dsob", row_cost, pvf),
        path_pv=np.einsum("dsopr,sr->dsop", money, pvf.sum(axis=2)),
        path_cases=annual.sum(axis=4) * model.profile.sum(axis=1)[None, :, None, None],
        by_band=np.einsum("dsopb,pk->dsokb", annual, model.onehot),
    )


def run_accounts(model: Model, link_values: np.ndarray, cost_values: np.ndarray) -> Accounts:
    """Run the model for each row of link and cost values and keep its accounts."""
    annual = run_model(model, link_values)
    return account(model, annual, cost_units(model, annual), cost_values)


def landing(model: Model, row_cost: np.ndarray, option: int, bearer: int) -> np.ndarray:
    """``[draw, component, year]`` undiscounted change in cost landing on one bearer under one option, all sites."""
    c = model.costs
    return np.einsum("dsr,rc,sry->dcy", row_cost[:, :, option], c.shares[:, bearer], c.timing)


def landing_all(model: Model, row_cost: np.ndarray) -> np.ndarray:
    """``[draw, option, bearer, component, year]`` undiscounted change in cost, all sites (for a few draws)."""
    c = model.costs
    return np.einsum("dsor,rbc,sry->dobcy", row_cost, c.shares, c.timing)


def outcome_totals(model: Model, by_band: np.ndarray) -> np.ndarray:
    """``[draw, option, outcome, 3]`` change in cases, deaths and life-years (undiscounted) over the period, all sites."""
    g_total = model.profile.sum(axis=1)  # [site]
    cases = np.einsum("dsokb,s->dok", by_band, g_total)
    deaths = cases * model.fatal
    life_years = np.einsum("dsokb,k,b,s->dok", by_band, model.fatal.astype(float), model.life_expectancy, g_total)
    return np.stack([cases, deaths, life_years], axis=-1) + 0.0
