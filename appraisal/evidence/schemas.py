"""One pandera schema per evidence table, declared once, and the vocabularies they use.

Each table is read with every cell as text; its schema checks the text (blank,
number, whole number, one of a fixed vocabulary) lazily, so every failure of
every table is reported together, and :mod:`appraisal.evidence.reading` then
coerces each column by its kind (``metadata["kind"]``: ``text``, ``number``,
``integer``, ``choice`` or ``yes_no``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandera.pandas as pa
from pandera import extensions
from pandera.typing import Series

GROUPS = (
    "housing_indoor",
    "natural_environment",
    "transport",
    "community_infrastructure",
    "socio_economic",
    "climate",
)
OUTCOME_KINDS = ("death", "incidence", "prevalence", "event", "wellbeing")
#: Outcome kinds whose cases are the people in a state in a year, counted again each year it lasts
#: (so a cost or loss per case-year lasts that year, and names no phase of pathways/durations.csv).
STATE_KINDS = ("prevalence", "wellbeing")
#: What a change in an outcome of each kind counts, in the words the outputs use.
OUTCOME_MEASURES = {
    "death": "deaths",
    "incidence": "new cases",
    "event": "events",
    "prevalence": "person-years with the condition",
    "wellbeing": "person-years in the state",
}
FORMS = ("log_linear", "threshold_log_linear", "proportion_exposed", "linear", "power", "polynomial")
MEASURES = ("RR", "HR", "OR", "slope", "exponent", "percent")
#: What a characteristic's or mediator's value is: an amount in its unit, or a share of people (0-1).
VALUE_KINDS = ("amount", "share")
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
BASES = ("per_case", "per_death", "per_case_year", "per_qaly_lost")
SEXES = ("persons", "male", "female")
YES_NO = ("yes", "no")
SCHEDULES = ("standard", "health")
#: Units a typical duration may be printed in, and their length in years.
DURATION_UNITS = {"days": 1 / 365.25, "weeks": 7 / 365.25, "months": 1 / 12, "years": 1.0}
#: What a typical duration states: an average, a duration printed without saying
#: which average (`stated`), a length set by guidance (e.g. a
#: course of treatment), or that the condition lasts for the rest of life.
DURATION_STATISTICS = ("mean", "median", "stated", "standard_length", "lifelong")
#: How a row's number was checked: in the source itself, or as quoted by someone else.
VERIFICATIONS = ("primary", "secondary")
#: What a row's ``low`` and ``high`` are; the Monte Carlo draws each kind its own way.
INTERVAL_KINDS = ("ci95", "credible95", "scenario_range", "min_max", "none")
#: The design of the study (or studies) behind a link's estimate.
STUDY_DESIGNS = (
    "meta_analysis_cohorts",
    "meta_analysis_trials",
    "meta_analysis_mixed",
    "meta_analysis_cross_sectional",
    "pooled_cohorts",
    "cohort",
    "trial",
    "case_control",
    "cross_sectional",
    "time_series",
    "natural_experiment",
    "ecological",
    "survey_curve",
    "physiological_values",
    "model",
)
#: Why a link may be read as causal: longitudinal or experimental evidence, or use as causal by a
#: body that appraises (named in ``appraising_body``); otherwise an association only.
CAUSAL_BASES = ("longitudinal", "experimental", "appraising_body", "association_only")
#: A link's contrast (or outcome) against the characteristic's metric (or the engine's outcome).
CONTRAST_MATCHES = ("same", "converted", "mismatch")
OUTCOME_MATCHES = ("same", "study_narrower", "study_wider", "proxy")
#: Who a link's evidence applies to among the site's residents (within its ages and sex). Road users on the
#: site's streets: only the share of residents' road risk that arises there (a setting) is moved.
POPULATIONS_EXPOSED = ("residents", "adults", "children", "older_people", "pregnancies", "road_users_on_site_streets")
LINK_SEXES = ("persons", "male", "female")
STUDY_SIZE_UNITS = ("participants", "events")
#: Certainty grades, by the scale that gives them.
GRADE_SCALES: dict[str, tuple[str, ...]] = {
    "GRADE": ("high", "moderate", "low", "very_low"),
    "OHAT": ("high", "moderate", "low", "very_low"),
    "WHO_ENG_quality": ("high", "moderate", "low", "very_low"),
    "umbrella_credibility": ("convincing", "highly_suggestive", "suggestive", "weak"),
    "none": ("not_graded",),
}
GRADES = tuple(dict.fromkeys(g for grades in GRADE_SCALES.values() for g in grades))
#: How a cost's value was formed from the source.
WEIGHTINGS = ("as_printed", "activity_weighted_mean", "total_over_count", "sum_of_components")


# ---- checks on a cell's text (a blank optional cell passes every check but not_blank) ----------


@extensions.register_check_method(check_type="element_wise")
def not_blank(cell: str) -> bool:
    """A required cell holds something."""
    return cell != ""


@extensions.register_check_method(check_type="element_wise")
def number(cell: str) -> bool:
    """The cell is a finite number, or blank."""
    if cell == "":
        return True
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


@extensions.register_check_method(check_type="element_wise")
def whole_number(cell: str) -> bool:
    """The cell is a whole number, or blank."""
    if cell == "":
        return True
    try:
        int(cell)
    except ValueError:
        return False
    return True


@extensions.register_check_method(statistics=["choices"], check_type="element_wise")
def one_of(cell: str, *, choices: tuple[str, ...]) -> bool:
    """The cell is one of a fixed vocabulary, or blank."""
    return cell == "" or cell in choices


def _field(kind: str, required: bool, **checks: Any) -> Any:
    if required:
        checks["not_blank"] = ()
    return pa.Field(metadata={"kind": kind}, **checks)


def text(*, required: bool = True) -> Any:
    """A text column."""
    return _field("text", required)


def real(*, required: bool = False) -> Any:
    """A column of finite numbers, read as float (blank: NaN)."""
    return _field("number", required, number=())


def whole(*, required: bool = True) -> Any:
    """A column of whole numbers, read as nullable Int64 (blank: missing)."""
    return _field("integer", required, whole_number=())


def choice(choices: tuple[str, ...], *, required: bool = True) -> Any:
    """A column whose cells come from a fixed vocabulary."""
    return _field("choice", required, one_of={"choices": tuple(choices)})


def yes_no() -> Any:
    """A ``yes``/``no`` column, read as a boolean."""
    return _field("yes_no", True, one_of={"choices": YES_NO})


class _Table(pa.DataFrameModel):
    """Every evidence table: cells as text; columns in any order; unknown columns refused by the reader."""

    class Config:
        strict = False
        coerce = False


#: The provenance columns, which end every evidence table that has them. The words a number was
#: read in (``quote``) and any longer note are in the table's sidecar (:data:`SIDECAR_COLUMNS`).
PROVENANCE = ("source", "locator", "verification", "copy_read", "quoted_by", "transform")
#: The columns of a sidecar, after the table's key columns.
SIDECAR_COLUMNS = ("quote", "notes")


class _Read(_Table):
    """How a row's numbers were read: in the source or as quoted, the copy, who quoted it, and any change made."""

    locator: Series[str] = text()
    verification: Series[str] = choice(VERIFICATIONS)
    copy_read: Series[str] = text(required=False)
    quoted_by: Series[str] = text(required=False)
    transform: Series[str] = text()


