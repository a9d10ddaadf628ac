"""The comparative risk assessment, checked by hand on a tiny library."""

import math

import numpy as np
import pytest
from conftest import PROV, read_rows, tiny_library, tiny_proposal, write_rows

from appraisal import appraise, load_library

ALL_AGES = {"age_from": "0", "age_to": "120"}
LOG_X = {
    "link_id": "x_o",
    "from_id": "x",
    "to_id": "o",
    "form": "log_linear",
    "measure": "RR",
    "central": "2",
    "increment": "1",
    "exposure_unit": "u",
    **ALL_AGES,
}


def total(result, bearer=None):
    cl = result.cost_landing()
    if bearer:
        cl = cl[cl["bearer"] == bearer]
    return cl.groupby("option")["present_value_gbp"].sum()


def test_log_linear_link_gives_hand_worked_cases_and_costs(tmp_path):
    lib = load_library(tiny_library(tmp_path, [LOG_X]))
    result = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}), lib)
    # 100,000 people x 10 per 1,000 = 1,000 baseline cases a year; RR 2 doubles them.
    cases = result.cases()
    assert cases["change_in_cases"].sum() == pytest.approx(1000.0)
    # £1,000 a case at 2020 prices, uplifted by 100/80 to 2024 prices, in year 0 (not discounted).
    assert total(result, "nhs")["up"] == pytest.approx(1000 * 1000 * 100 / 80)


def test_mediated_link_chains_through_the_mediator(tmp_path):
    links = [
        {
            "link_id": "walk_pa",
            "from_id": "walk",
            "to_id": "pa",
            "form": "linear",
            "measure": "slope",
            "central": "4",
            "increment": "60",
            "exposure_unit": "minutes/week",
            **ALL_AGES,
        },
        {
            "link_id": "pa_o",
            "from_id": "pa",
            "to_id": "o",
            "form": "log_linear",
            "measure": "RR",
            "central": "0.5",
            "increment": "8",
            "exposure_unit": "MET-h/week",
            **ALL_AGES,
        },
    ]
    lib = load_library(tiny_library(tmp_path, links))
    result = appraise(tiny_proposal(lib, {"walk": 0.0}, {"more": {"walk": 120.0}}), lib)
    # 120 more minutes -> 8 more MET-h/week -> RR 0.5 -> 500 fewer of 1,000 cases.
    assert result.cases()["change_in_cases"].sum() == pytest.approx(-500.0)
    path = result.by_pathway()
    assert path.loc[0, "mediator"] == "pa" and path.loc[0, "change_in_cases"] == pytest.approx(-500.0)


def share_mediator_library(root, into: dict):
    """The tiny library with a share mediator ``lonely`` (England baseline share 0.2) and lonely -> o, RR 2."""
    out = {
        "link_id": "lonely_o",
        "from_id": "lonely",
        "to_id": "o",
        "form": "proportion_exposed",
        "measure": "RR",
        "central": "2",
        "increment": "1",
        "exposure_unit": "share (0-1)",
        **ALL_AGES,
    }
    root = tiny_library(root, [into, out])
    meds = read_rows(root, "mediators")
    write_rows(
        root,
        "mediators",
        [*meds, {**meds[0], "mediator_id": "lonely", "unit": "share (0-1)", "kind": "share", "baseline_share": "0.2"}],
    )
    return load_library(root)


