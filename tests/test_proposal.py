"""Proposals: every problem at once, each naming the field, the value and what is allowed."""

import pytest

from appraisal import ProposalError, load_proposal, make_proposal
from conftest import EXAMPLE


def example_data(library):
    return load_proposal(EXAMPLE, library).model_dump()


def test_example_loads(library):
    proposal = load_proposal(EXAMPLE, library)
    assert set(proposal.options) == {"minimum", "strategic", "ambitious"}


def test_all_problems_are_reported_together(library):
    data = example_data(library)
    data["options"]["strategic"]["pm_25"] = 9.0            # unknown characteristic
    data["options"]["strategic"]["lonely_or_isolated_share"] = 0.05  # a mediator, not an input
    data["options"]["ambitious"]["damp_mould"] = 1.4       # outside 0-1
    del data["baseline"]["cycling_minutes"]                 # option given, baseline missing
    data["population"] = {"total": -10}                      # negative population
    with pytest.raises(ProposalError) as info:
        make_proposal(data, library)
    places = {str(p.place): p.message for p in info.value.problems}
    codes = {str(p.place): p.code for p in info.value.problems}
    # Problems of shape (a negative population) and against the library come together.
    assert codes == {
        "population.total": "proposal.below_minimum",
        "options.strategic.pm_25": "proposal.unknown_characteristic",
        "options.strategic.lonely_or_isolated_share": "proposal.mediator_set",
        "options.ambitious.damp_mould": "proposal.out_of_range",
        "options.strategic.cycling_minutes": "proposal.no_baseline",
        "options.ambitious.cycling_minutes": "proposal.no_baseline",
    }
    assert "found -10" in places["population.total"]
    assert "unknown characteristic 'pm_25'" in places["options.strategic.pm_25"]
    assert "'lonely_or_isolated_share' is a mediator, not set by the proposal: the engine works it out from fear_of_crime_share, greenspace_high_share" in places["options.strategic.lonely_or_isolated_share"]
    assert "1.4 is outside the valid range" in places["options.ambitious.damp_mould"]
    assert "valid range of Dwellings with damp or mould: a share from 0 to 1" in places["options.ambitious.damp_mould"]
    assert "missing baseline value" in places["options.strategic.cycling_minutes"]
    assert len(info.value.problems) >= 5


def test_text_in_a_number_field_is_named_with_its_value(library):
    data = example_data(library)
    data["options"]["minimum"]["walking_minutes"] = "lots"
    data["settings"]["period_years"] = 0
    with pytest.raises(ProposalError) as info:
        make_proposal(data, library)
    found = {str(p.place): (p.code, p.found) for p in info.value.problems}
    assert found["options.minimum.walking_minutes"] == ("proposal.not_number", "lots")
    assert found["settings.period_years"] == ("proposal.below_minimum", 0)


def test_age_bands_and_settings_are_checked(library):
    data = example_data(library)
    data["population"] = {"by_age_band": {"0-4": 100, "5-11": 50}}
    data["settings"]["price_year"] = 1900
    data["occupancy"] = {2200: 1.0}
    with pytest.raises(ProposalError) as info:
        make_proposal(data, library)
    codes = {(p.code, str(p.place)) for p in info.value.problems}
    assert {
        ("proposal.unknown_age_band", "population.by_age_band.5-11"),
        ("proposal.missing_age_band", "population.by_age_band"),
        ("proposal.price_year", "settings.price_year"),
        ("proposal.occupancy_outside_period", "occupancy"),
    } <= codes


def test_unreadable_files_get_a_plain_message(tmp_path, library):
    bad = tmp_path / "bad.yaml"
    bad.write_text("site: [unclosed\n")
    with pytest.raises(ProposalError, match="is not valid YAML"):
        load_proposal(bad, library)
    with pytest.raises(ProposalError, match="file not found"):
        load_proposal(tmp_path / "missing.yaml", library)
    with pytest.raises(ProposalError, match=r"must be a filled Excel template \(.xlsx\) or a .yaml file"):
        load_proposal(tmp_path / "proposal.csv", library)
    text = tmp_path / "text.yaml"
    text.write_text("just a sentence\n")
    with pytest.raises(ProposalError, match="must be a mapping"):
        load_proposal(text, library)
