"""The fixed arrays of an appraisal: everything that does not change from draw to draw.

Every array that depends on the place carries a leading **site** axis (length 1
for one proposal), so that a programme of many sites runs through the same
arithmetic. Axes, in this order where they appear: ``site``, ``option``,
``pathway``, ``outcome``, ``band`` (age band), ``row`` (unit-cost row),
``bearer``, ``component``, ``year``.

Because a site's age structure is fixed and only its size follows occupancy,
every yearly quantity is an annual change at full occupancy times the site's
time profile ``g[site, year]`` (occupancy x ramp-in of effects); so the engine
never loops over years or ages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal import costing
from appraisal.demography import OPEN_AGE
from appraisal.errors import InField, Problem, ProposalError
from appraisal.evidence.library import Library
from appraisal.evidence.schemas import COMPONENTS, STATE_KINDS
from appraisal.proposal import DeathValuation, Discounting, Proposal, check_proposal
from appraisal.risk import curve_value

#: Components valued as health (discounted with the health schedule under Green Book discounting).
HEALTH_COMPONENTS = ("quality_of_life", "mortality")


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
    """``[band]`` residents at full occupancy by library age band.

    A total is spread over England's age structure in ``pathways/population.csv``.
    """
    pop = proposal.population
    if pop.by_age_band is not None:
        return np.array([pop.by_age_band[b] for b in library.band_labels], dtype=float)
    england = library.england_by_band
    return float(pop.total or 0.0) * england / england.sum()


def time_profile(proposal: Proposal) -> tuple[np.ndarray, np.ndarray]:
    """Calendar years and the profile ``g = occupancy x ramp-in`` for each: ``([year], [year])``.

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
    """``[outcome, band]`` England baseline rate (events per person per year).

    0 outside an outcome's age range, and for an outcome whose prevalence comes from a
    polynomial curve instead (see :attr:`appraisal.Library.band_rates`).
    """
    empty = np.zeros(len(library.age_bands))
    return np.array([library.band_rates.get(o, empty) for o in outcomes]).reshape(len(outcomes), len(library.age_bands))


def cost_parts(
    uc: pd.DataFrame, weight: np.ndarray, library: Library, life_exp: np.ndarray
) -> list[tuple[int, np.ndarray, float, float]]:
    """Each unit-cost row as parts with one duration and start each: ``[(row, band mask, duration, delay)]``.

    How long a cost lasts is stated in one place, ``pathways/durations.csv``: a
    ``per_case_year`` cost of an incidence or event outcome lasts as long as its
    ``phase`` does at the age of onset, starting ``starts_after_years`` after onset; a
    ``lifelong`` phase lasts the remaining life expectancy of the band
    (:attr:`appraisal.Library.life_years_per_death`), which overstates it for a
    condition that shortens life. A cost of a prevalence or wellbeing outcome is counted
    in each year a person is in the state (duration 1). Other costs fall once, ``delay_years`` after
    onset. Bands with the same duration and start share one part.
    """
    kinds = dict(zip(library.outcomes["outcome_id"], library.outcomes["kind"]))
    d = library.durations
    d_outcome, d_phase = d["outcome_id"].to_numpy(str), d["phase"].to_numpy(str)
    d_from, d_to = d["age_from"].to_numpy(int), d["age_to"].to_numpy(int)
    d_years = np.where(d["statistic"].to_numpy() == "lifelong", np.nan, d["years"].to_numpy(float))
    d_starts = d["starts_after_years"].to_numpy(float)
    band_start = np.array([a for a, _ in library.age_bands])
    parts: list[tuple[int, np.ndarray, float, float]] = []
    for i, r in enumerate(uc[["outcome_id", "basis", "phase", "delay_years", "age_from"]].itertuples(index=False)):
        delay = float(0 if pd.isna(r.delay_years) else r.delay_years)
        if r.basis != "per_case_year" or kinds[r.outcome_id] in STATE_KINDS:
            parts.append((i, np.ones(weight.shape[1]), 1.0, delay))
            continue
        mine = (d_outcome == r.outcome_id) & (d_phase == r.phase)
        lo, hi, years, starts = d_from[mine], d_to[mine], d_years[mine], d_starts[mine]
        by_length: dict[tuple[float, float], np.ndarray] = {}
        for b in np.flatnonzero(weight[i] > 0):
            age = max(int(band_start[b]), int(r.age_from))
            j = int(np.flatnonzero((lo <= age) & (hi >= age))[0])
            length = float(life_exp[b]) if np.isnan(years[j]) else float(years[j])
            by_length.setdefault((length, delay + float(starts[j])), np.zeros(weight.shape[1]))[b] = 1.0
        parts.extend((i, mask, length, start) for (length, start), mask in by_length.items())
    return parts


