"""The fixed arrays of an appraisal: everything that does not change from draw to draw.

Every array that depends on the place carries a leading **site** axis (length 1
for one proposal), so that a programme of many sites runs through the same
arithmetic. Axes, in this order where they appear: ``site``, ``option``,
``pathway``, ``outcome``, ``band`` (age band), ``row`` (unit-cost row),
``bearer``, ``component``, ``year``.

Because a site's age structure is fixed and only its size follows occupancy,
every yearly quantity is an annual change at full occupancy and full effect times
a time profile ``g[site, lag, year]``: the occupancy's increments, each followed by
the lag profile of the pathway's evidence (:func:`time_profiles`). Deaths enter a life
table as changes in the hazard of the site's residents; what a death postponed adds
afterwards (life-years, quality-adjusted life-years, and the death that comes later)
is a fixed kernel per age band (:func:`appraisal.demography.extra_life_kernel`), so
the engine never loops over years or ages in a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal import costing, demography
from appraisal.demography import OPEN_AGE
from appraisal.errors import InField, Problem, ProposalError
from appraisal.evidence.library import Library
from appraisal.evidence.schemas import COMPONENTS, PVB_COUNTS, STATE_KINDS
from appraisal.proposal import DeathValuation, Discounting, Proposal, Settings, check_proposal
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


def occupancy_profile(proposal: Proposal) -> tuple[np.ndarray, np.ndarray]:
    """Calendar years and the share of full occupancy in each: ``([year], [year])``.

    A year not listed takes the latest listed year before it, 0 before the first.
    """
    s = proposal.settings
    years = np.arange(s.start_year, s.start_year + s.period_years)
    listed = sorted(proposal.occupancy.items())
    listed_years = np.array([y for y, _ in listed])
    shares = np.array([v for _, v in listed], dtype=float)
    idx = np.searchsorted(listed_years, years, side="right") - 1
    return years, np.where(idx >= 0, shares[np.clip(idx, 0, None)], 0.0)


def time_profiles(occupancy: np.ndarray, lags: np.ndarray) -> np.ndarray:
    r"""``[site, lag, year]`` share of the full annual change reached in each year.

    Each year's increase in occupancy starts its own lag: the people who move in
    that year begin the changed exposure then, and its effect on them builds up as
    the lag profile ``w`` says,

    .. math:: g_t = \sum_{\tau \le t} (o_\tau - o_{\tau - 1}) \, w_{t - \tau}

    Parameters
    ----------
    occupancy
        ``[site, year]`` share of full occupancy.
    lags
        ``[lag, k]`` share of the full effect reached ``k`` years after the change (k = 0 the first year).
    """
    n = occupancy.shape[-1]
    increments = np.diff(occupancy, axis=-1, prepend=0.0)  # [site, year]
    k = np.arange(n)[:, None] - np.arange(n)[None, :]  # [t, tau]
    w = np.where(k >= 0, lags[:, np.clip(k, 0, n - 1)], 0.0)  # [lag, t, tau]
    return np.einsum("st,lyt->sly", increments, w)


def yearly_weights(g: np.ndarray, life_kernel: np.ndarray) -> np.ndarray:
    """``[site, lag, band, 4, year]`` cases, net deaths, life-years lost and QALYs lost per unit of annual change.

    A change of one death a year among residents (at full occupancy and effect) is
    ``g`` deaths in each year; each of them adds the life-years and QALYs of the
    kernel in the years after, and a death later on (counted with the opposite sign), so
    that over a long horizon the change in deaths nets towards zero.
    """
    n = g.shape[-1]
    ly, qaly, later = (np.stack([toeplitz(life_kernel[j, b]) for b in range(life_kernel.shape[1])]) for j in range(3))
    deaths = g[:, :, None, :] - np.einsum("sly,bty->slbt", g, later)
    cases = np.broadcast_to(g[:, :, None, :], deaths.shape)
    lost_ly = np.einsum("sly,bty->slbt", g, ly)
    lost_qaly = np.einsum("sly,bty->slbt", g, qaly)
    out = np.stack([cases, deaths, lost_ly, lost_qaly], axis=3)
    return out.reshape(*g.shape[:2], life_kernel.shape[1], 4, n)


def baseline_rates(library: Library, outcomes: list[str]) -> np.ndarray:
    """``[outcome, band]`` England baseline rate (events per person per year).

    0 outside an outcome's age range, and for an outcome whose prevalence comes from a
    polynomial curve instead (see :attr:`appraisal.Library.band_rates`).
    """
    empty = np.zeros(len(library.age_bands))
    return np.array([library.band_rates.get(o, empty) for o in outcomes]).reshape(len(outcomes), len(library.age_bands))


def toeplitz(kernel: np.ndarray) -> np.ndarray:
    """``K[t, s] = kernel[t - s]`` for ``t >= s`` (0 before): what a year-``s`` event adds in year ``t``."""
    n = kernel.shape[-1]
    k = np.arange(n)[:, None] - np.arange(n)[None, :]
    return np.where(k >= 0, kernel[np.clip(k, 0, n - 1)], 0.0)


def cost_parts(
    uc: pd.DataFrame, weight: np.ndarray, library: Library, life_exp: np.ndarray, life_kernel: np.ndarray
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Each unit-cost row as parts with one timing each: ``[(row, band mask, K[year, year of change])]``.

    How long a cost lasts is stated in one place, ``pathways/durations.csv``: a
    ``per_case_year`` cost of an incidence or event outcome lasts as long as its
    ``phase`` does at the age of onset, starting ``starts_after_years`` after onset; a
    ``lifelong`` phase lasts the remaining life expectancy of the band
    (:attr:`appraisal.Library.life_years_per_death`), which overstates it for a
    condition that shortens life. A cost of a prevalence or wellbeing outcome is counted
    in each year a person is in the state (duration 1). A ``per_qaly_lost`` cost falls
    year by year on the quality-adjusted life-years a death in the band takes
    (``life_kernel``); a ``per_death`` cost falls in the year of the death. Other costs
    fall once, ``delay_years`` after onset. Bands with the same timing share one part.

    Parameters
    ----------
    life_kernel
        ``[3, band, k]`` life-years, QALYs and deaths a death averted in a band adds ``k`` years on
        (:func:`appraisal.demography.extra_life_kernel`).
    """
    n = life_kernel.shape[-1]
    kinds = dict(zip(library.outcomes["outcome_id"], library.outcomes["kind"]))
    d = library.durations
    d_outcome, d_phase = d["outcome_id"].to_numpy(str), d["phase"].to_numpy(str)
    d_from, d_to = d["age_from"].to_numpy(int), d["age_to"].to_numpy(int)
    d_years = np.where(d["statistic"].to_numpy() == "lifelong", np.nan, d["years"].to_numpy(float))
    d_starts = d["starts_after_years"].to_numpy(float)
    band_start = np.array([a for a, _ in library.age_bands])
    parts: list[tuple[int, np.ndarray, np.ndarray]] = []
    for i, r in enumerate(uc[["outcome_id", "basis", "phase", "delay_years", "age_from"]].itertuples(index=False)):
        delay = float(0 if pd.isna(r.delay_years) else r.delay_years)
        if r.basis == "per_qaly_lost":
            for b in np.flatnonzero(weight[i] > 0):
                mask = np.zeros(weight.shape[1])
                mask[b] = 1.0
                parts.append((i, mask, toeplitz(life_kernel[1, b])))
            continue
        if r.basis != "per_case_year" or kinds[r.outcome_id] in STATE_KINDS:
            parts.append((i, np.ones(weight.shape[1]), costing.duration_kernel(1.0, n, delay)))
            continue
        mine = (d_outcome == r.outcome_id) & (d_phase == r.phase)
        lo, hi, years, starts = d_from[mine], d_to[mine], d_years[mine], d_starts[mine]
        by_length: dict[tuple[float, float], np.ndarray] = {}
        for b in np.flatnonzero(weight[i] > 0):
            age = max(int(band_start[b]), int(r.age_from))
            j = int(np.flatnonzero((lo <= age) & (hi >= age))[0])
            length = float(life_exp[b]) if np.isnan(years[j]) else float(years[j])
            by_length.setdefault((length, delay + float(starts[j])), np.zeros(weight.shape[1]))[b] = 1.0
        parts.extend((i, mask, costing.duration_kernel(length, n, start)) for (length, start), mask in by_length.items())
    return parts


