"""Age bands, England's population, baseline rates on the age grid, and the life table.

Evidence arrives in whatever age ranges and sexes its source prints. It is put
on one grid of single years of age 0-120 by sex (male, female), then
aggregated to the engine's five-year age bands, weighting by England's
population in each cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OPEN_AGE = 120
AGES = np.arange(OPEN_AGE + 1)
SEXES = ("male", "female")
#: The engine's age bands: a modelling grid, not evidence. (first age, last age).
AGE_BANDS: list[tuple[int, int]] = [(a, a + 4) for a in range(0, 90, 5)] + [(90, OPEN_AGE)]
#: The outcome whose baseline (probability of death by age and sex) gives the life table.
LIFE_TABLE_OUTCOME = "all_cause_mortality"


def band_label(age_from: int, age_to: int) -> str:
    """``(90, 120) -> "90+"``, ``(0, 4) -> "0-4"``."""
    return f"{age_from}+" if age_to >= OPEN_AGE else f"{age_from}-{age_to}"


BAND_LABELS = [band_label(a, b) for a, b in AGE_BANDS]
_BAND_OF_AGE = np.array([next(i for i, (a, b) in enumerate(AGE_BANDS) if a <= age <= b) for age in AGES])


def band_of_age() -> np.ndarray:
    """``[age]`` index of the age band each single year of age falls in."""
    return _BAND_OF_AGE


def to_grid(frame: pd.DataFrame, value: np.ndarray, spread: bool) -> np.ndarray:
    """Put rows with age_from, age_to and sex on the ``[sex, age]`` grid.

    Parameters
    ----------
    frame
        Rows with ``age_from``, ``age_to``, ``sex`` (persons, male or female).
    value
        One value per row.
    spread
        True for counts (a row's count is shared evenly over its ages, and a
        persons row half to each sex); False for rates (every cell a row covers
        takes its rate; a persons row applies to both sexes).
    """
    grid = np.zeros((len(SEXES), len(AGES)))
    for (a0, a1, sex), v in zip(zip(frame["age_from"].astype(int), frame["age_to"].astype(int), frame["sex"]), value):
        ages = slice(a0, a1 + 1)
        sexes = [0, 1] if sex == "persons" else [SEXES.index(sex)]
        share = (1 / (a1 - a0 + 1)) / len(sexes) if spread else 1.0
        for s in sexes:
            grid[s, ages] += v * share
    return grid


def population_grid(population: pd.DataFrame) -> np.ndarray:
    """England's population on the ``[sex, age]`` grid (sex rows if given, else persons)."""
    by_sex = population[population["sex"] != "persons"]
    rows = by_sex if not by_sex.empty else population
    return to_grid(rows, rows["persons"].to_numpy(float), spread=True)


def to_bands(grid: np.ndarray) -> np.ndarray:
    """Sum a ``[..., sex, age]`` grid into ``[..., band]``."""
    summed = grid.sum(axis=-2)
    out = np.zeros((*summed.shape[:-1], len(AGE_BANDS)))
    np.add.at(out, (..., _BAND_OF_AGE), summed)  # type: ignore[arg-type]  # numpy stubs miss an Ellipsis index
    return out


def rate_grid(rates: pd.DataFrame) -> np.ndarray:
    """Events per person per year on the ``[sex, age]`` grid from baseline-rate rows.

    Sex-specific rows are used where the outcome has them, persons rows otherwise.
    """
    by_sex = rates[rates["sex"] != "persons"]
    rows = by_sex if not by_sex.empty else rates
    return to_grid(rows, (rows["value"] / rows["per"]).to_numpy(float), spread=False)


def band_rates(rates: pd.DataFrame, pop_grid: np.ndarray) -> np.ndarray:
    """Population-weighted rate in each age band (0 where the outcome has no rate)."""
    pop = to_bands(pop_grid)
    events = to_bands(rate_grid(rates) * pop_grid)
    return np.divide(events, pop, out=np.zeros_like(events), where=pop > 0)


