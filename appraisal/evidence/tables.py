"""One schema per evidence table, declared once, and a lazy reader.

Every table is a CSV file with a header row. The reader checks each cell
against its column's rule and collects every failure (file, row, column,
value, rule) before giving up, so a broken library is reported whole.
Row numbers are spreadsheet rows: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from appraisal.errors import Problem

GROUPS = (
    "housing_indoor",
    "natural_environment",
    "transport",
    "community_infrastructure",
    "socio_economic",
    "climate",
)
OUTCOME_KINDS = ("death", "incidence", "prevalence", "event", "wellbeing")
FORMS = ("log_linear", "threshold_log_linear", "proportion_exposed", "linear", "power", "polynomial")
MEASURES = ("RR", "HR", "OR", "slope", "exponent", "percent")
COMPONENTS = (
    "healthcare",
    "social_care",
    "informal_care",
    "productivity",
    "out_of_pocket",
    "quality_of_life",
    "mortality",
    "welfare",
    "public_services",
)
#: The components every outcome must account for: a cited unit cost, or a row of
#: ``unit_costs/cost_coverage.csv`` saying it is not applicable or was not found.
COSTED_COMPONENTS = COMPONENTS[:7]
COVERAGE_STATUSES = ("not_applicable", "not_found")
LOSS_UNITS = ("QALY", "disability weight", "life satisfaction points")
LOSS_BASES = ("per_case", "per_case_year")
#: A unit cost whose source gives only the total, split into components by its share set.
TOTAL_COMPONENT = "total"
BASES = ("per_case", "per_death", "per_case_year", "per_life_year_lost")
SEXES = ("persons", "male", "female")
YES_NO = ("yes", "no")
SCHEDULES = ("standard", "health")
#: Units a typical duration may be printed in, and their length in years.
DURATION_UNITS = {"days": 1 / 365.25, "weeks": 7 / 365.25, "months": 1 / 12, "years": 1.0}
#: What a typical duration states: an average, a duration printed without saying
#: which average (`stated`), a length set by guidance (e.g. a
#: course of treatment), or that the condition lasts for the rest of life.
DURATION_STATISTICS = ("mean", "median", "stated", "standard_length", "lifelong")


@dataclass(frozen=True)
class Column:
    """A column's rule.

    kind is ``text``, ``number`` (finite float), ``integer`` or ``choice``.
    A required column may not be blank; an optional one may.
    """

    name: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table of the evidence library: its file and its columns."""

    name: str
    path: str
    key: str | None
    columns: tuple[Column, ...]


def _provenance() -> tuple[Column, ...]:
    """Where a row's numbers were read: every evidence table ends with these columns."""
    return (
        Column("source"),
        Column("locator"),
        Column("verified_in"),
        Column("quote", required=False),
        Column("notes", required=False),
    )


