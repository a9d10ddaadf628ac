"""Hostile and careless input: nothing a user sends can hang the engine, exhaust memory, or booby-trap its outputs.

Each hostile file is run through the command line in a child process under a memory limit (RLIMIT_AS, 1 GiB)
and a timeout (20 s); the child reports its peak memory, and the test asserts a clean refusal (exit 2, a plain
message naming the file, no traceback). Run with ``-s`` to see each file's time and peak memory.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, REPO
from openpyxl import load_workbook

from appraisal import load_proposal
from appraisal.cli import main

EXAMPLE_XLSX = REPO / "examples" / "riverside.xlsx"
LIMIT_BYTES = 1 << 30
TIMEOUT_S = 20

#: Runs the command line with a memory limit, then prints the process's peak memory.
RUNNER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from appraisal.cli import main
code = main(sys.argv[1:])
print(f"PEAK_KB={{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}", file=sys.stderr)
sys.exit(code)
"""


def run_bounded(*args: str) -> tuple[int, str, float, int]:
    """Exit code, stderr, seconds taken and peak memory (KB) of ``appraisal ARGS`` under the limits."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER.format(limit=LIMIT_BYTES), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    seconds = time.perf_counter() - start
    peak = next((int(line.split("=")[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB=")), -1)
    print(f"\n{args[1]}: exit {done.returncode}, {seconds:.1f} s, peak {peak / 1024:.0f} MB")
    return done.returncode, done.stderr, seconds, peak


def assert_clean_refusal(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and "fault in the appraisal engine" not in err
    for word in words:
        assert word in err, err


# ---- outputs neutralised --------------------------------------------------------

DANGEROUS = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture(scope="module")
def booby_trapped(tmp_path_factory, library):
    """The example with a site name and option names that a spreadsheet would run as formulas."""
    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["site"]["name"] = DANGEROUS[0]
    traps = [*DANGEROUS[1:4], "=1+1"]  # tab and carriage return are refused in names (control characters)
    assert len(data["options"]) <= len(traps)
    names = dict(zip(list(data["options"]), traps))
    data["options"] = {names[k]: v for k, v in data["options"].items()}
    data["scheme_costs"] = {names[k]: v for k, v in data["scheme_costs"].items()}
    path = tmp_path_factory.mktemp("trap") / "trap.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_no_formula_cell_in_the_report_or_template_from_user_text(booby_trapped, tmp_path):
    report = tmp_path / "report.xlsx"
    assert main(["run", str(booby_trapped), "--out", str(report)]) == 0
    wb = load_workbook(report)
    formulas = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert any(DANGEROUS[0] in t for t in texts)  # shown as text, not dropped
    from appraisal.writers.template import write_template

    template = write_template(tmp_path / "t.xlsx", proposal=load_proposal(booby_trapped))
    wb = load_workbook(template)
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_no_dangerous_text_cell_in_any_csv_and_numbers_stay_numbers(booby_trapped, tmp_path):
    out = tmp_path / "tables"
    assert main(["run", str(booby_trapped), "--out", str(out)]) == 0
    negative_numbers = 0
    for path in out.glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                try:
                    float(cell)
                except ValueError:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, cell)
                else:
                    negative_numbers += cell.startswith("-")
    assert negative_numbers > 0  # savings are negative numbers, written as numbers
    value = (out / "value_for_money.csv").read_text(encoding="utf-8")
    assert "'+1+1" in value


# ---- bounded reading ---------------------------------------------------------------


def test_a_far_stray_cell_is_refused_by_cell_quickly(tmp_path):
    wb = load_workbook(EXAMPLE_XLSX)
    wb["Environment"]["XFD1048576"] = 1
    path = tmp_path / "stray.xlsx"
    wb.save(path)
    code, err, _seconds, _ = run_bounded("run", str(path), "--out", str(tmp_path / "r.xlsx"))
    assert_clean_refusal(code, err, "Environment!XFD1048576")


def test_a_zip_that_expands_past_the_limit_is_refused_before_opening(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(EXAMPLE_XLSX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        chunk = b"0" * (1 << 20)
        with dst.open("xl/media/padding.bin", "w") as fh:  # 200 MB of zeros: a few hundred KB zipped
            for _ in range(200):
                fh.write(chunk)
    assert path.stat().st_size < 2_000_000
    code, err, _, _ = run_bounded("run", str(path), "--out", str(tmp_path / "r.xlsx"))
    assert_clean_refusal(code, err, "unzips to at most")


def test_an_entity_expansion_bomb_is_refused(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        + '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    path = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(EXAMPLE_XLSX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = laughs.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item, data)
    code, err, _, _ = run_bounded("run", str(path), "--out", str(tmp_path / "r.xlsx"))
    assert_clean_refusal(code, err, "cannot be read")


def test_damaged_xml_is_refused_as_unreadable(tmp_path):
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(EXAMPLE_XLSX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet3.xml" else data)
    code, err, _, _ = run_bounded("run", str(path), "--out", str(tmp_path / "r.xlsx"))
    assert_clean_refusal(code, err, "cannot be read")


def test_a_yaml_alias_bomb_is_refused_without_expanding_it(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = (
        EXAMPLE.read_text(encoding="utf-8")
        .replace("site:\n", "\n".join(lines) + "\nsite:\n", 1)
        .replace("name: Riverside Quarter (example)", "name: *a9", 1)
    )
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    code, err, _, _ = run_bounded("run", str(path), "--out", str(tmp_path / "r.xlsx"))
    assert_clean_refusal(code, err, "YAML alias", "line ", "'*a0'")


def test_a_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(25_000_000)
    code, err, _, _ = run_bounded("run", str(path), "--out", str(tmp_path / "r.xlsx"))
    assert_clean_refusal(code, err, "at most 20 MB")


def test_no_message_echoes_more_than_about_200_characters_of_a_value(tmp_path, library):
    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["site"]["local_authority"] = "X" * 100_000
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, err, _, _ = run_bounded("run", str(path), "--out", str(tmp_path / "r.xlsx"))
    assert code == 2
    assert max(len(line) for line in err.splitlines()) < 600


# ---- bad input is the user's, never the engine's (exit 2, never 3) --------------------------


def _library_with_duplicates(root: Path) -> Path:
    import shutil

    from appraisal.evidence.library import bundled_root

    for folder in ("pathways", "unit_costs", "areas"):
        shutil.copytree(bundled_root() / folder, root / folder)
    for table in ("pathways/characteristics.csv", "pathways/mediators.csv"):
        lines = (root / table).read_text(encoding="utf-8").splitlines(keepends=True)
        (root / table).write_text("".join([*lines, lines[1]]), encoding="utf-8")
    return root


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_library_with_duplicate_ids_is_refused_with_exit_2(tmp_path, capsys, where):
    lib = str(_library_with_duplicates(tmp_path / "lib"))
    args = ["--library", lib, "library", "check"] if where == "before" else ["library", "check", "--library", lib]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "pathways/characteristics.csv row" in err and "pathways/mediators.csv row" in err and "Internal error" not in err
    assert main(["run", str(EXAMPLE), "--out", str(tmp_path / "r.xlsx"), "--library", lib]) == 2


def test_a_library_table_with_a_quarter_million_unknown_columns_is_refused_quickly(tmp_path):
    lib = _library_with_duplicates(tmp_path / "lib")
    table = lib / "pathways" / "outcomes.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    extra = 250_000
    lines[0] += "," + ",".join(f"x{i}" for i in range(extra))
    lines[1:] = [line + "," * extra for line in lines[1:]]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err, seconds, _ = run_bounded("library", "check", "--library", str(lib))
    assert_clean_refusal(code, err, "pathways/outcomes.csv row 1", "not in the table's schema")
    assert seconds < TIMEOUT_S


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.xlsx", b""),
        ("text.xlsx", b"not a zip"),
        ("folder.yaml", None),
        ("bad.yaml", b"site: [unclosed"),
        ("bin.yaml", b"\xff\xfe\x00"),
    ],
)
def test_unreadable_proposal_files_exit_2(tmp_path, capsys, name, content):
    path = tmp_path / name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    assert main(["run", str(path), "--out", str(tmp_path / "r.xlsx")]) == 2
    assert "Internal error" not in capsys.readouterr().err


# ---- library rules and cautions ---------------------------------------------------------------


def _copy_library(root: Path) -> Path:
    import shutil

    from appraisal.evidence.library import bundled_root

    for folder in ("pathways", "unit_costs", "areas"):
        shutil.copytree(bundled_root() / folder, root / folder)
    return root


def _edit_csv(path: Path, match: dict[str, str], **changes: str) -> int:
    """Change cells of the first row matching ``match``; its spreadsheet row."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    i = next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))
    rows[i].update(changes)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return i + 2


