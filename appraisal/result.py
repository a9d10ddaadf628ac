"""The result of an appraisal, as tables. It holds the arrays of runs already made and never runs the engine.

Sign convention: every number is the change under the option against the
baseline. A positive change in cost is a cost to that bearer; a negative one
is a saving. ``benefit`` is the negative of the change in cost. Money is in £
at the proposal's price year; present values are discounted to its start year.
Tables add up the sites of the model (one for one proposal).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal import demography
from appraisal.analysis.monte_carlo import PERCENTILES, Uncertainty
from appraisal.demography import LIFE_TABLE_OUTCOME
from appraisal.engine.accounts import Accounts, landing_all, yearly_health
from appraisal.engine.cohort import hazard_change
from appraisal.engine.model import Model
from appraisal.evidence.library import Library, applied_as, link_text
from appraisal.evidence.schemas import COMPONENTS, OUTCOME_MEASURES, STATE_KINDS
from appraisal.proposal import Proposal

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
            [self.options, self.outcomes, self.library.band_labels, m.years], names=["option", "outcome", "age_band", "year"]
        )
        return pd.DataFrame(
            {col: h[:, :, :, j, :].ravel() for j, col in enumerate(HEALTH_COLUMNS)},
            index=idx,
        ).reset_index()

    def cost_landing(self) -> pd.DataFrame:
        """Change in cost by option, bearer, component and year: £ undiscounted and present value."""
        cr = self.model.costs
        comps = list(COMPONENTS)
        undiscounted = landing_all(self.model, self.central.row_cost)[0]  # [option, bearer, component, year]
        discounted = undiscounted * cr.discount[None, None]
        idx = pd.MultiIndex.from_product(
            [self.options, cr.bearers, comps, self.model.years], names=["option", "bearer", "component", "year"]
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
        return out[keep].reset_index(drop=True)

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
        """Per option and bearer: present value of the change in cost, and the benefit (= -change).

        A ``total`` row per option sums the bearers.
        """
        cr = self.model.costs
        lands = np.flatnonzero(cr.shares.sum(axis=(0, 2)) > 0)  # bearers some unit cost in play lands on
        bearers = [cr.bearers[b] for b in lands] + ["total"]
        pv = self.central.pv[0].sum(axis=0)  # [option, bearer]
        values = np.concatenate([pv[:, lands], pv.sum(axis=1, keepdims=True)], axis=1)
        out = pd.DataFrame(
            {
                "option": np.repeat(self.options, len(bearers)),
                "bearer": bearers * len(self.options),
                "present_value_gbp": values.ravel(),
            }
        )
        out["benefit_gbp"] = -out["present_value_gbp"]
        u = self.uncertainty
        if u is not None:
            draws = np.concatenate([u.pv, u.pv.sum(axis=2, keepdims=True)], axis=2)  # [draw, option, bearer + total]
            o_idx = [self.options.index(o) for o in out["option"]]
            b_idx = [len(cr.bearers) if b == "total" else cr.bearers.index(b) for b in out["bearer"]]
            picked = draws[:, o_idx, b_idx]  # [draw, row]
            for q, values in zip(PERCENTILES, np.percentile(picked, PERCENTILES, axis=0)):
                out[f"present_value_gbp_p{q}"] = values
            out["probability_lower_cost"] = (picked < 0).mean(axis=0)
        return out

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
            rows.append(
                {
                    "kind": "characteristic",
                    "id": c,
                    "what": f"{names[c]}: moves no number",
                    "ages": "",
                    "why": why or "no link in the library",
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
        """Every table by name: summary, cost_landing, by_pathway, cases, health_summary, evidence, not_counted, life_expectancy."""
        return {
            "summary": self.summary(),
            "cost_landing": self.cost_landing(),
            "by_pathway": self.by_pathway(),
            "cases": self.cases(),
            "health_summary": self.health_summary(),
            "evidence": self.evidence(),
            "not_counted": self.not_counted(),
            "life_expectancy": self.life_expectancy(),
        }


def _ran(table: pd.DataFrame | None, what: str) -> pd.DataFrame:
    if table is None:
        raise ValueError(f"the {what} were not worked out: appraise the proposal with analyses=True (the default)")
    return table