def test_share_mediator_moves_its_odds_then_acts_on_the_outcome(tmp_path):
    into_share = {
        "link_id": "s_lonely",
        "from_id": "share",
        "to_id": "lonely",
        "form": "proportion_exposed",
        "measure": "OR",
        "central": "3",
        "increment": "1",
        "exposure_unit": "share (0-1)",
        **ALL_AGES,
    }
    into_x = {
        "link_id": "x_lonely",
        "from_id": "x",
        "to_id": "lonely",
        "form": "log_linear",
        "measure": "OR",
        "central": "3",
        "increment": "1",
        "exposure_unit": "u",
        **ALL_AGES,
    }
    # Hand-worked: everyone exposed (share 0 -> 1) with OR 3, or x up by one increment with OR 3 per increment,
    # triples the odds of being lonely: 0.2 / 0.8 = 0.25 -> 0.75, so the share goes 0.2 -> 0.75 / 1.75 = 0.428571.
    # Lonely -> o (RR 2, proportion exposed): (1 + 0.428571) / (1 + 0.2) = 1.190476, so 190.476 more of 1,000 cases.
    expected = 1000 * ((1 + 0.75 / 1.75) / 1.2 - 1)
    assert expected == pytest.approx(190.476, abs=1e-3)
    for name, link, char in (("share", into_share, "share"), ("x", into_x, "x")):
        lib = share_mediator_library(tmp_path / name, link)
        result = appraise(tiny_proposal(lib, {char: 0.0}, {"up": {char: 1.0}}), lib)
        assert result.cases()["change_in_cases"].sum() == pytest.approx(expected)
        assert result.by_pathway().loc[0, "mediator"] == "lonely"
    # However large the odds ratio, the share stays below 1: the outcome's ratio stays below (1 + 1) / 1.2.
    lib = share_mediator_library(tmp_path / "huge", {**into_x, "central": "1000000"})
    result = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 10.0}}), lib)
    assert 0 < result.cases()["change_in_cases"].sum() < 1000 * (2 / 1.2 - 1)


def test_overlap_group_counts_only_the_larger_effect(tmp_path):
    share = {
        "link_id": "s_o",
        "from_id": "share",
        "to_id": "o",
        "form": "proportion_exposed",
        "measure": "RR",
        "central": "3",
        "increment": "1",
        "exposure_unit": "share (0-1)",
        **ALL_AGES,
    }
    apart = load_library(tiny_library(tmp_path / "apart", [LOG_X, share]))
    together = load_library(
        tiny_library(tmp_path / "together", [{**LOG_X, "overlap_group": "g"}, {**share, "overlap_group": "g"}])
    )
    baseline, options = {"x": 0.0, "share": 0.0}, {"both": {"x": 1.0, "share": 1.0}}
    # Apart the ratios multiply: 2 x 3 = 6, so 5,000 more cases; together only the larger (3) counts.
    assert appraise(tiny_proposal(apart, baseline, options), apart).cases()["change_in_cases"].sum() == pytest.approx(5000.0)
    overlap = appraise(tiny_proposal(together, baseline, options), together)
    assert overlap.cases()["change_in_cases"].sum() == pytest.approx(2000.0)
    by_path = overlap.by_pathway().set_index("characteristic")["change_in_cases"]
    assert by_path["x"] == 0.0 and by_path["share"] == pytest.approx(2000.0)


def test_link_age_range_limits_its_effect(tmp_path):
    lib = load_library(tiny_library(tmp_path, [{**LOG_X, "age_from": "0", "age_to": "49"}]))
    result = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}), lib)
    # Half the population (ages 0-49 of 0-99) doubles its cases.
    assert result.cases()["change_in_cases"].sum() == pytest.approx(500.0)


