"""Invariants of the engine on the shipped library and example (property tests)."""

import numpy as np
import pytest
from conftest import EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal import appraise, load_proposal, make_proposal

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def example(library):
    return load_proposal(EXAMPLE, library)


def with_options(proposal, library, options, population=None):
    data = proposal.model_dump()
    data["options"] = options
    data["scheme_costs"] = {}
    if population is not None:
        data["population"] = {"total": population}
    return make_proposal(data, library)


def option_values(library, baseline=None):
    chars = library.characteristics.set_index("characteristic_id")
    if baseline is not None:  # only what the baseline sets: an option cannot set what has no baseline
        chars = chars.loc[[c for c in chars.index if c in baseline]]
    links = library.default_links
    power = set(links.loc[links["form"] == "power", "from_id"])  # a power model needs a value above 0
    banded = set(chars["band_of"])  # set by its bands, never as one level
    strategies = {}
    for cid, c in chars.iterrows():
        if cid in banded or c["band_of"]:
            continue  # a level is set by its bands, and the example's bands already fill every dwelling
        lo = 0.0 if np.isnan(c["valid_min"]) else c["valid_min"]
        lo = max(lo, 1.0) if cid in power else lo
        hi = lo + 100 if np.isnan(c["valid_max"]) else c["valid_max"]
        strategies[cid] = st.floats(lo, hi, allow_nan=False)
    return st.fixed_dictionaries({}, optional=strategies)


def test_an_option_identical_to_the_baseline_changes_nothing(library, example):
    same = with_options(example, library, {"same": dict(example.baseline)})
    result = appraise(same, library)
    assert (
        (result.cases()[["change_in_cases", "change_in_deaths", "change_in_life_years_lost", "change_in_qalys_lost"]] == 0)
        .all()
        .all()
    )
    assert (result.cost_landing()[["change_gbp", "present_value_gbp"]] == 0).all().all()
    assert (result.by_pathway()[["change_in_cases", "present_value_gbp"]] == 0).all().all()


@SETTINGS
@given(data=st.data())
def test_doubling_the_population_doubles_cases_and_costs(library, example, data):
    values = data.draw(option_values(library, example.baseline))
    one = appraise(with_options(example, library, {"o": values}, population=1000), library)
    two = appraise(with_options(example, library, {"o": values}, population=2000), library)
    assert np.allclose(two.cases()["change_in_cases"], 2 * one.cases()["change_in_cases"], rtol=1e-12, atol=1e-12)
    assert np.allclose(
        two.cost_landing()["present_value_gbp"], 2 * one.cost_landing()["present_value_gbp"], rtol=1e-12, atol=1e-9
    )


@SETTINGS
@given(data=st.data())
def test_costs_split_across_bearers_sum_to_the_total(library, example, data):
    values = data.draw(option_values(library, example.baseline))
    result = appraise(with_options(example, library, {"o": values}), library)
    cr = result.model.costs
    # Every unit cost, before the bearer split: units x £ each x timing, summed over sites, pathways, rows and years.
    by_row = np.einsum(
        "sopr,r,pl,slry->o", result.units, cr.table["uplifted"].to_numpy(float), result.model.lag_onehot, cr.timing
    )
    landed = result.cost_landing().groupby("option")["change_gbp"].sum()
    assert landed["o"] == pytest.approx(by_row[0], rel=1e-9, abs=1e-6)
    summary = result.summary()
    total = summary[summary["value_type"] == "all"]["present_value_gbp"].sum()
    detail = summary[(summary["bearer"] != "all") & summary["value_type"].isin(["fiscal", "economic", "social"])]
    assert total == pytest.approx(detail["present_value_gbp"].sum(), rel=1e-9, abs=1e-6)
    # By pathway shares the same total present value, with the transfers kept out of the benefits.
    excluded = summary[(summary["value_type"] == "excluded") & (summary["bearer"] == "all")]["present_value_gbp"].sum()
    assert result.by_pathway()["present_value_gbp"].sum() == pytest.approx(total + excluded, rel=1e-9, abs=1e-6)
