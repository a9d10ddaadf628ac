"""The result of an appraisal and its tables.

Sign convention: every number is the change under the option against the
baseline. A positive change in cost is a cost to that bearer; a negative one
is a saving. ``benefit`` is the negative of the change in cost. Money is in £
at the proposal's price year; present values are discounted to its start year.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from appraisal.engine import CostRows, Model
from appraisal.evidence.library import Library, link_text
from appraisal.evidence.schemas import COMPONENTS
from appraisal.proposal import Proposal
from appraisal.uncertainty import PERCENTILES, Draws, Uncertainty, evidence_shares, landing, one_way_sensitivity, outcome_totals


@dataclass(frozen=True)
class Result:
    """Everything an appraisal found; tables are built from these arrays on demand.

    Attributes
    ----------
    annual_cases
        ``[option, pathway, age band]`` change in cases a year at full occupancy and full effect.
    profile
        ``[year]`` occupancy x ramp-in; cases in a year = ``annual_cases * profile``.
    cost_units
        ``[option, pathway, cost row]`` annual change in costed units (cases, deaths,
        or discounted life-years) at full occupancy and full effect.
    uncertainty
        Monte Carlo percentiles when the appraisal was run with draws; every table then
        gains ``_p5``, ``_p50`` and ``_p95`` columns beside its central values.
    """

    proposal: Proposal
    library: Library
    pathways: pd.DataFrame
    outcomes: list[str]
    years: np.ndarray
    profile: np.ndarray
    annual_cases: np.ndarray
    life_expectancy: np.ndarray
    cost_rows: CostRows
    cost_units: np.ndarray
    model: Model
    central: Draws
    uncertainty: Uncertainty | None = None

    @property
    def options(self) -> list[str]:
        return list(self.proposal.options)

    # ---- arrays -------------------------------------------------------------
    def _fatal_outcomes(self) -> np.ndarray:
        o = self.library.outcomes.set_index("outcome_id")
        return o.loc[self.outcomes, "fatal"].to_numpy(bool)

    def _fatal(self) -> np.ndarray:
        o = self.library.outcomes.set_index("outcome_id")
        return o.loc[self.pathways["outcome"], "fatal"].to_numpy(bool)

    # ---- tables -------------------------------------------------------------
    def cases(self) -> pd.DataFrame:
        """Change in cases, deaths and life-years by option, outcome, age band and year.

        Deaths are the change in cases of fatal outcomes; life-years lost are
        deaths x remaining life expectancy at the band's age (undiscounted).
        """
        fatal = self._fatal_outcomes()
        by_outcome = self.central.by_band[0]
        cases = by_outcome[..., None] * self.profile
        d = cases * fatal[None, :, None, None]
        ly = d * self.life_expectancy[None, None, :, None]
        idx = pd.MultiIndex.from_product(
            [self.options, self.outcomes, self.library.band_labels, self.years],
            names=["option", "outcome", "age_band", "year"],
        )
        out = pd.DataFrame(
            {"change_in_cases": cases.ravel(), "change_in_deaths": d.ravel(), "change_in_life_years": ly.ravel()},
            index=idx,
        ).reset_index()
        u = self.uncertainty
        if u is not None:
            for i, q in enumerate(PERCENTILES):
                c = u.cases_by_band[i][..., None] * self.profile  # [o, k, b, y]
                out[f"change_in_cases_p{q}"] = c.ravel()
                out[f"change_in_deaths_p{q}"] = (c * fatal[None, :, None, None]).ravel()
                out[f"change_in_life_years_p{q}"] = (c * fatal[None, :, None, None] * self.life_expectancy[None, None, :, None]).ravel()
        return out

    def cost_landing(self) -> pd.DataFrame:
        """Change in cost by option, bearer, component and year: £ undiscounted and present value."""
        cr = self.cost_rows
        comps = list(COMPONENTS)
        # [option, bearer, component, year]
        undiscounted = np.stack([
            np.stack([landing(self.model, self.central.row_cost, o, b)[0] for b in range(len(cr.bearers))])
            for o in range(len(self.options))
        ])
        discounted = undiscounted * cr.discount[None, None]
        idx = pd.MultiIndex.from_product(
            [self.options, cr.bearers, comps, self.years], names=["option", "bearer", "component", "year"]
        )
        out = pd.DataFrame(
            {"change_gbp": undiscounted.ravel(), "present_value_gbp": discounted.ravel()}, index=idx
        ).reset_index()
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
        pv = self.central.path_pv[0]
        cases = self.central.path_cases[0]
        t = self.pathways
        link = np.where(t["mediator"].isna(), t["outcome_link"], t["first_link"] + " + " + t["outcome_link"])
        paths = pd.DataFrame({"characteristic": t["characteristic"], "mediator": t["mediator"].fillna(""), "outcome": t["outcome"], "link": link})
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
        cr = self.cost_rows
        lands = np.flatnonzero(cr.shares.sum(axis=(0, 2)) > 0)  # bearers some unit cost in play lands on
        bearers = [cr.bearers[b] for b in lands] + ["total"]
        pv = self.central.pv[0]  # [option, bearer]
        values = np.concatenate([pv[:, lands], pv.sum(axis=1, keepdims=True)], axis=1)
        out = pd.DataFrame({
            "option": np.repeat(self.options, len(bearers)),
            "bearer": bearers * len(self.options),
            "present_value_gbp": values.ravel(),
        })
        out["benefit_gbp"] = -out["present_value_gbp"]
        u = self.uncertainty
        if u is not None:
            bearers = self.cost_rows.bearers
            draws = np.concatenate([u.pv, u.pv.sum(axis=2, keepdims=True)], axis=2)  # [d, o, bearer + total]
            o_idx = [self.options.index(o) for o in out["option"]]
            b_idx = [len(bearers) if b == "total" else bearers.index(b) for b in out["bearer"]]
            picked = draws[:, o_idx, b_idx]  # [d, row]
            for q, values in zip(PERCENTILES, np.percentile(picked, PERCENTILES, axis=0)):
                out[f"present_value_gbp_p{q}"] = values
            out["probability_lower_cost"] = (picked < 0).mean(axis=0)
        return out

    def health_summary(self) -> pd.DataFrame:
        """Per option and outcome: change in cases and deaths over the whole period."""
        cols = ["change_in_cases", "change_in_deaths", "change_in_life_years"]
        totals = outcome_totals(self.model, self.central.by_band)[0]  # [option, outcome, 3]
        out = pd.DataFrame({"option": np.repeat(self.options, len(self.outcomes)), "outcome": self.outcomes * len(self.options)})
        for j, col in enumerate(cols):
            out[col] = totals[:, :, j].ravel()
        u = self.uncertainty
        if u is not None:
            for i, q in enumerate(PERCENTILES):
                for j, col in enumerate(cols):
                    out[f"{col}_p{q}"] = u.totals[i, :, :, j].ravel()
        return out

    # ---- sensitivity and confidence ----------------------------------------
    def sensitivity(self) -> pd.DataFrame:
        """One-way sensitivity of each option's total present value to each link and unit cost
        at its low and high value (see :func:`appraisal.uncertainty.one_way_sensitivity`)."""
        return one_way_sensitivity(self.model)

    def value_judgements(self) -> pd.DataFrame:
        """Each option's total present value under the main value judgements, side by side.

        Scenarios: the settings as given; deaths valued the other way (life-years or VPF);
        health effects discounted at the standard rather than the health schedule; no discounting.
        """
        from appraisal.engine import appraise

        s = self.proposal.settings
        other = "vpf" if s.mortality_valuation == "life_years" else "life_years"
        scenarios = {
            "as set": {},
            f"deaths valued by {'the value of a prevented fatality' if other == 'vpf' else 'life-years lost'}": {"mortality_valuation": other},
            "health effects at the standard discount rate": {"discounting": "standard"},
            "no discounting": {"discounting": "none"},
        }
        rows = []
        for name, change in scenarios.items():
            proposal = self.proposal.model_copy(update={"settings": s.model_copy(update=change)})
            pv = appraise(proposal, self.library).summary()
            for _, r in pv[pv["bearer"] == "total"].iterrows():
                rows.append({"scenario": name, "option": r["option"], "present_value_gbp": r["present_value_gbp"]})
        table = pd.DataFrame(rows).pivot(index="scenario", columns="option", values="present_value_gbp")
        return table.loc[list(scenarios), self.options].reset_index()

    def confidence(self) -> pd.DataFrame:
        """Share of each option's present value by the evidence behind it: ``verified_in`` and evidence grade."""
        return evidence_shares(self.model, self.cost_units)

    def evidence(self) -> pd.DataFrame:
        """Every link and unit cost behind the numbers, with its full citation and locator."""
        lib = self.library
        link_ids = sorted(set(self.pathways["first_link"]) | set(self.pathways["outcome_link"]))
        links = lib.links.set_index("link_id").loc[link_ids].reset_index()
        rows = [
            {
                "kind": "link",
                "id": r["link_id"],
                "what": f"{r['from_id']} -> {r['to_id']}: {link_text(r)}",
                "source": r["source"],
                "citation": lib.citation(r["source"]),
                "locator": r["locator"],
                "verified_in": r["verified_in"],
            }
            for _, r in links.iterrows()
        ]
        for _, r in self.cost_rows.table.iterrows():
            rows.append(
                {
                    "kind": "unit_cost",
                    "id": r["cost_id"],
                    "what": f"{r['outcome_id']} {r['component']} -> {r['bearer']}: £{r['value']:,.0f} {r['basis']} ({r['price_year']} prices)",
                    "source": r["source"],
                    "citation": lib.citation(r["source"]),
                    "locator": r["locator"],
                    "verified_in": r["verified_in"],
                }
            )
        return pd.DataFrame(rows)

    # ---- exports ------------------------------------------------------------
    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "summary": self.summary(),
            "cost_landing": self.cost_landing(),
            "by_pathway": self.by_pathway(),
            "cases": self.cases(),
            "health_summary": self.health_summary(),
            "evidence": self.evidence(),
        }

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write every table as ``<name>.csv`` in ``folder``; returns the paths written."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, table in self.tables().items():
            path = folder / f"{name}.csv"
            table.to_csv(path, index=False)
            paths.append(path)
        return paths

    def to_excel(self, path: str | Path) -> Path:
        """Write the business-case report workbook (.xlsx): Summary, Cost landing, By pathway,
        Cases and deaths, Evidence and Inputs, with charts. Returns the path written."""
        from appraisal.workbook.report import write_report

        return write_report(self, path)

    def to_json(self, path: str | Path) -> Path:
        """Write every table, the settings and the site to one JSON file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "site": self.proposal.site.model_dump(),
            "settings": self.proposal.settings.model_dump(),
            "tables": {name: json.loads(t.to_json(orient="records")) for name, t in self.tables().items()},
        }
        path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
        return path
