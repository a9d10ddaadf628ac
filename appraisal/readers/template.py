"""Read a filled Excel template into a checked :class:`~appraisal.proposal.Proposal`.

The reader turns cells into plain data and checks only what is about the
workbook itself (a cell that is not a number, the layout, option names, the
library stamp). Every rule about the values (ranges, required fields, age
bands, occupancy) is the proposal's own check; each problem it finds names a
field path, which :func:`appraisal.layout.cell_of` turns into the sheet and
cell through the one layout mapping. Every problem is reported at once.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from appraisal.errors import NOTHING, InCell, InFile, Place, Problem, ProposalError
from appraisal.evidence.library import Library, load_library
from appraisal.evidence.schemas import GROUPS
from appraisal.layout import (
    AGE_BANDS,
    CELLS,
    ENVIRONMENT,
    GRID,
    OCCUPANCY,
    PAYERS,
    SCHEME,
    SCHEME_COSTS,
    SETTINGS,
    SHEETS,
    SITE,
    STAMP_CELL,
    Placement,
    allowed_in,
    cell_of,
    is_blank,
    library_stamp,
    price_cell,
    stamp_text,
)
from appraisal.proposal import Proposal, allowed_text, make_proposal
from appraisal.readers.limits import xlsx_problem

#: What a cell of each kind accepts, as a problem code.
_KIND_CODES = {"number": "proposal.not_number", "whole": "proposal.not_whole"}


class _Unreadable:
    """A cell whose value could not be used (already reported)."""


UNREADABLE = _Unreadable()


class _Cells:
    """Reads cells of one workbook, collecting problems; never raises for a bad cell."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self.reported: set[tuple[str, str]] = set()
        self._values: Any = None
        self.wb = load_workbook(path, data_only=False)

    def report(self, problem: Problem) -> None:
        place = problem.place
        if isinstance(place, InCell):
            self.reported.add((place.sheet, place.cell))
        self.problems.append(problem)

    def raw(self, ws: Worksheet, ref: str, label: str) -> object:
        """A cell's value; a formula's saved result; :data:`UNREADABLE` for a formula with none saved."""
        cell = ws[ref]
        if cell.data_type == "f":
            if self._values is None:
                self._values = load_workbook(self.path, data_only=True)
            cached = self._values[ws.title][ref].value
            if cached is None:
                self.report(
                    Problem(
                        "template.formula_unsaved",
                        InCell(ws.title, ref, label),
                        cell.value,
                        "type the value, or open and save the workbook in Excel",
                    )
                )
                return UNREADABLE
            return cached
        return cell.value

    def read(self, ws: Worksheet, ref: str, kind: str, label: str, allowed: str) -> object:
        """A cell as ``kind`` (text, number, whole, choice): the value, None if blank, or :data:`UNREADABLE`."""
        v = self.raw(ws, ref, label)
        if v is UNREADABLE or is_blank(v):
            return None if v is not UNREADABLE else UNREADABLE
        if kind in ("text", "choice"):
            return f"{v:g}" if isinstance(v, float) else str(v).strip()
        x = _number(v, kind)
        if x is None:
            found: object = f"a date or time ({v})" if isinstance(v, (dt.date, dt.datetime, dt.time)) else v
            self.report(Problem(_KIND_CODES[kind], InCell(ws.title, ref, label), found, f"allowed: {allowed}"))
            return UNREADABLE
        return x


def _number(v: object, kind: str) -> float | int | None:
    """A cell's number, or None if it is not one (text, a date, a fraction where a whole number is needed)."""
    if isinstance(v, (bool, dt.date, dt.datetime, dt.time)):
        return None
    if isinstance(v, str):
        try:
            x = float(v.strip())
        except ValueError:
            return None
    elif isinstance(v, (int, float)):
        x = float(v)
    else:
        return None
    if not math.isfinite(x):
        return None
    if kind == "whole":
        return int(x) if x == int(x) else None
    return x


