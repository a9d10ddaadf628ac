"""Monte Carlo over the evidence.

Distributions, by the row's ``interval_kind``
---------------------------------------------
* ``ci95`` and ``credible95`` (a 95% confidence or credible interval), for links
  (relative risks, hazard and odds ratios, mediator slopes) and unit costs alike:
  lognormal with median at the central value and log-scale standard deviation fitted
  to the interval, ``sigma = (ln high - ln low) / (2 x 1.96)``.
* ``scenario_range`` and ``min_max`` (a range across scenarios, or the smallest and
  largest values printed): triangular with its mode at the central value and its
  ends at ``low`` and ``high``, on the log scale for a ratio (RR, HR, OR) and on the
  natural scale otherwise. Every draw stays inside the printed range, and a central
  value at one end of it (as a range of scenarios may have) is allowed.
* ``none``: the central value in every draw.

Every kind is drawn from one standard normal ``z`` per row and draw, through its
inverse distribution function (``u = Phi(z)`` for the triangular), so the seed fixes
every draw. One draw of a link or unit cost is shared by every site, option, pathway
and age band (and by every part of a unit cost that lasts a different time at
different ages), so options are compared on the same evidence in each draw. Draws are a
leading array axis, computed in chunks so memory stays bounded; there is no loop
over draws.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from appraisal.engine.accounts import Accounts, landing, run_accounts
from appraisal.engine.model import Model

Z95 = 1.959963984540054
PERCENTILES = (5, 50, 95)
#: Draws computed at once; memory grows with it, results do not change with it.
CHUNK = 500
#: The seed used when none is given, by ``appraise()`` and the command line alike.
DEFAULT_SEED = 20240401


RATIOS = ("RR", "HR", "OR")
LOGNORMAL_KINDS = ("ci95", "credible95")
TRIANGULAR_KINDS = ("scenario_range", "min_max")


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """The standard normal distribution function, ``Phi(z) = (1 + erf(z / sqrt 2)) / 2``."""
    return 0.5 * (1.0 + _erf(np.asarray(z, dtype=float) / np.sqrt(2.0)))


_erf = np.vectorize(math.erf, otypes=[float])


def triangular_quantile(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    r"""Inverse distribution function of the triangular distribution on ``[low, high]`` with its mode at ``mode``.

    .. math:: x = a + \sqrt{u (b - a)(c - a)} \ \text{if}\ u < F_c, \quad
              x = b - \sqrt{(1 - u)(b - a)(b - c)} \ \text{otherwise}, \quad F_c = (c - a) / (b - a)
    """
    a, c, b = (np.asarray(x, dtype=float) for x in (low, mode, high))
    width = np.where(b > a, b - a, 1.0)
    fc = (c - a) / width
    return np.where(u < fc, a + np.sqrt(u * width * (c - a)), b - np.sqrt((1.0 - u) * width * (b - c)))


def draw_rows(
    z: np.ndarray, central: np.ndarray, low: np.ndarray, high: np.ndarray, kind: np.ndarray, log_scale: np.ndarray
) -> np.ndarray:
    """``[draw, row]`` values of rows from standard normal ``z``, each by its interval kind (see the module notes)."""
    central, low, high = (np.asarray(x, dtype=float) for x in (central, low, high))
    lognormal = np.isin(kind, LOGNORMAL_KINDS)
    triangular = np.isin(kind, TRIANGULAR_KINDS) & np.isfinite(low) & np.isfinite(high) & (high > low)
    out = np.broadcast_to(central, z.shape).copy()
    sigma = np.where(lognormal, log_sigma(central, low, high), 0.0)
    out = np.where(lognormal, central * np.exp(sigma * z), out)
    if triangular.any():
        u = normal_cdf(z[:, triangular])
        lg = log_scale[triangular] & (low[triangular] > 0)
        a, c, b = low[triangular], central[triangular], high[triangular]
        with np.errstate(divide="ignore", invalid="ignore"):
            on_log = np.exp(triangular_quantile(u, np.log(a), np.log(c), np.log(b)))
        out[:, triangular] = np.where(lg, on_log, triangular_quantile(u, a, c, b))
    return out


def log_sigma(central: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    r"""Log-scale standard deviation of a lognormal fitted to a 95% interval; 0 where there is none.

    .. math:: \sigma = (\ln high - \ln low) / (2 \times 1.96)
    """
    central, low, high = (np.asarray(x, dtype=float) for x in (central, low, high))
    ok = np.isfinite(low) & np.isfinite(high) & (low > 0) & (high > 0) & (central > 0) & (high > low)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, (np.log(np.where(ok, high, 1.0)) - np.log(np.where(ok, low, 1.0))) / (2 * Z95), 0.0)


def link_sigma(model: Model) -> np.ndarray:
    """``[link]`` log-scale sigma of each link in the model."""
    links = model.links
    return log_sigma(links["central"], links["low"], links["high"])


def cost_sigma(model: Model) -> np.ndarray:
    """``[row]`` log-scale sigma of each unit cost in the model."""
    t = model.costs.table
    return log_sigma(t["value"], t["low"], t["high"])


def draw_values(model: Model, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``[draw, link]`` and ``[draw, row]`` values, each row by its interval kind (see the module notes).

    One ``z`` per unit cost id: the parts of a cost that lasts different times at
    different ages move together.
    """
    rng = np.random.default_rng(seed)
    links, t = model.links, model.costs.table
    ids, which = np.unique(t["cost_id"].to_numpy(str), return_inverse=True)
    z_links = rng.standard_normal((draws, len(links)))
    z_costs = rng.standard_normal((draws, len(ids)))[:, which]
    link_values = draw_rows(
        z_links,
        model.central_link_values[0],
        links["low"].to_numpy(float),
        links["high"].to_numpy(float),
        links["interval_kind"].to_numpy(str),
        links["measure"].isin(RATIOS).to_numpy(),
    )
    value = t["value"].to_numpy(float)
    uplift = np.divide(t["uplifted"].to_numpy(float), value, out=np.ones_like(value), where=value != 0)
    cost_values = draw_rows(
        z_costs,
        model.central_cost_values[0],
        t["low"].to_numpy(float) * uplift,
        t["high"].to_numpy(float) * uplift,
        t["interval_kind"].to_numpy(str),
        np.zeros(len(t), dtype=bool),
    )
    return link_values, cost_values


