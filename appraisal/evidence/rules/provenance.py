"""Rules on provenance: every row resolves to a source, says how it was verified, and every source can be found."""

from __future__ import annotations

from appraisal.errors import InFile, Problem
from appraisal.evidence.rules.registry import Tables, at, rule


@rule("provenance.source_resolves", "A row's source is a source id of pathways/sources.csv or unit_costs/sources.csv.")
def source_resolves(t: Tables) -> list[Problem]:
    known = set(t.sources["source_id"])
    p = []
    for name, frame in t.frames.items():
        if "source" not in frame.columns:
            continue
        for row, source in zip(frame["_row"], frame["source"]):
            if source not in known:
                p.append(
                    Problem(
                        "library.provenance.source_resolves",
                        at(name, row, "source"),
                        source,
                        "a source id of pathways/sources.csv or unit_costs/sources.csv",
                    )
                )
    return p


def verified_form(v: str) -> bool:
    """Is ``verified_in`` 'primary', 'primary (<copy read>)' or 'secondary (<who quoted it>)'?"""
    return v == "primary" or (v.startswith(("primary (", "secondary (")) and v.endswith(")"))


@rule("provenance.verified_in", "verified_in is 'primary', 'primary (<copy read>)' or 'secondary (<who quoted it>)'.")
def verified_in(t: Tables) -> list[Problem]:
    p = []
    for name, frame in t.frames.items():
        if "verified_in" not in frame.columns:
            continue
        for row, v in zip(frame["_row"], frame["verified_in"]):
            if not verified_form(v):
                p.append(
                    Problem(
                        "library.provenance.verified_in",
                        at(name, row, "verified_in"),
                        v,
                        "'primary', 'primary (<copy read>)' or 'secondary (<who quoted it>)'",
                    )
                )
    return p


@rule("provenance.doi_or_url", "A source gives a DOI or a URL.")
def doi_or_url(t: Tables) -> list[Problem]:
    return [
        Problem("library.provenance.doi_or_url", InFile(r["_file"], r["_row"], "doi"), allowed="a source needs a DOI or a URL")
        for r in t.sources.to_dict("records")
        if not r["doi"] and not r["url"]
    ]
