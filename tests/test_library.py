"""The shipped library passes every check; each kind of corruption is refused with file, row and rule."""

import pytest

from appraisal import LibraryError, load_library
from conftest import read_rows, write_rows


def test_shipped_library_passes_and_meets_the_counts(library):
    chars = library.characteristics
    assert len(chars) >= 28  # issue 5: about 28 characteristics
    assert chars["group"].nunique() == 6  # all six groups
    assert len(library.links) >= 80
    assert len(library.outcomes) >= 70  # issue 5: at least 70 outcomes
    # Every characteristic reaches at least one outcome by default links.
    assert set(chars["characteristic_id"]) <= set(library.pathway_table["characteristic"])
    # Every outcome a link reaches has unit costs and a baseline: a rate, or the curve of its polynomial link.
    curves = set(library.links.loc[library.links["form"] == "polynomial", "to_id"])
    assert set(library.reached_outcomes()) <= set(library.unit_costs["outcome_id"])
    assert set(library.reached_outcomes()) - curves <= set(library.baseline_rates["outcome_id"])


def test_every_evidence_row_has_source_locator_and_verified_in(library):
    for name in ("characteristics", "mediators", "outcomes", "durations", "links", "curves", "baseline_rates", "population", "unit_costs", "health_state_losses", "parameters", "bearer_shares", "discount_rates", "price_index", "bearers"):
        frame = getattr(library, name)
        for col in ("source", "locator", "verified_in"):
            assert (frame[col].astype(str).str.strip() != "").all(), (name, col)


def broken(root, problem_text, *places):
    with pytest.raises(LibraryError) as info:
        load_library(root)
    report = str(info.value)
    assert problem_text in report, report
    for place in places:
        assert place in report, report
    return report


def edit(root, table, row_index, **changes):
    rows = read_rows(root, table)
    rows[row_index].update(changes)
    write_rows(root, table, rows)
    return row_index + 2  # spreadsheet row


def test_cycle_in_the_graph(library_copy):
    rows = read_rows(library_copy, "links")
    walk = next(r for r in rows if r["from_id"] == "walking_minutes")
    # physical_activity -> walking_minutes would close a loop walking -> activity -> walking.
    rows.append({**walk, "link_id": "loop", "from_id": "physical_activity", "to_id": "walking_minutes", "exposure_unit": "MET-h/week"})
    write_rows(library_copy, "links", rows)
    broken(library_copy, "unknown id 'walking_minutes'", "pathways/links.csv row")
    # A cycle between mediators: add a second mediator and link them both ways.
    meds = read_rows(library_copy, "mediators")
    meds.append({**meds[0], "mediator_id": "m2"})
    write_rows(library_copy, "mediators", meds)
    rows[-1] = {**walk, "link_id": "pa_m2", "from_id": "physical_activity", "to_id": "m2", "exposure_unit": "MET-h/week"}
    rows.append({**walk, "link_id": "m2_pa", "from_id": "m2", "to_id": "physical_activity", "exposure_unit": "MET-h/week"})
    write_rows(library_copy, "links", rows)
    broken(library_copy, "cycle in the pathway graph", "pathways/links.csv rows")


def test_duplicate_id(library_copy):
    rows = read_rows(library_copy, "links")
    rows.append(dict(rows[0]))
    write_rows(library_copy, "links", rows)
    broken(library_copy, f"duplicate id {rows[0]['link_id']!r}", f"pathways/links.csv row {len(rows) + 1}, column link_id")


def test_unknown_id(library_copy):
    row = edit(library_copy, "links", 0, to_id="no_such_outcome")
    broken(library_copy, "unknown id 'no_such_outcome'", f"pathways/links.csv row {row}, column to_id")


def test_unit_mismatch_between_characteristic_and_link(library_copy):
    row = edit(library_copy, "links", 0, exposure_unit="mg/m3")
    broken(library_copy, "unit mismatch", f"pathways/links.csv row {row}, column exposure_unit")


def test_interval_that_does_not_contain_the_central_value(library_copy):
    row = edit(library_copy, "links", 0, central="1.5")
    broken(library_copy, "does not contain the central value 1.5", f"pathways/links.csv row {row}, column central")


