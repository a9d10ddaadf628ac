"""The evidence library: tables, the pathway graph, and the checks that guard them."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from appraisal import demography
from appraisal.demography import AGE_BANDS, BAND_LABELS, LIFE_TABLE_OUTCOME, SEXES, band_label
from appraisal.errors import LibraryError, Problem
from appraisal.costing import split_cost
from appraisal.evidence.tables import COSTED_COMPONENTS, DURATION_UNITS, TABLES, TOTAL_COMPONENT, read_table

SHARE_UNIT = "share (0-1)"
RATIO_MEASURES = ("RR", "HR", "OR")
#: The parameter that values one unit of each kind of health-state loss.
LOSS_VALUES = {"QALY": "value_of_qaly", "disability weight": "value_of_qaly", "life satisfaction points": "value_of_wellby"}


@dataclass(frozen=True)
class Library:
    """The evidence library, checked as a whole.

    Attributes hold one DataFrame per table (see ``pathways/README.md`` and
    ``unit_costs/README.md``), each with a ``_row`` column giving the
    spreadsheet row it came from. ``graph`` is the directed pathway graph
    (characteristic -> mediator -> outcome) built from default links.
    ``unit_costs`` holds the rows of ``unit_costs/unit_costs.csv`` and, after them,
    the quality-of-life costs derived from ``unit_costs/health_state_losses.csv``
    (loss x the value of a QALY or WELLBY in ``unit_costs/parameters.csv``); its
    ``_table`` column says which file each row came from.
    ``age_bands`` are the engine's five-year bands (:data:`appraisal.demography.AGE_BANDS`),
    the grid on which every age-specific quantity is held. The quantities derived
    from the tables (England's population by band, banded baseline rates, life-years
    per death) are computed once per library, on first use.
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
    unit_costs: pd.DataFrame
    health_state_losses: pd.DataFrame
    parameters: pd.DataFrame
    cost_coverage: pd.DataFrame
    gaps: pd.DataFrame
    bearers: pd.DataFrame
    bearer_shares: pd.DataFrame
    discount_rates: pd.DataFrame
    price_index: pd.DataFrame
    graph: nx.DiGraph

    @property
    def default_links(self) -> pd.DataFrame:
        """The links the engine uses: one default per (from, to) pair."""
        return self.links[self.links["is_default"] == "yes"]

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
        return {o: demography.band_rates(frame, self.population_grid) for o, frame in rates.groupby("outcome_id")}

    @cached_property
    def life_years_per_death(self) -> np.ndarray:
        """Life-years lost per death in each age band, from the life table of the all-cause baseline."""
        rates = self.baseline_rates
        qx = demography.rate_grid(rates[rates["outcome_id"] == LIFE_TABLE_OUTCOME])
        return demography.life_years_per_death(qx, self.population_grid)

    @cached_property
    def pathway_table(self) -> pd.DataFrame:
        """Every route from a characteristic to an outcome through default links.

        One row per pathway, characteristics in file order: characteristic,
        mediator ("" if direct), outcome, first_link, outcome_link, overlap_group
        (of the link acting on the outcome), age_from, age_to (the ages both links cover).
        """
        links = self.default_links.set_index("link_id")
        g = self.graph
        rows = []
        for c in self.characteristics["characteristic_id"]:
            for v in g.successors(c):
                first = links.loc[g.edges[c, v]["link_id"]]
                ends = list(g.successors(v)) if g.nodes[v]["kind"] == "mediator" else [None]
                for o in ends:
                    last = first if o is None else links.loc[g.edges[v, o]["link_id"]]
                    rows.append((c, "" if o is None else v, v if o is None else o, first.name, last.name, last["overlap_group"],
                                 max(first["age_from"], last["age_from"]), min(first["age_to"], last["age_to"])))
        cols = ["characteristic", "mediator", "outcome", "first_link", "outcome_link", "overlap_group", "age_from", "age_to"]
        return pd.DataFrame(rows, columns=cols)

    @cached_property
    def cost_splits(self) -> dict[str, list[tuple[str, str, float]]]:
        """Who bears each unit cost, and as which component: ``cost_id -> [(bearer, component, share)]``."""
        return {
            r["cost_id"]: split_cost(r["bearer"], r["component"], self.bearer_shares)
            for r in self.unit_costs[["cost_id", "bearer", "component"]].to_dict("records")
        }

    def part_of_chain(self, outcome: str) -> list[str]:
        """The wider outcomes an outcome's cases belong to, nearest first (``part_of``, transitively)."""
        parent = dict(zip(self.outcomes["outcome_id"], self.outcomes["part_of"]))
        chain = []
        while parent.get(outcome):
            outcome = parent[outcome]
            chain.append(outcome)
        return chain

    def reached_outcomes(self) -> list[str]:
        """Outcomes reached from a characteristic by default links, in file order."""
        reached = set()
        for c in self.characteristics["characteristic_id"]:
            if c in self.graph:
                reached |= nx.descendants(self.graph, c)
        return [o for o in self.outcomes["outcome_id"] if o in reached]

    def citation(self, source_id: str) -> str:
        """A full citation for a source id: authors (year). Title. Publisher. DOI or URL."""
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


def bundled_root() -> Path:
    """Where the shipped library lives: inside the installed wheel, or the source tree."""
    packaged = importlib.resources.files("appraisal") / "_library"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2]


