"""Where each proposal field lives in the Excel template: the one mapping the writer and the reader share.

Single cells are listed in :data:`CELLS` (dotted proposal field -> sheet and
cell). Blocks that repeat (age bands, occupancy years, characteristics x
options) are described by :class:`AgeBandBlock`, :class:`OccupancyBlock` and
:class:`EnvironmentGrid`. Change a position here and both the template and its
reader follow.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from appraisal._version import __version__
from appraisal.errors import InCell, InField, Place
from appraisal.evidence.library import Library
from appraisal.proposal import DeathValuation, Discounting, Payer, ProjectType

INSTRUCTIONS = "Instructions"
SITE = "Site"
ENVIRONMENT = "Environment"
SETTINGS = "Settings"
SCHEME_COSTS = "Scheme costs"
SHEETS = (INSTRUCTIONS, SITE, ENVIRONMENT, SCHEME_COSTS, SETTINGS)

#: Cell holding the library stamp the template was made from (see :func:`library_stamp`).
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
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    default: object = None
    optional: bool = False

    @property
    def row(self) -> int:
        return int("".join(ch for ch in self.ref if ch.isdigit()))

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.ref}"


CELLS: dict[str, Cell] = {
    "site.name": Cell(SITE, "C4", "Site or scheme name", "text", "As it should appear on the report."),
    "site.local_authority": Cell(
        SITE,
        "C5",
        "Local authority (ONS code)",
        "text",
        "The ONS code of the local authority district the site is in, e.g. E08000003 for Manchester (listed in the "
        "library's areas/local_authorities.csv). It names the integrated care board, councils and combined authority "
        "costs land on. Optional: without it, flows land on roles (the site's ICB, its council).",
    ),
    "population.total": Cell(
        SITE,
        "C6",
        "Residents at full occupancy",
        "number",
        "All residents once the site is fully occupied. Leave blank if you give residents by age band below; "
        "a total is spread over England's age structure (ONS mid-year estimates).",
        low=0,
    ),
    "settings.start_year": Cell(
        SETTINGS,
        "C4",
        "Appraisal start year",
        "whole",
        "First financial year of the appraisal (2027 = 2027-28, April to March). Present values are discounted to it "
        "unless a discount base year is set below.",
        low=1990,
        high=2100,
    ),
    "settings.period_years": Cell(
        SETTINGS,
        "C5",
        "Appraisal period (years)",
        "whole",
        "How many years are appraised, from the start year. 60 years is usual for housing and regeneration.",
        low=1,
        high=125,
        default=60,
    ),
    "settings.price_year": Cell(
        SETTINGS,
        "C6",
        "Price year",
        "whole",
        "All money is shown in this financial year's prices (2024 = 2024-25), uplifted with the HM Treasury GDP deflator.",
    ),
    "settings.discounting": Cell(
        SETTINGS,
        "C7",
        "Discounting",
        "choice",
        "green_book: HM Treasury Green Book schedules (standard rates for financial costs, health rates for "
        "quality of life and life-years); standard: the standard rates for everything; none: no discounting "
        "(the last two for sensitivity tests).",
        choices=tuple(Discounting),
        default="green_book",
    ),
    "settings.mortality_valuation": Cell(
        SETTINGS,
        "C8",
        "Valuing deaths",
        "choice",
        "qalys: quality-adjusted life-years lost (life table, England utility norms) at the Green Book value "
        "of a QALY; vpf: the value of a prevented fatality per death brought forward or postponed among residents.",
        choices=tuple(DeathValuation),
        default="qalys",
    ),
    "settings.road_risk_on_site_share": Cell(
        SETTINGS,
        "C9",
        "Share of road risk on the site's streets",
        "number",
        "Share (0-1) of residents' road-casualty risk that arises on the site's own streets, which is all a change "
        "in those streets can move. No published source gives it: 1 (the default) is an upper bound.",
        low=0,
        high=1,
        default=1,
    ),
    "settings.discount_base_year": Cell(
        SETTINGS,
        "C10",
        "Discount base year",
        "whole",
        "Financial year present values are discounted to (year 0 of the Green Book schedules), if not the start year; "
        "it may be earlier than the start year, never later. Blank: the start year.",
        low=1990,
        high=2100,
        optional=True,
    ),
    "settings.project_type": Cell(
        SETTINGS,
        "C11",
        "Project type (optimism bias)",
        "choice",
        "Sets the default optimism-bias uplift on scheme costs, the upper bound for the type (Mott MacDonald 2002 for "
        "HM Treasury, Table 2: capital expenditure, standard buildings 24%, non-standard buildings 51%, standard civil "
        "engineering 44%, non-standard civil engineering 66%, equipment/development 200%; outsourcing 41% of operating costs).",
        choices=tuple(ProjectType),
        default="standard_buildings",
    ),
    "settings.optimism_bias_capital": Cell(
        SETTINGS,
        "C12",
        "Optimism bias on capital costs",
        "number",
        "A share (0.24 = 24%) replacing the project type's upper bound, once risks are managed and the reduction "
        "is evidenced. Blank: the upper bound.",
        low=0,
        high=3,
        optional=True,
    ),
    "settings.optimism_bias_revenue": Cell(
        SETTINGS,
        "C13",
        "Optimism bias on revenue costs",
        "number",
        "A share. Blank: the upper bound where the table gives one for operating costs (outsourcing), else none.",
        low=0,
        high=3,
        optional=True,
    ),
    "settings.deadweight": Cell(
        SETTINGS,
        "C14",
        "Deadweight",
        "number",
        "Share (0-1) of the benefits that would have happened anyway, without the scheme. Default 0. The additionality "
        "guidance (Homes and Communities Agency, Additionality Guide, 4th edition 2014) sets out how to judge it.",
        low=0,
        high=1,
        default=0,
    ),
    "settings.displacement": Cell(
        SETTINGS,
        "C15",
        "Displacement",
        "number",
        "Share (0-1) of the benefits offset by losses elsewhere in the area of interest. Default 0.",
        low=0,
        high=1,
        default=0,
    ),
    "settings.leakage": Cell(
        SETTINGS,
        "C16",
        "Leakage",
        "number",
        "Share (0-1) of the benefits going to people outside the area of interest. Default 0.",
        low=0,
        high=1,
        default=0,
    ),
}


@dataclass(frozen=True)
class SchemeCostBlock:
    """Scheme costs: one row per option, financial year and payer."""

    sheet: str = SCHEME_COSTS
    header_row: int = 6
    rows: int = 80
    option_col: str = "B"
    year_col: str = "C"
    capital_col: str = "D"
    revenue_col: str = "E"
    payer_col: str = "F"

    @property
    def row_range(self) -> range:
        return range(self.header_row + 1, self.header_row + 1 + self.rows)

    @property
    def columns(self) -> dict[str, str]:
        """Field of a scheme cost -> its column."""
        return {
            "option": self.option_col,
            "year": self.year_col,
            "capital": self.capital_col,
            "revenue": self.revenue_col,
            "paid_by": self.payer_col,
        }

    @property
    def where(self) -> str:
        last = self.header_row + self.rows
        return f"{self.sheet}!{self.option_col}{self.header_row + 1}:{self.payer_col}{last}"


#: Who may pay a scheme cost, as the template lists them.
PAYERS = tuple(Payer)


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
SCHEME = SchemeCostBlock()


def library_stamp(library: Library) -> str:
    """A short fingerprint of what the template depends on: characteristics, units, ranges and age bands."""
    c = library.characteristics
    text = (
        "|".join(f"{r.characteristic_id},{r.unit},{r.valid_min},{r.valid_max}" for r in c.itertuples())
        + "|"
        + ",".join(library.band_labels)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def stamp_text(library: Library) -> str:
    """The text of :data:`STAMP_CELL` in a template made from ``library``."""
    return f"Made from evidence library {library_stamp(library)} (appraisal {__version__}). Do not edit this cell."


def price_cell(library: Library) -> Cell:
    """The price-year cell, its range set by the library's price index."""
    years = library.price_index["year"].astype(int)
    return Cell(**{**CELLS["settings.price_year"].__dict__, "low": int(years.min()), "high": int(years.max())})


