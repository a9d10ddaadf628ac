"""The result's tables as CSV files and one JSON file.

CSV text cells that a spreadsheet would read as a formula are neutralised (:mod:`appraisal.writers.neutral`);
JSON keeps every value as given (no spreadsheet reads it).
"""

from __future__ import annotations

import json
from pathlib import Path

from appraisal.result import Result
from appraisal.writers.neutral import neutral_frame


def write_csv(result: Result, folder: str | Path) -> list[Path]:
    """Write every table of the result as ``<name>.csv`` in ``folder``; returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in result.tables().items():
        path = folder / f"{name}.csv"
        neutral_frame(table).to_csv(path, index=False)
        paths.append(path)
    return paths


def write_json(result: Result, path: str | Path) -> Path:
    """Write every table, the settings and the site to one JSON file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "site": result.proposal.site.model_dump(mode="json"),
        "settings": result.proposal.settings.model_dump(mode="json"),
        "tables": {name: json.loads(t.to_json(orient="records")) for name, t in result.tables().items()},
    }
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path
