"""One run of the comparative risk assessment: log risk ratios, overlaps counted once, change in cases.

Every function takes the fixed arrays of a :class:`~appraisal.engine.model.Model`
and a leading ``draw`` axis of link values (one row of central values for the
central run), and returns arrays ``[draw, site, option, ...]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from appraisal import risk
from appraisal.engine.model import Model
from appraisal.errors import InField, Problem, ProposalError


def log_ratios(model: Model, link_values: np.ndarray) -> np.ndarray:
    """``[draw, site, option, pathway, band]`` log risk ratio of each pathway, in each age band.

    The ratio of a pathway depends on the age band only where its evidence is an odds
    ratio acting on an outcome: the odds ratio is turned into a risk ratio at the
    outcome's baseline risk in each band (:func:`appraisal.risk.log_risk_ratio_from_odds`,
    Zhang and Yu 1998), or, for a change in the share exposed, the risk of the unexposed is
    solved from the band's baseline risk (:func:`appraisal.risk.proportion_exposed_odds`).
    An odds ratio into a share mediator moves the share's odds, which is what it measures.

    Parameters
    ----------
    model
        The appraisal's fixed arrays (see :func:`appraisal.engine.model.build_model`).
    link_values
        ``[draw, link]`` value of each link in ``model.links`` (ratio, or slope for a
        mediator link); one row of central values gives the central run.
    """
    t = model.pathways
    links = model.links
    first = link_values[:, model.first_idx][:, None, None, :]  # [draw, 1, 1, pathway]
    ratio = link_values[:, model.last_idx][:, None, None, :]
    x0 = model.x0[None, :, None, :]  # [1, site, 1, pathway]
    x1 = model.x1[None]  # [1, site, option, pathway]
    mediated = t["mediator"].notna().to_numpy()
    share_mediated = ~np.isnan(model.mediator_share)
    # A pathway through a share mediator: the link into it moves the share's odds,
    # and the link out of it sees the share move from its England baseline.
    if share_mediated.any():
        into_share = _form_log_ratio(links, model.first_idx, first, x0, x1, model.curve, x1 - x0)
        m0 = np.nan_to_num(model.mediator_share, nan=0.5)
        x0, x1 = np.where(share_mediated, m0, x0), np.where(share_mediated, risk.shifted_share(m0, into_share), x1)
    # Change in the exposure seen by the outcome link: a slope mediator's change where mediated.
    first_inc = links["increment"].to_numpy(float)[model.first_idx]
    dx = x1 - x0
    slope_mediated = mediated & ~share_mediated
    exposure_change = np.where(slope_mediated, risk.linear(first, first_inc, dx), dx)
    lr = _form_log_ratio(links, model.last_idx, ratio, x0, x1, model.curve, exposure_change)
    if model.band_group.size:
        lr = np.where(model.band_group.sum(axis=1) > 0, _band_log_ratio(model, ratio, x0, x1), lr)
    # Only part of the residents' road risk arises on the site's streets: RR_eff = 1 + share (RR - 1).
    lr = risk.partly_exposed(lr, model.street_share)[..., None]
    odds = links["measure"].to_numpy()[model.last_idx] == "OR"
    if not odds.any():
        return np.broadcast_to(lr, (*lr.shape[:-1], model.base_risk.shape[-1]))
    p = model.base_risk  # [pathway, band]
    form = links["form"].to_numpy()[model.last_idx]
    shares = (form == "proportion_exposed")[:, None]
    s0, s1 = np.where(shares[:, 0], x0, 0.0)[..., None], np.where(shares[:, 0], x1, 0.0)[..., None]
    from_odds = np.where(
        shares,
        risk.proportion_exposed_odds(ratio[..., None], s0, s1, p),
        risk.log_risk_ratio_from_odds(lr, p),
    )
    return np.where(odds[:, None], from_odds, lr)


def _band_log_ratio(model: Model, ratio: np.ndarray, s0: np.ndarray, s1: np.ndarray) -> np.ndarray:
    r"""Log ratio of each band pathway: its part of the mixed population ratio of its group.

    Dwellings in band ``b`` (share ``s_b``) stand at the band's level, the rest below every
    band; with ``RR_b`` the link's ratio from the rest's level to the band's, the population
    risk relative to the rest is :math:`F(s) = 1 + \sum_b s_b (RR_b - 1)`, so the group's log
    ratio is :math:`\ln F(s_1) - \ln F(s_0)` (the population attributable-fraction mixture;
    for a curve of prevalence, the mixed prevalence). Each band's pathway carries the part
    ``(s_{1b} - s_{0b})(RR_b - 1)`` of it.

    Parameters
    ----------
    ratio
        ``[draw, 1, 1, pathway]`` the value of the link acting on the outcome.
    s0, s1
        ``[1, site, 1, pathway]`` and ``[1, site, option, pathway]`` shares of dwellings in each band.
    """
    rest, level = np.nan_to_num(model.rest_level), np.nan_to_num(model.band_level)
    lrr = _form_log_ratio(model.links, model.last_idx, ratio, rest, level, model.curve, level - rest)
    excess = np.expm1(lrr)
    e0, e1 = s0 * excess, s1 * excess
    g = model.band_group
    f0, f1 = 1.0 + e0 @ g, 1.0 + e1 @ g  # [..., group]
    change = e1 - e0
    total = change @ g
    group_lr = np.log(f1 / f0)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(np.abs(total) > 1e-15, group_lr / total, 1.0 / f0) @ g.T
    return change * part


def _form_log_ratio(
    links: pd.DataFrame, idx: np.ndarray, ratio: np.ndarray, x0: np.ndarray, x1: np.ndarray, curve: np.ndarray, dx: np.ndarray
) -> np.ndarray:
    """Log ratio of the links ``idx`` (one per pathway), each by its own form, from exposure ``x0`` to ``x1``.

    ``dx`` is the change a log-linear link sees (``x1 - x0``, or a slope mediator's change).
    Each form sees only its own pathways' inputs; the others get inputs that give 0.
    """
    form = links["form"].to_numpy()[idx]
    inc = links["increment"].to_numpy(float)[idx]
    threshold = np.nan_to_num(links["threshold"].to_numpy(float)[idx])
    shares = form == "proportion_exposed"
    powers = form == "power"
    curves = form == "polynomial"
    p0, p1 = risk.curve_value(curve, threshold, x0), risk.curve_value(curve, threshold, x1)
    shape = np.broadcast_shapes(ratio.shape, x0.shape, x1.shape, dx.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        curve_ratio = np.log(np.where(curves, p1, 1.0) / np.where(curves, p0, 1.0))
        return np.select(
            [form == "log_linear", form == "threshold_log_linear", shares, powers, curves],
            [
                np.broadcast_to(risk.log_linear(ratio, inc, dx), shape),
                np.broadcast_to(risk.threshold_log_linear(ratio, inc, threshold, x0, x1), shape),
                np.broadcast_to(risk.proportion_exposed(ratio, np.where(shares, x0, 0.0), np.where(shares, x1, 0.0)), shape),
                np.broadcast_to(risk.power(ratio, np.where(powers, x0, 1.0), np.where(powers, x1, 1.0)), shape),
                np.broadcast_to(curve_ratio, shape),
            ],
        )


def count_overlaps_once(log_ratio: np.ndarray, pathways: pd.DataFrame) -> np.ndarray:
    """Keep one link per overlap group and outcome: the one with the largest absolute effect.

    Links in one overlap group estimate the same effect (e.g. PM2.5 and NO2 on
    mortality); adding them would count it twice. Pathways that reach the outcome
    through the **same** link are one effect of a summed exposure (walking and cycling
    both add MET-hours before the physical-activity dose-response), so their log ratios
    add first; then, for each draw, site, option and age band, only the link with the
    largest absolute summed log ratio in the group counts, with all its pathways.

    Parameters
    ----------
    log_ratio
        ``[..., pathway, band]`` log risk ratios (leading axes: draw, site, option).
    pathways
        The model's pathway table (its ``overlap_group``, ``outcome`` and ``outcome_link`` columns).
    """
    out = log_ratio.copy()
    grouped = pathways[pathways["overlap_group"] != ""].groupby(["overlap_group", "outcome"]).groups
    for members in grouped.values():
        idx = np.asarray(list(members))
        links, link_of = np.unique(pathways["outcome_link"].to_numpy()[idx], return_inverse=True)
        if len(links) == 1:
            continue  # one link, however many exposures feed it: nothing to choose between
        block = out[..., idx, :]
        by_link = np.stack([block[..., link_of == k, :].sum(axis=-2) for k in range(len(links))], axis=-2)
        keep = np.abs(by_link).argmax(axis=-2)  # [..., band]
        mask = link_of[:, None] == keep[..., None, :]
        out[..., idx, :] = np.where(mask, block, 0.0)
    return out


def run_model(model: Model, link_values: np.ndarray) -> np.ndarray:
    """``[draw, site, option, pathway, band]`` annual change in cases at full occupancy and full effect.

    A pathway whose evidence covers only part of a band (some of its ages, or one sex) changes the
    risk of that part: the band's ratio is ``1 + w (RR - 1)`` with ``w`` the share covered
    (:func:`appraisal.risk.partly_exposed`).
    The change in cases of an outcome is ``base x (exp(S) - 1)`` with ``S`` the sum
    of its pathways' log ratios (effects multiply); each pathway's share is
    ``base x ln RR_path x (exp(S) - 1) / S`` (:func:`appraisal.risk.change_factor`).
    """
    lr = risk.partly_exposed(log_ratios(model, link_values), model.age_weight)  # [draw, site, option, pathway, band]
    lr = count_overlaps_once(lr, model.pathways)
    total = np.einsum("dsopb,pk->dsokb", lr, model.onehot)
    out_idx = model.onehot.argmax(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        factor = risk.change_factor(total)
        return model.base_cases[None, :, None] * lr * factor[..., out_idx, :]


def cost_units(model: Model, annual: np.ndarray) -> np.ndarray:
    """``[draw, site, option, pathway, row]`` annual change in costed units (cases, deaths or discounted life-years)."""
    return np.einsum("dsopb,rb,pr->dsopr", annual, model.costs.band_weight, model.match)


def check_finite(model: Model, annual: np.ndarray) -> None:
    """Refuse a central run that overflowed: a change far outside the evidence gives no finite number.

    The overflow is laid at the characteristics whose own pathways give no finite change (each
    pathway alone: ``base x (exp(ln RR) - 1)``), one problem per option and characteristic naming the
    outcomes; only if no pathway overflows alone (the sum over pathways does) are all the pathways of
    the outcomes that overflowed named.

    Parameters
    ----------
    annual
        ``[site, option, pathway, band]`` change in cases of the central run.
    """
    bad = ~np.isfinite(annual).all(axis=-1)  # [site, option, pathway]
    if not bad.any():
        return
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        lr = risk.partly_exposed(log_ratios(model, model.central_link_values), model.age_weight)[
            0
        ]  # [site, option, pathway, band]
        alone = model.base_cases[:, None] * np.expm1(lr)
    culprit = ~np.isfinite(alone).all(axis=-1)  # [site, option, pathway]
    blamed = np.where(culprit.any(axis=2, keepdims=True), culprit, bad)
    t = model.pathways
    outcomes: dict[tuple[int, str], list[str]] = {}
    for _, o, p in zip(*np.nonzero(blamed)):
        outcomes.setdefault((int(o), str(t["characteristic"].iloc[p])), []).append(str(t["outcome"].iloc[p]))
    problems = [
        Problem(
            "result.not_finite",
            InField(f"options.{model.options[o]}.{c}"),
            allowed=f"check the value and its unit against the evidence on {', '.join(dict.fromkeys(names))}",
        )
        for (o, c), names in outcomes.items()
    ]
    raise ProposalError("The proposal", problems)