def _c(name: str, kind: str = "text", required: bool = True, choices: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, required, choices)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "pathway_sources",
            "pathways/sources.csv",
            "source_id",
            (
                _c("source_id"),
                _c("authors"),
                _c("year", "integer", required=False),
                _c("title"),
                _c("journal_or_publisher"),
                _c("doi", required=False),
                _c("url", required=False),
                _c("accessed_copy", required=False),
            ),
        ),
        Table(
            "characteristics",
            "pathways/characteristics.csv",
            "characteristic_id",
            (
                _c("characteristic_id"),
                _c("name"),
                _c("group", "choice", choices=GROUPS),
                _c("metric"),
                _c("unit"),
                _c("valid_min", "number", required=False),
                _c("valid_max", "number", required=False),
                _c("how_to_measure"),
                _c("typical_england_value", "number", required=False),
                _c("typical_year", "integer", required=False),
            )
            + _provenance(),
        ),
        Table(
            "mediators",
            "pathways/mediators.csv",
            "mediator_id",
            (_c("mediator_id"), _c("name"), _c("unit"), _c("description"), _c("baseline_share", "number", required=False))
            + _provenance(),
        ),
        Table(
            "outcomes",
            "pathways/outcomes.csv",
            "outcome_id",
            (
                _c("outcome_id"),
                _c("name"),
                _c("kind", "choice", choices=OUTCOME_KINDS),
                _c("icd10", required=False),
                _c("fatal", "choice", choices=YES_NO),
                _c("age_from", "integer"),
                _c("age_to", "integer"),
                _c("part_of", required=False),
            )
            + _provenance(),
        ),
        Table(
            "durations",
            "pathways/durations.csv",
            "outcome_id",
            (
                _c("outcome_id"),
                _c("statistic", "choice", choices=DURATION_STATISTICS),
                _c("value", "number", required=False),
                _c("low", "number", required=False),
                _c("high", "number", required=False),
                _c("unit", "choice", required=False, choices=tuple(DURATION_UNITS)),
                _c("what_it_measures"),
                _c("population"),
            )
            + _provenance(),
        ),
        Table(
            "links",
            "pathways/links.csv",
            "link_id",
            (
                _c("link_id"),
                _c("from_id"),
                _c("to_id"),
                _c("form", "choice", choices=FORMS),
                _c("measure", "choice", choices=MEASURES),
                _c("central", "number", required=False),
                _c("low", "number", required=False),
                _c("high", "number", required=False),
                _c("increment", "number", required=False),
                _c("exposure_unit"),
                _c("threshold", "number", required=False),
                _c("age_from", "integer"),
                _c("age_to", "integer"),
                _c("evidence_grade", required=False),
                _c("grade_scale", required=False),
                _c("overlap_group", required=False),
                _c("is_default", "choice", choices=YES_NO),
            )
            + _provenance(),
        ),
        Table(
            "curves",
            "pathways/curves.csv",
            "link_id",
            (
                _c("link_id"),
                _c("coef_0", "number"),
                _c("coef_1", "number"),
                _c("coef_2", "number"),
                _c("curve_unit", "choice", choices=("percent",)),
            )
            + _provenance(),
        ),
        Table(
            "baseline_rates",
            "pathways/baseline_rates.csv",
            None,
            (
                _c("outcome_id"),
                _c("age_from", "integer"),
                _c("age_to", "integer"),
                _c("sex", "choice", choices=SEXES),
                _c("value", "number"),
                _c("per", "number"),
                _c("year"),
                _c("geography"),
            )
            + _provenance(),
        ),
        Table(
            "population",
            "pathways/population.csv",
            None,
            (
                _c("age_from", "integer"),
                _c("age_to", "integer"),
                _c("sex", "choice", choices=SEXES),
                _c("persons", "number"),
                _c("year"),
                _c("geography"),
            )
            + _provenance(),
        ),
        Table(
            "life_expectancy",
            "pathways/life_expectancy.csv",
            None,
            (
                _c("age", "integer"),
                _c("sex", "choice", choices=SEXES),
                _c("life_expectancy_years", "number"),
                _c("period"),
                _c("geography"),
            )
            + _provenance(),
        ),
        Table(
            "cost_sources",
            "unit_costs/sources.csv",
            "source_id",
            (
                _c("source_id"),
                _c("authors"),
                _c("year", "integer", required=False),
                _c("title"),
                _c("journal_or_publisher"),
                _c("doi", required=False),
                _c("url", required=False),
                _c("accessed_copy", required=False),
            ),
        ),
        Table(
            "unit_costs",
            "unit_costs/unit_costs.csv",
            "cost_id",
            (
                _c("cost_id"),
                _c("outcome_id"),
                _c("component", "choice", choices=COMPONENTS + (TOTAL_COMPONENT,)),
                _c("bearer"),
                _c("basis", "choice", choices=BASES),
                _c("duration_years", "number", required=False),
                _c("delay_years", "integer", required=False),
                _c("value", "number"),
                _c("per", "number", required=False),
                _c("low", "number", required=False),
                _c("high", "number", required=False),
                _c("price_year", "integer"),
                _c("age_from", "integer"),
                _c("age_to", "integer"),
            )
            + _provenance(),
        ),
        Table(
            "health_state_losses",
            "unit_costs/health_state_losses.csv",
            None,
            (
                _c("outcome_id"),
                _c("loss", "number"),
                _c("low", "number", required=False),
                _c("high", "number", required=False),
                _c("unit", "choice", choices=LOSS_UNITS),
                _c("basis", "choice", choices=LOSS_BASES),
                _c("duration_years", "number", required=False),
                _c("age_from", "integer"),
                _c("age_to", "integer"),
            )
            + _provenance(),
        ),
        Table(
            "parameters",
            "unit_costs/parameters.csv",
            "parameter_id",
            (
                _c("parameter_id"),
                _c("value", "number"),
                _c("low", "number", required=False),
                _c("high", "number", required=False),
                _c("unit"),
                _c("price_year", "integer"),
            )
            + _provenance(),
        ),
        Table(
            "cost_coverage",
            "unit_costs/cost_coverage.csv",
            None,
            (
                _c("outcome_id"),
                _c("component", "choice", choices=COSTED_COMPONENTS),
                _c("status", "choice", choices=COVERAGE_STATUSES),
                _c("reason"),
            ),
        ),
        Table(
            "gaps",
            "pathways/gaps.csv",
            None,
            (
                _c("pathway"),
                _c("group", "choice", choices=GROUPS + ("all",)),
                _c("what_was_searched"),
                _c("why_out"),
            ),
        ),
        Table(
            "bearers",
            "unit_costs/bearers.csv",
            "bearer_id",
            (_c("bearer_id"), _c("name"), _c("definition")) + _provenance(),
        ),
        Table(
            "bearer_shares",
            "unit_costs/bearer_shares.csv",
            None,
            (
                _c("share_set"),
                _c("bearer"),
                _c("component", "choice", required=False, choices=COMPONENTS),
                _c("weight", "number"),
                _c("weight_unit"),
            )
            + _provenance(),
        ),
        Table(
            "discount_rates",
            "unit_costs/discount_rates.csv",
            None,
            (
                _c("schedule", "choice", choices=SCHEDULES),
                _c("year_from", "integer"),
                _c("year_to", "integer"),
                _c("rate", "number"),
            )
            + _provenance(),
        ),
        Table(
            "price_index",
            "unit_costs/price_index.csv",
            "year",
            (
                _c("year", "integer"),
                _c("gdp_deflator", "number"),
                _c("base_year", "integer"),
                _c("vintage"),
            )
            + _provenance(),
        ),
    )
}