def load_library(root: str | Path | None = None) -> Library:
    """Read and check the evidence library.

    Parameters
    ----------
    root
        Folder holding ``pathways/`` and ``unit_costs/``; the shipped library if None.

    Raises
    ------
    LibraryError
        With every problem found, each naming file, row and rule.
    """
    root = Path(root) if root is not None else bundled_root()
    problems: list[Problem] = []
    t = {name: read_table(root, table, problems) for name, table in TABLES.items()}
    sources = pd.concat([t["pathway_sources"], t["cost_sources"]], ignore_index=True)
    sources["_file"] = [TABLES["pathway_sources"].path] * len(t["pathway_sources"]) + [
        TABLES["cost_sources"].path
    ] * len(t["cost_sources"])
    graph = nx.DiGraph()
    if not problems:
        problems += _check(t, sources)
    if not problems:
        t["unit_costs"] = pd.concat(
            [t["unit_costs"].assign(_table="unit_costs"), death_values(t), quality_of_life_costs(t)], ignore_index=True
        )
        graph = _graph(t)
        problems += _check_graph(t, graph)
    if not problems:
        problems += _check_cost_coverage(t)
    if problems:
        raise LibraryError(f"The evidence library at {root}", problems)
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
        unit_costs=t["unit_costs"],
        health_state_losses=t["health_state_losses"],
        parameters=t["parameters"],
        cost_coverage=t["cost_coverage"],
        gaps=t["gaps"],
        bearers=t["bearers"],
        bearer_shares=t["bearer_shares"],
        discount_rates=t["discount_rates"],
        price_index=t["price_index"],
        graph=graph,
    )


def _at(table: str, row: int, column: str | None = None) -> str:
    place = f"{TABLES[table].path} row {row}"
    return f"{place}, column {column}" if column else place


def _check(t: dict[str, pd.DataFrame], sources: pd.DataFrame) -> list[Problem]:
    p: list[Problem] = []
    p += _check_duplicates(t, sources)
    p += _check_provenance(t, sources)
    p += _check_nodes_and_links(t)
    p += _check_age_tables(t)
    p += _check_costs(t)
    p += _check_durations(t)
    return p


def _check_duplicates(t: dict[str, pd.DataFrame], sources: pd.DataFrame) -> list[Problem]:
    p = []
    for name, table in TABLES.items():
        if table.key is None or name.endswith("sources"):
            continue
        frame = t[name]
        for _, row in frame[frame[table.key].duplicated(keep="first")].iterrows():
            p.append(Problem(_at(name, row["_row"], table.key), f"duplicate id {row[table.key]!r}: ids must be unique"))
    for _, row in sources[sources["source_id"].duplicated(keep="first")].iterrows():
        p.append(
            Problem(
                f"{row['_file']} row {row['_row']}, column source_id",
                f"duplicate source id {row['source_id']!r}: ids must be unique across both sources tables",
            )
        )
    nodes = []
    for name, key in (("characteristics", "characteristic_id"), ("mediators", "mediator_id"), ("outcomes", "outcome_id")):
        nodes += [(name, r["_row"], r[key]) for _, r in t[name].iterrows()]
    seen: dict[str, str] = {}
    for name, row, node in nodes:
        if node in seen and seen[node] != name:
            p.append(Problem(_at(name, row), f"id {node!r} is already used in {seen[node]}: node ids must be unique across characteristics, mediators and outcomes"))
        seen.setdefault(node, name)
    return p


def _check_provenance(t: dict[str, pd.DataFrame], sources: pd.DataFrame) -> list[Problem]:
    p = []
    known = set(sources["source_id"])
    for name, frame in t.items():
        if "source" not in frame.columns:
            continue
        for _, row in frame.iterrows():
            if row["source"] not in known:
                p.append(Problem(_at(name, row["_row"], "source"), f"source id {row['source']!r} does not resolve to a row of pathways/sources.csv or unit_costs/sources.csv"))
            v = row["verified_in"]
            if not (v == "primary" or (v.startswith(("primary (", "secondary (")) and v.endswith(")"))):
                p.append(Problem(_at(name, row["_row"], "verified_in"), f"must be 'primary', 'primary (<copy read>)' or 'secondary (<who quoted it>)'; found {v!r}"))
    for _, row in sources.iterrows():
        if not row["doi"] and not row["url"]:
            p.append(Problem(f"{row['_file']} row {row['_row']}", "a source needs a DOI or a URL"))
    return p


def _interval_problem(central: float, low: float, high: float) -> str | None:
    if np.isnan(low) != np.isnan(high):
        return "give both low and high, or neither"
    if not np.isnan(low) and not (low <= central <= high):
        return f"the interval [{low:g}, {high:g}] does not contain the central value {central:g}"
    return None


