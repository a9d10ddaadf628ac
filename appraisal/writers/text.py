"""Plain-text reports for the terminal: the appraisal summary and the library's pathways, costs and coverage."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from appraisal.errors import AppraisalError, InField, Problem
from appraisal.evidence.library import Library, applied_as
from appraisal.evidence.library import link_text as relation
from appraisal.evidence.schemas import GROUPS, OUTCOME_KINDS
from appraisal.result import Result
from appraisal.wording import (
    DEATH_VALUATION_WORDS,
    SIGN_SENTENCE,
    VALUE_TYPE_WORDS,
    additionality_line,
    confidence_lines,
    gbp,
    library_label,
    money_note,
    not_counted_lines,
    optimism_bias_line,
    place_lines,
)


def summary_text(result: Result) -> str:
    """The summary an economist reads first: present value by bearer, and health changes, per option."""
    p = result.proposal
    s = p.settings
    lines = [
        f"Health appraisal of {p.site.name}",
        f"{s.period_years} years from {s.start_year}. {money_note(s)} Deaths valued by {DEATH_VALUATION_WORDS[s.mortality_valuation]}.",
        SIGN_SENTENCE,
        "",
    ]
    summary = result.summary()
    names = dict(zip(result.library.bearers["bearer_id"], result.library.bearers["name"]))

    def row_label(vtype: str, bearer: str) -> str:
        if vtype == "all":
            return "All value types counted in PVB (not cash)"
        if bearer == "all":
            return f"  {VALUE_TYPE_WORDS[vtype].split(' (')[0]}, all"
        return f"  {VALUE_TYPE_WORDS[vtype].split(' (')[0]}: {names.get(bearer, bearer)}"

    keys = list(dict.fromkeys(zip(summary["value_type"], summary["bearer"])))
    pv = summary.set_index(["value_type", "bearer", "option"])["present_value_gbp"]
    width = max(max(len(row_label(*k)) for k in keys), 44) + 2
    col = max(16, max(len(o) for o in result.options) + 2)
    lines.append("Present value of the change in cost".ljust(width) + "".join(o.rjust(col) for o in result.options))
    for k in keys:
        lines.append(row_label(*k).ljust(width) + "".join(gbp(pv.loc[(*k, o)]).rjust(col) for o in result.options))
    lines.append("")
    vfm = result.value_for_money().set_index("option")
    lines.append("Value for money".ljust(width) + "".join(o.rjust(col) for o in result.options))
    for key, text, fmt in (
        ("pv_costs_public_gbp", "PVC (public sector, with optimism bias)", gbp),
        ("pv_benefits_gbp", "PVB (fiscal + economic + social)", gbp),
        ("npsv_gbp", "NPSV", gbp),
        ("bcr", "BCR (all benefits / PVC)", lambda x: "n/a" if np.isnan(x) else f"{x:.2f}"),
        ("vfm_category", "Value-for-money category (DfT bands)", lambda x: x or "n/a"),
    ):
        lines.append(text.ljust(width) + "".join(str(fmt(vfm.loc[o, key])).rjust(col) for o in result.options))
    if not p.scheme_costs:
        lines.append("No scheme costs given: no PVC, BCR or category.")
    ob = result.optimism_bias
    lines += [
        additionality_line(s, float(vfm["additionality_factor"].iloc[0])),
        optimism_bias_line(ob.capital, ob.revenue, ob.capital_basis, ob.revenue_basis),
        *place_lines(result),
        "",
    ]
    orgs = result.organisations()
    if not orgs.empty:
        gain = orgs.pivot_table(index="organisation", columns="option", values="fiscal_gain_gbp", sort=False).fillna(0.0)
        lines.append("Fiscal gain by public body (present value)".ljust(width) + "".join(o.rjust(col) for o in result.options))
        for org in gain.index:
            text = textwrap.shorten(org, width - 2, placeholder="…")
            lines.append(f"  {text}".ljust(width) + "".join(gbp(gain.loc[org, o]).rjust(col) for o in result.options))
        lines.append("")
    health = result.health_summary()
    outcome_names = dict(zip(result.library.outcomes["outcome_id"], result.library.outcomes["name"]))
    lines.append("Change over the period".ljust(width) + "".join(o.rjust(col) for o in result.options))
    lines.append("(new cases, events or deaths; person-years for a condition or state people live in)")
    for o in result.outcomes:
        rows = health[health["outcome"] == o].set_index("option")
        in_state = rows["measure"].iloc[0].startswith("person-years")
        label = f"person-years: {outcome_names[o]}" if in_state else outcome_names[o]
        lines.append(
            textwrap.shorten(label, width - 2, placeholder="…").ljust(width)
            + "".join(f"{rows.loc[opt, 'change_in_cases']:+,.2f}".rjust(col) for opt in result.options)
        )
    fatal = health[health["outcome"].isin([o for o, f in zip(result.outcomes, result.model.fatal) if f])]
    by_option = fatal.groupby("option")[["change_in_cases", "change_in_deaths", "change_in_qalys_lost"]].sum()
    by_option = by_option.reindex(result.options, fill_value=0.0)
    for label, key, sign in (
        ("Deaths brought forward (+) or postponed (-)", "change_in_cases", 1.0),
        ("Net change in deaths within the period", "change_in_deaths", 1.0),
        ("QALYs gained (life table)", "change_in_qalys_lost", -1.0),
    ):
        lines.append(label.ljust(width) + "".join(f"{sign * by_option.loc[o, key]:+,.2f}".rjust(col) for o in result.options))
    u = result.uncertainty
    if u is not None:
        total = summary[summary["value_type"] == "all"].set_index("option")
        lines += ["", f"Uncertainty: {u.draws:,} Monte Carlo draws of the evidence (seed {u.seed})"]
        lines.append(
            "Total present value, 5th percentile".ljust(width)
            + "".join(gbp(total.loc[o, "present_value_gbp_p5"]).rjust(col) for o in result.options)
        )
        lines.append(
            "Total present value, 95th percentile".ljust(width)
            + "".join(gbp(total.loc[o, "present_value_gbp_p95"]).rjust(col) for o in result.options)
        )
        lines.append(
            "Probability of a net benefit overall".ljust(width)
            + "".join(f"{total.loc[o, 'probability_lower_cost']:.0%}".rjust(col) for o in result.options)
        )
    lines += ["", "How much of the answer rests on which evidence:"] + [
        f"  {line}" for line in confidence_lines(result.confidence(), result.options)
    ]
    lines += not_counted_lines(result)
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
        return f"{relation(link)} [{link['source']}, {link['verification']}; {link['study_design'].replace('_', ' ')}]"

    def cost_text(o: str) -> list[str]:
        out = []
        for _, c in costs[costs["outcome_id"] == o].iterrows():
            who = ", ".join(
                f"{b} {share:.0%}" + (f" as {comp}" if comp != c["component"] else "")
                for b, comp, share in library.cost_splits[c["cost_id"]]
            )
            per = pd.notna(c["per"])
            each = c["value"] / c["per"] if per else c["value"]
            total = f" (£{c['value']:,.0f} per {c['per']:,.0f})" if per else ""
            out.append(f"        £ {c['component']}: £{each:,.2f}{total} {c['basis']} ({c['price_year']} prices) -> {who}")
        return out

    lines = [f"Evidence library: {library_label(library)}", ""]
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


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent) or [indent]


def costs_text(library: Library, outcome: str) -> str:
    """An outcome's unit costs: each component's value, basis, price year, who bears it and the source.

    Components with no cited value are listed with their status (not applicable,
    not found) and the reason from ``unit_costs/cost_coverage.csv``.
    """
    outcomes = library.outcomes.set_index("outcome_id")
    if outcome not in outcomes.index:
        raise AppraisalError(
            "The outcome to show",
            [Problem("command.unknown_outcome", InField("--costs"), outcome, f"allowed: {', '.join(outcomes.index)}")],
        )
    o = outcomes.loc[outcome]
    bearer_names = dict(zip(library.bearers["bearer_id"], library.bearers["name"]))
    lines = [f"Unit costs of {o['name']} ({outcome}: {o['kind']}, ages {o['age_from']}-{o['age_to']})"]
    lines += [*_wrap(f"Typical duration of a case: {duration_text(library, outcome)}", ""), ""]
    rows = library.unit_costs[library.unit_costs["outcome_id"] == outcome]
    used = []
    for _, c in rows.iterrows():
        each = c["value"] / c["per"] if pd.notna(c["per"]) else c["value"]
        rng = (
            f" (range £{c['low'] / (c['per'] if pd.notna(c['per']) else 1):,.0f} to £{c['high'] / (c['per'] if pd.notna(c['per']) else 1):,.0f})"
            if pd.notna(c["low"])
            else ""
        )
        basis = c["basis"].replace("_", " ")
        if c["basis"] == "per_case_year":
            basis += (
                f" for as long as phase {c['phase']} lasts (pathways/durations.csv)"
                if c["phase"]
                else " for each year a case is prevalent"
            )
        if pd.notna(c["delay_years"]) and c["delay_years"]:
            basis += f", starting {c['delay_years']} years after onset"
        lines.append(
            f"  {c['cost_id']}: £{each:,.2f}{rng} {basis}, ages {c['age_from']}-{c['age_to']}, {c['price_year']}-{(int(c['price_year']) + 1) % 100:02d} prices"
        )
        for b, comp, share in library.cost_splits[c["cost_id"]]:
            lines.append(f"      {comp.replace('_', ' ')}: {share:.1%} -> {bearer_names.get(b, b)}")
        lines.append(f"      source: {c['source']}, {c['locator']} [{c['verification']}]")
        if c["derived_from"] != "unit_costs":
            lines += _wrap(f"derived: {c['notes']}", "      ")
        used.append(c["source"])
    if rows.empty:
        lines.append("  (no unit cost in the library)")
    cov = library.cost_coverage[library.cost_coverage["outcome_id"] == outcome]
    if not cov.empty:
        lines += ["", "Components with no cited cost:"]
        for _, r in cov.iterrows():
            lines += _wrap(f"{r['component'].replace('_', ' ')}: {r['status'].replace('_', ' ')}. {r['reason']}", "  ")
    if used:
        lines += ["", "Sources:"] + [f"  [{s}] {library.citation(s)}" for s in dict.fromkeys(used)]
    return "\n".join(lines)


def duration_text(library: Library, outcome: str) -> str:
    """How long a case of an outcome lasts, in words: the value read in ``pathways/durations.csv``, or why there is none."""
    o = library.outcomes.set_index("outcome_id").loc[outcome]
    d = library.durations[library.durations["outcome_id"] == outcome]
    if o["fatal"]:
        return "none (a death)"
    if d.empty:
        return "not read in a source (see the gaps table)"
    return "; ".join(_one_duration(r) for _, r in d.iterrows())


def _one_duration(d: pd.Series) -> str:
    """One phase of an outcome's duration, in words."""
    head = f"{d['phase']} (onset ages {d['age_from']}-{d['age_to']}" + (
        f", from {d['starts_after_years']:g} years after onset)" if d["starts_after_years"] else ")"
    )
    if d["statistic"] == "lifelong":
        return f"{head}: lifelong: {d['what_it_measures']} ({d['population']}) [{d['source']}, {d['locator']}]"
    printed = "" if d["unit"] == "years" else f" ({d['value']:g} {d['unit']} as printed)"
    interval = f", {d['low']:g} to {d['high']:g} {d['unit']}" if pd.notna(d["low"]) else ""
    return f"{head}: {d['years']:.2f} years{printed}{interval}, {d['statistic'].replace('_', ' ')} {d['what_it_measures']} ({d['population']}) [{d['source']}, {d['locator']}]"


