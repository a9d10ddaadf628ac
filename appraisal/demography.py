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


def life_years_per_death(qx: np.ndarray, pop_grid: np.ndarray) -> np.ndarray:
    """Remaining life expectancy of a death in each age band, weighted by where deaths fall.

    Deaths in a band are taken to fall as baseline deaths do (population x q),
    so each band's value is the death-weighted mean of ``e_x`` over its ages and sexes.
    """
    deaths = pop_grid * qx
    ly = to_bands(deaths * life_expectancy(qx))
    d = to_bands(deaths)
    return np.divide(ly, d, out=np.zeros_like(ly), where=d > 0)
