"""Each cross-table rule of the evidence library, broken on purpose in a copy of the shipped library.

One case per rule id: the mutation breaks exactly that rule, and the test asserts
the problem's code (``library.<rule id>``) and its place (file, row, column). A
last test checks that every registered rule has a case here.
"""

from __future__ import annotations

import pytest
from conftest import read_rows, write_rows

from appraisal import LibraryError, load_library
from appraisal.demography import LIFE_TABLE_OUTCOME
from appraisal.evidence import RULES


def edit(root, table, index, **changes) -> int:
    """Change cells of one row (by position in the file); its spreadsheet row."""
    rows = read_rows(root, table)
    rows[index].update(changes)
    write_rows(root, table, rows)
    return index + 2


def append(root, table, *new: dict) -> int:
    """Add rows at the end; the spreadsheet row of the first one added."""
    rows = read_rows(root, table)
    write_rows(root, table, [*rows, *new])
    return len(rows) + 2


def drop(root, table, keep) -> None:
    write_rows(root, table, [r for r in read_rows(root, table) if keep(r)])


def index_of(root, table, **match) -> int:
    return next(i for i, r in enumerate(read_rows(root, table)) if all(r[k] == v for k, v in match.items()))


def row_of(root, table, **match) -> int:
    return index_of(root, table, **match) + 2


LINKS = "pathways/links.csv"


def _valid_bounds(root):
    i = next(i for i, r in enumerate(read_rows(root, "characteristics")) if r["valid_min"] and r["valid_max"])
    r = read_rows(root, "characteristics")[i]
    return f"pathways/characteristics.csv row {edit(root, 'characteristics', i, valid_min=r['valid_max'])}, column valid_min"


def _part_of_loop(root):
    edit(root, "outcomes", index_of(root, "outcomes", outcome_id="ihd_incidence"), part_of="stroke_incidence")
    edit(root, "outcomes", index_of(root, "outcomes", outcome_id="stroke_incidence"), part_of="ihd_incidence")
    return "pathways/outcomes.csv rows"


def _polynomial(root):
    link = next(r for r in read_rows(root, "links") if r["form"] == "polynomial")
    return link, row_of(root, "links", link_id=link["link_id"])


def _curves_given(root):
    link, row = _polynomial(root)
    drop(root, "curves", lambda r: r["link_id"] != link["link_id"])
    return f"{LINKS} row {row}, column link_id"


def _stays_positive(root):
    link, row = _polynomial(root)
    edit(root, "curves", index_of(root, "curves", link_id=link["link_id"]), coef_0="-100", coef_1="0", coef_2="0")
    return f"{LINKS} row {row}, column threshold"


def _sole_default(root):
    link, row = _polynomial(root)
    first = read_rows(root, "links")[0]
    append(root, "links", {**first, "link_id": "extra", "to_id": link["to_id"]})
    return f"{LINKS} rows {row}"


def _share_weights(root):
    i = next(i for i, r in enumerate(read_rows(root, "bearer_shares")) if r["weight_unit"] == "percent")
    edit(root, "bearer_shares", i, weight=str(float(read_rows(root, "bearer_shares")[i]["weight"]) + 20))
    return "unit_costs/bearer_shares.csv rows"


def _share_loop(root):
    first = read_rows(root, "bearer_shares")[0]
    row = append(
        root,
        "bearer_shares",
        {**first, "share_set": "loop_a", "bearer": "loop_b", "component": "", "weight": "1", "weight_unit": "share"},
        {**first, "share_set": "loop_b", "bearer": "loop_a", "component": "", "weight": "1", "weight_unit": "share"},
    )
    return f"unit_costs/bearer_shares.csv rows {row}, {row + 1}"


def _new_mediator(root, mediator_id):
    med = read_rows(root, "mediators")[0]
    return append(root, "mediators", {**med, "mediator_id": mediator_id, "kind": "amount", "baseline_share": ""})


