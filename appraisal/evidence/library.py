"""The evidence library: the :class:`Library` container and :func:`load_library`."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from appraisal import demography
from appraisal.demography import AGE_BANDS, BAND_LABELS, LIFE_TABLE_OUTCOME
from appraisal.errors import LibraryError, Problem
from appraisal.evidence.areas import Areas
from appraisal.evidence.derived import all_unit_costs, cost_splits, duration_years, pathway_graph
from appraisal.evidence.reading import read_table
from appraisal.evidence.rules import Tables, run
from appraisal.evidence.schemas import TABLES


@dataclass(frozen=True)
class Library:
    """The evidence library, checked as a whole.

    Attributes hold one DataFrame per table (see ``pathways/README.md`` and
    ``unit_costs/README.md``), each with a ``_row`` column giving the
    spreadsheet row it came from; ``yes``/``no`` columns are booleans.
    ``graph`` is the directed pathway graph (characteristic -> mediator -> outcome)
    built from default links. ``unit_costs`` holds the rows of
    ``unit_costs/unit_costs.csv``, then the death values and quality-of-life costs
    derived from them (:mod:`appraisal.evidence.derived`); its ``derived_from``
    column says which. ``age_bands`` are the engine's five-year bands
    (:data:`appraisal.demography.AGE_BANDS`), the grid on which every age-specific
    quantity is held. The quantities derived from the tables (England's population
    by band, banded baseline rates, life-years per death) are computed once per
    library, on first use.
    """

    root: Path
    sources: pd.DataFrame
    characteristics: pd.DataFrame
    mediators: pd.DataFrame
    outcomes: pd.DataFrame
    durations: pd.DataFrame
    links: pd.DataFrame
    curves: pd.DataFrame
    baseline_rates: pd.DataFrame
    population: pd.DataFrame
    life_expectancy: pd.DataFrame
    lags: pd.DataFrame
    utility_norms: pd.DataFrame
    unit_costs: pd.DataFrame
    health_state_losses: pd.DataFrame
    parameters: pd.DataFrame
    cost_coverage: pd.DataFrame
    gaps: pd.DataFrame
    bearers: pd.DataFrame
    bearer_shares: pd.DataFrame
    discount_rates: pd.DataFrame
    price_index: pd.DataFrame
    value_types: pd.DataFrame
    optimism_bias: pd.DataFrame
    vfm_categories: pd.DataFrame
    local_authorities: pd.DataFrame
    lad_icb: pd.DataFrame
    code_history: pd.DataFrame
    graph: nx.DiGraph

    @cached_property
    def areas(self) -> Areas:
        """The area lookups (``areas/``): a site's district resolved to its councils, combined authority and ICBs."""
        return Areas(self.local_authorities, self.lad_icb, self.code_history)

    @property
    def default_links(self) -> pd.DataFrame:
        """The links the engine uses: one default per (from, to) pair."""
        return self.links[self.links["is_default"]]

    @property
    def age_bands(self) -> list[tuple[int, int]]:
        """The engine's age bands as (first age, last age), youngest first."""
        return AGE_BANDS

    @property
    def band_labels(self) -> list[str]:
        """Age-band labels as users write them: ``"0-4"``, ..., ``"90+"``."""
        return BAND_LABELS

    @cached_property
    def population_grid(self) -> np.ndarray:
        """England's population on the ``[sex, single year of age]`` grid."""
        return demography.population_grid(self.population)

    @cached_property
    def england_by_band(self) -> np.ndarray:
        """England's population in each age band."""
        return demography.to_bands(self.population_grid)

    @cached_property
    def band_rates(self) -> dict[str, np.ndarray]:
        """Baseline rate (events per person per year) in each age band, by outcome id.

        Rows of ``pathways/baseline_rates.csv`` averaged within each band weighting
        by England's population (:func:`appraisal.demography.band_rates`).
        """
        rates = self.baseline_rates
        return {str(o): demography.band_rates(frame, self.population_grid) for o, frame in rates.groupby("outcome_id")}

    @cached_property
    def life_years_per_death(self) -> np.ndarray:
        """Life-years lost per death in each age band, from the life table of the all-cause baseline."""
        rates = self.baseline_rates
        qx = demography.rate_grid(rates[rates["outcome_id"] == LIFE_TABLE_OUTCOME])
        return demography.life_years_per_death(qx, self.population_grid)

    @cached_property
    def death_rates(self) -> np.ndarray:
        """``[sex, age]`` England's central death rate (per person per year) from the all-cause probabilities of death."""
        rates = self.baseline_rates
        qx = demography.rate_grid(rates[rates["outcome_id"] == LIFE_TABLE_OUTCOME])
        return demography.central_death_rate(qx)

    @cached_property
    def utility_grid(self) -> np.ndarray:
        """``[sex, age]`` population utility norm; ages below the table take its youngest age's value, above it its oldest's."""
        u = self.utility_norms
        grid = np.ones((len(demography.SEXES), len(demography.AGES)))
        for s, sex in enumerate(demography.SEXES):
            rows = u[u["sex"] == sex].sort_values("age")
            if rows.empty:
                continue
            ages, values = rows["age"].to_numpy(int), rows["utility"].to_numpy(float)
            grid[s] = values[np.clip(np.searchsorted(ages, demography.AGES), 0, len(ages) - 1)]
            grid[s, ages[0] > demography.AGES] = values[0]
        return grid

    def lag_profile(self, lag_id: str, n_years: int) -> np.ndarray:
        """``[k]`` share of the full effect reached ``k`` years after the change (k = 0 is its first year).

        A blank ``lag_id`` is the default rule for a link with no published lag: the full
        effect from the first year.
        """
        if not lag_id:
            return np.ones(n_years)
        rows = self.lags[self.lags["lag_id"] == lag_id].sort_values("year")
        shares = rows["cumulative_share"].to_numpy(float)
        return np.concatenate([shares, np.ones(max(0, n_years - len(shares)))])[:n_years]

    @cached_property
    def pathway_table(self) -> pd.DataFrame:
        """Every route from a characteristic to an outcome through default links.

        One row per pathway, characteristics in file order: characteristic,
        mediator (None if direct), outcome, first_link, outcome_link, overlap_group
        (of the link acting on the outcome), age_from, age_to (the ages both links cover).
        """
        links = self.default_links.set_index("link_id")
        g = self.graph
        rows = []
        parent = dict(zip(self.characteristics["characteristic_id"], self.characteristics["band_of"]))
        for c in self.characteristics["characteristic_id"]:
            # A band (a share of dwellings in a band of a level) follows its parent's links.
            source = parent[c] or c
            for v in g.successors(source) if source in g else []:
                first = links.loc[g.edges[source, v]["link_id"]]
                ends = list(g.successors(v)) if g.nodes[v]["kind"] == "mediator" else [None]
                for o in ends:
                    last = first if o is None else links.loc[g.edges[v, o]["link_id"]]
                    rows.append(
                        (
                            c,
                            None if o is None else v,
                            v if o is None else o,
                            first.name,
                            last.name,
                            last["overlap_group"],
                            max(first["age_from"], last["age_from"]),
                            min(first["age_to"], last["age_to"]),
                        )
                    )
        cols = ["characteristic", "mediator", "outcome", "first_link", "outcome_link", "overlap_group", "age_from", "age_to"]
        frame = pd.DataFrame(rows, columns=cols)
        frame["mediator"] = frame["mediator"].astype(object)
        return frame

    @cached_property
    def cost_splits(self) -> dict[str, list[tuple[str, str, float]]]:
        """Who bears each unit cost, and as which component: ``cost_id -> [(bearer, component, share)]``."""
        return cost_splits(self.unit_costs, self.bearer_shares)

    @cached_property
    def band_levels(self) -> dict[str, tuple[str, float, float]]:
        """Each band characteristic: ``band_id -> (parent, level of the band, level of the dwellings below every band)``.

        The rule, stated once: a band stands at its middle (55-59 dB at 57.5, the interval
        [55, 60)); the open top band is as wide as the band below it; the dwellings below
        the lowest band stand at the middle of a band of that width just below it (52.5 dB
        under bands from 55). No source gives where within a band its dwellings lie.
        """
        c = self.characteristics[self.characteristics["band_of"] != ""]
        out: dict[str, tuple[str, float, float]] = {}
        for parent, rows in c.groupby("band_of", sort=False):
            rows = rows.sort_values("band_from")
            lo, hi = rows["band_from"].to_numpy(float), rows["band_to"].to_numpy(float)
            width = np.nanmin(hi - lo) + 1.0 if np.isfinite(hi).any() else 5.0
            middle = np.where(np.isnan(hi), lo + width / 2, (lo + hi + 1.0) / 2)
            rest = lo[0] - width / 2
            out.update({cid: (str(parent), float(m), float(rest)) for cid, m in zip(rows["characteristic_id"], middle)})
        return out

    def reached_outcomes(self) -> list[str]:
        """Outcomes reached from a characteristic by default links, in file order."""
        reached = set()
        for c in self.characteristics["characteristic_id"]:
            if c in self.graph:
                reached |= nx.descendants(self.graph, c)
        return [o for o in self.outcomes["outcome_id"] if o in reached]

    def citation(self, source_id: str) -> str:
        """A full citation for a source id (or several, separated by '; '): authors (year). Title. Publisher. DOI or URL."""
        if "; " in source_id:
            return " | ".join(self.citation(s) for s in source_id.split("; "))
        row = self.sources.loc[self.sources["source_id"] == source_id].iloc[0]
        where = f"doi:{row['doi']}" if row["doi"] else row["url"]
        year = "n.d." if pd.isna(row["year"]) else row["year"]
        return f"{row['authors']} ({year}). {row['title']}. {row['journal_or_publisher']}. {where}"