@dataclass(frozen=True)
class CostRows:
    """The unit costs in play, uplifted to the price year, with their timing and who bears them.

    Attributes
    ----------
    table
        Rows of the library's unit costs used, with an ``uplifted`` column (£ per unit at the price year).
    band_weight
        ``[row, band]`` share of each band's ages the cost covers (times discounted life-years per
        death for a cost per life-year lost).
    timing
        ``[site, row, year]`` when the cost of one year's cases falls, times the site's profile ``g``.
    discount
        ``[component, year]`` discount factor of each component's schedule.
    shares
        ``[row, bearer, component]`` share of each row landing on each bearer as each component.
    bearers
        Bearer ids, in the order of the ``bearer`` axis.
    """

    table: pd.DataFrame
    band_weight: np.ndarray
    timing: np.ndarray
    discount: np.ndarray
    shares: np.ndarray
    bearers: list[str]


def cost_rows(proposal: Proposal, library: Library, outcomes: list[str], g: np.ndarray, life_exp: np.ndarray) -> CostRows:
    """Select, uplift and time the unit costs of the outcomes reached.

    Parameters
    ----------
    g
        ``[site, year]`` time profile of each site.
    """
    s = proposal.settings
    uc = library.unit_costs[library.unit_costs["outcome_id"].isin(outcomes)].copy()
    if s.mortality_valuation is DeathValuation.LIFE_YEARS:
        uc = uc[~((uc["component"] == "mortality") & (uc["basis"] == "per_death"))]
    else:
        uc = uc[uc["basis"] != "per_life_year_lost"]
    uc = uc.reset_index(drop=True)
    per = uc["per"].fillna(1.0).to_numpy(float)
    uc["uplifted"] = (
        uc["value"].to_numpy(float) / per * costing.uplift_factors(uc["price_year"].to_numpy(), library.price_index, s.price_year)
    )
    n = s.period_years
    rates = library.discount_rates
    if s.discounting is Discounting.NONE:
        df_std = df_health = np.ones(n)
        ly_rate = 0.0
    else:
        std_rates = costing.annual_rates(rates[rates["schedule"] == "standard"], n)
        df_std = costing.discount_factors(std_rates)
        health_rates = (
            costing.annual_rates(rates[rates["schedule"] == "health"], n)
            if s.discounting is Discounting.GREEN_BOOK
            else std_rates
        )
        df_health = costing.discount_factors(health_rates)
        ly_rate = float(health_rates[0])
    weight = band_overlap(library.age_bands, list(zip(uc["age_from"].astype(int), uc["age_to"].astype(int))))
    per_ly = (uc["basis"] == "per_life_year_lost").to_numpy()
    weight = np.where(per_ly[:, None], weight * costing.annuity_factor(life_exp, ly_rate)[None, :], weight)
    parts = cost_parts(uc, weight, library, life_exp)
    uc = uc.iloc[[row for row, _, _, _ in parts]].reset_index(drop=True)
    weight = np.stack([weight[row] * mask for row, mask, _, _ in parts]) if parts else weight[:0]
    timing = (
        np.stack([g @ costing.duration_kernel(duration, n, delay).T for _, _, duration, delay in parts], axis=1)
        if parts
        else np.zeros((g.shape[0], 0, n))
    )
    health = np.isin(np.array(COMPONENTS), HEALTH_COMPONENTS)
    discount = np.where(health[:, None], df_health[None, :], df_std[None, :])
    bearers = list(library.bearers["bearer_id"])
    components = list(COMPONENTS)
    shares = np.zeros((len(uc), len(bearers), len(components)))
    for row, cost_id in enumerate(uc["cost_id"]):
        for b, c, share in library.cost_splits[cost_id]:
            shares[row, bearers.index(b), components.index(c)] += share
    return CostRows(uc, weight, timing, discount, shares, bearers)


