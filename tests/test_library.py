"""The shipped library passes every check; each kind of corruption is refused with file, row and rule."""

import pytest
from conftest import read_rows, tiny_proposal, write_rows

from appraisal import LibraryError, appraise, load_library
from appraisal.evidence.derived import DERIVED_FROM


def test_shipped_library_passes_and_meets_the_counts(library):
    chars = library.characteristics
    assert len(chars) >= 28  # issue 5: about 28 characteristics
    assert chars["group"].nunique() == 6  # all six groups
    assert len(library.links) >= 80
    assert len(library.outcomes) >= 70  # issue 5: at least 70 outcomes
    # A characteristic with no default pathway has alternatives, each saying why it is not a default,
    # or, with no evidence at all, a row of the gaps table naming it and what was searched.
    silent = set(chars["characteristic_id"]) - set(library.pathway_table["characteristic"])
    alternatives = library.links[~library.links["is_default"]]
    parent = dict(zip(chars["characteristic_id"], chars["band_of"]))  # a band has its level's links
    gaps = " ".join(library.gaps["pathway"])
    unexplained = {parent[c] or c for c in silent} - set(alternatives["from_id"])
    assert all(c in gaps for c in unexplained), unexplained
    assert (alternatives["default_reason"].str.len() > 10).all()
    # Every outcome a link reaches has a unit cost, or a coverage row for each component, and a baseline.
    curves = set(library.links.loc[library.links["form"] == "polynomial", "to_id"])
    covered = set(library.unit_costs["outcome_id"]) | set(library.cost_coverage["outcome_id"])
    assert set(library.reached_outcomes()) <= covered
    assert set(library.reached_outcomes()) - curves <= set(library.baseline_rates["outcome_id"])


def test_a_blank_provenance_cell_is_refused_with_its_place(library_copy):
    # The reader refuses a blank required cell, so provenance is checked by breaking it in a copy.
    for table, column in (
        ("links", "locator"),
        ("unit_costs", "source"),
        ("baseline_rates", "extract_id"),
        ("outcomes", "verification"),
    ):
        edit(library_copy, table, 0, **{column: ""})
    assert places(library_copy, "library.cell.blank") == {
        "pathways/links.csv row 2, column locator",
        "unit_costs/unit_costs.csv row 2, column source",
        "pathways/baseline_rates.csv row 2, column extract_id",
        "pathways/outcomes.csv row 2, column verification",
    }


def problems(root):
    with pytest.raises(LibraryError) as info:
        load_library(root)
    return info.value.problems


def places(root, code):
    """The places of the problems with one code (there must be at least one)."""
    found = {str(p.place) for p in problems(root) if p.code == code}
    assert found, code
    return found


def edit(root, table, row_index, **changes):
    rows = read_rows(root, table)
    rows[row_index].update(changes)
    write_rows(root, table, rows)
    return row_index + 2  # spreadsheet row


def test_every_problem_is_reported_at_once(library_copy):
    edit(library_copy, "links", 0, central="not a number")
    edit(library_copy, "unit_costs", 0, price_year="")
    edit(library_copy, "outcomes", 0, kind="nonsense", fatal="maybe")
    found = {(p.code, str(p.place), p.found_text) for p in problems(library_copy)}
    assert found == {
        ("library.cell.not_number", "pathways/links.csv row 2, column central", "'not a number'"),
        ("library.cell.blank", "unit_costs/unit_costs.csv row 2, column price_year", ""),
        ("library.cell.not_choice", "pathways/outcomes.csv row 2, column kind", "'nonsense'"),
        ("library.cell.not_choice", "pathways/outcomes.csv row 2, column fatal", "'maybe'"),
    }


def test_a_whole_number_column_refuses_a_fraction(library_copy):
    edit(library_copy, "links", 0, age_from="30.5")
    assert places(library_copy, "library.cell.not_whole") == {"pathways/links.csv row 2, column age_from"}


