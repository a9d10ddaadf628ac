"""Cautions: what ``appraisal library check`` flags for a reviewer without refusing the library.

A caution is a number that may be right but deserves a second look; the library
still loads. Today there are two:

**A default link no characteristic reaches.** A default out of a mediator that no
default link feeds (today the links out of loneliness, whose feeders are alternatives)
never acts; it waits for evidence into the mediator.

**An interval narrower than its study's size allows.** For a ratio comparing
exposed with unexposed people (a ``proportion_exposed`` link), with ``a`` and ``c``
events in the two groups, the variance of the log ratio is about ``1/a + 1/c``
(less ``1/n1 + 1/n2``, small for an uncommon outcome), and ``1/a + 1/c >= 4/(a + c)``.
The events are at most the study's size ``n`` (participants, or events where the
source prints them), so the standard error of the log ratio is at least about
``2 / sqrt(n)``. A printed 95% interval implies
``se = (ln high - ln low) / (2 x 1.96)``; a link whose ``se`` is below ``2 / sqrt(n)``
is flagged. The bound is loose when ``n`` counts participants (the events are fewer),
so a flagged interval is narrower than any study of that size could give.
"""

from __future__ import annotations

import math

from appraisal.errors import InFile, Problem
from appraisal.evidence.library import Library
from appraisal.evidence.schemas import TABLES

Z95 = 1.959963984540054


def narrowest_log_se(study_size: float) -> float:
    """The smallest standard error of a log ratio a two-group study of ``study_size`` people (or events) can give, about ``2 / sqrt(n)``."""
    return 2.0 / math.sqrt(study_size)


def cautions(library: Library) -> list[Problem]:
    """Every caution about the library, each at its file, row and column (see the module notes)."""
    return [*unreached_defaults(library), *narrow_intervals(library)]


def unreached_defaults(library: Library) -> list[Problem]:
    """Default links that no characteristic reaches through default links."""
    used = set(library.pathway_table["first_link"]) | set(library.pathway_table["outcome_link"])
    return [
        Problem(
            "library.caution.unreached_default",
            InFile(TABLES["links"].path, int(r["_row"]), "is_default"),
            f"{r['link_id']}: {r['from_id']} -> {r['to_id']}",
            f"no default link leads into {r['from_id']}, so this default never acts until one does",
        )
        for r in library.default_links.to_dict("records")
        if r["link_id"] not in used
    ]


def narrow_intervals(library: Library) -> list[Problem]:
    """Proportion-exposed ratios whose 95% interval is narrower than a study of their size can give."""
    out = []
    links = library.links
    for r in links[(links["form"] == "proportion_exposed") & (links["interval_kind"] == "ci95")].to_dict("records"):
        n, low, high = r["study_size"], r["low"], r["high"]
        if n is None or (isinstance(n, float) and math.isnan(n)) or str(n) == "<NA>" or not (low > 0 and high > low):
            continue
        se = (math.log(high) - math.log(low)) / (2 * Z95)
        floor = narrowest_log_se(float(n))
        if se < floor:
            out.append(
                Problem(
                    "library.caution.narrow_interval",
                    InFile(TABLES["links"].path, int(r["_row"]), "low"),
                    f"{r['link_id']}: {r['measure']} {r['central']:g} ({low:g}-{high:g}), standard error of the log ratio {se:.4f}",
                    f"at least about 2/sqrt({int(n):,} {r['study_size_unit']}) = {floor:.4f}: check the interval against the source",
                )
            )
    return out