@dataclass(frozen=True)
class Model:
    """Everything about an appraisal that does not change from draw to draw.

    ``links`` are the default links on the pathways, one row each; ``first_idx`` and
    ``last_idx`` index them for each pathway (the link into the mediator, the same
    as ``last_idx`` for a direct pathway; and the link acting on the outcome).

    Attributes
    ----------
    options
        Option names, in the order of the ``option`` axis.
    pathways
        One row per pathway: characteristic, mediator, outcome, first_link, outcome_link,
        overlap_group, age_from, age_to.
    outcomes
        Outcome ids reached, in the order of the ``outcome`` axis.
    years
        ``[year]`` calendar years of the appraisal.
    profile
        ``[site, year]`` occupancy x ramp-in.
    life_expectancy
        ``[band]`` remaining life expectancy of a death in each band (years).
    fatal
        ``[outcome]`` True for an outcome whose cases are deaths.
    x0, x1
        ``[site, pathway]`` and ``[site, option, pathway]`` the pathway's characteristic at baseline
        and under each option.
    mediator_share
        ``[pathway]`` England baseline share of the pathway's share mediator; NaN otherwise.
    curve
        ``[3, pathway]`` polynomial coefficients (percent) of a curve pathway, 0 for other forms.
    age_weight
        ``[pathway, band]`` share of each band's cases the pathway's evidence covers.
    onehot
        ``[pathway, outcome]`` which outcome each pathway acts on.
    base_cases
        ``[site, pathway, band]`` baseline cases a year of the pathway's outcome at full occupancy.
    base_risk
        ``[pathway, band]`` England baseline risk of the pathway's outcome (events per person per
        year, or prevalence), at which an odds ratio is turned into a risk ratio.
    match
        ``[pathway, row]`` which unit-cost rows cost each pathway's outcome.
    """

    options: list[str]
    pathways: pd.DataFrame
    outcomes: list[str]
    years: np.ndarray
    profile: np.ndarray
    life_expectancy: np.ndarray
    fatal: np.ndarray
    links: pd.DataFrame
    first_idx: np.ndarray
    last_idx: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    mediator_share: np.ndarray
    curve: np.ndarray
    age_weight: np.ndarray
    onehot: np.ndarray
    base_cases: np.ndarray
    base_risk: np.ndarray
    costs: CostRows
    match: np.ndarray
    pv_factors: np.ndarray

    @property
    def central_link_values(self) -> np.ndarray:
        """``[1, link]`` the central value of each link (a polynomial link has none: its curve is fixed)."""
        return self.links["central"].fillna(1.0).to_numpy(float)[None, :]

    @property
    def central_cost_values(self) -> np.ndarray:
        """``[1, row]`` each unit cost in £ at the price year."""
        return self.costs.table["uplifted"].to_numpy(float)[None, :]


