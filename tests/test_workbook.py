"""The Excel template in, the report workbook out."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLE, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from appraisal import ProposalError, appraise, load_proposal, write_csv, write_json, write_report
from appraisal.cli import main
from appraisal.errors import InCell
from appraisal.layout import AGE_BANDS, CELLS, GRID, OCCUPANCY, SCHEME
from appraisal.readers.template import read_template
from appraisal.wording import ALL_VALUE_LABEL
from appraisal.writers.template import write_template
from appraisal.writers.workbook import SHEET_NAMES, VFM_ROWS, _names, appraisal_summary_tables, cases_table, summary_tables

EXAMPLE_XLSX = REPO / "examples" / "riverside.xlsx"


@pytest.fixture(scope="module")
def example(library):
    return load_proposal(EXAMPLE, library)


@pytest.fixture()
def blank(tmp_path, library):
    return write_template(tmp_path / "blank.xlsx", library)


@pytest.fixture()
def filled(tmp_path, library, example):
    return write_template(tmp_path / "filled.xlsx", library, example)


def env_rows(ws) -> dict[str, int]:
    """Characteristic id -> row in the Environment sheet."""
    return {
        ws.cell(row=r, column=GRID.id_col).value: r
        for r in range(GRID.first_row, ws.max_row + 1)
        if ws.cell(row=r, column=GRID.id_col).value
    }


def fill_by_hand(path, proposal) -> None:
    """Fill a blank template cell by cell, as a user would, using only the layout."""
    wb = load_workbook(path)
    site = wb["Site"]
    site[CELLS["site.name"].ref] = proposal.site.name
    site[CELLS["site.local_authority"].ref] = proposal.site.local_authority
    site[CELLS["population.total"].ref] = proposal.population.total
    for k, (_band, residents) in enumerate((proposal.population.by_age_band or {}).items()):
        site[AGE_BANDS.value_ref(k)] = residents
    for k, (year, share) in enumerate(sorted(proposal.occupancy.items())):
        site[f"{OCCUPANCY.year_col}{OCCUPANCY.first_row + k}"] = year
        site[f"{OCCUPANCY.share_col}{OCCUPANCY.first_row + k}"] = share
    s = wb["Settings"]
    for field, spec in CELLS.items():
        if field.startswith("settings."):
            value = getattr(proposal.settings, field.split(".")[1])
            s[spec.ref] = getattr(value, "value", value)
    costs = wb["Scheme costs"]
    k = 0
    for option, entries in proposal.scheme_costs.items():
        for e in entries:
            r = SCHEME.header_row + 1 + k
            costs[f"{SCHEME.option_col}{r}"] = option
            costs[f"{SCHEME.year_col}{r}"] = e.year
            costs[f"{SCHEME.capital_col}{r}"] = e.capital or None
            costs[f"{SCHEME.revenue_col}{r}"] = e.revenue or None
            costs[f"{SCHEME.payer_col}{r}"] = e.paid_by.value
            k += 1
    env = wb["Environment"]
    rows = env_rows(env)
    for cid, x in proposal.baseline.items():
        env.cell(row=rows[cid], column=GRID.baseline_col, value=x)
    for k, (name, values) in enumerate(proposal.options.items()):
        col = GRID.first_option_col + k
        env.cell(row=GRID.header_row, column=col, value=name)
        for cid, x in values.items():
            env.cell(row=rows[cid], column=col, value=x)
    wb.save(path)


def edit(path, sheet: str, ref: str, value) -> None:
    wb = load_workbook(path)
    wb[sheet][ref] = value
    wb.save(path)


def problems_of(path, library) -> list:
    with pytest.raises(ProposalError) as err:
        read_template(path, library)
    return err.value.problems


def at(problem) -> str:
    """Sheet!cell of a problem's place."""
    assert isinstance(problem.place, InCell), problem
    return f"{problem.place.sheet}!{problem.place.cell}"


def cell(ws_rows, cid: str, col: int) -> str:
    return f"{GRID.letter(col)}{ws_rows[cid]}"


# ---- round trip -------------------------------------------------------------


def test_round_trip_template_filled_by_hand_gives_the_yaml_result(blank, library, example):
    fill_by_hand(blank, example)
    read = read_template(blank, library)
    assert read == example
    a, b = appraise(read, library), appraise(example, library)
    pd.testing.assert_frame_equal(a.summary(), b.summary())
    pd.testing.assert_frame_equal(a.cost_landing(), b.cost_landing())


