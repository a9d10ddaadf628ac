"""Golden checks of the demography against published ONS figures."""

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