def _check_nodes_and_links(t: dict[str, pd.DataFrame]) -> list[Problem]:
    p = []
    chars = t["characteristics"].set_index("characteristic_id")
    meds = t["mediators"].set_index("mediator_id")
    outs = set(t["outcomes"]["outcome_id"])
    share_meds = set(meds.index[meds["unit"] == SHARE_UNIT])
    for _, m in t["mediators"].iterrows():
        share = m["baseline_share"]
        if m["unit"] == SHARE_UNIT and not 0 < share < 1:
            p.append(Problem(_at("mediators", m["_row"], "baseline_share"), f"a mediator measured as {SHARE_UNIT!r} needs its England baseline share, above 0 and below 1"))
        elif m["unit"] != SHARE_UNIT and not np.isnan(share):
            p.append(Problem(_at("mediators", m["_row"], "baseline_share"), f"only a mediator measured as {SHARE_UNIT!r} has a baseline share; leave it blank"))
    for _, c in t["characteristics"].iterrows():
        lo, hi = c["valid_min"], c["valid_max"]
        if not np.isnan(lo) and not np.isnan(hi) and lo >= hi:
            p.append(Problem(_at("characteristics", c["_row"]), f"valid_min {lo:g} must be below valid_max {hi:g}"))
    for _, o in t["outcomes"].iterrows():
        if o["age_from"] > o["age_to"]:
            p.append(Problem(_at("outcomes", o["_row"]), "age_from must not exceed age_to"))
        if o["part_of"] and o["part_of"] not in outs:
            p.append(Problem(_at("outcomes", o["_row"], "part_of"), f"unknown outcome id {o['part_of']!r}: part_of names the wider outcome this one's cases belong to"))
    part_of = nx.DiGraph((o, w) for o, w in zip(t["outcomes"]["outcome_id"], t["outcomes"]["part_of"]) if w)
    if not nx.is_directed_acyclic_graph(part_of):
        p.append(Problem(TABLES["outcomes"].path, f"part_of runs in a loop: {' -> '.join(u for u, _ in nx.find_cycle(part_of))}"))
    pairs: dict[tuple[str, str], list[int]] = {}
    for _, link in t["links"].iterrows():
        at = lambda col=None: _at("links", link["_row"], col)  # noqa: E731
        src, dst, form = link["from_id"], link["to_id"], link["form"]
        if src in chars.index:
            unit = chars.loc[src, "unit"]
        elif src in meds.index:
            unit = meds.loc[src, "unit"]
        else:
            p.append(Problem(at("from_id"), f"unknown id {src!r}: must be a characteristic or a mediator"))
            unit = None
        if dst not in meds.index and dst not in outs:
            p.append(Problem(at("to_id"), f"unknown id {dst!r}: must be a mediator or an outcome"))
        if unit is not None and link["exposure_unit"] != unit:
            p.append(Problem(at("exposure_unit"), f"unit mismatch: the link is per {link['exposure_unit']!r} but {src} is measured in {unit!r}"))
        if form == "polynomial":
            p += _check_polynomial(t, link, at, src in chars.index, outs)
            continue
        if np.isnan(link["central"]):
            p.append(Problem(at("central"), "must not be blank"))
            continue
        rule = _interval_problem(link["central"], link["low"], link["high"])
        if rule:
            p.append(Problem(at("central"), rule))
        if form == "power":
            if not np.isnan(link["increment"]):
                p.append(Problem(at("increment"), "a power link has no increment: the ratio is (x1 / x0) ^ exponent; leave it blank"))
        elif not link["increment"] > 0:
            p.append(Problem(at("increment"), f"must be above 0; found {link['increment']:g}"))
        if link["age_from"] > link["age_to"]:
            p.append(Problem(at("age_from"), "age_from must not exceed age_to"))
        if form == "power":
            if link["measure"] != "exponent":
                p.append(Problem(at("measure"), "a power link's value is an exponent: measure must be 'exponent'"))
            elif link["central"] <= 0 or (not np.isnan(link["low"]) and link["low"] <= 0):
                p.append(Problem(at("central"), "an exponent and its interval must be above 0 (drawn as a lognormal)"))
            if dst not in outs:
                p.append(Problem(at("to_id"), "a power link acts on the risk of an outcome: to_id must be an outcome"))
        elif form == "linear":
            if link["measure"] != "slope":
                p.append(Problem(at("measure"), "a linear link is a slope: measure must be 'slope'"))
            if dst not in meds.index:
                p.append(Problem(at("to_id"), "a linear link changes a mediator: to_id must be a mediator"))
            elif dst in share_meds:
                p.append(Problem(at("form"), f"{dst} is a share mediator: a link into it is an odds ratio (measure OR, form log_linear, threshold_log_linear or proportion_exposed), not a slope"))
        else:
            if link["measure"] not in RATIO_MEASURES:
                p.append(Problem(at("measure"), f"a {form} link is a ratio: measure must be one of {', '.join(RATIO_MEASURES)}"))
            elif link["central"] <= 0 or (not np.isnan(link["low"]) and link["low"] <= 0):
                p.append(Problem(at("central"), "a ratio and its interval must be above 0"))
            if dst in share_meds:
                if link["measure"] != "OR":
                    p.append(Problem(at("measure"), f"a link into the share mediator {dst} must be an odds ratio (OR): it is applied to the odds, so the share stays between 0 and 1"))
            elif dst not in outs:
                p.append(Problem(at("to_id"), f"a {form} link acts on the risk of an outcome or on a share mediator: to_id must be one of those"))
        if src in share_meds and form != "proportion_exposed":
            p.append(Problem(at("form"), f"{src} is a share mediator: a link out of it must be proportion_exposed (the risk of the exposed vs the unexposed)"))
        if form == "threshold_log_linear" and np.isnan(link["threshold"]):
            p.append(Problem(at("threshold"), "a threshold_log_linear link needs a threshold"))
        if form == "proportion_exposed" and unit is not None and unit != SHARE_UNIT:
            p.append(Problem(at("form"), f"a proportion_exposed link needs an exposure measured as {SHARE_UNIT!r}; {src} is in {unit!r}"))
        if link["is_default"] == "yes":
            pairs.setdefault((src, dst), []).append(link["_row"])
    forms = dict(zip(t["links"]["link_id"], t["links"]["form"]))
    for _, c in t["curves"].iterrows():
        if forms.get(c["link_id"]) != "polynomial":
            p.append(Problem(_at("curves", c["_row"], "link_id"), f"{c['link_id']!r} is not a polynomial link in pathways/links.csv"))
    defaults = t["links"][t["links"]["is_default"] == "yes"]
    for o, into in defaults.groupby("to_id"):
        if (into["form"] == "polynomial").any() and len(into) > 1:
            rows = ", ".join(map(str, into["_row"]))
            p.append(Problem(f"{TABLES['links'].path} rows {rows}", f"outcome {o!r} is reached by a polynomial curve, which gives its whole prevalence: no other default link may act on it"))
    for (src, dst), rows in pairs.items():
        if len(rows) > 1:
            p.append(Problem(_at("links", rows[1], "is_default"), f"{src} -> {dst} already has a default link (row {rows[0]}): one default per pair"))
    parent = dict(zip(t["outcomes"]["outcome_id"], t["outcomes"]["part_of"]))
    for _, link in t["links"][t["links"]["is_default"] == "no"].iterrows():
        if ((defaults["from_id"] == link["from_id"]) & (defaults["to_id"] == link["to_id"])).any():
            continue
        # A cause-specific alternative to a default on the wider outcome (e.g. NO2 on heart-disease
        # deaths beside NO2 on all deaths) is kept for reference with no default of its own.
        wider, covered = parent.get(link["to_id"]), False
        while wider and not covered:
            covered = ((defaults["from_id"] == link["from_id"]) & (defaults["to_id"] == wider)).any()
            wider = parent.get(wider)
        if not covered:
            p.append(Problem(_at("links", link["_row"], "is_default"), f"an alternative needs a default for {link['from_id']} -> {link['to_id']} (or for a wider outcome {link['to_id']} is part of); none is marked 'yes'"))
    return p


