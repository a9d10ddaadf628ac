"""Rules on links: known ends in matching units, and a measure, target and values that fit the link's form."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal.errors import NOTHING, Problem
from appraisal.evidence.rules.registry import Tables, at, rule
from appraisal.evidence.schemas import GRADE_SCALES

RATIO_MEASURES = ("RR", "HR", "OR")
#: Forms whose value is a ratio per increment.
RATIO_FORMS = ("log_linear", "threshold_log_linear", "proportion_exposed")


@dataclass(frozen=True)
class Nodes:
    """The ids of each kind of node, with each exposure's unit and kind (amount or share)."""

    characteristics: set[str]
    mediators: set[str]
    outcomes: set[str]
    unit: dict[str, str]
    kind: dict[str, str]
    outcome_kind: dict[str, str]

    @classmethod
    def of(cls, t: Tables) -> Nodes:
        c, m, o = t["characteristics"], t["mediators"], t["outcomes"]
        return cls(
            set(c["characteristic_id"]),
            set(m["mediator_id"]),
            set(o["outcome_id"]),
            dict(zip(c["characteristic_id"], c["unit"])) | dict(zip(m["mediator_id"], m["unit"])),
            dict(zip(c["characteristic_id"], c["value_kind"])) | dict(zip(m["mediator_id"], m["kind"])),
            dict(zip(o["outcome_id"], o["kind"])),
        )

    def share_mediator(self, node: str) -> bool:
        return node in self.mediators and self.kind[node] == "share"


def _links(t: Tables) -> list[dict]:
    return t["links"].to_dict("records")


@rule("links.ends_known", "A link runs from a characteristic or mediator to a mediator or outcome.")
def ends_known(t: Tables) -> list[Problem]:
    n, p = Nodes.of(t), []
    for k in _links(t):
        if k["from_id"] not in n.characteristics | n.mediators:
            p.append(
                Problem(
                    "library.links.ends_known", at("links", k["_row"], "from_id"), k["from_id"], "a characteristic or a mediator"
                )
            )
        if k["to_id"] not in n.mediators | n.outcomes:
            p.append(Problem("library.links.ends_known", at("links", k["_row"], "to_id"), k["to_id"], "a mediator or an outcome"))
    return p


@rule("links.unit_matches_characteristic", "A link's exposure unit is the unit its characteristic or mediator is measured in.")
def unit_matches(t: Tables) -> list[Problem]:
    n = Nodes.of(t)
    return [
        Problem(
            "library.links.unit_matches_characteristic",
            at("links", k["_row"], "exposure_unit"),
            k["exposure_unit"],
            f"{k['from_id']} is measured in {n.unit[k['from_id']]!r}",
        )
        for k in _links(t)
        if k["from_id"] in n.unit and k["exposure_unit"] != n.unit[k["from_id"]]
    ]


@rule("links.central_given", "A link other than a polynomial curve gives its central value.")
def central_given(t: Tables) -> list[Problem]:
    return [
        Problem("library.links.central_given", at("links", k["_row"], "central"), allowed="must not be blank")
        for k in _links(t)
        if k["form"] != "polynomial" and np.isnan(k["central"])
    ]


def _measure_rule(k: dict, n: Nodes) -> str | None:
    form, measure = k["form"], k["measure"]
    if form == "polynomial" and measure != "percent":
        return "a polynomial link gives the percentage of people in a state: measure must be 'percent'"
    if form == "power" and measure != "exponent":
        return "a power link's value is an exponent: measure must be 'exponent'"
    if form == "linear" and measure != "slope":
        return "a linear link is a slope: measure must be 'slope'"
    if form in RATIO_FORMS:
        if measure not in RATIO_MEASURES:
            return f"a {form} link is a ratio: measure must be one of {', '.join(RATIO_MEASURES)}"
        if n.share_mediator(k["to_id"]) and measure != "OR":
            return f"a link into the share mediator {k['to_id']} must be an odds ratio (OR), so the share stays between 0 and 1"
    return None


@rule("links.measure_matches_form", "A link's measure fits its form (percent, exponent, slope, or a ratio; OR into a share).")
def measure_matches_form(t: Tables) -> list[Problem]:
    n = Nodes.of(t)
    return [
        Problem("library.links.measure_matches_form", at("links", k["_row"], "measure"), k["measure"], text)
        for k in _links(t)
        if (text := _measure_rule(k, n))
    ]