def test_deaths_enter_a_life_table_and_quality_adjusted_life_years_are_valued(tmp_path):
    """A constant hazard gives the life table in closed form, so the expected values owe nothing to the engine.

    With q = 0.01 at every age the IOMLIFET central rate is m = 2q / (2 - q) and the chance of
    surviving a year S = (2 - m) / (2 + m) = 1 - q. RR 2 for one unit doubles the residents'
    deaths: 1,000 more a year among 100,000 residents held at full occupancy. A death brought
    forward at mid-year loses half a year in its year; the person would then have entered each
    later year k with chance S^(k-1), living (1 + S) / 2 of it, and died in it with chance
    S^(k-1) (1 - S). So over three years, with no utility norms (a life-year is a QALY):
    life-years lost 500, 500 + 995 and 500 + 995 + 985.05; net change in deaths 1,000, 990
    and 980.1 (the deaths brought forward no longer happen later). The QALYs are valued at
    £50,000 each, discounted at the health rate 1.5%.
    """
    link = {**LOG_X, "link_id": "x_d", "to_id": "death"}
    lib = load_library(tiny_library(tmp_path, [link]))
    result = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}, period_years=3), lib)
    by_year = result.cases().groupby("financial_year")[["change_in_cases", "change_in_deaths", "change_in_life_years_lost"]].sum()
    s = 0.99
    assert by_year["change_in_cases"].tolist() == pytest.approx([1000.0, 1000.0, 1000.0])
    assert by_year["change_in_deaths"].tolist() == pytest.approx([1000.0, 1000.0 - 10.0, 1000.0 - 10.0 - 9.9])
    lost = [500.0, 500.0 + 1000 * (1 + s) / 2, 500.0 + 1000 * (1 + s) / 2 + 1000 * s * (1 + s) / 2]
    assert by_year["change_in_life_years_lost"].tolist() == pytest.approx(lost)
    v = 1 / 1.015
    assert total(result, "households")["up"] == pytest.approx(sum(x * v**k for k, x in enumerate(lost)) * 50_000)
    summary = result.health_summary().set_index("outcome").loc["death"]
    assert summary["change_in_qalys_lost"] == pytest.approx(sum(lost))


def test_utility_norms_weight_the_life_years_a_death_takes(tmp_path):
    """With a norm of 0.8 at every age, each life-year lost is 0.8 of a QALY; deaths and life-years are unchanged."""
    link = {**LOG_X, "link_id": "x_d", "to_id": "death"}
    root = tiny_library(tmp_path, [link])
    write_rows(
        root,
        "utility_norms",
        [
            {"sex": sex, "age": str(a), "utility": "0.8", "instrument": "test", **PROV}
            for sex in ("male", "female")
            for a in range(121)
        ],
    )
    lib = load_library(root)
    health = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}, period_years=3), lib).health_summary()
    row = health.set_index("outcome").loc["death"]
    assert row["change_in_qalys_lost"] == pytest.approx(0.8 * row["change_in_life_years_lost"])


def test_occupancy_increments_each_start_the_lag_of_the_evidence(tmp_path):
    """Occupancy 0.5 then 1.0 two years later, and a lag reaching 0, 0.5 and 1 of the effect in its
    first three years: the first half of the residents follow the lag from year 0, the second half
    from year 2, so the share of the full change is 0, 0.25, 0.5, 0.75 (0.5 x 1 + 0.5 x 0.5), 1."""
    root = tiny_library(tmp_path, [{**LOG_X, "lag_id": "test_lag"}])
    write_rows(
        root,
        "lags",
        [
            {"lag_id": "test_lag", "year": str(y), "cumulative_share": str(v), "interval_kind": "none", **PROV}
            for y, v in ((1, 0.0), (2, 0.5), (3, 1.0))
        ],
    )
    lib = load_library(root)
    proposal = tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}, period_years=5)
    proposal = proposal.model_copy(update={"occupancy": {2030: 0.5, 2032: 1.0}})
    years = appraise(proposal, lib).cases().groupby("financial_year")["change_in_cases"].sum()
    assert years.tolist() == pytest.approx([0.0, 250.0, 500.0, 750.0, 1000.0])


def test_a_step_change_reproduces_the_pm25_lag_profile():
    """The US EPA 20-year profile as shipped: 30% of the effect in year 1, 12.5% a year in years
    2-5 and 1/75 a year in years 6-20; a step change in occupancy (full from year 0) reproduces it."""
    from appraisal.engine.model import time_profiles

    lib = load_library()
    w = lib.lag_profile("us_epa_20_year", 25)
    expected = np.concatenate([[0.3], 0.3 + 0.125 * np.arange(1, 5), 0.8 + np.arange(1, 16) / 75, np.ones(5)])
    assert w == pytest.approx(expected)
    g = time_profiles(np.ones((1, 25)), w[None, :])
    assert g[0, 0] == pytest.approx(expected)


