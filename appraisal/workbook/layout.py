"""Where each proposal field lives in the Excel template: the one mapping the writer and the reader share.

Single cells are listed in :data:`CELLS` (dotted proposal field -> sheet and
cell). Blocks that repeat (age bands, occupancy years, characteristics x
options) are described by :class:`AgeBandBlock`, :class:`OccupancyBlock` and
:class:`EnvironmentGrid`. Change a position here and both the template and its
reader follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

INSTRUCTIONS = "Instructions"
SITE = "Site"
ENVIRONMENT = "Environment"
SETTINGS = "Settings"
SHEETS = (INSTRUCTIONS, SITE, ENVIRONMENT, SETTINGS)

#: Cell holding the library stamp the template was made from (see :func:`appraisal.workbook.template.library_stamp`).
STAMP_CELL = (INSTRUCTIONS, "B3")


@dataclass(frozen=True)
class Cell:
    """One input cell.

    ``kind`` is ``text``, ``number``, ``whole`` (a whole number) or ``choice``.
    """

    sheet: str
    ref: str
    label: str
    kind: str
    help: str
    required: bool = False
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    default: object = None

    @property
    def row(self) -> int:
        return int("".join(ch for ch in self.ref if ch.isdigit()))

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.ref}"


CELLS: dict[str, Cell] = {
    "site.name": Cell(SITE, "C4", "Site or scheme name", "text", "As it should appear on the report.", required=True),
    "site.local_authority": Cell(SITE, "C5", "Local authority", "text", "Optional."),
    "population.total": Cell(
        SITE, "C6", "Residents at full occupancy", "number",
        "All residents once the site is fully occupied. Leave blank if you give residents by age band below; "
        "a total is spread over England's age structure (ONS mid-year estimates).",
        low=0,
    ),
    "settings.start_year": Cell(
        SETTINGS, "C4", "Appraisal start year", "whole",
        "Year 0 of the appraisal: present values are discounted to this year.", required=True, low=1990, high=2100,
    ),
    "settings.period_years": Cell(
        SETTINGS, "C5", "Appraisal period (years)", "whole",
        "How many years are appraised, from the start year. 60 years is usual for housing and regeneration.",
        required=True, low=1, high=125, default=60,
    ),
    "settings.price_year": Cell(
        SETTINGS, "C6", "Price year", "whole",
        "All money is shown in this financial year's prices (2024 = 2024-25), uplifted with the HM Treasury GDP deflator.",
        required=True,
    ),
    "settings.discounting": Cell(
        SETTINGS, "C7", "Discounting", "choice",
        "green_book: HM Treasury Green Book schedules (standard rates for financial costs, health rates for "
        "quality of life and life-years); standard: the standard rates for everything; none: no discounting "
        "(the last two for sensitivity tests).",
        choices=("green_book", "standard", "none"), default="green_book",
    ),
    "settings.effect_lag_years": Cell(
        SETTINGS, "C8", "Lag before effects begin (years)", "whole",
        "Years after the start year before any health effect begins.", low=0, high=124, default=0,
    ),
    "settings.ramp_years": Cell(
        SETTINGS, "C9", "Ramp-in of effects (years)", "whole",
        "Effects build up in a straight line over this many years to full strength (0 = at once).",
        low=0, high=124, default=5,
    ),
    "settings.mortality_valuation": Cell(
        SETTINGS, "C10", "Valuing deaths", "choice",
        "life_years: discounted life-years lost valued at the Green Book value of a QALY; "
        "vpf: the value of a prevented fatality per death.",
        choices=("life_years", "vpf"), default="life_years",
    ),
}


@dataclass(frozen=True)
class AgeBandBlock:
    """Residents by age band: one row per band, label then value."""

    sheet: str = SITE
    first_row: int = 10
    label_col: str = "B"
    value_col: str = "C"

    def value_ref(self, i: int) -> str:
        return f"{self.value_col}{self.first_row + i}"


@dataclass(frozen=True)
class OccupancyBlock:
    """Occupancy phasing: a year and the share of full occupancy, one pair per row."""

    sheet: str = SITE
    first_row: int = 10
    rows: int = 40
    year_col: str = "E"
    share_col: str = "F"

    @property
    def row_range(self) -> range:
        return range(self.first_row, self.first_row + self.rows)

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.year_col}{self.first_row}:{self.share_col}{self.first_row + self.rows - 1}"


@dataclass(frozen=True)
class EnvironmentGrid:
    """Characteristics down the rows, the baseline and options across the columns.

    Column A holds the characteristic id (the reader keys on it, so rows may be
    reordered); group headings are rows with a blank id. Option names are typed
    in the header row above each option column.
    """

    sheet: str = ENVIRONMENT
    header_row: int = 6
    id_col: int = 1
    info_cols: tuple[str, ...] = field(
        default=("Characteristic", "Metric", "Unit", "Valid range", "How to measure it", "Typical England value")
    )
    option_cols: int = 8

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def baseline_col(self) -> int:
        return self.id_col + len(self.info_cols) + 1

    @property
    def first_option_col(self) -> int:
        return self.baseline_col + 1

    def letter(self, col: int) -> str:
        return get_column_letter(col)


AGE_BANDS = AgeBandBlock()
OCCUPANCY = OccupancyBlock()
GRID = EnvironmentGrid()
