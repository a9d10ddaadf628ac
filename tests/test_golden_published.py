"""Published figures the engine reproduces as it stands: golden tests from outside.

Each case is one YAML file in ``tests/golden/published/``: the published figure, its
source (citation, URL, locator), the inputs the source states, the tolerance and why
that tolerance. This file reads every case, computes the figure the way the case's
``computation`` names, and compares. Add a case by adding a YAML file; see
``tests/golden/README.md``.

The computations use the public API only: ``load_library``, ``make_proposal``,
``appraise`` and the result's tables, plus the maths in ``appraisal.demography``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from appraisal import appraise, demography, load_library, make_proposal

PUBLISHED = Path(__file__).resolve().parent / "golden" / "published"
CASES = sorted(PUBLISHED.glob("*.yaml"))
ALL_CAUSE = "all_cause_mortality"

#: The site the engine is run on. The figures here are ratios (a share of deaths, a relative
#: risk), the same in every age band, so neither the number of residents nor their spread over
#: the bands moves them: 1,000 residents in each age band inside the case's ages, none outside,
#: fully occupied for one year, effects at once.
RESIDENTS_PER_BAND = 1000.0
YEAR = 2024


def read_case(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def shipped_library():
    return load_library()


# ---- the site -----------------------------------------------------------------


def parse_ages(text: str) -> tuple[int, int]:
    """``"30+"`` -> (30, 120); ``"20-74"`` -> (20, 74)."""
    text = str(text).strip()
    if text.endswith("+"):
        return int(text[:-1]), demography.OPEN_AGE
    first, last = text.split("-")
    return int(first), int(last)


def residents_in_ages(ages: str) -> dict[str, float]:
    """Residents by the engine's age bands: RESIDENTS_PER_BAND in each band inside ``ages``, 0 elsewhere.

    The ages must start and end on band edges, so no band is half in and half out.
    """
    first, last = parse_ages(ages)
    out = {}
    for lo, hi in demography.AGE_BANDS:
        inside = first <= lo and hi <= last
        if not inside and lo <= last and hi >= first:
            raise ValueError(f"ages {ages} cut the age band {demography.band_label(lo, hi)}")
        out[demography.band_label(lo, hi)] = RESIDENTS_PER_BAND if inside else 0.0
    return out


def baseline_deaths(library, residents: dict[str, float]) -> float:
    """All-cause deaths in a year without the option: residents x England's all-cause death rate, by band.

    The rate is the library's baseline (``pathways/baseline_rates.csv``) averaged within each band
    over England's population, as the engine averages it; read from the library, not from the result.
    """
    rates = library.baseline_rates
    rate = demography.band_rates(rates[rates["outcome_id"] == ALL_CAUSE], demography.population_grid(library.population))
    people = np.array([residents[demography.band_label(lo, hi)] for lo, hi in demography.AGE_BANDS])
    return float((people * rate).sum())


#: Longer than every lag profile in pathways/lags.csv (the longest, radon's window, reaches its full effect in year 35).
FULL_EFFECT_YEARS = 40


def change_in_deaths_over_baseline(library, inputs: dict) -> float:
    """Run the engine (baseline against one option) and return the change in all-cause deaths over baseline deaths.

    The published figures are for an exposure held long enough for its whole effect: the
    change is read in the last year of a period longer than any lag in the library (the
    deaths among residents in that year, before the life table follows anyone on).
    """
    residents = residents_in_ages(inputs["ages"])
    characteristic = inputs["characteristic"]
    option_value = inputs["counterfactual"] if "counterfactual" in inputs else inputs["option"]
    proposal = make_proposal(
        {
            "site": {"name": "golden published figure"},
            "population": {"by_age_band": residents},
            "occupancy": {YEAR: 1.0},
            "baseline": {characteristic: inputs["baseline"]},
            "options": {"option": {characteristic: option_value}},
            "settings": {"start_year": YEAR, "period_years": FULL_EFFECT_YEARS, "price_year": YEAR},
        },
        library,
    )
    cases = appraise(proposal, library, analyses=False).cases()
    last = cases[
        (cases["option"] == "option")
        & (cases["outcome"] == ALL_CAUSE)
        & (cases["financial_year"] == cases["financial_year"].max())
    ]
    assert len(last), f"no all-cause mortality row for {characteristic}"
    return float(last["change_in_cases"].sum()) / baseline_deaths(library, residents)


# ---- the named computations ----------------------------------------------------


def attributable_fraction(library, inputs: dict) -> float:
    """Share of baseline deaths (percent) that go if the exposure falls to the counterfactual: 1 - 1/RR."""
    return -100.0 * change_in_deaths_over_baseline(library, inputs)


def relative_risk(library, inputs: dict) -> float:
    """All-cause deaths under the option over deaths at baseline: 1 + change / baseline."""
    return 1.0 + change_in_deaths_over_baseline(library, inputs)


def life_expectancy(library, inputs: dict) -> float:
    """Period life expectancy at an age and sex from the library's all-cause probabilities of death."""
    rates = library.baseline_rates
    qx = demography.rate_grid(rates[rates["outcome_id"] == ALL_CAUSE])
    ex = demography.life_expectancy(qx)
    return float(ex[demography.SEXES.index(inputs["sex"]), int(inputs["age"])])


COMPUTATIONS = {
    "attributable_fraction": attributable_fraction,
    "relative_risk": relative_risk,
    "life_expectancy": life_expectancy,
}


# ---- the tests -------------------------------------------------------------------


def test_there_are_at_least_three_published_figures():
    assert len(CASES) >= 3, f"only {len(CASES)} published figures in {PUBLISHED}"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_each_case_states_figure_source_inputs_and_tolerance(path):
    case = read_case(path)
    assert case["name"] == path.stem
    assert case["computation"] in COMPUTATIONS, f"unknown computation {case['computation']!r}"
    published = case["published"]
    assert isinstance(published["value"], (int, float)) and published["unit"] and published["figure"]
    for field in ("citation", "url", "locator", "copy_read"):
        assert str(published["source"].get(field, "")).strip(), f"published.source.{field} is empty"
    assert case["inputs"], "no inputs"
    tolerance = case["tolerance"]
    assert tolerance["absolute"] > 0 and str(tolerance["why"]).strip()


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_engine_reproduces_the_published_figure(path, shipped_library):
    case = read_case(path)
    computed = COMPUTATIONS[case["computation"]](shipped_library, case["inputs"])
    published = case["published"]["value"]
    tolerance = case["tolerance"]["absolute"]
    assert abs(computed - published) <= tolerance, (
        f"{case['name']}: engine {computed:.6g} against published {published} {case['published']['unit']} "
        f"(difference {computed - published:+.4g}, tolerance {tolerance})"
    )