def test_costs_are_discounted_with_the_standard_schedule(tmp_path):
    lib = load_library(tiny_library(tmp_path, [LOG_X]))
    result = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}, period_years=40), lib)
    cl = result.cost_landing()
    year_cost = 1000 * 1000 * 100 / 80
    v = np.concatenate([1.035 ** -np.arange(31), 1.035**-30 * 1.03 ** -np.arange(1, 10)])
    assert cl["present_value_gbp"].sum() == pytest.approx(year_cost * v.sum())
    assert cl["change_gbp"].sum() == pytest.approx(year_cost * 40)


def test_vpf_switch_values_deaths_per_death(tmp_path):
    root = tiny_library(tmp_path, [{**LOG_X, "link_id": "x_d", "to_id": "death"}])
    rows = read_rows(root, "unit_costs")
    write_rows(root, "unit_costs", [*rows, {**rows[1], "cost_id": "d_vpf", "basis": "per_death", "value": "2000000"}])
    lib = load_library(root)
    vpf = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}, mortality_valuation="vpf"), lib)
    assert total(vpf, "households")["up"] == pytest.approx(1000 * 2_000_000)
    assert math.isclose(vpf.cases()["change_in_deaths"].sum(), 1000.0)


def test_power_link_gives_hand_worked_cases(tmp_path):
    speed = {
        "characteristic_id": "speed",
        "name": "Mean speed",
        "group": "transport",
        "metric": "mean speed",
        "unit": "mph",
        "value_kind": "amount",
        "valid_min": "0",
        "how_to_measure": "test",
        "source": "t",
        "locator": "test",
        "verification": "primary",
        "transform": "none",
    }
    link = {
        "link_id": "speed_o",
        "from_id": "speed",
        "to_id": "o",
        "form": "power",
        "measure": "exponent",
        "central": "2",
        "increment": "",
        "exposure_unit": "mph",
        **ALL_AGES,
    }
    lib = load_library(tiny_library(tmp_path, [link], extra_chars=[speed]))
    result = appraise(tiny_proposal(lib, {"speed": 30.0}, {"calmer": {"speed": 24.0}}), lib)
    # 1,000 baseline cases a year x ((24 / 30) ** 2 - 1) = 1,000 x (0.64 - 1) = -360.
    assert result.cases()["change_in_cases"].sum() == pytest.approx(-360.0)
    # A speed of 0 has no power-model risk ratio: refused with the field named.
    from appraisal import ProposalError

    with pytest.raises(ProposalError) as refused:
        appraise(tiny_proposal(lib, {"speed": 30.0}, {"stopped": {"speed": 0.0}}), lib)
    assert refused.value.codes == ["proposal.not_positive"]
    assert str(refused.value.problems[0].place) == "options.stopped.speed"


