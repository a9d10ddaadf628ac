"""Every sentence and label a user reads about a result, in one place: the terminal and the workbook use these."""

from __future__ import annotations

import pandas as pd

from appraisal._version import __version__
from appraisal.analysis.confidence import PRIMARY
from appraisal.evidence.library import Library, bundled_root
from appraisal.proposal import DeathValuation, Discounting, Settings
from appraisal.result import Result

#: The evidence library's groups of characteristics, as a planner names them.
GROUP_NAMES = {
    "housing_indoor": "Housing and indoor environment",
    "natural_environment": "Natural environment",
    "transport": "Transport",
    "community_infrastructure": "Community infrastructure",
    "socio_economic": "Socio-economic",
    "climate": "Climate",
}

#: How present values are discounted, in a sentence's words, by setting.
DISCOUNTING_WORDS = {
    Discounting.GREEN_BOOK: "discounted with the HM Treasury Green Book schedules (standard rates for financial costs, "
    "health rates for quality of life and life-years)",
    Discounting.STANDARD: "discounted with the standard Green Book schedule for all costs",
    Discounting.NONE: "not discounted",
}

#: How deaths are valued, in words, by setting.
DEATH_VALUATION_WORDS = {
    DeathValuation.QALYS: "quality-adjusted life-years lost, from the life table, at the value of a QALY",
    DeathValuation.VPF: "the value of a prevented fatality, per death brought forward or postponed among residents",
}

#: The row that gives the benefit under a table of changes in cost.
BENEFIT_LABEL = (
    "Present value of benefits before additionality (= minus the change: fiscal + economic + social, transfers excluded)"
)
TOTAL_LABEL = "Total"
SIGN_SENTENCE = "Change in cost against the baseline: a negative number is a saving to that bearer."


def price_year_label(year: int) -> str:
    """A financial year as an economist writes it: ``2024 -> "2024-25"``."""
    return f"{year}-{(year + 1) % 100:02d}"


def money_note(settings: Settings) -> str:
    """The line under every money table: price base, discounting and base year."""
    base = settings.discount_base_year or settings.start_year
    return (
        f"£ in {price_year_label(settings.price_year)} prices; present values to {price_year_label(base)}, "
        f"{DISCOUNTING_WORDS[settings.discounting]}; years are financial years (April to March)."
    )


#: Where a flow counts in the present value of benefits, as a reader names it.
VALUE_TYPE_WORDS = {
    "fiscal": "Fiscal",
    "economic": "Economic",
    "social": "Social",
    "excluded": "Transfer (kept out of the benefits)",
    "all": "All value types",
}
#: The row that sums fiscal, economic and social value: never read as cash to a budget.
ALL_VALUE_LABEL = "All value types together (fiscal + economic + social: social value, not cash to any one budget)"


def additionality_line(settings: Settings, factor: float) -> str:
    """Additionality as applied to benefits, in one sentence."""
    if factor == 1.0:
        return "Additionality: none applied (deadweight, displacement and leakage 0); benefits are gross."
    return (
        f"Additionality: benefits are net of deadweight {settings.deadweight:.0%}, displacement {settings.displacement:.0%} "
        f"and leakage {settings.leakage:.0%} (x {factor:.3f})."
    )


def optimism_bias_line(capital: float, revenue: float, capital_basis: str, revenue_basis: str) -> str:
    """Optimism bias as applied to scheme costs, in one sentence."""
    return f"Optimism bias on scheme costs: capital +{capital:.0%} ({capital_basis}); revenue +{revenue:.0%} ({revenue_basis})."


def gbp(x: float) -> str:
    """Whole pounds with a sign: ``-1234.5 -> "-£1,235"``."""
    sign = "-" if x < 0 else ""
    return f"{sign}£{abs(x):,.0f}"


def judgement_label(scenario: str, settings: Settings) -> str:
    """A value-judgement scenario id (see :func:`appraisal.composing.judgement_settings`) in words."""
    if scenario == "other_death_valuation":
        other = (
            "the value of a prevented fatality"
            if settings.mortality_valuation is DeathValuation.QALYS
            else "quality-adjusted life-years lost"
        )
        return f"deaths valued by {other}"
    return {
        "as_set": "as set",
        "health_at_standard_rate": "health effects at the standard discount rate",
        "closed_cohort": "deaths valued by QALYs in a closed cohort (no one replaces residents who leave or die)",
        "no_discounting": "no discounting",
    }[scenario]


