"""The one place that composes runs of the engine into an appraisal: central run, Monte Carlo,
one-way sensitivity, confidence, and the value judgements (the same proposal under other settings)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from appraisal.analysis.confidence import evidence_shares
from appraisal.analysis.monte_carlo import DEFAULT_SEED, monte_carlo
from appraisal.analysis.sensitivity import one_way_sensitivity
from appraisal.engine.accounts import Accounts, account
from appraisal.engine.cohort import closed_cohort_qalys
from appraisal.engine.model import Model, build_model
from appraisal.engine.run import check_finite, cost_units, run_model
from appraisal.evidence.library import Library, load_library
from appraisal.evidence.schemas import COMPONENTS, PVB_COUNTS
from appraisal.proposal import DeathValuation, Discounting, Proposal
from appraisal.result import Result


def judgement_settings(proposal: Proposal) -> dict[str, dict[str, object]]:
    """Each value-judgement scenario's changes to the proposal's settings.

    ``as_set``: none; ``other_death_valuation``: deaths valued the other way (life-years
    lost or the value of a prevented fatality); ``health_at_standard_rate``: health effects
    discounted with the standard schedule; ``no_discounting``.
    """
    s = proposal.settings
    other = DeathValuation.VPF if s.mortality_valuation is DeathValuation.QALYS else DeathValuation.QALYS
    return {
        "as_set": {},
        "other_death_valuation": {"mortality_valuation": other},
        "health_at_standard_rate": {"discounting": Discounting.STANDARD},
        "no_discounting": {"discounting": Discounting.NONE},
    }


def _central_run(model: Model) -> tuple[np.ndarray, list[float]]:
    """The central run's annual change in cases ``[1, site, option, pathway, band]`` and each option's
    total present value (all sites and bearers)."""
    annual = run_model(model, model.central_link_values)
    accounts = account(model, annual, cost_units(model, annual), model.central_cost_values)
    return annual, counted_totals(accounts)


def counted_totals(accounts: Accounts) -> list[float]:
    """Each option's total present value as it counts in the benefits (all sites and bearers; fiscal, economic and
    social value, transfers left out) of the central run."""
    counted = accounts.pv_type[0][..., : PVB_COUNTS.index("excluded")]  # [site, option, bearer, type]
    return [float(x) for x in counted.sum(axis=(0, 2, 3))]


def closed_cohort_totals(model: Model, library: Library, annual: np.ndarray, totals: list[float]) -> list[float]:
    """Each option's total present value (as it counts in the benefits) with deaths valued by QALYs lived by a closed cohort instead of the open population.

    ``model`` values deaths by QALYs; ``annual`` and ``totals`` are its central run (:func:`_central_run`).
    Its present value of the QALYs the open population loses is taken out and that of the closed
    cohort's (:func:`appraisal.engine.cohort.closed_cohort_qalys`) put in, at the same value of a QALY
    and the health discount schedule.
    """
    costs = model.costs.table
    qaly_rows = (costs["basis"] == "per_qaly_lost").to_numpy()
    if not qaly_rows.any():
        return totals
    units = cost_units(model, annual)[0]  # [site, option, pathway, row]
    pvf = np.einsum("slrb,pl->spr", model.pv_factors, model.lag_onehot)
    open_pv = np.einsum("sopr,r,spr->o", units, model.central_cost_values[0] * qaly_rows, pvf)
    per_qaly = float(costs.loc[qaly_rows, "uplifted"].iloc[0])
    discount = model.costs.discount[list(COMPONENTS).index("mortality")]
    gained = closed_cohort_qalys(model, library, annual[0])  # [site, option, year]
    closed_pv = -np.einsum("soy,y->o", gained, discount) * per_qaly
    return [float(x) for x in np.array(totals) - open_pv + closed_pv]


def value_judgements(proposal: Proposal, library: Library, model: Model, annual: np.ndarray, as_set: list[float]) -> pd.DataFrame:
    """``scenario`` (an id of :func:`judgement_settings`) x option: total present value under each value judgement
    (fiscal, economic and social value; transfers left out).

    ``model``, ``annual`` and ``as_set`` are the run already made with the settings as given (its
    model, central annual change in cases and each option's total). The last scenario,
    ``closed_cohort``, values deaths by QALYs in a closed cohort (:func:`closed_cohort_totals`),
    starting from whichever run values deaths by QALYs (as set, or the other death valuation).
    """
    rows = []
    by_qalys = None
    for scenario, change in judgement_settings(proposal).items():
        if change:
            changed = proposal.model_copy(update={"settings": proposal.settings.model_copy(update=change)})
            run_model_ = build_model(changed, library)
            run_annual, totals = _central_run(run_model_)
            settings = changed.settings
        else:
            run_model_, run_annual, totals, settings = model, annual, as_set, proposal.settings
        if scenario in ("as_set", "other_death_valuation") and settings.mortality_valuation is DeathValuation.QALYS:
            by_qalys = (run_model_, run_annual, totals)
        rows.append({"scenario": scenario, **dict(zip(model.options, totals))})
    assert by_qalys is not None  # one of the two death valuations is QALYs
    rows.append(
        {"scenario": "closed_cohort", **dict(zip(model.options, closed_cohort_totals(by_qalys[0], library, *by_qalys[1:])))}
    )
    return pd.DataFrame(rows, columns=["scenario", *model.options])


def appraise(
    proposal: Proposal,
    library: Library | None = None,
    draws: int = 0,
    seed: int = DEFAULT_SEED,
    progress: bool | None = None,
    analyses: bool = True,
) -> Result:
    """Appraise a proposal: change in cases, deaths and costs of each option against the baseline.

    Parameters
    ----------
    proposal
        The proposal (see :func:`appraisal.load_proposal` and :func:`appraisal.make_proposal`).
    library
        The evidence library (default: the shipped one).
    draws
        Monte Carlo draws of every link and unit cost with an interval (0: central values only).
        See :mod:`appraisal.analysis.monte_carlo` for the distributions.
    seed
        Seed of the random draws (the command line uses the same default); the same seed gives identical results.
    progress
        Show a progress bar for runs over a second (default: only in a terminal, never under CI).
    analyses
        Also run the one-way sensitivity, the value judgements and the confidence shares (needed by
        the report workbook and the printed summary). The first two re-run the model many times;
        ``False`` keeps an appraisal of thousands of options quick.

    Returns
    -------
    Result
        Tables of cases, deaths, life-years and costs, with one-way sensitivity, confidence
        and value judgements, and percentiles when ``draws`` > 0.
    """
    library = library or load_library()
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused by check_finite, naming its input
        model = build_model(proposal, library)
        annual = run_model(model, model.central_link_values)
    check_finite(model, annual[0])
    units = cost_units(model, annual)
    central = account(model, annual, units, model.central_cost_values)
    return Result(
        proposal=proposal,
        library=library,
        model=model,
        central=central,
        annual=annual[0],
        units=units[0],
        sensitivity_table=one_way_sensitivity(model) if analyses else None,
        confidence_table=evidence_shares(model, library, units[0]) if analyses else None,
        judgement_table=value_judgements(proposal, library, model, annual, counted_totals(central)) if analyses else None,
        uncertainty=monte_carlo(model, draws, seed, progress) if draws else None,
    )