def test_polynomial_curve_gives_hand_worked_prevalence_change(tmp_path):
    from conftest import PROV, read_rows, write_rows

    link = {
        "link_id": "x_ha",
        "from_id": "x",
        "to_id": "ha",
        "form": "polynomial",
        "measure": "percent",
        "central": "",
        "increment": "",
        "exposure_unit": "u",
        "threshold": "10",
        "age_from": "18",
        "age_to": "120",
    }
    root = tiny_library(tmp_path, [link])
    write_rows(
        root,
        "outcomes",
        [
            *read_rows(root, "outcomes"),
            {
                "outcome_id": "ha",
                "name": "Highly annoyed",
                "kind": "wellbeing",
                "fatal": "no",
                "age_from": "18",
                "age_to": "120",
                **PROV,
            },
        ],
    )
    write_rows(
        root, "curves", [{"link_id": "x_ha", "coef_0": "0", "coef_1": "0", "coef_2": "0.01", "curve_unit": "percent", **PROV}]
    )
    cost = {
        "cost_id": "ha_qol",
        "outcome_id": "ha",
        "component": "quality_of_life",
        "bearer": "households",
        "basis": "per_case",
        "value": "100",
        "price_year": "2024",
        "age_from": "0",
        "age_to": "120",
        "interval_kind": "none",
        "population_described": "test",
        "weighting": "as_printed",
        **PROV,
    }
    write_rows(root, "unit_costs", [*read_rows(root, "unit_costs"), cost])
    from appraisal.evidence.schemas import COSTED_COMPONENTS

    write_rows(
        root,
        "cost_coverage",
        [
            *read_rows(root, "cost_coverage"),
            *(
                {"outcome_id": "ha", "component": c, "age_from": "18", "age_to": "120", "status": "not_found", "reason": "test"}
                for c in COSTED_COMPONENTS
                if c != "quality_of_life"
            ),
        ],
    )
    lib = load_library(root)
    result = appraise(tiny_proposal(lib, {"x": 20.0}, {"louder": {"x": 30.0}, "quiet": {"x": 5.0}}), lib)
    cases = result.cases().groupby("option")["change_in_cases"].sum()
    # Curve 0.01 x^2 percent: 4% highly annoyed at 20, 9% at 30; 82,000 people aged 18-99.
    assert cases["louder"] == pytest.approx(82_000 * (0.09 - 0.04))
    # Below the threshold (10) the curve is held at its value there (1%): 82,000 x (0.01 - 0.04).
    assert cases["quiet"] == pytest.approx(82_000 * (0.01 - 0.04))
    # A curve that falls below 0 above its threshold is refused.
    write_rows(
        root, "curves", [{"link_id": "x_ha", "coef_0": "10", "coef_1": "-1", "coef_2": "0", "curve_unit": "percent", **PROV}]
    )
    from appraisal import LibraryError

    with pytest.raises(LibraryError) as info:
        load_library(root)
    assert [(p.code, str(p.place), p.found) for p in info.value.problems] == [
        ("library.curves.stays_positive", "pathways/links.csv row 2, column threshold", 10.0)
    ]


def test_two_sites_run_on_the_site_axis_and_add_up(tmp_path):
    """The engine's arrays lead with a site axis: two sites in one model give each site's own result."""
    from appraisal.engine.accounts import run_accounts
    from appraisal.engine.model import build_model

    lib = load_library(tiny_library(tmp_path, [LOG_X]))
    small = tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}})
    large = small.model_copy(update={"population": small.population.model_copy(update={"total": 300_000.0})})
    one = build_model(small, lib)
    both = build_model([small, large], lib)
    assert one.base_cases.shape[0] == 1 and both.base_cases.shape[0] == 2
    single = run_accounts(one, one.central_link_values, one.central_cost_values).pv[0, 0]
    pair = run_accounts(both, both.central_link_values, both.central_cost_values).pv[0]
    np.testing.assert_allclose(pair[0], single)
    np.testing.assert_allclose(pair[1], 3 * single)


def test_sites_appraised_together_must_share_options_and_settings(tmp_path):
    from appraisal import ProposalError
    from appraisal.engine.model import build_model

    lib = load_library(tiny_library(tmp_path, [LOG_X]))
    one = tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}, "down": {"x": 0.5}})
    reordered = tiny_proposal(lib, {"x": 0.0}, {"down": {"x": 0.5}, "up": {"x": 1.0}})
    longer = tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}, "down": {"x": 0.5}}, period_years=2)
    with pytest.raises(ProposalError) as info:
        build_model([one, reordered, longer], lib)
    assert [(p.code, str(p.place)) for p in info.value.problems] == [
        ("proposal.sites_differ", "sites[1].options"),
        ("proposal.sites_differ", "sites[2].settings"),
    ]


def test_an_odds_ratio_acts_as_the_risk_ratio_it_equals_at_the_baseline_risk(tmp_path):
    """OR 2 for +1 unit at a baseline risk of 0.01: RR = 2 / (1 - 0.01 + 0.02) = 1.980198 (Zhang and Yu 1998)."""
    lib = load_library(tiny_library(tmp_path, [{**LOG_X, "measure": "OR"}]))
    result = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}), lib, analyses=False)
    # 1,000 baseline cases a year x (1.980198 - 1), not the 1,000 an odds ratio read as a risk ratio would give.
    assert result.cases()["change_in_cases"].sum() == pytest.approx(1000 * (2 / 1.01 - 1), rel=1e-9)


