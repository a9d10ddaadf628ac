"""The business-case report workbook: the Result's tables, formatted for lifting into a business case.

Sheets: Summary (present value by bearer, benefit, cases and deaths, settings,
and two native charts), Cost landing, By pathway, Cases and deaths, Evidence,
Inputs. Every number written is taken from the :class:`~appraisal.result.Result`'s
tables; nothing is recomputed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from appraisal.analysis.monte_carlo import PERCENTILES
from appraisal.result import Result
from appraisal.wording import (
    BENEFIT_LABEL,
    DEATH_VALUATION_WORDS,
    TOTAL_LABEL,
    confidence_lines,
    judgement_table,
    library_label,
    money_note,
    not_counted_lines,
    price_year_label,
)

GBP = '"£"#,##0;[Red]-"£"#,##0'
CASES = "#,##0.00;[Red]-#,##0.00"
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
SHEET_NAMES = ("Summary", "Cost landing", "By pathway", "Cases and deaths", "Evidence", "Inputs", "Sensitivity")


def write_report(result: Result, path: str | Path) -> Path:
    """Write the report workbook to ``path`` (.xlsx) and return the path."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    names = _names(result)
    _summary(wb.create_sheet(SHEET_NAMES[0]), result, names)
    _cost_landing(wb.create_sheet(SHEET_NAMES[1]), result, names)
    _by_pathway(wb.create_sheet(SHEET_NAMES[2]), result, names)
    _cases(wb.create_sheet(SHEET_NAMES[3]), result, names)
    _evidence(wb.create_sheet(SHEET_NAMES[4]), result)
    _inputs(wb.create_sheet(SHEET_NAMES[5]), result)
    _sensitivity(wb.create_sheet(SHEET_NAMES[6]), result)
    for ws in wb.worksheets:
        _print_setup(ws, fit_width=ws.title not in ("Cost landing", "Cases and deaths", "Sensitivity"))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _print_setup(ws: Worksheet, fit_width: bool) -> None:
    """Landscape A4; sheets that are not year-by-year tables print one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0


def _names(result: Result) -> dict[str, str]:
    lib = result.library
    out = dict(zip(lib.bearers["bearer_id"], lib.bearers["name"]))
    out.update(zip(lib.outcomes["outcome_id"], lib.outcomes["name"]))
    out.update(zip(lib.characteristics["characteristic_id"], lib.characteristics["name"]))
    out.update(zip(lib.mediators["mediator_id"], lib.mediators["name"]))
    out["total"] = TOTAL_LABEL
    return out


def _header(ws: Worksheet, row: int, labels: list[str], col: int = 1) -> None:
    for j, label in enumerate(labels):
        c = ws.cell(row=row, column=col + j, value=label)
        c.font = Font(bold=True)
        c.fill = HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")


def _table(ws: Worksheet, df: pd.DataFrame, row: int, formats: Mapping[Any, str] | None = None, col: int = 1) -> int:
    """Write ``df`` with a header at ``row``; returns the first row after it."""
    _header(ws, row, list(df.columns), col)
    formats = formats or {}
    for i, rec in enumerate(df.itertuples(index=False), start=row + 1):
        for j, (name, value) in enumerate(zip(df.columns, rec)):
            c = ws.cell(row=i, column=col + j, value=_plain(value))
            if name in formats:
                c.number_format = formats[name]
    return row + 1 + len(df)


def _plain(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _widths(ws: Worksheet, widths: dict[int, float], default: float | None = None, upto: int | None = None) -> None:
    if default is not None:
        for col in range(1, (upto or ws.max_column) + 1):
            ws.column_dimensions[get_column_letter(col)].width = default
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _title(ws: Worksheet, title: str, lines: list[str]) -> int:
    ws["A1"] = title
    ws["A1"].font = Font(size=14, bold=True)
    for i, line in enumerate(lines):
        ws.cell(row=2 + i, column=1, value=line)
    return 3 + len(lines)


def summary_tables(result: Result, names: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The Summary sheet's tables, as DataFrames (also used by tests)."""
    summary = result.summary()
    pv = summary.pivot(index="bearer", columns="option", values="present_value_gbp")
    bearers = [b for b in pv.index if b != "total"] + ["total"]
    pv = pv.loc[bearers, result.options]
    by_bearer = pd.DataFrame({"Bearer": [names.get(b, b) for b in bearers]})
    for o in result.options:
        by_bearer[o] = pv[o].to_numpy()
    benefit = {"Bearer": BENEFIT_LABEL} | {o: -pv.loc["total", o] for o in result.options}
    by_bearer = pd.concat([by_bearer, pd.DataFrame([benefit])], ignore_index=True)
    ranges = None
    if result.uncertainty is not None:
        cols = [f"present_value_gbp_p{q}" for q in PERCENTILES] + ["probability_lower_cost"]
        ranges = summary[["option", "bearer", *cols]].copy()
        ranges["bearer"] = [names.get(b, b) for b in ranges["bearer"]]
        ranges.columns = [
            "Option",
            "Bearer",
            *[f"{q}th percentile (£)" for q in PERCENTILES],
            "Probability the option lowers this cost",
        ]

    health = result.health_summary()
    rows = []
    for outcome in result.outcomes:
        h = health[health["outcome"] == outcome].set_index("option")
        rows.append(
            {"Outcome": f"{names.get(outcome, outcome)}: change in {h['measure'].iloc[0]}"}
            | {o: h.loc[o, "change_in_cases"] for o in result.options}
        )
    fatal = health[health["outcome"].isin([o for o, f in zip(result.outcomes, result.model.fatal) if f])]
    h = fatal.groupby("option")[
        ["change_in_cases", "change_in_deaths", "change_in_life_years_lost", "change_in_qalys_lost"]
    ].sum()
    for label, key in (
        ("Deaths postponed among residents (all fatal outcomes)", "change_in_cases"),
        ("Net fall in deaths within the period (postponed deaths come later)", "change_in_deaths"),
        ("Life-years gained (undiscounted, life table)", "change_in_life_years_lost"),
        ("QALYs gained (undiscounted, England utility norms)", "change_in_qalys_lost"),
    ):
        rows.append({"Outcome": label} | {o: -h.loc[o, key] if o in h.index else 0.0 for o in result.options})
    le = result.life_expectancy().set_index(["sex", "option"])["change_days"]
    for sex, label in (("male", "men"), ("female", "women")):
        rows.append(
            {"Outcome": f"Life expectancy at birth, {label}: change in days (full effect)"}
            | {o: le.loc[(sex, o)] for o in result.options}
        )
    cases = pd.DataFrame(rows)

    cl = result.cost_landing()
    by_year = cl.pivot_table(index="year", columns="option", values="change_gbp", aggfunc="sum")[result.options]
    by_year = by_year.reset_index().rename(columns={"year": "Year"})
    return {"by_bearer": by_bearer, "cases": cases, "by_year": by_year, "ranges": ranges}


