"""The business case: scheme costs with optimism bias, additionality, value for money, and where fiscal flows land.

Pure functions over arrays and the library's tables; :class:`appraisal.result.Result` turns them
into tables. Signs: a scheme cost is positive; a benefit is minus the change in cost the engine
reports (a saving is a benefit).

Definitions (HM Treasury, The Green Book 2022, chapter 5 and annex A6, unless said otherwise):

* present value of costs (PVC): the scheme's public-sector costs, uplifted for optimism bias and
  discounted with the standard schedule; costs paid by developers and other private payers are
  reported beside it and counted in the net present social value;
* present value of benefits (PVB): the benefits by value type, each counted once
  (``unit_costs/value_types.csv``: transfers excluded, lost tax counted in lost output), times the
  additionality factor;
* net present social value: ``NPSV = PVB - PVC - private costs``;
* benefit-cost ratio: ``BCR = PVB / PVC``, public spending as the cost base;
* switching value: the share by which benefits can fall before the BCR reaches 1, ``1 - PVC / PVB``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal.evidence.areas import Place
from appraisal.evidence.library import Library
from appraisal.proposal import PRIVATE_PAYERS, Payer, Proposal, Settings

#: Scheme-cost kinds, in the order of the ``kind`` axis.
COST_KINDS = ("capital", "revenue")


@dataclass(frozen=True)
class OptimismBias:
    """The uplifts applied to scheme costs (shares), and where each came from."""

    capital: float
    revenue: float
    capital_basis: str
    revenue_basis: str


def optimism_bias(settings: Settings, library: Library) -> OptimismBias:
    """The optimism-bias uplifts: as set, else the project type's upper bound (``unit_costs/optimism_bias.csv``).

    The Green Book's supplementary guidance has appraisers start from the upper bound of their
    project type and reduce it only as risks are managed; the table gives a capital rate for every
    type and an operating-cost rate for outsourcing only, so revenue costs of other types are not
    uplifted unless a rate is set.
    """
    table = library.optimism_bias
    rows = table[table["project_type"] == settings.project_type.value].set_index("applies_to")
    name = settings.project_type.value.replace("_", " ")

    def pick(kind: str, set_value: float | None) -> tuple[float, str]:
        if set_value is not None:
            return float(set_value), "as set"
        if kind in rows.index:
            cite = library.sources.set_index("source_id").loc[rows.loc[kind, "source"]]
            return float(rows.loc[kind, "upper_percent"]) / 100.0, f"upper bound for {name}, {cite['authors']} ({cite['year']})"
        return 0.0, f"none: no published {kind} rate for {name}"

    cap, cap_basis = pick("capital", settings.optimism_bias_capital)
    rev, rev_basis = pick("revenue", settings.optimism_bias_revenue)
    return OptimismBias(cap, rev, cap_basis, rev_basis)


def additionality_factor(settings: Settings) -> float:
    r"""Share of gross benefits that are additional.

    .. math:: f = (1 - \text{deadweight}) (1 - \text{displacement}) (1 - \text{leakage})

    the net additional impact of the additionality guidance (English Partnerships 2008; Homes and
    Communities Agency 2014) without substitution or multiplier effects.
    """
    return (1.0 - settings.deadweight) * (1.0 - settings.displacement) * (1.0 - settings.leakage)


def scheme_costs(proposal: Proposal, options: list[str], years: np.ndarray) -> np.ndarray:
    """``[option, payer, kind, year]`` scheme costs as given (£, price year, before optimism bias)."""
    payers = list(Payer)
    out = np.zeros((len(options), len(payers), len(COST_KINDS), len(years)))
    first = int(years[0])
    for option, entries in proposal.scheme_costs.items():
        o = options.index(option)
        for e in entries:
            p, y = payers.index(e.paid_by), e.year - first
            out[o, p, 0, y] += e.capital
            out[o, p, 1, y] += e.revenue
    return out


def uplifted(costs: np.ndarray, ob: OptimismBias) -> np.ndarray:
    """Scheme costs ``[..., kind, year]`` after optimism bias."""
    factor = np.array([1.0 + ob.capital, 1.0 + ob.revenue])
    return costs * factor[:, None]


def is_public(payer: Payer) -> bool:
    """A payer in the public sector, whose costs are the benefit-cost ratio's cost base."""
    return payer not in PRIVATE_PAYERS


def bcr(pvb: np.ndarray, pvc: np.ndarray) -> np.ndarray:
    """``PVB / PVC``; NaN where there is no public cost."""
    pvb, pvc = np.asarray(pvb, float), np.asarray(pvc, float)
    return np.divide(pvb, pvc, out=np.full(np.broadcast(pvb, pvc).shape, np.nan), where=pvc > 0)


