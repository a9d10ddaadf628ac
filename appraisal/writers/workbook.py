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

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from appraisal.analysis.monte_carlo import PERCENTILES
from appraisal.result import Result
from appraisal.wording import (
    ALL_VALUE_LABEL,
    BENEFIT_LABEL,
    DEATH_VALUATION_WORDS,
    TOTAL_LABEL,
    VALUE_TYPE_WORDS,
    additionality_line,
    changed_not_counted_line,
    confidence_lines,
    gbp,
    judgement_table,
    library_label,
    money_note,
    not_counted_lines,
    optimism_bias_line,
    place_lines,
    price_year_label,
)
from appraisal.writers.neutral import text_cells_only

GBP = '"£"#,##0;[Red]-"£"#,##0'
CASES = "#,##0.00;[Red]-#,##0.00"
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
SHEET_NAMES = (
    "Appraisal summary",
    "Organisations",
    "Costs and health",
    "Cost landing",
    "By pathway",
    "Cases and deaths",
    "Evidence",
    "Inputs",
    "Sensitivity",
)


def write_report(result: Result, path: str | Path) -> Path:
    """Write the report workbook to ``path`` (.xlsx) and return the path."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    names = _names(result)
    _appraisal_summary(wb.create_sheet(SHEET_NAMES[0]), result, names)
    _organisations(wb.create_sheet(SHEET_NAMES[1]), result)
    _summary(wb.create_sheet(SHEET_NAMES[2]), result, names)
    _cost_landing(wb.create_sheet(SHEET_NAMES[3]), result, names)
    _by_pathway(wb.create_sheet(SHEET_NAMES[4]), result, names)
    _cases(wb.create_sheet(SHEET_NAMES[5]), result, names)
    _evidence(wb.create_sheet(SHEET_NAMES[6]), result)
    _inputs(wb.create_sheet(SHEET_NAMES[7]), result)
    _sensitivity(wb.create_sheet(SHEET_NAMES[8]), result)
    for ws in wb.worksheets:
        _print_setup(ws, one_page=ws.title == SHEET_NAMES[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    text_cells_only(wb).save(path)
    return path


def _print_setup(ws: Worksheet, one_page: bool) -> None:
    """Landscape A4, every sheet one page wide; the appraisal summary one page in all."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


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
    order = list(VALUE_TYPE_WORDS)
    detail = summary[summary["bearer"] != "all"]
    subtotal = summary[(summary["bearer"] == "all")]

    def label(vtype: str, bearer: str) -> str:
        if vtype == "all":
            return ALL_VALUE_LABEL
        if bearer == "all":
            return f"{VALUE_TYPE_WORDS[vtype]} value, all bearers" if vtype != "excluded" else "Transfers, all bearers"
        return f"{VALUE_TYPE_WORDS[vtype]}: {names.get(bearer, bearer)}"

    parts = []
    for frame in (detail, subtotal):
        keys = list(dict.fromkeys(zip(frame["value_type"], frame["bearer"])))
        keys.sort(key=lambda k: order.index(k[0]))
        pv = frame.pivot_table(index=["value_type", "bearer"], columns="option", values="present_value_gbp", sort=False)
        part = pd.DataFrame({"Bearer": [label(*k) for k in keys]})
        for o in result.options:
            part[o] = [pv.loc[k, o] for k in keys]
        parts.append(part)
    by_bearer = pd.concat(parts, ignore_index=True)
    total = subtotal[subtotal["value_type"] == "all"].set_index("option")["present_value_gbp"]
    benefit = {"Bearer": BENEFIT_LABEL} | {o: -total[o] for o in result.options}
    by_bearer = pd.concat([by_bearer, pd.DataFrame([benefit])], ignore_index=True)
    ranges = None
    if result.uncertainty is not None:
        cols = [f"present_value_gbp_p{q}" for q in PERCENTILES] + ["probability_lower_cost"]
        ranges = summary[["option", "value_type", "bearer", *cols]].copy()
        ranges.insert(1, "what", [label(v, b) for v, b in zip(ranges["value_type"], ranges["bearer"])])
        ranges = ranges.drop(columns=["value_type", "bearer"])
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
    for what, key in (
        ("Deaths postponed among residents (all fatal outcomes)", "change_in_cases"),
        ("Net fall in deaths within the period (postponed deaths come later)", "change_in_deaths"),
        ("Life-years gained (undiscounted, life table)", "change_in_life_years_lost"),
        ("QALYs gained (undiscounted, England utility norms)", "change_in_qalys_lost"),
    ):
        rows.append({"Outcome": what} | {o: -h.loc[o, key] if o in h.index else 0.0 for o in result.options})
    le = result.life_expectancy().set_index(["sex", "option"])["change_days"]
    for sex, who in (("male", "men"), ("female", "women")):
        rows.append(
            {"Outcome": f"Life expectancy at birth, {who}: change in days (full effect)"}
            | {o: le.loc[(sex, o)] for o in result.options}
        )
    cases = pd.DataFrame(rows)

    cl = result.cost_landing()
    by_year = cl.pivot_table(index="financial_year", columns="option", values="change_gbp", aggfunc="sum")[result.options]
    by_year = by_year.reset_index().rename(columns={"financial_year": "Financial year"})
    return {"by_bearer": by_bearer, "cases": cases, "by_year": by_year, "ranges": ranges}


