"""Shared fixtures: the shipped library, and a tiny hand-checkable library written for tests.

The tiny library's numbers are test inputs chosen to make hand-worked answers
easy; they are not evidence and live only in the temporary folders tests make.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from appraisal import load_library, make_proposal
from appraisal.evidence.library import bundled_root
from appraisal.evidence.schemas import COSTED_COMPONENTS, TABLES

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "riverside.yaml"


@pytest.fixture(scope="session")
def library():
    return load_library()


@pytest.fixture()
def library_copy(tmp_path):
    """A writable copy of the shipped library."""
    root = bundled_root()
    for folder in ("pathways", "unit_costs", "areas"):
        shutil.copytree(root / folder, tmp_path / folder)
    return tmp_path


def read_rows(root: Path, table: str) -> list[dict]:
    with open(root / TABLES[table].path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_rows(root: Path, table: str, rows: list[dict], columns: list[str] | None = None) -> None:
    """Write a table; its sidecar keeps only the quotes and notes of rows still in it (as an editor would)."""
    cols = columns or list(TABLES[table].columns)
    path = root / TABLES[table].path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})
    sidecar = TABLES[table].sidecar
    if sidecar and (root / sidecar).is_file():
        key = TABLES[table].key
        present = {tuple(r.get(k, "") for k in key) for r in rows}
        with open(root / sidecar, newline="", encoding="utf-8") as fh:
            notes = list(csv.DictReader(fh))
        with open(root / sidecar, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=[*key, "quote", "notes"], lineterminator="\n")
            w.writeheader()
            for n in notes:
                if tuple(n[k] for k in key) in present:
                    w.writerow(n)


PROV = {"source": "t", "locator": "test", "verification": "primary", "transform": "none"}
#: What a test link says about its study, unless the test says otherwise.
LINK_STUDY = {
    "study_design": "cohort",
    "causal_basis": "longitudinal",
    "contrast_exposed": "test",
    "contrast_reference": "test",
    "contrast_match": "same",
    "outcome_measured": "test",
    "outcome_match": "same",
    "grade": "not_graded",
    "grade_scale": "none",
    "default_reason": "test",
    "sex": "persons",
    "population_exposed": "residents",
}


def test_link(link: dict) -> dict:
    """A link row with the study columns filled and its interval kind from its interval."""
    row = {
        "age_from": "18",
        "age_to": "120",
        "is_default": "yes",
        "threshold": "",
        "low": "",
        "high": "",
        **LINK_STUDY,
        **PROV,
        **link,
    }
    row.setdefault("interval_kind", "ci95" if row["low"] != "" and row["high"] != "" else "none")
    return row


def tiny_library(root: Path, links: list[dict], extra_chars: list[dict] = ()) -> Path:
    """A small library for hand-worked tests, written into ``root``.

    Population: 500 males and 500 females at every single year of age 0..99 (100,000 people).
    Outcome ``o`` (incidence, ages 0-120) has baseline rate 10 per 1,000 a year at every age;
    outcome ``death`` (fatal) has q = 0.01 at every age. Unit costs: ``o`` costs £1,000 per
    case to the NHS (price year 2020); ``death`` costs £50,000 per QALY lost to households. No
    lags (every effect in full from its first year) and no utility norms (a life-year is a QALY).
    Price index: 2020 = 80, 2024 = 100. Discounting: standard 3.5% (years 0-30) then 3.0%;
    health 1.5% (years 0-30) then 1.29%.
    """
    write_rows(
        root,
        "pathway_sources",
        [
            {
                "source_id": "t",
                "authors": "Test",
                "year": "2024",
                "title": "test fixture",
                "journal_or_publisher": "tests",
                "url": "https://example.org",
            }
        ],
    )
    write_rows(root, "cost_sources", [])
    chars = [
        {
            "characteristic_id": "x",
            "name": "Exposure x",
            "group": "natural_environment",
            "metric": "x",
            "unit": "u",
            "value_kind": "amount",
            "valid_min": "0",
            "how_to_measure": "test",
            **PROV,
        },
        {
            "characteristic_id": "share",
            "name": "Share exposed",
            "group": "housing_indoor",
            "metric": "s",
            "unit": "share (0-1)",
            "value_kind": "share",
            "valid_min": "0",
            "valid_max": "1",
            "how_to_measure": "test",
            **PROV,
        },
        {
            "characteristic_id": "walk",
            "name": "Walking",
            "group": "transport",
            "metric": "w",
            "unit": "minutes/week",
            "value_kind": "amount",
            "valid_min": "0",
            "how_to_measure": "test",
            **PROV,
        },
        *extra_chars,
    ]
    write_rows(root, "characteristics", [{"construct": c["characteristic_id"], "bounds_basis": "test", **c} for c in chars])
    write_rows(
        root,
        "mediators",
        [{"mediator_id": "pa", "name": "Activity", "unit": "MET-h/week", "kind": "amount", "description": "test", **PROV}],
    )
    write_rows(root, "links", [test_link(link) for link in links])
    write_rows(root, "extracts", [{"extract_id": "t_rates", "what_it_holds": "test rates", **PROV}])
    rate = {
        "age_from": "0",
        "age_to": "120",
        "sex": "persons",
        "year": "2024",
        "geography": "test",
        "extract_id": "t_rates",
        "locator": "test",
        "transform": "none",
    }
    write_rows(
        root,
        "baseline_rates",
        [
            {**rate, "outcome_id": "o", "value": "10", "per": "1000"},
            {**rate, "outcome_id": "all_cause_mortality", "value": "1", "per": "100"},
            {**rate, "outcome_id": "death", "value": "1", "per": "100"},
        ],
    )
    write_rows(
        root,
        "outcomes",
        [
            {
                "outcome_id": "o",
                "name": "Outcome o",
                "kind": "incidence",
                "fatal": "no",
                "age_from": "0",
                "age_to": "120",
                **PROV,
            },
            {"outcome_id": "death", "name": "Death", "kind": "death", "fatal": "yes", "age_from": "0", "age_to": "120", **PROV},
            {
                "outcome_id": "all_cause_mortality",
                "name": "Life table",
                "kind": "death",
                "fatal": "yes",
                "age_from": "0",
                "age_to": "120",
                **PROV,
            },
        ],
    )
    write_rows(root, "durations", [])
    write_rows(
        root,
        "population",
        [
            {"age_from": str(a), "age_to": str(a), "sex": s, "persons": "500", "year": "2024", "geography": "test", **PROV}
            for a in range(100)
            for s in ("male", "female")
        ],
    )
    write_rows(root, "life_expectancy", [])
    write_rows(root, "lags", [])
    write_rows(root, "utility_norms", [])
    cost = {
        "delay_years": "",
        "per": "",
        "low": "",
        "high": "",
        "interval_kind": "none",
        "age_from": "0",
        "age_to": "120",
        "population_described": "test",
        "weighting": "as_printed",
        **PROV,
    }
    write_rows(
        root,
        "unit_costs",
        [
            {
                **cost,
                "cost_id": "o_nhs",
                "outcome_id": "o",
                "component": "healthcare",
                "bearer": "nhs",
                "basis": "per_case",
                "value": "1000",
                "price_year": "2020",
            },
            {
                **cost,
                "cost_id": "d_ly",
                "outcome_id": "death",
                "component": "mortality",
                "bearer": "households",
                "basis": "per_qaly_lost",
                "value": "50000",
                "price_year": "2024",
            },
        ],
    )
    write_rows(root, "health_state_losses", [])
    write_rows(root, "curves", [])
    write_rows(
        root,
        "parameters",
        [
            {
                "parameter_id": "value_of_qaly",
                "value": "50000",
                "interval_kind": "none",
                "unit": "GBP per QALY",
                "price_year": "2024",
                **PROV,
            },
            {
                "parameter_id": "value_of_qaly_health_system",
                "value": "15000",
                "interval_kind": "none",
                "unit": "GBP per QALY",
                "price_year": "2024",
                **PROV,
            },
        ],
    )
    # How each flow counts, and the business-case tables, as shipped; no area lookups.
    tiny_bearers = ("nhs", "households", "employers")
    write_rows(
        root,
        "value_types",
        [{**r, "source": "t"} for r in read_rows(bundled_root(), "value_types") if r["bearer"] in tiny_bearers],
    )
    for name in ("optimism_bias", "vfm_categories"):
        write_rows(root, name, [{**r, "source": "t"} for r in read_rows(bundled_root(), name)])
    for name in ("area_sources", "local_authorities", "lad_icb", "code_history"):
        write_rows(root, name, [])
    # The tiny library's links have no published lag: each says so in the gaps table, as the library requires.
    write_rows(
        root,
        "gaps",
        [
            {"pathway": f"lag: {link['link_id']}", "group": "all", "what_was_searched": "test", "why_out": "test"}
            for link in links
        ],
    )
    write_rows(
        root,
        "cost_coverage",
        [
            {"outcome_id": o, "component": c, "age_from": "0", "age_to": "120", "status": "not_found", "reason": "test"}
            for o, costed in (("o", "healthcare"), ("death", "mortality"), ("all_cause_mortality", ""))
            for c in COSTED_COMPONENTS
            if c != costed
        ],
    )
    write_rows(
        root,
        "bearers",
        [
            {"bearer_id": "nhs", "name": "NHS", "definition": "test", **PROV},
            {"bearer_id": "households", "name": "Households", "definition": "test", **PROV},
            {"bearer_id": "employers", "name": "Employers", "definition": "test", **PROV},
        ],
    )
    write_rows(root, "bearer_shares", [])
    write_rows(
        root,
        "discount_rates",
        [
            {"schedule": "standard", "year_from": "0", "year_to": "30", "rate": "0.035", **PROV},
            {"schedule": "standard", "year_from": "31", "year_to": "75", "rate": "0.03", **PROV},
            {"schedule": "health", "year_from": "0", "year_to": "30", "rate": "0.015", **PROV},
            {"schedule": "health", "year_from": "31", "year_to": "75", "rate": "0.0129", **PROV},
        ],
    )
    write_rows(
        root,
        "price_index",
        [
            {"year": "2020", "gdp_deflator": "80", "base_year": "2024", "vintage": "test", **PROV},
            {"year": "2024", "gdp_deflator": "100", "base_year": "2024", "vintage": "test", **PROV},
        ],
    )
    return root


def tiny_proposal(library, baseline: dict, options: dict, **settings):
    data = {
        "site": {"name": "Test site"},
        "population": {"total": 100_000},
        "occupancy": {2030: 1.0},
        "baseline": baseline,
        "options": options,
        "settings": {"start_year": 2030, "period_years": 1, "price_year": 2024, **settings},
    }
    return make_proposal(data, library)
