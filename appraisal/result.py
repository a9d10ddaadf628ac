"""The result of an appraisal and its tables.

Sign convention: every number is the change under the option against the
baseline. A positive change in cost is a cost to that bearer; a negative one
is a saving. ``benefit`` is the negative of the change in cost. Money is in £
at the proposal's price year; present values are discounted to its start year.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from appraisal.engine import CostRows
from appraisal.evidence.library import Library
from appraisal.evidence.tables import COMPONENTS
from appraisal.proposal import Proposal


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

    @property
    def options(self) -> list[str]:
        return list(self.proposal.options)

    # ---- arrays -------------------------------------------------------------
    def _cost_by_row_year(self) -> np.ndarray:
        """``[option, pathway, cost row, year]`` undiscounted change in £."""
        cr = self.cost_rows
        value = cr.table["uplifted"].to_numpy(float)
        return self.cost_units[..., None] * (value[:, None] * cr.timing)[None, None]

    def _fatal(self) -> np.ndarray:
        o = self.library.outcomes.set_index("outcome_id")
        return (o.loc[self.pathways["outcome"], "fatal"] == "yes").to_numpy()

    # ---- tables -------------------------------------------------------------
    def cases(self) -> pd.DataFrame:
        """Change in cases, deaths and life-years by option, outcome, age band and year.

        Deaths are the change in cases of fatal outcomes; life-years lost are
        deaths x remaining life expectancy at the band's age (undiscounted).
        """
        onehot = (self.pathways["outcome"].to_numpy()[:, None] == np.array(self.outcomes)[None, :]).astype(float)
        by_outcome = np.einsum("opb,pk->okb", self.annual_cases, onehot)
        deaths = np.einsum("opb,pk->okb", self.annual_cases * self._fatal()[None, :, None], onehot)
        cases = by_outcome[..., None] * self.profile
        d = deaths[..., None] * self.profile
        ly = d * self.life_expectancy[None, None, :, None]
        idx = pd.MultiIndex.from_product(
            [self.options, self.outcomes, self.library.band_labels, self.years],
            names=["option", "outcome", "age_band", "year"],
        )
        return pd.DataFrame(
            {"change_in_cases": cases.ravel(), "change_in_deaths": d.ravel(), "change_in_life_years": ly.ravel()},
            index=idx,
        ).reset_index()

    def cost_landing(self) -> pd.DataFrame:
        """Change in cost by option, bearer, component and year: £ undiscounted and present value."""
        cr = self.cost_rows
        cost = self._cost_by_row_year().sum(axis=1)  # [option, row, year]
        comps = list(COMPONENTS)
        # [option, bearer, component, year]
        undiscounted = np.einsum("ory,rbc->obcy", cost, cr.shares)
        discounted = undiscounted * cr.discount[None, None]
        idx = pd.MultiIndex.from_product(
            [self.options, cr.bearers, comps, self.years], names=["option", "bearer", "component", "year"]
        )
        out = pd.DataFrame(
            {"change_gbp": undiscounted.ravel(), "present_value_gbp": discounted.ravel()}, index=idx
        ).reset_index()
        # Keep every bearer and component a unit cost in play lands on (zeros included), and no others.
        lands = cr.shares.sum(axis=0) > 0  # [bearer, component]
        keep = lands[[cr.bearers.index(b) for b in out["bearer"]], [comps.index(c) for c in out["component"]]]
        return out[keep].reset_index(drop=True)

    def by_pathway(self) -> pd.DataFrame:
        """Cases over the period and present value of cost by pathway and option."""
        cr = self.cost_rows
        pv = np.einsum("opry,rbc,cy->op", self._cost_by_row_year(), cr.shares, cr.discount)
        cases = self.annual_cases.sum(axis=2) * self.profile.sum()
        t = self.pathways
        link = np.where(t["mediator"] == "", t["outcome_link"], t["first_link"] + " + " + t["outcome_link"])
        paths = pd.DataFrame({"characteristic": t["characteristic"], "mediator": t["mediator"], "outcome": t["outcome"], "link": link})
        out = pd.concat([paths] * len(self.options), ignore_index=True)
        out.insert(0, "option", np.repeat(self.options, len(t)))
        out["change_in_cases"] = cases.ravel()
        out["present_value_gbp"] = pv.ravel()
        return out

    def summary(self) -> pd.DataFrame:
        """Per option and bearer: present value of the change in cost, and the benefit (= -change).

        A ``total`` row per option sums the bearers.
        """
        cl = self.cost_landing()
        pv = cl.groupby(["option", "bearer"], sort=False)["present_value_gbp"].sum().reset_index()
        total = pv.groupby("option", sort=False)["present_value_gbp"].sum().reset_index().assign(bearer="total")
        out = pd.concat([pv, total], ignore_index=True)
        out["option"] = pd.Categorical(out["option"], self.options)
        out = out.sort_values(["option"], kind="stable").reset_index(drop=True)
        out["option"] = out["option"].astype(str)
        out["benefit_gbp"] = -out["present_value_gbp"]
        return out

    def health_summary(self) -> pd.DataFrame:
        """Per option and outcome: change in cases and deaths over the whole period."""
        c = self.cases()
        return c.groupby(["option", "outcome"], sort=False)[["change_in_cases", "change_in_deaths", "change_in_life_years"]].sum().reset_index()

    def evidence(self) -> pd.DataFrame:
        """Every link and unit cost behind the numbers, with its full citation and locator."""
        lib = self.library
        link_ids = sorted(set(self.pathways["first_link"]) | set(self.pathways["outcome_link"]))
        links = lib.links.set_index("link_id").loc[link_ids].reset_index()
        rows = [
            {
                "kind": "link",
                "id": r["link_id"],
                "what": f"{r['from_id']} -> {r['to_id']}: {r['measure']} {r['central']:g} per {r['increment']:g} {r['exposure_unit']}",
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
