"""Hand-worked numbers for each functional form."""

import math

import numpy as np
import pytest

from appraisal import risk


def test_log_linear_scales_the_log_ratio_by_exposure_change():
    # RR 1.08 per 10 ug/m3, exposure up 5: RR = 1.08 ** 0.5 = 1.0392305
    assert math.exp(risk.log_linear(1.08, 10.0, 5.0)) == pytest.approx(1.0392305, abs=1e-7)
    assert risk.log_linear(1.08, 10.0, 0.0) == 0.0
    # A fall in exposure is the reciprocal effect.
    assert math.exp(risk.log_linear(1.08, 10.0, -10.0)) == pytest.approx(1 / 1.08)


def test_threshold_log_linear_counts_only_exposure_above_the_threshold():
    # RR 1.1 per 1 unit above 20; from 19 to 22 only 2 units are above: RR = 1.1 ** 2 = 1.21
    assert math.exp(risk.threshold_log_linear(1.1, 1.0, 20.0, 19.0, 22.0)) == pytest.approx(1.21)
    # Entirely below the threshold: no effect.
    assert risk.threshold_log_linear(1.1, 1.0, 20.0, 10.0, 15.0) == 0.0


def test_proportion_exposed_gives_one_minus_the_potential_impact_fraction():
    # RR 2, exposed share falls from 0.5 to 0.25: (1 + 0.25) / (1 + 0.5) = 0.8333...
    ratio = math.exp(risk.proportion_exposed(2.0, 0.5, 0.25))
    assert ratio == pytest.approx(1.25 / 1.5)
    pif = (0.5 - 0.25) * (2 - 1) / (1 + 0.5 * (2 - 1))
    assert ratio == pytest.approx(1 - pif)


def test_linear_slope_for_a_mediator():
    # 4 MET-h/week per 60 minutes/week; 30 more minutes gives 2 MET-h/week
    assert risk.linear(4.0, 60.0, 30.0) == pytest.approx(2.0)


def test_change_factor_shares_out_a_combined_change_exactly():
    s = np.array([-0.3, 0.0, 1e-14, 0.2])
    f = risk.change_factor(s)
    assert np.allclose(s * f, np.expm1(s))
    assert f[1] == 1.0


def test_forms_broadcast_over_options():
    out = risk.log_linear(np.array([1.08, 1.02]), np.array([10.0, 10.0]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert out.shape == (2, 2)
    assert out[1, 0] == pytest.approx(3 * math.log(1.08) / 10)


def test_power_model_scales_risk_by_the_ratio_of_exposures():
    # Exponent 4 (fatal casualties in the power model); mean speed 30 -> 27 mph:
    # (27 / 30) ** 4 = 0.9 ** 4 = 0.6561, a 34.39% fall.
    assert math.exp(risk.power(4.0, 30.0, 27.0)) == pytest.approx(0.6561)
    assert risk.power(4.0, 30.0, 30.0) == 0.0
    # The same proportional rise and fall are reciprocal.
    assert math.exp(risk.power(2.0, 20.0, 40.0)) == pytest.approx(1 / math.exp(risk.power(2.0, 40.0, 20.0)))


def test_an_odds_ratio_on_a_common_outcome_is_a_smaller_risk_ratio():
    """Zhang and Yu (1998): RR = OR / (1 - p0 + p0 OR); at p0 = 0.17, OR 2.06 is RR 1.7455 (by hand)."""
    rr = np.exp(risk.log_risk_ratio_from_odds(np.log(2.06), 0.17))
    assert rr == pytest.approx(2.06 / (1 - 0.17 + 0.17 * 2.06), rel=1e-12)
    assert rr == pytest.approx(1.7455, abs=1e-4)
    # A rare outcome: the odds ratio is the risk ratio.
    assert np.exp(risk.log_risk_ratio_from_odds(np.log(2.06), 1e-9)) == pytest.approx(2.06, rel=1e-8)


def test_the_unexposed_risk_is_solved_from_the_population_risk_and_the_share_exposed():
    """By hand: s = 0.5, OR = 3, P = 0.2 gives q = 0.4 / (1.6 + sqrt(3.36)) = 0.116515; exposed 0.283485; mix 0.2."""
    q = risk.unexposed_risk(3.0, 0.5, 0.2)
    assert q == pytest.approx(0.4 / (1.6 + np.sqrt(3.36)), rel=1e-12)
    assert q == pytest.approx(0.116515, abs=1e-6)
    exposed = q * 3 / (1 + 2 * q)
    assert exposed == pytest.approx(0.283485, abs=1e-6)
    assert 0.5 * q + 0.5 * exposed == pytest.approx(0.2, rel=1e-12)
    # The odds of the exposed are three times those of the unexposed.
    assert (exposed / (1 - exposed)) / (q / (1 - q)) == pytest.approx(3.0, rel=1e-12)
    # A protective odds ratio (a < 0) takes the same root.
    q2 = risk.unexposed_risk(0.5, 0.3, 0.1)
    e2 = q2 * 0.5 / (1 - 0.5 * q2)
    assert 0.7 * q2 + 0.3 * e2 == pytest.approx(0.1, rel=1e-12)


def test_a_change_in_the_share_exposed_at_an_odds_ratio():
    """Share 0.5 -> 0.25 at OR 3, P 0.2: new risk 0.75 q + 0.25 exposed = 0.158258 (by hand), ratio 0.791288."""
    lr = risk.proportion_exposed_odds(3.0, 0.5, 0.25, 0.2)
    assert np.exp(lr) == pytest.approx((0.75 * 0.116515 + 0.25 * 0.283485) / 0.2, abs=1e-5)
    assert np.exp(lr) == pytest.approx(0.791288, abs=1e-5)
    # Rare outcome: the same as the risk-ratio form with RR = OR.
    rare = risk.proportion_exposed_odds(3.0, 0.5, 0.25, 1e-9)
    assert rare == pytest.approx(risk.proportion_exposed(3.0, 0.5, 0.25), rel=1e-6)
    # No baseline risk in a band: no change, not NaN.
    assert risk.proportion_exposed_odds(3.0, 0.5, 0.25, 0.0) == 0.0
