"""The Excel template, written from the evidence library (blank, or filled with a proposal).

Positions come from :mod:`appraisal.layout`, the mapping the reader
(:mod:`appraisal.readers.template`) uses too, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from appraisal.evidence.library import Library, load_library
from appraisal.evidence.schemas import GROUPS
from appraisal.layout import (
    AGE_BANDS,
    CELLS,
    ENVIRONMENT,
    GRID,
    INSTRUCTIONS,
    OCCUPANCY,
    PAYERS,
    SCHEME,
    SCHEME_COSTS,
    SETTINGS,
    SITE,
    STAMP_CELL,
    Cell,
    allowed_in,
    is_blank,
    price_cell,
    stamp_text,
)
from appraisal.proposal import Proposal, allowed_text, valid_range_text
from appraisal.wording import GROUP_NAMES
from appraisal.writers.neutral import text_cells_only

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
INPUT_FONT = Font(color="1F4E79", bold=True)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="EDEDED")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
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
    _scheme_costs(wb.create_sheet(SCHEME_COSTS), proposal)
    _settings(wb.create_sheet(SETTINGS), library, proposal)
    path.parent.mkdir(parents=True, exist_ok=True)
    text_cells_only(wb).save(path)
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
    ws[STAMP_CELL[1]] = stamp_text(library)
    ws[STAMP_CELL[1]].font = Font(color="808080", italic=True)
    text = [
        "What this workbook is for",
        "Describe a development site, its residents, and how the local environment would be without the scheme (the baseline) "
        "and under each option. The appraisal engine compares each option with the baseline and reports the change in cases "
        "of illness, deaths and costs, and whose budget they land on (the site's integrated care board, its council, "
        "national bodies), keeping fiscal, economic and social value apart, with the Green Book value-for-money summary.",
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
        "3. Scheme costs: each option's capital and revenue costs by financial year and who pays them (optional: "
        "without them the report gives benefits but no benefit-cost ratio).",
        "4. Settings: the appraisal start year, period, price year, discount base year, discounting, how deaths are valued, "
        "optimism bias and additionality (how each effect builds up is part of its evidence). "
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
    dv = _validation(ws, spec.kind, spec.low, spec.high, spec.choices, spec.label, allowed_in(spec))
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
    ws.cell(row=g.header_row - 1, column=g.first_option_col, value="Options: type a name above each column").font = Font(
        italic=True
    )
    last_col = g.first_option_col + n_options - 1
    chars = library.characteristics
    # A characteristic set by the shares of dwellings in its bands has rows for its bands, not one for a level.
    chars = chars[~chars["characteristic_id"].isin(set(chars["band_of"]))]
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
            typical = (
                ""
                if is_blank(c.typical_england_value)
                else f"{c.typical_england_value:g} ({int(c.typical_year)})"
                if not is_blank(c.typical_year)
                else f"{c.typical_england_value:g}"
            )
            info = [
                c.characteristic_id,
                c.name,
                c.metric,
                c.unit,
                valid_range_text(c.valid_min, c.valid_max, c.unit, c.value_kind),
                c.how_to_measure,
                typical,
            ]
            for j, text in enumerate(info):
                cell = ws.cell(row=r, column=g.id_col + j, value=text)
                cell.alignment = Alignment(wrap_text=j in (1, 2, 5), vertical="top")
                cell.border = BOX
            ws.cell(row=r, column=g.id_col).font = Font(color="808080", size=8)
            base = proposal.baseline.get(c.characteristic_id) if proposal else None
            _input(ws.cell(row=r, column=g.baseline_col), base)
            for k in range(n_options):
                value = proposal.options[names[k]].get(c.characteristic_id) if proposal and k < len(names) else None
                _input(ws.cell(row=r, column=g.first_option_col + k), value)
            low = None if is_blank(c.valid_min) else float(c.valid_min)
            high = None if is_blank(c.valid_max) else float(c.valid_max)
            dv = _validation(
                ws,
                "number",
                low,
                high,
                title=c.name,
                message=f"{c.name}: {allowed_text(c.valid_min, c.valid_max, c.unit, c.value_kind)}.",
            )
            dv.add(f"{g.letter(g.baseline_col)}{r}:{g.letter(last_col)}{r}")
            r += 1
    widths = {
        g.id_col: 14,
        g.id_col + 1: 30,
        g.id_col + 2: 34,
        g.id_col + 3: 14,
        g.id_col + 4: 22,
        g.id_col + 5: 60,
        g.id_col + 6: 16,
    }
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for col in range(g.baseline_col, last_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.freeze_panes = ws.cell(row=g.first_row, column=g.id_col + 2)
    _protect(ws)


def _scheme_costs(ws: Worksheet, proposal: Proposal | None) -> None:
    b = SCHEME
    _title(
        ws,
        "Scheme costs: what each option costs, when, and who pays",
        [
            "One row per option, financial year and payer. Money in the price year's prices (Settings), before optimism bias, "
            "which the engine adds (Settings: project type).",
            "Paid by: combined_authority, upper_tier_council, district_council, icb, nhs_england, central_government or "
            "other_public (public sector: the cost base of the benefit-cost ratio); developer or other_private (counted in the "
            "net present social value only).",
            "Leave the sheet blank if the options' costs are not known: the report then gives benefits without a BCR.",
        ],
    )
    headers = {
        "option": "Option",
        "year": "Financial year (2027 = 2027-28)",
        "capital": "Capital cost (£)",
        "revenue": "Revenue cost (£)",
        "paid_by": "Paid by",
    }
    for field, col in b.columns.items():
        c = ws[f"{col}{b.header_row}"]
        c.value = headers[field]
        c.font = Font(bold=True)
        c.fill = HEAD_FILL
        c.border = BOX
        c.alignment = Alignment(wrap_text=True, vertical="top")
    entries = [(o, e) for o, costs in (proposal.scheme_costs.items() if proposal else []) for e in costs]
    rows = list(b.row_range)
    dv_opt = _validation(ws, "text", title="Option", message="The option's name, as on the Environment sheet.")
    dv_year = _validation(ws, "whole", 1990, 2225, title="Financial year", message="A financial year, e.g. 2027 for 2027-28.")
    dv_money = _validation(ws, "number", 0, None, title="Cost", message="A sum of money in £, 0 or more.")
    dv_payer = _validation(ws, "choice", choices=PAYERS, title="Paid by", message=f"One of {', '.join(PAYERS)}.")
    for k, r in enumerate(rows):
        option, e = entries[k] if k < len(entries) else (None, None)
        values = {
            "option": option,
            "year": e.year if e else None,
            "capital": e.capital if e and e.capital else None,
            "revenue": e.revenue if e and e.revenue else None,
            "paid_by": e.paid_by.value if e else None,
        }
        for field, col in b.columns.items():
            _input(ws[f"{col}{r}"], values[field])
        dv_opt.add(f"{b.option_col}{r}")
        dv_year.add(f"{b.year_col}{r}")
        dv_money.add(f"{b.capital_col}{r}:{b.revenue_col}{r}")
        dv_payer.add(f"{b.payer_col}{r}")
    ws.column_dimensions["A"].width = 2
    for col, width in zip("BCDEF", (24, 16, 18, 18, 24)):
        ws.column_dimensions[col].width = width
    ws.row_dimensions[b.header_row].height = 30
    ws.freeze_panes = ws.cell(row=b.header_row + 1, column=1)
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
            spec = price_cell(library)
        value = getattr(proposal.settings, field.split(".", 1)[1]) if proposal else defaults.get(field, spec.default)
        value = value.value if isinstance(value, Enum) else value
        _cell_input(ws, spec, value)
    ws.column_dimensions["A"].width = 2
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 100
    _protect(ws)