def _target_rule(k: dict, n: Nodes) -> str | None:
    form, dst = k["form"], k["to_id"]
    if dst not in n.mediators | n.outcomes:
        return None  # links.ends_known
    if form == "polynomial":
        if dst not in n.outcomes:
            return "a polynomial link acts on an outcome: to_id must be an outcome"
        if n.outcome_kind[dst] not in ("prevalence", "wellbeing"):
            return "a polynomial link gives a prevalence: the outcome's kind must be prevalence or wellbeing"
    elif form == "power" and dst not in n.outcomes:
        return "a power link acts on the risk of an outcome: to_id must be an outcome"
    elif form == "linear":
        if dst not in n.mediators:
            return "a linear link changes a mediator: to_id must be a mediator"
        if n.share_mediator(dst):
            return f"{dst} is a share mediator: a link into it is an odds ratio, not a slope"
    elif form in RATIO_FORMS and dst not in n.outcomes and not n.share_mediator(dst):
        return f"a {form} link acts on the risk of an outcome or on a share mediator: to_id must be one of those"
    return None


@rule("links.target_matches_form", "A link acts on what its form can change (outcome, amount mediator or share mediator).")
def target_matches_form(t: Tables) -> list[Problem]:
    n = Nodes.of(t)
    return [
        Problem("library.links.target_matches_form", at("links", k["_row"], "to_id"), k["to_id"], text)
        for k in _links(t)
        if (text := _target_rule(k, n))
    ]


def _source_rule(k: dict, n: Nodes) -> str | None:
    form, src = k["form"], k["from_id"]
    if src not in n.kind:
        return None  # links.ends_known
    if form == "polynomial" and src not in n.characteristics:
        return "a polynomial link must start at a characteristic"
    if n.share_mediator(src) and form != "proportion_exposed":
        return (
            f"{src} is a share mediator: a link out of it must be proportion_exposed (the risk of the exposed vs the unexposed)"
        )
    if form == "proportion_exposed" and n.kind[src] != "share":
        return f"a proportion_exposed link needs an exposure that is a share; {src} is an amount in {n.unit[src]!r}"
    return None


@rule("links.source_matches_form", "A link's form fits what it starts from (a share exposure for proportion_exposed).")
def source_matches_form(t: Tables) -> list[Problem]:
    n = Nodes.of(t)
    return [
        Problem("library.links.source_matches_form", at("links", k["_row"], "form"), k["form"], text)
        for k in _links(t)
        if (text := _source_rule(k, n))
    ]


@rule("links.value_positive", "A ratio or an exponent, and the low end of its interval, are above 0.")
def value_positive(t: Tables) -> list[Problem]:
    return [
        Problem(
            "library.links.value_positive",
            at("links", k["_row"], "central"),
            k["central"],
            "a ratio or an exponent and its interval must be above 0",
        )
        for k in _links(t)
        if (k["form"] in RATIO_FORMS or k["form"] == "power")
        and (k["central"] <= 0 or (not np.isnan(k["low"]) and k["low"] <= 0))
    ]


@rule(
    "links.increment",
    "A power link has no increment, a polynomial link no values of its own, any other link an increment above 0.",
)
def increment(t: Tables) -> list[Problem]:
    p = []
    for k in _links(t):
        row = k["_row"]
        if k["form"] == "polynomial":
            for col in ("central", "low", "high", "increment"):
                if not np.isnan(k[col]):
                    p.append(
                        Problem(
                            "library.links.increment",
                            at("links", row, col),
                            k[col],
                            "a polynomial link takes its coefficients from pathways/curves.csv: leave it blank",
                        )
                    )
        elif k["form"] == "power":
            if not np.isnan(k["increment"]):
                p.append(
                    Problem(
                        "library.links.increment",
                        at("links", row, "increment"),
                        k["increment"],
                        "a power link has no increment: the ratio is (x1 / x0) ^ exponent; leave it blank",
                    )
                )
        elif not k["increment"] > 0:
            p.append(Problem("library.links.increment", at("links", row, "increment"), k["increment"], "must be above 0"))
    return p


@rule("links.threshold_given", "A threshold_log_linear or polynomial link gives its threshold.")
def threshold_given(t: Tables) -> list[Problem]:
    return [
        Problem(
            "library.links.threshold_given", at("links", k["_row"], "threshold"), allowed=f"a {k['form']} link needs a threshold"
        )
        for k in _links(t)
        if k["form"] in ("threshold_log_linear", "polynomial") and np.isnan(k["threshold"])
    ]


