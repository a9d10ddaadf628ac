"""Money and health accounts of a run: the same arrays and formulas for the central run and every draw.

Central and Monte Carlo results go through :func:`account`, so a Monte Carlo run
whose inputs do not vary reproduces the central run (exactly, except the yearly landing, which sums
with BLAS and agrees to rounding).
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
        ``[draw, site, option, lag, row]`` annual change in £ at full occupancy and full effect,
        by the lag of the pathways it comes from.
    pv
        ``[draw, site, option, bearer]`` present value of the change in cost.
    pv_type
        ``[draw, site, option, bearer, type]`` present value of the change in cost by where it counts in the
        present value of benefits (:data:`appraisal.evidence.schemas.PVB_COUNTS`: fiscal, economic,
        social, excluded).
    path_pv, path_cases
        ``[draw, site, option, pathway]`` present value, and change in cases over the period.
    by_band
        ``[draw, site, option, lag, outcome, band]`` annual change in cases at full occupancy and full effect.
    totals
        ``[draw, option, outcome, 4]`` change in cases, deaths (net), life-years lost and QALYs lost
        over the period, all sites (see :func:`outcome_totals`).
    """

    row_cost: np.ndarray
    pv: np.ndarray
    pv_type: np.ndarray
    path_pv: np.ndarray
    path_cases: np.ndarray
    by_band: np.ndarray
    totals: np.ndarray


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
    pvf = model.pv_factors  # [s, l, r, b]
    lag_of = model.lag_onehot.argmax(axis=1)  # [p]
    # Two-operand contractions and index gathers only: the same arithmetic, element by element,
    # whatever the number of draws, so a Monte Carlo run that does not vary equals the central run.
    row_cost = np.einsum("dsopr,pl->dsolr", money, model.lag_onehot)
    by_band = np.stack(
        [
            np.einsum("dsopb,pk->dsokb", annual[:, :, :, lag_of == lag], model.onehot[lag_of == lag])
            for lag in range(len(model.lag_ids))
        ],
        axis=3,
    )
    return Accounts(
        row_cost=row_cost,
        pv=np.einsum("dsolr,slrb->dsob", row_cost, pvf),
        pv_type=np.einsum("dsolr,slrbt->dsobt", row_cost, model.pv_type_factors),
        path_pv=np.einsum("dsopr,spr->dsop", money, pvf.sum(axis=3)[:, lag_of]),
        path_cases=np.einsum("dsopb,sp->dsop", annual, model.profile.sum(axis=2)[:, lag_of]),
        by_band=by_band,
        totals=outcome_totals(model, by_band),
    )


def run_accounts(model: Model, link_values: np.ndarray, cost_values: np.ndarray) -> Accounts:
    """Run the model for each row of link and cost values and keep its accounts."""
    annual = run_model(model, link_values)
    return account(model, annual, cost_units(model, annual), cost_values)


def landing(model: Model, row_cost: np.ndarray, option: int, bearer: int) -> np.ndarray:
    """``[draw, component, year]`` undiscounted change in cost landing on one bearer under one option, all sites."""
    c = model.costs
    return np.einsum("dslr,rc,slry->dcy", row_cost[:, :, option], c.shares[:, bearer], c.timing, optimize=True)


def landing_all(model: Model, row_cost: np.ndarray) -> np.ndarray:
    """``[draw, option, bearer, component, year]`` undiscounted change in cost, all sites (for a few draws)."""
    c = model.costs
    return np.einsum("dsolr,rbc,slry->dobcy", row_cost, c.shares, c.timing, optimize=True)


def yearly_health(model: Model, by_band: np.ndarray) -> np.ndarray:
    """``[draw, option, outcome, band, 4, year]`` cases, deaths (net), life-years lost and QALYs lost by year, all sites.

    Deaths, life-years and QALYs are zero for an outcome that is not fatal.
    """
    fatal = np.where(np.arange(4)[None, :] == 0, 1.0, model.fatal.astype(float)[:, None])  # [outcome, 4]
    return np.einsum("dsolkb,slbjy,kj->dokbjy", by_band, model.yearly, fatal)


def outcome_totals(model: Model, by_band: np.ndarray) -> np.ndarray:
    """``[draw, option, outcome, 4]`` change in cases, deaths (net), life-years lost and QALYs lost over the period, all sites.

    A death postponed in the period is a death averted in its year and, for those who then
    die within the period, a death later: the net change over a long period tends to zero,
    while the life-years and QALYs gained remain.
    """
    fatal = np.where(np.arange(4)[None, :] == 0, 1.0, model.fatal.astype(float)[:, None])  # [outcome, 4]
    weights = model.yearly.sum(axis=-1)[:, :, :, None, :] * fatal[None, None, None]  # [s, l, b, k, j]
    return np.einsum("dsolkb,slbkj->dokj", by_band, weights) + 0.0