def test_an_odds_ratio_on_a_share_exposed_solves_the_risk_of_the_unexposed(tmp_path):
    """OR 3, share 0.5 -> 0.25, population risk 0.01: the unexposed risk q solves 0.5 q + 0.5 x 3q / (1 + 2q) = 0.01."""
    link = {
        **LOG_X,
        "link_id": "share_o",
        "from_id": "share",
        "form": "proportion_exposed",
        "measure": "OR",
        "central": "3",
        "exposure_unit": "share (0-1)",
    }
    lib = load_library(tiny_library(tmp_path, [link]))
    result = appraise(tiny_proposal(lib, {"share": 0.5}, {"less": {"share": 0.25}}), lib, analyses=False)
    # By hand: a = 0.5 x 2 = 1, b = 1 + 0.5 x 2 - 0.01 x 2 = 1.98, q = 0.02 / (1.98 + sqrt(1.98^2 + 0.04)).
    q = 0.02 / (1.98 + math.sqrt(1.98**2 + 0.04))
    exposed = 3 * q / (1 + 2 * q)
    ratio = (0.75 * q + 0.25 * exposed) / 0.01
    assert result.cases()["change_in_cases"].sum() == pytest.approx(1000 * (ratio - 1), rel=1e-9)
    # Read as a risk ratio it would be (1 + 0.25 x 2) / (1 + 0.5 x 2) - 1 = -25% (-250 cases); the odds ratio gives -248.1.
    assert result.cases()["change_in_cases"].sum() == pytest.approx(-248.1156, abs=1e-4)


def test_a_cost_lasts_as_long_as_its_phase_in_the_durations_table(tmp_path):
    """A per-case-year cost of £100 on a phase of 2.5 years, starting 1 year after onset: 1 year, 1 year, half a year."""
    from conftest import PROV

    root = tiny_library(tmp_path, [LOG_X])
    durations = [
        {
            "outcome_id": "o",
            "phase": "after_a_year",
            "age_from": "0",
            "age_to": "120",
            "starts_after_years": "1",
            "statistic": "stated",
            "value": "2.5",
            "unit": "years",
            "interval_kind": "none",
            "what_it_measures": "test",
            "population": "test",
            **PROV,
        }
    ]
    write_rows(root, "durations", durations)
    costs = read_rows(root, "unit_costs")
    costs[0].update(basis="per_case_year", phase="after_a_year", value="100", price_year="2024")
    write_rows(root, "unit_costs", costs)
    lib = load_library(root)
    proposal = tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}, discounting="none", period_years=6)
    cl = appraise(proposal, lib, analyses=False).cost_landing()
    nhs = cl[(cl["bearer"] == "nhs") & (cl["option"] == "up")]
    by_year = nhs.groupby("financial_year")["change_gbp"].sum().to_numpy()
    # 1,000 extra cases each year from year 0: year t holds min(t, 2.5)-ish case-years of cost, by hand:
    # year 0: 0; year 1: 1 (year-0 cases); year 2: 2; year 3: 2.5 (0.5 + 1 + 1); then 2.5 a year.
    np.testing.assert_allclose(by_year / (1000 * 100), [0, 1, 2, 2.5, 2.5, 2.5], rtol=1e-9)