def test_outcome_reached_without_baseline_rate(library_copy):
    rows = [r for r in read_rows(library_copy, "baseline_rates") if r["outcome_id"] != "stroke_incidence"]
    write_rows(library_copy, "baseline_rates", rows)
    broken(library_copy, "'stroke_incidence' is reached by a link but has no baseline rate", "pathways/outcomes.csv row")


def test_outcome_reached_without_unit_cost(library_copy):
    rows = [r for r in read_rows(library_copy, "unit_costs") if r["outcome_id"] != "type2_diabetes_incidence"]
    write_rows(library_copy, "unit_costs", rows)
    losses = [r for r in read_rows(library_copy, "health_state_losses") if r["outcome_id"] != "type2_diabetes_incidence"]
    write_rows(library_copy, "health_state_losses", losses)
    broken(library_copy, "'type2_diabetes_incidence' is reached by a link but has no unit cost", "pathways/outcomes.csv row")


def test_source_id_that_does_not_resolve(library_copy):
    row = edit(library_copy, "unit_costs", 0, source="nobody_2099")
    broken(library_copy, "source id 'nobody_2099' does not resolve", f"unit_costs/unit_costs.csv row {row}, column source")


def test_every_problem_is_reported_at_once(library_copy):
    edit(library_copy, "links", 0, central="not a number")
    edit(library_copy, "unit_costs", 0, price_year="")
    report = broken(library_copy, "must be a number, found 'not a number'")
    assert "unit_costs/unit_costs.csv row 2, column price_year: must not be blank" in report


def test_shares_that_do_not_add_up_and_missing_price_years(library_copy):
    rows = read_rows(library_copy, "bearer_shares")
    i = next(i for i, r in enumerate(rows) if r["weight_unit"] == "percent")
    rows[i]["weight"] = str(float(rows[i]["weight"]) + 20)
    write_rows(library_copy, "bearer_shares", rows)
    broken(library_copy, "not 100 (within rounding)", "unit_costs/bearer_shares.csv")
    library_copy2 = library_copy
    rows[i]["weight"] = str(float(rows[i]["weight"]) - 20)
    write_rows(library_copy2, "bearer_shares", rows)
    row = edit(library_copy2, "unit_costs", 0, price_year="1990")
    broken(library_copy2, "price year 1990 is not in unit_costs/price_index.csv", f"unit_costs/unit_costs.csv row {row}, column price_year")


def test_part_of_unknown_and_counted_twice(library_copy):
    i = next(i for i, r in enumerate(read_rows(library_copy, "outcomes")) if r["outcome_id"] == "ihd_incidence")
    row = edit(library_copy, "outcomes", i, part_of="no_such_outcome")
    broken(library_copy, "unknown outcome id 'no_such_outcome'", f"pathways/outcomes.csv row {row}, column part_of")
    # IHD cases declared part of all deaths: walking reaches both through physical activity.
    edit(library_copy, "outcomes", i, part_of="all_cause_mortality")
    broken(library_copy, "reaches both 'ihd_incidence' and 'all_cause_mortality'", "pathways/links.csv row(s)")


def test_every_cost_component_is_costed_or_marked(library_copy):
    rows = read_rows(library_copy, "cost_coverage")
    gone = rows.pop(0)
    write_rows(library_copy, "cost_coverage", rows)
    broken(library_copy, f"cost component(s) {gone['component']}", f"outcome {gone['outcome_id']!r}")
    # Marking a component that has a cited unit cost is refused too.
    write_rows(library_copy, "cost_coverage", [*rows, gone, {"outcome_id": "ihd_incidence", "component": "healthcare", "status": "not_found", "reason": "x"}])
    broken(library_copy, "healthcare of 'ihd_incidence' has a unit cost", f"unit_costs/cost_coverage.csv row {len(rows) + 3}")