def test_bundled_example_workbook_matches_the_yaml(library, example):
    assert load_proposal(EXAMPLE_XLSX, library) == example


def test_blank_template_has_the_sheets_validation_and_protection(blank, library):
    wb = load_workbook(blank)
    assert wb.sheetnames == ["Instructions", "Site", "Environment", "Scheme costs", "Settings"]
    env = wb["Environment"]
    chars = library.characteristics
    # Every characteristic has a row, except one set by the shares of dwellings in its bands (each band has a row).
    assert set(env_rows(env)) == set(chars["characteristic_id"]) - set(chars["band_of"])
    assert env.protection.sheet and wb["Site"].protection.sheet
    # Every characteristic row is validated across the baseline and all option columns.
    ranges = " ".join(str(dv.sqref) for dv in env.data_validations.dataValidation)
    for _cid, r in env_rows(env).items():
        assert f"{GRID.letter(GRID.baseline_col)}{r}:{GRID.letter(GRID.first_option_col + GRID.option_cols - 1)}{r}" in ranges
    assert not env.cell(row=GRID.first_row + 1, column=GRID.baseline_col).protection.locked
    assert env.cell(row=GRID.first_row + 1, column=2).protection.locked
    lists = [dv.formula1 for dv in wb["Settings"].data_validations.dataValidation if dv.type == "list"]
    assert '"green_book,standard,none"' in lists and '"qalys,vpf"' in lists


# ---- bad input: each names its sheet and cell --------------------------------


def test_text_in_a_number_cell(filled, library):
    rows = env_rows(load_workbook(filled)["Environment"])
    ref = cell(rows, "pm25", GRID.baseline_col)
    edit(filled, "Environment", ref, "about ten")
    (p,) = problems_of(filled, library)
    assert (p.code, at(p), p.found) == ("proposal.not_number", f"Environment!{ref}", "about ten")
    assert "a number in ug/m3" in p.allowed


def test_value_out_of_range(filled, library):
    rows = env_rows(load_workbook(filled)["Environment"])
    ref = cell(rows, "damp_mould", GRID.first_option_col + 1)
    edit(filled, "Environment", ref, 1.7)
    (p,) = problems_of(filled, library)
    assert (p.code, at(p), p.found) == ("proposal.out_of_range", f"Environment!{ref}", 1.7)
    assert "a share from 0 to 1" in p.allowed


def test_blank_baseline_beside_a_filled_option(filled, library):
    rows = env_rows(load_workbook(filled)["Environment"])
    ref = cell(rows, "no2", GRID.baseline_col)
    edit(filled, "Environment", ref, None)
    (p,) = problems_of(filled, library)
    assert (p.code, at(p)) == ("proposal.no_baseline", f"Environment!{ref}")


def test_option_names_duplicated_reserved_or_missing(filled, library):
    wb = load_workbook(filled)
    env = wb["Environment"]
    first = GRID.first_option_col
    env.cell(row=GRID.header_row, column=first + 1, value="Minimum")  # duplicate, case aside
    env.cell(row=GRID.header_row, column=first + 2).value = None  # values left without a name
    env.cell(row=GRID.header_row, column=first + 3, value="baseline")
    wb.save(filled)
    found = {(p.code, at(p)) for p in problems_of(filled, library)}
    assert ("proposal.duplicate", f"Environment!{GRID.letter(first + 1)}{GRID.header_row}") in found
    assert ("template.value_outside_grid", f"Environment!{GRID.letter(first + 2)}{GRID.header_row}") in found
    assert ("proposal.option_name", f"Environment!{GRID.letter(first + 3)}{GRID.header_row}") in found


def test_unknown_characteristic_row(filled, library):
    rows = env_rows(load_workbook(filled)["Environment"])
    edit(filled, "Environment", f"A{rows['gas_cooking']}", "wood_burning")
    found = {p.code: p for p in problems_of(filled, library)}
    assert (
        at(found["template.unknown_row"]) == f"Environment!A{rows['gas_cooking']}"
        and found["template.unknown_row"].found == "wood_burning"
    )
    assert found["template.missing_rows"].found == "gas_cooking"