def test_files_that_cannot_be_read(library_copy):
    links = library_copy / "pathways" / "links.csv"
    (library_copy / "pathways" / "curves.csv").unlink()
    (library_copy / "pathways" / "gaps.csv").write_bytes(b"")
    (library_copy / "unit_costs" / "bearers.csv").write_bytes("bearer_id,name\n\xe9".encode("latin-1"))
    rows = links.read_text(encoding="utf-8").splitlines()
    rows[0] += ",extra"
    links.write_text("\n".join(rows) + "\n", encoding="utf-8")
    found = {(p.code, str(p.place)) for p in problems(library_copy)}
    assert {
        ("library.file.missing", "pathways/curves.csv"),
        ("library.file.empty", "pathways/gaps.csv"),
        ("library.file.unreadable", "unit_costs/bearers.csv"),
        ("library.columns.unknown", "pathways/links.csv row 1"),
        ("library.row.cell_count", "pathways/links.csv row 2"),
    } <= found


def test_missing_columns_and_an_oversized_file(library_copy, monkeypatch):
    from appraisal.evidence import reading

    write_rows(library_copy, "outcomes", read_rows(library_copy, "outcomes"), columns=["outcome_id", "name"])
    assert places(library_copy, "library.columns.missing") == {"pathways/outcomes.csv row 1"}
    monkeypatch.setattr(reading, "MAX_TABLE_BYTES", 1000)
    assert "pathways/links.csv" in places(library_copy, "library.file.too_large")


def test_yes_no_columns_are_booleans_and_no_mediator_is_none(library):
    assert library.outcomes["fatal"].dtype == bool and library.links["is_default"].dtype == bool
    direct = library.pathway_table[library.pathway_table["outcome_link"] == library.pathway_table["first_link"]]
    assert len(direct) and direct["mediator"].isna().all()
    assert set(library.mediators["kind"]) == {"amount", "share"}
    assert set(library.unit_costs["derived_from"]) == set(DERIVED_FROM) == {"unit_costs", "health_state_losses", "every_death"}


def test_the_evidence_floor_imports_only_maths_errors_and_itself():
    import ast

    from conftest import REPO

    allowed = ("appraisal.errors", "appraisal.risk", "appraisal.costing", "appraisal.demography", "appraisal.evidence")
    upward = []
    for path in (REPO / "appraisal" / "evidence").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] if node.module != "appraisal" else [f"appraisal.{a.name}" for a in node.names]
            upward += [(path.name, n) for n in names if n.startswith("appraisal") and not n.startswith(allowed)]
    assert upward == []


def test_health_state_loss_becomes_a_quality_of_life_cost(library_copy):
    loss = {
        "loss_id": "ihd_test",
        "outcome_id": "ihd_incidence",
        "severity": "all",
        "share_of_cases": "0.5",
        "loss": "0.2",
        "low": "0.1",
        "high": "0.4",
        "interval_kind": "ci95",
        "unit": "QALY",
        "basis": "per_case",
        "age_from": "0",
        "age_to": "120",
        "source": "hmt_hl5283",
        "locator": "test",
        "verification": "primary",
        "transform": "none",
    }
    write_rows(library_copy, "health_state_losses", [*read_rows(library_copy, "health_state_losses"), loss])
    # The coverage table still says quality of life was not found: both cannot hold.
    assert any(p.startswith("unit_costs/cost_coverage.csv row") for p in places(library_copy, "library.coverage.marks"))
    rows = [
        r
        for r in read_rows(library_copy, "cost_coverage")
        if (r["outcome_id"], r["component"]) != ("ihd_incidence", "quality_of_life")
    ]
    write_rows(library_copy, "cost_coverage", rows)
    lib = load_library(library_copy)
    row = lib.unit_costs[
        (lib.unit_costs["outcome_id"] == "ihd_incidence") & (lib.unit_costs["component"] == "quality_of_life")
    ].iloc[0]
    # Half the cases x 0.2 QALY x £70,000 (Green Book value, 2020 prices), interval scaled alike.
    assert (row["value"], row["low"], row["high"], row["price_year"], row["bearer"]) == (
        7000.0,
        3500.0,
        14000.0,
        2020,
        "households",
    )
    assert row["derived_from"] == "health_state_losses"