@dataclass(frozen=True)
class Uncertainty:
    """Monte Carlo results: percentiles (axis 0 = :data:`PERCENTILES`) and per-draw present values, all sites.

    Attributes
    ----------
    pv
        ``[draw, option, bearer]`` present value of the change in cost.
    pv_type
        ``[draw, option, bearer, type]`` present value of the change in cost by where it counts in the present
        value of benefits (fiscal, economic, social, excluded).
    landing
        ``[percentile, option, bearer, component, year]`` undiscounted change in cost.
    pathway_pv, pathway_cases
        ``[percentile, option, pathway]`` present value, and change in cases over the period.
    totals
        ``[percentile, option, outcome, 4]`` change in cases, deaths (net), life-years lost and QALYs lost
        over the period (see :func:`appraisal.engine.accounts.outcome_totals`). Year-by-year health
        figures are central values only: a percentile of a sum over pathways with different lags is
        not the sum of their percentiles, and every draw's yearly table would not fit in memory.
    """

    draws: int
    seed: int
    pv: np.ndarray
    pv_type: np.ndarray
    landing: np.ndarray
    pathway_pv: np.ndarray
    pathway_cases: np.ndarray
    totals: np.ndarray


def progress_bar(total: int, show: bool | None) -> Any:
    """A progress bar on stderr for runs over a second; by default only in a terminal and never under CI."""
    if show is None:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    return tqdm(total=total, desc="Monte Carlo draws", unit="draw", delay=1.0, disable=not show, file=sys.stderr)


def monte_carlo(model: Model, draws: int, seed: int = DEFAULT_SEED, progress: bool | None = None) -> Uncertainty:
    """Run ``draws`` Monte Carlo draws of the model and summarise them (see the module notes)."""
    link_values, cost_values = draw_values(model, draws, seed)
    chunks = []
    with progress_bar(draws, progress) as bar:
        for start in range(0, draws, CHUNK):
            sl = slice(start, min(start + CHUNK, draws))
            chunks.append(run_accounts(model, link_values[sl], cost_values[sl]))
            bar.update(sl.stop - sl.start)
    d = Accounts(*(np.concatenate([getattr(c, f) for c in chunks]) for f in Accounts.__dataclass_fields__))
    q = np.array(PERCENTILES)
    pv = d.pv.sum(axis=1)  # [draw, option, bearer], all sites
    n_opt, n_bearers = pv.shape[1:]
    land = np.empty((len(q), n_opt, n_bearers, model.costs.shares.shape[2], len(model.years)))
    for o in range(n_opt):
        for b in range(n_bearers):
            land[:, o, b] = np.percentile(landing(model, d.row_cost, o, b), q, axis=0)
    return Uncertainty(
        draws=draws,
        seed=seed,
        pv=pv,
        pv_type=d.pv_type.sum(axis=1),
        landing=land,
        pathway_pv=np.percentile(d.path_pv.sum(axis=1), q, axis=0),
        pathway_cases=np.percentile(d.path_cases.sum(axis=1), q, axis=0),
        totals=np.percentile(d.totals, q, axis=0),
    )