def coverage_text(library: Library) -> str:
    """What the library covers: characteristics by group, outcomes by kind, links per characteristic, and the gaps."""
    chars, outs, links = library.characteristics, library.outcomes, library.links
    paths = library.pathway_table
    defaults = library.default_links
    lines = [
        f"Coverage of the evidence library at {library.root}",
        f"{len(chars)} characteristics in {chars['group'].nunique()} of {len(GROUPS)} groups; {len(library.mediators)} mediators; "
        f"{len(outs)} outcomes ({len(library.reached_outcomes())} reached by default links); "
        f"{len(links)} links ({len(defaults)} default, {len(links) - len(defaults)} alternatives).",
        "",
        "Characteristics by group (links from it: default + alternatives; outcomes reached)",
    ]
    for group in GROUPS:
        frame = chars[chars["group"] == group]
        lines.append(f"  {group.replace('_', ' ')} ({len(frame)})")
        bands = frame[frame["band_of"] != ""].groupby("band_of", sort=False)["characteristic_id"].apply(list).to_dict()
        for c in frame.loc[frame["band_of"] == "", "characteristic_id"]:
            if c in bands:
                lines += _wrap(f"{c}: set by the shares of dwellings in its bands ({', '.join(bands[c])})", "    ")
            n_def = int((defaults["from_id"] == c).sum())
            n_alt = int((links["from_id"] == c).sum()) - n_def
            reached = sorted(set(paths.loc[paths["characteristic"] == c, "outcome"]))
            lines += _wrap(f"{c}: {n_def} + {n_alt} links; reaches {', '.join(reached) or 'nothing yet'}", "    ")
        if frame.empty:
            lines.append("    (none yet: see the gaps below)")
    if not library.mediators.empty:
        lines += ["", "Mediators (unit; links into it and out of it: default + alternatives; outcomes reached)"]
        for _, m in library.mediators.iterrows():
            i = m["mediator_id"]
            n_in, n_out = int((defaults["to_id"] == i).sum()), int((defaults["from_id"] == i).sum())
            share = f", England baseline share {m['baseline_share']:g}" if pd.notna(m["baseline_share"]) else ""
            reached = sorted(set(paths.loc[paths["mediator"] == i, "outcome"]))
            lines += _wrap(
                f"{i} ({m['unit']}{share}): {n_in} + {int((links['to_id'] == i).sum()) - n_in} links in, "
                f"{n_out} + {int((links['from_id'] == i).sum()) - n_out} out; reaches {', '.join(reached) or 'nothing yet'}",
                "  ",
            )
    lines += ["", "Outcomes by kind (* = reached by a default link)"]
    reached_any = set(library.reached_outcomes())
    for kind in OUTCOME_KINDS:
        ids = [o + ("*" if o in reached_any else "") for o in outs.loc[outs["kind"] == kind, "outcome_id"]]
        lines += _wrap(f"{kind} ({len(ids)}): {', '.join(ids) or 'none'}", "  ")
    non_fatal = outs.loc[~outs["fatal"], "outcome_id"]
    with_duration = [o for o in non_fatal if o in set(library.durations["outcome_id"])]
    lines += [
        "",
        f"Typical duration of a case (pathways/durations.csv; a death has none): {len(with_duration)} of {len(non_fatal)} non-fatal outcomes",
    ]
    for o in with_duration:
        lines += _wrap(f"{o}: {duration_text(library, o)}", "  ")
    missing = [o for o in non_fatal if o not in with_duration]
    lines += _wrap(f"not read in a source ({len(missing)}; see the gaps below): {', '.join(missing) or 'none'}", "  ")
    lines += ["", f"Gaps: pathways the literature names that the library leaves out ({len(library.gaps)}, pathways/gaps.csv)"]
    for _, g in library.gaps.iterrows():
        lines.append(f"  - {g['pathway']} [{g['group'].replace('_', ' ')}]")
        lines += _wrap(f"searched: {g['what_was_searched']}", "      ")
        lines += _wrap(f"why out: {g['why_out']}", "      ")
    not_found = library.cost_coverage[library.cost_coverage["status"] == "not_found"]
    lines += [
        "",
        f"Cost components not found: {len(not_found)} (outcome x component; see 'appraisal library show --costs OUTCOME')",
    ]
    return "\n".join(lines)