def test_each_death_outcome_is_valued_as_every_death(library_copy):
    lib = load_library(library_copy)
    acm = lib.unit_costs[(lib.unit_costs["outcome_id"] == "all_cause_mortality") & (lib.unit_costs["component"] == "mortality")]
    dementia = lib.unit_costs[
        (lib.unit_costs["outcome_id"] == "dementia_mortality") & (lib.unit_costs["component"] == "mortality")
    ]
    # The same values and bases as a death from any cause, limited to the outcome's ages (40+ in GBD).
    assert sorted(zip(dementia["basis"], dementia["value"])) == sorted(zip(acm["basis"], acm["value"]))
    assert set(dementia["age_from"]) == {40} and set(dementia["age_to"]) == {120}
    assert set(dementia["derived_from"]) == {"every_death"}
    # An outcome that marks mortality in the coverage table takes nothing from all deaths.
    cov = read_rows(library_copy, "cost_coverage")
    write_rows(
        library_copy,
        "cost_coverage",
        [
            *cov,
            {
                "outcome_id": "dementia_mortality",
                "component": "mortality",
                "age_from": "40",
                "age_to": "120",
                "status": "not_found",
                "reason": "test",
            },
        ],
    )
    lib = load_library(library_copy)
    assert not ((lib.unit_costs["outcome_id"] == "dementia_mortality") & (lib.unit_costs["component"] == "mortality")).any()


def test_power_link_rules(library_copy):
    rows = read_rows(library_copy, "links")
    i = next(i for i, r in enumerate(rows) if r["from_id"] == "pm25")
    row = edit(library_copy, "links", i, form="power")
    assert places(library_copy, "library.links.measure_matches_form") == {f"pathways/links.csv row {row}, column measure"}
    assert places(library_copy, "library.links.increment") == {f"pathways/links.csv row {row}, column increment"}


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
        and f"{len(library.outcomes)} outcomes ({len(library.reached_outcomes())} reached by default links) and {len(library.links)} links"
        in front
    )


def test_durations_are_read_in_their_printed_unit_and_checked(library_copy):
    rows = read_rows(library_copy, "durations")
    n = len(rows)
    dementia = next(r for r in rows if r["outcome_id"] == "dementia_incidence")
    test = {**dementia, "phase": "test", "interval_kind": "none", "low": "", "high": ""}
    # Hand-worked: 6 months = 0.5 years; 26 weeks = 26 x 7 / 365.25 = 0.498289 years; 4.5 years = 4.5.
    rows += [
        {**test, "value": "4.5", "unit": "years"},
        {**test, "outcome_id": "depression_incidence", "value": "6", "unit": "months"},
        {**test, "outcome_id": "hip_fracture", "value": "26", "unit": "weeks"},
        {**test, "outcome_id": "type2_diabetes_incidence", "statistic": "lifelong", "value": "", "unit": ""},
    ]
    write_rows(library_copy, "durations", rows)
    d = load_library(library_copy).durations
    years = d[d["phase"] == "test"].set_index("outcome_id")["years"]
    assert years["dementia_incidence"] == 4.5
    assert years["depression_incidence"] == pytest.approx(0.5)
    assert years["hip_fracture"] == pytest.approx(0.498289, abs=1e-6)
    assert years.isna()["type2_diabetes_incidence"]
    # Broken: a death, an unknown outcome, a lifelong row with a value, a length with no unit, an interval missing its kind.
    rows += [
        {**test, "outcome_id": "all_cause_mortality", "value": "1", "unit": "years"},
        {**test, "outcome_id": "no_such_outcome", "value": "1", "unit": "years"},
        {**test, "outcome_id": "copd_incidence", "statistic": "lifelong", "value": "3", "unit": "years"},
        {**test, "outcome_id": "stroke_incidence", "value": "1", "unit": ""},
        {**test, "outcome_id": "ihd_incidence", "value": "7", "unit": "years", "low": "5", "high": "9"},
    ]
    write_rows(library_copy, "durations", rows)
    found = {(p.code, str(p.place)) for p in problems(library_copy)}
    first = n + 6  # spreadsheet row of the first broken row: header, n rows, 4 good rows
    assert found == {
        ("library.durations.not_death", f"pathways/durations.csv row {first}, column outcome_id"),
        ("library.durations.outcome_known", f"pathways/durations.csv row {first + 1}, column outcome_id"),
        ("library.durations.length", f"pathways/durations.csv row {first + 2}, column value"),
        ("library.durations.length", f"pathways/durations.csv row {first + 3}, column value"),
        ("library.values.interval", f"pathways/durations.csv row {first + 4}, column interval_kind"),
    }