def test_walking_and_cycling_add_their_met_hours_before_one_dose_response(tmp_path):
    """Walking 60 min (4 MET-h) and cycling 60 min (6.8 MET-h) a week add to 10.8 MET-h on one link: RR 0.5^(10.8/8).

    A second link in the same overlap group (x -> o) does not change, so the summed
    physical-activity effect is the one kept; before, each route was compared alone and
    the smaller was dropped, so cycling added nothing to walking.
    """
    cyc = {
        "characteristic_id": "cyc",
        "name": "Cycling",
        "group": "transport",
        "metric": "c",
        "unit": "minutes/week",
        "value_kind": "amount",
        "valid_min": "0",
        "how_to_measure": "test",
        "source": "t",
        "locator": "test",
        "verification": "primary",
        "transform": "none",
    }
    slope = {"form": "linear", "measure": "slope", "increment": "60", "exposure_unit": "minutes/week", "to_id": "pa", **ALL_AGES}
    links = [
        {**slope, "link_id": "walk_pa", "from_id": "walk", "central": "4"},
        {**slope, "link_id": "cyc_pa", "from_id": "cyc", "central": "6.8"},
        {
            "link_id": "pa_o",
            "from_id": "pa",
            "to_id": "o",
            "form": "log_linear",
            "measure": "RR",
            "central": "0.5",
            "increment": "8",
            "exposure_unit": "MET-h/week",
            "overlap_group": "g",
            **ALL_AGES,
        },
        {**LOG_X, "overlap_group": "g"},
    ]
    lib = load_library(tiny_library(tmp_path, links, extra_chars=[cyc]))
    base = {"walk": 0.0, "cyc": 0.0, "x": 0.0}
    result = appraise(
        tiny_proposal(lib, base, {"walk": {"walk": 60.0}, "both": {"walk": 60.0, "cyc": 60.0}}), lib, analyses=False
    )
    cases = result.cases().groupby("option")["change_in_cases"].sum()
    assert cases["walk"] == pytest.approx(1000 * (0.5 ** (4 / 8) - 1), rel=1e-9)
    assert cases["both"] == pytest.approx(1000 * (0.5 ** (10.8 / 8) - 1), rel=1e-9)


def test_life_expectancy_at_birth_follows_the_option_death_rates(tmp_path):
    """RR 2 on deaths at every age doubles the central death rate m = 2q / (2 - q) (q = 0.01). With a
    constant rate the life table has the closed form e0 = (1 - q/2) / q, q = 2m / (2 + m)."""
    link = {**LOG_X, "link_id": "x_d", "to_id": "death"}
    lib = load_library(tiny_library(tmp_path, [link]))
    table = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}), lib, analyses=False).life_expectancy()
    m = 2 * (2 * 0.01 / 1.99)
    q = 2 * m / (2 + m)
    assert table["baseline_years"].tolist() == pytest.approx([(1 - 0.005) / 0.01] * 2)
    assert table["option_years"].tolist() == pytest.approx([(1 - q / 2) / q] * 2)
    assert (table["change_days"] < 0).all()


def test_the_closed_cohort_follows_the_residents_who_moved_in(tmp_path):
    """100,000 residents arrive in year 0 and nobody replaces them. RR 2 on deaths at every age doubles
    the central rate m = 2q / (2 - q) (q = 0.01); with S = (2 - m) / (2 + m) the cohort lives
    P S^t (1 + S) / 2 person-years in year t, so the option's change is that with S' less that with S."""
    from appraisal.engine.cohort import closed_cohort_qalys
    from appraisal.engine.model import build_model
    from appraisal.engine.run import run_model

    lib = load_library(tiny_library(tmp_path, [{**LOG_X, "link_id": "x_d", "to_id": "death"}]))
    model = build_model(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}, period_years=3), lib)
    gained = closed_cohort_qalys(model, lib, run_model(model, model.central_link_values)[0])
    m = 2 * 0.01 / 1.99
    s, s2 = (2 - m) / (2 + m), (2 - 2 * m) / (2 + 2 * m)
    expected = [100_000 * (s2**t * (1 + s2) - s**t * (1 + s)) / 2 for t in range(3)]
    assert gained[0, 0] == pytest.approx(expected)