def test_missing_sheet(filled, library):
    wb = load_workbook(filled)
    del wb["Settings"]
    wb.save(filled)
    (p,) = problems_of(filled, library)
    assert (p.code, p.found) == ("template.missing_sheet", "Settings")


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("old.xls", b"\xd0\xcf\x11\xe0 old binary workbook", "file.kind"),
        ("table.csv", b"a,b\n1,2\n", "file.kind"),
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "file.unreadable"),
    ],
)
def test_files_that_are_not_xlsx(tmp_path, library, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ProposalError) as err:
        load_proposal(path, library)
    assert err.value.codes == [expected]


def test_a_zip_that_is_not_a_workbook(tmp_path, library):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    (p,) = problems_of(path, library)
    assert p.code == "file.unreadable"


def test_template_from_an_older_library(filled, library):
    edit(filled, "Instructions", "B3", "Made from evidence library 000000000000 (appraisal 0.0.1). Do not edit this cell.")
    (p,) = problems_of(filled, library)
    assert (p.code, at(p)) == ("template.other_library", "Instructions!B3")


def test_every_problem_at_once_in_several_sheets(filled, library):
    wb = load_workbook(filled)
    wb["Site"][CELLS["site.name"].ref] = None
    wb["Site"][f"{OCCUPANCY.share_col}{OCCUPANCY.first_row}"] = "half"
    wb["Settings"][CELLS["settings.discounting"].ref] = "treasury"
    wb["Settings"][CELLS["settings.period_years"].ref] = 2.5
    wb.save(filled)
    found = {at(p): p for p in problems_of(filled, library)}
    assert len(found) == 4
    assert found["Site!C4"].code == "proposal.required"
    assert found[f"Site!{OCCUPANCY.share_col}{OCCUPANCY.first_row}"].code == "proposal.not_number"
    assert found[f"Site!{OCCUPANCY.share_col}{OCCUPANCY.first_row}"].found == "half"
    assert (found["Settings!C7"].code, found["Settings!C7"].found) == ("proposal.not_choice", "treasury")
    assert (found["Settings!C5"].code, found["Settings!C5"].found) == ("proposal.not_whole", 2.5)


def test_a_formula_without_a_saved_result_is_reported(filled, library):
    rows = env_rows(load_workbook(filled)["Environment"])
    ref = cell(rows, "pm25", GRID.first_option_col)
    edit(filled, "Environment", ref, "=9.5-0.2")
    (p,) = problems_of(filled, library)
    assert (p.code, at(p)) == ("template.formula_unsaved", f"Environment!{ref}")


def test_age_bands_partly_filled(filled, library):
    wb = load_workbook(filled)
    site = wb["Site"]
    site[CELLS["population.total"].ref] = None
    for k in range(len(library.band_labels)):
        site[AGE_BANDS.value_ref(k)] = 100 if k == 0 else None
    wb.save(filled)
    (p,) = problems_of(filled, library)
    assert p.code == "proposal.missing_age_band" and at(p).startswith(f"Site!{AGE_BANDS.value_ref(0)}:")
    assert p.allowed.startswith("give 5-9, 10-14")


def test_cli_reports_a_broken_workbook_without_a_traceback(filled, tmp_path, library):
    rows = env_rows(load_workbook(filled)["Environment"])
    edit(filled, "Environment", cell(rows, "pm25", GRID.baseline_col), "n/a")
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "appraisal.cli", "run", str(filled), "--out", str(tmp_path / "r.xlsx")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"Environment!{cell(rows, 'pm25', GRID.baseline_col)}" in run.stderr


# ---- property: junk in input cells never raises anything but ProposalError ---

JUNK = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.sampled_from(["=1/0", "=A1", "#N/A", "1e400", " 3 ", "-0", "0.5"]),
)


@pytest.fixture(scope="module")
def filled_bytes(tmp_path_factory, library, example):
    return write_template(tmp_path_factory.mktemp("junk") / "f.xlsx", library, example).read_bytes()


