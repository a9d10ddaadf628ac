"""Rules on the graph's nodes: characteristics' bounds, mediators' kinds, outcomes' part_of."""

from __future__ import annotations

import networkx as nx
import numpy as np

from appraisal.errors import Problem
from appraisal.evidence.rules.registry import Tables, at, at_rows, rule


@rule("nodes.baseline_share", "A share mediator has an England baseline share in (0, 1); an amount mediator has none.")
def baseline_share(t: Tables) -> list[Problem]:
    p = []
    for m in t["mediators"].to_dict("records"):
        share = m["baseline_share"]
        if m["kind"] == "share" and not 0 < share < 1:
            p.append(
                Problem(
                    "library.nodes.baseline_share",
                    at("mediators", m["_row"], "baseline_share"),
                    share,
                    "a share mediator needs its England baseline share, above 0 and below 1",
                )
            )
        elif m["kind"] == "amount" and not np.isnan(share):
            p.append(
                Problem(
                    "library.nodes.baseline_share",
                    at("mediators", m["_row"], "baseline_share"),
                    share,
                    "only a share mediator has a baseline share; leave it blank",
                )
            )
    return p


@rule("nodes.valid_bounds", "A characteristic's valid_min is below its valid_max.")
def valid_bounds(t: Tables) -> list[Problem]:
    return [
        Problem(
            "library.nodes.valid_bounds",
            at("characteristics", c["_row"], "valid_min"),
            c["valid_min"],
            f"must be below valid_max {c['valid_max']:g}",
        )
        for c in t["characteristics"].to_dict("records")
        if not np.isnan(c["valid_min"]) and not np.isnan(c["valid_max"]) and c["valid_min"] >= c["valid_max"]
    ]


@rule("nodes.part_of_known", "An outcome's part_of names an outcome.")
def part_of_known(t: Tables) -> list[Problem]:
    outs = set(t["outcomes"]["outcome_id"])
    return [
        Problem(
            "library.nodes.part_of_known",
            at("outcomes", o["_row"], "part_of"),
            o["part_of"],
            "an outcome id: part_of names the wider outcome this one's cases belong to",
        )
        for o in t["outcomes"].to_dict("records")
        if o["part_of"] and o["part_of"] not in outs
    ]


@rule("nodes.part_of_loop", "part_of never runs in a loop.")
def part_of_loop(t: Tables) -> list[Problem]:
    o = t["outcomes"]
    g = nx.DiGraph((a, w) for a, w in zip(o["outcome_id"], o["part_of"]) if w)
    if nx.is_directed_acyclic_graph(g):
        return []
    loop = [u for u, _ in nx.find_cycle(g)]
    rows = o.loc[o["outcome_id"].isin(loop), "_row"]
    return [
        Problem(
            "library.nodes.part_of_loop",
            at_rows("outcomes", rows, "part_of"),
            " -> ".join(loop),
            "part_of must not run in a loop",
        )
    ]