class _Provenance(_Read):
    """Where a row's numbers were read: every evidence table ends with these columns."""

    source: Series[str] = text()


class Sources(_Table):
    """``pathways/sources.csv`` and ``unit_costs/sources.csv``: one row per publication."""

    source_id: Series[str] = text()
    authors: Series[str] = text()
    year: Series[str] = whole(required=False)
    title: Series[str] = text()
    journal_or_publisher: Series[str] = text()
    doi: Series[str] = text(required=False)
    url: Series[str] = text(required=False)
    accessed_copy: Series[str] = text(required=False)


class Characteristics(_Provenance):
    """``pathways/characteristics.csv``: what a proposal sets about a place."""

    characteristic_id: Series[str] = text()
    name: Series[str] = text()
    group: Series[str] = choice(GROUPS)
    metric: Series[str] = text()
    unit: Series[str] = text()
    value_kind: Series[str] = choice(VALUE_KINDS)
    valid_min: Series[str] = real()
    valid_max: Series[str] = real()
    bounds_basis: Series[str] = text()
    how_to_measure: Series[str] = text()
    construct: Series[str] = text()
    band_of: Series[str] = text(required=False)
    band_from: Series[str] = real()
    band_to: Series[str] = real()
    typical_england_value: Series[str] = real()
    typical_year: Series[str] = whole(required=False)


