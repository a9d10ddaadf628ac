"""Rules on ids: unique within a table, across both sources tables, and across the graph's nodes."""

from __future__ import annotations

from appraisal.errors import InFile, Problem
from appraisal.evidence.rules.registry import Tables, at, rule
from appraisal.evidence.schemas import TABLES


@rule("ids.unique", "A table's key (its id column, or the columns that name a row) names each row once.")
def unique(t: Tables) -> list[Problem]:
    p = []
    for name, table in TABLES.items():
        if name.endswith("sources"):
            continue
        frame = t[name]
        keys = [" / ".join(str(v) for v in k) for k in frame[list(table.key)].itertuples(index=False)]
        first: dict[str, int] = {}
        for key, row in zip(keys, frame["_row"]):
            if key in first:
                p.append(
                    Problem(
                        "library.ids.unique",
                        at(name, row, table.key[0]),
                        key,
                        f"already used in row {first[key]}: give each row its own {' and '.join(table.key)}",
                    )
                )
            else:
                first[key] = row
    return p


@rule("ids.unique_sources", "A source id is used once across pathways/sources.csv and unit_costs/sources.csv.")
def unique_sources(t: Tables) -> list[Problem]:
    s = t.sources
    return [
        Problem(
            "library.ids.unique_sources",
            InFile(row["_file"], row["_row"], "source_id"),
            row["source_id"],
            "ids must be unique across both sources tables",
        )
        for row in s[s["source_id"].duplicated(keep="first")].to_dict("records")
    ]


@rule("ids.unique_nodes", "A node id names one characteristic, mediator or outcome, not two of them.")
def unique_nodes(t: Tables) -> list[Problem]:
    p = []
    seen: dict[str, str] = {}
    for name, key in (("characteristics", "characteristic_id"), ("mediators", "mediator_id"), ("outcomes", "outcome_id")):
        for row, node in zip(t[name]["_row"], t[name][key]):
            if node in seen and seen[node] != name:
                p.append(
                    Problem(
                        "library.ids.unique_nodes",
                        at(name, row, key),
                        node,
                        f"already used in {seen[node]}: node ids must be unique across characteristics, mediators and outcomes",
                    )
                )
            seen.setdefault(node, name)
    return p
