"""Golden checks of the demography against published ONS figures."""

import numpy as np
import pytest

from appraisal import demography as d


def test_life_table_from_shipped_qx_matches_published_life_expectancy(library):
    rates = library.baseline_rates
    qx = d.rate_grid(rates[rates["outcome_id"] == d.LIFE_TABLE_OUTCOME])
    ex = d.life_expectancy(qx)
    published = library.life_expectancy
    checked = 0
    for _, row in published.iterrows():
        sex = d.SEXES.index(row["sex"])
        # ONS 2021-2023 period life expectancy; our qx is England 2022, so allow 0.3 years.
        assert ex[sex, int(row["age"])] == pytest.approx(row["life_expectancy_years"], abs=0.3), row.to_dict()
        checked += 1
    assert checked >= 4


def test_england_population_and_bands(library):
    pop = d.population_grid(library.population)
    bands = d.to_bands(pop)
    assert bands.sum() == pytest.approx(pop.sum())
    assert len(bands) == len(d.AGE_BANDS) == len(d.BAND_LABELS)
    assert d.BAND_LABELS[0] == "0-4" and d.BAND_LABELS[-1] == "90+"


def test_a_constant_hazard_cohort_has_its_closed_form():
    """1,000 people at a constant central rate m: each year they live P S^t (1 + S) / 2 person-years
    and P S^t (1 - S) die, with S = (2 - m) / (2 + m) (the IOMLIFET survival)."""
    m = np.full((2, 121), 0.1)
    entrants = np.zeros((2, 121, 5))
    entrants[0, 30, 0] = 1000.0
    years, qalys, deaths = d.project_cohort(entrants, m, np.ones(entrants.shape), np.full((2, 121), 0.5))
    s = 1.9 / 2.1
    assert years == pytest.approx([1000 * s**t * (1 + s) / 2 for t in range(5)])
    assert qalys == pytest.approx(0.5 * years)
    assert deaths == pytest.approx([1000 * s**t * (1 - s) for t in range(5)])


def test_a_death_averted_adds_the_life_table_kernel():
    """A death averted at mid-year adds half a year; the person then enters year k with chance S^(k-1),
    lives (1 + S) / 2 of it and dies in it with chance S^(k-1) (1 - S)."""
    m = np.full((2, 121), 0.1)
    kernel = d.extra_life_kernel(m, np.ones((2, 121)), np.ones((2, 121)), 4)
    s = 1.9 / 2.1
    assert kernel[0, 5] == pytest.approx([0.5, (1 + s) / 2, s * (1 + s) / 2, s**2 * (1 + s) / 2])
    assert kernel[2, 5] == pytest.approx([0.0, 1 - s, s * (1 - s), s**2 * (1 - s)])