def curve_value(coefs: np.ndarray, threshold: np.ndarray, x: np.ndarray) -> np.ndarray:
    r"""A polynomial exposure-response curve as a share (0-1), held at its threshold value below the threshold.

    .. math:: P(x) = (c_0 + c_1 x' + c_2 x'^2) / 100, \quad x' = \max(x, x_{th})

    ``coefs`` is ``[3, ...]`` (percent per unit, per unit squared); e.g. WHO's percentage
    highly annoyed by road-traffic noise, Guski et al. (2017), counted from Lden 40 dB.
    """
    xp = np.maximum(x, threshold)
    return (coefs[0] + coefs[1] * xp + coefs[2] * xp**2) / 100.0


def _check_polynomial(t: dict[str, pd.DataFrame], link: pd.Series, at, from_characteristic: bool, outs: set) -> list[Problem]:
    p = []
    if link["measure"] != "percent":
        p.append(Problem(at("measure"), "a polynomial link gives the percentage of people in a state: measure must be 'percent'"))
    for col in ("central", "low", "high", "increment"):
        if not np.isnan(link[col]):
            p.append(Problem(at(col), f"a polynomial link takes its coefficients from pathways/curves.csv: leave {col} blank"))
    if not from_characteristic:
        p.append(Problem(at("from_id"), "a polynomial link must start at a characteristic"))
    if link["to_id"] not in outs:
        p.append(Problem(at("to_id"), "a polynomial link acts on an outcome: to_id must be an outcome"))
    elif t["outcomes"].set_index("outcome_id").loc[link["to_id"], "kind"] not in ("prevalence", "wellbeing"):
        p.append(Problem(at("to_id"), "a polynomial link gives a prevalence: the outcome's kind must be prevalence or wellbeing"))
    curve = t["curves"][t["curves"]["link_id"] == link["link_id"]]
    th = link["threshold"]
    if np.isnan(th):
        p.append(Problem(at("threshold"), "a polynomial link needs a threshold: the exposure below which the curve is held flat"))
    if curve.empty:
        p.append(Problem(at("link_id"), f"polynomial link {link['link_id']!r} has no coefficients in pathways/curves.csv"))
    elif not np.isnan(th):
        c = curve[["coef_0", "coef_1", "coef_2"]].iloc[0].to_numpy(float)
        lowest = max(th, -c[1] / (2 * c[2])) if c[2] > 0 else th  # where the curve is lowest from the threshold up
        if not (c[2] >= 0 and (c[2] > 0 or c[1] >= 0) and curve_value(c, th, lowest) > 0):
            p.append(Problem(at("threshold"), f"the curve must stay above 0, and not fall without end, from the threshold {th:g} upwards; check the coefficients in pathways/curves.csv"))
    return p


def duration_years(durations: pd.DataFrame) -> pd.Series:
    """Each typical duration in years, from the value and unit as printed.

    ``years = value x length of the unit in years`` (a day is 1/365.25 of a year, a
    week 7/365.25, a month 1/12); missing for a condition that lasts for life.
    """
    per_unit = durations["unit"].map(DURATION_UNITS).astype(float)
    return (durations["value"] * per_unit).where(durations["statistic"] != "lifelong")