def life_expectancy(qx: np.ndarray) -> np.ndarray:
    r"""Period life expectancy ``e_x`` from probabilities of death ``q_x`` by single year of age.

    .. math:: l_0 = 1,\ l_{x+1} = l_x (1 - q_x),\ L_x = (l_x + l_{x+1}) / 2,\
              e_x = \sum_{y \ge x} L_y / l_x

    with deaths spread evenly over each year of age (the usual :math:`a_x = 0.5`),
    and the last age closed with :math:`L_\omega = l_\omega / m_\omega`,
    :math:`m = 2q / (2 - q)` (Chiang CL (1984) The Life Table and its Applications).

    Parameters
    ----------
    qx
        ``[..., age]`` probability of dying before the next birthday, ages 0..120.
    """
    q = np.clip(qx, 0.0, 1.0)
    lx = np.concatenate([np.ones((*q.shape[:-1], 1)), np.cumprod(1 - q[..., :-1], axis=-1)], axis=-1)
    l_next = lx * (1 - q)
    big_l = (lx + l_next) / 2
    m_last = 2 * q[..., -1] / (2 - q[..., -1])
    big_l[..., -1] = np.divide(lx[..., -1], m_last, out=np.zeros_like(m_last), where=m_last > 0)
    tx = np.cumsum(big_l[..., ::-1], axis=-1)[..., ::-1]
    return np.divide(tx, lx, out=np.zeros_like(tx), where=lx > 0)


def central_death_rate(qx: np.ndarray) -> np.ndarray:
    r"""Central death rate (hazard) ``m`` from the probability of death ``q`` in a year of age.

    .. math:: m = \frac{2q}{2 - q}, \qquad q = \frac{2m}{2 + m}

    the relation of the IOMLIFET life tables, in which deaths fall on average at
    mid-year, so that deaths = ``m`` x mid-year population and the chance of surviving
    the year is :math:`S = (2 - m) / (2 + m)` (Miller BG, Hurley JF (2003) J Epidemiol
    Community Health 57:200-206, as implemented by WHO AirQ+; read in the healthiar
    and iomlifetR re-implementations). ``q = 1`` gives ``m = 2`` and ``S = 0``.
    """
    q = np.clip(qx, 0.0, 1.0)
    return 2 * q / (2 - q)


def survival(m: np.ndarray) -> np.ndarray:
    r"""Chance of surviving a year at central death rate ``m``: :math:`S = (2 - m) / (2 + m)`, clipped to 0-1."""
    return np.clip((2 - m) / (2 + m), 0.0, 1.0)


def probability_of_death(m: np.ndarray) -> np.ndarray:
    r"""Probability of death in the year at central death rate ``m``: :math:`q = 2m / (2 + m)`."""
    return 1.0 - survival(m)


def spread_over_ages(by_band: np.ndarray, pop_grid: np.ndarray) -> np.ndarray:
    """``[..., sex, age]`` residents from ``[..., band]`` counts, each band spread as ``pop_grid`` is within it.

    The site's age mix is given by band (or is England's); within a band, ages and
    sexes follow England's population.
    """
    band_total = to_bands(pop_grid)
    share = np.divide(
        pop_grid, band_total[_BAND_OF_AGE][None, :], out=np.zeros_like(pop_grid), where=band_total[_BAND_OF_AGE][None, :] > 0
    )
    return by_band[..., None, _BAND_OF_AGE] * share


