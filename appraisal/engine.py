"""The comparative risk assessment: options against the baseline, by pathway, age and year.

Arrays are laid out ``[option, pathway, age band]`` (and ``[..., year]``
where time enters). Because the population's age structure is fixed and only
its size follows occupancy, every yearly quantity is an annual change at full
occupancy times one time profile ``g[year]`` (occupancy x ramp-in of effects);
so the engine never loops over years or ages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from appraisal import costing, risk
from appraisal.demography import OPEN_AGE
from appraisal.evidence.library import Library, load_library
from appraisal.proposal import Proposal, check_proposal
from appraisal.errors import InField, Problem, ProposalError
from appraisal.evidence.schemas import COMPONENTS

HEALTH_COMPONENTS = ("quality_of_life", "mortality")


@dataclass(frozen=True)
class Pathways:
    """Every route from a characteristic the proposal sets to an outcome.

    A direct pathway is one link (characteristic -> outcome); a mediated one is
    two (characteristic -> mediator, mediator -> outcome). Columns:
    characteristic, mediator (None if direct), outcome, first_link, outcome_link,
    overlap_group (of the link acting on the outcome), age_from, age_to.
    """

    table: pd.DataFrame


def find_pathways(library: Library, characteristics: list[str]) -> Pathways:
    """The pathways from the given characteristics (see :attr:`appraisal.Library.pathway_table`)."""
    t = library.pathway_table
    return Pathways(t[t["characteristic"].isin(characteristics)].reset_index(drop=True))


def band_overlap(bands: list[tuple[int, int]], ranges: list[tuple[int, int]]) -> np.ndarray:
    """Share of each age band's single years of age inside each range: ``[range, band]``.

    Ages within a band are taken as evenly spread; the open top band counts up
    to age 120.
    """
    b0 = np.array([a for a, _ in bands])[None, :]
    b1 = np.array([min(b, OPEN_AGE) for _, b in bands])[None, :]
    r0 = np.array([a for a, _ in ranges], dtype=float)[:, None] if ranges else np.zeros((0, 1))
    r1 = np.array([b for _, b in ranges], dtype=float)[:, None] if ranges else np.zeros((0, 1))
    inside = np.clip(np.minimum(b1, r1) - np.maximum(b0, r0) + 1, 0, None)
    return inside / (b1 - b0 + 1)


def population_by_band(proposal: Proposal, library: Library) -> np.ndarray:
    """Residents at full occupancy by library age band.

    A total is spread over England's age structure in ``pathways/population.csv``.
    """
    pop = proposal.population
    if pop.by_age_band is not None:
        return np.array([pop.by_age_band[b] for b in library.band_labels], dtype=float)
    england = library.england_by_band
    return pop.total * england / england.sum()


def time_profile(proposal: Proposal) -> tuple[np.ndarray, np.ndarray]:
    """Calendar years and the profile ``g = occupancy x ramp-in`` for each.

    Occupancy: a year not listed takes the latest listed year before it, 0 before
    the first. Ramp-in: 0 for the first ``effect_lag_years`` years, then rising
    linearly to 1 over ``ramp_years`` years (at once if 0).
    """
    s = proposal.settings
    years = np.arange(s.start_year, s.start_year + s.period_years)
    listed = sorted(proposal.occupancy.items())
    listed_years = np.array([y for y, _ in listed])
    shares = np.array([v for _, v in listed], dtype=float)
    idx = np.searchsorted(listed_years, years, side="right") - 1
    occupancy = np.where(idx >= 0, shares[np.clip(idx, 0, None)], 0.0)
    k = np.arange(s.period_years) - s.effect_lag_years
    ramp = np.where(k < 0, 0.0, np.minimum(1.0, (k + 1) / max(s.ramp_years, 1)))
    return years, occupancy * ramp


def baseline_rates(library: Library, outcomes: list[str]) -> np.ndarray:
    """England baseline rate (events per person per year): ``[outcome, age band]``.

    0 outside an outcome's age range, and for an outcome whose prevalence comes from a
    polynomial curve instead (see :attr:`appraisal.Library.band_rates`).
    """
    empty = np.zeros(len(library.age_bands))
    return np.array([library.band_rates.get(o, empty) for o in outcomes]).reshape(len(outcomes), len(library.age_bands))


def log_ratios(model: "Model", link_values: np.ndarray) -> np.ndarray:
    """Log risk ratio of each pathway for each draw and option: ``[draw, option, pathway]``.

    Parameters
    ----------
    model
        The appraisal's fixed arrays (see :func:`build_model`).
    link_values
        ``[draw, link]`` value of each link in ``model.links`` (ratio, or slope for a
        mediator link); one row of central values gives the central run.
    """
    t = model.paths.table
    links = model.links
    first = link_values[:, model.first_idx][:, None, :]  # [draw, 1, pathway]
    ratio = link_values[:, model.last_idx][:, None, :]
    x0, x1 = model.x0[None, None, :], model.x1[None]
    mediated = t["mediator"].notna().to_numpy()
    share_mediated = ~np.isnan(model.mediator_share)
    # A pathway through a share mediator: the link into it moves the share's odds,
    # and the link out of it sees the share move from its England baseline.
    if share_mediated.any():
        into_share = _form_log_ratio(links, model.first_idx, first, x0, x1, model.curve, x1 - x0)
        m0 = np.nan_to_num(model.mediator_share, nan=0.5)[None, None, :]
        x0, x1 = np.where(share_mediated, m0, x0), np.where(share_mediated, risk.shifted_share(m0, into_share), x1)
    # Change in the exposure seen by the outcome link: a slope mediator's change where mediated.
    first_inc = links["increment"].to_numpy(float)[model.first_idx]
    dx = x1 - x0
    slope_mediated = mediated & ~share_mediated
    exposure_change = np.where(slope_mediated, risk.linear(first, first_inc, dx), dx)
    return _form_log_ratio(links, model.last_idx, ratio, x0, x1, model.curve, exposure_change)


def _form_log_ratio(
    links: pd.DataFrame, idx: np.ndarray, ratio: np.ndarray, x0: np.ndarray, x1: np.ndarray, curve: np.ndarray, dx: np.ndarray
) -> np.ndarray:
    """Log ratio of the links ``idx`` (one per pathway), each by its own form, from exposure ``x0`` to ``x1``.

    ``dx`` is the change a log-linear link sees (``x1 - x0``, or a slope mediator's change).
    Each form sees only its own pathways' inputs; the others get inputs that give 0.
    """
    form = links["form"].to_numpy()[idx]
    inc = links["increment"].to_numpy(float)[idx]
    threshold = np.nan_to_num(links["threshold"].to_numpy(float)[idx])
    shares = form == "proportion_exposed"
    powers = form == "power"
    curves = form == "polynomial"
    p0, p1 = risk.curve_value(curve, threshold, x0), risk.curve_value(curve, threshold, x1)
    with np.errstate(divide="ignore", invalid="ignore"):
        curve_ratio = np.log(np.where(curves, p1, 1.0) / np.where(curves, p0, 1.0))
        return np.select(
            [form == "log_linear", form == "threshold_log_linear", shares, powers, curves],
            [
                risk.log_linear(ratio, inc, dx),
                risk.threshold_log_linear(ratio, inc, threshold, x0, x1),
                risk.proportion_exposed(ratio, np.where(shares, x0, 0.0), np.where(shares, x1, 0.0)),
                risk.power(ratio, np.where(powers, x0, 1.0), np.where(powers, x1, 1.0)),
                np.broadcast_to(curve_ratio, np.broadcast_shapes(ratio.shape, curve_ratio.shape)),
            ],
        )


def count_overlaps_once(log_ratio: np.ndarray, paths: Pathways) -> np.ndarray:
    """Keep one pathway per overlap group and outcome: the largest absolute effect.

    Links in one overlap group estimate the same effect (e.g. PM2.5 and NO2 on
    mortality); adding them would count it twice. For each draw, option and age
    band only the pathway with the largest absolute log ratio in the group counts.

    Parameters
    ----------
    log_ratio
        ``[..., pathway, band]`` log risk ratios (leading axes: draws, options).
    """
    t = paths.table
    out = log_ratio.copy()
    for _, members in t[t["overlap_group"] != ""].groupby(["overlap_group", "outcome"]).groups.items():
        idx = np.asarray(list(members))
        block = out[..., idx, :]
        keep = np.abs(block).argmax(axis=-2)
        mask = np.arange(len(idx))[:, None] == keep[..., None, :]
        out[..., idx, :] = np.where(mask, block, 0.0)
    return out


@dataclass(frozen=True)
class CostRows:
    """The unit costs in play, uplifted to the price year, with their timing."""

    table: pd.DataFrame  # rows of unit_costs.csv used, with "uplifted" value
    band_weight: np.ndarray  # [row, band] share of band ages costed x life-years multiplier
    timing: np.ndarray  # [row, year] when a year-0 case's cost falls, times g
    discount: np.ndarray  # [component, year] discount factor of each component's schedule
    shares: np.ndarray  # [row, bearer, component]
    bearers: list[str]


def cost_rows(
    proposal: Proposal, library: Library, outcomes: list[str], g: np.ndarray, life_exp: np.ndarray
) -> CostRows:
    """Select, uplift and time the unit costs of the outcomes reached."""
    s = proposal.settings
    uc = library.unit_costs[library.unit_costs["outcome_id"].isin(outcomes)].copy()
    if s.mortality_valuation == "life_years":
        uc = uc[~((uc["component"] == "mortality") & (uc["basis"] == "per_death"))]
    else:
        uc = uc[uc["basis"] != "per_life_year_lost"]
    uc = uc.reset_index(drop=True)
    per = uc["per"].fillna(1.0).to_numpy(float)
    uc["uplifted"] = uc["value"].to_numpy(float) / per * costing.uplift_factors(
        uc["price_year"].to_numpy(), library.price_index, s.price_year
    )
    n = s.period_years
    rates = library.discount_rates
    if s.discounting in ("green_book", "standard"):
        std_rates = costing.annual_rates(rates[rates["schedule"] == "standard"], n)
        df_std = costing.discount_factors(std_rates)
        health_rates = costing.annual_rates(rates[rates["schedule"] == "health"], n) if s.discounting == "green_book" else std_rates
        df_health = costing.discount_factors(health_rates)
        ly_rate = float(health_rates[0])
    else:
        df_std = df_health = np.ones(n)
        ly_rate = 0.0
    weight = band_overlap(library.age_bands, list(zip(uc["age_from"].astype(int), uc["age_to"].astype(int))))
    per_ly = (uc["basis"] == "per_life_year_lost").to_numpy()
    weight = np.where(per_ly[:, None], weight * costing.annuity_factor(life_exp, ly_rate)[None, :], weight)
    timing = np.tile(g, (len(uc), 1))
    delay = uc["delay_years"].fillna(0).astype(int).to_numpy()
    for i in np.flatnonzero((uc["basis"] == "per_case_year").to_numpy() | (delay > 0)):
        duration = float(uc.loc[i, "duration_years"]) if uc.loc[i, "basis"] == "per_case_year" else 1.0
        timing[i] = costing.duration_kernel(duration, n, int(delay[i])) @ g
    # Discounting by component: [row, component, year].
    health = np.isin(np.array(COMPONENTS), HEALTH_COMPONENTS)
    discount = np.where(health[:, None], df_health[None, :], df_std[None, :])
    bearers = list(library.bearers["bearer_id"])
    components = list(COMPONENTS)
    shares = np.zeros((len(uc), len(bearers), len(components)))
    for i, cost_id in enumerate(uc["cost_id"]):
        for b, c, share in library.cost_splits[cost_id]:
            shares[i, bearers.index(b), components.index(c)] += share
    return CostRows(uc, weight, timing, discount, shares, bearers)


@dataclass(frozen=True)
class Model:
    """Everything about an appraisal that does not change from draw to draw.

    ``links`` are the default links on the proposal's pathways, one row each;
    ``first_idx``/``last_idx`` index them for each pathway (the link into the
    mediator, the same as ``last_idx`` for a direct pathway, and the link acting
    on the outcome).
    """

    proposal: Proposal
    library: Library
    paths: Pathways
    outcomes: list[str]
    years: np.ndarray
    profile: np.ndarray
    life_expectancy: np.ndarray
    links: pd.DataFrame
    first_idx: np.ndarray
    last_idx: np.ndarray
    x0: np.ndarray  # [pathway] baseline value of the pathway's characteristic
    x1: np.ndarray  # [option, pathway]
    mediator_share: np.ndarray  # [pathway] England baseline share of the pathway's share mediator; NaN otherwise
    curve: np.ndarray  # [3, pathway] polynomial coefficients (percent), 0 for other forms
    age_weight: np.ndarray  # [pathway, band]
    onehot: np.ndarray  # [pathway, outcome]
    base_cases: np.ndarray  # [pathway, band] baseline cases a year of the pathway's outcome
    costs: CostRows
    match: np.ndarray  # [pathway, cost row]

    @cached_property
    def pv_factors(self) -> np.ndarray:
        """``[cost row, bearer]`` present value of £1 a year of each cost row at full occupancy, by bearer."""
        c = self.costs
        return np.einsum("ry,rbc,cy->rb", c.timing, c.shares, c.discount)

    @property
    def central_link_values(self) -> np.ndarray:
        """``[1, link]`` the central value of each link (a polynomial link has none: its curve is fixed)."""
        return self.links["central"].fillna(1.0).to_numpy(float)[None, :]

    @property
    def central_cost_values(self) -> np.ndarray:
        """``[1, cost row]`` each unit cost in £ at the price year."""
        return self.costs.table["uplifted"].to_numpy(float)[None, :]


def build_model(proposal: Proposal, library: Library) -> Model:
    """Check the proposal and lay out the arrays every run of it shares."""
    problems = check_proposal(proposal, library)
    if problems:
        raise ProposalError("The proposal", problems)
    chars = [c for c in library.characteristics["characteristic_id"] if c in proposal.baseline]
    paths = find_pathways(library, chars)
    t = paths.table
    outcomes = [o for o in library.outcomes["outcome_id"] if o in set(t["outcome"])]
    years, g = time_profile(proposal)
    life_exp = library.life_years_per_death
    used = list(dict.fromkeys([*t["first_link"], *t["outcome_link"]]))
    links = library.default_links.set_index("link_id").loc[used].reset_index()
    position = {link: i for i, link in enumerate(used)}
    x0 = np.array([proposal.baseline[c] for c in t["characteristic"]], dtype=float)
    x1 = np.array(
        [[opt.get(c, proposal.baseline[c]) for c in t["characteristic"]] for opt in proposal.options.values()],
        dtype=float,
    ).reshape(len(proposal.options), len(t))
    # The share of each band's cases (at the outcome's ages) that the pathway's evidence covers.
    out_ages = library.outcomes.set_index("outcome_id").loc[t["outcome"], ["age_from", "age_to"]].to_numpy(int)
    link_ages = t[["age_from", "age_to"]].to_numpy(int)
    both = list(zip(np.maximum(out_ages[:, 0], link_ages[:, 0]), np.minimum(out_ages[:, 1], link_ages[:, 1])))
    outcome_share = band_overlap(library.age_bands, [tuple(a) for a in out_ages])
    with np.errstate(divide="ignore", invalid="ignore"):
        age_weight = np.where(outcome_share > 0, band_overlap(library.age_bands, both) / outcome_share, 0.0)
    out_idx = np.array([outcomes.index(o) for o in t["outcome"]], dtype=int)
    onehot = np.zeros((len(t), len(outcomes)))
    onehot[np.arange(len(t)), out_idx] = 1.0
    pop = population_by_band(proposal, library)
    last_idx = np.array([position[x] for x in t["outcome_link"]], dtype=int)
    base_cases = (pop[None, :] * baseline_rates(library, outcomes))[out_idx]
    # A polynomial curve gives its outcome's whole prevalence at the baseline exposure, over the outcome's ages.
    curve = np.zeros((3, len(t)))
    coefs = library.curves.set_index("link_id")[["coef_0", "coef_1", "coef_2"]]
    threshold = links["threshold"].to_numpy(float)[last_idx]
    for p in np.flatnonzero(links["form"].to_numpy()[last_idx] == "polynomial"):
        curve[:, p] = coefs.loc[t["outcome_link"].iloc[p]].to_numpy(float)
        base_cases[p] = pop * outcome_share[p] * risk.curve_value(curve[:, p], threshold[p], x0[p])
    costs = cost_rows(proposal, library, outcomes, g, life_exp)
    row_outcome = np.array([outcomes.index(o) for o in costs.table["outcome_id"]], dtype=int)
    return Model(
        proposal=proposal,
        library=library,
        paths=paths,
        outcomes=outcomes,
        years=years,
        profile=g,
        life_expectancy=life_exp,
        links=links,
        first_idx=np.array([position[x] for x in t["first_link"]], dtype=int),
        last_idx=last_idx,
        x0=x0,
        x1=x1,
        mediator_share=t["mediator"].map(library.mediators.set_index("mediator_id")["baseline_share"]).to_numpy(float),
        curve=curve,
        age_weight=age_weight,
        onehot=onehot,
        base_cases=base_cases,
        costs=costs,
        match=onehot[:, row_outcome],
    )


def run_model(model: Model, link_values: np.ndarray) -> np.ndarray:
    """Annual change in cases at full occupancy and full effect: ``[draw, option, pathway, band]``.

    The change in cases of an outcome is ``base x (exp(S) - 1)`` with ``S`` the sum
    of its pathways' log ratios (effects multiply); each pathway's share is
    ``base x ln RR_path x (exp(S) - 1) / S`` (:func:`appraisal.risk.change_factor`).
    """
    lr = log_ratios(model, link_values)[..., None] * model.age_weight  # [draw, option, pathway, band]
    lr = count_overlaps_once(lr, model.paths)
    total = np.einsum("dopb,pk->dokb", lr, model.onehot)
    out_idx = model.onehot.argmax(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        factor = risk.change_factor(total)
        return model.base_cases * lr * factor[:, :, out_idx, :]


def cost_units(model: Model, annual: np.ndarray) -> np.ndarray:
    """Annual change in costed units (cases, deaths or discounted life-years): ``[draw, option, pathway, cost row]``."""
    return np.einsum("dopb,rb,pr->dopr", annual, model.costs.band_weight, model.match)


def _check_finite(annual: np.ndarray, proposal: Proposal, t: pd.DataFrame) -> None:
    """Refuse results that overflowed: a change far outside the evidence gives no finite number."""
    bad = ~np.isfinite(annual).all(axis=2)  # [option, pathway]
    if not bad.any():
        return
    names = list(proposal.options)
    problems = [
        Problem(
            "result.not_finite",
            InField(f"options.{names[o]}.{t['characteristic'].iloc[p]}"),
            allowed=f"the change from the baseline is too large for the evidence on {t['outcome'].iloc[p]} "
            "(the result is not a finite number); check the value and its unit",
        )
        for o, p in zip(*np.nonzero(bad))
    ]
    raise ProposalError("The proposal", problems)


def appraise(proposal: Proposal, library: Library | None = None, draws: int = 0, seed: int | None = None, progress: bool | None = None):
    """Appraise a proposal: change in cases, deaths and costs of each option against the baseline.

    Parameters
    ----------
    proposal
        The proposal (see :func:`appraisal.load_proposal`).
    library
        The evidence library (default: the shipped one).
    draws
        Monte Carlo draws of every link and unit cost with an interval (0: central values only).
        See :mod:`appraisal.uncertainty` for the distributions.
    seed
        Seed of the random draws; the same seed gives identical results.
    progress
        Show a progress bar for runs over a second (default: only in a terminal, never under CI).

    Returns
    -------
    Result
        Tables of cases, deaths, life-years and costs (see :class:`appraisal.Result`),
        with percentiles when ``draws`` > 0.
    """
    from appraisal.result import Result
    from appraisal.uncertainty import monte_carlo, summarise_run

    library = library or load_library()
    model = build_model(proposal, library)
    annual = run_model(model, model.central_link_values)[0]
    _check_finite(annual, proposal, model.paths.table)
    units = cost_units(model, annual[None])
    central = summarise_run(model, annual[None], units, model.central_cost_values)
    uncertainty = monte_carlo(model, draws, seed, progress) if draws else None
    return Result(
        proposal=proposal,
        library=library,
        pathways=model.paths.table,
        outcomes=model.outcomes,
        years=model.years,
        profile=model.profile,
        annual_cases=annual,
        life_expectancy=model.life_expectancy,
        cost_rows=model.costs,
        cost_units=units[0],
        model=model,
        central=central,
        uncertainty=uncertainty,
    )
