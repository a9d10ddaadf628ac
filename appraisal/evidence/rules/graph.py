"""Rules on the pathway graph of default links: one way, mediators in between, no case counted twice."""

from __future__ import annotations

import networkx as nx

from appraisal.errors import Problem
from appraisal.evidence.rules.registry import Tables, at, at_rows, rule


@rule("graph.acyclic", "Default links run one way, characteristic -> mediator -> outcome, with no cycle.", phase="graph")
def acyclic(t: Tables) -> list[Problem]:
    g = t.graph
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return []
    path = " -> ".join([cycle[0][0]] + [v for _, v in cycle])
    rows = [g.edges[u, v]["row"] for u, v in cycle]
    return [
        Problem(
            "library.graph.acyclic",
            at_rows("links", rows),
            path,
            "pathways must run one way, characteristic -> mediator -> outcome",
        )
    ]


@rule(
    "graph.mediator_between",
    "A mediator with a default link into it has one out of it (one with links out only waits, unused, for evidence into it).",
    phase="coverage",
)
def mediator_between(t: Tables) -> list[Problem]:
    g, p = t.graph, []
    for r, m in zip(t["mediators"]["_row"], t["mediators"]["mediator_id"]):
        ins, outs = g.in_degree(m), g.out_degree(m)
        if ins > 0 and outs == 0:
            side = "no link out of it"
            p.append(
                Problem(
                    "library.graph.mediator_between",
                    at("mediators", r, "mediator_id"),
                    m,
                    f"has {side}: a mediator must sit between a characteristic and an outcome",
                )
            )
    return p


@rule("graph.counted_once", "No characteristic reaches both an outcome and a wider outcome it is part of.", phase="coverage")
def counted_once(t: Tables) -> list[Problem]:
    g, p = t.graph, []
    parent = dict(zip(t["outcomes"]["outcome_id"], t["outcomes"]["part_of"]))
    seen = set()
    for c in t["characteristics"]["characteristic_id"]:
        reached = nx.descendants(g, c)
        for o in sorted(reached):
            wider = parent.get(o)
            while wider:
                if wider in reached and (c, o, wider) not in seen:
                    seen.add((c, o, wider))
                    rows = [g.edges[e]["row"] for e in g.in_edges(o) if e[0] == c or e[0] in reached]
                    p.append(
                        Problem(
                            "library.graph.counted_once",
                            at_rows("links", rows, "is_default"),
                            f"{c} -> {o} and {wider}",
                            f"{o!r} is part of {wider!r}: the same cases would be counted twice; keep one as the default and mark the other is_default 'no'",
                        )
                    )
                wider = parent.get(wider)
    return p