def discount_schedules(s: Settings, library: Library) -> tuple[np.ndarray, np.ndarray]:
    """``(standard, health)`` discount factors of each year of the period, to the discount base year.

    Year ``t`` of the period is ``start_year - base_year + t`` years after the base year (year 0 of
    the Green Book schedules), so a scheme starting after the base year is discounted back to it.
    """
    offset = s.start_year - (s.discount_base_year or s.start_year)
    n = offset + s.period_years
    rates = library.discount_rates
    if s.discounting is Discounting.NONE:
        return np.ones(s.period_years), np.ones(s.period_years)
    std_rates = costing.annual_rates(rates[rates["schedule"] == "standard"], n)
    health_rates = (
        costing.annual_rates(rates[rates["schedule"] == "health"], n) if s.discounting is Discounting.GREEN_BOOK else std_rates
    )
    return costing.discount_factors(std_rates)[offset:], costing.discount_factors(health_rates)[offset:]


def pvb_type_map(library: Library, bearers: list[str]) -> np.ndarray:
    """``[bearer, component, type]`` 1 where a bearer's component counts in the present value of benefits as each
    of :data:`PVB_COUNTS` (fiscal, economic, social, or excluded as a transfer), from ``unit_costs/value_types.csv``."""
    out = np.zeros((len(bearers), len(COMPONENTS), len(PVB_COUNTS)))
    for r in library.value_types.itertuples(index=False):
        if r.bearer in bearers:
            out[bearers.index(r.bearer), COMPONENTS.index(r.component), PVB_COUNTS.index(r.counted_in_pvb_as)] = 1.0
    return out


