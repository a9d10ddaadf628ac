"""Outputs that cannot run anything: text a user typed never becomes a spreadsheet formula.

* Workbooks: every cell whose text starts like a formula is written as a text cell (openpyxl would otherwise
  store ``=...`` as a formula). The report and the template hold no formulas of their own.
* CSV: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
  apostrophe, the OWASP rule against CSV injection (owasp.org, "CSV Injection"); numbers, negative savings
  included, stay numbers.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

#: First characters that make a spreadsheet read a text cell as a formula (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cells_only(wb: Workbook) -> Workbook:
    """Turn every formula cell of ``wb`` into a text cell showing the same characters; returns ``wb``."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():
            if cell.data_type == "f":
                cell.data_type = "s"
    return wb


def neutral_text(value: object) -> object:
    """A text value with a leading apostrophe if a spreadsheet would read it as a formula; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutral_frame(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell of its text columns made safe (:func:`neutral_text`); numbers untouched."""
    out = table.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutral_text)
    out.columns = [neutral_text(c) for c in out.columns]
    return out