def judgement_table(judgements: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The value-judgement table with each scenario in words."""
    out = judgements.copy()
    out["scenario"] = [judgement_label(s, settings) for s in out["scenario"]]
    return out


def confidence_lines(confidence: pd.DataFrame, options: list[str]) -> list[str]:
    """The confidence statement: share of each option's present value by verification and evidence grade."""
    lines = []
    for option in options:
        rows = confidence[confidence["option"] == option]
        v = rows[rows["basis"] == "verification"].set_index("category")["share"]
        g = rows[rows["basis"] == "grade"].set_index("category")["share"]
        d = rows[rows["basis"] == "design"].set_index("category")["share"]
        primary = float(v.get(PRIMARY, 0.0))
        graded = ", ".join(f"{share:.0%} {cat}" for cat, share in g.sort_values(ascending=False).items() if share >= 0.005)
        designed = ", ".join(f"{share:.0%} {cat}" for cat, share in d.sort_values(ascending=False).items() if share >= 0.005)
        lines.append(
            f"{option}: {primary:.0%} of the present value (in absolute terms) rests on links and unit costs all read in "
            f"their primary source, {1 - primary:.0%} on at least one read only as quoted by another source. By evidence grade: {graded}. "
            f"By study design and why it is read as causal: {designed}."
        )
    return lines


def changed_not_counted_line(result: Result) -> str | None:
    """One sentence naming what an option changes that moves no number (no default evidence), or None."""
    p = result.proposal
    silent = set(result.not_counted().query("kind == 'characteristic'")["id"])
    changed = [
        c
        for c in dict.fromkeys(c for o in p.options.values() for c in o)
        if c in silent and any(o.get(c, p.baseline.get(c)) != p.baseline.get(c) for o in p.options.values())
    ]
    if not changed:
        return None
    names = result.library.characteristics.set_index("characteristic_id")["name"]
    return (
        "Changed by an option but counted nowhere, because no evidence for it may be a default (an association only, "
        "or none; the not_counted table says why): " + "; ".join(str(names[c]) for c in changed) + "."
    )


def not_counted_lines(result: Result) -> list[str]:
    """What the numbers leave out, in short: characteristics that move no number, and how many cost gaps."""
    nc = result.not_counted()
    lines = []
    silent = nc[nc["kind"] == "characteristic"]
    if not silent.empty:
        lines += ["", "Set in the proposal but moving no number (no default evidence; see the not_counted table):"]
        lines += [f"  {r['id']}" for _, r in silent.iterrows()]
    costs = nc[nc["kind"] == "cost"]
    if not costs.empty:
        lines += [
            "",
            f"{len(costs)} cost components of the outcomes in play have no unit cost at some or all ages and count zero there, so costs are understated (see the not_counted table).",
        ]
    return lines


def library_label(library: Library) -> str:
    """Which evidence library a report used: the one shipped with this version, or the folder the user named."""
    if library.root.resolve() == bundled_root().resolve():
        return f"the library shipped with appraisal {__version__}"
    return str(library.root)


def place_lines(result: Result) -> list[str]:
    """Where the site is and the bodies over it, in words, with the lookups' vintages."""
    place = result.place
    if place is None:
        return ["No local authority given: flows land on roles (the site's ICB, its council), not named bodies."]
    icbs = (
        "; ".join(f"{i.icb_name}" + (f" ({i.share:.0%} of residents)" if len(place.icbs) > 1 else "") for i in place.icbs)
        or "no ICB in the lookup"
    )
    ca = place.cauth_name or "no combined authority"
    return [
        f"{place.lad_name} ({place.code}); upper-tier council {place.utla_name}; {ca}; {icbs}. "
        f"Area lookups: districts {place.district_vintage}, ICBs {place.icb_vintage} (areas/README.md; bodies named as they "
        "stood then, so a later merger is not shown)."
    ]