class Mediators(_Provenance):
    """``pathways/mediators.csv``: amounts (added before their dose-response) and shares (moved by odds ratios)."""

    mediator_id: Series[str] = text()
    name: Series[str] = text()
    unit: Series[str] = text()
    kind: Series[str] = choice(VALUE_KINDS)
    description: Series[str] = text()
    baseline_share: Series[str] = real()


class Outcomes(_Provenance):
    """``pathways/outcomes.csv``."""

    outcome_id: Series[str] = text()
    name: Series[str] = text()
    kind: Series[str] = choice(OUTCOME_KINDS)
    icd10: Series[str] = text(required=False)
    fatal: Series[str] = yes_no()
    age_from: Series[str] = whole()
    age_to: Series[str] = whole()
    part_of: Series[str] = text(required=False)


class Durations(_Provenance):
    """``pathways/durations.csv``: how long each outcome (or each phase of it) lasts, the one place durations are stated."""

    outcome_id: Series[str] = text()
    phase: Series[str] = text()
    age_from: Series[str] = whole()
    age_to: Series[str] = whole()
    starts_after_years: Series[str] = real(required=True)
    statistic: Series[str] = choice(DURATION_STATISTICS)
    value: Series[str] = real()
    low: Series[str] = real()
    high: Series[str] = real()
    interval_kind: Series[str] = choice(INTERVAL_KINDS)
    unit: Series[str] = choice(tuple(DURATION_UNITS), required=False)
    what_it_measures: Series[str] = text()
    population: Series[str] = text()


class Links(_Provenance):
    """``pathways/links.csv``: one exposure-response relation per row."""

    link_id: Series[str] = text()
    from_id: Series[str] = text()
    to_id: Series[str] = text()
    form: Series[str] = choice(FORMS)
    measure: Series[str] = choice(MEASURES)
    central: Series[str] = real()
    low: Series[str] = real()
    high: Series[str] = real()
    increment: Series[str] = real()
    exposure_unit: Series[str] = text()
    threshold: Series[str] = real()
    interval_kind: Series[str] = choice(INTERVAL_KINDS)
    age_from: Series[str] = whole()
    age_to: Series[str] = whole()
    study_design: Series[str] = choice(STUDY_DESIGNS)
    causal_basis: Series[str] = choice(CAUSAL_BASES)
    appraising_body: Series[str] = text(required=False)
    contrast_exposed: Series[str] = text()
    contrast_reference: Series[str] = text()
    contrast_match: Series[str] = choice(CONTRAST_MATCHES)
    contrast_conversion: Series[str] = text(required=False)
    outcome_measured: Series[str] = text()
    outcome_match: Series[str] = choice(OUTCOME_MATCHES)
    study_size: Series[str] = whole(required=False)
    study_size_unit: Series[str] = choice(STUDY_SIZE_UNITS, required=False)
    grade: Series[str] = choice(GRADES)
    grade_scale: Series[str] = choice(tuple(GRADE_SCALES))
    sex: Series[str] = choice(LINK_SEXES)
    population_exposed: Series[str] = choice(POPULATIONS_EXPOSED)
    lag_id: Series[str] = text(required=False)
    overlap_group: Series[str] = text(required=False)
    includes: Series[str] = text(required=False)
    is_default: Series[str] = yes_no()
    default_reason: Series[str] = text()


class Curves(_Provenance):
    """``pathways/curves.csv``: coefficients of polynomial links."""

    link_id: Series[str] = text()
    coef_0: Series[str] = real(required=True)
    coef_1: Series[str] = real(required=True)
    coef_2: Series[str] = real(required=True)
    curve_unit: Series[str] = choice(("percent",))


class Extracts(_Provenance):
    """``pathways/extracts.csv``: one row per table of a source read for baseline rates (source x table x copy)."""

    extract_id: Series[str] = text()
    what_it_holds: Series[str] = text()


class BaselineRates(_Table):
    """``pathways/baseline_rates.csv``: England's rates by age band and sex, each read in an extract."""

    outcome_id: Series[str] = text()
    age_from: Series[str] = whole()
    age_to: Series[str] = whole()
    sex: Series[str] = choice(SEXES)
    value: Series[str] = real(required=True)
    per: Series[str] = real(required=True)
    year: Series[str] = text()
    geography: Series[str] = text()
    extract_id: Series[str] = text()
    locator: Series[str] = text()
    transform: Series[str] = text()


