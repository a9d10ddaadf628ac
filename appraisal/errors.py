"""Errors that reach the user: every problem at once, each naming its place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Parameters
    ----------
    place
        Where it is: ``"pathways/links.csv row 7, column central"``,
        ``"options.strategic.pm25"`` or ``"Environment!D14"``.
    message
        What is wrong and what is allowed, in the user's words.
    """

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class AppraisalError(Exception):
    """Raised with every problem found in an input, never only the first.

    Parameters
    ----------
    what
        What was being read or checked (``"the evidence library"``, ``"proposal riverside.yaml"``).
    problems
        The problems found.
    """

    def __init__(self, what: str, problems: list[Problem]):
        self.what = what
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{self.what}: {n} problem{'s' if n != 1 else ''} found"
        return "\n".join([head] + [f"  - {p}" for p in self.problems])

    def __str__(self) -> str:
        return self.report()


class LibraryError(AppraisalError):
    """The evidence library (``pathways/``, ``unit_costs/``) is broken."""


class ProposalError(AppraisalError):
    """A proposal (YAML, Excel or Python) cannot be appraised as given."""
