"""Rules on banded characteristics: shares of dwellings in bands of a level, standing for the level itself."""

from __future__ import annotations

from appraisal.errors import Problem
from appraisal.evidence.rules.registry import Tables, at, rule


@rule(
    "bands.parent",
    "A band belongs to a characteristic that is not itself a band, starts below where it ends, and overlaps no other band of it.",
)
def parent(t: Tables) -> list[Problem]:
    c = t["characteristics"]
    ids = dict(zip(c["characteristic_id"], c["band_of"]))
    problems = []
    seen: dict[str, list[tuple[float, float]]] = {}
    for r, cid, of, lo, hi in zip(c["_row"], c["characteristic_id"], c["band_of"], c["band_from"], c["band_to"]):
        if not of:
            continue
        allowed = (
            "the id of a characteristic that is not a band, with band_from below band_to (blank: open top band) and no overlap"
        )
        top = float("inf") if hi != hi else float(hi)  # NaN: the open top band
        if of not in ids or ids[of] or lo != lo or float(lo) >= top:
            problems.append(Problem("library.bands.parent", at("characteristics", r, "band_of"), cid, allowed))
            continue
        if any(float(lo) < b and a < top for a, b in seen.get(of, [])):
            problems.append(Problem("library.bands.parent", at("characteristics", r, "band_from"), cid, allowed))
        seen.setdefault(of, []).append((float(lo), top))
    return problems


@rule("bands.direct", "A characteristic set by bands has default links acting directly on outcomes, not through a mediator.")
def direct(t: Tables) -> list[Problem]:
    banded = {of for of in t["characteristics"]["band_of"] if of}
    mediators = set(t["mediators"]["mediator_id"])
    links = t["links"]
    return [
        Problem("library.bands.direct", at("links", r, "to_id"), link_id, "an outcome: a banded characteristic acts directly")
        for r, link_id, f, to, default in zip(
            links["_row"], links["link_id"], links["from_id"], links["to_id"], links["is_default"]
        )
        if default and f in banded and to in mediators
    ]