def _open(path: Path, what: str) -> _Cells:
    problem = None
    suffix = path.suffix.lower()
    if suffix == ".xls":
        problem = Problem(
            "file.kind",
            InFile(str(path)),
            suffix,
            "an old-style .xls workbook: open it in Excel and save it as an .xlsx workbook",
        )
    elif suffix != ".xlsx":
        problem = Problem(
            "file.kind",
            InFile(str(path)),
            suffix,
            "a proposal workbook is an .xlsx file: fill the template made by `appraisal template` and save it as .xlsx",
        )
    elif not path.exists():
        problem = Problem("file.missing", InFile(str(path)))
    elif not path.is_file():
        problem = Problem("file.unreadable", InFile(str(path)), "a folder", "an .xlsx workbook")
    else:
        problem = xlsx_problem(path)
    if problem:
        raise ProposalError(what, [problem])
    try:
        return _Cells(path)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        ParseError,
        DefusedXmlException,
    ) as exc:
        raise ProposalError(
            what,
            [
                Problem(
                    "file.unreadable",
                    InFile(str(path)),
                    str(exc),
                    "an .xlsx workbook (it may be damaged, or another kind of file renamed)",
                )
            ],
        ) from None


def read_template(path: str | Path, library: Library | None = None) -> Proposal:
    """Read a filled template into a checked :class:`Proposal`.

    Raises
    ------
    ProposalError
        With every problem found, each naming its sheet and cell.
    """
    return _read_placed(Path(path), library or load_library())[0]


def locate_in_template(path: str | Path, problems: list[Problem], library: Library) -> list[Problem]:
    """Problems found after reading (such as an overflow, named by field) at the template's cells.

    The workbook is read again to learn where it put each option and characteristic;
    a problem whose field has no cell keeps its field.
    """
    _, cells, placement = _read_placed(Path(path), library)
    return _located(problems, cells, placement, library)


def _read_placed(path: Path, library: Library) -> tuple[Proposal, _Cells, Placement]:
    """The checked proposal, the cells read and where the repeating rows and columns were found."""
    what = f"Proposal workbook {path}"
    cells = _open(path, what)
    missing = [s for s in SHEETS if s not in cells.wb.sheetnames]
    if missing:
        raise ProposalError(
            what,
            [
                Problem(
                    "template.missing_sheet",
                    InFile(str(path)),
                    s,
                    f"a proposal workbook has the sheets {', '.join(SHEETS)} (make one with `appraisal template`)",
                )
                for s in missing
            ],
        )
    stamp = cells.wb[STAMP_CELL[0]][STAMP_CELL[1]].value
    if stamp != stamp_text(library):
        cells.report(
            Problem(
                "template.other_library",
                InCell(*STAMP_CELL),
                stamp,
                f"the installed library is {library_stamp(library)}: make a new template with `appraisal template NEW.xlsx` and copy your values across",
            )
        )
    placement = Placement()
    data: dict[str, Any] = {
        "site": _read_single(cells, "site."),
        "population": _read_population(cells, library),
        "occupancy": _read_occupancy(cells, placement),
        "settings": _read_settings(cells, library),
    }
    data["baseline"], data["options"] = _read_environment(cells, library, placement)
    data["scheme_costs"] = _read_scheme_costs(cells, placement)
    # A value beyond the cells a sheet is read from would be silently ignored: refuse it by cell.
    last_setting = max(CELLS[f].row for f in CELLS if f.startswith("settings."))
    _refuse_far_cells(cells, cells.wb[SITE], max(OCCUPANCY.row_range[-1], AGE_BANDS.first_row + len(library.band_labels)), 6)
    _refuse_far_cells(cells, cells.wb[SCHEME_COSTS], SCHEME.row_range[-1], 6)
    _refuse_far_cells(cells, cells.wb[SETTINGS], last_setting, 4)
    try:
        proposal = make_proposal(data, library, what)
    except ProposalError as exc:
        raise ProposalError(what, cells.problems + _located(exc.problems, cells, placement, library)) from None
    if cells.problems:
        raise ProposalError(what, cells.problems)
    return proposal, cells, placement


