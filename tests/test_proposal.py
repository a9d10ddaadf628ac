"""Proposals: every problem at once, each a code, the field it is in, the value found and what is allowed."""

import pytest
from conftest import EXAMPLE

from appraisal import ProposalError, load_proposal, make_proposal


def example_data(library):
    return load_proposal(EXAMPLE, library).model_dump(mode="json")


def problems(data, library) -> dict[str, object]:
    with pytest.raises(ProposalError) as info:
        make_proposal(data, library)
    return {str(p.place): p for p in info.value.problems}


def test_example_loads(library):
    proposal = load_proposal(EXAMPLE, library)
    assert set(proposal.options) == {"minimum", "strategic", "denser", "ambitious"}


def test_all_problems_are_reported_together(library):
    data = example_data(library)
    data["options"]["strategic"]["pm_25"] = 9.0  # unknown characteristic
    data["options"]["strategic"]["lonely_or_isolated_share"] = 0.05  # a mediator, not an input
    data["options"]["ambitious"]["damp_mould"] = 1.4  # outside 0-1
    del data["baseline"]["cycling_minutes"]  # option given, baseline missing
    data["population"] = {"total": -10}  # negative population
    found = problems(data, library)
    # Problems of shape (a negative population) and against the library come together.
    assert found["population.total"].code == "proposal.below_minimum" and found["population.total"].found == -10
    assert found["options.strategic.pm_25"].code == "proposal.unknown_characteristic"
    mediator = found["options.strategic.lonely_or_isolated_share"]
    assert mediator.code == "proposal.mediator_set" and "remove it" in mediator.allowed
    damp = found["options.ambitious.damp_mould"]
    assert damp.code == "proposal.out_of_range" and damp.found == 1.4 and "a share from 0 to 1" in damp.allowed
    assert found["options.strategic.cycling_minutes"].code == "proposal.no_baseline"
    assert found["options.ambitious.cycling_minutes"].code == "proposal.no_baseline"
    assert found["options.denser.cycling_minutes"].code == "proposal.no_baseline"
    assert len(found) == 7
    # The message is made from the fields.
    assert (
        str(damp)
        == "options.ambitious.damp_mould: outside the characteristic's valid range; found 1.4; allowed: a share from 0 to 1 (Dwellings with damp or mould)"
    )


def test_text_in_a_number_field_is_named_with_its_value(library):
    data = example_data(library)
    data["options"]["minimum"]["walking_minutes"] = "lots"
    data["settings"]["period_years"] = 0
    found = problems(data, library)
    assert found["options.minimum.walking_minutes"].code == "proposal.not_number"
    assert found["options.minimum.walking_minutes"].found_text == "'lots'"
    assert found["settings.period_years"].code == "proposal.below_minimum" and found["settings.period_years"].found == 0


def test_age_bands_occupancy_and_settings_are_checked(library):
    data = example_data(library)
    data["population"] = {"by_age_band": {"0-4": 100, "5-11": 50, "10-14": -1}}
    data["settings"]["price_year"] = 1900
    data["settings"]["discounting"] = "sometimes"
    data["occupancy"] = {2200: 1.0}
    found = problems(data, library)
    assert found["population.by_age_band.10-14"].code == "proposal.below_minimum"
    data["population"] = {"by_age_band": {"0-4": 100, "5-11": 50}}
    data["settings"]["discounting"] = "green_book"
    found = problems(data, library)
    assert found["population.by_age_band.5-11"].code == "proposal.unknown_age_band"
    assert found["population.by_age_band"].code == "proposal.missing_age_band"
    assert found["settings.price_year"].code == "proposal.price_year"
    assert found["occupancy"].code == "proposal.occupancy_outside_period" and found["occupancy"].found == "2200"


def test_a_setting_is_an_enum_and_a_wrong_choice_is_named(library):
    data = example_data(library)
    assert make_proposal(data, library).settings.discounting.value == "green_book"
    data["settings"]["discounting"] = "sometimes"
    assert problems(data, library)["settings.discounting"].code == "proposal.not_choice"


