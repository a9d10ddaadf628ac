"""Read a proposal written as YAML."""

from __future__ import annotations

from pathlib import Path

import yaml

from appraisal.errors import InFile, Problem, ProposalError
from appraisal.evidence.library import Library
from appraisal.proposal import Proposal, make_proposal


def read_yaml(path: Path, library: Library | None = None) -> Proposal:
    """Read and check a ``.yaml`` proposal.

    Raises
    ------
    ProposalError
        If the file is missing or not YAML, or the proposal has problems (all of them, each naming its field).
    """
    what = f"Proposal {path}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProposalError(what, [Problem("file.missing", InFile(str(path)))]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProposalError(what, [Problem("file.not_yaml", InFile(str(path)), str(exc))]) from None
    return make_proposal(data, library, what)