def sample_text(library: Library, links: int, costs: int, seed: int) -> str:
    """A seeded random draw of default links and cited unit costs, each with what a reviewer needs to re-read it.

    The draw is reproducible (``numpy.random.default_rng(seed)``), so a blind re-read can be
    repeated and compared. Each row gives its numbers, how the engine applies them, its
    source and locator, the copy read and the words it was read in.
    """
    rng = np.random.default_rng(seed)
    d = library.default_links
    c = library.unit_costs[library.unit_costs["derived_from"] == "unit_costs"]
    pick_links = d.iloc[np.sort(rng.choice(len(d), size=min(links, len(d)), replace=False))]
    pick_costs = c.iloc[np.sort(rng.choice(len(c), size=min(costs, len(c)), replace=False))]
    shares = frozenset(library.mediators.loc[library.mediators["kind"] == "share", "mediator_id"])
    lines = [f"Blind-check sample (seed {seed}): {len(pick_links)} default links, {len(pick_costs)} unit costs", ""]
    for _, r in pick_links.iterrows():
        lines.append(f"LINK {r['link_id']} (pathways/links.csv row {r['_row']}): {r['from_id']} -> {r['to_id']}")
        lines += _wrap(
            f"{relation(r)}; interval {r['interval_kind']}; ages {r['age_from']}-{r['age_to']}; applied as: {applied_as(r, shares)}",
            "  ",
        )
        lines += _wrap(
            f"design {r['study_design']}, {r['causal_basis']}{' (' + r['appraising_body'] + ')' if r['appraising_body'] else ''}; "
            f"compared {r['contrast_exposed']} with {r['contrast_reference']} ({r['contrast_match']}); "
            f"measured {r['outcome_measured']} ({r['outcome_match']})",
            "  ",
        )
        lines += _source_lines(library, r)
    for _, r in pick_costs.iterrows():
        per = f" per {r['per']:,.0f}" if pd.notna(r["per"]) else ""
        lines.append(
            f"COST {r['cost_id']} (unit_costs/unit_costs.csv row {r['_row']}): {r['outcome_id']} {r['component']} -> {r['bearer']}"
        )
        lines += _wrap(
            f"£{r['value']:,.2f}{per} {r['basis'].replace('_', ' ')} ({r['price_year']} prices), interval {r['interval_kind']}; "
            f"ages {r['age_from']}-{r['age_to']}; describes: {r['population_described']}; {r['weighting'].replace('_', ' ')}",
            "  ",
        )
        lines += _source_lines(library, r)
    return "\n".join(lines)


def _source_lines(library: Library, r: pd.Series) -> list[str]:
    out = _wrap(f"source: {library.citation(r['source'])}", "  ")
    out += _wrap(
        f"where: {r['locator']}; read in: {r['verification']}" + (f", quoted by {r['quoted_by']}" if r["quoted_by"] else ""), "  "
    )
    if r["copy_read"]:
        out += _wrap(f"copy read: {r['copy_read']}", "  ")
    if r["transform"] != "none":
        out += _wrap(f"changed from the printed number: {r['transform']}", "  ")
    if r["quote"]:
        out += _wrap(f'quote: "{r["quote"]}"', "  ")
    return [*out, ""]