def _check_durations(t: dict[str, pd.DataFrame]) -> list[Problem]:
    """A typical duration belongs to a known, non-fatal outcome and states a length, or that it is lifelong."""
    p = []
    fatal = dict(zip(t["outcomes"]["outcome_id"], t["outcomes"]["fatal"]))
    for _, d in t["durations"].iterrows():
        at = lambda col=None: _at("durations", d["_row"], col)  # noqa: E731
        if d["outcome_id"] not in fatal:
            p.append(Problem(at("outcome_id"), f"unknown outcome id {d['outcome_id']!r}: use an id from pathways/outcomes.csv"))
        elif fatal[d["outcome_id"]] == "yes":
            p.append(Problem(at("outcome_id"), f"{d['outcome_id']!r} is a death: a death has no duration"))
        if d["statistic"] == "lifelong":
            if not np.isnan(d["value"]) or d["unit"]:
                p.append(Problem(at("value"), "leave value and unit blank for a lifelong condition"))
            continue
        if not d["value"] > 0 or not d["unit"]:
            p.append(Problem(at("value"), f"a {d['statistic']} duration needs a value above 0 and a unit ({', '.join(DURATION_UNITS)})"))
        elif rule := _interval_problem(d["value"], d["low"], d["high"]):
            p.append(Problem(at("low"), rule))
    return p


def _band_cover_problem(bands: list[tuple[int, int]], lo: int, hi: int) -> str | None:
    """Do bands tile [lo, hi] exactly, with no gap or overlap?"""
    bands = sorted(bands)
    if not bands or bands[0][0] != lo or bands[-1][1] != hi:
        return f"age bands must run from {lo} to {hi} without gaps; found {', '.join(band_label(a, b) for a, b in bands) or 'none'}"
    for (a0, b0), (a1, b1) in zip(bands, bands[1:]):
        if a1 != b0 + 1:
            return f"age bands {band_label(a0, b0)} and {band_label(a1, b1)} leave a gap or overlap"
    return None


def _check_age_tables(t: dict[str, pd.DataFrame]) -> list[Problem]:
    p = []
    pop = t["population"]
    groups = ["male", "female"] if (pop["sex"] != "persons").any() else ["persons"]
    for sex in groups:
        rows = pop[pop["sex"] == sex]
        bands = [(int(a), int(b)) for a, b in zip(rows["age_from"], rows["age_to"])]
        top = max((b for _, b in bands), default=0)
        rule = _band_cover_problem(bands, 0, top)
        if rule:
            p.append(Problem(TABLES["population"].path, f"{sex} rows: {rule}"))
    if (pop["sex"] != "persons").any() and (pop["sex"] == "persons").any():
        p.append(Problem(TABLES["population"].path, "give the population by sex or for persons, not both"))
    for _, row in t["population"].iterrows():
        if row["persons"] < 0:
            p.append(Problem(_at("population", row["_row"], "persons"), "must not be negative"))
    for _, row in t["baseline_rates"].iterrows():
        if row["value"] < 0 or row["per"] <= 0:
            p.append(Problem(_at("baseline_rates", row["_row"]), "value must be 0 or more and per above 0"))
    le = t["life_expectancy"]
    for _, row in le[le["life_expectancy_years"] < 0].iterrows():
        p.append(Problem(_at("life_expectancy", row["_row"], "life_expectancy_years"), "must not be negative"))
    return p