def test_every_non_fatal_outcome_has_a_duration_or_is_named_in_the_gaps(library):
    have = set(library.durations["outcome_id"])
    missing = [o for o in library.outcomes.loc[library.outcomes["fatal"] == "no", "outcome_id"] if o not in have]
    named = (
        " ".join(library.gaps["what_was_searched"])
        + " "
        + " ".join(library.gaps["why_out"])
        + " "
        + " ".join(library.gaps["pathway"])
    )
    assert [o for o in missing if o not in named] == []


def test_share_mediator_rules(library_copy):
    meds = read_rows(library_copy, "mediators")
    links = read_rows(library_copy, "links")
    pe = next(r for r in links if r["form"] == "proportion_exposed")
    meds.append({**meds[0], "mediator_id": "lonely", "unit": "share (0-1)", "kind": "share", "baseline_share": ""})
    links += [
        {**pe, "link_id": "into_rr", "to_id": "lonely", "measure": "RR"},
        {**pe, "link_id": "out_loglinear", "from_id": "lonely", "form": "log_linear", "measure": "RR"},
    ]
    meds[0]["baseline_share"] = "0.5"  # physical activity is an amount, not a share
    write_rows(library_copy, "mediators", meds)
    write_rows(library_copy, "links", links)
    found = {(p.code, str(p.place)) for p in problems(library_copy)}
    assert {
        ("library.nodes.baseline_share", f"pathways/mediators.csv row {len(meds) + 1}, column baseline_share"),
        ("library.nodes.baseline_share", "pathways/mediators.csv row 2, column baseline_share"),
        ("library.links.source_matches_form", f"pathways/links.csv row {len(links) + 1}, column form"),
        ("library.links.measure_matches_form", f"pathways/links.csv row {len(links)}, column measure"),
    } <= found