def test_a_long_value_found_is_shortened(library):
    data = example_data(library)
    data["options"]["minimum"]["walking_minutes"] = "x" * 5000
    shown = problems(data, library)["options.minimum.walking_minutes"].found_text
    assert 150 < len(shown) <= 200 and shown.endswith("…")


def test_unreadable_files_get_a_plain_message(tmp_path, library):
    bad = tmp_path / "bad.yaml"
    bad.write_text("site: [unclosed\n")
    cases = [
        (bad, "file.not_yaml"),
        (tmp_path / "missing.yaml", "file.missing"),
        (tmp_path / "proposal.csv", "file.kind"),
    ]
    text = tmp_path / "text.yaml"
    text.write_text("just a sentence\n")
    cases.append((text, "proposal.not_mapping"))
    for path, code in cases:
        with pytest.raises(ProposalError) as info:
            load_proposal(path, library)
        assert info.value.codes == [code], path


def test_a_yes_or_text_is_not_taken_as_a_number(library):
    data = example_data(library)
    data["baseline"]["pm25"] = True  # YAML reads `yes` as True
    data["options"]["minimum"]["damp_mould"] = "0.03"
    data["population"] = {"total": True}
    found = problems(data, library)
    assert found["baseline.pm25"].code == "proposal.not_number"
    assert found["options.minimum.damp_mould"].code == "proposal.not_number"
    assert found["population.total"].code == "proposal.not_number"


def test_checks_against_the_library_run_even_when_the_shape_is_broken(library):
    data = example_data(library)
    data["occupancy"]["2029"] = 1.8  # a shape problem
    data["settings"]["price_year"] = 1990  # and one judged against the library
    data["options"]["strategic"]["pm_25"] = 1.0
    data["options"]["baseline"] = {"pm25": 9.0}  # 'baseline' is not an option's name
    found = problems(data, library)
    assert found["occupancy.2029"].code == "proposal.above_maximum"
    assert found["settings.price_year"].code == "proposal.price_year"
    assert found["options.strategic.pm_25"].allowed.startswith("did you mean pm25?")
    assert found["options.baseline"].code == "proposal.option_name"


def test_yaml_problems_name_their_line_and_a_key_given_twice_is_refused(tmp_path, library):
    broken = tmp_path / "broken.yaml"
    broken.write_text("site:\n  name: x\nsettings: [unclosed\n")
    with pytest.raises(ProposalError) as info:
        load_proposal(broken, library)
    (p,) = info.value.problems
    assert p.code == "file.not_yaml" and p.place.line == 4
    twice = tmp_path / "twice.yaml"
    twice.write_text(EXAMPLE.read_text().replace("  no2: 24.0\n", "  no2: 24.0\n  pm25: 9.0\n", 1))
    with pytest.raises(ProposalError) as info:
        load_proposal(twice, library)
    (p,) = info.value.problems
    assert p.code == "proposal.duplicate" and "'pm25'" in p.allowed and p.place.line is not None


def test_an_air_pollutant_above_the_top_of_the_daily_index_is_refused(library):
    """PM2.5, NO2 and ozone are bounded by where Defra's index 10 ('Very High') starts."""
    data = example_data(library)
    data["baseline"]["pm25"] = 71.0  # at the bound: allowed
    data["options"]["strategic"]["no2"] = 601.5
    data["options"]["ambitious"]["ozone"] = 250.0
    found = problems(data, library)
    assert "baseline.pm25" not in found
    assert found["options.strategic.no2"].code == "proposal.out_of_range"
    assert "601" in found["options.strategic.no2"].allowed
    assert found["options.ambitious.ozone"].code == "proposal.out_of_range"
    assert "241" in found["options.ambitious.ozone"].allowed
    data["baseline"]["pm25"] = 71.5
    assert problems(data, library)["baseline.pm25"].code == "proposal.out_of_range"