def _cell_problem(col: Column, raw: str) -> str | None:
    """The rule a cell breaks, or None."""
    if raw == "":
        return "must not be blank" if col.required else None
    if col.kind == "number":
        try:
            x = float(raw)
        except ValueError:
            return f"must be a number, found {raw!r}"
        if not math.isfinite(x):
            return f"must be a finite number, found {raw!r}"
    elif col.kind == "integer":
        try:
            int(raw)
        except ValueError:
            return f"must be a whole number, found {raw!r}"
    elif col.kind == "choice" and raw not in col.choices:
        return f"must be one of {', '.join(col.choices)}; found {raw!r}"
    return None


def read_table(root: Path, table: Table, problems: list[Problem]) -> pd.DataFrame:
    """Read one table, appending every broken cell to ``problems``.

    Returns a DataFrame with typed columns (numbers as float, integers as
    nullable Int64, text as str with blanks as ""), plus a ``_row`` column
    holding the spreadsheet row number for later checks. Rows with broken
    cells are kept (their broken cells become missing) so that later
    checks still see every id; the library is refused anyway because
    ``problems`` is not empty.
    """
    path = root / table.path
    names = [c.name for c in table.columns]
    if not path.is_file():
        problems.append(Problem(table.path, "file is missing"))
        return pd.DataFrame(columns=names + ["_row"])
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(table.path, f"cannot be read as a UTF-8 CSV file ({exc})"))
        return pd.DataFrame(columns=names + ["_row"])
    if not rows:
        problems.append(Problem(table.path, "file is empty: it needs a header row"))
        return pd.DataFrame(columns=names + ["_row"])
    header = [h.strip() for h in rows[0]]
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    if missing:
        problems.append(Problem(table.path, f"missing column(s): {', '.join(missing)}"))
    if extra:
        problems.append(
            Problem(table.path, f"unknown column(s): {', '.join(extra)}; allowed: {', '.join(names)}")
        )
    if missing:
        return pd.DataFrame(columns=names + ["_row"])
    index = {h: i for i, h in enumerate(header)}
    records = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    f"{table.path} row {line_no}",
                    f"has {len(row)} cells but the header has {len(header)}",
                )
            )
            continue
        rec: dict[str, object] = {"_row": line_no}
        for col in table.columns:
            raw = row[index[col.name]].strip()
            rule = _cell_problem(col, raw)
            if rule:
                problems.append(Problem(f"{table.path} row {line_no}, column {col.name}", rule))
                raw = ""
            if col.kind == "number":
                rec[col.name] = float(raw) if raw else math.nan
            elif col.kind == "integer":
                rec[col.name] = int(raw) if raw else pd.NA
            else:
                rec[col.name] = raw
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=names + ["_row"])
    for col in table.columns:
        if col.kind == "integer":
            frame[col.name] = frame[col.name].astype("Int64")
        elif col.kind == "number":
            frame[col.name] = frame[col.name].astype(float)
        else:
            frame[col.name] = frame[col.name].astype(object)
    return frame