def test_no_path_of_a_working_machine_in_the_evidence_or_the_docs():
    """Provenance names a URL or a repository at a commit, never a folder on someone's machine."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    machine = re.compile(r"(?<![\w.])/(tmp|work|home|root|Users)/\w")
    files = [*root.glob("pathways/**/*"), *root.glob("unit_costs/**/*"), *root.glob("examples/*.yaml"), root / "README.md"]
    found = [
        f"{p.relative_to(root)} line {n}"
        for p in files
        if p.is_file() and p.suffix in (".csv", ".md", ".yaml")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if machine.search(line)
    ]
    assert not found, found


def test_a_sidecar_note_names_a_row_of_its_table_once(library_copy):
    from conftest import TABLES

    side = library_copy / TABLES["links"].sidecar
    text = side.read_text(encoding="utf-8")
    first = text.splitlines()[1]
    side.write_text(text + "no_such_link,a quote,a note\n" + first + "\n", encoding="utf-8")
    n = len(text.splitlines())
    found = {(p.code, str(p.place)) for p in problems(library_copy)}
    assert ("library.sidecar.orphan", f"pathways/notes/links.csv row {n + 1}") in found
    assert ("library.sidecar.duplicate", f"pathways/notes/links.csv row {n + 2}") in found


def test_library_check_flags_an_interval_narrower_than_its_study_allows(library_copy):
    from appraisal.evidence.cautions import cautions, narrowest_log_se

    # By hand: a study of 1,668 people gives a log-ratio standard error of at least 2 / sqrt(1668) = 0.04897.
    assert narrowest_log_se(1668) == pytest.approx(0.04897, abs=1e-5)
    rows = read_rows(library_copy, "links")
    i = next(i for i, r in enumerate(rows) if r["link_id"] == "home_fall_hazard_fracture_clemson")
    flagged = {str(p.place) for p in cautions(load_library(library_copy))}
    assert f"pathways/links.csv row {i + 2}, column low" in flagged
    # The same estimate from a study of a million people is not flagged.
    rows[i]["study_size"] = "1000000"
    write_rows(library_copy, "links", rows)
    assert f"pathways/links.csv row {i + 2}, column low" not in {str(p.place) for p in cautions(load_library(library_copy))}


def test_no_default_link_rests_on_an_association_or_a_mismatched_contrast_or_outcome(library):
    d = library.default_links
    assert (d["causal_basis"] != "association_only").all()
    assert d["contrast_match"].isin(["same", "converted"]).all()
    assert (d["outcome_match"] == "same").all()
    assert (d.loc[d["causal_basis"] == "appraising_body", "appraising_body"].str.len() > 0).all()
    # Every link records its design, its contrast and the outcome its study measured.
    assert (
        (library.links[["study_design", "contrast_exposed", "contrast_reference", "outcome_measured", "default_reason"]] != "")
        .all()
        .all()
    )


def test_durations_are_stated_in_one_place(library):
    from appraisal.evidence.schemas import TABLES

    # No table but durations.csv has a column that states how long something lasts.
    for name, table in TABLES.items():
        if name != "durations":
            assert not [c for c in table.columns if "duration" in c], name
    # Every per-case-year cost or loss of an incidence or event outcome lasts as long as a phase in durations.csv.
    kinds = library.outcomes.set_index("outcome_id")["kind"]
    uc = library.unit_costs
    phased = uc[(uc["basis"] == "per_case_year") & ~uc["outcome_id"].map(kinds).isin(["prevalence", "wellbeing"])]
    known = set(zip(library.durations["outcome_id"], library.durations["phase"]))
    assert set(zip(phased["outcome_id"], phased["phase"])) <= known


def test_every_characteristic_a_user_types_has_an_upper_bound(library):
    """Only a level made from its bands' shares (never typed) may lack an upper bound."""
    chars = library.characteristics
    unbounded = chars[chars["valid_max"].isna()]
    assert not unbounded.empty  # the band-made noise levels
    assert unbounded["bounds_basis"].str.startswith("set by the shares of dwellings in its bands").all(), unbounded.index.tolist()


def test_insulating_uninsulated_homes_cuts_emergency_respiratory_admissions_by_hand(library):
    """Fyfe et al. 2020: admissions fall by 15% (RR 0.85) among residents of insulated homes; NHS cost only."""
    result = appraise(
        tiny_proposal(library, {"insulation_retrofit_share": 0.0}, {"half": {"insulation_retrofit_share": 0.5}}),
        library,
    )
    cases = result.cases()
    assert set(cases.loc[cases["change_in_cases"] != 0, "outcome"]) == {"respiratory_admission"}
    # 100,000 residents x 1,428 per 100,000 a year x half of them in insulated homes x (0.85 - 1), for one year.
    assert cases["change_in_cases"].sum() == pytest.approx(100_000 * 1428 / 100_000 * 0.5 * (0.85 - 1))
    landing = result.cost_landing()
    moved = landing[landing["present_value_gbp"] != 0]
    assert set(moved["bearer"]) == {"nhs"} and (moved["present_value_gbp"] < 0).all()
    # The asthma and bronchiolitis admissions are part of it, so no characteristic may reach both by default.
    parent = library.outcomes.set_index("outcome_id")["part_of"]
    assert parent["asthma_admission_child"] == parent["child_lri_admission"] == "respiratory_admission"
