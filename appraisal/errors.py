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


@dataclass(frozen=True)
class InFile:
    """A place in a file: a table of the evidence library, a proposal file, a path given on the command line.

    Row numbers are spreadsheet rows (the header is row 1, the first record row 2).
    """

    file: str
    row: int | None = None
    column: str | None = None
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        text = self.file
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
    "proposal.population_one_way": "residents given both as a total and by age band, or neither",
    "proposal.unknown_age_band": "unknown age band",
    "proposal.missing_age_band": "age band(s) missing",
    "proposal.price_year": "price year not in the price index",
    "proposal.occupancy_outside_period": "occupancy year(s) outside the appraisal period",
    "proposal.mediator_set": "a mediator is worked out by the engine, not set by a proposal",
    "proposal.unknown_characteristic": "unknown characteristic",
    "proposal.out_of_range": "outside the characteristic's valid range",
    "proposal.not_positive": "must be above 0 (the characteristic acts through a power model)",
    "proposal.no_baseline": "an option sets a characteristic that has no baseline value",
    "proposal.blank": "blank",
    "proposal.duplicate": "given twice",
    "proposal.option_name": "not a usable option name",
    "proposal.unpaired": "half of a pair of cells is blank",
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
        n = len(self.problems)
        head = f"{self.what}: {n} problem{'s' if n != 1 else ''} found"
        return "\n".join([head] + [f"  - {p}" for p in self.problems])

    def __str__(self) -> str:
        return self.report()


class LibraryError(AppraisalError):
    """The evidence library (``pathways/``, ``unit_costs/``) is broken."""


class ProposalError(AppraisalError):
    """A proposal (YAML, Excel or Python) cannot be appraised as given."""


class CommandError(AppraisalError):
    """A command-line argument cannot be used as given."""