def _located(problems: list[Problem], cells: _Cells, placement: Placement, library: Library) -> list[Problem]:
    """The proposal's problems at their cells; those at a cell already reported are left out."""
    out, seen = [], set(cells.reported)
    for q in problems:
        path = str(q.place)
        if q.code == "proposal.no_baseline":  # reported at the blank baseline cell, once per characteristic
            path = "baseline." + path.rsplit(".", 1)[1]
        place: Place = cell_of(path, placement, library)
        key = (place.sheet, place.cell) if isinstance(place, InCell) else (path, q.code)
        if key in seen:
            continue
        seen.add(key)
        out.append(Problem(q.code, place, q.found, q.allowed))
    return out


def _read_single(cells: _Cells, prefix: str) -> dict[str, object]:
    """The single cells whose field starts with ``prefix`` (blank cells left out)."""
    out = {}
    for field, spec in CELLS.items():
        if field.startswith(prefix):
            x = cells.read(cells.wb[spec.sheet], spec.ref, spec.kind, spec.label, allowed_in(spec))
            if x is not None and x is not UNREADABLE:
                out[field.split(".", 1)[1]] = x
    return out


def _read_population(cells: _Cells, library: Library) -> dict[str, object]:
    ws = cells.wb[SITE]
    out = _read_single(cells, "population.")
    bands, unreadable = {}, False
    for i, band in enumerate(library.band_labels):
        x = cells.read(ws, AGE_BANDS.value_ref(i), "number", f"residents aged {band}", "a number, 0 or more")
        unreadable |= x is UNREADABLE
        if x is not None and x is not UNREADABLE:
            bands[band] = x
    if bands:
        out["by_age_band"] = bands
    if unreadable and not out:
        # The bad band cells are reported; the residents as a whole are not also called missing.
        whole = cell_of("population", Placement(), library)
        if isinstance(whole, InCell):
            cells.reported.add((whole.sheet, whole.cell))
    return out


def _read_occupancy(cells: _Cells, placement: Placement) -> dict[int, object]:
    ws = cells.wb[SITE]
    o = OCCUPANCY
    out: dict[int, object] = {}
    for row in o.row_range:
        yref, sref = f"{o.year_col}{row}", f"{o.share_col}{row}"
        year = cells.read(ws, yref, "whole", "occupancy year", "a calendar year (whole number)")
        share = cells.read(ws, sref, "number", "share of full occupancy", "a share from 0 to 1")
        if year is UNREADABLE or share is UNREADABLE or (year is None and share is None):
            continue
        if year is None:
            cells.report(
                Problem(
                    "proposal.unpaired",
                    InCell(SITE, yref, "occupancy year"),
                    NOTHING,
                    f"{SITE}!{sref} gives a share: give the year it applies to",
                )
            )
        elif share is None:
            cells.report(
                Problem(
                    "proposal.unpaired",
                    InCell(SITE, sref, "share of full occupancy"),
                    NOTHING,
                    f"{SITE}!{yref} gives the year {year}: give the share (0 to 1)",
                )
            )
        elif year in out:
            cells.report(Problem("proposal.duplicate", InCell(SITE, yref, "occupancy year"), year, "give each year once"))
        else:
            out[int(year)] = share  # type: ignore[call-overload]
            placement.occupancy_rows[int(year)] = row  # type: ignore[call-overload]
    return out


def _read_settings(cells: _Cells, library: Library) -> dict[str, object]:
    ws = cells.wb[SETTINGS]
    out = {}
    for field, spec in CELLS.items():
        if not field.startswith("settings."):
            continue
        if field == "settings.price_year":
            spec = price_cell(library)
        x = cells.read(ws, spec.ref, spec.kind, spec.label, allowed_in(spec))
        if x is None and spec.optional:
            continue
        if x is None:
            hint = f" (the template's default is {spec.default})" if spec.default is not None else ""
            cells.report(
                Problem("proposal.blank", InCell(SETTINGS, spec.ref, spec.label), NOTHING, f"allowed: {allowed_in(spec)}{hint}")
            )
        elif x is not UNREADABLE:
            out[field.split(".", 1)[1]] = x
    return out


