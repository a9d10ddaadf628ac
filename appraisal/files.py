"""Files in and out: which reader a proposal file needs, and which writer an output path asks for."""

from __future__ import annotations

from pathlib import Path

from appraisal.errors import InField, InFile, Problem, ProposalError
from appraisal.evidence.library import Library
from appraisal.proposal import Proposal
from appraisal.readers.proposal_yaml import read_yaml
from appraisal.readers.template import locate_in_template, read_template
from appraisal.result import Result
from appraisal.writers.tables import write_csv, write_json
from appraisal.writers.workbook import write_report


def load_proposal(path: str | Path, library: Library | None = None) -> Proposal:
    """Read a proposal from a filled Excel template (.xlsx) or a YAML file, and check it against the library.

    Raises
    ------
    ProposalError
        If the file cannot be read or the proposal has problems (all of them listed,
        each naming its sheet and cell, or its field).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls"):
        return read_template(path, library)
    if suffix in (".yaml", ".yml"):
        return read_yaml(path, library)
    raise ProposalError(
        f"Proposal {path}",
        [
            Problem(
                "file.kind",
                InFile(str(path)),
                suffix or path.name,
                "a proposal is a filled Excel template (.xlsx) or a .yaml file",
            )
        ],
    )


def locate_problems(path: str | Path, error: ProposalError, library: Library) -> ProposalError:
    """A problem found after reading (an overflow, named by field) placed where the user typed it.

    For a filled template each field becomes its sheet and cell; a YAML proposal keeps the
    field path, which is how a YAML file is addressed.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xls"):
        return error
    return ProposalError(f"Proposal workbook {path}", locate_in_template(path, error.problems, library))


def out_problems(out: str | Path, source: str | Path | None = None) -> list[Problem]:
    """What is wrong with an output path, checked before any work: a report workbook ending in .xlsx,
    or a folder for the CSV tables (a name with no extension, or a folder that exists); never the proposal
    file itself, never blank, and a name the system can hold."""
    place = InField("--out")
    if not str(out).strip():
        return [Problem("command.out_path", place, str(out), "give a report workbook ending in .xlsx, or a folder")]
    try:
        return _out_problems(Path(out), source, place)
    except OSError as exc:
        return [Problem("command.out_path", place, str(out), f"cannot be used: {exc.strerror or exc}")]


def _out_problems(out: Path, source: str | Path | None, place: InField) -> list[Problem]:
    if source is not None and out.exists() and Path(source).exists() and out.resolve() == Path(source).resolve():
        return [Problem("command.out_path", place, str(out), "another file than the proposal: writing there would replace it")]
    blocked = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        return [Problem("command.out_path", place, str(out), f"{blocked} is a file, not a folder: choose another place")]
    if out.suffix.lower() == ".xlsx":
        if out.is_dir():
            return [
                Problem("command.out_path", place, str(out), "a folder of that name exists: choose another name for the workbook")
            ]
        return []
    if out.exists() and not out.is_dir():
        return [
            Problem(
                "command.out_path", place, str(out), "a file of that name exists: give a workbook ending in .xlsx, or a folder"
            )
        ]
    if out.suffix and not out.is_dir():
        return [
            Problem(
                "command.out_path",
                place,
                str(out),
                "give a report workbook ending in .xlsx, or a folder (a name with no extension) for CSV tables",
            )
        ]
    return []


def write_outputs(result: Result, out: str | Path) -> list[Path]:
    """Write the report workbook (``out`` ending in .xlsx) or the tables as CSV and ``result.json`` (``out`` a folder)."""
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        return [write_report(result, out)]
    return [*write_csv(result, out), write_json(result, out / "result.json")]
