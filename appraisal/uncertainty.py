"""Monte Carlo over the evidence, one-way sensitivity, and how much of an answer rests on which evidence.

Distributions
-------------
* **Links** (relative risks, hazard and odds ratios, and mediator slopes): lognormal
  with median at the central value and log-scale standard deviation fitted to the
  95% interval, ``sigma = (ln high - ln low) / (2 x 1.96)``.
* **Unit costs**: the same lognormal, fitted to the ``low``/``high`` range, which is
  read as a 95% interval around the central value.
* Rows with no interval (or a zero-width one) stay at their central value in every draw.

One draw of a link or unit cost is shared by every option, pathway and age band,
so options are compared on the same evidence in each draw. Draws are a leading
array axis, computed in chunks so memory stays bounded; there is no loop over draws.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal.engine import Model, cost_units, run_model
from appraisal.evidence.library import link_text

Z95 = 1.959963984540054
PERCENTILES = (5, 50, 95)
CHUNK = 500


def log_sigma(central: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Log-scale standard deviation of a lognormal fitted to a 95% interval; 0 where there is none.

    .. math:: \\sigma = (\\ln high - \\ln low) / (2 \\times 1.96)
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
    """``[cost row]`` log-scale sigma of each unit cost in the model."""
    t = model.costs.table
    return log_sigma(t["value"], t["low"], t["high"])


def draw_values(model: Model, draws: int, seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    """``[draw, link]`` and ``[draw, cost row]`` values: central x exp(sigma z), z standard normal."""
    rng = np.random.default_rng(seed)
    z_links = rng.standard_normal((draws, len(model.links)))
    z_costs = rng.standard_normal((draws, len(model.costs.table)))
    links = model.central_link_values * np.exp(link_sigma(model) * z_links)
    costs = model.central_cost_values * np.exp(cost_sigma(model) * z_costs)
    return links, costs


@dataclass(frozen=True)
class Draws:
    """Per-draw results, the first axis a draw (one row for the central run).

    Central and Monte Carlo results go through these same arrays and formulas, so a
    Monte Carlo run whose inputs do not vary reproduces the central run exactly.

    Attributes
    ----------
    row_cost
        ``[draw, option, cost row]`` annual change in £ at full occupancy and full effect.
    pv
        ``[draw, option, bearer]`` present value of the change in cost.
    path_pv, path_cases
        ``[draw, option, pathway]`` present value, and change in cases over the period.
    by_band
        ``[draw, option, outcome, band]`` annual change in cases at full occupancy and full effect.
    """

    row_cost: np.ndarray
    pv: np.ndarray
    path_pv: np.ndarray
    path_cases: np.ndarray
    by_band: np.ndarray


def summarise(model: Model, link_values: np.ndarray, cost_values: np.ndarray) -> Draws:
    """Run the model for each row of link and cost values and keep what the tables need."""
    annual = run_model(model, link_values)  # [d, o, p, b]
    return summarise_run(model, annual, cost_units(model, annual), cost_values)


def summarise_run(model: Model, annual: np.ndarray, units: np.ndarray, cost_values: np.ndarray) -> Draws:
    """What the tables need from a run: ``annual`` ``[d, o, p, b]`` cases, ``units`` ``[d, o, p, r]`` costed units."""
    money = np.einsum("dopr,dr->dopr", units, cost_values)
    pvf = model.pv_factors
    row_cost = money.sum(axis=2)
    return Draws(
        row_cost=row_cost,
        pv=np.einsum("dor,rb->dob", row_cost, pvf),
        path_pv=np.einsum("dopr,r->dop", money, pvf.sum(axis=1)),
        path_cases=annual.sum(axis=3) * model.profile.sum(),
        by_band=np.einsum("dopb,pk->dokb", annual, model.onehot),
    )


def landing(model: Model, row_cost: np.ndarray, option: int, bearer: int) -> np.ndarray:
    """``[draw, component, year]`` undiscounted change in cost landing on one bearer under one option."""
    c = model.costs
    return np.einsum("dr,rc,ry->dcy", row_cost[:, option], c.shares[:, bearer], c.timing)


def outcome_totals(model: Model, by_band: np.ndarray) -> np.ndarray:
    """``[draw, option, outcome, 3]`` change in cases, deaths and life-years (undiscounted) over the period."""
    fatal = model.library.outcomes.set_index("outcome_id").loc[model.outcomes, "fatal"].to_numpy(bool)
    g_total = model.profile.sum()
    cases = by_band.sum(axis=3) * g_total
    deaths = cases * fatal
    life_years = np.einsum("dokb,k,b->dok", by_band, fatal.astype(float), model.life_expectancy) * g_total
    return np.stack([cases, deaths, life_years], axis=-1) + 0.0


@dataclass(frozen=True)
class Uncertainty:
    """Monte Carlo results: percentiles (axis 0 = :data:`PERCENTILES`) and per-draw present values.

    Attributes
    ----------
    pv
        ``[draw, option, bearer]`` present value of the change in cost.
    landing
        ``[percentile, option, bearer, component, year]`` undiscounted change in cost.
    pathway_pv, pathway_cases
        ``[percentile, option, pathway]`` present value, and change in cases over the period.
    cases_by_band
        ``[percentile, option, outcome, band]`` annual change in cases at full occupancy and effect.
    totals
        ``[percentile, option, outcome, 3]`` change in cases, deaths and life-years over the period.
    """

    draws: int
    seed: int | None
    pv: np.ndarray
    landing: np.ndarray
    pathway_pv: np.ndarray
    pathway_cases: np.ndarray
    cases_by_band: np.ndarray
    totals: np.ndarray


def _progress(total: int, show: bool | None):
    if show is None:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Monte Carlo draws", unit="draw", delay=1.0, disable=not show, file=sys.stderr)


def monte_carlo(model: Model, draws: int, seed: int | None = None, progress: bool | None = None) -> Uncertainty:
    """Run ``draws`` Monte Carlo draws of the model and summarise them (see the module notes)."""
    link_values, cost_values = draw_values(model, draws, seed)
    chunks = []
    with _progress(draws, progress) as bar:
        for start in range(0, draws, CHUNK):
            sl = slice(start, min(start + CHUNK, draws))
            chunks.append(summarise(model, link_values[sl], cost_values[sl]))
            bar.update(sl.stop - sl.start)
    d = Draws(*(np.concatenate([getattr(c, f) for c in chunks]) for f in Draws.__dataclass_fields__))
    q = np.array(PERCENTILES)
    n_opt, n_bearers = d.pv.shape[1:]
    land = np.empty((len(q), n_opt, n_bearers, model.costs.shares.shape[2], len(model.years)))
    for o in range(n_opt):
        for b in range(n_bearers):
            land[:, o, b] = np.percentile(landing(model, d.row_cost, o, b), q, axis=0)
    return Uncertainty(
        draws=draws,
        seed=seed,
        pv=d.pv,
        landing=land,
        pathway_pv=np.percentile(d.path_pv, q, axis=0),
        pathway_cases=np.percentile(d.path_cases, q, axis=0),
        cases_by_band=np.percentile(d.by_band, q, axis=0),
        totals=np.percentile(outcome_totals(model, d.by_band), q, axis=0),
    )


# ---------------------------------------------------------------------------
# One-way sensitivity
# ---------------------------------------------------------------------------


def one_way_sensitivity(model: Model) -> pd.DataFrame:
    """Each option's total present value with each link and unit cost at its low and at its high value.

    Every other input stays central. Links and unit costs without an interval are left out.

    Returns
    -------
    DataFrame
        option, kind (link or unit_cost), id, what, low, high (the input's values),
        pv_central, pv_at_low, pv_at_high (£), swing (|pv_at_high - pv_at_low|), sorted by swing within option.
    """
    links, costs = model.links, model.costs.table
    central_links = model.central_link_values
    central_costs = model.central_cost_values
    has_link = np.flatnonzero(link_sigma(model) > 0)
    has_cost = np.flatnonzero(cost_sigma(model) > 0)
    n = 2 * (len(has_link) + len(has_cost)) + 1
    lv = np.repeat(central_links, n, axis=0)
    cv = np.repeat(central_costs, n, axis=0)
    k = 1
    for i in has_link:
        lv[k, i], lv[k + 1, i] = links.loc[i, "low"], links.loc[i, "high"]
        k += 2
    uplift = costs["uplifted"].to_numpy(float) / costs["value"].to_numpy(float)
    for i in has_cost:
        cv[k, i], cv[k + 1, i] = costs.loc[i, "low"] * uplift[i], costs.loc[i, "high"] * uplift[i]
        k += 2
    annual = run_model(model, lv)
    pvf_total = model.pv_factors.sum(axis=1)
    total = np.einsum("sopr,sr,r->so", cost_units(model, annual), cv, pvf_total)  # [scenario, option]
    rows = []
    what = [("link", links.loc[i, "link_id"], f"{links.loc[i, 'from_id']} -> {links.loc[i, 'to_id']} ({link_text(links.loc[i])})", links.loc[i, "low"], links.loc[i, "high"]) for i in has_link]
    what += [("unit_cost", costs.loc[i, "cost_id"], f"{costs.loc[i, 'outcome_id']} {costs.loc[i, 'component']} ({costs.loc[i, 'price_year']} prices)", costs.loc[i, "low"], costs.loc[i, "high"]) for i in has_cost]
    for j, (kind, ident, text, low, high) in enumerate(what):
        for o, option in enumerate(model.proposal.options):
            lo, hi = total[1 + 2 * j, o], total[2 + 2 * j, o]
            rows.append({
                "option": option, "kind": kind, "id": ident, "what": text, "low": float(low), "high": float(high),
                "pv_central": total[0, o], "pv_at_low": lo, "pv_at_high": hi, "swing": abs(hi - lo),
            })
    columns = ["option", "kind", "id", "what", "low", "high", "pv_central", "pv_at_low", "pv_at_high", "swing"]
    out = pd.DataFrame(rows, columns=columns)
    order = {o: i for i, o in enumerate(model.proposal.options)}
    return out.sort_values(["option", "swing"], key=lambda s: s.map(order) if s.name == "option" else -s, kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Confidence: what share of the answer rests on which evidence
# ---------------------------------------------------------------------------


def evidence_shares(model: Model, units: np.ndarray) -> pd.DataFrame:
    """Share of each option's present value (in absolute terms) by the evidence it rests on.

    Each pathway x unit-cost contribution is classed by the ``verified_in`` of its
    links and unit cost (``primary`` only if every one was read in the primary
    source) and by the evidence grade of the link acting on the outcome.

    Parameters
    ----------
    units
        ``[option, pathway, cost row]`` central annual change in costed units.

    Returns
    -------
    DataFrame
        option, basis (``verified_in`` or ``evidence_grade``), category, share (0-1), present_value_gbp.
    """
    t = model.paths.table
    lib_links = model.library.links.set_index("link_id")
    costs = model.costs.table
    pvf_total = model.pv_factors.sum(axis=1)
    contrib = units * model.central_cost_values[0] * pvf_total  # [o, p, r]

    def primary(v: str) -> bool:
        return str(v).startswith("primary")

    link_primary = np.array([primary(lib_links.loc[a, "verified_in"]) and primary(lib_links.loc[b, "verified_in"]) for a, b in zip(t["first_link"], t["outcome_link"])])
    cost_primary = np.array([primary(v) for v in costs["verified_in"]])
    verified = np.where(link_primary[:, None] & cost_primary[None, :], "all read in the primary source", "some read only as quoted (secondary)")
    grade = []
    for link in t["outcome_link"]:
        g, scale = lib_links.loc[link, "evidence_grade"], lib_links.loc[link, "grade_scale"]
        grade.append(f"{g} ({scale})" if isinstance(g, str) and g else "no grade stated by the source")
    grades = np.repeat(np.array(grade)[:, None], len(costs), axis=1)
    rows = []
    for o, option in enumerate(model.proposal.options):
        weight = np.abs(contrib[o])
        total = weight.sum()
        for basis, labels in (("verified_in", verified), ("evidence_grade", grades)):
            for category in sorted(set(labels.ravel())):
                mask = labels == category
                rows.append({
                    "option": option, "basis": basis, "category": category,
                    "share": float(weight[mask].sum() / total) if total > 0 else 0.0,
                    "present_value_gbp": float(contrib[o][mask].sum()),
                })
    return pd.DataFrame(rows, columns=["option", "basis", "category", "share", "present_value_gbp"])
