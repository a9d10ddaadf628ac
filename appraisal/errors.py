"""Problems that reach the user: every one at once, each a record of code, place, found and allowed.

A :class:`Problem` is data, like a failure case of a validated table: a code
from :data:`CODES` (the one registry every reader and check uses), a place
(:class:`InFile`, :class:`InCell` or :class:`InField`), the value found (shown
shortened) and what is allowed. Its message is made from those fields, so the
same problem reads the same wherever it is raised, and tests assert codes
rather than wording.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Longest text of a value found that a message shows; longer values are cut with an ellipsis.
FOUND_WIDTH = 200
#: Most problems a report lists one by one; the rest are counted.
MAX_LISTED = 200


@dataclass(frozen=True)
class InFile:
    """A place in a file: a table of the evidence library, a proposal file, a path given on the command line.

    Row numbers are spreadsheet rows (the header is row 1, the first record row 2); a
    line (and column) is a place in a text file such as YAML.
    """

    file: str
    row: int | None = None
    column: str | None = None
    rows: tuple[int, ...] = ()
    line: int | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f" line {self.line}"
        if self.row is not None:
            text += f" row {self.row}"
        elif self.rows:
            text += f" rows {', '.join(map(str, self.rows))}"
        if self.column:
            text += f", column {self.column}"
        return text


@dataclass(frozen=True)
class InCell:
    """A place in a workbook: a sheet and a cell (or range), with the label the user sees beside it."""

    sheet: str
    cell: str
    label: str | None = None

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}" + (f" ({self.label})" if self.label else "")


@dataclass(frozen=True)
class InField:
    """A place in a proposal as data: a dotted field path such as ``options.strategic.pm25``."""

    path: str

    def __str__(self) -> str:
        return self.path


Place = InFile | InCell | InField

#: Every problem code, and the rule it names in words. Codes are grouped by who raises them:
#: ``library.*`` the evidence library's tables and cross-table rules, ``proposal.*`` a
#: proposal's fields and values, ``file.*`` a file as a whole, ``template.*`` the Excel
#: template's layout, ``command.*`` the command line, ``result.*`` a run that cannot give a number.
CODES: dict[str, str] = {
    # ---- files, whatever their kind ---------------------------------------------------------
    "file.missing": "file not found",
    "file.too_large": "the file is larger than a proposal can be",
    "file.too_deep": "nested deeper than a proposal can be",
    "file.control_character": "a control character in text",
    "file.yaml_alias": "a YAML alias, which could expand without bound",
    "file.kind": "not a kind of file this accepts",
    "file.unreadable": "cannot be read",
    "file.not_yaml": "not valid YAML",
    # ---- a proposal's fields and values (YAML, Python or the template) ----------------------
    "proposal.not_mapping": "a proposal must be a mapping of site, population, occupancy, baseline, options, settings",
    "proposal.required": "required",
    "proposal.unknown_field": "not a field of a proposal",
    "proposal.not_number": "not a number",
    "proposal.not_whole": "not a whole number",
    "proposal.not_text": "not text",
    "proposal.not_mapping_field": "not a list of named entries (name: value)",
    "proposal.not_choice": "not one of the choices",
    "proposal.below_minimum": "below the minimum",
    "proposal.above_maximum": "above the maximum",
    "proposal.too_few": "too few entries",
    "proposal.invalid": "not allowed",
    "proposal.population_one_way": "residents must be given one way",
    "proposal.unknown_age_band": "unknown age band",
    "proposal.missing_age_band": "age band(s) missing",
    "proposal.price_year": "price year not in the price index",
    "proposal.occupancy_outside_period": "occupancy year(s) outside the appraisal period",
    "proposal.mediator_set": "a mediator is worked out by the engine, not set by a proposal",
    "proposal.unknown_characteristic": "unknown characteristic",
    "proposal.out_of_range": "outside the characteristic's valid range",
    "proposal.set_by_bands": "set by the shares of dwellings in its bands, not one level",
    "proposal.band_shares_sum": "the shares of dwellings in a characteristic's bands add to more than 1",
    "proposal.not_positive": "must be above 0 (the characteristic acts through a power model)",
    "proposal.no_baseline": "an option sets a characteristic that has no baseline value",
    "proposal.blank": "blank",
    "proposal.duplicate": "given twice",
    "proposal.option_name": "not a usable option name",
    "proposal.no_combined_authority": "a scheme cost paid by a combined authority the site's district is not in",
    "proposal.period_before_lag": "a period that ends before the effect of a changed characteristic begins",
    "proposal.control_character": "a control character in text",
    "proposal.too_many_options": "more options than an appraisal reads",
    "proposal.too_long": "longer than the field allows",
    "proposal.population_too_large": "more residents than any site can have",
    "proposal.period_past_schedules": "a period longer than the discount schedules cover",
    "proposal.base_year_after_start": "discount base year after the start year",
    "proposal.costs_unknown_option": "scheme costs for an option the proposal does not have",
    "proposal.cost_outside_period": "a scheme cost in a year outside the appraisal period",
    "proposal.no_area_lookups": "the library has no area lookups",
    "proposal.not_england": "a local authority outside England",
    "proposal.retired_area_code": "a local authority code that has been replaced",
    "proposal.unknown_area_code": "not a known local authority code",
    "proposal.unpaired": "half of a pair of cells is blank",
    "proposal.sites_differ": "sites appraised together must share their option names (in order) and settings",
    # ---- the Excel template's layout ---------------------------------------------------------
    "template.missing_sheet": "a sheet of the template is missing",
    "template.other_library": "the template was made from another version of the evidence library",
    "template.unknown_row": "a row of the template names no characteristic of the library",
    "template.missing_rows": "rows of the template are missing",
    "template.value_outside_grid": "a value outside the cells the template reads",
    "template.formula_unsaved": "a formula whose result was not saved",
    # ---- the command line --------------------------------------------------------------------
    "command.unknown_outcome": "unknown outcome",
    "command.template_path": "the template is an Excel workbook: the path must end in .xlsx",
    "command.out_path": "not a place the output can be written",
    # ---- a run that cannot give a finite number ----------------------------------------------
    "result.not_finite": "the change from the baseline is too large for the evidence (the result is not a finite number)",
    # ---- the evidence library ----------------------------------------------------------------
    "library.file.missing": "a table of the evidence library is missing",
    "library.file.unreadable": "a table cannot be read as a UTF-8 CSV file",
    "library.file.empty": "a table is empty: it needs a header row",
    "library.file.too_large": "a table is larger than the reader accepts",
    "library.columns.missing": "column(s) missing from a table",
    "library.columns.unknown": "column(s) not in the table's schema",
    "library.row.cell_count": "a row has a different number of cells from the header",
    "library.cell.blank": "a required cell is blank",
    "library.cell.not_number": "not a finite number",
    "library.cell.not_whole": "not a whole number",
    "library.cell.not_choice": "not one of the choices",
    "library.cell.invalid": "a cell breaks its column's rule",
    "library.ages.ordered": "age_from does not exceed age_to",
    "library.ages.population_bands": "England's population is given by sex or for persons (not both), in bands from 0 with no gap or overlap",
    "library.costs.bearer_known": "A cost's or share's bearer is a bearer id or a share set",
    "library.costs.share_set_weights": "A share set's weights are in one unit and sum above 0 (percentages to 100, within rounding)",
    "library.costs.share_sets_no_loop": "Share sets never refer to each other in a loop",
    "library.costs.outcome_known": "A unit cost or health-state loss is for an outcome of pathways/outcomes.csv",
    "library.costs.total_split": "A 'total' cost is split by a share set whose rows name each component",
    "library.costs.price_year_indexed": "A unit cost's or parameter's price year is in unit_costs/price_index.csv",
    "library.costs.phase_duration": "A per_case_year cost or loss of an incidence or event outcome names a phase of pathways/durations.csv covering its ages; one of a prevalence or wellbeing outcome names none (a person in the state is counted in each year)",
    "library.costs.severity_mix": "The shares of an outcome's cases in the severities of one phase are above 0 and sum to at most 1",
    "library.costs.loss_valued": "The parameter that values a kind of health-state loss is in unit_costs/parameters.csv",
    "library.coverage.life_table_outcome": "If a fatal outcome is reached, the life table's outcome (all deaths) is in pathways/outcomes.csv",
    "library.coverage.rates": "An outcome a link reaches has baseline rates by sex or for persons (not both) covering its ages",
    "library.coverage.rate_outcome_known": "A baseline rate is for an outcome of pathways/outcomes.csv",
    "library.coverage.marks": "A row of unit_costs/cost_coverage.csv names a known outcome, once, and a component (and ages) with no unit cost",
    "library.coverage.components": "Every outcome accounts for every costed component at every age: a unit cost, or a row of unit_costs/cost_coverage.csv",
    "library.curves.link_is_polynomial": "A row of pathways/curves.csv belongs to a polynomial link",
    "library.curves.given": "A polynomial link has its coefficients in pathways/curves.csv",
    "library.curves.stays_positive": "A curve stays above 0, and does not fall without end, from its threshold upwards",
    "library.curves.sole_default": "An outcome reached by a polynomial curve has no other default link: the curve gives its whole prevalence",
    "library.discounting.schedules": "The standard and health schedules are both given, each in year ranges from 0 with no gap or overlap",
    "library.discounting.rate_fraction": "A discount rate is a fraction in [0, 1)",
    "library.durations.outcome_known": "A duration belongs to an outcome of pathways/outcomes.csv",
    "library.durations.not_death": "A death has no duration",
    "library.durations.no_overlap": "The rows of one outcome's phase cover ages at onset that do not overlap",
    "library.durations.length": "A duration gives a value above 0 and a unit, or is lifelong with both blank",
    "library.bands.parent": "A band belongs to a characteristic that is not itself a band, starts below where it ends, and overlaps no other band of it",
    "library.bands.direct": "A characteristic set by bands has default links acting directly on outcomes, not through a mediator",
    "library.value_types.cover": "Every component a bearer bears in a unit cost has one row in unit_costs/value_types.csv saying its value type",
    "library.optimism_bias.bounds": "An optimism-bias row's lower bound is 0 or more and not above its upper bound",
    "library.vfm.bands": "Value-for-money bands run from no lower bound to no upper bound without gaps or overlaps",
    "library.areas.codes": "A district code in the area lookups is an English district's ONS code; lad_icb's districts are in local_authorities.csv",
    "library.areas.shares": "Each district's shares of people across its sub-ICB locations sum to 1, each above 0",
    "library.parameters.required": "The parameters the engine reads by id are in unit_costs/parameters.csv",
    "library.lags.known": "A link's lag_id is blank (the stated default rule) or a lag of pathways/lags.csv",
    "library.lags.profile": "A lag's years run 1, 2, 3, ... and its cumulative share rises from 0-1 and reaches 1 in its last year",
    "library.lags.unpublished_listed": "A default link acting on an outcome with no lag (the default rule) has a row 'lag: <link_id>' in pathways/gaps.csv",
    "library.utility.range": "A population utility norm lies in 0-1 and each sex covers one run of single years of age",
    "library.graph.acyclic": "Default links run one way, characteristic -> mediator -> outcome, with no cycle",
    "library.graph.mediator_between": "A mediator with a default link into it has one out of it (one with links out only waits, unused, for evidence into it)",
    "library.graph.one_measure_per_outcome": "Two characteristics that measure the same thing (one construct) do not both reach an outcome by default links, unless their links share an overlap group (then only the larger counts)",
    "library.graph.total_effect_once": "A default link whose estimate already includes a mechanism (its includes column) does not reach an outcome that a default route through that mechanism also reaches",
    "library.graph.counted_once": "No characteristic reaches both an outcome and a wider outcome it is part of",
    "library.ids.unique": "A table's key (its id column, or the columns that name a row) names each row once",
    "library.ids.unique_sources": "A source id is used once across pathways/sources.csv and unit_costs/sources.csv",
    "library.ids.unique_nodes": "A node id names one characteristic, mediator or outcome, not two of them",
    "library.links.ends_known": "A link runs from a characteristic or mediator to a mediator or outcome",
    "library.links.unit_matches_characteristic": "A link's exposure unit is the unit its characteristic or mediator is measured in",
    "library.links.central_given": "A link other than a polynomial curve gives its central value",
    "library.links.measure_matches_form": "A link's measure fits its form (percent, exponent, slope, or a ratio; OR into a share)",
    "library.links.target_matches_form": "A link acts on what its form can change (outcome, amount mediator or share mediator)",
    "library.links.source_matches_form": "A link's form fits what it starts from (a share exposure for proportion_exposed)",
    "library.links.value_positive": "A ratio or an exponent, and the low end of its interval, are above 0",
    "library.links.increment": "A power link has no increment, a polynomial link no values of its own, any other link an increment above 0",
    "library.links.threshold_given": "A threshold_log_linear or polynomial link gives its threshold",
    "library.links.one_default_per_pair": "At most one default link per (from, to) pair",
    "library.links.default_causal": "A default link rests on longitudinal or experimental evidence, or on an estimate a body that appraises uses as causal (named in appraising_body)",
    "library.links.default_contrast": "A default link's contrast matches the characteristic's metric, or a stated conversion makes it match",
    "library.links.default_outcome": "A default link's study measured the outcome it acts on",
    "library.links.grade_scale": "A link's grade is one its grade_scale gives",
    "library.links.study_size": "A study size gives its unit (participants or events), and a unit its size",
    "library.links.odds_risk_below_one": "An outcome an odds ratio acts on has a baseline risk below 1 per person in every age band",
    "library.nodes.baseline_share": "A share mediator has an England baseline share in (0, 1); an amount mediator has none",
    "library.nodes.valid_bounds": "A characteristic's valid_min is below its valid_max",
    "library.nodes.part_of_known": "An outcome's part_of names an outcome",
    "library.nodes.part_of_loop": "part_of never runs in a loop",
    "library.provenance.source_resolves": "A row's source is a source id of pathways/sources.csv or unit_costs/sources.csv (or several, separated by '; ')",
    "library.provenance.verification": "A number read as quoted by someone else (secondary) names who quoted it; one read in the source names nobody",
    "library.provenance.extract_resolves": "A baseline rate names an extract of pathways/extracts.csv",
    "library.columns.sidecar": "a sidecar of quotes and notes has the table's key columns, then quote and notes",
    "library.sidecar.duplicate": "a sidecar has two rows for one row of its table",
    "library.sidecar.orphan": "a sidecar row names no row of its table",
    "library.provenance.no_machine_path": "Provenance names a URL or a repository at a commit, never a folder on someone's machine",
    "library.provenance.doi_or_url": "A source gives a DOI or a URL",
    "library.values.interval": "An interval fits its kind: none has no low or high; any other kind gives low below high around the central value",
    "library.values.rate_within_per": "A baseline rate of deaths, new cases or people in a state is at most its per (only events may recur)",
    "library.values.money": "A unit cost or a value of health is at most GBP 1,000,000,000,000 (a trillion pounds)",
    "library.values.life_expectancy": "A life expectancy does not reach past the oldest age of the life table (age + years <= 120)",
    "library.caution.large_ratio": "a ratio above 10 (a caution: the library still loads)",
    "library.caution.outlying_cost": "a unit cost 100 times the median of its component (a caution: the library still loads)",
    "library.caution.deflator_jump": "the GDP deflator moves more than 20% in a year (a caution: the library still loads)",
    "library.caution.unreached_default": "a default link that no characteristic reaches (a caution: the library still loads)",
    "library.caution.narrow_interval": "a 95% interval narrower than a study of its size can give (a caution: the library still loads)",
    "library.values.sign": "Counts, rates, weights, losses and the deflator are 0 or more, or above 0, as each must be",
}


def shown(value: object) -> str:
    """A value found, as a message shows it: numbers as ``%g``, text quoted, cut at :data:`FOUND_WIDTH`."""
    if isinstance(value, bool):
        text = repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = f"{value:g}" if math.isfinite(value) else repr(value)
    else:
        text = repr(value)
    return text if len(text) <= FOUND_WIDTH else text[: FOUND_WIDTH - 1] + "…"


class _Nothing:
    """Marks a problem with no value to show (a missing file, a blank cell)."""

    def __repr__(self) -> str:
        return "NOTHING"


#: The ``found`` of a problem that has no value to show.
NOTHING: object = _Nothing()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Parameters
    ----------
    code
        A key of :data:`CODES`: which rule is broken.
    place
        Where: a file row and column, a sheet and cell, or a field path.
    found
        The value found (shown shortened to about 200 characters), or :data:`NOTHING`.
    allowed
        What is allowed there, or what to do, in the user's words.
    """

    code: str
    place: Place
    found: object = NOTHING
    allowed: str = ""
    found_text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code!r}: add it to appraisal.errors.CODES")
        object.__setattr__(self, "found_text", "" if self.found is NOTHING else shown(self.found))

    @property
    def rule(self) -> str:
        """The rule broken, in words (from :data:`CODES`)."""
        return CODES[self.code]

    @property
    def message(self) -> str:
        """What is wrong and what is allowed: ``"<rule>; found <value>; <allowed>"``."""
        parts = [self.rule]
        if self.found_text:
            parts.append(f"found {self.found_text}")
        if self.allowed:
            parts.append(self.allowed)
        return "; ".join(parts)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class AppraisalError(Exception):
    """Raised with every problem found in an input, never only the first.

    Parameters
    ----------
    what
        What was being read or checked (``"the evidence library"``, ``"proposal riverside.yaml"``).
    problems
        The problems found.
    """

    def __init__(self, what: str, problems: list[Problem]):
        self.what = what
        self.problems = list(problems)
        super().__init__(self.report())

    @property
    def codes(self) -> list[str]:
        """The codes of the problems, in order (what tests assert)."""
        return [p.code for p in self.problems]

    def report(self) -> str:
        """Every problem, one a line; past :data:`MAX_LISTED` the rest are counted, not listed (``.problems`` holds all)."""
        n = len(self.problems)
        head = f"{self.what}: {n} problem{'s' if n != 1 else ''} found"
        lines = [head] + [f"  - {p}" for p in self.problems[:MAX_LISTED]]
        if n > MAX_LISTED:
            lines.append(f"  ... and {n - MAX_LISTED:,} more (mend these first; they may share one cause)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


class LibraryError(AppraisalError):
    """The evidence library (``pathways/``, ``unit_costs/``) is broken."""


class ProposalError(AppraisalError):
    """A proposal (YAML, Excel or Python) cannot be appraised as given."""


class CommandError(AppraisalError):
    """A command-line argument cannot be used as given."""