def _acyclic(root):
    _new_mediator(root, "m2")
    walk = next(r for r in read_rows(root, "links") if r["from_id"] == "walking_minutes")
    append(
        root,
        "links",
        {**walk, "link_id": "pa_m2", "from_id": "physical_activity", "to_id": "m2", "exposure_unit": "MET-h/week"},
        {**walk, "link_id": "m2_pa", "from_id": "m2", "to_id": "physical_activity", "exposure_unit": "MET-h/week"},
    )
    return f"{LINKS} rows"


def _mediator_between(root):
    row = _new_mediator(root, "dead_end")
    walk = next(r for r in read_rows(root, "links") if r["from_id"] == "walking_minutes")
    append(root, "links", {**walk, "link_id": "walk_dead_end", "to_id": "dead_end"})
    return f"pathways/mediators.csv row {row}, column mediator_id"


def _life_table_outcome(root):
    acm = LIFE_TABLE_OUTCOME
    drop(root, "outcomes", lambda r: r["outcome_id"] != acm)
    write_rows(
        root, "outcomes", [{**r, "part_of": "" if r["part_of"] == acm else r["part_of"]} for r in read_rows(root, "outcomes")]
    )
    drop(root, "links", lambda r: r["to_id"] != acm and r["is_default"] == "yes")
    kept = {r["link_id"] for r in read_rows(root, "links")}
    drop(root, "curves", lambda r: r["link_id"] in kept)
    # A fatal outcome other than all deaths, reached by a default link.
    links = read_rows(root, "links")
    i = next(i for i, r in enumerate(links) if r["from_id"] == "pm25" and r["form"] == "log_linear")
    edit(root, "links", i, to_id="cvd_mortality", age_from="30")
    for table in ("unit_costs", "cost_coverage", "baseline_rates", "durations", "health_state_losses"):
        drop(root, table, lambda r: r["outcome_id"] != acm)
    return "pathways/outcomes.csv, column outcome_id"


def _rates(root):
    drop(root, "baseline_rates", lambda r: r["outcome_id"] != "stroke_incidence")
    return f"pathways/outcomes.csv row {row_of(root, 'outcomes', outcome_id='stroke_incidence')}, column outcome_id"


def _make_default(root, link_id, **changes):
    """Make an alternative a default that passes the table rules (design, contrast, outcome, a lag or a gaps row)."""
    i = index_of(root, "links", link_id=link_id)
    if not read_rows(root, "links")[i]["lag_id"]:
        append(root, "gaps", {"pathway": f"lag: {link_id}", "group": "all", "what_was_searched": "test", "why_out": "test"})
    return edit(
        root, "links", i, is_default="yes", causal_basis="longitudinal", contrast_match="same", outcome_match="same", **changes
    )


def _default_link(root, column, **changes):
    i = index_of(root, "links", is_default="yes")
    return f"{LINKS} row {edit(root, 'links', i, **changes)}, column {column}"


def _odds_risk(root):
    outcomes = {r["outcome_id"] for r in read_rows(root, "outcomes")}
    link = next(
        r for r in read_rows(root, "links") if r["is_default"] == "yes" and r["measure"] == "OR" and r["to_id"] in outcomes
    )
    # Only an event (which may recur) can have a rate above its per; a kind of outcome that cannot is refused by
    # values.rate_within_per first, so the outcome is made an event here.
    edit(root, "outcomes", index_of(root, "outcomes", outcome_id=link["to_id"]), kind="event")
    i = index_of(root, "baseline_rates", outcome_id=link["to_id"])
    rate = read_rows(root, "baseline_rates")[i]
    return f"pathways/baseline_rates.csv row {edit(root, 'baseline_rates', i, value=str(2 * float(rate['per'])))}, column value"


def _components(root):
    gone = read_rows(root, "cost_coverage")[0]
    drop(root, "cost_coverage", lambda r: r != gone)
    return f"pathways/outcomes.csv row {row_of(root, 'outcomes', outcome_id=gone['outcome_id'])}, column outcome_id"


