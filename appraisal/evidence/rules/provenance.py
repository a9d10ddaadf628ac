"""Rules on provenance: every row resolves to a source, says how it was verified, and every source can be found."""

from __future__ import annotations

import re

from appraisal.errors import NOTHING, InFile, Problem
from appraisal.evidence.rules.registry import Tables, at, rule


@rule(
    "provenance.source_resolves",
    "A row's source is a source id of pathways/sources.csv or unit_costs/sources.csv (or several, separated by '; ').",
)
def source_resolves(t: Tables) -> list[Problem]:
    known = set(t.sources["source_id"])
    p = []
    for name, frame in t.frames.items():
        if "source" not in frame.columns:
            continue
        for row, source in zip(frame["_row"], frame["source"]):
            if any(s not in known for s in str(source).split("; ")):
                p.append(
                    Problem(
                        "library.provenance.source_resolves",
                        at(name, row, "source"),
                        source,
                        "source ids of pathways/sources.csv or unit_costs/sources.csv, separated by '; '",
                    )
                )
    return p


@rule(
    "provenance.verification",
    "A number read as quoted by someone else (secondary) names who quoted it; one read in the source names nobody.",
)
def verification(t: Tables) -> list[Problem]:
    p = []
    for name, frame in t.frames.items():
        if "verification" not in frame.columns:
            continue
        for row, v, who in zip(frame["_row"], frame["verification"], frame["quoted_by"]):
            if (v == "secondary") != bool(who):
                p.append(
                    Problem(
                        "library.provenance.verification",
                        at(name, row, "quoted_by"),
                        who or NOTHING,
                        "who quoted the number (authors, year, title or repository) for a secondary row; blank for a primary row",
                    )
                )
    return p


@rule("provenance.extract_resolves", "A baseline rate names an extract of pathways/extracts.csv.")
def extract_resolves(t: Tables) -> list[Problem]:
    known = set(t["extracts"]["extract_id"])
    b = t["baseline_rates"]
    return [
        Problem(
            "library.provenance.extract_resolves",
            at("baseline_rates", r, "extract_id"),
            e,
            "an extract_id of pathways/extracts.csv",
        )
        for r, e in zip(b["_row"], b["extract_id"])
        if e not in known
    ]


@rule("provenance.doi_or_url", "A source gives a DOI or a URL.")
def doi_or_url(t: Tables) -> list[Problem]:
    return [
        Problem("library.provenance.doi_or_url", InFile(r["_file"], r["_row"], "doi"), allowed="a source needs a DOI or a URL")
        for r in t.sources.to_dict("records")
        if not r["doi"] and not r["url"]
    ]


#: A folder on someone's machine: a Unix home, temporary or working folder, or a Windows drive.
MACHINE_PATH = re.compile(r"(?<![\w.])/(tmp|work|home|root|Users|mnt|var)/\w|\b[A-Za-z]:\\\w")
#: The text columns where provenance is written (the sidecar's quote and notes are joined on at reading).
PROVENANCE_TEXT = ("locator", "copy_read", "quoted_by", "transform", "quote", "notes")


@rule(
    "provenance.no_machine_path",
    "Provenance names a URL or a repository at a commit, never a folder on someone's machine.",
)
def no_machine_path(t: Tables) -> list[Problem]:
    p = []
    for name, frame in t.frames.items():
        for column in PROVENANCE_TEXT:
            if column not in frame.columns:
                continue
            for row, text in zip(frame["_row"], frame[column]):
                if isinstance(text, str) and MACHINE_PATH.search(text):
                    p.append(
                        Problem(
                            "library.provenance.no_machine_path",
                            at(name, row, column),
                            text,
                            "a URL, or owner/repository@commit:path for a file in a public repository",
                        )
                    )
    return p