#: Width of the Summary sheet's first column, in characters.
SUMMARY_TEXT_WIDTH = 52


def _wrap_in_a(ws: Worksheet, row: int) -> None:
    """Wrap a long sentence in column A, with a row tall enough for it, so the sheet prints one A4 page wide
    at a readable size (a row height is not fitted to wrapped text when the file is opened)."""
    cell = ws.cell(row=row, column=1)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    lines = -(-len(str(cell.value or "")) // (SUMMARY_TEXT_WIDTH - 4))
    ws.row_dimensions[row].height = 15 * max(lines, 1)


def _axes(chart) -> None:
    """Show both axes (Excel hides them unless told) and put category labels below the plot, clear of negative bars."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"


def _summary(ws: Worksheet, result: Result, names: dict[str, str]) -> None:
    p = result.proposal
    s = p.settings
    row = _title(
        ws,
        f"Health appraisal of {p.site.name}",
        [
            "Change in cost under each option against the baseline, by who bears it. A negative number is a saving; the benefit is minus the total change.",
            money_note(result.proposal.settings),
        ],
    )
    for r in range(2, row - 1):
        _wrap_in_a(ws, r)
    t = summary_tables(result, names)
    n = len(result.options)
    ws.cell(row=row, column=1, value="Present value of the change in cost, by bearer").font = Font(bold=True)
    first = row + 1
    row = _table(ws, t["by_bearer"], first, {o: GBP for o in result.options})
    bars = BarChart()
    bars.type = "col"
    bars.title = "Present value of the change in cost by bearer"
    bars.y_axis.title = "£ (negative = saving)"
    bars.y_axis.numFmt = '"£"#,##0'
    n_bearers = len(t["by_bearer"]) - 2  # without the total and benefit rows
    data = Reference(ws, min_col=2, max_col=1 + n, min_row=first, max_row=first + n_bearers)
    cats = Reference(ws, min_col=1, min_row=first + 1, max_row=first + n_bearers)
    bars.add_data(data, titles_from_data=True)
    bars.set_categories(cats)
    _axes(bars)
    bars.height, bars.width = 9, 18
    ws.add_chart(bars, f"{get_column_letter(n + 3)}{first}")

    u = result.uncertainty
    if t["ranges"] is not None and u is not None:
        row += 1
        ws.cell(
            row=row,
            column=1,
            value=f"Range of the present value from {u.draws:,} Monte Carlo draws of the evidence (seed {u.seed})",
        ).font = Font(bold=True)
        fmt = {f"{q}th percentile (£)": GBP for q in PERCENTILES} | {"Probability the option lowers this cost": "0%"}
        row = _table(ws, t["ranges"], row + 1, fmt)

    row += 1
    ws.cell(row=row, column=1, value="How much of the answer rests on which evidence").font = Font(bold=True)
    for line in confidence_lines(result.confidence(), result.options):
        row += 1
        ws.cell(row=row, column=1, value=line)
        _wrap_in_a(ws, row)
    for line in not_counted_lines(result):
        row += 1
        if line:
            ws.cell(row=row, column=1, value=line.strip())
            _wrap_in_a(ws, row)
    row += 1

    row += 1
    ws.cell(
        row=row,
        column=1,
        value="Health: change over the whole period (a negative change is cases averted; a condition or state people live in is counted in person-years)",
    ).font = Font(bold=True)
    row = _table(ws, t["cases"], row + 1, {o: CASES for o in result.options})

    row += 1
    ws.cell(row=row, column=1, value="Settings used").font = Font(bold=True)
    settings = pd.DataFrame(
        [
            ("Site", p.site.name),
            ("Local authority", p.site.local_authority or ""),
            ("Appraisal start year (year 0)", s.start_year),
            ("Appraisal period (years)", s.period_years),
            ("Price year", price_year_label(s.price_year)),
            ("Discounting", s.discounting.value),
            ("Valuing deaths", DEATH_VALUATION_WORDS[s.mortality_valuation]),
            ("Share of residents' road risk on the site's streets", f"{s.road_risk_on_site_share:.0%}"),
            ("Evidence library", library_label(result.library)),
        ],
        columns=["Setting", "Value"],
    )
    row = _table(ws, settings, row + 1)

    row += 1
    ws.cell(row=row, column=1, value="Change in cost by year, all bearers (£, undiscounted)").font = Font(bold=True)
    first = row + 1
    row = _table(ws, t["by_year"], first, {o: GBP for o in result.options})
    line = LineChart()
    line.title = "Change in cost over time (undiscounted)"
    line.y_axis.title = "£ a year (negative = saving)"
    line.y_axis.numFmt = '"£"#,##0'
    line.x_axis.title = "Year"
    data = Reference(ws, min_col=2, max_col=1 + n, min_row=first, max_row=row - 1)
    line.add_data(data, titles_from_data=True)
    line.set_categories(Reference(ws, min_col=1, min_row=first + 1, max_row=row - 1))
    _axes(line)
    line.height, line.width = 9, 18
    ws.add_chart(line, f"{get_column_letter(n + 3)}{first}")
    _widths(ws, {1: SUMMARY_TEXT_WIDTH}, default=18, upto=n + 1)
    ws.freeze_panes = "A4"


def _sensitivity(ws: Worksheet, result: Result) -> None:
    row = _title(
        ws,
        "Sensitivity: what drives each option's present value",
        [
            "One-way: each link and unit cost set to the low and to the high end of its 95% interval, every other input central.",
            "The tornado charts show the change in each option's total present value from its central value. "
            + money_note(result.proposal.settings),
        ],
    )
    judgements = judgement_table(result.value_judgements(), result.proposal.settings)
    ws.cell(row=row, column=1, value="Value judgements: total present value of the change in cost under each").font = Font(
        bold=True
    )
    judgements = judgements.rename(columns={"scenario": "Scenario"})
    row = _table(ws, judgements, row + 1, {o: GBP for o in result.options}) + 1
    sens = result.sensitivity()
    table = pd.DataFrame(
        {
            "Option": sens["option"],
            "Kind": sens["kind"],
            "Library id": sens["id"],
            "What": sens["what"],
            "Low value": sens["low"],
            "High value": sens["high"],
            "Present value, central (£)": sens["pv_central"],
            "At low value (£)": sens["pv_at_low"],
            "At high value (£)": sens["pv_at_high"],
            "Swing (£)": sens["swing"],
            "Change at low (£)": sens["pv_at_low"] - sens["pv_central"],
            "Change at high (£)": sens["pv_at_high"] - sens["pv_central"],
        }
    )
    ws.cell(row=row, column=1, value="One-way sensitivity (largest swing first within each option)").font = Font(bold=True)
    first = row + 1
    money = [
        "Present value, central (£)",
        "At low value (£)",
        "At high value (£)",
        "Swing (£)",
        "Change at low (£)",
        "Change at high (£)",
    ]
    end = _table(ws, table, first, dict.fromkeys(money, GBP))
    anchor_row = 3
    for option in result.options:
        idx = [i for i, o in enumerate(table["Option"]) if o == option][:10]
        if not idx:
            continue
        lo_row, hi_row = first + 1 + idx[0], first + 1 + idx[-1]
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "clustered"
        chart.overlap = 100
        chart.title = f"Tornado: {option}"
        chart.x_axis.title = "Input"
        chart.y_axis.title = "Change in total present value (£)"
        chart.y_axis.numFmt = '"£"#,##0'
        for col, label in ((11, "At the low value"), (12, "At the high value")):
            series = Series(Reference(ws, min_col=col, min_row=lo_row, max_row=hi_row), title=label)
            chart.series.append(series)
        chart.set_categories(Reference(ws, min_col=3, min_row=lo_row, max_row=hi_row))
        chart.x_axis.scaling.orientation = "maxMin"
        _axes(chart)
        chart.height, chart.width = 8, 16
        ws.add_chart(chart, f"N{anchor_row}")
        anchor_row += 17
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    _widths(ws, {1: 44, 2: 10, 3: 34, 4: 50}, default=16, upto=12)
    del end


def _cost_landing(ws: Worksheet, result: Result, names: dict[str, str]) -> None:
    row = _title(
        ws,
        "Cost landing: change in cost by bearer, component and year",
        [
            "Present value, then the undiscounted change in each year. A negative number is a saving to that bearer.",
            money_note(result.proposal.settings),
        ],
    )
    cl = result.cost_landing()
    keys = ["option", "bearer", "component"]
    pv = cl.groupby(keys, sort=False)["present_value_gbp"].sum()
    wide = cl.pivot_table(index=keys, columns="year", values="change_gbp", aggfunc="sum", sort=False)
    wide = wide.loc[pv.index]
    table = pv.reset_index()
    table["bearer"] = [names.get(b, b) for b in table["bearer"]]
    table.columns = ["Option", "Bearer", "Component", "Present value (£)"]
    years = [int(y) for y in wide.columns]
    table = pd.concat([table, pd.DataFrame(wide.to_numpy(), columns=years)], axis=1)
    formats = {"Present value (£)": GBP} | {y: GBP for y in years}
    _table(ws, table, row, formats)
    ws.freeze_panes = ws.cell(row=row + 1, column=5)
    _widths(ws, {1: 16, 2: 34, 3: 16, 4: 18}, default=13, upto=4 + len(years))


def _by_pathway(ws: Worksheet, result: Result, names: dict[str, str]) -> None:
    row = _title(
        ws,
        "By pathway: characteristic -> (mediator) -> outcome",
        [
            "Change in cases over the whole period and the present value of the change in cost, for each pathway and option.",
            money_note(result.proposal.settings),
        ],
    )
    t = result.by_pathway()
    table = pd.DataFrame(
        {
            "Option": t["option"],
            "Characteristic": [names.get(x, x) for x in t["characteristic"]],
            "Mediator": [names.get(x, x) if x else "" for x in t["mediator"]],
            "Outcome": [names.get(x, x) for x in t["outcome"]],
            "Links (library ids)": t["link"],
            "Change in cases": t["change_in_cases"],
            "Present value (£)": t["present_value_gbp"],
        }
    )
    _table(ws, table, row, {"Change in cases": CASES, "Present value (£)": GBP})
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    _widths(ws, {1: 16, 2: 34, 3: 24, 4: 34, 5: 48, 6: 16, 7: 18})


def cases_table(result: Result, names: dict[str, str]) -> pd.DataFrame:
    """The Cases and deaths sheet's table: option x outcome x measure, total and one column per year."""
    c = (
        result.cases()
        .groupby(["option", "outcome", "year"], sort=False)[
            ["change_in_cases", "change_in_deaths", "change_in_life_years_lost", "change_in_qalys_lost"]
        ]
        .sum()
    )
    measures = {
        "change_in_cases": "Change in cases",
        "change_in_deaths": "Net change in deaths (life table)",
        "change_in_life_years_lost": "Change in life-years lost",
        "change_in_qalys_lost": "Change in QALYs lost",
    }
    fatal = dict(zip(result.outcomes, result.model.fatal))
    rows = []
    for o in result.options:
        for outcome in result.outcomes:
            for key, label in measures.items():
                if key != "change_in_cases" and not fatal[outcome]:
                    continue
                series = c.loc[(o, outcome), key]
                rows.append(
                    {"Option": o, "Outcome": names.get(outcome, outcome), "Measure": label, "Total": series.sum()}
                    | {int(y): v for y, v in series.items()}
                )
    return pd.DataFrame(rows)


def _cases(ws: Worksheet, result: Result, names: dict[str, str]) -> None:
    row = _title(
        ws,
        "Cases and deaths: change by outcome, option and year",
        [
            "Change against the baseline; a negative number is cases or deaths averted. Life-years lost are undiscounted.",
        ],
    )
    table = cases_table(result, names)
    years = [c for c in table.columns if isinstance(c, int)]
    _table(ws, table, row, {"Total": CASES} | {y: CASES for y in years})
    ws.freeze_panes = ws.cell(row=row + 1, column=4)
    _widths(ws, {1: 16, 2: 34, 3: 24, 4: 14}, default=11, upto=4 + len(years))


#: The Evidence sheet's columns and their widths in characters: about 200 in all, so that landscape A4 one page
#: wide prints at about two-thirds size, with every long cell wrapped in a row tall enough for it.
EVIDENCE_COLUMNS = {
    "kind": ("Kind", 9),
    "id": ("Library id", 24),
    "what": ("What", 34),
    "citation": ("Citation", 40),
    "locator": ("Where in the source", 24),
    "verification": ("Read in", 9),
    "design": ("Design", 24),
    "applied_as": ("Applied as", 24),
    "interval": ("Interval", 10),
}
#: The table of what the numbers leave out, below the evidence (its "Why" spans the columns from E on).
NOT_COUNTED_COLUMNS = {"kind": "Kind", "id": "Library id", "what": "What", "ages": "Ages", "why": "Why"}


def _fit_rows(ws: Worksheet, first: int, last: int, widths: Sequence[float]) -> None:
    """Wrap every cell of rows ``first``-``last`` and make each row tall enough for its longest cell.

    A column ``w`` characters wide holds about ``1.15 w`` characters of the default font a line (measured on
    LibreOffice's A4 print); a line is 13 points.
    """
    for r in range(first, last + 1):
        lines = 1
        for c, width in enumerate(widths, start=1):
            cell = ws.cell(row=r, column=c)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            lines = max(lines, -(-len(str(cell.value or "")) // max(int(width * 1.15), 1)))
        ws.row_dimensions[r].height = 13 * lines


def _evidence(ws: Worksheet, result: Result) -> None:
    intro = [
        "Each exposure-response link and unit cost that contributed, with its full citation, where in the source the value is, and whether it was read in the primary source.",
        "Design: the study design behind a link and why it is read as causal (for a unit cost, the population it describes). Applied as: how the engine uses the number (an odds ratio is turned into a risk ratio at the outcome's baseline risk in each age band; a hazard ratio is used as a rate ratio). Interval: what low and high are (ci95: a 95% confidence interval; scenario_range or min_max: drawn as a triangular distribution inside the printed range; none: fixed).",
    ]
    row = _title(ws, "Evidence behind every number", intro)
    widths = [w for _, w in EVIDENCE_COLUMNS.values()]
    for r in range(2, 2 + len(intro)):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(widths))
        cell = ws.cell(row=r, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 15 * -(-len(str(cell.value)) // int(sum(widths) - 4))
    e = result.evidence()[list(EVIDENCE_COLUMNS)].rename(columns={k: v for k, (v, _) in EVIDENCE_COLUMNS.items()})
    _table(ws, e, row)
    _fit_rows(ws, row + 1, row + len(e), widths)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    _widths(ws, dict(enumerate(widths, start=1)))
    ws.print_title_rows = f"{row}:{row}"
    nc = result.not_counted()
    if not nc.empty:
        row = row + len(e) + 2
        ws.cell(row=row, column=1, value="What the numbers leave out, and why").font = Font(bold=True)
        nc = nc[list(NOT_COUNTED_COLUMNS)].rename(columns=NOT_COUNTED_COLUMNS)
        _table(ws, nc, row + 1)
        for r in range(row + 2, row + 2 + len(nc)):
            ws.merge_cells(start_row=r, start_column=5, end_row=r, end_column=len(widths))
        _fit_rows(ws, row + 2, row + 1 + len(nc), [*widths[:4], sum(widths[4:])])


def _inputs(ws: Worksheet, result: Result) -> None:
    p = result.proposal
    row = _title(
        ws,
        "Inputs: the proposal as read",
        [f"Site: {p.site.name}" + (f", {p.site.local_authority}" if p.site.local_authority else "")],
    )
    lib = result.library
    chars = lib.characteristics.set_index("characteristic_id")
    used = [c for c in chars.index if c in p.baseline]
    env = pd.DataFrame(
        {
            "Characteristic": [chars.loc[c, "name"] for c in used],
            "Unit": [chars.loc[c, "unit"] for c in used],
            "Baseline": [p.baseline[c] for c in used],
        }
    )
    for o, values in p.options.items():
        env[o] = [values.get(c, p.baseline[c]) for c in used]
    ws.cell(row=row, column=1, value="Environment (an option that does not set a value keeps the baseline)").font = Font(
        bold=True
    )
    row = _table(ws, env, row + 1) + 1
    ws.cell(row=row, column=1, value="Residents at full occupancy").font = Font(bold=True)
    bands = p.population.by_age_band
    if bands is None:
        pop = pd.DataFrame({"Residents": ["Total (spread over England's age structure)"], "Number": [p.population.total]})
    else:
        pop = pd.DataFrame({"Residents": [f"Aged {b}" for b in bands], "Number": list(bands.values())})
    row = _table(ws, pop, row + 1) + 1
    ws.cell(row=row, column=1, value="Occupancy phasing").font = Font(bold=True)
    occ = pd.DataFrame({"Year": list(p.occupancy), "Share of full occupancy": list(p.occupancy.values())})
    row = _table(ws, occ, row + 1) + 1
    ws.cell(row=row, column=1, value="Settings").font = Font(bold=True)
    s = p.settings.model_dump(mode="json")
    _table(ws, pd.DataFrame({"Setting": list(s), "Value": [str(v) for v in s.values()]}), row + 1)
    _widths(ws, {1: 44, 2: 22}, default=14, upto=3 + len(p.options))
