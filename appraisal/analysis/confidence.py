"""Confidence: what share of an answer rests on which evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from appraisal.engine.model import Model
from appraisal.evidence.library import Library

COLUMNS = ["option", "basis", "category", "share", "present_value_gbp"]
PRIMARY = "all read in the primary source"
SECONDARY = "some read only as quoted (secondary)"
NO_GRADE = "no grade stated by the source"


def evidence_shares(model: Model, library: Library, units: np.ndarray) -> pd.DataFrame:
    """Share of each option's present value (in absolute terms) by the evidence it rests on.

    Each pathway x unit-cost contribution is classed by the ``verification`` of its
    links and unit cost (``primary`` only if every one was read in the primary
    source), by the grade of the link acting on the outcome, and by that link's
    study design and why it is read as causal.

    Parameters
    ----------
    units
        ``[site, option, pathway, row]`` central annual change in costed units.

    Returns
    -------
    DataFrame
        option, basis (``verification``, ``grade`` or ``design``), category, share (0-1), present_value_gbp.
    """
    t = model.pathways
    lib_links = library.links.set_index("link_id")
    costs = model.costs.table
    contrib = np.einsum("sopr,r,pl,slr->opr", units, model.central_cost_values[0], model.lag_onehot, model.pv_counted)

    def primary(v: str) -> bool:
        return str(v) == "primary"

    link_primary = np.array(
        [
            primary(lib_links.loc[a, "verification"]) and primary(lib_links.loc[b, "verification"])
            for a, b in zip(t["first_link"], t["outcome_link"])
        ],
        dtype=bool,
    )
    cost_primary = np.array([primary(v) for v in costs["verification"]], dtype=bool)
    verified = np.where(link_primary[:, None] & cost_primary[None, :], PRIMARY, SECONDARY)
    grade, design = [], []
    for link in t["outcome_link"]:
        g, scale = lib_links.loc[link, "grade"], lib_links.loc[link, "grade_scale"]
        grade.append(NO_GRADE if g == "not_graded" else f"{g.replace('_', ' ')} ({scale.replace('_', ' ')})")
        basis = lib_links.loc[link, "causal_basis"].replace("_", " ")
        design.append(f"{lib_links.loc[link, 'study_design'].replace('_', ' ')}, {basis}")
    grades = np.repeat(np.array(grade, dtype=object)[:, None], len(costs), axis=1)
    designs = np.repeat(np.array(design, dtype=object)[:, None], len(costs), axis=1)
    magnitude = np.abs(contrib)
    totals = magnitude.sum(axis=(1, 2))  # [option]
    by_basis = []
    for basis, labels in (("verification", verified), ("grade", grades), ("design", designs)):
        categories = sorted(set(labels.ravel()))
        member = np.stack([labels == c for c in categories], axis=-1).astype(float)  # [pathway, row, category]
        by_basis.append(
            (basis, categories, np.einsum("opr,prk->ok", magnitude, member), np.einsum("opr,prk->ok", contrib, member))
        )
    rows = [
        {
            "option": option,
            "basis": basis,
            "category": category,
            "share": float(share_pv[o, k] / totals[o]) if totals[o] > 0 else 0.0,
            "present_value_gbp": float(signed_pv[o, k]),
        }
        for o, option in enumerate(model.options)
        for basis, categories, share_pv, signed_pv in by_basis
        for k, category in enumerate(categories)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
