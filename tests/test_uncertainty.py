"""Monte Carlo, one-way sensitivity and the confidence statement."""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLE, read_rows, tiny_library, tiny_proposal, write_rows

from appraisal import appraise, load_library, load_proposal, make_proposal, write_report
from appraisal.analysis import monte_carlo as unc

ALL_AGES = {"age_from": "0", "age_to": "120"}
LINK = {
    "link_id": "x_o",
    "from_id": "x",
    "to_id": "o",
    "form": "log_linear",
    "measure": "RR",
    "central": "2",
    "low": "1.5",
    "high": "2.8",
    "increment": "1",
    "exposure_unit": "u",
    **ALL_AGES,
}


def _tables(result):
    return {k: v for k, v in result.tables().items() if k != "evidence"}


def test_zero_width_intervals_give_the_central_run(library_copy, library):
    for table, cols in (("links", ("low", "high")), ("unit_costs", ("low", "high")), ("health_state_losses", ("low", "high"))):
        rows = read_rows(library_copy, table)
        for r in rows:
            for c in cols:
                r[c] = ""
            r["interval_kind"] = "none"
        write_rows(library_copy, table, rows)
    lib = load_library(library_copy)
    proposal = load_proposal(EXAMPLE, lib)
    result = appraise(proposal, lib, draws=64, seed=3)
    for name, table in _tables(result).items():
        for col in [c for c in table.columns if c.endswith(("_p5", "_p50", "_p95"))]:
            central = col.rsplit("_p", 1)[0]
            # Equal to rounding: the yearly landing sums over rows with BLAS, whose order can differ with the number of draws.
            np.testing.assert_allclose(
                table[col].to_numpy(), table[central].to_numpy(), rtol=1e-12, atol=1e-6, err_msg=f"{name}.{col}"
            )
    prob = result.summary()["probability_lower_cost"].to_numpy()
    pv = result.summary()["present_value_gbp"].to_numpy()
    np.testing.assert_array_equal(prob, (pv < 0).astype(float))


def test_the_same_seed_gives_identical_output_and_another_seed_does_not(library):
    proposal = load_proposal(EXAMPLE, library)
    a = appraise(proposal, library, draws=300, seed=11)
    b = appraise(proposal, library, draws=300, seed=11)
    c = appraise(proposal, library, draws=300, seed=12)
    for name in ("summary", "cost_landing", "by_pathway", "health_summary"):
        assert a.tables()[name].to_csv() == b.tables()[name].to_csv()
    assert a.summary().to_csv() != c.summary().to_csv()


def test_chunking_does_not_change_the_draws(library, monkeypatch):
    proposal = load_proposal(EXAMPLE, library)
    a = appraise(proposal, library, draws=250, seed=5)
    monkeypatch.setattr(unc, "CHUNK", 37)
    b = appraise(proposal, library, draws=250, seed=5)
    pd.testing.assert_frame_equal(a.summary(), b.summary(), rtol=1e-12)
    pd.testing.assert_frame_equal(a.cost_landing(), b.cost_landing(), rtol=1e-12)


def test_median_of_one_log_linear_link_is_its_central_value_within_sampling_error(tmp_path):
    lib = load_library(tiny_library(tmp_path, [LINK]))
    proposal = tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}})
    central = appraise(proposal, lib)
    n = 4000
    result = appraise(proposal, lib, draws=n, seed=1)
    draws = result.uncertainty.pv[:, 0, result.model.costs.bearers.index("nhs")]
    target = central.summary().set_index("bearer").loc["nhs", "present_value_gbp"]
    # The PV is monotone in the RR, so its median is the PV at the median RR (= central).
    se_median = 1.2533 * draws.std() / math.sqrt(n)
    assert abs(np.median(draws) - target) < 4 * se_median

    # The lognormal is fitted to the interval: about 95% of draws lie between the PVs at the RR's low and high.
    def pv_with_rr(folder, rr):
        lib_rr = load_library(tiny_library(tmp_path / folder, [{**LINK, "central": rr, "low": "", "high": ""}]))
        return (
            appraise(tiny_proposal(lib_rr, {"x": 0.0}, {"up": {"x": 1.0}}), lib_rr)
            .summary()
            .set_index("bearer")
            .loc["nhs", "present_value_gbp"]
        )

    low, high = pv_with_rr("lo", "1.5"), pv_with_rr("hi", "2.8")
    inside = ((draws > low) & (draws < high)).mean()
    assert 0.93 < inside < 0.97


