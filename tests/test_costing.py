"""Uplift and discounting against closed forms."""

import numpy as np
import pandas as pd
import pytest

from appraisal import costing


def schedule(rows):
    return pd.DataFrame(rows, columns=["year_from", "year_to", "rate"])


def test_uplift_restates_money_by_the_deflator_ratio():
    index = pd.DataFrame({"year": [2014, 2020, 2024], "gdp_deflator": [74.0662, 85.1002, 100.0]})
    f = costing.uplift_factors(np.array([2014, 2020, 2024]), index, 2024)
    assert f == pytest.approx([100 / 74.0662, 100 / 85.1002, 1.0])


def test_constant_stream_discounts_to_its_closed_form():
    # £1 a year for 30 years at a flat 3.5%: sum v^t for t = 0..29 = (1 - v^30) / (1 - v)
    rates = costing.annual_rates(schedule([(0, 30, 0.035)]), 30)
    df = costing.discount_factors(rates)
    v = 1 / 1.035
    assert df.sum() == pytest.approx((1 - v**30) / (1 - v))
    assert df[0] == 1.0


def test_stepped_schedule_discounts_each_year_at_its_own_rate():
    rates = costing.annual_rates(schedule([(0, 30, 0.035), (31, 75, 0.03)]), 40)
    df = costing.discount_factors(rates)
    assert rates[30] == 0.035 and rates[31] == 0.03
    assert df[30] == pytest.approx(1.035**-30)
    assert df[35] == pytest.approx(1.035**-30 * 1.03**-5)


def test_annuity_factor_matches_its_closed_form_and_fractions():
    assert costing.annuity_factor(np.array([10.0]), 0.015)[0] == pytest.approx((1 - 1.015**-10) / (1 - 1 / 1.015))
    assert costing.annuity_factor(np.array([2.5]), 0.0)[0] == pytest.approx(2.5)
    assert costing.annuity_factor(np.array([2.5]), 0.1)[0] == pytest.approx(1 + 1 / 1.1 + 0.5 / 1.1**2)


def test_duration_kernel_spreads_yearly_costs_over_the_duration():
    k = costing.duration_kernel(2.5, 6)
    assert k[:, 0].tolist() == [1.0, 1.0, 0.5, 0.0, 0.0, 0.0]
    delayed = costing.duration_kernel(1.0, 6, delay=2)
    assert delayed[:, 1].tolist() == [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]


def test_split_cost_normalises_and_nests_share_sets():
    shares = pd.DataFrame(
        [
            ("outer", "inner", "productivity", 2.0),
            ("outer", "nhs", "healthcare", 6.0),
            ("inner", "employers", "", 1.0),
            ("inner", "households", "", 3.0),
        ],
        columns=["share_set", "bearer", "component", "weight"],
    )
    split = costing.split_cost("outer", "total", shares)
    assert sorted(split) == sorted(
        [("employers", "productivity", 0.0625), ("households", "productivity", 0.1875), ("nhs", "healthcare", 0.75)]
    )
    assert costing.split_cost("nhs", "healthcare", shares) == [("nhs", "healthcare", 1.0)]