class Population(_Provenance):
    """``pathways/population.csv``: England's population by age and sex."""

    age_from: Series[str] = whole()
    age_to: Series[str] = whole()
    sex: Series[str] = choice(SEXES)
    persons: Series[str] = real(required=True)
    year: Series[str] = text()
    geography: Series[str] = text()


class LifeExpectancy(_Provenance):
    """``pathways/life_expectancy.csv``."""

    age: Series[str] = whole()
    sex: Series[str] = choice(SEXES)
    life_expectancy_years: Series[str] = real(required=True)
    period: Series[str] = text()
    geography: Series[str] = text()


class Lags(_Provenance):
    """``pathways/lags.csv``: how an effect builds up after the exposure changes, year by year.

    ``year`` 1 is the first year of the changed exposure; ``cumulative_share`` is the
    share of the full effect reached in that year.
    """

    lag_id: Series[str] = text()
    year: Series[str] = whole()
    cumulative_share: Series[str] = real(required=True)
    interval_kind: Series[str] = choice(INTERVAL_KINDS)


class UtilityNorms(_Provenance):
    """``pathways/utility_norms.csv``: England's population health-related quality of life by single year of age and sex."""

    sex: Series[str] = choice(("male", "female"))
    age: Series[str] = whole()
    utility: Series[str] = real(required=True)
    instrument: Series[str] = text()


class UnitCosts(_Provenance):
    """``unit_costs/unit_costs.csv``: cited costs by outcome, component and bearer."""

    cost_id: Series[str] = text()
    outcome_id: Series[str] = text()
    component: Series[str] = choice((*COMPONENTS, TOTAL_COMPONENT))
    bearer: Series[str] = text()
    basis: Series[str] = choice(BASES)
    phase: Series[str] = text(required=False)
    delay_years: Series[str] = whole(required=False)
    value: Series[str] = real(required=True)
    per: Series[str] = real()
    low: Series[str] = real()
    high: Series[str] = real()
    interval_kind: Series[str] = choice(INTERVAL_KINDS)
    price_year: Series[str] = whole()
    age_from: Series[str] = whole()
    age_to: Series[str] = whole()
    population_described: Series[str] = text()
    weighting: Series[str] = choice(WEIGHTINGS)


class HealthStateLosses(_Provenance):
    """``unit_costs/health_state_losses.csv``: QALY, disability-weight or life-satisfaction losses."""

    loss_id: Series[str] = text()
    outcome_id: Series[str] = text()
    phase: Series[str] = text(required=False)
    severity: Series[str] = text()
    share_of_cases: Series[str] = real(required=True)
    loss: Series[str] = real(required=True)
    low: Series[str] = real()
    high: Series[str] = real()
    interval_kind: Series[str] = choice(INTERVAL_KINDS)
    unit: Series[str] = choice(LOSS_UNITS)
    basis: Series[str] = choice(LOSS_BASES)
    age_from: Series[str] = whole()
    age_to: Series[str] = whole()


class Parameters(_Provenance):
    """``unit_costs/parameters.csv``: values such as the value of a QALY."""

    parameter_id: Series[str] = text()
    value: Series[str] = real(required=True)
    low: Series[str] = real()
    high: Series[str] = real()
    interval_kind: Series[str] = choice(INTERVAL_KINDS)
    unit: Series[str] = text()
    price_year: Series[str] = whole()


class CostCoverage(_Table):
    """``unit_costs/cost_coverage.csv``: components (or ages of a component) with no unit cost, and why."""

    outcome_id: Series[str] = text()
    component: Series[str] = choice(COSTED_COMPONENTS)
    age_from: Series[str] = whole()
    age_to: Series[str] = whole()
    status: Series[str] = choice(COVERAGE_STATUSES)
    reason: Series[str] = text()


class Gaps(_Table):
    """``pathways/gaps.csv``: pathways searched for and left out."""

    pathway: Series[str] = text()
    group: Series[str] = choice((*GROUPS, "all"))
    what_was_searched: Series[str] = text()
    why_out: Series[str] = text()


class Bearers(_Provenance):
    """``unit_costs/bearers.csv``: organisations that bear costs."""

    bearer_id: Series[str] = text()
    name: Series[str] = text()
    definition: Series[str] = text()


