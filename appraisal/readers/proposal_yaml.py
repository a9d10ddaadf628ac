"""Read a proposal written as YAML."""

from __future__ import annotations

from pathlib import Path

import yaml

from appraisal.errors import InFile, Problem, ProposalError
from appraisal.evidence.library import Library
from appraisal.proposal import Proposal, make_proposal
from appraisal.readers.limits import file_size_problem, yaml_alias_problem, yaml_shape_problem


class _DuplicateKey(yaml.MarkedYAMLError):
    """A key given twice in one mapping: YAML would keep the last silently."""


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateKey(problem=f"the key {key!r} is given twice", problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _place(path: Path, exc: yaml.YAMLError) -> InFile:
    """The file, and the line and column YAML names where it can."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return InFile(str(path))
    return InFile(str(path), line=mark.line + 1, column=str(mark.column + 1))


def read_yaml(path: Path, library: Library | None = None) -> Proposal:
    """Read and check a ``.yaml`` proposal.

    Raises
    ------
    ProposalError
        If the file is missing or not YAML (naming its line and column), a key is given twice,
        or the proposal has problems (all of them, each naming its field).
    """
    what = f"Proposal {path}"
    try:
        big = file_size_problem(path)
        if big is not None:
            raise ProposalError(what, [big])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProposalError(what, [Problem("file.missing", InFile(str(path)))]) from None
    except IsADirectoryError:
        raise ProposalError(what, [Problem("file.unreadable", InFile(str(path)), "a folder", "a .yaml file")]) from None
    except UnicodeDecodeError as exc:
        raise ProposalError(what, [Problem("file.unreadable", InFile(str(path)), str(exc), "a UTF-8 text file")]) from None
    shape = yaml_shape_problem(path, text) or yaml_alias_problem(path, text)
    if shape is not None:
        raise ProposalError(what, [shape])
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader that also refuses duplicate keys
    except _DuplicateKey as exc:
        raise ProposalError(
            what, [Problem("proposal.duplicate", _place(path, exc), allowed=f"{exc.problem}: give each key once")]
        ) from None
    except RecursionError:
        raise ProposalError(
            what, [Problem("file.too_deep", InFile(str(path)), "nesting too deep to read", "a proposal's shape")]
        ) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProposalError(what, [Problem("file.not_yaml", _place(path, exc), problem)]) from None
    return make_proposal(data, library, what)