def _first(table):
    """A mutation of the first record of a table (spreadsheet row 2), naming the column the problem is at."""

    def mutation(column, **changes):
        def mutate(root):
            from conftest import TABLES

            return f"{TABLES[table].path} row {edit(root, table, 0, **changes)}, column {column}"

        return mutate

    return mutation


link0, cost0, dur0 = _first("links"), _first("unit_costs"), _first("durations")
lag0, utility0 = _first("lags"), _first("utility_norms")
ob0 = _first("optimism_bias")


def _area_rows(root, share="1", code="E08000003"):
    """Give the library copy one district with one ICB row."""
    write_rows(
        root,
        "local_authorities",
        [
            {
                "vintage": "2024",
                "lad_code": "E08000003",
                "lad_name": "Manchester",
                "utla_code": "E08000003",
                "utla_name": "Manchester",
                "cauth_code": "E47000001",
                "cauth_name": "Greater Manchester",
                "source": "hmt_green_book_2022",
            }
        ],
    )
    write_rows(
        root,
        "lad_icb",
        [
            {
                "vintage": "2024",
                "lad_code": code,
                "sub_icb_code": "E38000217",
                "sub_icb_name": "x",
                "icb_code": "E54000057",
                "icb_name": "NHS Greater Manchester Integrated Care Board",
                "population_share": share,
                "source": "hmt_green_book_2022",
            }
        ],
    )
    return "areas/lad_icb.csv row 2"


def _unlisted_lag(root):
    """Blank the lag of the PM2.5 deaths link, which has no gaps row (it has a published lag)."""
    rows = read_rows(root, "links")
    k = next(i for i, r in enumerate(rows) if r["link_id"] == "pm25_allcause_mortality_chen_hoek")
    return f"{LINKS} row {edit(root, 'links', k, lag_id='')}, column lag_id"