def build_model(sites: Proposal | Sequence[Proposal], library: Library) -> Model:
    """Check the proposal(s) and lay out the arrays every run shares.

    Parameters
    ----------
    sites
        One proposal, or several sharing option names and settings (one per site).

    Raises
    ------
    ProposalError
        With every problem found in any of them.
    """
    proposals = [sites] if isinstance(sites, Proposal) else list(sites)
    for proposal in proposals:
        problems = check_proposal(proposal, library)
        if problems:
            raise ProposalError("The proposal", problems)
    first = proposals[0]
    differ = [
        Problem("proposal.sites_differ", InField(f"sites[{i}].{what}"), allowed=f"the same {what} as the first site")
        for i, p in enumerate(proposals[1:], start=1)
        for what, same in (("options", list(p.options) == list(first.options)), ("settings", p.settings == first.settings))
        if not same
    ]
    if differ:
        raise ProposalError("The sites", differ)
    options = list(first.options)
    set_anywhere = {c for p in proposals for c in p.baseline}
    chars = [c for c in library.characteristics["characteristic_id"] if c in set_anywhere]
    table = library.pathway_table
    t = table[table["characteristic"].isin(chars)].reset_index(drop=True)
    outcomes = [o for o in library.outcomes["outcome_id"] if o in set(t["outcome"])]
    years, _ = time_profile(first)
    g = np.stack([time_profile(p)[1] for p in proposals])  # [site, year]
    life_exp = library.life_years_per_death
    used = list(dict.fromkeys([*t["first_link"], *t["outcome_link"]]))
    links = library.default_links.set_index("link_id").loc[used].reset_index()
    position = {link: i for i, link in enumerate(used)}

    def value(p: Proposal, option: dict[str, float], c: str) -> float:
        return option.get(c, p.baseline.get(c, np.nan))

    x0 = np.array([[p.baseline.get(c, np.nan) for c in t["characteristic"]] for p in proposals], dtype=float).reshape(
        len(proposals), len(t)
    )
    x1 = np.array(
        [[[value(p, opt, c) for c in t["characteristic"]] for opt in p.options.values()] for p in proposals], dtype=float
    ).reshape(len(proposals), len(options), len(t))
    # The share of each band's cases (at the outcome's ages) that the pathway's evidence covers.
    outcome_table = library.outcomes.set_index("outcome_id")
    out_ages = outcome_table.loc[t["outcome"], ["age_from", "age_to"]].to_numpy(int)
    link_ages = t[["age_from", "age_to"]].to_numpy(int)
    both = list(zip(np.maximum(out_ages[:, 0], link_ages[:, 0]), np.minimum(out_ages[:, 1], link_ages[:, 1])))
    outcome_share = band_overlap(library.age_bands, [(int(a), int(b)) for a, b in out_ages])
    with np.errstate(divide="ignore", invalid="ignore"):
        age_weight = np.where(outcome_share > 0, band_overlap(library.age_bands, both) / outcome_share, 0.0)
    out_idx = np.array([outcomes.index(o) for o in t["outcome"]], dtype=int)
    onehot = np.zeros((len(t), len(outcomes)))
    onehot[np.arange(len(t)), out_idx] = 1.0
    pop = np.stack([population_by_band(p, library) for p in proposals])  # [site, band]
    last_idx = np.array([position[x] for x in t["outcome_link"]], dtype=int)
    base_risk = baseline_rates(library, outcomes)[out_idx]  # [pathway, band]
    base_cases = pop[:, None, :] * base_risk[None, :, :]  # [site, pathway, band]
    # A polynomial curve gives its outcome's whole prevalence at the baseline exposure, over the outcome's ages.
    curve = np.zeros((3, len(t)))
    coefs = library.curves.set_index("link_id")[["coef_0", "coef_1", "coef_2"]]
    threshold = links["threshold"].to_numpy(float)[last_idx]
    for p in np.flatnonzero(links["form"].to_numpy()[last_idx] == "polynomial"):
        curve[:, p] = coefs.loc[t["outcome_link"].iloc[p]].to_numpy(float)
        base_cases[:, p] = pop * outcome_share[p] * curve_value(curve[:, p], threshold[p], x0[:, p])[:, None]
    costs = cost_rows(first, library, outcomes, g, life_exp)
    row_outcome = np.array([outcomes.index(o) for o in costs.table["outcome_id"]], dtype=int)
    fatal = outcome_table.loc[outcomes, "fatal"].to_numpy(bool)
    return Model(
        options=options,
        pathways=t,
        outcomes=outcomes,
        years=years,
        profile=g,
        life_expectancy=life_exp,
        fatal=fatal,
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
        base_risk=base_risk,
        costs=costs,
        match=onehot[:, row_outcome],
        pv_factors=np.einsum("sry,rbc,cy->srb", costs.timing, costs.shares, costs.discount),
    )