def link_text(link: pd.Series) -> str:
    """A link's relation in words: ``"RR 1.08 (1.06-1.09) per 10 ug/m3"`` or ``"exponent 4 on (x1/x0)"``."""
    ci = f" ({link['low']:g}-{link['high']:g})" if pd.notna(link["low"]) else ""
    if link["form"] == "power":
        return f"risk x (option / baseline {link['exposure_unit']}) ^ {link['central']:g}{ci}"
    if link["form"] == "polynomial":
        return f"% of people = curve in {link['exposure_unit']} (pathways/curves.csv), flat below {link['threshold']:g}"
    where = f" above {link['threshold']:g}" if link["form"] == "threshold_log_linear" else ""
    return f"{link['measure']} {link['central']:g}{ci} per {link['increment']:g} {link['exposure_unit']}{where}"


def applied_as(link: pd.Series, share_mediators: frozenset[str]) -> str:
    """How the engine applies a link, in words (the Evidence sheet's "applied as" column): its measure,
    how its effect builds up (its lag, or the default rule) and, for evidence on one sex, which.

    ``share_mediators`` are the ids of the library's share mediators, whose odds an odds ratio moves.
    """
    lag = link["lag_id"]
    timing = (
        f"; builds up as {lag.replace('_', ' ')} (pathways/lags.csv)"
        if lag
        else "; full effect from the first year (no published lag)"
        if link["to_id"] not in share_mediators and link["measure"] != "slope"
        else ""
    )
    sex = f"; {link['sex']} only" if link["sex"] != "persons" else ""
    return _measure_applied_as(link, share_mediators) + timing + sex