@rule("links.one_default_per_pair", "At most one default link per (from, to) pair.")
def one_default_per_pair(t: Tables) -> list[Problem]:
    d = t["links"][t["links"]["is_default"]]
    dup = d[d.duplicated(["from_id", "to_id"], keep="first")]
    return [
        Problem(
            "library.links.one_default_per_pair",
            at("links", r["_row"], "is_default"),
            f"{r['from_id']} -> {r['to_id']}",
            "one default per pair",
        )
        for r in dup.to_dict("records")
    ]


def _has_default(defaults: pd.DataFrame, src: str, dst: str) -> bool:
    return bool(((defaults["from_id"] == src) & (defaults["to_id"] == dst)).any())


@rule(
    "links.default_causal",
    "A default link rests on longitudinal or experimental evidence, or on an estimate a body that appraises uses as causal "
    "(named in appraising_body)",
)
def default_causal(t: Tables) -> list[Problem]:
    p = []
    for r in t["links"][t["links"]["is_default"]].to_dict("records"):
        if r["causal_basis"] == "association_only":
            p.append(
                Problem(
                    "library.links.default_causal",
                    at("links", r["_row"], "causal_basis"),
                    r["causal_basis"],
                    "an association only stays an alternative (is_default no)",
                )
            )
        elif r["causal_basis"] == "appraising_body" and not r["appraising_body"]:
            p.append(
                Problem(
                    "library.links.default_causal",
                    at("links", r["_row"], "appraising_body"),
                    allowed="name the body and document",
                )
            )
    return p


@rule(
    "links.default_contrast",
    "A default link's contrast matches the characteristic's metric, or a stated conversion makes it match",
)
def default_contrast(t: Tables) -> list[Problem]:
    p = []
    for r in t["links"].to_dict("records"):
        if r["contrast_match"] == "converted" and not r["contrast_conversion"]:
            p.append(
                Problem(
                    "library.links.default_contrast",
                    at("links", r["_row"], "contrast_conversion"),
                    allowed="state the conversion",
                )
            )
        if r["is_default"] and r["contrast_match"] == "mismatch":
            p.append(
                Problem(
                    "library.links.default_contrast",
                    at("links", r["_row"], "contrast_match"),
                    r["contrast_match"],
                    "a link whose contrast does not match the characteristic's metric stays an alternative",
                )
            )
    return p


@rule("links.default_outcome", "A default link's study measured the outcome it acts on")
def default_outcome(t: Tables) -> list[Problem]:
    return [
        Problem(
            "library.links.default_outcome",
            at("links", r["_row"], "outcome_match"),
            r["outcome_match"],
            "same: use the estimate for the outcome itself, or keep the link as an alternative",
        )
        for r in t["links"][t["links"]["is_default"]].to_dict("records")
        if r["outcome_match"] != "same"
    ]


@rule("links.grade_scale", "A link's grade is one its grade_scale gives")
def grade_scale(t: Tables) -> list[Problem]:
    return [
        Problem(
            "library.links.grade_scale",
            at("links", r["_row"], "grade"),
            r["grade"],
            f"one of {', '.join(GRADE_SCALES[r['grade_scale']])}",
        )
        for r in t["links"].to_dict("records")
        if r["grade_scale"] in GRADE_SCALES and r["grade"] not in GRADE_SCALES[r["grade_scale"]]
    ]


@rule("links.study_size", "A study size gives its unit (participants or events), and a unit its size")
def study_size(t: Tables) -> list[Problem]:
    return [
        Problem(
            "library.links.study_size",
            at("links", r["_row"], "study_size_unit"),
            r["study_size_unit"] or NOTHING,
            "give both or neither",
        )
        for r in t["links"].to_dict("records")
        if pd.isna(r["study_size"]) == bool(r["study_size_unit"]) or (not pd.isna(r["study_size"]) and r["study_size"] <= 0)
    ]


@rule(
    "links.odds_risk_below_one",
    "An outcome an odds ratio acts on has a baseline risk below 1 per person in every age band",
    "graph",
)
def odds_risk_below_one(t: Tables) -> list[Problem]:
    nodes = Nodes.of(t)
    b = t["baseline_rates"]
    p = []
    for r in t["links"][t["links"]["is_default"] & (t["links"]["measure"] == "OR")].to_dict("records"):
        if r["to_id"] not in nodes.outcomes:
            continue
        rates = b[b["outcome_id"] == r["to_id"]]
        high = rates[rates["value"] / rates["per"] >= 1]
        for row, v, per in zip(high["_row"], high["value"], high["per"]):
            p.append(
                Problem(
                    "library.links.odds_risk_below_one",
                    at("baseline_rates", row, "value"),
                    float(v / per),
                    f"below 1 per person: link {r['link_id']} is an odds ratio, turned into a risk ratio at this risk",
                )
            )
    return p