def extra_life_kernel(m: np.ndarray, utility: np.ndarray, weight: np.ndarray, n_years: int) -> np.ndarray:
    r"""What one death averted in a band adds, year by year: ``[3, band, k]`` life-years, QALYs and deaths.

    A death averted at age ``a`` in year 0 (on average at mid-year) adds half a
    person-year in year 0; the person then enters year 1 at age ``a + 1`` and is
    followed at the baseline central death rates ``m``:

    .. math:: l_1 = 1,\ l_{k+1} = l_k S(a + k),\ L_k = l_k (1 + S(a + k)) / 2,\ D_k = l_k (1 - S(a + k))

    (person-years ``L_k`` are the entrants less half the year's deaths ``D_k``, as the
    IOMLIFET/AirQ+ life table counts them). Quality-adjusted life-years weight each
    person-year by the population utility norm at the age lived. A band's kernel is
    the mean over its ages and sexes weighted by ``weight`` (the residents' baseline
    deaths there). Ages past the last age of the table stay at the last age.

    Parameters
    ----------
    m
        ``[sex, age]`` baseline central death rate, per person per year.
    utility
        ``[sex, age]`` population utility norm (0-1).
    weight
        ``[sex, age]`` where averted deaths fall within each band (baseline deaths).
    n_years
        Years to follow (the appraisal period).
    """
    n_ages = m.shape[-1]
    ages = np.arange(n_ages)
    out = np.zeros((3, *m.shape, n_years))
    alive = np.ones(m.shape)
    out[0, ..., 0] = 0.5
    out[1, ..., 0] = 0.5 * utility
    for k in range(1, n_years):
        at = np.minimum(ages + k, n_ages - 1)
        s = survival(m[:, at])
        out[0, ..., k] = alive * (1 + s) / 2
        out[1, ..., k] = out[0, ..., k] * utility[:, at]
        out[2, ..., k] = alive * (1 - s)
        alive = alive * s
    weighted = to_bands((out * weight[None, :, :, None]).transpose(0, 3, 1, 2))  # [3, k, band]
    total = to_bands(weight)
    return np.divide(weighted, total, out=np.zeros_like(weighted), where=total > 0).transpose(0, 2, 1)


def project_cohort(
    entrants: np.ndarray, m: np.ndarray, hazard_ratio: np.ndarray, utility: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Person-years, quality-adjusted person-years and deaths of a closed cohort, year by year: three ``[..., year]``.

    People join in the year they move in (``entrants``) and are followed, ageing a year
    each year, with nobody replacing them:

    .. math:: P_{t+1, a+1} = P_{t, a} S(m_a \, HR_{t, a}) + E_{t+1, a+1},\quad
              L_t = \sum_a P_{t, a} (1 + S) / 2,\quad D_t = \sum_a P_{t, a} (1 - S)

    (the IOMLIFET/AirQ+ projection without births; Miller and Hurley 2003).

    Parameters
    ----------
    entrants
        ``[..., sex, age, year]`` people joining the cohort at the start of each year.
    m
        ``[sex, age]`` baseline central death rate.
    hazard_ratio
        ``[..., sex, age, year]`` ratio of each year's death rate to the baseline (1 for the baseline).
    utility
        ``[sex, age]`` population utility norm weighting each person-year (1 if not given).
    """
    n_years = entrants.shape[-1]
    shape = np.broadcast_shapes(entrants.shape, hazard_ratio.shape)
    u = np.ones(m.shape) if utility is None else utility
    people = np.zeros(shape[:-1])
    years, qalys, deaths = (np.zeros((*shape[:-3], n_years)) for _ in range(3))
    for t in range(n_years):
        people = people + entrants[..., t]
        s = survival(m * hazard_ratio[..., t])
        lived = people * (1 + s) / 2
        years[..., t] = lived.sum(axis=(-2, -1))
        qalys[..., t] = (lived * u).sum(axis=(-2, -1))
        deaths[..., t] = (people * (1 - s)).sum(axis=(-2, -1))
        survivors = people * s
        people = np.concatenate([np.zeros((*survivors.shape[:-1], 1)), survivors[..., :-1]], axis=-1)
        people[..., -1] += survivors[..., -1]
    return years, qalys, deaths


def life_years_per_death(qx: np.ndarray, pop_grid: np.ndarray) -> np.ndarray:
    """Remaining life expectancy of a death in each age band, weighted by where deaths fall.

    Deaths in a band are taken to fall as baseline deaths do (population x q),
    so each band's value is the death-weighted mean of ``e_x`` over its ages and sexes.
    Used for how long a lifelong cost lasts.
    """
    deaths = pop_grid * qx
    ly = to_bands(deaths * life_expectancy(qx))
    d = to_bands(deaths)
    return np.divide(ly, d, out=np.zeros_like(ly), where=d > 0)