@pytest.mark.parametrize("value", ["0", "-70000"])
def test_a_value_of_a_qaly_of_zero_or_less_is_refused(tmp_path, capsys, value):
    root = _copy_library(tmp_path / "lib")
    row = _edit_csv(root / "unit_costs" / "parameters.csv", {"parameter_id": "value_of_qaly"}, value=value)
    assert main(["library", "check", "--library", str(root)]) == 2
    assert f"unit_costs/parameters.csv row {row}, column value" in capsys.readouterr().err


def test_library_check_prints_plausibility_cautions(tmp_path, capsys):
    root = _copy_library(tmp_path / "lib")
    _edit_csv(root / "pathways" / "links.csv", {"link_id": "pm25_allcause_mortality_chen_hoek"}, central="12", high="13")
    cost = next(csv.DictReader((root / "unit_costs" / "unit_costs.csv").open(encoding="utf-8")))
    _edit_csv(
        root / "unit_costs" / "unit_costs.csv",
        {"cost_id": cost["cost_id"]},
        value="99000000",
        low="",
        high="",
        interval_kind="none",
    )
    _edit_csv(root / "unit_costs" / "price_index.csv", {"year": "2010"}, gdp_deflator="10")
    assert main(["library", "check", "--library", str(root)]) == 0
    out = capsys.readouterr().out
    assert "a ratio above 10" in out and "100 times the median" in out and "more than 20% in a year" in out