def switching_value(pvb: np.ndarray, pvc: np.ndarray) -> np.ndarray:
    """Share by which the benefits can fall before the BCR reaches 1: ``1 - PVC / PVB`` (NaN without benefits or costs).

    Negative when the BCR is already below 1: the benefits would have to rise by that share.
    """
    pvb, pvc = np.asarray(pvb, float), np.asarray(pvc, float)
    return np.divide(pvb - pvc, pvb, out=np.full(np.broadcast(pvb, pvc).shape, np.nan), where=(pvb > 0) & (pvc > 0))


def vfm_category(ratio: float, categories: pd.DataFrame) -> str:
    """The value-for-money category whose BCR range holds ``ratio`` (from inclusive, to exclusive); '' for NaN."""
    if np.isnan(ratio):
        return ""
    for r in categories.itertuples(index=False):
        lo = -np.inf if np.isnan(r.bcr_from) else r.bcr_from
        hi = np.inf if np.isnan(r.bcr_to) else r.bcr_to
        if lo <= ratio < hi:
            return str(r.category)
    return ""


def payback_year(gain: np.ndarray, paid: np.ndarray, years: np.ndarray) -> int | None:
    """First year in which the cumulative discounted fiscal gain reaches the cumulative discounted cost paid.

    None if it never does within the period, or if nothing is paid.
    """
    if not paid.any():
        return None
    net = np.cumsum(gain - paid)
    reached = np.flatnonzero((net >= 0) & (np.cumsum(paid) > 0))
    return int(years[reached[0]]) if reached.size else None


#: Organisations by role: how a flow's name is formed from the site's place. ``{utla}`` is the
#: upper-tier council's name; ICB flows are split over the district's ICBs by its population.
ROLE_NAMES = {
    "upper_tier_council_adult_social_care": "{utla} council: adult social care",
    "upper_tier_council_education": "{utla} council: education",
    "hm_treasury": "HM Treasury (government share of lost output, mostly tax and national insurance)",
    "dwp": "Department for Work and Pensions (benefits)",
    "criminal_justice": "Police, courts and prisons",
    "households": "Households and individuals",
    "employers": "Employers",
    "informal_carers": "Informal (unpaid) carers",
}

#: Names used when the proposal gives no local authority.
UNPLACED = {"utla": "The site's upper-tier", "icb": "The site's integrated care board"}


def organisations_of(role: str, place: Place | None) -> list[tuple[str, float]]:
    """The organisations a flow of a role lands on, with the share each takes: ``[(name, share)]``."""
    if role == "icb":
        if place is None or not place.icbs:
            return [(UNPLACED["icb"], 1.0)]
        shares: dict[str, float] = {}
        for icb in place.icbs:
            shares[icb.icb_name] = shares.get(icb.icb_name, 0.0) + icb.share
        return list(shares.items())
    utla = place.utla_name if place is not None else UNPLACED["utla"]
    return [(ROLE_NAMES[role].format(utla=utla), 1.0)]


def body_of(organisation: str) -> str:
    """The body an organisation's flow belongs to: ``"Salford council: adult social care" -> "Salford council"``."""
    return organisation.split(": ", 1)[0]


def payers_of(payer: Payer, place: Place | None) -> list[tuple[str, float]]:
    """The bodies a payer of scheme costs names, with the share each pays: an ICB payment of a district that two
    ICBs serve is split by the share of its people each serves, as its NHS flows are."""
    if payer is Payer.ICB:
        return organisations_of("icb", place)
    return [(payer_name(payer, place), 1.0)]


def payer_name(payer: Payer, place: Place | None) -> str:
    """The body a payer of scheme costs names, for the site's place (the site's ICBs, where two serve it)."""
    if payer is Payer.ICB:
        shares = organisations_of("icb", place)
        return shares[0][0] if len(shares) == 1 else "The site's ICBs (split by their share of its people)"
    if payer is Payer.UPPER_TIER_COUNCIL:
        return f"{place.utla_name if place is not None else UNPLACED['utla']} council"
    if payer is Payer.DISTRICT_COUNCIL:
        return f"{place.lad_name} council" if place is not None else "The site's district council"
    if payer is Payer.COMBINED_AUTHORITY:
        if place is not None and place.cauth_name:
            return place.cauth_name if "Authority" in place.cauth_name else f"{place.cauth_name} Combined Authority"
        return "The site's combined or strategic authority"
    return {
        Payer.NHS_ENGLAND: "NHS England",
        Payer.CENTRAL_GOVERNMENT: "Central government",
        Payer.OTHER_PUBLIC: "Other public bodies",
        Payer.DEVELOPER: "Developer",
        Payer.OTHER_PRIVATE: "Other private payers",
    }[payer]