def _check_costs(t: dict[str, pd.DataFrame]) -> list[Problem]:
    p = []
    bearers = set(t["bearers"]["bearer_id"])
    shares = t["bearer_shares"]
    share_sets = set(shares["share_set"])
    outs = set(t["outcomes"]["outcome_id"])
    years = set(int(y) for y in t["price_index"]["year"].dropna())
    for _, row in shares.iterrows():
        if row["bearer"] not in bearers and row["bearer"] not in share_sets:
            p.append(Problem(_at("bearer_shares", row["_row"], "bearer"), f"unknown bearer {row['bearer']!r}; allowed: a bearer ({', '.join(sorted(bearers))}) or another share set"))
        if row["weight"] < 0:
            p.append(Problem(_at("bearer_shares", row["_row"], "weight"), f"must be 0 or more; found {row['weight']:g}"))
    for name, frame in shares.groupby("share_set"):
        if frame["weight"].sum() <= 0:
            p.append(Problem(TABLES["bearer_shares"].path, f"weights of share set {name!r} sum to 0; they are normalised to shares, so at least one must be above 0"))
        if frame["weight_unit"].nunique() > 1:
            p.append(Problem(TABLES["bearer_shares"].path, f"share set {name!r} mixes weight units {sorted(set(frame['weight_unit']))}: one unit per set"))
        if frame["weight_unit"].iloc[0] == "percent" and abs(frame["weight"].sum() - 100) > 1.5:
            p.append(Problem(TABLES["bearer_shares"].path, f"percentages of share set {name!r} sum to {frame['weight'].sum():g}, not 100 (within rounding)"))
    nested = nx.DiGraph((r["share_set"], r["bearer"]) for _, r in shares.iterrows() if r["bearer"] in share_sets)
    if not nx.is_directed_acyclic_graph(nested):
        p.append(Problem(TABLES["bearer_shares"].path, f"share sets refer to each other in a loop: {nx.find_cycle(nested)}"))
    for _, row in t["unit_costs"].iterrows():
        at = lambda col=None: _at("unit_costs", row["_row"], col)  # noqa: E731
        if row["outcome_id"] not in outs:
            p.append(Problem(at("outcome_id"), f"unknown outcome id {row['outcome_id']!r}"))
        if row["component"] == TOTAL_COMPONENT and (row["bearer"] not in share_sets or (
            nx.is_directed_acyclic_graph(nested)
            and any(c == TOTAL_COMPONENT for _, c, _ in split_cost(row["bearer"], TOTAL_COMPONENT, shares))
        )):
            p.append(Problem(at("component"), "a 'total' cost must be split by a share set whose rows name each component; bearer must be such a share set"))
        if row["bearer"] not in bearers and row["bearer"] not in share_sets:
            p.append(Problem(at("bearer"), f"unknown bearer {row['bearer']!r}: must be a bearer id ({', '.join(sorted(bearers))}) or a share set ({', '.join(sorted(share_sets))})"))
        if int(row["price_year"]) not in years:
            p.append(Problem(at("price_year"), f"price year {row['price_year']} is not in unit_costs/price_index.csv, so it cannot be uplifted"))
        if not np.isnan(row["per"]) and row["per"] <= 0:
            p.append(Problem(at("per"), f"must be above 0 (the number of cases the value is for); found {row['per']:g}"))
        if row["basis"] == "per_case_year" and not row["duration_years"] > 0:
            p.append(Problem(at("duration_years"), "a per_case_year cost needs a duration above 0"))
        rule = _interval_problem(row["value"], row["low"], row["high"])
        if rule:
            p.append(Problem(at("value"), rule))
        if row["age_from"] > row["age_to"]:
            p.append(Problem(at("age_from"), "age_from must not exceed age_to"))
    params = set(t["parameters"]["parameter_id"])
    for _, row in t["parameters"].iterrows():
        if int(row["price_year"]) not in years:
            p.append(Problem(_at("parameters", row["_row"], "price_year"), f"price year {row['price_year']} is not in unit_costs/price_index.csv"))
        rule = _interval_problem(row["value"], row["low"], row["high"])
        if rule:
            p.append(Problem(_at("parameters", row["_row"], "value"), rule))
    losses = t["health_state_losses"]
    for _, row in losses.iterrows():
        at = lambda col=None: _at("health_state_losses", row["_row"], col)  # noqa: E731
        if row["outcome_id"] not in outs:
            p.append(Problem(at("outcome_id"), f"unknown outcome id {row['outcome_id']!r}"))
        if (losses["outcome_id"] == row["outcome_id"]).sum() > 1:
            p.append(Problem(at("outcome_id"), f"{row['outcome_id']!r} has more than one health-state loss: one row per outcome"))
        if row["loss"] < 0:
            p.append(Problem(at("loss"), f"must be 0 or more; found {row['loss']:g}"))
        rule = _interval_problem(row["loss"], row["low"], row["high"])
        if rule:
            p.append(Problem(at("loss"), rule))
        if row["basis"] == "per_case_year" and not row["duration_years"] > 0:
            p.append(Problem(at("duration_years"), "a per_case_year loss needs a duration above 0"))
        if LOSS_VALUES[row["unit"]] not in params:
            p.append(Problem(at("unit"), f"a loss in {row['unit']} is valued with parameter {LOSS_VALUES[row['unit']]!r}, which is missing from unit_costs/parameters.csv"))
        if row["age_from"] > row["age_to"]:
            p.append(Problem(at("age_from"), "age_from must not exceed age_to"))
    for _, row in t["price_index"].iterrows():
        if row["gdp_deflator"] <= 0:
            p.append(Problem(_at("price_index", row["_row"], "gdp_deflator"), "must be above 0"))
    for schedule, frame in t["discount_rates"].groupby("schedule"):
        bands = [(int(a), int(b)) for a, b in zip(frame["year_from"], frame["year_to"])]
        rule = _band_cover_problem(bands, 0, int(max(b for _, b in bands)))
        if rule:
            p.append(Problem(TABLES["discount_rates"].path, f"schedule {schedule!r}: {rule.replace('age bands', 'year ranges')}"))
        for _, row in frame.iterrows():
            if not 0 <= row["rate"] < 1:
                p.append(Problem(_at("discount_rates", row["_row"], "rate"), f"must be a fraction in [0, 1); found {row['rate']:g}"))
    for schedule in ("standard", "health"):
        if schedule not in set(t["discount_rates"]["schedule"]):
            p.append(Problem(TABLES["discount_rates"].path, f"the {schedule!r} schedule is missing"))
    return p


def _graph(t: dict[str, pd.DataFrame]) -> nx.DiGraph:
    g = nx.DiGraph()
    for _, c in t["characteristics"].iterrows():
        g.add_node(c["characteristic_id"], kind="characteristic")
    for _, m in t["mediators"].iterrows():
        g.add_node(m["mediator_id"], kind="mediator")
    for _, o in t["outcomes"].iterrows():
        g.add_node(o["outcome_id"], kind="outcome")
    for _, link in t["links"][t["links"]["is_default"] == "yes"].iterrows():
        g.add_edge(link["from_id"], link["to_id"], link_id=link["link_id"], row=link["_row"])
    return g