def _input_cells(library) -> list[tuple[str, str]]:
    cells = [(spec.sheet, spec.ref) for spec in CELLS.values()]
    cells += [("Site", AGE_BANDS.value_ref(i)) for i in range(3)]
    cells += [("Site", f"{c}{OCCUPANCY.first_row + k}") for c in (OCCUPANCY.year_col, OCCUPANCY.share_col) for k in range(5)]
    n = len(library.characteristics) + 8
    cells += [
        ("Environment", f"{GRID.letter(col)}{row}")
        for col in range(GRID.baseline_col, GRID.first_option_col + 4)
        for row in range(GRID.first_row, GRID.first_row + n)
    ]
    cells += [
        ("Environment", f"{GRID.letter(col)}{GRID.header_row}") for col in range(GRID.first_option_col, GRID.first_option_col + 5)
    ]
    cells += [("Scheme costs", f"{col}{SCHEME.header_row + k}") for col in SCHEME.columns.values() for k in range(1, 4)]
    return cells


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_junk_in_random_input_cells_gives_errors_or_a_valid_proposal(tmp_path, library, filled_bytes, data):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(filled_bytes)
    cells = data.draw(st.lists(st.sampled_from(_input_cells(library)), min_size=1, max_size=6))
    wb = load_workbook(path)
    for sheet, ref in cells:
        wb[sheet][ref] = data.draw(JUNK)
    wb.save(path)
    try:
        proposal = read_template(path, library)
    except ProposalError as err:
        assert err.problems and all(str(p.place) and p.message for p in err.problems)
    else:
        # A proposal the reader accepts is appraised, or refused with a named place when a value is
        # so far outside the evidence that the result overflows (e.g. 1e300 minutes of walking).
        try:
            appraise(proposal, library)
        except ProposalError as err:
            assert all(str(p.place).startswith("options.") and p.code == "result.not_finite" for p in err.problems)


# ---- report workbook ----------------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory, library, example):
    result = appraise(example, library)
    path = write_report(result, tmp_path_factory.mktemp("report") / "report.xlsx")
    return result, path


def _read_table(ws, header_row: int, n_rows: int, n_cols: int) -> pd.DataFrame:
    head = [ws.cell(row=header_row, column=c).value for c in range(1, n_cols + 1)]
    body = [
        [ws.cell(row=r, column=c).value for c in range(1, n_cols + 1)] for r in range(header_row + 1, header_row + 1 + n_rows)
    ]
    return pd.DataFrame(body, columns=head)


def _find(ws, text: str, col: int = 1) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(row=r, column=col).value == text:
            return r
    raise AssertionError(f"{text!r} not found in {ws.title}")


def test_report_sheets_and_charts(report):
    _, path = report
    wb = load_workbook(path)
    assert wb.sheetnames == list(SHEET_NAMES) and SHEET_NAMES[:2] == ("Appraisal summary", "Organisations")
    charts = wb["Costs and health"]._charts
    assert len(charts) == 2
    assert {type(c).__name__ for c in charts} == {"BarChart", "LineChart"}
    for name in SHEET_NAMES[3:7]:
        assert wb[name].freeze_panes is not None


def test_every_sheet_prints_a4_landscape_one_page_wide_and_the_summary_on_one_page(report):
    _, path = report
    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4) and ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
    assert wb["Appraisal summary"].page_setup.fitToHeight == 1


def test_charts_name_bearers_not_ids(report):
    result, path = report
    ws = load_workbook(path)["Costs and health"]
    bars = next(c for c in ws._charts if type(c).__name__ == "BarChart")
    cat = bars.series[0].cat
    ref = (cat.strRef or cat.numRef).f  # e.g. 'Costs and health'!$A$7:$A$15
    cells = ref.split("!")[1].replace("$", "").split(":")
    labels = [c.value for row in ws[cells[0] : cells[1]] for c in row]
    ids = set(result.library.bearers["bearer_id"])
    assert labels and not any(label in ids for label in labels)
    assert any("NHS" in label for label in labels)


