"""Rules on polynomial curves: coefficients for each polynomial link, a curve that stays above 0, and no other default on its outcome."""

from __future__ import annotations

import numpy as np

from appraisal.errors import Problem
from appraisal.evidence.rules.registry import Tables, at, at_rows, rule
from appraisal.risk import curve_value


@rule("curves.link_is_polynomial", "A row of pathways/curves.csv belongs to a polynomial link.")
def link_is_polynomial(t: Tables) -> list[Problem]:
    forms = dict(zip(t["links"]["link_id"], t["links"]["form"]))
    return [
        Problem(
            "library.curves.link_is_polynomial",
            at("curves", r, "link_id"),
            link,
            "the id of a polynomial link in pathways/links.csv",
        )
        for r, link in zip(t["curves"]["_row"], t["curves"]["link_id"])
        if forms.get(link) != "polynomial"
    ]


@rule("curves.given", "A polynomial link has its coefficients in pathways/curves.csv.")
def given(t: Tables) -> list[Problem]:
    have = set(t["curves"]["link_id"])
    links = t["links"]
    return [
        Problem(
            "library.curves.given",
            at("links", r, "link_id"),
            link,
            "a polynomial link needs a row of coefficients in pathways/curves.csv",
        )
        for r, link in zip(links["_row"], links["link_id"])
        if link not in have and links.loc[links["link_id"] == link, "form"].iloc[0] == "polynomial"
    ]


@rule("curves.stays_positive", "A curve stays above 0, and does not fall without end, from its threshold upwards.")
def stays_positive(t: Tables) -> list[Problem]:
    curves = t["curves"].drop_duplicates("link_id").set_index("link_id")
    p = []
    for k in t["links"][t["links"]["form"] == "polynomial"].to_dict("records"):
        th = k["threshold"]
        if k["link_id"] not in curves.index or np.isnan(th):
            continue
        c = curves.loc[k["link_id"], ["coef_0", "coef_1", "coef_2"]].to_numpy(float)
        lowest = max(th, -c[1] / (2 * c[2])) if c[2] > 0 else th  # where the curve is lowest from the threshold up
        if not (c[2] >= 0 and (c[2] > 0 or c[1] >= 0) and float(curve_value(c, np.asarray(th), np.asarray(lowest))) > 0):
            p.append(
                Problem(
                    "library.curves.stays_positive",
                    at("links", k["_row"], "threshold"),
                    th,
                    "the curve must stay above 0, and not fall without end, from the threshold upwards; check the coefficients in pathways/curves.csv",
                )
            )
    return p


@rule(
    "curves.sole_default",
    "An outcome reached by a polynomial curve has no other default link: the curve gives its whole prevalence.",
)
def sole_default(t: Tables) -> list[Problem]:
    d = t["links"][t["links"]["is_default"]]
    return [
        Problem(
            "library.curves.sole_default",
            at_rows("links", into["_row"], "is_default"),
            o,
            "no other default link may act on an outcome a polynomial curve gives",
        )
        for o, into in d.groupby("to_id", sort=False)
        if (into["form"] == "polynomial").any() and len(into) > 1
    ]
