"""The business case: value types, scheme costs, optimism bias, additionality, value for money, organisations,
financial years and the health-system perspective, each checked by hand on the tiny library or against the
example's own tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLE, tiny_library
from test_engine import LOG_X

from appraisal import appraise, load_library, load_proposal, make_proposal
from appraisal.analysis.business_case import payback_year, switching_value, vfm_category
from appraisal.errors import ProposalError

#: One year of the tiny library's outcome: 1,000 cases a year at x = 1; x = 0 divides the risk by RR 2, so 500 fewer
#: cases, each £1,000 (2020 prices) to the NHS, £1,250 at 2024 prices: a saving of £625,000 a year.
ONE_YEAR_NHS = 500 * 1000 * 100 / 80


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_library(tiny_library(tmp_path_factory.mktemp("tiny"), [LOG_X]))


def appraise_tiny(lib, *, costs=None, options=None, **settings):
    data = {
        "site": {"name": "Test site"},
        "population": {"total": 100_000},
        "occupancy": {2030: 1.0},
        "baseline": {"x": 1.0},
        "options": options or {"down": {"x": 0.0}},
        "settings": {"start_year": 2030, "period_years": 3, "price_year": 2024, **settings},
        "scheme_costs": costs or {},
    }
    return appraise(make_proposal(data, lib), lib, analyses=False)


@pytest.fixture(scope="module")
def example(library):
    return appraise(load_proposal(EXAMPLE, library), library, analyses=False)


def test_scheme_costs_optimism_bias_npsv_bcr_and_switching_value_by_hand(tiny):
    costs = {
        "down": [
            {"year": 2030, "capital": 1_000_000, "paid_by": "combined_authority"},
            {"year": 2031, "revenue": 100_000, "paid_by": "icb"},
            {"year": 2030, "capital": 500_000, "paid_by": "developer"},
        ]
    }
    r = appraise_tiny(tiny, costs=costs)
    v = r.value_for_money().iloc[0]
    # Standard buildings: capital +24% (upper bound), revenue not uplifted; the revenue falls in year 1 at 3.5%.
    assert v["pv_costs_public_gbp"] == pytest.approx(1_000_000 * 1.24 + 100_000 / 1.035)
    assert v["pv_costs_private_gbp"] == pytest.approx(500_000 * 1.24)
    # Benefit: the NHS saves £1.25m a year for three years, discounted at 3.5%: fiscal value.
    pvb = ONE_YEAR_NHS * (1 + 1 / 1.035 + 1 / 1.035**2)
    assert v["pv_benefits_fiscal_gbp"] == pytest.approx(pvb)
    assert v["pv_benefits_gbp"] == pytest.approx(pvb)
    pvc = v["pv_costs_public_gbp"]
    assert v["npsv_gbp"] == pytest.approx(pvb - pvc - 500_000 * 1.24)
    assert v["bcr"] == pytest.approx(pvb / pvc)
    assert v["switching_value_bcr"] == pytest.approx(1 - pvc / pvb)
    assert 1.0 <= v["bcr"] < 1.5 and v["vfm_category"] == "Low"  # BCR about 1.37


def test_optimism_bias_set_by_hand_replaces_the_upper_bound(tiny):
    costs = {"down": [{"year": 2030, "capital": 1_000_000, "revenue": 10_000, "paid_by": "upper_tier_council"}]}
    r = appraise_tiny(tiny, costs=costs, optimism_bias_capital=0.1, optimism_bias_revenue=0.5)
    assert r.value_for_money().iloc[0]["pv_costs_public_gbp"] == pytest.approx(1_100_000 + 15_000)
    other = appraise_tiny(tiny, costs=costs, project_type="outsourcing")
    # Outsourcing: no capital rate in the table, 41% on operating costs.
    assert other.value_for_money().iloc[0]["pv_costs_public_gbp"] == pytest.approx(1_000_000 + 10_000 * 1.41)


def test_additionality_scales_every_benefit_and_nothing_else(tiny):
    costs = {"down": [{"year": 2030, "capital": 1_000_000, "paid_by": "combined_authority"}]}
    gross = appraise_tiny(tiny, costs=costs).value_for_money().iloc[0]
    net = appraise_tiny(tiny, costs=costs, deadweight=0.2, displacement=0.25, leakage=0.1).value_for_money().iloc[0]
    f = 0.8 * 0.75 * 0.9
    assert net["additionality_factor"] == pytest.approx(f)
    assert net["pv_benefits_gbp"] == pytest.approx(gross["pv_benefits_gbp"] * f)
    assert net["pv_costs_public_gbp"] == pytest.approx(gross["pv_costs_public_gbp"])
    assert net["bcr"] == pytest.approx(gross["bcr"] * f)


def test_discount_base_year_before_the_start_discounts_everything_back(tiny):
    at_start = appraise_tiny(tiny).cost_landing()
    earlier = appraise_tiny(tiny, discount_base_year=2028).cost_landing()
    ratio = earlier["present_value_gbp"].sum() / at_start["present_value_gbp"].sum()
    # Standard schedule: 3.5% a year, so two years earlier divides by 1.035 squared.
    assert ratio == pytest.approx(1 / 1.035**2)
    # Undiscounted flows do not move.
    assert earlier["change_gbp"].sum() == pytest.approx(at_start["change_gbp"].sum())


def test_base_year_after_the_start_is_refused_by_field(tiny):
    with pytest.raises(ProposalError) as err:
        appraise_tiny(tiny, discount_base_year=2031)
    assert "settings.discount_base_year" in str(err.value)


def test_yearly_tables_name_financial_years(tiny):
    r = appraise_tiny(tiny)
    assert list(dict.fromkeys(r.cost_landing()["financial_year"])) == ["2030-31", "2031-32", "2032-33"]
    assert set(r.cases()["financial_year"]) == {"2030-31", "2031-32", "2032-33"}


def test_payback_and_return_per_pound_by_hand(tiny):
    costs = {"down": [{"year": 2030, "capital": 2_000_000, "paid_by": "icb"}]}
    r = appraise_tiny(tiny, costs=costs, optimism_bias_capital=0.0)
    org = r.organisations().set_index("organisation").loc["The site's integrated care board"]
    gain = ONE_YEAR_NHS * (1 + 1 / 1.035 + 1 / 1.035**2)
    assert org["fiscal_gain_gbp"] == pytest.approx(gain)
    assert org["paid_gbp"] == pytest.approx(2_000_000)
    assert org["return_per_pound"] == pytest.approx(gain / 2_000_000)
    # £625,000 in 2030-31, £603,865 in 2031-32, £583,445 in 2032-33: the ICB's £2m is not back within three years.
    assert org["payback_year"] == ""
    r = appraise_tiny(tiny, costs={"down": [{"year": 2030, "capital": 1_000_000, "paid_by": "icb"}]}, optimism_bias_capital=0.0)
    # ... and £1m is back in the second year (625,000 + 603,865 >= 1,000,000).
    assert r.organisations().set_index("organisation").loc["The site's integrated care board", "payback_year"] == "2031-32"


def test_payback_year_rules():
    years = np.array([2030, 2031, 2032])
    assert payback_year(np.array([1.0, 1.0, 1.0]), np.array([2.5, 0.0, 0.0]), years) == 2032
    assert payback_year(np.array([1.0, 1.0, 1.0]), np.array([5.0, 0.0, 0.0]), years) is None
    assert payback_year(np.array([1.0, 1.0, 1.0]), np.zeros(3), years) is None


def test_vfm_category_bands_and_switching_value(library):
    cats = library.vfm_categories
    assert [vfm_category(x, cats) for x in (0.99, 1.0, 1.49, 1.5, 2.0, 7.0)] == ["Poor", "Low", "Low", "Medium", "High", "High"]
    assert vfm_category(float("nan"), cats) == ""
    assert switching_value(np.array(200.0), np.array(100.0)) == pytest.approx(0.5)
    assert np.isnan(switching_value(np.array(200.0), np.array(0.0)))


def test_value_types_add_up_and_keep_transfers_out(example):
    s = example.summary()
    for _option, rows in s.groupby("option"):
        by_type = rows[rows["bearer"] == "all"].set_index("value_type")["present_value_gbp"]
        assert by_type["all"] == pytest.approx(by_type[["fiscal", "economic", "social"]].sum())
        detail = rows[(rows["bearer"] != "all")]
        assert detail.groupby("value_type")["present_value_gbp"].sum().to_dict() == pytest.approx(by_type.drop("all").to_dict())
    # Benefit payments (asthma disability claims) are a transfer: in the landing, not in the benefits.
    assert (s["value_type"] == "excluded").any()
    cl = example.cost_landing()
    transfers = cl[cl["counted_in_pvb_as"] == "excluded"]
    assert set(transfers["component"]) == {"welfare"}
    v = example.value_for_money().set_index("option")
    pv_all = cl.groupby("option")["present_value_gbp"].sum()
    for option in example.options:
        assert v.loc[option, "pv_benefits_gbp"] == pytest.approx(-pv_all[option] - v.loc[option, "transfers_excluded_gbp"])


def test_lost_tax_counts_once_as_output(example):
    cl = example.cost_landing()
    tax = cl[(cl["bearer"] == "central_government") & (cl["component"] == "productivity")]
    assert not tax.empty
    assert set(tax["value_type"]) == {"fiscal"} and set(tax["counted_in_pvb_as"]) == {"economic"}
    v = example.value_for_money().set_index("option")
    economic = -cl[cl["counted_in_pvb_as"] == "economic"].groupby("option")["present_value_gbp"].sum()
    fiscal = -cl[cl["counted_in_pvb_as"] == "fiscal"].groupby("option")["present_value_gbp"].sum()
    for option in example.options:
        assert v.loc[option, "pv_benefits_economic_gbp"] == pytest.approx(economic[option])
        assert v.loc[option, "pv_benefits_fiscal_gbp"] == pytest.approx(fiscal[option])


def test_fiscal_flows_land_on_named_organisations(example):
    fl = example.fiscal_landing()
    names = set(fl["organisation"])
    assert "NHS Greater Manchester Integrated Care Board" in names
    assert "Salford council: adult social care" in names
    assert "HM Treasury (government share of lost output, mostly tax and national insurance)" in names
    # Landing on organisations moves money, never makes or loses it.
    cl = example.cost_landing()
    fiscal = cl[cl["value_type"] == "fiscal"]
    assert fl["present_value_gbp"].sum() == pytest.approx(fiscal["present_value_gbp"].sum())


def test_a_district_served_by_two_icbs_is_split_by_its_people(library):
    areas = library.areas
    split = library.lad_icb.groupby(["vintage", "lad_code"])["icb_code"].nunique()
    two = split[split > 1]
    if two.empty:
        pytest.skip("no district of the shipped lookups is served by two ICBs")
    vintage, code = two.index[0]
    place = areas.resolve(code, int(vintage))
    from appraisal.analysis.business_case import organisations_of

    landed = organisations_of("icb", place)
    assert len(landed) == 2
    assert sum(share for _, share in landed) == pytest.approx(1.0)


def test_health_system_perspective_by_hand(example, library):
    hs = example.health_system().set_index("option")
    v = example.value_for_money().set_index("option")
    for option in example.options:
        row = hs.loc[option]
        k = row["value_per_qaly_health_system_gbp"]
        net_cash = row["nhs_and_social_care_saving_gbp"] - row["nhs_scheme_costs_gbp"]
        assert row["net_health_benefit_qalys"] == pytest.approx(row["qalys_gained_discounted"] + net_cash / k)
        assert row["net_health_benefit_gbp"] == pytest.approx(row["qalys_gained_discounted"] * k + net_cash)
        # The example values every health loss in QALYs (none in WELLBYs) and deaths by QALYs, so the social value
        # from the QALY count is the social value of the benefits.
        assert row["social_value_gbp"] == pytest.approx(v.loc[option, "pv_benefits_social_gbp"], rel=1e-9)
    assert hs["value_per_qaly_health_system_gbp"].iloc[0] == pytest.approx(15_000)
    # The ambitious option has the ICB pay £250,000 in 2028-29, +24% optimism bias, discounted one year at 3.5%.
    assert hs.loc["ambitious", "nhs_scheme_costs_gbp"] == pytest.approx(250_000 * 1.24 / 1.035)


def test_bad_scheme_costs_and_areas_are_named_by_field(library):
    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["scheme_costs"] = {
        "strategic": [
            {"year": 2027, "capital": -5, "paid_by": "combined_authority"},
            {"year": 2300, "capital": 5, "paid_by": "combined_authority"},
            {"year": 2028, "capital": "lots", "paid_by": "combined_authority"},
            {"year": 2028, "capital": 5, "paid_by": "the mayor"},
        ],
        "nonexistent": [{"year": 2028, "capital": 5, "paid_by": "icb"}],
    }
    with pytest.raises(ProposalError) as err:
        make_proposal(data, library)
    text = str(err.value)
    for field in (
        "scheme_costs.strategic.0.capital",
        "scheme_costs.strategic.2.capital",
        "scheme_costs.strategic.3.paid_by",
        "scheme_costs.nonexistent",
    ):
        assert field in text, field
    data["scheme_costs"] = {"strategic": [{"year": 2300, "capital": 5, "paid_by": "combined_authority"}]}
    with pytest.raises(ProposalError) as err:
        make_proposal(data, library)
    assert "scheme_costs.strategic.0.year" in str(err.value) and "2027-28" in str(err.value)


@pytest.mark.parametrize(
    ("code", "expect"),
    [
        ("W06000015", "Wales"),
        ("E08999999", "E08000003 for Manchester"),
        ("Manchester", "E08000003"),
        ("E08000019", "E08000039"),
    ],
)
def test_local_authority_codes_that_cannot_be_used_say_why(library, code, expect):
    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["site"]["local_authority"] = code
    with pytest.raises(ProposalError) as err:
        make_proposal(data, library)
    text = str(err.value)
    assert "site.local_authority" in text and expect in text


def test_outputs_name_the_lookup_vintage(example):
    place = example.place
    assert place is not None and place.district_vintage is not None and place.icb_vintage is not None
    assert place.lad_name == "Salford"
    assert place.cauth_name == "Greater Manchester"


def test_no_scheme_costs_gives_no_bcr(tiny):
    v = appraise_tiny(tiny).value_for_money().iloc[0]
    assert v["pv_costs_public_gbp"] == 0.0 and np.isnan(v["bcr"]) and v["vfm_category"] == ""
    assert isinstance(v["npsv_gbp"], float)


def test_tables_are_in_the_csv_export(example, tmp_path):
    from appraisal.writers.tables import write_csv

    written = {p.name for p in write_csv(example, tmp_path)}
    for name in ("value_for_money", "fiscal_landing", "organisations", "organisation_years", "scheme_costs", "health_system"):
        assert f"{name}.csv" in written
    back = pd.read_csv(tmp_path / "value_for_money.csv")
    assert list(back["option"]) == example.options


def test_monte_carlo_gives_npsv_and_bcr_ranges(library):
    r = appraise(load_proposal(EXAMPLE, library), library, draws=60, seed=3, analyses=False)
    v = r.value_for_money().set_index("option")
    assert (v["npsv_gbp_p5"] <= v["npsv_gbp_p50"]).all() and (v["npsv_gbp_p50"] <= v["npsv_gbp_p95"]).all()
    costed = v["pv_costs_public_gbp"] > 0
    assert v.loc[costed, "bcr_p5"].notna().all() and v.loc[~costed, "bcr_p5"].isna().all()
    # Each draw's NPSV is its benefits less the same costs: the median NPSV is the median PVB less the costs.
    assert v["probability_npsv_positive"].between(0, 1).all()


def test_switching_values_on_the_bcr_and_on_the_npsv(example):
    v = example.value_for_money().set_index("option").loc["ambitious"]
    assert v["switching_value_bcr"] == pytest.approx(1 - v["pv_costs_public_gbp"] / v["pv_benefits_gbp"])
    assert v["switching_value_npsv"] == pytest.approx(
        1 - (v["pv_costs_public_gbp"] + v["pv_costs_private_gbp"]) / v["pv_benefits_gbp"]
    )
    assert v["switching_value_npsv"] < v["switching_value_bcr"]  # the developer's costs count in the NPSV


def test_an_icb_payment_of_a_district_two_icbs_serve_is_split_and_a_missing_combined_authority_refused(library):
    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["site"]["local_authority"] = "E07000089"  # Hart: Frimley 75%, Hampshire and Isle of Wight 25%
    data["scheme_costs"] = {"strategic": [{"year": 2027, "capital": 1_000_000, "paid_by": "combined_authority"}]}
    with pytest.raises(ProposalError) as err:
        make_proposal(data, library)
    assert "scheme_costs.strategic.0.paid_by" in str(err.value) and "Hart (E07000089)" in str(err.value)
    data["scheme_costs"] = {"strategic": [{"year": 2027, "capital": 1_000_000, "paid_by": "icb"}]}
    r = appraise(make_proposal(data, library), library, analyses=False)
    paid = r.organisations().query("option == 'strategic'").set_index("organisation")["paid_gbp"]
    assert paid["NHS Frimley Integrated Care Board"] == pytest.approx(1_240_000 * 0.749668, rel=1e-5)
    assert paid.sum() == pytest.approx(1_240_000)


def test_the_summary_names_what_an_option_changes_that_moves_no_number(example):
    from appraisal.wording import changed_not_counted_line

    line = changed_not_counted_line(example)
    assert line is not None
    # The denser option makes homes smaller, more crowded and darker: no default evidence carries them.
    for name in (
        "Households overcrowded (bedroom standard)",
        "Dwellings below the nationally described space standard",
        "Dwellings whose living room falls short of the daylight target",
    ):
        assert name in line
    # Ozone is set in the baseline and no option changes it: not named. PM2.5 moves numbers: not named.
    names = example.library.characteristics.set_index("characteristic_id")["name"]
    assert names["ozone"] not in line and names["pm25"] not in line
    silent = example.not_counted().query("id == 'below_space_standard_share'")["why"].iloc[0]
    assert "pathways/gaps.csv" in silent
