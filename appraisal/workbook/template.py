"""The Excel template: written from the evidence library, read back into a :class:`~appraisal.proposal.Proposal`.

Both directions use the positions in :mod:`appraisal.workbook.layout`, so the
template and its reader cannot drift apart. The reader reports every problem
at once, each naming the sheet and cell, the value found and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from appraisal import __version__
from appraisal.errors import InCell, InField, InFile, Problem, ProposalError
from appraisal.evidence.library import Library, load_library
from appraisal.evidence.schemas import GROUPS
from appraisal.proposal import Proposal, allowed_text, make_proposal, valid_range_text
from appraisal.workbook.layout import (
    AGE_BANDS,
    CELLS,
    ENVIRONMENT,
    GRID,
    INSTRUCTIONS,
    OCCUPANCY,
    SETTINGS,
    SHEETS,
    SITE,
    STAMP_CELL,
    Cell,
)

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
INPUT_FONT = Font(color="1F4E79", bold=True)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="EDEDED")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GROUP_NAMES = {
    "housing_indoor": "Housing and indoor environment",
    "natural_environment": "Natural environment",
    "transport": "Transport",
    "community_infrastructure": "Community infrastructure",
    "socio_economic": "Socio-economic",
    "climate": "Climate",
}


def library_stamp(library: Library) -> str:
    """A short fingerprint of what the template depends on: characteristics, units, ranges and age bands."""
    c = library.characteristics
    text = "|".join(
        f"{r.characteristic_id},{r.unit},{r.valid_min},{r.valid_max}" for r in c.itertuples()
    ) + "|" + ",".join(library.band_labels)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _stamp_text(library: Library) -> str:
    return f"Made from evidence library {library_stamp(library)} (appraisal {__version__}). Do not edit this cell."


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def write_template(path: str | Path, library: Library | None = None, proposal: Proposal | None = None) -> Path:
    """Write the Excel template, blank or filled with ``proposal``.

    Parameters
    ----------
    path
        Where to write the ``.xlsx`` workbook.
    library
        The evidence library the template is made from (default: the shipped one).
    proposal
        If given, its values are filled in (used for the bundled example and round trips).
    """
    library = library or load_library()
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    n_options = max(GRID.option_cols, len(proposal.options) if proposal else 0)
    _instructions(wb.create_sheet(INSTRUCTIONS), library, n_options)
    _site(wb.create_sheet(SITE), library, proposal)
    _environment(wb.create_sheet(ENVIRONMENT), library, proposal, n_options)
    _settings(wb.create_sheet(SETTINGS), library, proposal)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _input(cell, value=None) -> None:
    cell.value = value
    cell.fill = INPUT_FILL
    cell.font = INPUT_FONT
    cell.border = BOX
    cell.protection = Protection(locked=False)


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _validation(ws: Worksheet, kind: str, low=None, high=None, choices=(), title="", message="") -> DataValidation:
    if kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    elif kind == "text":
        dv = DataValidation(type="textLength", operator="greaterThan", formula1="0", allow_blank=True)
    else:
        vtype = "whole" if kind == "whole" else "decimal"
        if low is not None and high is not None:
            dv = DataValidation(type=vtype, operator="between", formula1=f"{low:g}", formula2=f"{high:g}", allow_blank=True)
        elif low is not None:
            dv = DataValidation(type=vtype, operator="greaterThanOrEqual", formula1=f"{low:g}", allow_blank=True)
        elif high is not None:
            dv = DataValidation(type=vtype, operator="lessThanOrEqual", formula1=f"{high:g}", allow_blank=True)
        else:
            dv = DataValidation(type=vtype, operator="between", formula1="-1E+300", formula2="1E+300", allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = title[:32] or "Value not allowed"
    dv.error = message[:255]
    ws.add_data_validation(dv)
    return dv


def _title(ws: Worksheet, title: str, lines: list[str]) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(size=14, bold=True)
    for i, line in enumerate(lines):
        ws.cell(row=2 + i, column=1, value=line).alignment = Alignment(wrap_text=False)


def _instructions(ws: Worksheet, library: Library, n_options: int) -> None:
    ws["A1"] = "Health appraisal of an urban development: proposal template"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A3"] = "Library"
    ws[STAMP_CELL[1]] = _stamp_text(library)
    ws[STAMP_CELL[1]].font = Font(color="808080", italic=True)
    text = [
        "What this workbook is for",
        "Describe a development site, its residents, and how the local environment would be without the scheme (the baseline) "
        "and under each option. The appraisal engine compares each option with the baseline and reports the change in cases "
        "of illness, deaths and costs, and whose budget they land on (NHS, social care, households, employers, government).",
        "",
        "What to fill (yellow cells only; everything else is locked)",
        "1. Site: the site's name, its local authority, and its residents at full occupancy, either as a total "
        "(spread over England's age structure) or by age band. Then the occupancy phasing: a year and the share "
        "of full occupancy reached that year (years not listed keep the share of the latest year before them).",
        f"2. Environment: one row per characteristic of the urban environment, grouped as in the evidence library. "
        f"Type the baseline value in the Baseline column and each option's value under the option's name. Name up to "
        f"{n_options} options in the yellow header cells. An option cell left blank keeps the baseline value. Leave a "
        "characteristic's row blank throughout if the scheme does not change it.",
        "   Example: the site's annual mean PM2.5 is 9.5 ug/m3 today and 8.9 ug/m3 under 'ambitious': "
        "type 9.5 under Baseline and 8.9 under 'ambitious'.",
        "3. Settings: the appraisal start year, period, price year, discounting, lag and ramp-in, and how deaths are valued. "
        "Defaults are filled in and explained beside each.",
        "",
        "Run it",
        "   appraisal run this-file.xlsx --out report.xlsx",
        "The report workbook holds the summary, the cost-landing table by bearer, component and year, the results by "
        "pathway, cases and deaths by year, and the evidence behind every number.",
        "",
        "Good to know",
        "- Values outside a characteristic's valid range are refused when typed, and again when the file is read.",
        "- Every problem in a filled template is reported at once, with its sheet and cell.",
        f"- To appraise more than {n_options} options, unprotect the Environment sheet (Review > Unprotect Sheet; no password), "
        "and add columns to the right: each column with a name in the header row is read as an option.",
        "- This template matches one version of the evidence library (cell B3). If the library changes, make a new "
        "template with `appraisal template NEW.xlsx` and copy your values across.",
    ]
    for i, line in enumerate(text):
        c = ws.cell(row=5 + i, column=1, value=line)
        if line and not line.startswith((" ", "-")) and not line[0].isdigit() and len(line) < 60:
            c.font = Font(bold=True)
    ws.column_dimensions["A"].width = 140
    ws.column_dimensions["B"].width = 20
    for i in range(len(text)):
        ws.cell(row=5 + i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    _protect(ws)


def _cell_input(ws: Worksheet, spec: Cell, value) -> None:
    ws.cell(row=spec.row, column=2, value=spec.label).font = Font(bold=True)
    _input(ws[spec.ref], value)
    ws.cell(row=spec.row, column=4, value=spec.help).alignment = Alignment(wrap_text=True, vertical="top")
    dv = _validation(ws, spec.kind, spec.low, spec.high, spec.choices, spec.label, _allowed(spec))
    dv.add(spec.ref)


def _site(ws: Worksheet, library: Library, proposal: Proposal | None) -> None:
    _title(ws, "Site and residents", ["Fill the yellow cells. Give residents as a total or by age band, not both."])
    p = proposal
    values = {
        "site.name": p.site.name if p else None,
        "site.local_authority": p.site.local_authority if p else None,
        "population.total": p.population.total if p else None,
    }
    for field, value in values.items():
        _cell_input(ws, CELLS[field], value)
    ws.cell(row=AGE_BANDS.first_row - 1, column=2, value="Residents by age band (instead of the total)").font = Font(bold=True)
    by_band = p.population.by_age_band if p and p.population.by_age_band else {}
    dv = _validation(ws, "number", 0, None, title="Residents", message="Residents must be a number, 0 or more.")
    for i, band in enumerate(library.band_labels):
        ws[f"{AGE_BANDS.label_col}{AGE_BANDS.first_row + i}"] = band
        _input(ws[AGE_BANDS.value_ref(i)], by_band.get(band))
        dv.add(AGE_BANDS.value_ref(i))
    o = OCCUPANCY
    ws[f"{o.year_col}{o.first_row - 2}"] = "Occupancy phasing"
    ws[f"{o.year_col}{o.first_row - 2}"].font = Font(bold=True)
    ws[f"{o.year_col}{o.first_row - 1}"] = "Year"
    ws[f"{o.share_col}{o.first_row - 1}"] = "Share of full occupancy (0-1)"
    dv_year = _validation(ws, "whole", 1990, 2225, title="Year", message="A calendar year, e.g. 2028.")
    dv_share = _validation(ws, "number", 0, 1, title="Occupancy", message="A share from 0 to 1, e.g. 0.5 for half occupied.")
    occupancy = sorted(p.occupancy.items()) if p else []
    for k, r in enumerate(o.row_range):
        year, share = occupancy[k] if k < len(occupancy) else (None, None)
        _input(ws[f"{o.year_col}{r}"], year)
        _input(ws[f"{o.share_col}{r}"], share)
        dv_year.add(f"{o.year_col}{r}")
        dv_share.add(f"{o.share_col}{r}")
    ws.column_dimensions["A"].width = 2
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions["D"].width = 60
    ws.column_dimensions[o.year_col].width = 12
    ws.column_dimensions[o.share_col].width = 28
    _protect(ws)


def _environment(ws: Worksheet, library: Library, proposal: Proposal | None, n_options: int) -> None:
    g = GRID
    _title(
        ws,
        "The environment at the site: baseline and options",
        [
            "One row per characteristic. Type the baseline value and each option's value in the characteristic's unit.",
            "An option cell left blank keeps the baseline value. Name each option in the yellow header cell above its column.",
            "Every value must lie in the characteristic's valid range.",
        ],
    )
    header = ["id", *g.info_cols, "Baseline"]
    for j, text in enumerate(header):
        c = ws.cell(row=g.header_row, column=g.id_col + j, value=text)
        c.font = Font(bold=True)
        c.fill = HEAD_FILL
        c.border = BOX
    names = list(proposal.options) if proposal else []
    dv_name = _validation(ws, "text", title="Option name", message="Type the option's name, e.g. ambitious.")
    for k in range(n_options):
        _input(ws.cell(row=g.header_row, column=g.first_option_col + k), names[k] if k < len(names) else None)
        dv_name.add(f"{g.letter(g.first_option_col + k)}{g.header_row}")
    ws.cell(row=g.header_row - 1, column=g.first_option_col, value="Options: type a name above each column").font = Font(italic=True)
    last_col = g.first_option_col + n_options - 1
    chars = library.characteristics
    r = g.first_row
    for group in GROUPS:
        rows = chars[chars["group"] == group]
        if rows.empty:
            continue
        ws.cell(row=r, column=g.id_col + 1, value=GROUP_NAMES.get(group, group)).font = Font(bold=True)
        for col in range(g.id_col, last_col + 1):
            ws.cell(row=r, column=col).fill = GROUP_FILL
        r += 1
        for c in rows.itertuples():
            typical = "" if _blank(c.typical_england_value) else f"{c.typical_england_value:g} ({int(c.typical_year)})" if not _blank(c.typical_year) else f"{c.typical_england_value:g}"
            info = [c.characteristic_id, c.name, c.metric, c.unit, valid_range_text(c.valid_min, c.valid_max, c.unit), c.how_to_measure, typical]
            for j, text in enumerate(info):
                cell = ws.cell(row=r, column=g.id_col + j, value=text)
                cell.alignment = Alignment(wrap_text=j in (1, 2, 5), vertical="top")
                cell.border = BOX
            ws.cell(row=r, column=g.id_col).font = Font(color="808080", size=8)
            base = proposal.baseline.get(c.characteristic_id) if proposal else None
            _input(ws.cell(row=r, column=g.baseline_col), base)
            for k in range(n_options):
                value = proposal.options[names[k]].get(c.characteristic_id) if k < len(names) else None
                _input(ws.cell(row=r, column=g.first_option_col + k), value)
            low = None if _blank(c.valid_min) else float(c.valid_min)
            high = None if _blank(c.valid_max) else float(c.valid_max)
            dv = _validation(
                ws, "number", low, high, title=c.name,
                message=f"{c.name}: {allowed_text(c.valid_min, c.valid_max, c.unit)}.",
            )
            dv.add(f"{g.letter(g.baseline_col)}{r}:{g.letter(last_col)}{r}")
            r += 1
    widths = {g.id_col: 14, g.id_col + 1: 30, g.id_col + 2: 34, g.id_col + 3: 14, g.id_col + 4: 22, g.id_col + 5: 60, g.id_col + 6: 16}
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for col in range(g.baseline_col, last_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.freeze_panes = ws.cell(row=g.first_row, column=g.id_col + 2)
    _protect(ws)


def _settings(ws: Worksheet, library: Library, proposal: Proposal | None) -> None:
    _title(ws, "Settings", ["Defaults are filled in; change them if your appraisal needs other values."])
    years = library.price_index["year"].astype(int)
    defaults = {
        "settings.start_year": dt.date.today().year + 1,
        "settings.price_year": int(years.max()),
    }
    for field, spec in CELLS.items():
        if not field.startswith("settings."):
            continue
        if field == "settings.price_year":
            spec = _price_cell(spec, library)
        value = getattr(proposal.settings, field.split(".", 1)[1]) if proposal else defaults.get(field, spec.default)
        _cell_input(ws, spec, value)
    ws.column_dimensions["A"].width = 2
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 100
    _protect(ws)


def _price_cell(spec: Cell, library: Library) -> Cell:
    years = library.price_index["year"].astype(int)
    return Cell(**{**spec.__dict__, "low": int(years.min()), "high": int(years.max())})


def _allowed(spec: Cell) -> str:
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


def _blank(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(x, str) and not x.strip())


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


class _Reader:
    """Reads cells, collecting problems; never raises for a bad cell."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self.where: dict[str, str] = {}
        self.bad: set[str] = set()
        self._values = None
        self.wb = load_workbook(path, data_only=False)

    def raw(self, ws: Worksheet, ref: str):
        cell = ws[ref]
        if cell.data_type == "f":
            if self._values is None:
                self._values = load_workbook(self.path, data_only=True)
            cached = self._values[ws.title][ref].value
            if cached is None:
                self.problems.append(_problem("proposal.invalid", f"{ws.title}!{ref}", f"holds a formula ({cell.value}) whose result was not saved; type the value, or open and save the workbook in Excel"))
                return _FORMULA
            return cached
        return cell.value

    def value(self, ws: Worksheet, ref: str, kind: str, field: str, label: str, allowed: str, low=None, high=None, choices=()):
        place = f"{ws.title}!{ref} ({label})"
        self.where[field] = place
        v = self.raw(ws, ref)
        if v is _FORMULA:
            self.bad.add(field)
            return None
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        problem = None
        if kind == "text":
            out = str(v).strip() if not isinstance(v, float) else f"{v:g}"
            return out
        if kind == "choice":
            out = str(v).strip()
            if out not in choices:
                problem = f"found {v!r}; must be {allowed}"
        else:
            out, problem = _number(v, kind, allowed)
            if problem is None and ((low is not None and out < low) or (high is not None and out > high)):
                problem = f"found {out:g}; must be {allowed}"
        if problem:
            code = "proposal.not_choice" if kind == "choice" else "proposal.out_of_range" if out is not None else "proposal.not_number"
            self.problems.append(_problem(code, place, problem))
            self.bad.add(field)
            return None
        return out