def _measure_applied_as(link: pd.Series, share_mediators: frozenset[str]) -> str:
    """How the engine applies a link's measure, in words."""
    measure, form = link["measure"], link["form"]
    if measure == "OR":
        if link["to_id"] in share_mediators:
            return "odds ratio on the odds of the share of people in the state"
        if form == "proportion_exposed":
            return (
                "odds ratio: risk of the unexposed solved from the outcome's baseline risk in each age band and the share "
                "exposed, then the exposed's risk from the odds ratio"
            )
        return "odds ratio turned into a risk ratio at the outcome's baseline risk in each age band (Zhang and Yu 1998)"
    if measure == "HR":
        return "hazard ratio used as a rate ratio"
    if measure == "RR":
        return "risk ratio"
    return {"slope": "change in the mediator per increment", "exponent": "power model", "percent": "exposure-response curve"}[
        measure
    ]


def bundled_root() -> Path:
    """Where the shipped library lives: inside the installed wheel, or the source tree."""
    packaged = importlib.resources.files("appraisal") / "_library"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2]


def _sources(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Both sources tables as one, each row with the ``_file`` it came from."""
    parts = [t[name].assign(_file=TABLES[name].path) for name in ("pathway_sources", "cost_sources", "area_sources")]
    return pd.concat(parts, ignore_index=True)


def _reading_order(problem: Problem) -> tuple[str, int, str]:
    """Problems in the order a reader meets them: by file, then row (or first row), then column."""
    place = problem.place
    file = getattr(place, "file", "")
    row = getattr(place, "row", None) or (getattr(place, "rows", ()) or (0,))[0]
    return (str(file), int(row), str(getattr(place, "column", "") or ""))


def load_library(root: str | Path | None = None) -> Library:
    """Read and check the evidence library.

    The tables are read and checked against their schemas (every failure of every
    table together); then the cross-table rules run in phases (:mod:`appraisal.evidence.rules`),
    each phase only if the ones before found nothing.

    Parameters
    ----------
    root
        Folder holding ``pathways/``, ``unit_costs/`` and ``areas/``; the shipped library if None.

    Raises
    ------
    LibraryError
        With every problem found, each with its code, file, row and column.
    """
    root = Path(root) if root is not None else bundled_root()
    problems: list[Problem] = []
    t = {name: read_table(root, table, problems) for name, table in TABLES.items()}
    sources = _sources(t)
    graph = nx.DiGraph()
    #: Each phase needs the one before it clean (rules read typed tables; coverage reads the graph).
    waiting = ["cross-table", "pathway-graph", "coverage"]
    if not problems:
        waiting.pop(0)
        problems += run("tables", Tables(t, sources))
    if not problems:
        waiting.pop(0)
        t["unit_costs"] = all_unit_costs(
            t["unit_costs"], t["outcomes"], t["cost_coverage"], t["health_state_losses"], t["parameters"]
        )
        graph = pathway_graph(t["characteristics"], t["mediators"], t["outcomes"], t["links"])
        problems += run("graph", Tables(t, sources, graph))
    if not problems:
        waiting.pop(0)
        problems += run("coverage", Tables(t, sources, graph))
    if problems:
        later = f" (the {', '.join(waiting)} rules run once these are mended)" if waiting else ""
        raise LibraryError(f"The evidence library at {root}{later}", sorted(problems, key=_reading_order))
    return Library(
        root=root,
        sources=sources,
        characteristics=t["characteristics"],
        mediators=t["mediators"],
        outcomes=t["outcomes"],
        durations=t["durations"].assign(years=duration_years(t["durations"])),
        links=t["links"],
        curves=t["curves"],
        baseline_rates=t["baseline_rates"],
        population=t["population"],
        life_expectancy=t["life_expectancy"],
        lags=t["lags"],
        utility_norms=t["utility_norms"],
        unit_costs=t["unit_costs"],
        health_state_losses=t["health_state_losses"],
        parameters=t["parameters"],
        cost_coverage=t["cost_coverage"],
        gaps=t["gaps"],
        bearers=t["bearers"],
        bearer_shares=t["bearer_shares"],
        discount_rates=t["discount_rates"],
        price_index=t["price_index"],
        value_types=t["value_types"],
        optimism_bias=t["optimism_bias"],
        vfm_categories=t["vfm_categories"],
        local_authorities=t["local_authorities"],
        lad_icb=t["lad_icb"],
        code_history=t["code_history"],
        graph=graph,
    )