def allowed_in(spec: Cell) -> str:
    """What a single input cell accepts, in words."""
    if spec.kind == "choice":
        return f"one of {', '.join(spec.choices)}"
    if spec.kind == "text":
        return "text"
    what = "a whole number" if spec.kind == "whole" else "a number"
    if spec.low is not None and spec.high is not None:
        return f"{what} from {spec.low:g} to {spec.high:g}"
    if spec.low is not None:
        return f"{what}, {spec.low:g} or more"
    return what


def is_blank(x: object) -> bool:
    """An empty cell: None, NaN, or text of spaces only."""
    return x is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(x, str) and not x.strip())


@dataclass
class Placement:
    """Where one filled workbook put the rows and columns that repeat: found while reading it.

    Attributes
    ----------
    characteristic_rows
        Characteristic id -> its row on the Environment sheet.
    option_columns
        Option name -> its column number on the Environment sheet.
    occupancy_rows
        Occupancy year -> its row in the occupancy block.
    last_column
        The rightmost column the Environment sheet uses.
    """

    characteristic_rows: dict[str, int] = field(default_factory=dict)
    option_columns: dict[str, int] = field(default_factory=dict)
    occupancy_rows: dict[int, int] = field(default_factory=dict)
    last_column: int = 0
    scheme_cost_rows: dict[str, list[int]] = field(default_factory=dict)
    """Option name -> the Scheme costs sheet's rows of its costs, in the order read."""