def _read_option_names(cells: _Cells, ws: Worksheet, placement: Placement) -> dict[int, str]:
    g = GRID
    options: dict[int, str] = {}
    seen: dict[str, str] = {}
    for col in range(g.first_option_col, placement.last_column + 1):
        ref = f"{g.letter(col)}{g.header_row}"
        name = cells.read(ws, ref, "text", "option name", "text")
        if name is None or name is UNREADABLE:
            continue
        text = str(name)
        key = text.casefold()
        if key == "baseline":
            cells.report(
                Problem(
                    "proposal.option_name",
                    InCell(ENVIRONMENT, ref, "option name"),
                    text,
                    "'baseline' names the column to the left: give the option another name",
                )
            )
        elif key in seen:
            cells.report(
                Problem(
                    "proposal.duplicate",
                    InCell(ENVIRONMENT, ref, "option name"),
                    text,
                    f"also in {seen[key]}: give each option its own name",
                )
            )
        else:
            seen[key] = ref
            options[col] = text
            placement.option_columns[text] = col
    return options


#: Most options the Environment sheet is read for, and rows read past the characteristics' own.
MAX_OPTIONS = 60
EXTRA_ROWS = 40


def _refuse_far_cells(cells: _Cells, ws: Worksheet, last_row: int, last_col: int) -> None:
    """Report cells holding something beyond the rows and columns the layout reads (the first few, by cell)."""
    far = sorted(
        (r, c)
        for (r, c), cell in ws._cells.items()  # the cells the file holds, however far apart: no walk over empty ones
        if (r > last_row or c > last_col) and not is_blank(cell.value)
    )
    if far:
        refs = ", ".join(f"{GRID.letter(c)}{r}" for r, c in far[:5]) + (f" and {len(far) - 5:,} more" if len(far) > 5 else "")
        cells.report(
            Problem(
                "template.value_outside_grid",
                InCell(ws.title, refs),
                NOTHING,
                f"the sheet is read up to row {last_row} and column {GRID.letter(last_col)}: clear these cells",
            )
        )