# ---- plausible sizes --------------------------------------------------------------------


def test_a_site_of_more_than_ten_million_residents_is_refused_by_field(library):
    from appraisal import make_proposal
    from appraisal.errors import ProposalError

    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["population"] = {"total": 1e20}
    with pytest.raises(ProposalError) as err:
        make_proposal(data, library)
    assert "population.total" in str(err.value) and "10,000,000" in str(err.value)
    data["population"] = {"by_age_band": {b: 1e6 for b in library.band_labels}}
    with pytest.raises(ProposalError) as err:
        make_proposal(data, library)
    assert "population.by_age_band" in str(err.value)


def test_a_period_longer_than_the_discount_schedules_is_refused(tmp_path, library):
    from appraisal import load_library, make_proposal
    from appraisal.errors import ProposalError

    root = _copy_library(tmp_path / "lib")
    path = root / "unit_costs" / "discount_rates.csv"
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if int(r["year_from"]) <= 31]
    for r in rows:
        if r["year_from"] == "31":
            r["year_to"] = "40"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    notes = root / "unit_costs" / "notes" / "discount_rates.csv"
    kept = [r for r in csv.DictReader(notes.open(encoding="utf-8")) if int(r["year_from"]) <= 31]
    with notes.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(kept[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    short = load_library(root)
    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    with pytest.raises(ProposalError) as err:
        make_proposal(data, short)  # 60 years, schedules to year 40
    assert "settings.period_years" in str(err.value) and "at most 41 years" in str(err.value)


# ---- property: junk anywhere gives exit 0 or 2, never 3 ---------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

JUNK = st.one_of(
    st.just(""),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10),
    st.sampled_from(["-1", "0", "1e308", "nan", "inf", "-inf", "=1+1", "yes", "E08000003", "1.5", "99999999"]),
    st.sampled_from(["1e308", "inf"]),  # found a crash once: an integer column given 1e308
    st.integers(-(10**9), 10**9).map(str),
)
TABLE_FILES = [
    "pathways/links.csv",
    "pathways/characteristics.csv",
    "pathways/outcomes.csv",
    "pathways/baseline_rates.csv",
    "pathways/lags.csv",
    "unit_costs/unit_costs.csv",
    "unit_costs/parameters.csv",
    "unit_costs/value_types.csv",
    "unit_costs/optimism_bias.csv",
    "unit_costs/discount_rates.csv",
    "areas/lad_icb.csv",
    "areas/local_authorities.csv",
]


@pytest.fixture(scope="module")
def library_files(tmp_path_factory):
    root = _copy_library(tmp_path_factory.mktemp("junklib") / "lib")
    return {name: (root / name).read_text(encoding="utf-8") for name in TABLE_FILES}, root


@settings(max_examples=12, deadline=30_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_junk_in_library_cells_gives_exit_0_or_2_with_places(library_files, capsys, data):
    texts, root = library_files
    name = data.draw(st.sampled_from(TABLE_FILES))
    rows = list(csv.reader(io.StringIO(texts[name])))
    r = data.draw(st.integers(1, len(rows) - 1))
    c = data.draw(st.integers(0, len(rows[0]) - 1))
    rows[r][c] = data.draw(JUNK)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    try:
        (root / name).write_text(out.getvalue(), encoding="utf-8")
        start = time.perf_counter()
        code = main(["library", "check", "--library", str(root)])
        assert time.perf_counter() - start < 30
    finally:
        (root / name).write_text(texts[name], encoding="utf-8")
    err = capsys.readouterr().err
    assert code in (0, 2), err
    if code == 2:
        problems = [line for line in err.splitlines() if line.startswith("  - ")]
        assert problems and all(": " in line for line in problems), err


@settings(max_examples=6, deadline=30_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_junk_in_template_cells_through_the_command_gives_exit_0_or_2(tmp_path_factory, capsys, data):
    from appraisal.layout import CELLS, GRID, SCHEME

    wb = load_workbook(EXAMPLE_XLSX)
    cells = [(spec.sheet, spec.ref) for spec in CELLS.values()]
    cells += [
        ("Environment", f"{GRID.letter(GRID.baseline_col + k)}{GRID.first_row + j}") for k in range(4) for j in range(1, 60)
    ]
    cells += [("Scheme costs", f"{col}{SCHEME.header_row + k}") for col in SCHEME.columns.values() for k in range(1, 5)]
    for sheet, ref in data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=4)):
        wb[sheet][ref] = data.draw(st.one_of(JUNK, st.floats(allow_nan=True, allow_infinity=True), st.integers()))
    path = tmp_path_factory.mktemp("junkxlsx") / "junk.xlsx"
    wb.save(path)
    start = time.perf_counter()
    code = main(["run", str(path), "--out", str(path.with_name("report.xlsx"))])
    assert time.perf_counter() - start < 30
    err = capsys.readouterr().err
    assert code in (0, 2), err


def test_a_period_that_ends_before_a_lagged_effect_begins_is_refused(library):
    from appraisal import make_proposal
    from appraisal.errors import ProposalError

    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["settings"]["period_years"] = 4
    data["scheme_costs"] = {}
    data["occupancy"] = {2027: 1.0}
    data["options"]["strategic"]["indoor_radon"] = 10  # radon acts through a window 5-34 years back
    with pytest.raises(ProposalError) as err:
        make_proposal(data, library)
    assert "settings.period_years" in str(err.value) and "begins in year 6" in str(err.value)


def test_overlong_site_and_option_names_are_refused(library):
    from appraisal import make_proposal
    from appraisal.errors import ProposalError

    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["site"]["name"] = "y" * 5000
    data["options"]["x" * 1000] = data["options"].pop("minimum")
    data["scheme_costs"].pop("minimum")
    with pytest.raises(ProposalError) as err:
        make_proposal(data, library)
    codes = {p.code for p in err.value.problems}
    assert codes == {"proposal.too_long", "proposal.option_name"}
    assert max(len(line) for line in str(err.value).splitlines()) < 600


def test_a_cost_just_past_the_scheme_cost_rows_is_refused_by_cell(tmp_path):
    from appraisal.layout import SCHEME

    wb = load_workbook(EXAMPLE_XLSX)
    past = SCHEME.row_range[-1] + 1
    wb["Scheme costs"][f"D{past}"] = 900_000_000
    wb["Site"]["XFD1048576"] = 1
    path = tmp_path / "past.xlsx"
    wb.save(path)
    assert main(["run", str(path), "--out", str(tmp_path / "r.xlsx")]) == 2


def test_deep_yaml_and_control_characters_are_refused(tmp_path, capsys, library):
    deep = tmp_path / "deep.yaml"
    deep.write_text("site: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    assert main(["run", str(deep), "--out", str(tmp_path / "r.xlsx")]) == 2
    assert time.perf_counter() - start < 5
    data = load_proposal(EXAMPLE, library).model_dump(mode="json")
    data["site"]["name"] = "Evil\x1b[2J\x07"
    path = tmp_path / "ctrl.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "r.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "control character" in err and "\x1b" not in err


def test_the_output_is_never_the_proposal_itself(tmp_path):
    path = tmp_path / "in.xlsx"
    path.write_bytes(EXAMPLE_XLSX.read_bytes())
    assert main(["run", str(path), "--out", str(path)]) == 2
    assert path.read_bytes() == EXAMPLE_XLSX.read_bytes()


def test_a_report_of_thousands_of_problems_lists_two_hundred_and_counts_the_rest():
    from appraisal.errors import InFile, LibraryError, Problem

    err = LibraryError("The library", [Problem("file.missing", InFile(f"table{i}.csv")) for i in range(87_155)])
    lines = err.report().splitlines()
    assert len(lines) == 202 and "87155 problems found" in lines[0] and "86,955 more" in lines[-1]
    assert len(err.problems) == 87_155  # nothing dropped from the record


def test_an_overflow_from_a_template_is_named_by_its_sheet_and_cell(tmp_path, capsys):
    """A value so far past the evidence that the engine overflows is refused at the cell it was typed in."""
    import shutil

    from appraisal.evidence.library import bundled_root, load_library
    from appraisal.layout import GRID
    from appraisal.writers.template import write_template

    lib = tmp_path / "lib"
    for folder in ("pathways", "unit_costs", "areas"):
        shutil.copytree(bundled_root() / folder, lib / folder)
    table = lib / "pathways" / "characteristics.csv"
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    for row in rows:
        if row["characteristic_id"] == "pm25":
            row["valid_max"] = ""  # no upper bound, so only the overflow can refuse it
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    library = load_library(lib)
    path = write_template(tmp_path / "huge.xlsx", library, load_proposal(EXAMPLE, library))
    wb = load_workbook(path)
    ws = wb["Environment"]
    row = next(r for r in range(GRID.first_row, ws.max_row + 1) if ws.cell(row=r, column=GRID.id_col).value == "pm25")
    ref = f"{GRID.letter(GRID.first_option_col + 1)}{row}"
    ws[ref] = 1e200
    wb.save(path)
    assert main(["run", str(path), "--out", str(tmp_path / "r.xlsx"), "--library", str(lib)]) == 2
    err = capsys.readouterr().err
    assert f"Environment!{ref}" in err, err
    assert "options." not in err and "Traceback" not in err


def test_a_run_says_when_it_replaces_earlier_outputs(tmp_path, capsys):
    for out in (tmp_path / "tables", tmp_path / "r.xlsx"):
        assert main(["run", str(EXAMPLE), "--out", str(out)]) == 0
        assert "replaced" not in capsys.readouterr().out
        assert main(["run", str(EXAMPLE), "--out", str(out)]) == 0
        assert "replaced" in capsys.readouterr().out