@dataclass(frozen=True)
class CostRows:
    """The unit costs in play, uplifted to the price year, with their timing and who bears them.

    Attributes
    ----------
    table
        Rows of the library's unit costs used, with an ``uplifted`` column (£ per unit at the price year).
    band_weight
        ``[row, band]`` share of each band's ages the cost covers.
    timing
        ``[site, lag, row, year]`` when the cost of one year's cases falls (for a cost per QALY lost:
        the QALYs a death takes, year by year), times the site's profile ``g`` of each lag.
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


def cost_rows(
    proposal: Proposal, library: Library, outcomes: list[str], g: np.ndarray, life_exp: np.ndarray, life_kernel: np.ndarray
) -> CostRows:
    """Select, uplift and time the unit costs of the outcomes reached.

    Parameters
    ----------
    g
        ``[site, lag, year]`` time profile of each site and lag (:func:`time_profiles`).
    life_kernel
        ``[3, band, k]`` see :func:`cost_parts`.
    """
    s = proposal.settings
    uc = library.unit_costs[library.unit_costs["outcome_id"].isin(outcomes)].copy()
    if s.mortality_valuation is DeathValuation.QALYS:
        uc = uc[~((uc["component"] == "mortality") & (uc["basis"] == "per_death"))]
    else:
        uc = uc[uc["basis"] != "per_qaly_lost"]
    uc = uc.reset_index(drop=True)
    per = uc["per"].fillna(1.0).to_numpy(float)
    uc["uplifted"] = (
        uc["value"].to_numpy(float) / per * costing.uplift_factors(uc["price_year"].to_numpy(), library.price_index, s.price_year)
    )
    n = s.period_years
    df_std, df_health = discount_schedules(s, library)
    weight = band_overlap(library.age_bands, list(zip(uc["age_from"].astype(int), uc["age_to"].astype(int))))
    parts = cost_parts(uc, weight, library, life_exp, life_kernel)
    uc = uc.iloc[[row for row, _, _ in parts]].reset_index(drop=True)
    weight = np.stack([weight[row] * mask for row, mask, _ in parts]) if parts else weight[:0]
    timing = (
        np.stack([np.einsum("slt,yt->sly", g, kernel) for _, _, kernel in parts], axis=2)
        if parts
        else np.zeros((*g.shape[:2], 0, n))
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
    occupancy
        ``[site, year]`` share of full occupancy.
    lag_ids
        The lag profiles of the pathways' evidence, in the order of the ``lag`` axis ("" is the
        default rule: the full effect from the first year).
    lag_onehot
        ``[pathway, lag]`` the lag of each pathway (that of the link acting on its outcome).
    profile
        ``[site, lag, year]`` share of the full annual change reached in each year (:func:`time_profiles`).
    life_kernel
        ``[3, band, k]`` life-years, QALYs and deaths that one death averted in a band adds ``k`` years on.
    yearly
        ``[site, lag, band, 4, year]`` per unit of annual change in cases: cases, deaths (net: the
        change among residents less the later deaths of those whose death was postponed), life-years
        lost and QALYs lost in each year (the last three used for fatal outcomes only).
    life_expectancy
        ``[band]`` remaining life expectancy of a death in each band (years), for lifelong costs.
    fatal
        ``[outcome]`` True for an outcome whose cases are deaths.
    x0, x1
        ``[site, pathway]`` and ``[site, option, pathway]`` the pathway's characteristic at baseline
        and under each option.
    mediator_share
        ``[pathway]`` England baseline share of the pathway's share mediator; NaN otherwise.
    band_level, rest_level
        ``[pathway]`` for a pathway from a band (a share of dwellings in a band of a level): the
        level the band stands at, and the level of the dwellings below every band; NaN otherwise
        (:attr:`appraisal.Library.band_levels`).
    band_group
        ``[pathway, group]`` which pathways are bands of one characteristic acting through one link:
        their shares mix into one population ratio.
    curve
        ``[3, pathway]`` polynomial coefficients (percent) of a curve pathway, 0 for other forms.
    age_weight
        ``[pathway, band]`` share of each band's cases the pathway's evidence covers (its ages, and
        its sex where the evidence is for one sex).
    street_share
        ``[pathway]`` share of the outcome's risk the pathway's characteristic can move: the setting
        ``road_risk_on_site_share`` for a pathway whose evidence is about road users on the site's own
        streets, 1 otherwise.
    onehot
        ``[pathway, outcome]`` which outcome each pathway acts on.
    base_cases
        ``[site, pathway, band]`` baseline cases a year of the pathway's outcome at full occupancy.
    residents
        ``[site, band]`` residents at full occupancy.
    base_risk
        ``[pathway, band]`` England baseline risk of the pathway's outcome (events per person per
        year, or prevalence), at which an odds ratio is turned into a risk ratio.
    match
        ``[pathway, row]`` which unit-cost rows cost each pathway's outcome.
    pv_factors
        ``[site, lag, row, bearer]`` present value of one unit of a row's annual change at full effect.
    pv_type_factors
        ``[site, lag, row, bearer, type]`` the same by where it counts in the present value of benefits
        (:func:`pvb_type_map`).
    """

    options: list[str]
    pathways: pd.DataFrame
    outcomes: list[str]
    years: np.ndarray
    occupancy: np.ndarray
    lag_ids: list[str]
    lag_onehot: np.ndarray
    profile: np.ndarray
    life_kernel: np.ndarray
    yearly: np.ndarray
    life_expectancy: np.ndarray
    fatal: np.ndarray
    links: pd.DataFrame
    first_idx: np.ndarray
    last_idx: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    mediator_share: np.ndarray
    band_level: np.ndarray
    rest_level: np.ndarray
    band_group: np.ndarray
    curve: np.ndarray
    age_weight: np.ndarray
    street_share: np.ndarray
    onehot: np.ndarray
    base_cases: np.ndarray
    base_risk: np.ndarray
    residents: np.ndarray
    costs: CostRows
    match: np.ndarray
    pv_factors: np.ndarray
    pv_type_factors: np.ndarray

    @property
    def pv_counted(self) -> np.ndarray:
        """``[site, lag, row]`` present value of one unit of a row's annual change as it counts in the present value of
        benefits: every bearer, fiscal, economic and social value, transfers left out."""
        return self.pv_type_factors[..., : PVB_COUNTS.index("excluded")].sum(axis=(3, 4))

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
    years, _ = occupancy_profile(first)
    occupancy = np.stack([occupancy_profile(p)[1] for p in proposals])  # [site, year]
    n_years = len(years)
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
    # A link whose evidence is for one sex acts on that sex's share of each band (England's, within the band).
    link_rows = library.links.set_index("link_id")
    sexes = np.array(
        [
            next((x for x in link_rows.loc[[f, o], "sex"] if x != "persons"), "persons")
            for f, o in zip(t["first_link"], t["outcome_link"])
        ]
    )
    grid = library.population_grid
    by_sex = np.stack([demography.to_bands(grid[[k]]) for k in range(len(demography.SEXES))])  # [sex, band]
    sex_share = np.divide(by_sex, by_sex.sum(axis=0), out=np.full(by_sex.shape, 0.5), where=by_sex.sum(axis=0) > 0)
    for k, sex in enumerate(demography.SEXES):
        age_weight[sexes == sex] *= sex_share[k]
    # Road users on the site's streets: only the share of residents' road risk that arises there moves.
    on_streets = np.array(
        [
            "road_users_on_site_streets" in set(link_rows.loc[[f, o], "population_exposed"])
            for f, o in zip(t["first_link"], t["outcome_link"])
        ]
    )
    street_share = np.where(on_streets, first.settings.road_risk_on_site_share, 1.0)
    out_idx = np.array([outcomes.index(o) for o in t["outcome"]], dtype=int)
    onehot = np.zeros((len(t), len(outcomes)))
    onehot[np.arange(len(t)), out_idx] = 1.0
    pop = np.stack([population_by_band(p, library) for p in proposals])  # [site, band]
    last_idx = np.array([position[x] for x in t["outcome_link"]], dtype=int)
    pathway_lag = links["lag_id"].fillna("").to_numpy(str)[last_idx]
    lag_ids = list(dict.fromkeys(pathway_lag)) or [""]
    lag_onehot = (pathway_lag[:, None] == np.array(lag_ids)[None, :]).astype(float)
    g = time_profiles(occupancy, np.stack([library.lag_profile(lag, n_years) for lag in lag_ids]))
    m = library.death_rates
    life_kernel = demography.extra_life_kernel(m, library.utility_grid, library.population_grid * m, n_years)
    yearly = yearly_weights(g, life_kernel)
    base_risk = baseline_rates(library, outcomes)[out_idx]  # [pathway, band]
    base_cases = pop[:, None, :] * base_risk[None, :, :]  # [site, pathway, band]
    # A polynomial curve gives its outcome's whole prevalence at the baseline exposure, over the outcome's ages.
    curve = np.zeros((3, len(t)))
    coefs = library.curves.set_index("link_id")[["coef_0", "coef_1", "coef_2"]]
    threshold = links["threshold"].to_numpy(float)[last_idx]
    for p in np.flatnonzero(links["form"].to_numpy()[last_idx] == "polynomial"):
        curve[:, p] = coefs.loc[t["outcome_link"].iloc[p]].to_numpy(float)
        base_cases[:, p] = pop * outcome_share[p] * curve_value(curve[:, p], threshold[p], x0[:, p])[:, None]
    # Bands of one characteristic through one link mix: their pathways share one group.
    levels = library.band_levels
    band_level = np.array([levels[c][1] if c in levels else np.nan for c in t["characteristic"]])
    rest_level = np.array([levels[c][2] if c in levels else np.nan for c in t["characteristic"]])
    keys = [(levels[c][0], link) if c in levels else None for c, link in zip(t["characteristic"], t["outcome_link"])]
    group_keys = list(dict.fromkeys(k for k in keys if k is not None))
    band_group = np.zeros((len(t), len(group_keys)))
    for p_, key in enumerate(keys):
        if key is not None:
            band_group[p_, group_keys.index(key)] = 1.0
    for gi in range(len(group_keys)):
        members = np.flatnonzero(band_group[:, gi])
        p0 = members[0]
        if links["form"].to_numpy()[last_idx[p0]] != "polynomial":
            continue
        # A curve gives the whole prevalence: the dwellings in each band at its level, the rest below every band.
        at_rest = curve_value(curve[:, p0], threshold[p0], rest_level[p0])
        mixed = (1 - x0[:, members].sum(axis=1)) * at_rest + sum(
            x0[:, m] * curve_value(curve[:, m], threshold[m], band_level[m]) for m in members
        )
        base_cases[:, members] = (pop[:, None, :] * outcome_share[members][None] * mixed[:, None, None]).astype(float)
    costs = cost_rows(first, library, outcomes, g, life_exp, life_kernel)
    row_outcome = np.array([outcomes.index(o) for o in costs.table["outcome_id"]], dtype=int)
    fatal = outcome_table.loc[outcomes, "fatal"].to_numpy(bool)
    return Model(
        options=options,
        pathways=t,
        outcomes=outcomes,
        years=years,
        occupancy=occupancy,
        lag_ids=lag_ids,
        lag_onehot=lag_onehot,
        profile=g,
        life_kernel=life_kernel,
        yearly=yearly,
        life_expectancy=life_exp,
        fatal=fatal,
        links=links,
        first_idx=np.array([position[x] for x in t["first_link"]], dtype=int),
        last_idx=last_idx,
        x0=x0,
        x1=x1,
        mediator_share=t["mediator"].map(library.mediators.set_index("mediator_id")["baseline_share"]).to_numpy(float),
        band_level=band_level,
        rest_level=rest_level,
        band_group=band_group,
        curve=curve,
        age_weight=age_weight,
        street_share=street_share,
        onehot=onehot,
        base_cases=base_cases,
        base_risk=base_risk,
        residents=pop,
        costs=costs,
        match=onehot[:, row_outcome],
        pv_factors=np.einsum("slry,rbc,cy->slrb", costs.timing, costs.shares, costs.discount),
        pv_type_factors=np.einsum(
            "slry,rbc,bct,cy->slrbt", costs.timing, costs.shares, pvb_type_map(library, costs.bearers), costs.discount
        ),
    )
