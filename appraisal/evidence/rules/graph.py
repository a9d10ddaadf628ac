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


def _edges_into_from(g: nx.DiGraph, outcome: str, source: str) -> list[tuple[str, str]]:
    """The default links into ``outcome`` on a route from ``source`` (its own link, or one through a mediator it feeds)."""
    return [e for e in g.in_edges(outcome) if e[0] == source or nx.has_path(g, source, e[0])]


@rule(
    "graph.one_measure_per_outcome",
    "Two characteristics that measure the same thing (one construct) do not both reach an outcome by default links, "
    "unless their links share an overlap group (then only the larger counts).",
    phase="coverage",
)
def one_measure_per_outcome(t: Tables) -> list[Problem]:
    g = t.graph
    construct = dict(zip(t["characteristics"]["characteristic_id"], t["characteristics"]["construct"]))
    group = dict(zip(t["links"]["link_id"], t["links"]["overlap_group"]))
    reaching: dict[tuple[str, str], list[tuple[str, set[str], list[int]]]] = {}
    for c in t["characteristics"]["characteristic_id"]:
        if c not in g:
            continue
        for o in nx.descendants(g, c):
            if g.nodes[o]["kind"] != "outcome":
                continue
            edges = [g.edges[e] for e in _edges_into_from(g, o, c)]
            reaching.setdefault((construct[c], o), []).append(
                (c, {group[e["link_id"]] for e in edges}, [e["row"] for e in edges])
            )
    p = []
    for (what, o), chars in reaching.items():
        if len(chars) < 2:
            continue
        shared = set.intersection(*(groups for _, groups, _ in chars)) - {""}
        if not shared:
            rows = sorted({r for _, _, rs in chars for r in rs})
            p.append(
                Problem(
                    "library.graph.one_measure_per_outcome",
                    at_rows("links", rows, "is_default"),
                    f"{', '.join(c for c, _, _ in chars)} -> {o}",
                    f"these characteristics all measure {what}: keep one default route to {o}, or put the links in one overlap group",
                )
            )
    return p


@rule(
    "graph.total_effect_once",
    "A default link whose estimate already includes a mechanism (its includes column) does not reach an outcome that "
    "a default route through that mechanism also reaches.",
    phase="coverage",
)
def total_effect_once(t: Tables) -> list[Problem]:
    g = t.graph
    construct = dict(zip(t["characteristics"]["characteristic_id"], t["characteristics"]["construct"]))
    p = []
    for r in t["links"][t["links"]["is_default"] & (t["links"]["includes"] != "")].to_dict("records"):
        o = r["to_id"]
        for part in (x.strip() for x in r["includes"].split(";")):
            sources = [part] if part in g else [c for c, k in construct.items() if k == part and c in g]
            rows = sorted({g.edges[e]["row"] for src in sources for e in _edges_into_from(g, o, src) if e[0] != r["from_id"]})
            if rows:
                p.append(
                    Problem(
                        "library.graph.total_effect_once",
                        at_rows("links", [r["_row"], *rows], "includes"),
                        f"{r['link_id']} includes {part}",
                        f"{o} is also reached through {part} by default: make the total-effect link an alternative, or the routes it contains",
                    )
                )
    return p