class BearerShares(_Provenance):
    """``unit_costs/bearer_shares.csv``: how a share set splits a cost between bearers and components."""

    share_set: Series[str] = text()
    bearer: Series[str] = text()
    component: Series[str] = choice(COMPONENTS, required=False)
    weight: Series[str] = real(required=True)
    weight_unit: Series[str] = text()


class DiscountRates(_Provenance):
    """``unit_costs/discount_rates.csv``: Green Book schedules."""

    schedule: Series[str] = choice(SCHEDULES)
    year_from: Series[str] = whole()
    year_to: Series[str] = whole()
    rate: Series[str] = real(required=True)


class PriceIndex(_Provenance):
    """``unit_costs/price_index.csv``: GDP deflator by year."""

    year: Series[str] = whole()
    gdp_deflator: Series[str] = real(required=True)
    base_year: Series[str] = whole()
    vintage: Series[str] = text()


#: What a money flow is, as a business case keeps them apart (HM Treasury 2014 guidance for local partnerships; GMCA).
VALUE_TYPES = ("fiscal", "economic", "social")
#: Where a flow counts in the present value of benefits: as one of the value types, or not at all (a transfer
#: between people and the state, or a part of lost output already counted as economic value).
PVB_COUNTS = (*VALUE_TYPES, "excluded")
#: Whether a fiscal flow is cash a body can take out of its budget, capacity it frees, or a transfer.
CASHABILITY = ("cashable", "non_cashable", "transfer", "not_fiscal")
#: The organisation a flow lands on, by role; the site's local authority names it (``areas/``).
ORGANISATION_ROLES = (
    "icb",
    "upper_tier_council_adult_social_care",
    "upper_tier_council_education",
    "hm_treasury",
    "dwp",
    "criminal_justice",
    "households",
    "employers",
    "informal_carers",
)
CAPITAL_REVENUE = ("capital", "revenue")


class ValueTypes(_Table):
    """``unit_costs/value_types.csv``: each component a bearer bears, as a value type, with the rule and its source."""

    component: Series[str] = choice(COMPONENTS)
    bearer: Series[str] = text()
    value_type: Series[str] = choice(VALUE_TYPES)
    counted_in_pvb_as: Series[str] = choice(PVB_COUNTS)
    cashable: Series[str] = choice(CASHABILITY)
    organisation_role: Series[str] = choice(ORGANISATION_ROLES)
    rule: Series[str] = text()
    source: Series[str] = text()


class OptimismBias(_Provenance):
    """``unit_costs/optimism_bias.csv``: optimism-bias uplifts by project type (per cent)."""

    project_type: Series[str] = text()
    applies_to: Series[str] = choice(CAPITAL_REVENUE)
    upper_percent: Series[str] = real(required=True)
    lower_percent: Series[str] = real(required=True)


class VfmCategories(_Provenance):
    """``unit_costs/vfm_categories.csv``: value-for-money categories by benefit-cost ratio."""

    category: Series[str] = text()
    bcr_from: Series[str] = real()
    bcr_to: Series[str] = real()


class LocalAuthorities(_Table):
    """``areas/local_authorities.csv``: England's local authority districts with their upper-tier council and combined authority."""

    vintage: Series[str] = whole()
    lad_code: Series[str] = text()
    lad_name: Series[str] = text()
    utla_code: Series[str] = text()
    utla_name: Series[str] = text()
    cauth_code: Series[str] = text(required=False)
    cauth_name: Series[str] = text(required=False)
    source: Series[str] = text()


class DistrictIcbs(_Table):
    """``areas/lad_icb.csv``: each district's sub-ICB locations and integrated care boards, with the share of its people."""

    vintage: Series[str] = whole()
    lad_code: Series[str] = text()
    sub_icb_code: Series[str] = text()
    sub_icb_name: Series[str] = text()
    icb_code: Series[str] = text()
    icb_name: Series[str] = text()
    population_share: Series[str] = real(required=True)
    source: Series[str] = text()


class CodeHistory(_Table):
    """``areas/code_history.csv``: retired district codes and the codes that replaced them."""

    old_code: Series[str] = text()
    old_name: Series[str] = text()
    new_code: Series[str] = text()
    new_name: Series[str] = text()
    changed_year: Series[str] = whole()
    source: Series[str] = text()