def _check_graph(t: dict[str, pd.DataFrame], g: nx.DiGraph) -> list[Problem]:
    p = []
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        cycle = []
    if cycle:
        path = " -> ".join([cycle[0][0]] + [v for _, v in cycle])
        rows = ", ".join(str(g.edges[u, v]["row"]) for u, v in cycle)
        p.append(Problem(f"{TABLES['links'].path} rows {rows}", f"cycle in the pathway graph: {path}; pathways must run one way, characteristic -> mediator -> outcome"))
        return p
    for _, m in t["mediators"].iterrows():
        ins = g.in_degree(m["mediator_id"])
        outs_ = g.out_degree(m["mediator_id"])
        if (ins == 0) != (outs_ == 0):
            side = "no link into it" if ins == 0 else "no link out of it"
            p.append(Problem(_at("mediators", m["_row"]), f"mediator {m['mediator_id']!r} has {side}: a mediator must sit between a characteristic and an outcome"))
    outcomes = t["outcomes"].set_index("outcome_id")
    reached = set()
    for c in t["characteristics"]["characteristic_id"]:
        reached |= nx.descendants(g, c)
    rates = t["baseline_rates"]
    costs = t["unit_costs"]
    defaults = t["links"][t["links"]["is_default"] == "yes"]
    from_curve = set(defaults.loc[defaults["form"] == "polynomial", "to_id"])
    needs_rates = [o for o in outcomes.index if o in reached and o not in from_curve]
    if any(outcomes.loc[o, "fatal"] == "yes" for o in needs_rates) and LIFE_TABLE_OUTCOME not in needs_rates:
        needs_rates.append(LIFE_TABLE_OUTCOME)
    for o in needs_rates:
        if o not in outcomes.index:
            p.append(Problem(TABLES["outcomes"].path, f"outcome {o!r} is missing: its baseline gives the life table for valuing deaths"))
            continue
        row = outcomes.loc[o]
        r = rates[rates["outcome_id"] == o]
        if r.empty:
            p.append(Problem(_at("outcomes", row["_row"]), f"outcome {o!r} is reached by a link but has no baseline rate in pathways/baseline_rates.csv"))
            continue
        # An outcome given for one sex only (e.g. prostate cancer) counts cases in that sex only.
        groups = [x for x in SEXES if (r["sex"] == x).any()] if (r["sex"] != "persons").any() else ["persons"]
        if (r["sex"] != "persons").any() and (r["sex"] == "persons").any():
            p.append(Problem(f"{TABLES['baseline_rates'].path} rows {', '.join(map(str, r['_row']))}", f"baseline rates for {o!r}: give them by sex or for persons, not both"))
        for sex in groups:
            rs = r[r["sex"] == sex]
            rule = _band_cover_problem(list(zip(rs["age_from"].astype(int), rs["age_to"].astype(int))), int(row["age_from"]), int(row["age_to"]))
            if rule:
                p.append(Problem(f"{TABLES['baseline_rates'].path} rows {', '.join(map(str, rs['_row'])) or '(none)'}", f"baseline rates for {o!r} ({sex}): {rule}"))
    for o in [o for o in outcomes.index if o in reached]:
        row = outcomes.loc[o]
        if not (costs["outcome_id"] == o).any():
            p.append(Problem(_at("outcomes", row["_row"]), f"outcome {o!r} is reached by a link but has no unit cost in unit_costs/unit_costs.csv or unit_costs/health_state_losses.csv"))
    for _, rate in rates[~rates["outcome_id"].isin(outcomes.index)].iterrows():
        p.append(Problem(_at("baseline_rates", rate["_row"], "outcome_id"), f"unknown outcome id {rate['outcome_id']!r}"))
    p += _check_counted_once(t, g)
    return p


def _check_counted_once(t: dict[str, pd.DataFrame], g: nx.DiGraph) -> list[Problem]:
    """No characteristic may reach both an outcome and a wider outcome it is part of (e.g. heart-disease
    deaths and deaths from all causes): the same cases would be counted twice."""
    p = []
    parent = dict(zip(t["outcomes"]["outcome_id"], t["outcomes"]["part_of"]))
    seen = set()
    for c in t["characteristics"]["characteristic_id"]:
        reached = nx.descendants(g, c)
        for o in sorted(reached):
            wider, chain = parent.get(o), []
            while wider:
                chain.append(wider)
                if wider in reached and (c, o, wider) not in seen:
                    seen.add((c, o, wider))
                    into = [(u, v) for u, v in g.in_edges(o) if u == c or u in reached]
                    rows = ", ".join(str(g.edges[e]["row"]) for e in into)
                    p.append(Problem(
                        f"{TABLES['links'].path} row(s) {rows}",
                        f"{c} reaches both {o!r} and {wider!r} by default links, and {o!r} is part of {wider!r}: "
                        "the same cases would be counted twice; keep one as the default and mark the other is_default 'no'",
                    ))
                wider = parent.get(wider)
    return p


