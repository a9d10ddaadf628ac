"""Money: price-year uplift, Green Book discounting, and when costs fall.

All functions are pure and work on numpy arrays; the schedules and the
deflator series are data in ``unit_costs/`` (never constants here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def uplift_factors(price_years: np.ndarray, price_index: pd.DataFrame, target_year: int) -> np.ndarray:
    r"""Factors that restate money from each price year in ``target_year`` prices.

    .. math:: f = D_{target} / D_{price\ year}

    where ``D`` is the HM Treasury GDP deflator (HM Treasury, Green Book 2022,
    para A6.3: convert nominal to real prices with the GDP deflator).

    Parameters
    ----------
    price_years
        Financial-year starts of each money value (2019 = 2019-20).
    price_index
        Table with columns ``year`` and ``gdp_deflator``.
    target_year
        Financial-year start of the appraisal's price base.
    """
    index = dict(zip(price_index["year"].astype(int), price_index["gdp_deflator"].astype(float)))
    return np.array([index[int(target_year)] / index[int(y)] for y in price_years], dtype=float)


def annual_rates(schedule: pd.DataFrame, n_years: int) -> np.ndarray:
    """The discount rate in force in each year 0..n_years-1 of a stepped schedule.

    Years past the schedule's last range keep the last rate.
    """
    frame = schedule.sort_values("year_from")
    years = np.arange(n_years)
    idx = np.searchsorted(frame["year_from"].to_numpy(dtype=int), years, side="right") - 1
    return frame["rate"].to_numpy(dtype=float)[idx]


def discount_factors(rates: np.ndarray) -> np.ndarray:
    r"""Green Book discount factors for years 0..n-1 from the rate in force each year.

    .. math:: DF_0 = 1, \quad DF_t = DF_{t-1} / (1 + r_t)

    so a stepped schedule discounts each year at the rate of its own period
    (HM Treasury, Green Book 2022, Annex A6, Table 8 and para A6.7).

    Parameters
    ----------
    rates
        Rate in force in each year (fractions), year 0 first.
    """
    growth = np.concatenate([[1.0], 1.0 + np.asarray(rates, dtype=float)[1:]])
    return 1.0 / np.cumprod(growth)


def annuity_factor(years: np.ndarray, rate: float) -> np.ndarray:
    r"""Discounted sum of a unit stream lasting ``years`` (fractional years allowed).

    .. math:: a(n) = \sum_{k=0}^{\lfloor n \rfloor - 1} v^k + (n - \lfloor n \rfloor) v^{\lfloor n \rfloor},
              \quad v = 1 / (1 + r)

    Used for the life-years a death takes away: the first lost year counts in
    full, later ones discounted at the health rate ``r``.
    """
    n = np.asarray(years, dtype=float)
    whole = np.floor(n)
    v = 1.0 / (1.0 + rate)
    full = whole if rate == 0 else (1 - v**whole) / (1 - v)
    return full + (n - whole) * v**whole


def duration_kernel(duration: float, n_years: int, delay: float = 0.0) -> np.ndarray:
    r"""Matrix ``K[t, s]``: the share of a year-``s`` case's yearly cost that falls in year ``t``.

    A per-case-year cost starts ``delay`` years after the start of the year of onset
    and lasts ``duration`` years; year ``t`` takes the part of that span it holds,

    .. math:: K[t, s] = \max(0, \min(t + 1, s + d + D) - \max(t, s + d))

    so a fractional first or last year counts in part. Years after the appraisal
    period fall outside it and are not counted.
    """
    t = np.arange(n_years)[:, None].astype(float)
    start = np.arange(n_years)[None, :] + delay
    return np.clip(np.minimum(t + 1, start + duration) - np.maximum(t, start), 0.0, 1.0)


def split_cost(payer: str, component: str, shares: pd.DataFrame) -> list[tuple[str, str, float]]:
    """Who bears a cost, and as which component: ``[(bearer, component, share), ...]``.

    ``payer`` is a bearer id or a share set of ``unit_costs/bearer_shares.csv``.
    A share set's weights are normalised to shares summing to 1; a row naming a
    component re-labels that part of the cost (used to split a source's total);
    a row whose bearer is another share set is split again by it.

    Parameters
    ----------
    payer
        Bearer id or share-set id from a unit-cost row.
    component
        The unit-cost row's component (``total`` if the source gives only a total).
    shares
        The bearer-shares table.
    """
    rows_by_set = {
        name: list(zip(frame["bearer"], frame["component"], frame["weight"] / frame["weight"].sum()))
        for name, frame in shares.groupby("share_set")
    }

    def split(who: str, comp: str) -> list[tuple[str, str, float]]:
        if who not in rows_by_set:
            return [(who, comp, 1.0)]
        return [(b, c, s * share) for bearer, own, share in rows_by_set[who] for b, c, s in split(bearer, own or comp)]

    return split(payer, component)