def to_pdf(src, folder):
    """``src`` converted to PDF in ``folder`` by LibreOffice (its own profile there); the PDF's path."""
    profile = f"-env:UserInstallation=file://{folder}/lo"
    run = subprocess.run(
        ["soffice", "--headless", profile, "--convert-to", "pdf", "--outdir", str(folder), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return folder / (src.stem + ".pdf")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_appraisal_summary_prints_on_one_a4_page(tmp_path, report):
    _result, path = report
    wb = load_workbook(path)
    for name in wb.sheetnames[1:]:
        del wb[name]
    only = tmp_path / "summary.xlsx"
    wb.save(only)
    pdf = to_pdf(only, tmp_path).read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_report_numbers_equal_the_result_tables(report):
    result, path = report
    wb = load_workbook(path)
    names = _names(result)
    t = summary_tables(result, names)
    ws = wb["Costs and health"]
    header = _find(ws, "Bearer")
    got = _read_table(ws, header, len(t["by_bearer"]), 1 + len(result.options))
    np.testing.assert_allclose(got[result.options].to_numpy(float), t["by_bearer"][result.options].to_numpy(float), rtol=1e-12)
    assert ws.cell(row=header + 1, column=2).number_format.startswith('"£"')
    # The all-value-types row is the sum of the cost-landing present values, less the transfers kept out.
    cl = result.cost_landing()
    total = cl[cl["counted_in_pvb_as"] != "excluded"].groupby("option")["present_value_gbp"].sum()
    np.testing.assert_allclose(
        got.set_index("Bearer").loc[ALL_VALUE_LABEL, result.options].to_numpy(float), total[result.options].to_numpy(), rtol=1e-12
    )

    ws = wb["Appraisal summary"]
    value = appraisal_summary_tables(result, names)["value"]
    header = _find(ws, "Measure")
    got = _read_table(ws, header, len(value), 1 + len(result.options)).set_index("Measure")
    vfm = result.value_for_money().set_index("option")
    for o in result.options:
        assert got.loc[VFM_ROWS["npsv_gbp"], o] == pytest.approx(vfm.loc[o, "npsv_gbp"], rel=1e-12)
        assert got.loc[VFM_ROWS["pv_benefits_social_gbp"], o] == pytest.approx(vfm.loc[o, "pv_benefits_social_gbp"], rel=1e-12)

    ws = wb["Cost landing"]
    header = _find(ws, "Option")
    keys = ["option", "value_type", "bearer", "component"]
    pv = cl.groupby(keys, sort=False)["present_value_gbp"].sum()
    got = _read_table(ws, header, len(pv), 5)
    np.testing.assert_allclose(got["Present value (£)"].to_numpy(float), pv.to_numpy(), rtol=1e-12)
    first_year = cl["financial_year"].iloc[0]
    col = 6
    assert (
        ws.cell(row=header, column=col).value == first_year == f"{result.model.years[0]}-{(result.model.years[0] + 1) % 100:02d}"
    )
    year0 = cl[cl["financial_year"] == first_year].groupby(keys, sort=False)["change_gbp"].sum()
    np.testing.assert_allclose(
        [ws.cell(row=header + 1 + i, column=col).value for i in range(len(pv))], year0.loc[pv.index].to_numpy(), rtol=1e-12
    )

    ws = wb["By pathway"]
    bp = result.by_pathway()
    header = _find(ws, "Option")
    got = _read_table(ws, header, len(bp), 7)
    np.testing.assert_allclose(got["Present value (£)"].to_numpy(float), bp["present_value_gbp"].to_numpy(), rtol=1e-12)

    ws = wb["Cases and deaths"]
    ct = cases_table(result, names)
    header = _find(ws, "Option")
    got = _read_table(ws, header, len(ct), 4)
    np.testing.assert_allclose(got["Total"].to_numpy(float), ct["Total"].to_numpy(), rtol=1e-12)
    health = result.health_summary()
    deaths = ct[ct["Measure"] == "Net change in deaths (life table)"]["Total"].sum()
    assert deaths == pytest.approx(health["change_in_deaths"].sum())

    ws = wb["Evidence"]
    header = _find(ws, "Kind")
    nc = result.not_counted()
    # The evidence table, a blank row, the heading of what is left out, its header, then its rows.
    assert ws.max_row - header == len(result.evidence()) + (3 + len(nc) if len(nc) else 0)
    assert ws.cell(row=header + len(result.evidence()) + 2, column=1).value == "What the numbers leave out, and why"


def test_cli_run_on_the_example_workbook_writes_the_report(tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    assert main(["run", str(EXAMPLE_XLSX), "--out", str(out)]) == 0
    assert "Present value of the change in cost" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == list(SHEET_NAMES)


def test_cli_template_command(tmp_path, library):
    path = tmp_path / "t.xlsx"
    assert main(["template", str(path)]) == 0
    assert load_workbook(path).sheetnames == ["Instructions", "Site", "Environment", "Scheme costs", "Settings"]
    assert main(["template", str(tmp_path / "t.csv")]) == 2


def test_csv_and_json_exports_still_work_from_the_workbook(tmp_path, library):
    result = appraise(load_proposal(EXAMPLE_XLSX, library), library)
    assert len(write_csv(result, tmp_path)) == len(result.tables()) == 15
    assert write_json(result, tmp_path / "r.json").is_file()


# ---- a real spreadsheet client ---------------------------------------------------


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed, so the real-client check cannot run here"
)
def test_libreoffice_opens_the_template_and_the_report(tmp_path, blank, report):
    _, path = report
    for src in (blank, path):
        pdf = to_pdf(src, tmp_path)
        assert pdf.is_file() and pdf.stat().st_size > 1000


def test_a_problem_in_an_option_whose_name_holds_a_dot_is_placed_at_its_cell(filled, library):
    wb = load_workbook(filled)
    env = wb["Environment"]
    old = env.cell(row=GRID.header_row, column=GRID.first_option_col).value
    env.cell(row=GRID.header_row, column=GRID.first_option_col, value="phase 1.5")
    costs = wb["Scheme costs"]
    for r in SCHEME.row_range:
        if costs[f"{SCHEME.option_col}{r}"].value == old:
            costs[f"{SCHEME.option_col}{r}"] = "phase 1.5"
    rows = env_rows(env)
    env.cell(row=rows["damp_mould"], column=GRID.first_option_col, value=3.0)
    wb.save(filled)
    (p,) = problems_of(filled, library)
    assert (p.code, at(p)) == ("proposal.out_of_range", f"Environment!{cell(rows, 'damp_mould', GRID.first_option_col)}")


# ---- scheme costs and the local authority: bad input named by cell ----------------


def _cost_row(wb, option):
    costs = wb["Scheme costs"]
    return next(r for r in SCHEME.row_range if costs[f"{SCHEME.option_col}{r}"].value == option)


def test_bad_scheme_costs_are_named_by_cell(filled, library):
    wb = load_workbook(filled)
    costs = wb["Scheme costs"]
    r = _cost_row(wb, "strategic")
    costs[f"{SCHEME.capital_col}{r}"] = -1000
    costs[f"{SCHEME.capital_col}{r + 1}"] = "a million"
    costs[f"{SCHEME.year_col}{r + 2}"] = 2200
    blank = SCHEME.row_range[-1]
    costs[f"{SCHEME.option_col}{blank}"] = "strategic"  # a row with no year, payer or cost
    wb["Site"][CELLS["site.local_authority"].ref] = "W06000015"
    wb.save(filled)
    problems = problems_of(filled, library)
    places = {at(p): p for p in problems}
    assert places[f"Scheme costs!{SCHEME.capital_col}{r}"].code == "proposal.below_minimum"
    assert places[f"Scheme costs!{SCHEME.capital_col}{r + 1}"].code == "proposal.not_number"
    assert places[f"Scheme costs!{SCHEME.year_col}{r + 2}"].code == "proposal.cost_outside_period"
    assert "2027-28" in places[f"Scheme costs!{SCHEME.year_col}{r + 2}"].allowed
    assert places[f"Scheme costs!{SCHEME.year_col}{blank}"].code == "proposal.unpaired"
    assert places[f"Site!{CELLS['site.local_authority'].ref}"].code == "proposal.not_england"


def test_scheme_costs_for_an_option_not_on_the_environment_sheet(filled, library):
    wb = load_workbook(filled)
    r = _cost_row(wb, "strategic")
    wb["Scheme costs"][f"{SCHEME.option_col}{r}"] = "stratgic"
    wb.save(filled)
    problems = problems_of(filled, library)
    assert [(p.code, at(p)) for p in problems] == [("proposal.costs_unknown_option", f"Scheme costs!{SCHEME.option_col}{r}")]


def test_a_retired_local_authority_code_names_its_successor(filled, library):
    edit(filled, "Site", CELLS["site.local_authority"].ref, "E07000163")  # Craven, merged into North Yorkshire in 2023
    (p,) = problems_of(filled, library)
    assert (p.code, at(p)) == ("proposal.retired_area_code", f"Site!{CELLS['site.local_authority'].ref}")
    assert "E06000065 (North Yorkshire)" in p.allowed
