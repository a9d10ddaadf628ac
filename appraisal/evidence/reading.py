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

import numpy as np
import pandas as pd
import pandera.pandas as pa

from appraisal.errors import NOTHING, InFile, Problem
from appraisal.evidence.schemas import SIDECAR_COLUMNS, Table

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
            x = pd.to_numeric(cells.replace("", None), errors="coerce").astype(float)
            whole = np.isfinite(x) & (x.abs() < 2**53) & (x.round() == x)  # 1e308 or inf is no whole number of ours
            out[name] = x.where(whole).astype("Int64")
        elif kind == "yes_no":
            out[name] = (cells == "yes").astype(bool)
        else:
            out[name] = cells.astype(object)
    out = out[list(table.columns)]
    out["_row"] = frame.index.to_numpy(dtype="int64")
    return out.reset_index(drop=True)


def _rows(root: Path, rel: str, problems: list[Problem]) -> list[list[str]] | None:
    """The rows of a CSV file as text, or None (with a problem) if it cannot be read."""
    path = root / rel
    if not path.is_file():
        problems.append(Problem("library.file.missing", InFile(rel)))
        return None
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        problems.append(Problem("library.file.too_large", InFile(rel), size, f"at most {MAX_TABLE_BYTES:,} bytes"))
        return None
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem("library.file.unreadable", InFile(rel), str(exc), "a UTF-8 CSV file"))
        return None
    if not rows:
        problems.append(Problem("library.file.empty", InFile(rel), allowed="a header row naming the columns"))
        return None
    return rows


def read_sidecar(
    root: Path, table: Table, frame: pd.DataFrame, keys: list[tuple[str, ...]], problems: list[Problem]
) -> pd.DataFrame:
    """The table with its sidecar's ``quote`` and ``notes`` joined on by key (blank where the sidecar has no row).

    ``keys`` are the table's key cells as written, one tuple per row of ``frame``.
    Every sidecar row must name a key of the table, once: a note about a row that
    is not there, or two notes about one row, is a problem at the sidecar's row.
    """
    rel = table.sidecar
    out = frame.assign(quote="", notes="")
    if rel is None:
        return out
    if not (root / rel).is_file():
        return out  # a table may have no quotes or notes
    rows = _rows(root, rel, problems)
    if rows is None:
        return out
    names = [*table.key, *SIDECAR_COLUMNS]
    header = [h.strip() for h in rows[0]]
    if header != names:
        problems.append(Problem("library.columns.sidecar", InFile(rel, row=1), ", ".join(header), f"columns: {', '.join(names)}"))
        return out
    position = {k: i for i, k in enumerate(keys)}
    quote, notes = [""] * len(frame), [""] * len(frame)
    seen: dict[tuple[str, ...], int] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            problems.append(
                Problem("library.row.cell_count", InFile(rel, row=line_no), len(row), f"{len(names)} cells, as in the header")
            )
            continue
        cells = [c.strip() for c in row]
        key = tuple(cells[: len(table.key)])
        if key in seen:
            problems.append(
                Problem(
                    "library.sidecar.duplicate",
                    InFile(rel, row=line_no),
                    " / ".join(key),
                    f"one row per key (first at row {seen[key]})",
                )
            )
            continue
        seen[key] = line_no
        if key not in position:
            problems.append(
                Problem("library.sidecar.orphan", InFile(rel, row=line_no), " / ".join(key), f"a key of a row of {table.path}")
            )
            continue
        quote[position[key]], notes[position[key]] = cells[len(table.key)], cells[len(table.key) + 1]
    return frame.assign(quote=quote, notes=notes)


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
    names = list(table.columns)
    rows = _rows(root, table.path, problems)
    if rows is None:
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
    wanted = [
        header.index(n) for n in names
    ]  # only the table's own columns are kept, so a header of a million unknown names costs no more than the names
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
        records.append([row[i].strip() for i in wanted])
        numbers.append(line_no)
    frame = pd.DataFrame(records, columns=names, index=pd.Index(numbers, dtype="int64"), dtype=object).astype(str)
    try:
        table.schema.validate(frame[names], lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems.extend(failure_problems(table, exc))
    out = _coerce(frame, table)
    keys = [tuple(k) for k in frame[list(table.key)].itertuples(index=False)]
    return read_sidecar(root, table, out, keys, problems) if table.sidecar else out
