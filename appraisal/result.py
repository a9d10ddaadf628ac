"""The result of an appraisal, as tables. It holds the arrays of runs already made and never runs the engine.

Sign convention: every number is the change under the option against the
baseline. A positive change in cost is a cost to that bearer; a negative one
is a saving. ``benefit`` is the negative of the change in cost. Money is in £
at the proposal's price year; present values are discounted to its start year.
Tables add up the sites of the model (one for one proposal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from appraisal import demography
from appraisal.analysis.business_case import (
    COST_KINDS,
    OptimismBias,
    additionality_factor,
    bcr,
    body_of,
    is_public,
    optimism_bias,
    organisations_of,
    payback_year,
    payer_name,
    payers_of,
    scheme_costs,
    switching_value,
    uplifted,
    vfm_category,
)
from appraisal.analysis.monte_carlo import PERCENTILES, Uncertainty
from appraisal.costing import uplift_factors
from appraisal.demography import LIFE_TABLE_OUTCOME
from appraisal.engine.accounts import Accounts, landing_all, yearly_health
from appraisal.engine.cohort import hazard_change
from appraisal.engine.model import Model, discount_schedules, pvb_type_map
from appraisal.evidence.areas import Place
from appraisal.evidence.library import Library, applied_as, link_text
from appraisal.evidence.schemas import COMPONENTS, OUTCOME_MEASURES, PVB_COUNTS, STATE_KINDS, VALUE_TYPES
from appraisal.proposal import Payer, Proposal


def financial_years(years: np.ndarray) -> list[str]:
    """Financial years as finance teams write them: ``2027 -> "2027-28"`` (April to March)."""
    return [f"{int(y)}-{(int(y) + 1) % 100:02d}" for y in years]


#: The health columns of :meth:`Result.cases` and :meth:`Result.health_summary`, in the order of the accounts' last axis.
HEALTH_COLUMNS = ("change_in_cases", "change_in_deaths", "change_in_life_years_lost", "change_in_qalys_lost")


@dataclass(frozen=True)
class Result:
    """Everything an appraisal found; tables are built from these arrays on demand.

    Attributes
    ----------
    proposal, library
        What was appraised, and the evidence it was appraised with.
    model
        The fixed arrays of the appraisal (labels of every axis, time profile, unit costs in play).
    central
        The central run's accounts (draw axis of length 1).
    annual
        ``[site, option, pathway, band]`` central annual change in cases at full occupancy and full effect.
    units
        ``[site, option, pathway, row]`` central annual change in costed units (cases, deaths,
        or discounted life-years) at full occupancy and full effect.
    uncertainty
        Monte Carlo percentiles when the appraisal was run with draws; every table then
        gains ``_p5``, ``_p50`` and ``_p95`` columns beside its central values.
    sensitivity_table, confidence_table, judgement_table
        One-way sensitivity, evidence confidence and value judgements, as composed by
        :func:`appraisal.appraise`.
    """

    proposal: Proposal
    library: Library
    model: Model
    central: Accounts
    annual: np.ndarray
    units: np.ndarray
    sensitivity_table: pd.DataFrame | None
    confidence_table: pd.DataFrame | None
    judgement_table: pd.DataFrame | None
    uncertainty: Uncertainty | None = None

    @property
    def options(self) -> list[str]:
        """Option names, in order."""
        return list(self.model.options)

    @property
    def outcomes(self) -> list[str]:
        """Outcome ids reached, in library order."""
        return list(self.model.outcomes)

    # ---- tables -------------------------------------------------------------
    def cases(self) -> pd.DataFrame:
        """Change in cases, deaths, life-years and QALYs by option, outcome, age band and year (central values).

        For a fatal outcome, ``change_in_cases`` is the change in deaths among the site's
        residents in the year (deaths brought forward, or postponed if negative);
        ``change_in_deaths`` is the net change in deaths in the year: that change, plus the
        later deaths of people whose death was postponed (or less those brought forward),
        followed at England's baseline death rates (the life table). Life-years and QALYs
        lost are the person-years, and the person-years weighted by England's utility norms,
        of the same people, year by year; the age band is the age at which the death was
        postponed. Percentiles are given for the period totals (:meth:`health_summary`).
        """
        m = self.model
        h = yearly_health(m, self.central.by_band)[0]  # [option, outcome, band, 4, year]
        idx = pd.MultiIndex.from_product(
            [self.options, self.outcomes, self.library.band_labels, financial_years(m.years)],
            names=["option", "outcome", "age_band", "financial_year"],
        )
        return pd.DataFrame(
            {col: h[:, :, :, j, :].ravel() for j, col in enumerate(HEALTH_COLUMNS)},
            index=idx,
        ).reset_index()

    def cost_landing(self) -> pd.DataFrame:
        """Change in cost by option, bearer, component and financial year: £ undiscounted and present value.

        Each row says what it is (``unit_costs/value_types.csv``): ``value_type`` (fiscal, economic or
        social), where it counts in the present value of benefits (``counted_in_pvb_as``; ``excluded``
        for a transfer) and whether a fiscal saving is ``cashable``.
        """
        cr = self.model.costs
        comps = list(COMPONENTS)
        undiscounted = landing_all(self.model, self.central.row_cost)[0]  # [option, bearer, component, year]
        discounted = undiscounted * cr.discount[None, None]
        idx = pd.MultiIndex.from_product(
            [self.options, cr.bearers, comps, financial_years(self.model.years)],
            names=["option", "bearer", "component", "financial_year"],
        )
        out = pd.DataFrame({"change_gbp": undiscounted.ravel(), "present_value_gbp": discounted.ravel()}, index=idx).reset_index()
        u = self.uncertainty
        if u is not None:
            for i, q in enumerate(PERCENTILES):
                out[f"change_gbp_p{q}"] = u.landing[i].ravel()
            for i, q in enumerate(PERCENTILES):
                out[f"present_value_gbp_p{q}"] = (u.landing[i] * cr.discount[None, None]).ravel()
        # Keep every bearer and component a unit cost in play lands on (zeros included), and no others.
        lands = cr.shares.sum(axis=0) > 0  # [bearer, component]
        keep = lands[[cr.bearers.index(b) for b in out["bearer"]], [comps.index(c) for c in out["component"]]]
        out = out[keep].reset_index(drop=True)
        types = self.library.value_types.set_index(["bearer", "component"])
        key = pd.MultiIndex.from_arrays([out["bearer"], out["component"]])
        for col in ("value_type", "counted_in_pvb_as", "cashable"):
            out.insert(3 + ["value_type", "counted_in_pvb_as", "cashable"].index(col), col, types[col].reindex(key).to_numpy())
        return out

    def by_pathway(self) -> pd.DataFrame:
        """Cases over the period and present value of cost by pathway and option."""
        pv = self.central.path_pv[0].sum(axis=0)
        cases = self.central.path_cases[0].sum(axis=0)
        t = self.model.pathways
        link = np.where(t["mediator"].isna(), t["outcome_link"], t["first_link"] + " + " + t["outcome_link"])
        paths = pd.DataFrame(
            # No mediator is None in the library; a table written out shows it as an empty cell.
            {"characteristic": t["characteristic"], "mediator": t["mediator"].fillna(""), "outcome": t["outcome"], "link": link}
        )
        out = pd.concat([paths] * len(self.options), ignore_index=True)
        out.insert(0, "option", np.repeat(self.options, len(t)))
        out["change_in_cases"] = cases.ravel()
        out["present_value_gbp"] = pv.ravel()
        u = self.uncertainty
        if u is not None:
            for i, q in enumerate(PERCENTILES):
                out[f"change_in_cases_p{q}"] = u.pathway_cases[i].ravel()
            for i, q in enumerate(PERCENTILES):
                out[f"present_value_gbp_p{q}"] = u.pathway_pv[i].ravel()
        return out

    def summary(self) -> pd.DataFrame:
        """Per option: present value of the change in cost by value type and bearer, each counted once.

        ``value_type`` is where the flow counts in the present value of benefits
        (``unit_costs/value_types.csv``): ``fiscal`` (public bodies' resource costs), ``economic``
        (output, earnings, informal care, private spending; lost tax and national insurance are
        counted here, as part of lost output), ``social`` (monetised health), or ``excluded``
        (transfers such as benefit payments, which move money between people and the state and
        are kept out of the present value of benefits). A row with bearer ``all`` sums its value
        type; the last row of each option (value type and bearer ``all``) sums fiscal, economic and
        social value: the gross present value of benefits' change in cost, not cash to any one budget.
        ``benefit_gbp`` is minus the change.
        """
        cr = self.model.costs
        types = list(PVB_COUNTS)
        pv = self.central.pv_type[0].sum(axis=0)  # [option, bearer, type]
        draws = self.uncertainty.pv_type if self.uncertainty is not None else None  # [draw, option, bearer, type]
        lands = cr.shares.sum(axis=0) > 0  # [bearer, component]
        in_type = np.einsum("bc,bct->bt", lands.astype(float), pvb_type_map(self.library, cr.bearers)) > 0
        rows: list[tuple[str, str, str]] = []
        picks: list[tuple[int, list[int], list[int]]] = []
        for o, option in enumerate(self.options):
            for t, vtype in enumerate(types):
                bearers = [int(b) for b in np.flatnonzero(in_type[:, t])]
                if not bearers:
                    continue
                for b in bearers:
                    rows.append((option, vtype, cr.bearers[b]))
                    picks.append((o, [b], [t]))
                rows.append((option, vtype, "all"))
                picks.append((o, bearers, [t]))
            rows.append((option, "all", "all"))
            picks.append((o, list(range(len(cr.bearers))), [types.index(v) for v in VALUE_TYPES]))
        out = pd.DataFrame(rows, columns=["option", "value_type", "bearer"])
        out["present_value_gbp"] = [pv[o][np.ix_(b, t)].sum() for o, b, t in picks]
        out["benefit_gbp"] = -out["present_value_gbp"]
        if draws is not None:
            picked = np.stack([draws[:, o][:, b][:, :, t].sum(axis=(1, 2)) for o, b, t in picks], axis=1)  # [draw, row]
            for q, values in zip(PERCENTILES, np.percentile(picked, PERCENTILES, axis=0)):
                out[f"present_value_gbp_p{q}"] = values
            out["probability_lower_cost"] = (picked < 0).mean(axis=0)
        return out

    # ---- the business case ----------------------------------------------------
    @cached_property
    def place(self) -> Place | None:
        """The site's district resolved through the library's area lookups (None if no local authority is given)."""
        code = self.proposal.site.local_authority
        return self.library.areas.resolve(code, self.proposal.settings.start_year) if code else None

    def fiscal_landing(self) -> pd.DataFrame:
        """Fiscal flows by option, named organisation, component and financial year: £ undiscounted and present value.

        The fiscal rows of :meth:`cost_landing`, each landed on the organisation its role names for
        the site's district (``unit_costs/value_types.csv``, ``areas/``); NHS costs are split over the
        district's integrated care boards by the share of its people each serves. Lost tax and benefit
        payments are shown on HM Treasury and the Department for Work and Pensions and flagged: lost tax
        counts in the present value of benefits as lost output, benefits are a transfer kept out.
        Changes in cost: a negative number is a saving to that organisation. Gross of additionality.
        """
        cl = self.cost_landing()
        cl = cl[cl["value_type"] == "fiscal"]
        roles = self.library.value_types.set_index(["bearer", "component"])["organisation_role"]
        money = [c for c in cl.columns if c.startswith(("change_gbp", "present_value_gbp"))]
        parts = []
        for (bearer, component), rows in cl.groupby(["bearer", "component"], sort=False):
            role = str(roles[(bearer, component)])
            for name, share in organisations_of(role, self.place):
                part = rows.copy()
                part.insert(1, "organisation", name)
                part[money] = part[money] * share
                parts.append(part)
        columns = ["option", "organisation", *[c for c in cl.columns if c != "option"]]
        if not parts:
            return pd.DataFrame(columns=columns)
        out = pd.concat(parts, ignore_index=True)[columns]
        order = {o: i for i, o in enumerate(self.options)}
        return out.sort_values(
            ["option", "organisation"], key=lambda c: c.map(order) if c.name == "option" else c, kind="stable"
        ).reset_index(drop=True)

    @cached_property
    def _scheme(self) -> tuple[np.ndarray, np.ndarray, OptimismBias]:
        """``(costs [option, payer, kind, year] after optimism bias, standard discount factors [year], the uplifts)``."""
        ob = optimism_bias(self.proposal.settings, self.library)
        costs = uplifted(scheme_costs(self.proposal, self.options, self.model.years), ob)
        df_std, _ = discount_schedules(self.proposal.settings, self.library)
        return costs, df_std, ob

    @property
    def optimism_bias(self) -> OptimismBias:
        """The optimism-bias uplifts applied to scheme costs, and where each came from."""
        return self._scheme[2]

    def scheme_costs(self) -> pd.DataFrame:
        """Each option's scheme costs by payer, kind and financial year: as given, after optimism bias, and present value."""
        costs, df, ob = self._scheme
        raw = scheme_costs(self.proposal, self.options, self.model.years)
        rows = []
        fy = financial_years(self.model.years)
        for o, option in enumerate(self.options):
            for p, payer in enumerate(Payer):
                for k, kind in enumerate(COST_KINDS):
                    for y in np.flatnonzero(raw[o, p, k]):
                        rows.append(
                            {
                                "option": option,
                                "paid_by": payer_name(payer, self.place),
                                "payer": payer.value,
                                "public_sector": is_public(payer),
                                "kind": kind,
                                "financial_year": fy[y],
                                "cost_gbp": raw[o, p, k, y],
                                "optimism_bias": ob.capital if kind == "capital" else ob.revenue,
                                "cost_with_optimism_bias_gbp": costs[o, p, k, y],
                                "present_value_gbp": costs[o, p, k, y] * df[y],
                            }
                        )
        columns = [
            "option",
            "paid_by",
            "payer",
            "public_sector",
            "kind",
            "financial_year",
            "cost_gbp",
            "optimism_bias",
            "cost_with_optimism_bias_gbp",
            "present_value_gbp",
        ]
        return pd.DataFrame(rows, columns=columns)

    def value_for_money(self) -> pd.DataFrame:
        """The Green Book summary of each option: PVC, PVB by value type, NPSV, BCRs, switching value, category.

        See :mod:`appraisal.analysis.business_case` for the definitions. Benefits are minus the change
        in cost, counted once by value type (transfers excluded), times the additionality factor.
        ``bcr`` counts every benefit; ``bcr_fiscal_economic`` fiscal and economic value only (cash and
        output, no health valued), shown beside it. MHCLG's definitions of an initial and an adjusted
        BCR were not read, so neither name is used. The value-for-money category is read from ``bcr``
        (``unit_costs/vfm_categories.csv``). ``switching_value_bcr`` is the fall in benefits that takes
        the BCR to 1; ``switching_value_npsv`` the fall that takes the NPSV to 0 (private costs too).
        With Monte Carlo draws, percentiles of the NPSV and the BCR over the draws (scheme costs are as
        given in every draw).
        """
        costs, df, ob = self._scheme
        public = np.array([is_public(p) for p in Payer])
        pv_costs = np.einsum("opky,y->op", costs, df)
        pvc = pv_costs[:, public].sum(axis=1)
        private = pv_costs[:, ~public].sum(axis=1)
        f = additionality_factor(self.proposal.settings)
        types = list(PVB_COUNTS)
        gross = -self.central.pv_type[0].sum(axis=(0, 2))  # [option, type]
        by_type = {v: gross[:, types.index(v)] * f for v in VALUE_TYPES}
        pvb = sum(by_type.values())
        out = pd.DataFrame({"option": self.options})
        out["pv_costs_public_gbp"] = pvc
        out["pv_costs_private_gbp"] = private
        out["optimism_bias_capital"] = ob.capital
        out["optimism_bias_revenue"] = ob.revenue
        for v in VALUE_TYPES:
            out[f"pv_benefits_{v}_gbp"] = by_type[v]
        out["pv_benefits_gbp"] = pvb
        out["transfers_excluded_gbp"] = gross[:, types.index("excluded")] * f
        out["additionality_factor"] = f
        out["npsv_gbp"] = pvb - pvc - private
        out["bcr_fiscal_economic"] = bcr(by_type["fiscal"] + by_type["economic"], pvc)
        out["bcr"] = bcr(pvb, pvc)
        out["switching_value_bcr"] = switching_value(pvb, pvc)
        out["switching_value_npsv"] = switching_value(pvb, pvc + private)
        cats = self.library.vfm_categories
        out["vfm_category"] = [vfm_category(x, cats) for x in out["bcr"]]
        u = self.uncertainty
        if u is not None:
            draws = -u.pv_type.sum(axis=2)[:, :, [types.index(v) for v in VALUE_TYPES]].sum(axis=2) * f  # [draw, option]
            npsv = draws - (pvc + private)[None, :]
            ratio = bcr(draws, np.broadcast_to(pvc, draws.shape))
            # An option with no public cost has no BCR in any draw (the same public cost is in every draw).
            costed = pvc > 0
            ratio_q = np.full((len(PERCENTILES), len(pvc)), np.nan)
            ratio_q[:, costed] = np.percentile(ratio[:, costed], PERCENTILES, axis=0)
            for q, a, b in zip(PERCENTILES, np.percentile(npsv, PERCENTILES, axis=0), ratio_q):
                out[f"npsv_gbp_p{q}"] = a
                out[f"bcr_p{q}"] = b
            out["probability_npsv_positive"] = (npsv > 0).mean(axis=0)
        return out

    def organisations(self) -> pd.DataFrame:
        """Each public body's fiscal gain and what it pays, per option: return per pound paid and payback year.

        A body's services are taken together (a council's adult social care and education; see
        :meth:`fiscal_landing` for each service).
        ``fiscal_gain_gbp`` is the present value of the fall in its costs (after additionality);
        ``paid_gbp`` the present value of the scheme costs it pays (after optimism bias);
        ``return_per_pound`` their ratio, counting capacity released as well as cash;
        ``cashable_return_per_pound`` the same on the cashable gain only; ``payback_year`` the first
        financial year in which its cumulative discounted gain (cash and capacity) reaches its
        cumulative discounted payments (blank if never within the period, or if it pays nothing). ``cashable_gain_gbp`` is the part of the gain
        marked cashable. Transfers (lost tax, benefits) count in the gain of the body whose cash they are.
        """
        years = self.organisation_years()
        cols = [
            "option",
            "organisation",
            "fiscal_gain_gbp",
            "cashable_gain_gbp",
            "paid_gbp",
            "return_per_pound",
            "cashable_return_per_pound",
            "payback_year",
        ]
        if years.empty:
            return pd.DataFrame(columns=cols)
        rows = []
        for (option, org), g in years.groupby(["option", "organisation"], sort=False):
            gain, paid = g["fiscal_gain_pv_gbp"].to_numpy(), g["paid_pv_gbp"].to_numpy()
            back = payback_year(gain, paid, self.model.years)
            rows.append(
                {
                    "option": option,
                    "organisation": org,
                    "fiscal_gain_gbp": gain.sum(),
                    "cashable_gain_gbp": g["cashable_gain_pv_gbp"].sum(),
                    "paid_gbp": paid.sum(),
                    "return_per_pound": gain.sum() / paid.sum() if paid.sum() > 0 else np.nan,
                    "cashable_return_per_pound": g["cashable_gain_pv_gbp"].sum() / paid.sum() if paid.sum() > 0 else np.nan,
                    "payback_year": financial_years(np.array([back]))[0] if back is not None else "",
                }
            )
        return pd.DataFrame(rows, columns=cols)

    def organisation_years(self) -> pd.DataFrame:
        """Each public body's fiscal gain (after additionality) and scheme payments (after optimism bias) by financial year,
        its services taken together."""
        f = additionality_factor(self.proposal.settings)
        fl = self.fiscal_landing()
        fy = financial_years(self.model.years)
        costs, df, _ = self._scheme
        frames = []
        if not fl.empty:
            fl = fl.assign(
                organisation=fl["organisation"].map(body_of),
                gain=-fl["change_gbp"] * f,
                gain_pv=-fl["present_value_gbp"] * f,
                cash_pv=np.where(fl["cashable"] == "cashable", -fl["present_value_gbp"] * f, 0.0),
            )
            frames.append(
                fl.groupby(["option", "organisation", "financial_year"], sort=False)[["gain", "gain_pv", "cash_pv"]]
                .sum()
                .reset_index()
            )
        paid = []
        for o, option in enumerate(self.options):
            for p, payer in enumerate(Payer):
                if not is_public(payer) or not costs[o, p].any():
                    continue
                for name, share in payers_of(payer, self.place):
                    for y in range(len(fy)):
                        amount = costs[o, p, :, y].sum() * share
                        paid.append(
                            {
                                "option": option,
                                "organisation": name,
                                "financial_year": fy[y],
                                "paid": amount,
                                "paid_pv": amount * df[y],
                            }
                        )
        if paid:
            frames.append(
                pd.DataFrame(paid).groupby(["option", "organisation", "financial_year"], sort=False).sum().reset_index()
            )
        cols = [
            "option",
            "organisation",
            "financial_year",
            "fiscal_gain_gbp",
            "fiscal_gain_pv_gbp",
            "cashable_gain_pv_gbp",
            "paid_gbp",
            "paid_pv_gbp",
        ]
        if not frames:
            return pd.DataFrame(columns=cols)
        grid = pd.MultiIndex.from_product(
            [self.options, sorted(set().union(*(set(x["organisation"]) for x in frames))), fy],
            names=["option", "organisation", "financial_year"],
        )
        merged = pd.concat([x.set_index(["option", "organisation", "financial_year"]) for x in frames], axis=1)
        merged = merged.groupby(level=[0, 1, 2]).sum().reindex(grid, fill_value=0.0).fillna(0.0).reset_index()
        for c in ("gain", "gain_pv", "cash_pv", "paid", "paid_pv"):
            if c not in merged:
                merged[c] = 0.0
        merged = merged.rename(
            columns={
                "gain": "fiscal_gain_gbp",
                "gain_pv": "fiscal_gain_pv_gbp",
                "cash_pv": "cashable_gain_pv_gbp",
                "paid": "paid_gbp",
                "paid_pv": "paid_pv_gbp",
            }
        )
        return merged[cols]

    def health_system(self) -> pd.DataFrame:
        """Health gains valued from the health system's side, beside the Green Book's social value.

        Per option: QALYs gained over the period (from deaths postponed, by the life table and
        England's utility norms; and from illness avoided, where its quality-of-life loss is in QALYs or
        disability weights), undiscounted and discounted with the health schedule; their social value
        at the Green Book value of a QALY; the NHS and council social-care costs saved (present
        value); and the same gains at the opportunity-cost value of a QALY used for NHS spending
        (``unit_costs/parameters.csv`` ``value_of_qaly_health_system``): the net health benefit in
        QALYs, ``QALYs + savings / k``, and in pounds, ``QALYs x k + savings``. Gains in wellbeing
        valued in WELLBYs are not QALYs and are left out here. Gross of additionality.
        """
        m, lib = self.model, self.library
        _, df_health = discount_schedules(self.proposal.settings, lib)
        h = yearly_health(m, self.central.by_band)[0]  # [option, outcome, band, 4, year]
        death_q = -h[:, :, :, 3, :].sum(axis=(1, 2))  # [option, year]
        table = m.costs.table
        losses = lib.health_state_losses.set_index("loss_id")["unit"]
        ids = table["cost_id"].str.removesuffix("_quality_of_life")
        qaly_rows = (
            (table["derived_from"] == "health_state_losses") & ids.map(losses).isin(["QALY", "disability weight"])
        ).to_numpy()
        rc = self.central.row_cost[0]  # [site, option, lag, row]
        per_qaly = self._price("value_of_qaly")
        ill_money = np.einsum("solr,slry,r->oy", rc, m.costs.timing, qaly_rows * m.costs.shares.sum(axis=(1, 2)))
        ill_q = -ill_money / per_qaly
        q_total = death_q + ill_q
        q_disc = q_total @ df_health
        cl = self.cost_landing()
        care = cl[(cl["value_type"] == "fiscal") & cl["component"].isin(["healthcare", "social_care"])]
        savings = -care.groupby("option", sort=False)["present_value_gbp"].sum().reindex(self.options, fill_value=0.0).to_numpy()
        k = self._price("value_of_qaly_health_system")
        costs, df_std, _ = self._scheme
        nhs = [list(Payer).index(p) for p in (Payer.ICB, Payer.NHS_ENGLAND)]
        nhs_paid = np.einsum("opky,y->o", costs[:, nhs], df_std)
        out = pd.DataFrame({"option": self.options})
        out["qalys_gained_from_deaths"] = death_q.sum(axis=1)
        out["qalys_gained_from_illness"] = ill_q.sum(axis=1)
        out["qalys_gained"] = q_total.sum(axis=1)
        out["qalys_gained_discounted"] = q_disc
        out["social_value_gbp"] = q_disc * per_qaly
        out["nhs_and_social_care_saving_gbp"] = savings
        out["nhs_scheme_costs_gbp"] = nhs_paid
        out["value_per_qaly_health_system_gbp"] = k
        out["net_health_benefit_qalys"] = q_disc + (savings - nhs_paid) / k
        out["net_health_benefit_gbp"] = q_disc * k + savings - nhs_paid
        return out

    def _price(self, parameter: str) -> float:
        """A parameter of ``unit_costs/parameters.csv`` in the appraisal's price year (GDP deflator)."""
        row = self.library.parameters.set_index("parameter_id").loc[parameter]
        factor = uplift_factors(np.array([int(row["price_year"])]), self.library.price_index, self.proposal.settings.price_year)
        return float(row["value"]) * float(factor[0])

    def health_summary(self) -> pd.DataFrame:
        """Per option and outcome: change in cases, deaths, life-years and QALYs over the whole period.

        ``measure`` says what a case of the outcome is (:data:`appraisal.evidence.schemas.OUTCOME_MEASURES`):
        new cases of an incidence outcome, events, deaths, or, for a prevalence or wellbeing
        outcome, person-years in the state, since a person in it is counted in each year;
        ``average_people_per_year`` is then the change in person-years over the years of the
        period (blank for other kinds). For a fatal outcome, ``change_in_cases`` counts deaths
        brought forward (postponed if negative) among residents and ``change_in_deaths`` the net
        change within the period (see :meth:`cases`).
        """
        totals = self.central.totals[0]  # [option, outcome, 4]
        out = pd.DataFrame({"option": np.repeat(self.options, len(self.outcomes)), "outcome": self.outcomes * len(self.options)})
        kinds = self.library.outcomes.set_index("outcome_id")["kind"]
        out["measure"] = out["outcome"].map(kinds).map(OUTCOME_MEASURES)
        for j, col in enumerate(HEALTH_COLUMNS):
            out[col] = totals[:, :, j].ravel()
        state = out["outcome"].map(kinds).isin(STATE_KINDS)
        out["average_people_per_year"] = np.where(state, out["change_in_cases"] / len(self.model.years), np.nan)
        u = self.uncertainty
        if u is not None:
            for i, q in enumerate(PERCENTILES):
                for j, col in enumerate(HEALTH_COLUMNS):
                    out[f"{col}_p{q}"] = u.totals[i, :, :, j].ravel()
        return out

    def life_expectancy(self) -> pd.DataFrame:
        """Period life expectancy at birth by sex: England's baseline and each option's, at full effect.

        Each option's death rates are England's central rates (by single year of age and sex)
        times the ratio the option makes of the residents' deaths in each age band once every
        lag has run its course and the site is fully occupied (all fatal outcomes together,
        as hazard changes within all-cause mortality). Life expectancy follows from the
        life table of those rates (:func:`appraisal.demography.life_expectancy`). The
        baseline is England's; the site's own baseline death rates are not known.
        """
        lib = self.library
        rates = lib.death_rates  # [sex, age]
        # All sites together: each site's change in the death rate weighted by its baseline deaths.
        change = hazard_change(self.model, lib, self.annual).sum(axis=2)  # [site, option, band]
        deaths = self.model.residents * lib.band_rates[LIFE_TABLE_OUTCOME][None, :]  # [site, band]
        pooled = np.divide(
            (change * deaths[:, None]).sum(axis=0),
            deaths.sum(axis=0),
            out=np.zeros(change.shape[1:]),
            where=deaths.sum(axis=0) > 0,
        )
        by_age = 1.0 + pooled[:, demography.band_of_age()]  # [option, age]
        e0_base = demography.life_expectancy(demography.probability_of_death(rates))[:, 0]
        e0 = demography.life_expectancy(demography.probability_of_death(rates[None] * by_age[:, None, :]))[..., 0]
        return pd.DataFrame(
            {
                "option": np.repeat(self.options, len(demography.SEXES)),
                "sex": list(demography.SEXES) * len(self.options),
                "baseline_years": np.tile(e0_base, len(self.options)),
                "option_years": e0.ravel(),
                "change_days": (e0 - e0_base[None, :]).ravel() * 365.25,
            }
        )

    def sensitivity(self) -> pd.DataFrame:
        """One-way sensitivity of each option's total present value to each link and unit cost
        at its low and high value (see :func:`appraisal.analysis.sensitivity.one_way_sensitivity`)."""
        return _ran(self.sensitivity_table, "one-way sensitivity")

    def value_judgements(self) -> pd.DataFrame:
        """Each option's total present value under the main value judgements, side by side (scenario x option)."""
        return _ran(self.judgement_table, "value judgements")

    def confidence(self) -> pd.DataFrame:
        """Share of each option's present value by the evidence behind it: verification, grade and study design."""
        return _ran(self.confidence_table, "confidence shares")

    def evidence(self) -> pd.DataFrame:
        """Every link and unit cost behind the numbers, with its full citation and locator."""
        lib = self.library
        shares = frozenset(lib.mediators.loc[lib.mediators["kind"] == "share", "mediator_id"])
        t = self.model.pathways
        link_ids = sorted(set(t["first_link"]) | set(t["outcome_link"]))
        links = lib.links.set_index("link_id").loc[link_ids].reset_index()
        rows = [
            {
                "kind": "link",
                "id": r["link_id"],
                "what": f"{r['from_id']} -> {r['to_id']}: {link_text(r)}",
                "source": r["source"],
                "citation": lib.citation(r["source"]),
                "locator": r["locator"],
                "verification": r["verification"],
                "design": f"{r['study_design'].replace('_', ' ')}; {r['causal_basis'].replace('_', ' ')}"
                + (f" ({r['appraising_body']})" if r["appraising_body"] else ""),
                "applied_as": applied_as(r, shares),
                "interval": r["interval_kind"],
            }
            for _, r in links.iterrows()
        ]
        for _, r in self.model.costs.table.drop_duplicates("cost_id").iterrows():
            rows.append(
                {
                    "kind": "unit_cost",
                    "id": r["cost_id"],
                    "what": f"{r['outcome_id']} {r['component']} -> {r['bearer']}: "
                    f"£{r['value'] / (r['per'] if pd.notna(r['per']) else 1):,.0f} {r['basis'].replace('_', ' ')} ({r['price_year']} prices)",
                    "source": r["source"],
                    "citation": lib.citation(r["source"]),
                    "locator": r["locator"],
                    "verification": r["verification"],
                    "design": r["population_described"],
                    "applied_as": f"{r['basis'].replace('_', ' ')}" + (f", phase {r['phase']}" if r["phase"] else ""),
                    "interval": r["interval_kind"],
                }
            )
        return pd.DataFrame(rows)

    def not_counted(self) -> pd.DataFrame:
        """What the numbers leave out, and why: characteristics set that no default pathway carries, and costs not found.

        Returns
        -------
        DataFrame
            kind (``characteristic``, ``cost``, ``upper_bound`` or ``assumption``), id, what, ages, why. A characteristic the
            proposal sets whose every link is an alternative (an association only, or a contrast
            or outcome that does not match) moves no number; its row gives the alternatives'
            reasons. A component of an outcome in play with no unit cost at some ages
            (``not_found`` in ``unit_costs/cost_coverage.csv``) counts zero there, so the cost
            is understated. A characteristic whose evidence is about road users on the site's streets
            moves only the share of residents' road risk the setting ``road_risk_on_site_share`` gives;
            at its default, 1, that is an upper bound, and the row says so.
        """
        lib = self.library
        carried = set(self.model.pathways["characteristic"])
        names = lib.characteristics.set_index("characteristic_id")["name"]
        alternatives = lib.links[~lib.links["is_default"]]
        set_here = list(dict.fromkeys([*self.proposal.baseline, *(c for o in self.proposal.options.values() for c in o)]))
        rows = []
        for c in set_here:
            if c in carried or c not in names.index:
                continue
            why = "; ".join(
                f"{r['link_id']}: {r['default_reason']}" for _, r in alternatives[alternatives["from_id"] == c].iterrows()
            )
            gap = next((g for g in lib.gaps["pathway"] if re.search(rf"\b{re.escape(c)}\b", g)), None)
            rows.append(
                {
                    "kind": "characteristic",
                    "id": c,
                    "what": f"{names[c]}: moves no number",
                    "ages": "",
                    "why": why or (f"no link in the library (pathways/gaps.csv: {gap})" if gap else "no link in the library"),
                }
            )
        cov = lib.cost_coverage
        outcome_names = lib.outcomes.set_index("outcome_id")["name"]
        gaps = cov[cov["outcome_id"].isin(self.outcomes) & (cov["status"] == "not_found")]
        for _, r in gaps.iterrows():
            rows.append(
                {
                    "kind": "cost",
                    "id": r["outcome_id"],
                    "what": f"{outcome_names[r['outcome_id']]}: {r['component'].replace('_', ' ')} not costed",
                    "ages": f"{r['age_from']}-{r['age_to']}",
                    "why": r["reason"],
                }
            )
        street_links = set(lib.links.loc[lib.links["population_exposed"] == "road_users_on_site_streets", "link_id"])
        t = self.model.pathways
        for c in dict.fromkeys(
            t.loc[t["first_link"].isin(street_links) | t["outcome_link"].isin(street_links), "characteristic"]
        ):
            share = self.proposal.settings.road_risk_on_site_share
            rows.append(
                {
                    "kind": "upper_bound" if share == 1.0 else "assumption",
                    "id": c,
                    "what": f"{names[c]}: moves {share:.0%} of residents' road-casualty risk (the share on the site's streets)",
                    "ages": "",
                    "why": "setting road_risk_on_site_share; no published source gives the share of residents' road risk "
                    "on their own streets, so the default 1 is an upper bound",
                }
            )
        return pd.DataFrame(rows, columns=["kind", "id", "what", "ages", "why"])

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name: the business case (value_for_money, organisations, organisation_years, fiscal_landing,
        scheme_costs, health_system), then summary, cost_landing, by_pathway, cases, health_summary, evidence,
        not_counted, life_expectancy, and the place (the bodies over the site and the lookups' vintages)."""
        return {
            "value_for_money": self.value_for_money(),
            "organisations": self.organisations(),
            "organisation_years": self.organisation_years(),
            "fiscal_landing": self.fiscal_landing(),
            "scheme_costs": self.scheme_costs(),
            "health_system": self.health_system(),
            "summary": self.summary(),
            "cost_landing": self.cost_landing(),
            "by_pathway": self.by_pathway(),
            "cases": self.cases(),
            "health_summary": self.health_summary(),
            "evidence": self.evidence(),
            "not_counted": self.not_counted(),
            "life_expectancy": self.life_expectancy(),
            "place": self.place_table(),
        }

    def place_table(self) -> pd.DataFrame:
        """The site's district and the bodies over it, each with its ONS code and the vintage of the lookup it came from."""
        p = self.place
        cols = ["role", "code", "name", "share_of_residents", "lookup_vintage"]
        if p is None:
            return pd.DataFrame(columns=cols)
        rows = [
            ("local authority district", p.code, p.lad_name, 1.0, p.district_vintage),
            ("upper-tier council", p.utla_code, p.utla_name, 1.0, p.district_vintage),
            ("combined or strategic authority", p.cauth_code, p.cauth_name, 1.0 if p.cauth_code else np.nan, p.district_vintage),
        ]
        rows += [("integrated care board", i.icb_code, i.icb_name, i.share, p.icb_vintage) for i in p.icbs]
        rows += [("sub-ICB location", i.sub_icb_code, i.sub_icb_name, i.share, p.icb_vintage) for i in p.icbs]
        return pd.DataFrame(rows, columns=cols)


def _ran(table: pd.DataFrame | None, what: str) -> pd.DataFrame:
    if table is None:
        raise ValueError(f"the {what} were not worked out: appraise the proposal with analyses=True (the default)")
    return table