#: The value-for-money rows of the appraisal summary: column of :meth:`Result.value_for_money` -> label.
VFM_ROWS = {
    "pv_costs_public_gbp": "Present value of costs (PVC): public sector, after optimism bias",
    "pv_costs_private_gbp": "Costs paid by developers and other private payers",
    "pv_benefits_fiscal_gbp": "Benefits: fiscal (public bodies' costs avoided)",
    "pv_benefits_economic_gbp": "Benefits: economic (output and earnings, unpaid care, private spending)",
    "pv_benefits_social_gbp": "Benefits: social (health and life, valued)",
    "pv_benefits_gbp": "Present value of benefits (PVB)",
    "npsv_gbp": "Net present social value (NPSV = PVB - PVC - private costs)",
    "bcr": "Benefit-cost ratio (BCR = PVB / PVC)",
    "bcr_fiscal_economic": "BCR on fiscal and economic benefits only (no health valued)",
    "vfm_category": "Value-for-money category (DfT bands, from the BCR)",
    "switching_value_bcr": "Switching value: fall in benefits that takes the BCR to 1",
    "switching_value_npsv": "Switching value: fall in benefits that takes the NPSV to 0",
}


def appraisal_summary_tables(result: Result, names: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The appraisal summary's tables, as DataFrames (also used by tests): value for money, health, organisations."""
    vfm = result.value_for_money().set_index("option")
    rows = [{"Measure": label} | {o: vfm.loc[o, col] for o in result.options} for col, label in VFM_ROWS.items()]
    u = result.uncertainty
    if u is not None:
        rows.append(
            {"Measure": f"NPSV, 5th to 95th percentile ({u.draws:,} draws)"}
            | {o: f"{gbp(vfm.loc[o, 'npsv_gbp_p5'])} to {gbp(vfm.loc[o, 'npsv_gbp_p95'])}" for o in result.options}
        )
        rows.append(
            {"Measure": "Probability the NPSV is positive"} | {o: vfm.loc[o, "probability_npsv_positive"] for o in result.options}
        )
    value = pd.DataFrame(rows)
    hs = result.health_system().set_index("option")
    fatal = [o for o, f in zip(result.outcomes, result.model.fatal) if f]
    health = result.health_summary()
    deaths = -health[health["outcome"].isin(fatal)].groupby("option")["change_in_cases"].sum()
    le = result.life_expectancy().set_index(["sex", "option"])["change_days"]
    health_rows = [
        {"Measure": "QALYs gained over the period (undiscounted)"} | {o: hs.loc[o, "qalys_gained"] for o in result.options},
        {"Measure": "Life-years gained over the period (undiscounted, life table)"}
        | {
            o: -health[(health["option"] == o) & health["outcome"].isin(fatal)]["change_in_life_years_lost"].sum()
            for o in result.options
        },
        {"Measure": "Deaths postponed among residents"} | {o: deaths.get(o, 0.0) for o in result.options},
        {"Measure": "Life expectancy at birth, men: change in days"} | {o: le.loc[("male", o)] for o in result.options},
        {"Measure": "Life expectancy at birth, women: change in days"} | {o: le.loc[("female", o)] for o in result.options},
        {"Measure": "NHS and council care costs avoided, present value (gross of additionality)"}
        | {o: hs.loc[o, "nhs_and_social_care_saving_gbp"] for o in result.options},
        {
            "Measure": f"Net health benefit at £{hs['value_per_qaly_health_system_gbp'].iloc[0]:,.0f} a QALY, less NHS scheme "
            "costs (health-system view, gross)"
        }
        | {o: hs.loc[o, "net_health_benefit_gbp"] for o in result.options},
    ]
    orgs = result.organisations()
    org_rows = []
    for org in dict.fromkeys(orgs["organisation"]):
        mine = orgs[orgs["organisation"] == org].set_index("option")
        org_rows.append(
            {"Organisation": org} | {o: mine.loc[o, "fiscal_gain_gbp"] if o in mine.index else 0.0 for o in result.options}
        )
    return {
        "value": value,
        "health": pd.DataFrame(health_rows),
        "organisations": pd.DataFrame(org_rows, columns=["Organisation", *result.options]),
    }


def _appraisal_summary(ws: Worksheet, result: Result, names: dict[str, str]) -> None:
    """One A4 landscape page: value for money, health, and each public body's fiscal gain."""
    p, s = result.proposal, result.proposal.settings
    ob = result.optimism_bias
    f = result.value_for_money()["additionality_factor"].iloc[0]
    lines = [
        *place_lines(result),
        money_note(s),
        additionality_line(s, f),
        optimism_bias_line(ob.capital, ob.revenue, ob.capital_basis, ob.revenue_basis),
    ]
    if not p.scheme_costs:
        lines.append("No scheme costs were given: PVC, NPSV net of costs, BCRs and switching values need them.")
    row = _title(ws, f"Appraisal summary: {p.site.name}", lines)
    for r in range(2, row - 1):
        _wrap_in_a(ws, r, merge_to=1 + len(result.options))
    t = appraisal_summary_tables(result, names)
    n = len(result.options)

    ws.cell(row=row, column=1, value="Value for money (present values, £)").font = Font(bold=True)
    first = row + 1
    row = _table(ws, t["value"], first)
    for i, col in enumerate(VFM_ROWS, start=first + 1):
        fmt = "0.00" if col.startswith("bcr") else "0%" if col.startswith("switching_value") else GBP
        for j in range(n):
            ws.cell(row=i, column=2 + j).number_format = fmt
    for i in range(first + 1 + len(VFM_ROWS), row):
        for j in range(n):
            ws.cell(row=i, column=2 + j).number_format = "0%"
    row += 1
    ws.cell(row=row, column=1, value="Health over the period").font = Font(bold=True)
    first = row + 1
    row = _table(ws, t["health"], first)
    for i in range(first + 1, row):
        fmt = GBP if i >= row - 2 else "#,##0.0"
        for j in range(n):
            ws.cell(row=i, column=2 + j).number_format = fmt
    row += 1
    ws.cell(
        row=row, column=1, value="Fiscal gain by public body (present value after additionality; see Organisations)"
    ).font = Font(bold=True)
    row = _table(ws, t["organisations"], row + 1, {o: GBP for o in result.options})
    row += 1
    notes = [
        "PVC counts public-sector scheme costs; BCR = PVB / PVC (Green Book 2022, 5.56: benefits per £ of public spending). "
        "Categories: DfT Guidance on Value for Money (Poor < 1, Low 1-1.5, Medium 1.5-2, High > 2); MHCLG's own categories "
        "are not yet in the evidence library. Transfers (benefit payments) are kept out of the benefits; lost tax counts once, "
        "in lost output. Fiscal gains are savings in cost, mostly capacity released rather than cash (see Organisations).",
    ]
    if silent := changed_not_counted_line(result):
        notes.append(silent)
    for line in notes:
        ws.cell(row=row, column=1, value=line)
        _wrap_in_a(ws, row, merge_to=1 + n)
        row += 1
    _widths(ws, {1: SUMMARY_TEXT_WIDTH + 20}, default=17, upto=n + 1)
    for r in ws.iter_rows(min_row=1, max_row=ws.max_row, min_col=2, max_col=n + 1):
        for c in r:  # options' names and values right-aligned, over their numbers
            if c.value is not None and not isinstance(c.value, (int, float)):
                c.alignment = Alignment(horizontal="right", vertical="top", wrap_text=c.fill == HEAD_FILL)


def _organisations(ws: Worksheet, result: Result) -> None:
    """The bodies over the site, each one's fiscal gain, what it pays, its return and payback, and the scheme costs."""
    row = _title(
        ws,
        "Organisations: where fiscal flows land",
        [*place_lines(result), money_note(result.proposal.settings)],
    )
    orgs = result.organisations()
    table = orgs.rename(
        columns={
            "option": "Option",
            "organisation": "Organisation",
            "fiscal_gain_gbp": "Fiscal gain, present value (£)",
            "cashable_gain_gbp": "of which cashable (£)",
            "paid_gbp": "Scheme costs paid, present value (£)",
            "return_per_pound": "Return per £ paid (cash and capacity)",
            "cashable_return_per_pound": "Cash return per £ paid",
            "payback_year": "Payback year (discounted, cash and capacity)",
        }
    )
    ws.cell(row=row, column=1, value="Each public body's fiscal gain and what it pays").font = Font(bold=True)
    row = _table(
        ws,
        table,
        row + 1,
        {
            "Fiscal gain, present value (£)": GBP,
            "of which cashable (£)": GBP,
            "Scheme costs paid, present value (£)": GBP,
            "Return per £ paid (cash and capacity)": "0.00",
            "Cash return per £ paid": "0.00",
        },
    )
    costs = result.scheme_costs()
    row += 1
    ws.cell(row=row, column=1, value="Scheme costs by payer and financial year").font = Font(bold=True)
    if costs.empty:
        ws.cell(row=row + 1, column=1, value="None given.")
        row += 2
    else:
        costs = costs.drop(columns=["payer"]).rename(
            columns={
                "option": "Option",
                "paid_by": "Paid by",
                "public_sector": "Public sector",
                "kind": "Kind",
                "financial_year": "Financial year",
                "cost_gbp": "Cost as given (£)",
                "optimism_bias": "Optimism bias",
                "cost_with_optimism_bias_gbp": "With optimism bias (£)",
                "present_value_gbp": "Present value (£)",
            }
        )
        costs["Public sector"] = np.where(costs["Public sector"], "yes", "no")
        row = _table(
            ws,
            costs,
            row + 1,
            {"Cost as given (£)": GBP, "With optimism bias (£)": GBP, "Present value (£)": GBP, "Optimism bias": "0%"},
        )
    years = result.organisation_years()
    row += 1
    ws.cell(row=row, column=1, value="Fiscal gain by financial year (£, undiscounted, after additionality)").font = Font(
        bold=True
    )
    if not years.empty:
        wide = years.pivot_table(
            index=["option", "financial_year"], columns="organisation", values="fiscal_gain_gbp", sort=False
        ).reset_index()
        wide = wide.rename(columns={"option": "Option", "financial_year": "Financial year"})
        bodies = [c for c in wide.columns if c not in ("Option", "Financial year")]
        row = _table(ws, wide, row + 1, {b: GBP for b in bodies})
    hs = result.health_system().rename(
        columns={
            "option": "Option",
            "qalys_gained_from_deaths": "QALYs gained: deaths postponed",
            "qalys_gained_from_illness": "QALYs gained: illness avoided",
            "qalys_gained": "QALYs gained (undiscounted)",
            "qalys_gained_discounted": "QALYs gained (discounted)",
            "social_value_gbp": "At the Green Book value of a QALY (£)",
            "nhs_and_social_care_saving_gbp": "NHS and council care costs avoided (£, gross)",
            "nhs_scheme_costs_gbp": "Scheme costs the NHS pays (£)",
            "value_per_qaly_health_system_gbp": "Health-system value of a QALY (£)",
            "net_health_benefit_qalys": "Net health benefit (QALYs)",
            "net_health_benefit_gbp": "Net health benefit (£)",
        }
    )
    row += 1
    ws.cell(
        row=row,
        column=1,
        value="Health-system perspective: health gains at the opportunity-cost value of a QALY for NHS spending",
    ).font = Font(bold=True)
    fmt = {c: GBP for c in hs.columns if "(£)" in c} | {c: "#,##0.0" for c in hs.columns if "QALY" in c and "(£)" not in c}
    _table(ws, hs, row + 1, fmt)
    _widths(ws, {1: 16, 2: 44}, default=17, upto=max(12, ws.max_column))
    for r in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for c in r:
            if c.fill == HEAD_FILL:
                c.alignment = Alignment(wrap_text=True, vertical="top")
                ws.row_dimensions[c.row].height = 30


#: Width of the Summary sheet's first column, in characters.
SUMMARY_TEXT_WIDTH = 52


def _wrap_in_a(ws: Worksheet, row: int, merge_to: int = 1) -> None:
    """Wrap a long sentence in column A (merged across ``merge_to`` columns), with a row tall enough for it, so the
    sheet prints one A4 page wide at a readable size (a row height is not fitted to wrapped text when the file is opened)."""
    cell = ws.cell(row=row, column=1)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    width = SUMMARY_TEXT_WIDTH if merge_to == 1 else SUMMARY_TEXT_WIDTH + 20 + 17 * (merge_to - 1)
    if merge_to > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=merge_to)
    lines = -(-len(str(cell.value or "")) // (width - 4))
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
    n_bearers = int((~t["by_bearer"]["Bearer"].str.contains("all bearers|All value types|Benefit", regex=True)).sum())
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
            ("First financial year of the appraisal", price_year_label(s.start_year)),
            ("Appraisal period (years)", s.period_years),
            ("Price year", price_year_label(s.price_year)),
            ("Discount base year", price_year_label(s.discount_base_year or s.start_year)),
            ("Discounting", s.discounting.value),
            ("Project type (optimism bias)", s.project_type.value.replace("_", " ")),
            ("Deadweight, displacement, leakage", f"{s.deadweight:.0%}, {s.displacement:.0%}, {s.leakage:.0%}"),
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
    line.x_axis.title = "Financial year"
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
    keys = ["option", "value_type", "bearer", "component"]
    pv = cl.groupby(keys, sort=False)["present_value_gbp"].sum()
    wide = cl.pivot_table(index=keys, columns="financial_year", values="change_gbp", aggfunc="sum", sort=False)
    wide = wide.loc[pv.index]
    table = pv.reset_index()
    table["bearer"] = [names.get(b, b) for b in table["bearer"]]
    table["value_type"] = [VALUE_TYPE_WORDS.get(v, v) for v in table["value_type"]]
    table.columns = ["Option", "Value type", "Bearer", "Component", "Present value (£)"]
    years = list(wide.columns)
    table = pd.concat([table, pd.DataFrame(wide.to_numpy(), columns=years)], axis=1)
    formats = {"Present value (£)": GBP} | {y: GBP for y in years}
    _table(ws, table, row, formats)
    ws.freeze_panes = ws.cell(row=row + 1, column=6)
    ws.print_title_rows = f"{row}:{row}"  # the header row repeats on every printed page
    _widths(ws, {1: 16, 2: 12, 3: 34, 4: 16, 5: 18}, default=13, upto=5 + len(years))


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
    ws.print_title_rows = f"{row}:{row}"  # the header row repeats on every printed page
    _widths(ws, {1: 16, 2: 34, 3: 24, 4: 34, 5: 48, 6: 16, 7: 18})


def cases_table(result: Result, names: dict[str, str]) -> pd.DataFrame:
    """The Cases and deaths sheet's table: option x outcome x measure, total and one column per year."""
    c = (
        result.cases()
        .groupby(["option", "outcome", "financial_year"], sort=False)[
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
                    | dict(series.items())
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
    years = [c for c in table.columns if c not in ("Option", "Outcome", "Measure", "Total")]
    _table(ws, table, row, {"Total": CASES} | {y: CASES for y in years})
    ws.freeze_panes = ws.cell(row=row + 1, column=4)
    ws.print_title_rows = f"{row}:{row}"  # the header row repeats on every printed page
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
    ws.print_title_rows = f"{row}:{row}"  # the header row repeats on every printed page
    _widths(ws, dict(enumerate(widths, start=1)))
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