def test_health_state_loss_becomes_a_quality_of_life_cost(library_copy):
    loss = {"outcome_id": "ihd_incidence", "loss": "0.1", "low": "0.05", "high": "0.2", "unit": "QALY", "basis": "per_case_year",
            "duration_years": "2", "age_from": "0", "age_to": "120", "source": "hmt_hl5283", "locator": "test", "verified_in": "primary"}
    write_rows(library_copy, "health_state_losses", [*read_rows(library_copy, "health_state_losses"), loss])
    # The coverage table still says quality of life was not found: both cannot hold.
    broken(library_copy, "quality_of_life of 'ihd_incidence' has a unit cost")
    rows = [r for r in read_rows(library_copy, "cost_coverage") if (r["outcome_id"], r["component"]) != ("ihd_incidence", "quality_of_life")]
    write_rows(library_copy, "cost_coverage", rows)
    lib = load_library(library_copy)
    row = lib.unit_costs[(lib.unit_costs["outcome_id"] == "ihd_incidence") & (lib.unit_costs["component"] == "quality_of_life")].iloc[0]
    # 0.1 QALY a year x £70,000 (Green Book value, 2020 prices), interval scaled alike.
    assert (row["value"], row["low"], row["high"], row["price_year"], row["bearer"]) == (7000.0, 3500.0, 14000.0, 2020, "households")
    assert row["_table"] == "health_state_losses"
    # A loss whose valuing parameter is missing is refused with the row.
    write_rows(library_copy, "parameters", [])
    broken(library_copy, "parameter 'value_of_qaly', which is missing", "unit_costs/health_state_losses.csv row 2, column unit")


def test_each_death_outcome_is_valued_as_every_death(library_copy):
    lib = load_library(library_copy)
    acm = lib.unit_costs[(lib.unit_costs["outcome_id"] == "all_cause_mortality") & (lib.unit_costs["component"] == "mortality")]
    dementia = lib.unit_costs[(lib.unit_costs["outcome_id"] == "dementia_mortality") & (lib.unit_costs["component"] == "mortality")]
    # The same values and bases as a death from any cause, limited to the outcome's ages (40+ in GBD).
    assert sorted(zip(dementia["basis"], dementia["value"])) == sorted(zip(acm["basis"], acm["value"]))
    assert set(dementia["age_from"]) == {40} and set(dementia["age_to"]) == {120}
    assert all(n.startswith("As every death (row ") for n in dementia["notes"])
    # An outcome that marks mortality in the coverage table takes nothing from all deaths.
    cov = read_rows(library_copy, "cost_coverage")
    write_rows(library_copy, "cost_coverage", [*cov, {"outcome_id": "dementia_mortality", "component": "mortality", "status": "not_found", "reason": "test"}])
    lib = load_library(library_copy)
    assert not ((lib.unit_costs["outcome_id"] == "dementia_mortality") & (lib.unit_costs["component"] == "mortality")).any()


def test_power_link_rules(library_copy):
    rows = read_rows(library_copy, "links")
    i = next(i for i, r in enumerate(rows) if r["from_id"] == "pm25")
    row = edit(library_copy, "links", i, form="power")
    report = broken(library_copy, "measure must be 'exponent'", f"pathways/links.csv row {row}, column measure")
    assert "a power link has no increment" in report


def test_pathways_readme_states_the_counts_and_every_gap(library):
    from conftest import REPO

    text = (REPO / "pathways" / "README.md").read_text(encoding="utf-8")
    defaults = len(library.default_links)
    assert (
        f"{len(library.characteristics)} characteristics in\nall six groups, {len(library.mediators)} mediators, {len(library.outcomes)} outcomes "
        f"({len(library.reached_outcomes())} reached by default links), {len(library.links)} links ({defaults} default, "
        f"{len(library.links) - defaults} alternatives)"
    ) in text
    assert all(f"| {g} |" in text for g in library.gaps["pathway"])
    # The project README's limits state the same counts.
    front = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert (
        f"covers {len(library.characteristics)} characteristics in all six groups" in front
        and f"{len(library.outcomes)} outcomes ({len(library.reached_outcomes())} reached by default links) and {len(library.links)} links" in front
    )