@dataclass(frozen=True)
class Table:
    """A table of the evidence library: its name, file, key columns and schema.

    A table with provenance has a **sidecar**, ``<folder>/notes/<file>``, holding the
    words each number was read in (``quote``) and any longer ``notes``, one row per
    key, so that the table of numbers stays narrow and a changed number reads in a diff.
    """

    name: str
    path: str
    key: tuple[str, ...]
    schema: type[pa.DataFrameModel]

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in the order a new file writes them."""
        names = tuple(self.schema.to_schema().columns)
        return tuple(n for n in names if n not in PROVENANCE) + tuple(n for n in PROVENANCE if n in names)

    @property
    def sidecar(self) -> str | None:
        """Path of the table's sidecar of quotes and notes; None for a table without provenance."""
        if not self.key or "locator" not in self.schema.to_schema().columns:
            return None
        folder, file = self.path.split("/")
        return f"{folder}/notes/{file}"

    def kinds(self) -> dict[str, str]:
        """Each column's kind: ``text``, ``number``, ``integer``, ``choice`` or ``yes_no``."""
        return {name: col.metadata["kind"] for name, col in self.schema.to_schema().columns.items()}


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("pathway_sources", "pathways/sources.csv", ("source_id",), Sources),
        Table("characteristics", "pathways/characteristics.csv", ("characteristic_id",), Characteristics),
        Table("mediators", "pathways/mediators.csv", ("mediator_id",), Mediators),
        Table("outcomes", "pathways/outcomes.csv", ("outcome_id",), Outcomes),
        Table("durations", "pathways/durations.csv", ("outcome_id", "phase", "age_from", "age_to"), Durations),
        Table("links", "pathways/links.csv", ("link_id",), Links),
        Table("curves", "pathways/curves.csv", ("link_id",), Curves),
        Table("extracts", "pathways/extracts.csv", ("extract_id",), Extracts),
        Table("baseline_rates", "pathways/baseline_rates.csv", ("outcome_id", "sex", "age_from", "age_to"), BaselineRates),
        Table("population", "pathways/population.csv", ("sex", "age_from", "age_to"), Population),
        Table("life_expectancy", "pathways/life_expectancy.csv", ("sex", "age", "geography"), LifeExpectancy),
        Table("lags", "pathways/lags.csv", ("lag_id", "year"), Lags),
        Table("utility_norms", "pathways/utility_norms.csv", ("sex", "age"), UtilityNorms),
        Table("cost_sources", "unit_costs/sources.csv", ("source_id",), Sources),
        Table("unit_costs", "unit_costs/unit_costs.csv", ("cost_id",), UnitCosts),
        Table("health_state_losses", "unit_costs/health_state_losses.csv", ("loss_id",), HealthStateLosses),
        Table("parameters", "unit_costs/parameters.csv", ("parameter_id",), Parameters),
        Table("cost_coverage", "unit_costs/cost_coverage.csv", ("outcome_id", "component", "age_from", "age_to"), CostCoverage),
        Table("gaps", "pathways/gaps.csv", ("pathway",), Gaps),
        Table("bearers", "unit_costs/bearers.csv", ("bearer_id",), Bearers),
        Table("bearer_shares", "unit_costs/bearer_shares.csv", ("share_set", "bearer", "component", "weight"), BearerShares),
        Table("discount_rates", "unit_costs/discount_rates.csv", ("schedule", "year_from"), DiscountRates),
        Table("price_index", "unit_costs/price_index.csv", ("year",), PriceIndex),
        Table("value_types", "unit_costs/value_types.csv", ("component", "bearer"), ValueTypes),
        Table("optimism_bias", "unit_costs/optimism_bias.csv", ("project_type", "applies_to"), OptimismBias),
        Table("vfm_categories", "unit_costs/vfm_categories.csv", ("category",), VfmCategories),
        Table("area_sources", "areas/sources.csv", ("source_id",), Sources),
        Table("local_authorities", "areas/local_authorities.csv", ("vintage", "lad_code"), LocalAuthorities),
        Table("lad_icb", "areas/lad_icb.csv", ("vintage", "lad_code", "sub_icb_code"), DistrictIcbs),
        Table("code_history", "areas/code_history.csv", ("old_code", "new_code"), CodeHistory),
    )
}