#: rule id -> a mutation of a library copy that breaks it, returning the start of the problem's place.
CASES = {
    "ids.unique": lambda root: f"{LINKS} row {append(root, 'links', read_rows(root, 'links')[0])}, column link_id",
    "ids.unique_sources": lambda root: (
        f"unit_costs/sources.csv row {append(root, 'cost_sources', read_rows(root, 'pathway_sources')[0])}, column source_id"
    ),
    "ids.unique_nodes": lambda root: f"pathways/mediators.csv row {_new_mediator(root, 'pm25')}, column mediator_id",
    "provenance.source_resolves": cost0("source", source="nobody_2099"),
    "provenance.verification": link0("quoted_by", verification="primary", quoted_by="Someone 2020"),
    "provenance.extract_resolves": lambda root: (
        f"pathways/baseline_rates.csv row {edit(root, 'baseline_rates', 0, extract_id='nothing')}, column extract_id"
    ),
    # A folder on a machine, built from parts so that the test file itself names none.
    "provenance.no_machine_path": link0("copy_read", copy_read="/".join(["", "home", "someone", "khreis.pdf"])),
    "provenance.doi_or_url": lambda root: (
        f"pathways/sources.csv row {edit(root, 'pathway_sources', 0, doi='', url='')}, column doi"
    ),
    "values.interval": link0("interval_kind", central="1.5"),
    "values.sign": lambda root: f"pathways/population.csv row {edit(root, 'population', 0, persons='-1')}, column persons",
    "nodes.baseline_share": lambda root: (
        f"pathways/mediators.csv row {edit(root, 'mediators', 0, baseline_share='0.5')}, column baseline_share"
    ),
    "nodes.valid_bounds": _valid_bounds,
    "nodes.part_of_known": lambda root: (
        f"pathways/outcomes.csv row {edit(root, 'outcomes', index_of(root, 'outcomes', outcome_id='ihd_incidence'), part_of='nothing')}, column part_of"
    ),
    "nodes.part_of_loop": _part_of_loop,
    "ages.ordered": lambda root: f"pathways/outcomes.csv row {edit(root, 'outcomes', 0, age_from='200')}, column age_from",
    "ages.population_bands": lambda root: (
        drop(root, "population", lambda r: r["age_from"] != "0") or "pathways/population.csv rows"
    ),
    "links.ends_known": link0("to_id", to_id="no_such_outcome"),
    "links.unit_matches_characteristic": link0("exposure_unit", exposure_unit="mg/m3"),
    "links.central_given": link0("central", central="", low="", high=""),
    "links.measure_matches_form": link0("measure", measure="slope"),
    "links.target_matches_form": link0("to_id", to_id="physical_activity"),
    "links.source_matches_form": link0("form", form="proportion_exposed"),
    "links.value_positive": link0("central", central="0", low="", high=""),
    "links.increment": link0("increment", increment="0"),
    "links.threshold_given": link0("threshold", form="threshold_log_linear", threshold=""),
    "links.one_default_per_pair": lambda root: f"{LINKS} row {edit(root, 'links', 2, is_default='yes')}, column is_default",
    "links.default_causal": lambda root: _default_link(root, "causal_basis", causal_basis="association_only"),
    "links.default_contrast": lambda root: _default_link(root, "contrast_match", contrast_match="mismatch"),
    "links.default_outcome": lambda root: _default_link(root, "outcome_match", outcome_match="proxy"),
    "links.grade_scale": link0("grade", grade="convincing", grade_scale="GRADE"),
    "links.study_size": link0("study_size_unit", study_size="100", study_size_unit=""),
    "links.odds_risk_below_one": _odds_risk,
    "curves.link_is_polynomial": lambda root: (
        f"pathways/curves.csv row {edit(root, 'curves', 0, link_id=read_rows(root, 'links')[0]['link_id'])}, column link_id"
    ),
    "curves.given": _curves_given,
    "curves.stays_positive": _stays_positive,
    "curves.sole_default": _sole_default,
    "costs.bearer_known": cost0("bearer", bearer="nobody"),
    "costs.share_set_weights": _share_weights,
    "costs.share_sets_no_loop": _share_loop,
    "costs.outcome_known": cost0("outcome_id", outcome_id="no_such_outcome"),
    "costs.total_split": cost0("component", component="total"),
    "costs.price_year_indexed": cost0("price_year", price_year="1900"),
    "costs.phase_duration": lambda root: (
        f"unit_costs/unit_costs.csv row {edit(root, 'unit_costs', index_of(root, 'unit_costs', outcome_id='ihd_incidence'), basis='per_case_year', phase='')}, column phase"
    ),
    "costs.severity_mix": lambda root: (
        f"unit_costs/health_state_losses.csv row {edit(root, 'health_state_losses', 0, share_of_cases='1.5')}, column share_of_cases"
    ),
    "costs.loss_valued": lambda root: (
        write_rows(root, "parameters", []) or "unit_costs/health_state_losses.csv row 2, column unit"
    ),
    "discounting.schedules": lambda root: (
        drop(root, "discount_rates", lambda r: (r["schedule"], r["year_from"]) != ("standard", "31"))
        or "unit_costs/discount_rates.csv rows"
    ),
    "discounting.rate_fraction": lambda root: (
        f"unit_costs/discount_rates.csv row {edit(root, 'discount_rates', 0, rate='1.5')}, column rate"
    ),
    "bands.parent": lambda root: (
        f"pathways/characteristics.csv row {edit(root, 'characteristics', index_of(root, 'characteristics', characteristic_id='road_noise_lden_55_59'), band_of='no_such_level')}, column band_of"
    ),
    "bands.direct": lambda root: f"{LINKS} row {_make_default(root, 'lnight_insomnia_dfa_evandt2017')}, column to_id",
    "lags.known": link0("lag_id", lag_id="no_such_lag"),
    "lags.profile": lag0("cumulative_share", cumulative_share="1.5"),
    "lags.unpublished_listed": lambda root: _unlisted_lag(root),
    "utility.range": utility0("utility", utility="1.2"),
    "value_types.cover": lambda root: (
        drop(root, "value_types", lambda r: r["component"] != "healthcare"),
        "unit_costs/value_types.csv",
    )[1],
    "optimism_bias.bounds": ob0("lower_percent", lower_percent="90"),
    "vfm.bands": lambda root: (edit(root, "vfm_categories", 1, bcr_from="1.2"), "unit_costs/vfm_categories.csv rows")[1],
    "areas.codes": lambda root: _area_rows(root, code="W06000015") + ", column lad_code",
    "areas.shares": lambda root: _area_rows(root, share="0.5").replace("row 2", "rows 2") + ", column population_share",
    "values.rate_within_per": lambda root: (
        f"pathways/baseline_rates.csv row {edit(root, 'baseline_rates', index_of(root, 'baseline_rates', outcome_id='stroke_incidence'), value='200000')}, column value"
    ),
    "values.money": lambda root: (
        f"unit_costs/parameters.csv row {edit(root, 'parameters', index_of(root, 'parameters', parameter_id='value_of_qaly'), value='1e300')}, column value"
    ),
    "values.life_expectancy": lambda root: (
        f"pathways/life_expectancy.csv row {edit(root, 'life_expectancy', 0, life_expectancy_years='500')}, column life_expectancy_years"
    ),
    "parameters.required": lambda root: (
        drop(root, "parameters", lambda r: r["parameter_id"] != "value_of_qaly_health_system"),
        "unit_costs/parameters.csv",
    )[1],
    "durations.outcome_known": dur0("outcome_id", outcome_id="no_such_outcome"),
    "durations.not_death": dur0("outcome_id", outcome_id=LIFE_TABLE_OUTCOME),
    "durations.length": dur0("value", unit=""),
    "durations.no_overlap": lambda root: (
        f"pathways/durations.csv row {append(root, 'durations', {**read_rows(root, 'durations')[0], 'age_to': str(int(read_rows(root, 'durations')[0]['age_to']) + 1)})}, column age_from"
    ),
    "graph.acyclic": _acyclic,
    "graph.mediator_between": _mediator_between,
    "graph.one_measure_per_outcome": lambda root: (
        _make_default(root, "walkability_t2d_denbraver2018", overlap_group="") and f"{LINKS} rows"
    ),
    "graph.total_effect_once": lambda root: _make_default(root, "greenness_mortality_rojasrueda2019") and f"{LINKS} rows",
    "graph.counted_once": lambda root: (
        edit(root, "outcomes", index_of(root, "outcomes", outcome_id="ihd_incidence"), part_of=LIFE_TABLE_OUTCOME)
        and f"{LINKS} rows"
    ),
    "coverage.life_table_outcome": _life_table_outcome,
    "coverage.rates": _rates,
    "coverage.rate_outcome_known": lambda root: (
        f"pathways/baseline_rates.csv row {edit(root, 'baseline_rates', 0, outcome_id='no_such_outcome')}, column outcome_id"
    ),
    "coverage.marks": lambda root: (
        f"unit_costs/cost_coverage.csv row {append(root, 'cost_coverage', {'outcome_id': 'ihd_incidence', 'component': 'healthcare', 'age_from': '40', 'age_to': '70', 'status': 'not_found', 'reason': 'x'})}, column component"
    ),
    "coverage.components": _components,
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_each_rule_refuses_the_library_that_breaks_it(library_copy, rule_id):
    place = CASES[rule_id](library_copy)
    with pytest.raises(LibraryError) as info:
        load_library(library_copy)
    code = f"library.{rule_id}"
    found = [str(p.place) for p in info.value.problems if p.code == code]
    assert found, info.value.codes
    assert any(f.startswith(place) for f in found), (place, found)


def test_every_registered_rule_has_a_case_that_breaks_it():
    assert set(CASES) == set(RULES)


def test_every_rule_has_its_code_and_statement_in_the_registry_of_codes():
    from appraisal.errors import CODES

    assert {f"library.{r.id}": r.statement.rstrip(".") for r in RULES.values()}.items() <= CODES.items()