def _read_environment(
    cells: _Cells, library: Library, placement: Placement
) -> tuple[dict[str, object], dict[str, dict[str, object]]]:
    ws = cells.wb[ENVIRONMENT]
    g = GRID
    chars = library.characteristics.set_index("characteristic_id")
    # Read only within the layout: a stray cell far away must not make the reader walk a million rows.
    last_row = g.first_row + len(chars) + len(GROUPS) + EXTRA_ROWS
    last_col = g.first_option_col + MAX_OPTIONS - 1
    _refuse_far_cells(cells, ws, last_row, last_col)
    placement.last_column = min(max(ws.max_column, g.first_option_col), last_col)
    options = _read_option_names(cells, ws, placement)
    baseline: dict[str, object] = {}
    values: dict[str, dict[str, object]] = {name: {} for name in options.values()}
    unnamed: set[int] = set()
    for row in range(g.first_row, min(ws.max_row, last_row) + 1):
        cid = ws.cell(row=row, column=g.id_col).value
        cid = cid.strip() if isinstance(cid, str) else cid
        filled = [
            col for col in range(g.baseline_col, placement.last_column + 1) if not is_blank(ws.cell(row=row, column=col).value)
        ]
        if is_blank(cid):
            if filled:
                refs = ", ".join(f"{g.letter(c)}{row}" for c in filled)
                cells.report(
                    Problem(
                        "template.value_outside_grid",
                        InCell(ENVIRONMENT, refs),
                        NOTHING,
                        f"row {row} is not a characteristic's row (its column {g.letter(g.id_col)} is blank): type values only in characteristic rows",
                    )
                )
            continue
        id_ref = f"{g.letter(g.id_col)}{row}"
        if cid not in chars.index:
            cells.report(
                Problem(
                    "template.unknown_row",
                    InCell(ENVIRONMENT, id_ref),
                    cid,
                    "this template does not match the evidence library: make a new one with `appraisal template`",
                )
            )
            continue
        if cid in placement.characteristic_rows:
            cells.report(
                Problem(
                    "proposal.duplicate",
                    InCell(ENVIRONMENT, id_ref),
                    cid,
                    f"also in row {placement.characteristic_rows[cid]}: keep one row",
                )
            )
            continue
        placement.characteristic_rows[cid] = row
        c = chars.loc[cid]
        allowed = allowed_text(c["valid_min"], c["valid_max"], c["unit"], c["value_kind"])
        base = cells.read(ws, f"{g.letter(g.baseline_col)}{row}", "number", f"{c['name']}, baseline", allowed)
        if base is UNREADABLE:
            continue  # reported; its options cannot be compared with it
        if base is not None:
            baseline[cid] = base
        for col in range(g.first_option_col, placement.last_column + 1):
            if col not in options:
                if col in filled:
                    unnamed.add(col)
                continue
            x = cells.read(ws, f"{g.letter(col)}{row}", "number", f"{c['name']}, option {options[col]!r}", allowed)
            if x is not None and x is not UNREADABLE:
                values[options[col]][cid] = x
    for col in sorted(unnamed):
        ref = f"{g.letter(col)}{g.header_row}"
        if (ENVIRONMENT, ref) not in cells.reported:
            cells.report(
                Problem(
                    "template.value_outside_grid",
                    InCell(ENVIRONMENT, ref, "option name"),
                    NOTHING,
                    f"column {g.letter(col)} has values but no option name: type the option's name in {ref}, or clear the column",
                )
            )
    # A characteristic set by the shares of dwellings in its bands has rows for its bands only.
    banded = set(chars["band_of"])
    missing = [cid for cid in chars.index if cid not in placement.characteristic_rows and cid not in banded]
    if missing:
        cells.report(
            Problem(
                "template.missing_rows",
                InCell(ENVIRONMENT, f"{g.letter(g.id_col)}:{g.letter(g.id_col)}", "characteristic ids"),
                ", ".join(missing),
                "this template does not match the evidence library: make a new one with `appraisal template`",
            )
        )
    return baseline, values


def _read_scheme_costs(cells: _Cells, placement: Placement) -> dict[str, list[dict[str, object]]]:
    """The Scheme costs sheet: one cost per filled row, by option (checked by the proposal: option, years, signs)."""
    ws = cells.wb[SCHEME_COSTS]
    b = SCHEME
    kinds = {"option": "text", "year": "whole", "capital": "number", "revenue": "number", "paid_by": "choice"}
    allowed = {
        "option": "an option's name, as on the Environment sheet",
        "year": "a financial year (2027 = 2027-28)",
        "capital": "a sum of money in £, 0 or more",
        "revenue": "a sum of money in £, 0 or more",
        "paid_by": f"one of {', '.join(PAYERS)}",
    }
    out: dict[str, list[dict[str, object]]] = {}
    for row in b.row_range:
        values = {
            f: cells.read(ws, f"{col}{row}", kinds[f], f"scheme cost {f.replace('_', ' ')}", allowed[f])
            for f, col in b.columns.items()
        }
        if all(v is None for v in values.values()):
            continue
        if any(v is UNREADABLE for v in values.values()):
            continue
        missing = [f for f in ("option", "year", "paid_by") if values[f] is None]
        if values["capital"] is None and values["revenue"] is None:
            missing.append("capital")
        for f in missing:
            cells.report(
                Problem(
                    "proposal.unpaired",
                    InCell(SCHEME_COSTS, f"{b.columns[f]}{row}", f"scheme cost {f.replace('_', ' ')}"),
                    NOTHING,
                    f"row {row} gives part of a scheme cost: give {allowed[f]}"
                    + (" (or a revenue cost)" if f == "capital" else ""),
                )
            )
        if missing:
            continue
        option = str(values.pop("option"))
        entry = {k: v for k, v in values.items() if v is not None}
        out.setdefault(option, []).append(entry)
        placement.scheme_cost_rows.setdefault(option, []).append(row)
    return out