def quality_of_life_costs(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Quality-of-life unit costs from health-state losses: ``loss x value of a QALY (or WELLBY)``.

    A disability weight is valued as a QALY loss (one year lived with weight ``w``
    loses about ``w`` QALYs); a fall of one point in life satisfaction for a year is
    one WELLBY (HM Treasury 2021, Wellbeing Guidance for Appraisal, section 4).
    The rows borne by households, in the price year of the value used.
    """
    losses = t["health_state_losses"]
    params = t["parameters"].set_index("parameter_id")
    rows = []
    for _, r in losses.iterrows():
        par = params.loc[LOSS_VALUES[r["unit"]]]
        v = float(par["value"])
        rows.append({
            "cost_id": f"{r['outcome_id']}_quality_of_life", "outcome_id": r["outcome_id"], "component": "quality_of_life",
            "bearer": "households", "basis": r["basis"], "duration_years": r["duration_years"], "delay_years": pd.NA,
            "value": r["loss"] * v, "per": np.nan, "low": r["low"] * v, "high": r["high"] * v,
            "price_year": par["price_year"], "age_from": r["age_from"], "age_to": r["age_to"],
            "source": r["source"], "locator": r["locator"], "verified_in": r["verified_in"], "quote": r["quote"],
            "notes": f"{r['loss']:g} {r['unit']} x {LOSS_VALUES[r['unit']]} £{v:,.0f} ({int(par['price_year'])} prices, {par['source']}). {r['notes']}".strip(),
            "_row": r["_row"], "_table": "health_state_losses",
        })
    frame = pd.DataFrame(rows, columns=[*t["unit_costs"].columns.drop("_table", errors="ignore"), "_table"])
    for col in ("delay_years", "price_year", "age_from", "age_to"):
        frame[col] = frame[col].astype("Int64")
    return frame


#: How the notes of a death outcome's derived mortality cost begin (see :func:`death_values`).
AS_EVERY_DEATH = "As every death"


def death_values(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Mortality unit costs for each death outcome, the same as for a death from any cause.

    A death is valued by its cause-free consequences (life-years lost at the value of
    a QALY, or the value of a prevented fatality), so every outcome of kind ``death``
    that has neither a mortality cost of its own nor a ``cost_coverage.csv`` row for
    the component takes the mortality rows of :data:`appraisal.demography.LIFE_TABLE_OUTCOME`,
    limited to its own ages. Their ``_table`` is ``unit_costs`` and ``_row`` the row they copy.
    """
    uc, outs = t["unit_costs"], t["outcomes"]
    own = set(uc.loc[uc["component"] == "mortality", "outcome_id"])
    own |= set(t["cost_coverage"].loc[t["cost_coverage"]["component"] == "mortality", "outcome_id"])
    base = uc[(uc["outcome_id"] == LIFE_TABLE_OUTCOME) & (uc["component"] == "mortality")]
    frames = []
    for _, o in outs[(outs["kind"] == "death") & ~outs["outcome_id"].isin(own)].iterrows():
        rows = base.assign(
            cost_id=[f"{o['outcome_id']}_{c.removeprefix('acm_')}" for c in base["cost_id"]],
            outcome_id=o["outcome_id"],
            age_from=np.maximum(base["age_from"], o["age_from"]),
            age_to=np.minimum(base["age_to"], o["age_to"]),
            notes=[f"{AS_EVERY_DEATH} (row {r} of unit_costs.csv, {c}). {n}".strip() for r, c, n in zip(base["_row"], base["cost_id"], base["notes"])],
        )
        frames.append(rows)
    columns = [*uc.columns.drop("_table", errors="ignore"), "_table"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).assign(_table="unit_costs")[columns]


def cited_components(unit_costs: pd.DataFrame, shares: pd.DataFrame) -> dict[tuple[str, str], int]:
    """``(outcome, component) -> spreadsheet row`` of the first unit cost that gives it a value."""
    cited: dict[tuple[str, str], int] = {}
    for r in unit_costs.to_dict("records"):
        for _, comp, share in split_cost(r["bearer"], r["component"], shares):
            if share > 0:
                cited.setdefault((r["outcome_id"], comp), r["_row"])
    return cited


def _check_cost_coverage(t: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every outcome accounts for every cost component: a cited unit cost, or a coverage row saying why not."""
    p = []
    cov = t["cost_coverage"]
    outs = t["outcomes"].set_index("outcome_id")
    cited = cited_components(t["unit_costs"], t["bearer_shares"])
    marked: dict[tuple[str, str], int] = {}
    for _, r in cov.iterrows():
        key = (r["outcome_id"], r["component"])
        at = _at("cost_coverage", r["_row"])
        if r["outcome_id"] not in outs.index:
            p.append(Problem(f"{at}, column outcome_id", f"unknown outcome id {r['outcome_id']!r}"))
        elif key in marked:
            p.append(Problem(at, f"{r['component']} of {r['outcome_id']!r} is already marked in row {marked[key]}"))
        elif key in cited:
            p.append(Problem(at, f"{r['component']} of {r['outcome_id']!r} has a unit cost (row {cited[key]} of unit_costs.csv or health_state_losses.csv) and is also marked {r['status']}: remove one"))
        marked.setdefault(key, r["_row"])
    for o, row in outs.iterrows():
        missing = [c for c in COSTED_COMPONENTS if (o, c) not in cited and (o, c) not in marked]
        if missing:
            p.append(Problem(
                _at("outcomes", row["_row"]),
                f"outcome {o!r}: cost component(s) {', '.join(missing)} have no unit cost and are not marked in "
                "unit_costs/cost_coverage.csv (status not_applicable or not_found, with the reason)",
            ))
    return p