def test_probability_of_a_lower_cost_is_0_or_1_where_every_draw_agrees(tmp_path):
    lib = load_library(tiny_library(tmp_path, [LINK]))
    proposal = tiny_proposal(lib, {"x": 1.0}, {"better": {"x": 0.0}, "worse": {"x": 2.0}})
    s = appraise(proposal, lib, draws=500, seed=2).summary().set_index(["option", "bearer"])
    assert s.loc[("better", "nhs"), "probability_lower_cost"] == 1.0
    assert s.loc[("worse", "nhs"), "probability_lower_cost"] == 0.0


def test_one_way_sensitivity_matches_a_run_with_the_link_at_its_low_value(tmp_path):
    lib = load_library(tiny_library(tmp_path / "a", [LINK]))
    proposal = tiny_proposal(lib, {"x": 0.0}, {"up": {"x": 1.0}})
    sens = appraise(proposal, lib).sensitivity().set_index("id")
    at_low = load_library(tiny_library(tmp_path / "b", [{**LINK, "central": "1.5"}]))
    pv_low = (
        appraise(tiny_proposal(at_low, {"x": 0.0}, {"up": {"x": 1.0}}), at_low)
        .summary()
        .set_index("value_type")
        .loc["all", "present_value_gbp"]
    )
    assert sens.loc["x_o", "pv_at_low"] == pytest.approx(pv_low, rel=1e-12)
    assert sens.loc["x_o", "swing"] == pytest.approx(abs(sens.loc["x_o", "pv_at_high"] - sens.loc["x_o", "pv_at_low"]))


def test_value_judgements_equal_separate_appraisals_under_those_settings(library):
    proposal = load_proposal(EXAMPLE, library)
    vj = appraise(proposal, library).value_judgements().set_index("scenario")

    def total_with(**change):
        data = proposal.model_dump(mode="json")
        data["settings"].update(change)
        s = appraise(make_proposal(data, library), library).summary()
        return s[s["value_type"] == "all"].set_index("option")["present_value_gbp"]

    for scenario, change in (
        ("as_set", {}),
        ("other_death_valuation", {"mortality_valuation": "vpf"}),
        ("health_at_standard_rate", {"discounting": "standard"}),
        ("no_discounting", {"discounting": "none"}),
    ):
        expected = total_with(**change)
        for option in proposal.options:
            assert vj.loc[scenario, option] == pytest.approx(expected[option], rel=1e-12), (scenario, option)
    # With no discounting the present value is the plain sum of the yearly changes (life-years lost undiscounted too).
    data = proposal.model_dump(mode="json")
    data["settings"]["discounting"] = "none"
    landing = appraise(make_proposal(data, library), library).cost_landing()
    undiscounted = landing[landing["counted_in_pvb_as"] != "excluded"].groupby("option")["change_gbp"].sum()
    for option in proposal.options:
        assert vj.loc["no_discounting", option] == pytest.approx(undiscounted[option], rel=1e-9)