_FORMULA = object()


def _number(v, kind: str, allowed: str) -> tuple[float | int | None, str | None]:
    if isinstance(v, bool):
        return None, f"found {v!r}; must be {allowed}"
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return None, f"found a date or time ({v}); must be {allowed}"
    if isinstance(v, str):
        try:
            x = float(v.strip())
        except ValueError:
            return None, f"found text {v!r}; must be {allowed}"
    elif isinstance(v, (int, float)):
        x = float(v)
    else:
        return None, f"found {v!r}; must be {allowed}"
    if not math.isfinite(x):
        return None, f"found {v!r}; must be {allowed}"
    if kind == "whole":
        if x != int(x):
            return None, f"found {x:g}; must be {allowed}"
        return int(x), None
    return x, None


def read_template(path: str | Path, library: Library | None = None) -> Proposal:
    """Read a filled template into a checked :class:`Proposal`.

    Raises
    ------
    ProposalError
        With every problem found, each naming its sheet and cell.
    """
    library = library or load_library()
    path = Path(path)
    what = f"Proposal workbook {path}"
    opened = _open(path, what)
    reader = opened
    missing = [s for s in SHEETS if s not in reader.wb.sheetnames]
    if missing:
        raise ProposalError(what, [
            Problem("template.missing_sheet", InFile(str(path)), allowed=f"sheet {s!r} is missing; a proposal workbook has the sheets {', '.join(SHEETS)} (make one with `appraisal template`)")
            for s in missing
        ])
    stamp = reader.wb[STAMP_CELL[0]][STAMP_CELL[1]].value
    if stamp != _stamp_text(library):
        reader.problems.append(_problem("template.other_library", 
            f"{STAMP_CELL[0]}!{STAMP_CELL[1]}",
            f"this template was made from another version of the evidence library ({stamp!r}); the installed library is "
            f"{library_stamp(library)}. Make a new template with `appraisal template NEW.xlsx` and copy your values across",
        ))
    data = {
        "site": _read_site(reader),
        "population": _read_population(reader, library),
        "occupancy": _read_occupancy(reader),
        "settings": _read_settings(reader, library),
    }
    data["baseline"], data["options"] = _read_environment(reader, library)
    problems = list(reader.problems)
    try:
        proposal = make_proposal(data, library, what)
    except ProposalError as exc:
        problems += [_locate(q, reader) for q in exc.problems if not _already_reported(str(q.place), reader.bad)]
        raise ProposalError(what, problems) from None
    if problems:
        raise ProposalError(what, problems)
    return proposal


