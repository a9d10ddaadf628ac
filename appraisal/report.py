"""Plain-text reports for the terminal: the appraisal summary and the library's pathways."""

from __future__ import annotations

import pandas as pd

from appraisal.evidence.library import Library
from appraisal.result import Result


def _gbp(x: float) -> str:
    sign = "-" if x < 0 else ""
    return f"{sign}£{abs(x):,.0f}"


def summary_text(result: Result) -> str:
    """The summary an economist reads first: present value by bearer, and health changes, per option."""
    p = result.proposal
    s = p.settings
    lines = [
        f"Health appraisal of {p.site.name}",
        f"{s.period_years} years from {s.start_year}; £ at {s.price_year}-{(s.price_year + 1) % 100:02d} prices; "
        f"present values discounted to {s.start_year} "
        + ("(Green Book: standard schedule for financial costs, health schedule for health-valued costs)" if s.discounting == "green_book" else "(standard schedule for all costs)" if s.discounting == "standard" else "(no discounting)")
        + f"; deaths valued by {'discounted life-years lost' if s.mortality_valuation == 'life_years' else 'the value of a prevented fatality'}.",
        "Change in cost against the baseline: a negative number is a saving to that bearer.",
        "",
    ]
    summary = result.summary()
    table = summary.pivot(index="bearer", columns="option", values="present_value_gbp")
    bearers = [b for b in table.index if b != "total"] + ["total"]
    table = table.loc[bearers, result.options]
    names = dict(zip(result.library.bearers["bearer_id"], result.library.bearers["name"]))
    width = max(len(names.get(b, b)) for b in bearers) + 2
    col = max(16, max(len(o) for o in result.options) + 2)
    lines.append("Present value of the change in cost".ljust(width) + "".join(o.rjust(col) for o in result.options))
    for b in bearers:
        label = "Total" if b == "total" else names.get(b, b)
        lines.append(label.ljust(width) + "".join(_gbp(table.loc[b, o]).rjust(col) for o in result.options))
    lines.append("Benefit (= minus the total change)".ljust(width) + "".join(_gbp(-table.loc["total", o]).rjust(col) for o in result.options))
    lines.append("")
    health = result.health_summary()
    outcome_names = dict(zip(result.library.outcomes["outcome_id"], result.library.outcomes["name"]))
    lines.append("Change in cases over the period".ljust(width) + "".join(o.rjust(col) for o in result.options))
    for o in result.outcomes:
        vals = health[health["outcome"] == o].set_index("option")["change_in_cases"]
        lines.append(outcome_names[o][: width - 2].ljust(width) + "".join(f"{vals[opt]:+,.2f}".rjust(col) for opt in result.options))
    deaths = health.groupby("option")["change_in_deaths"].sum()
    lines.append("Change in deaths (all outcomes)".ljust(width) + "".join(f"{deaths[o]:+,.2f}".rjust(col) for o in result.options))
    u = result.uncertainty
    if u is not None:
        total = summary[summary["bearer"] == "total"].set_index("option")
        lines += ["", f"Uncertainty: {u.draws:,} Monte Carlo draws of the evidence (seed {u.seed})"]
        lines.append("Total present value, 5th percentile".ljust(width) + "".join(_gbp(total.loc[o, "present_value_gbp_p5"]).rjust(col) for o in result.options))
        lines.append("Total present value, 95th percentile".ljust(width) + "".join(_gbp(total.loc[o, "present_value_gbp_p95"]).rjust(col) for o in result.options))
        lines.append("Probability of a saving overall".ljust(width) + "".join(f"{total.loc[o, 'probability_lower_cost']:.0%}".rjust(col) for o in result.options))
    from appraisal.workbook.report import confidence_lines

    lines += ["", "How much of the answer rests on which evidence:"] + [f"  {line}" for line in confidence_lines(result)]
    return "\n".join(lines)


def library_text(library: Library) -> str:
    """Every pathway: characteristic -> (mediator) -> outcome -> cost components -> bearers."""
    g = library.graph
    links = library.default_links.set_index("link_id")
    chars = library.characteristics.set_index("characteristic_id")
    outcomes = library.outcomes.set_index("outcome_id")
    costs = library.unit_costs

    def link_text(u: str, v: str) -> str:
        link = links.loc[g.edges[u, v]["link_id"]]
        ci = f" ({link['low']:g}-{link['high']:g})" if pd.notna(link["low"]) else ""
        return f"{link['measure']} {link['central']:g}{ci} per {link['increment']:g} {link['exposure_unit']} [{link['source']}, {link['verified_in'].split(' ')[0]}]"

    def cost_text(o: str) -> list[str]:
        out = []
        for _, c in costs[costs["outcome_id"] == o].iterrows():
            who = ", ".join(f"{b} {share:.0%}" + (f" as {comp}" if comp != c["component"] else "") for b, comp, share in library.cost_splits[c["cost_id"]])
            per = pd.notna(c["per"])
            each = c["value"] / c["per"] if per else c["value"]
            total = f" (£{c['value']:,.0f} per {c['per']:,.0f})" if per else ""
            out.append(f"        £ {c['component']}: £{each:,.2f}{total} {c['basis']} ({c['price_year']} prices) -> {who}")
        return out

    lines = [f"Evidence library at {library.root}", ""]
    for group, frame in library.characteristics.groupby("group", sort=False):
        lines.append(f"== {group.replace('_', ' ').capitalize()}")
        for c in frame["characteristic_id"]:
            lines.append(f"  {c}: {chars.loc[c, 'name']} [{chars.loc[c, 'unit']}]")
            for v in g.successors(c):
                if g.nodes[v]["kind"] == "mediator":
                    lines.append(f"    -> {v} (mediator): {link_text(c, v)}")
                    for o in g.successors(v):
                        lines.append(f"        -> {outcomes.loc[o, 'name']}: {link_text(v, o)}")
                else:
                    lines.append(f"    -> {outcomes.loc[v, 'name']}: {link_text(c, v)}")
            if g.out_degree(c) == 0:
                lines.append("    (no link in the library yet)")
        lines.append("")
    lines.append("== Costs of each outcome reached (component: unit cost -> who bears it)")
    for o in library.reached_outcomes():
        lines.append(f"  {outcomes.loc[o, 'name']}")
        lines += cost_text(o)
    return "\n".join(lines)