def test_confidence_shares_sum_to_one_per_option_and_basis(library):
    c = appraise(load_proposal(EXAMPLE, library), library).confidence()
    sums = c.groupby(["option", "basis"])["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)


def test_progress_bar_shows_only_in_a_terminal_and_never_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(unc.sys.stderr, "isatty", lambda: False, raising=False)
    assert unc.progress_bar(10, None).disable
    monkeypatch.setattr(unc.sys.stderr, "isatty", lambda: True, raising=False)
    assert not unc.progress_bar(10, None).disable
    monkeypatch.setenv("CI", "true")
    assert unc.progress_bar(10, None).disable
    assert not unc.progress_bar(10, True).disable and unc.progress_bar(10, False).disable


def test_lognormal_sigma_is_fitted_to_the_interval():
    sigma = unc.log_sigma(np.array([2.0, 1.0, 1.0]), np.array([1.5, np.nan, 1.0]), np.array([2.8, np.nan, 1.0]))
    assert sigma[0] == pytest.approx((math.log(2.8) - math.log(1.5)) / (2 * 1.959963984540054))
    assert sigma[1] == 0.0 and sigma[2] == 0.0


def test_report_workbook_has_percentiles_tornado_and_confidence(tmp_path, library):
    from openpyxl import load_workbook

    result = appraise(load_proposal(EXAMPLE, library), library, draws=200, seed=4)
    wb = load_workbook(write_report(result, tmp_path / "r.xlsx"))
    summary = [c.value for row in wb["Costs and health"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "5th percentile (£)" in summary and "95th percentile (£)" in summary
    assert "Probability the option lowers this cost" in summary
    assert any(v.startswith("How much of the answer rests") for v in summary)
    assert any("rests on links and unit costs all read in their primary source" in v for v in summary)
    tornado = [c for c in wb["Sensitivity"]._charts if type(c).__name__ == "BarChart"]
    assert len(tornado) == len(result.options) and all(c.type == "bar" for c in tornado)
    # The percentile columns hold the Result's numbers.
    ws = wb["Costs and health"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=3).value == "5th percentile (£)")
    s = result.summary()
    got = [ws.cell(row=header + 1 + i, column=3).value for i in range(len(s))]
    np.testing.assert_allclose(got, s["present_value_gbp_p5"].to_numpy(), rtol=1e-12)


def test_cli_draws_option(tmp_path, capsys):
    from appraisal.cli import main

    assert main(["run", str(EXAMPLE), "--out", str(tmp_path / "out"), "--draws", "100", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "Uncertainty: 100 Monte Carlo draws" in out and "Probability of a net benefit overall" in out
    assert "present_value_gbp_p95" in (tmp_path / "out" / "summary.csv").read_text()
    with pytest.raises(SystemExit):
        main(["run", str(EXAMPLE), "--out", str(tmp_path / "o2"), "--draws", "many"])


def test_each_interval_kind_is_drawn_its_own_way():
    """ci95: lognormal around the central value; a range of scenarios: triangular inside it; none: fixed."""
    from appraisal.analysis.monte_carlo import draw_rows, normal_cdf, triangular_quantile

    z = np.random.default_rng(1).standard_normal((200_000, 4))
    central = np.array([1.5, 106.0, 2.0, 0.8])
    low = np.array([1.2, 106.0, np.nan, 0.5])
    high = np.array([1.8, 229.0, np.nan, 1.0])
    kind = np.array(["ci95", "scenario_range", "none", "min_max"])
    draws = draw_rows(z, central, low, high, kind, np.array([True, False, False, True]))
    # ci95: median at the central value, 95% of draws inside the interval.
    assert np.median(draws[:, 0]) == pytest.approx(1.5, rel=5e-3)
    assert np.mean((draws[:, 0] > 1.2) & (draws[:, 0] < 1.8)) == pytest.approx(0.95, abs=5e-3)
    # A range with its central value at the low end (GBP 106m-229m): every draw inside, mean (a + c + b) / 3.
    assert draws[:, 1].min() >= 106.0 and draws[:, 1].max() <= 229.0
    assert draws[:, 1].mean() == pytest.approx((106 + 106 + 229) / 3, rel=5e-3)
    # none: the central value every time.
    assert (draws[:, 2] == 2.0).all()
    # min-max of a ratio: triangular on the log scale, inside the range, mode at the central value.
    assert draws[:, 3].min() >= 0.5 and draws[:, 3].max() <= 1.0
    # The triangular quantile by hand: a = 0, c = 1, b = 2 gives the median 1 and the 12.5th percentile 0.5.
    assert triangular_quantile(np.array([0.5, 0.125]), 0.0, 1.0, 2.0) == pytest.approx([1.0, 0.5])
    assert normal_cdf(np.array([0.0, 1.959963984540054])) == pytest.approx([0.5, 0.975])