def _open(path: Path, what: str) -> _Reader:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ProposalError(what, [Problem("file.kind", InFile(str(path)), allowed="is an old-style .xls workbook; open it in Excel and save it as an .xlsx workbook")])
    if suffix != ".xlsx":
        raise ProposalError(what, [Problem("file.kind", InFile(str(path)), allowed="is not an .xlsx workbook; fill the template made by `appraisal template` and save it as .xlsx")])
    if not path.exists():
        raise ProposalError(what, [Problem("file.missing", InFile(str(path)), allowed="file not found")])
    try:
        return _Reader(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ProposalError(what, [Problem("file.unreadable", InFile(str(path)), allowed=f"cannot be opened as an .xlsx workbook (it may be damaged, or another kind of file renamed): {exc}")]) from None


def _read_site(r: _Reader) -> dict:
    ws = r.wb[SITE]
    out = {}
    for field in ("site.name", "site.local_authority"):
        spec = CELLS[field]
        out[field.split(".")[1]] = r.value(ws, spec.ref, spec.kind, field, spec.label, _allowed(spec))
    r.where["site"] = f"{SITE}!{CELLS['site.name'].ref} (site)"
    if out["name"] is None:
        r.problems.append(_problem("proposal.blank", f"{SITE}!{CELLS['site.name'].ref} ({CELLS['site.name'].label})", "blank; give the site's or scheme's name"))
        r.bad.add("site.name")
    return {k: v for k, v in out.items() if v is not None or k == "name"}


def _read_population(r: _Reader, library: Library) -> dict:
    ws = r.wb[SITE]
    spec = CELLS["population.total"]
    total = r.value(ws, spec.ref, "number", "population.total", spec.label, _allowed(spec), low=0)
    bands = {}
    band_values = {}
    for i, band in enumerate(library.band_labels):
        ref = AGE_BANDS.value_ref(i)
        field = f"population.by_age_band.{band}"
        x = r.value(ws, ref, "number", field, f"residents aged {band}", "a number, 0 or more", low=0)
        band_values[band] = (ref, x)
        if x is not None:
            bands[band] = x
    first, last = AGE_BANDS.value_ref(0), AGE_BANDS.value_ref(len(library.band_labels) - 1)
    r.where["population.by_age_band"] = f"{SITE}!{first}:{last} (residents by age band)"
    r.where["population"] = f"{SITE}!{spec.ref} and {SITE}!{first}:{last} (residents)"
    filled = bool(bands) or any(f"population.by_age_band.{b}" in r.bad for b in library.band_labels)
    out: dict = {}
    if total is not None or "population.total" in r.bad:
        out["total"] = total
    if filled:
        blank = [ref for band, (ref, x) in band_values.items() if x is None and f"population.by_age_band.{band}" not in r.bad]
        if blank and total is None:
            r.problems.append(_problem("proposal.blank", f"{SITE}!{', '.join(blank)}", "blank: give residents in every age band (0 where there are none), or only a total"))
            r.bad.add("population.by_age_band")
        out["by_age_band"] = bands
    if total is None and "population.total" in r.bad:
        out.pop("total")
    if not out and "population.total" not in r.bad:
        r.problems.append(_problem("proposal.blank", f"{SITE}!{spec.ref}", "blank: give the residents at full occupancy as a total here, or by age band below"))
        r.bad.add("population")
    return {k: v for k, v in out.items() if v is not None}


def _read_occupancy(r: _Reader) -> dict:
    ws = r.wb[SITE]
    o = OCCUPANCY
    out: dict[int, float] = {}
    r.where["occupancy"] = f"{o.where} (occupancy phasing)"
    for row in o.row_range:
        yref, sref = f"{o.year_col}{row}", f"{o.share_col}{row}"
        year = r.value(ws, yref, "whole", f"occupancy.row{row}", "occupancy year", "a calendar year (whole number)", low=1990, high=2225)
        share = r.value(ws, sref, "number", f"occupancy.share{row}", "share of full occupancy", "a share from 0 to 1", low=0, high=1)
        year_bad, share_bad = f"occupancy.row{row}" in r.bad, f"occupancy.share{row}" in r.bad
        if year is None and share is None:
            if year_bad or share_bad:
                r.bad.add("occupancy")
            continue
        if year is None and not year_bad:
            r.problems.append(_problem("proposal.unpaired", f"{SITE}!{yref} (occupancy year)", f"blank, but {SITE}!{sref} gives a share; give the year it applies to"))
        elif share is None and not share_bad:
            r.problems.append(_problem("proposal.unpaired", f"{SITE}!{sref} (share of full occupancy)", f"blank, but {SITE}!{yref} gives the year {year}; give the share (0 to 1)"))
        elif year in out:
            r.problems.append(_problem("proposal.duplicate", f"{SITE}!{yref} (occupancy year)", f"the year {year} is listed twice; give each year once"))
        if year is not None and share is not None and year not in out:
            out[year] = share
            r.where[f"occupancy.{year}"] = f"{SITE}!{sref} (occupancy in {year})"
        else:
            r.bad.add("occupancy")
    return out


def _read_settings(r: _Reader, library: Library) -> dict:
    ws = r.wb[SETTINGS]
    out = {}
    for field, spec in CELLS.items():
        if not field.startswith("settings."):
            continue
        if field == "settings.price_year":
            spec = _price_cell(spec, library)
        x = r.value(ws, spec.ref, spec.kind, field, spec.label, _allowed(spec), spec.low, spec.high, spec.choices)
        name = field.split(".", 1)[1]
        if x is None and field not in r.bad:
            hint = f" (the template's default is {spec.default})" if spec.default is not None else ""
            r.problems.append(_problem("proposal.blank", f"{SETTINGS}!{spec.ref} ({spec.label})", f"blank; must be {_allowed(spec)}{hint}"))
            r.bad.add(field)
        if x is not None:
            out[name] = x
    return out


def _read_environment(r: _Reader, library: Library) -> tuple[dict, dict]:
    ws = r.wb[ENVIRONMENT]
    g = GRID
    chars = library.characteristics.set_index("characteristic_id")
    # Option columns: every column right of the baseline with a name or a value.
    last_col = max(ws.max_column, g.first_option_col)
    options: dict[int, str] = {}
    seen_names: dict[str, str] = {}
    for col in range(g.first_option_col, last_col + 1):
        ref = f"{g.letter(col)}{g.header_row}"
        name = r.value(ws, ref, "text", f"options.header{col}", "option name", "text")
        if name is None:
            continue
        key = name.casefold()
        if key == "baseline":
            r.problems.append(_problem("proposal.option_name", f"{ENVIRONMENT}!{ref} (option name)", "'baseline' is the name of the column to the left; give the option another name"))
            r.bad.add(f"options.header{col}")
        elif key in seen_names:
            r.problems.append(_problem("proposal.duplicate", f"{ENVIRONMENT}!{ref} (option name)", f"the option name {name!r} is used twice (also in {seen_names[key]}); give each option its own name"))
            r.bad.add(f"options.header{col}")
        else:
            seen_names[key] = ref
            options[col] = name
            r.where[f"options.{name}"] = f"{ENVIRONMENT}!{ref} (option {name!r})"
    r.where["options"] = f"{ENVIRONMENT}!{g.letter(g.first_option_col)}{g.header_row}:{g.letter(last_col)}{g.header_row} (option names)"
    if not options and not r.bad & {f"options.header{col}" for col in range(g.first_option_col, last_col + 1)}:
        r.problems.append(_problem("proposal.too_few", r.where["options"], "no option is named; type a name above each option's column and fill its values"))
        r.bad.add("options")
    r.where["baseline"] = f"{ENVIRONMENT}!{g.letter(g.baseline_col)} (baseline column)"
    baseline: dict[str, float] = {}
    values: dict[str, dict[str, float]] = {name: {} for name in options.values()}
    found_rows: dict[str, int] = {}
    unnamed_cols: set[int] = set()
    for row in range(g.first_row, ws.max_row + 1):
        cid = ws.cell(row=row, column=g.id_col).value
        cid = cid.strip() if isinstance(cid, str) else cid
        filled = [col for col in range(g.baseline_col, last_col + 1) if not _blank(ws.cell(row=row, column=col).value)]
        if _blank(cid):
            if filled:
                refs = ", ".join(f"{g.letter(c)}{row}" for c in filled)
                r.problems.append(_problem("template.value_outside_grid", f"{ENVIRONMENT}!{refs}", f"values in row {row}, which is not a characteristic's row (its column {g.letter(g.id_col)} is blank); type values only in characteristic rows"))
            continue
        if cid not in chars.index:
            r.problems.append(_problem("template.unknown_row", f"{ENVIRONMENT}!{g.letter(g.id_col)}{row}", f"unknown characteristic {cid!r}; this template does not match the evidence library (make a new one with `appraisal template`)"))
            continue
        if cid in found_rows:
            r.problems.append(_problem("proposal.duplicate", f"{ENVIRONMENT}!{g.letter(g.id_col)}{row}", f"characteristic {cid!r} appears twice (also in row {found_rows[cid]}); keep one row"))
            continue
        found_rows[cid] = row
        c = chars.loc[cid]
        lo = None if _blank(c["valid_min"]) else float(c["valid_min"])
        hi = None if _blank(c["valid_max"]) else float(c["valid_max"])
        allowed = allowed_text(c["valid_min"], c["valid_max"], c["unit"])
        bref = f"{g.letter(g.baseline_col)}{row}"
        base = r.value(ws, bref, "number", f"baseline.{cid}", f"{c['name']}, baseline", allowed, lo, hi)
        if base is not None:
            baseline[cid] = base
        set_by: list[str] = []
        for col in range(g.first_option_col, last_col + 1):
            ref = f"{g.letter(col)}{row}"
            if col not in options:
                if col in filled:
                    unnamed_cols.add(col)
                continue
            name = options[col]
            x = r.value(ws, ref, "number", f"options.{name}.{cid}", f"{c['name']}, option {name!r}", allowed, lo, hi)
            if x is None:
                continue
            values[name][cid] = x
            if base is None:
                set_by.append(f"option {name!r} sets it to {x:g} in {ref}")
                r.bad.add(f"options.{name}.{cid}")
        if set_by and f"baseline.{cid}" not in r.bad:
            r.problems.append(_problem("proposal.no_baseline", f"{ENVIRONMENT}!{bref} ({c['name']}, baseline)", f"blank, but {' and '.join(set_by)}; give the baseline value so the options can be compared with it"))
    for col in sorted(unnamed_cols):
        ref = f"{g.letter(col)}{g.header_row}"
        if f"options.header{col}" not in r.bad:
            r.problems.append(_problem("proposal.option_name", f"{ENVIRONMENT}!{ref} (option name)", f"column {g.letter(col)} has values but no option name; type the option's name in {ref}, or clear the column"))
    missing = [cid for cid in chars.index if cid not in found_rows]
    if missing:
        r.problems.append(_problem("template.missing_rows", ENVIRONMENT, f"no row for {', '.join(missing)}; this template does not match the evidence library (make a new one with `appraisal template`)"))
    return baseline, values


def _problem(code: str, place: str, message: str) -> Problem:
    """A problem at a place written ``Sheet!A1 (label)``, ``Sheet!A1`` or ``Sheet``; the old message as what is allowed."""
    sheet, _, rest = place.partition("!")
    cell, _, label = rest.partition(" (")
    return Problem(code, InCell(sheet, cell, label.removesuffix(")") or None), allowed=message)


def _already_reported(place: str, bad: set[str]) -> bool:
    if place in bad or any(place.startswith(b + ".") for b in bad):
        return True
    parts = place.split(".")
    # An option value is judged against the baseline; a bad baseline cell has been reported already.
    return len(parts) == 3 and parts[0] == "options" and f"baseline.{parts[2]}" in bad


def _locate(problem: Problem, r: _Reader) -> Problem:
    """Rewrite a proposal field path (``options.strategic.pm25``) as its sheet and cell."""
    parts = str(problem.place).split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in r.where:
            located = _problem(problem.code, r.where[key], "")
            return Problem(problem.code, located.place, problem.found, problem.allowed)
    return problem