def test_durations_are_read_in_their_printed_unit_and_checked(library_copy):
    rows = read_rows(library_copy, "durations")
    dementia = next(r for r in rows if r["outcome_id"] == "dementia_incidence")
    # Hand-worked: 6 months = 0.5 years; 26 weeks = 26 x 7 / 365.25 = 0.498289 years; 4.5 years = 4.5.
    rows = [
        {**dementia},
        {**dementia, "outcome_id": "depression_incidence", "value": "6", "unit": "months", "low": "", "high": ""},
        {**dementia, "outcome_id": "hip_fracture", "value": "26", "unit": "weeks", "low": "", "high": ""},
        {**dementia, "outcome_id": "type2_diabetes_incidence", "statistic": "lifelong", "value": "", "unit": ""},
    ]
    write_rows(library_copy, "durations", rows)
    years = load_library(library_copy).durations.set_index("outcome_id")["years"]
    assert years["dementia_incidence"] == 4.5
    assert years["depression_incidence"] == pytest.approx(0.5)
    assert years["hip_fracture"] == pytest.approx(0.498289, abs=1e-6)
    assert years.isna()["type2_diabetes_incidence"]
    # Broken: a death, an unknown outcome, a lifelong row with a value, a length with no unit, an interval missing the value.
    rows += [
        {**dementia, "outcome_id": "all_cause_mortality"},
        {**dementia, "outcome_id": "no_such_outcome"},
        {**dementia, "outcome_id": "copd_incidence", "statistic": "lifelong", "value": "3", "unit": "years"},
        {**dementia, "outcome_id": "stroke_incidence", "unit": ""},
        {**dementia, "outcome_id": "ihd_incidence", "low": "5", "high": "9"},
    ]
    write_rows(library_copy, "durations", rows)
    report = broken(library_copy, "'all_cause_mortality' is a death: a death has no duration", "pathways/durations.csv row 6, column outcome_id")
    assert "pathways/durations.csv row 7, column outcome_id: unknown outcome id 'no_such_outcome'" in report
    assert "pathways/durations.csv row 8, column value: leave value and unit blank for a lifelong condition" in report
    assert "pathways/durations.csv row 9, column value: a median duration needs a value above 0 and a unit" in report
    assert "pathways/durations.csv row 10, column low: the interval [5, 9] does not contain the central value 4.5" in report


def test_every_non_fatal_outcome_has_a_duration_or_is_named_in_the_gaps(library):
    have = set(library.durations["outcome_id"])
    missing = [o for o in library.outcomes.loc[library.outcomes["fatal"] == "no", "outcome_id"] if o not in have]
    named = " ".join(library.gaps["what_was_searched"]) + " " + " ".join(library.gaps["why_out"]) + " " + " ".join(library.gaps["pathway"])
    assert [o for o in missing if o not in named] == []


def test_share_mediator_rules(library_copy):
    meds = read_rows(library_copy, "mediators")
    links = read_rows(library_copy, "links")
    pe = next(r for r in links if r["form"] == "proportion_exposed")
    meds.append({**meds[0], "mediator_id": "lonely", "unit": "share (0-1)", "baseline_share": ""})
    links += [
        {**pe, "link_id": "into_rr", "to_id": "lonely", "measure": "RR"},
        {**pe, "link_id": "out_loglinear", "from_id": "lonely", "form": "log_linear", "measure": "RR"},
    ]
    meds[0]["baseline_share"] = "0.5"  # physical activity is not a share
    write_rows(library_copy, "mediators", meds)
    write_rows(library_copy, "links", links)
    report = broken(library_copy, "needs its England baseline share, above 0 and below 1", f"pathways/mediators.csv row {len(meds) + 1}, column baseline_share")
    assert "pathways/mediators.csv row 2, column baseline_share: only a mediator measured as 'share (0-1)' has a baseline share" in report
    assert f"pathways/links.csv row {len(links) + 1}, column form: lonely is a share mediator: a link out of it must be proportion_exposed" in report
    assert f"pathways/links.csv row {len(links)}, column measure: a link into the share mediator lonely must be an odds ratio (OR)" in report