def cell_of(path: str, placement: Placement, library: Library) -> Place:
    """The cell (or range) holding a proposal field, through this module's one layout mapping.

    ``path`` is a dotted field path as problems name it (``options.strategic.pm25``).
    Only whole paths are matched; a path the template has no cell for stays a field path.
    """
    g, a, o = GRID, AGE_BANDS, OCCUPANCY
    if path in CELLS:
        spec = CELLS[path]
        return InCell(spec.sheet, spec.ref, spec.label)
    parts = path.split(".")
    bands = library.band_labels
    names = dict(zip(library.characteristics["characteristic_id"], library.characteristics["name"]))
    if path == "population":
        return InCell(SITE, f"{CELLS['population.total'].ref}, {a.value_ref(0)}:{a.value_ref(len(bands) - 1)}", "residents")
    if path == "population.by_age_band":
        return InCell(SITE, f"{a.value_ref(0)}:{a.value_ref(len(bands) - 1)}", "residents by age band")
    if len(parts) == 3 and parts[:2] == ["population", "by_age_band"] and parts[2] in bands:
        return InCell(SITE, a.value_ref(bands.index(parts[2])), f"residents aged {parts[2]}")
    if path == "occupancy":
        return InCell(SITE, o.where.split("!", 1)[1], "occupancy phasing")
    if len(parts) == 2 and parts[0] == "occupancy" and parts[1].isdigit() and int(parts[1]) in placement.occupancy_rows:
        return InCell(SITE, f"{o.share_col}{placement.occupancy_rows[int(parts[1])]}", f"occupancy in {parts[1]}")
    header = (
        f"{g.letter(g.first_option_col)}{g.header_row}:{g.letter(max(placement.last_column, g.first_option_col))}{g.header_row}"
    )
    if path == "options":
        return InCell(ENVIRONMENT, header, "option names")
    if len(parts) == 2 and parts[0] == "baseline" and parts[1] in placement.characteristic_rows:
        return InCell(
            ENVIRONMENT, f"{g.letter(g.baseline_col)}{placement.characteristic_rows[parts[1]]}", f"{names[parts[1]]}, baseline"
        )
    if path == "scheme_costs":
        return InCell(SCHEME_COSTS, SCHEME.where.split("!", 1)[1], "scheme costs")
    for name, rows in placement.scheme_cost_rows.items():  # an option's name may itself hold a dot
        if path == f"scheme_costs.{name}":
            return InCell(SCHEME_COSTS, f"{SCHEME.option_col}{rows[0]}", f"scheme costs of option {name!r}")
        rest = path.removeprefix(f"scheme_costs.{name}.").split(".") if path.startswith(f"scheme_costs.{name}.") else []
        if len(rest) in (1, 2) and rest[0].isdigit() and int(rest[0]) < len(rows):
            r = rows[int(rest[0])]
            col = SCHEME.columns.get(rest[1], SCHEME.option_col) if len(rest) == 2 else SCHEME.option_col
            return InCell(SCHEME_COSTS, f"{col}{r}", f"scheme cost of option {name!r}")
    for name, column in placement.option_columns.items():  # an option's name may itself hold a dot
        col = g.letter(column)
        if path == f"options.{name}":
            return InCell(ENVIRONMENT, f"{col}{g.header_row}", f"option {name!r}")
        cid = path.removeprefix(f"options.{name}.") if path.startswith(f"options.{name}.") else None
        if cid in placement.characteristic_rows:
            return InCell(ENVIRONMENT, f"{col}{placement.characteristic_rows[cid]}", f"{names[cid]}, option {name!r}")
    return InField(path)
