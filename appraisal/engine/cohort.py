"""The closed-cohort sensitivity: the people who move in while the site fills, followed for the period with nobody replacing them.

The default population is open: the dwellings stay occupied at the scheme's resident
mix as people move out and in, so the residents' ages never change, and each death
postponed adds a person followed at England's death rates
(:func:`appraisal.engine.model.yearly_weights`). A closed cohort is the other reading
(the IOMLIFET/AirQ+ life table without new entrants): each year's arrivals age in
place, and the option's death rates apply to them for the whole period, wherever they
live. Each tranche of arrivals starts its own lag when it arrives.
"""

from __future__ import annotations

import numpy as np

from appraisal import demography
from appraisal.demography import LIFE_TABLE_OUTCOME
from appraisal.engine.model import Model
from appraisal.evidence.library import Library


def hazard_change(model: Model, library: Library, annual: np.ndarray) -> np.ndarray:
    """``[site, option, lag, band]`` the option's ratio of death rates less 1, at full effect, by the lag of its evidence.

    All fatal outcomes together, as changes in the hazard of all-cause mortality: the change
    in deaths a year per resident over the band's baseline death rate.

    Parameters
    ----------
    annual
        ``[site, option, pathway, band]`` central annual change in cases at full occupancy and effect.
    """
    fatal_paths = (model.onehot[:, model.fatal].sum(axis=1) > 0).astype(float)
    deaths = np.einsum("sopb,p,pl->solb", annual, fatal_paths, model.lag_onehot)
    rate = library.band_rates[LIFE_TABLE_OUTCOME][None, :] * model.residents  # [site, band] deaths a year
    return np.divide(deaths, rate[:, None, None, :], out=np.zeros_like(deaths), where=rate[:, None, None, :] > 0)


def closed_cohort_qalys(model: Model, library: Library, annual: np.ndarray) -> np.ndarray:
    """``[site, option, year]`` change in quality-adjusted life-years lived by the closed cohort (positive: gained).

    Arrivals in year ``tau`` are the residents at full occupancy times the rise in occupancy
    that year (by age band, spread over single years of age and sex as England's population is);
    at ``t`` years on, their death rates are England's times ``1 + sum_l d_l w_l(t - tau)`` at the
    band of their age then, with ``d_l`` from :func:`hazard_change` and ``w_l`` the lag profiles.
    """
    n = len(model.years)
    m, u = library.death_rates, library.utility_grid
    lags = np.stack([library.lag_profile(lag, n) for lag in model.lag_ids])  # [lag, k]
    change = hazard_change(model, library, annual)[..., demography.band_of_age()]  # [site, option, lag, age]
    arrivals = np.clip(np.diff(model.occupancy, axis=-1, prepend=0.0), 0.0, None)  # [site, year]
    out = np.zeros((*change.shape[:2], n))
    for tau in np.flatnonzero(arrivals.sum(axis=0) > 0):
        people = demography.spread_over_ages(model.residents * arrivals[:, tau, None], library.population_grid)
        entrants = np.zeros((*people.shape, n - tau))
        entrants[..., 0] = people  # [site, sex, age, year]
        stage = lags[:, : n - tau]  # [lag, k]
        ratio = 1.0 + np.einsum("sola,lk->soak", change, stage)[:, :, None]  # [site, option, 1, age, k]
        _, base, _ = demography.project_cohort(entrants, m, np.ones(entrants.shape), u)
        _, option, _ = demography.project_cohort(entrants[:, None], m, ratio, u)
        out[..., tau:] += option - base[:, None]
    return out