def test_evidence_for_one_sex_acts_on_that_sex_only(tmp_path):
    """The tiny population is half male at every age, so a link read in men only moves half the cases."""
    lib = load_library(tiny_library(tmp_path, [{**LOG_X, "sex": "male"}]))
    result = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}), lib, analyses=False)
    # RR 2 on 1,000 cases a year at every age, half of them among men.
    assert result.cases()["change_in_cases"].sum() == pytest.approx(1000.0 * 0.5)


def test_road_risk_on_the_site_streets_scales_the_risk_the_street_can_move(tmp_path):
    """A relative risk of 2 on road users on the site's streets, with half of residents' road risk arising
    there: the residents' risk becomes 1 + 0.5 x (2 - 1) = 1.5 times, and the outputs flag the share."""
    lib = load_library(tiny_library(tmp_path, [{**LOG_X, "population_exposed": "road_users_on_site_streets"}]))
    proposal = tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}, road_risk_on_site_share=0.5)
    result = appraise(proposal, lib, analyses=False)
    assert result.cases()["change_in_cases"].sum() == pytest.approx(1000.0 * 0.5)
    flagged = result.not_counted().query("kind != 'cost'")
    assert flagged["kind"].tolist() == ["assumption"] and "50%" in flagged["what"].iloc[0]
    at_default = appraise(tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}}), lib, analyses=False).not_counted()
    assert at_default.query("kind != 'cost'")["kind"].tolist() == ["upper_bound"]


BANDS = [
    {
        "characteristic_id": f"x_{lo}_{hi or 'plus'}",
        "name": f"x {lo}-{hi}",
        "group": "transport",
        "metric": "share of dwellings in the band",
        "unit": "share (0-1)",
        "value_kind": "share",
        "valid_min": "0",
        "valid_max": "1",
        "how_to_measure": "test",
        "construct": "x",
        "band_of": "x",
        "band_from": str(lo),
        "band_to": str(hi or ""),
        **PROV,
    }
    for lo, hi in ((10, 14), (15, None))
]


def test_bands_of_a_level_mix_into_one_population_ratio(tmp_path):
    """Bands 10-14 (standing at 12.5) and 15+ (at 17.5, as wide as the band below), the rest at 7.5; RR 2
    per 5 units, so the bands carry RR 2 and 4 against the rest. Half the dwellings in 10-14 at baseline gives
    F0 = 1 + 0.5 x 1 = 1.5; a quarter in each band under the option gives F1 = 1 + 0.25 + 0.75 = 2. The
    1,000 cases a year become 1,000 x 2 / 1.5: 333.33 more, carried -0.25 : +0.75 by the two bands."""
    lib = load_library(tiny_library(tmp_path, [{**LOG_X, "increment": "5"}], extra_chars=BANDS))
    result = appraise(
        tiny_proposal(lib, {"x_10_14": 0.5, "x_15_plus": 0.0}, {"up": {"x_10_14": 0.25, "x_15_plus": 0.25}}), lib, analyses=False
    )
    assert result.cases()["change_in_cases"].sum() == pytest.approx(1000.0 / 3)
    by_band = result.by_pathway().set_index("characteristic")["change_in_cases"]
    assert by_band["x_10_14"] == pytest.approx(-1000.0 / 6)
    assert by_band["x_15_plus"] == pytest.approx(500.0)


def test_a_level_set_by_bands_is_refused_with_its_bands_named(tmp_path):
    from appraisal.errors import ProposalError

    lib = load_library(tiny_library(tmp_path, [{**LOG_X, "increment": "5"}], extra_chars=BANDS))
    with pytest.raises(ProposalError) as err:
        tiny_proposal(lib, {"x": 12.0, "x_10_14": 0.7, "x_15_plus": 0.6}, {"up": {"x_10_14": 0.5}})
    problems = err.value.problems
    (level,) = [p for p in problems if p.code == "proposal.set_by_bands"]
    assert "x_10_14, x_15_plus" in level.allowed
    # The baseline's bands add to 1.3; the option keeps 0.6 from the baseline and sets 0.5: 1.1.
    assert sorted(p.found for p in problems if p.code == "proposal.band_shares_sum") == pytest.approx([1.1, 1.3])
