"""Read the evidence tables: every cell as text, checked by its schema lazily, then coerced.

The file is read with the :mod:`csv` module so that a row with the wrong number
of cells is reported with its row number (a spreadsheet row: the header is row
1, the first record row 2; blank rows are skipped but counted). Cells are kept
as text with no missing-value guessing (what ``dtype=str, keep_default_na=False``
gives), validated by the table's :mod:`pandera` schema with ``lazy=True``, and
each failure case becomes a :class:`~appraisal.errors.Problem`. Then each column
is coerced by its kind: numbers to float (blank: NaN), whole numbers to nullable
Int64, ``yes``/``no`` to bool, text stays text.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from appraisal.errors import NOTHING, InFile, Problem
from appraisal.evidence.schemas import Table

#: The largest table file read, in bytes; a larger file is refused before it is opened.
MAX_TABLE_BYTES = 20_000_000

#: The problem code of each failed cell check.
CHECK_CODES = {
    "not_blank": "library.cell.blank",
    "number": "library.cell.not_number",
    "whole_number": "library.cell.not_whole",
    "one_of": "library.cell.not_choice",
}


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in [*table.columns, "_row"]})


def _allowed(table: Table, column: str, check: str) -> str:
    """What a failed check allows, in words."""
    if check == "not_blank":
        return "give a value"
    if check == "number":
        return "allowed: a number in digits, such as 1.08 or 250"
    if check == "whole_number":
        return "allowed: a whole number in digits, such as 2019"
    if check == "one_of":
        checks = table.schema.to_schema().columns[column].checks
        choices = next(c.statistics["choices"] for c in checks if c.name == "one_of")
        return f"allowed: {', '.join(choices)}"
    return check


def failure_problems(table: Table, error: pa.errors.SchemaErrors) -> list[Problem]:
    """One problem per failure case of a lazily validated table, in row order."""
    cases = error.failure_cases.sort_values(["index", "column"], kind="stable")
    problems = []
    for case in cases.to_dict("records"):
        check = str(case["check"]).split("(")[0]
        row = None if pd.isna(case["index"]) else int(case["index"])
        found = case["failure_case"]
        problems.append(
            Problem(
                CHECK_CODES.get(check, "library.cell.invalid"),
                InFile(table.path, row=row, column=case["column"]),
                NOTHING if check == "not_blank" or pd.isna(found) else found,
                _allowed(table, str(case["column"]), check),
            )
        )
    return problems


def _coerce(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Each column as its kind; a cell that failed its check becomes missing."""
    out = pd.DataFrame(index=frame.index)
    for name, kind in table.kinds().items():
        cells = frame[name]
        if kind == "number":
            out[name] = pd.to_numeric(cells.replace("", None), errors="coerce").astype(float)
        elif kind == "integer":
            x = pd.to_numeric(cells.replace("", None), errors="coerce")
            out[name] = x.where(x.round() == x).astype("Int64")
        elif kind == "yes_no":
            out[name] = (cells == "yes").astype(bool)
        else:
            out[name] = cells.astype(object)
    out = out[list(table.columns)]
    out["_row"] = frame.index.to_numpy(dtype="int64")
    return out.reset_index(drop=True)


def read_table(root: Path, table: Table, problems: list[Problem]) -> pd.DataFrame:
    """Read one table, appending every problem to ``problems``.

    Returns
    -------
    pandas.DataFrame
        The table's columns, coerced by kind, and ``_row``: the spreadsheet row
        each record came from. Rows with broken cells are kept (their broken
        cells missing) so that every id is still seen; the library is refused
        anyway because ``problems`` is not empty.
    """
    path = root / table.path
    names = list(table.columns)
    if not path.is_file():
        problems.append(Problem("library.file.missing", InFile(table.path)))
        return _empty(table)
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        problems.append(Problem("library.file.too_large", InFile(table.path), size, f"at most {MAX_TABLE_BYTES:,} bytes"))
        return _empty(table)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem("library.file.unreadable", InFile(table.path), str(exc), "a UTF-8 CSV file"))
        return _empty(table)
    if not rows:
        problems.append(Problem("library.file.empty", InFile(table.path), allowed="a header row naming the columns"))
        return _empty(table)
    header = [h.strip() for h in rows[0]]
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    if missing:
        problems.append(
            Problem("library.columns.missing", InFile(table.path, row=1), ", ".join(missing), f"columns: {', '.join(names)}")
        )
    if extra:
        problems.append(
            Problem("library.columns.unknown", InFile(table.path, row=1), ", ".join(extra), f"columns: {', '.join(names)}")
        )
    if missing:
        return _empty(table)
    records, numbers = [], []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    "library.row.cell_count", InFile(table.path, row=line_no), len(row), f"{len(header)} cells, as in the header"
                )
            )
            continue
        records.append([cell.strip() for cell in row])
        numbers.append(line_no)
    frame = pd.DataFrame(records, columns=header, index=pd.Index(numbers, dtype="int64"), dtype=object).astype(str)
    try:
        table.schema.validate(frame[names], lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems.extend(failure_problems(table, exc))
    return _coerce(frame, table)
