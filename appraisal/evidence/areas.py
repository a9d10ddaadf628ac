"""Where a site is: its local authority district resolved through ONS's lookups to the bodies costs land on.

The lookups are data in ``areas/`` (see ``areas/README.md``), each row dated by its vintage. A
site's district code is looked up in the latest vintage on or before the appraisal's first year
(the earliest if all are later), so an appraisal names the bodies of its time and the outputs
name the vintage used.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import pandas as pd

#: The strategic authority of a London borough (E09): the ONS combined-authority lookup has no London row.
LONDON = "Greater London Authority"
#: First letter of an ONS (GSS) code by country: only England's districts are appraised.
COUNTRIES = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


@dataclass(frozen=True)
class IcbShare:
    """One integrated care board (and sub-ICB location) serving part of a district, with the share of its people."""

    icb_code: str
    icb_name: str
    sub_icb_code: str
    sub_icb_name: str
    share: float


@dataclass(frozen=True)
class Place:
    """A site's district and the bodies over it, or why the code was not resolved.

    ``problem`` is None when the code resolved; otherwise it is a problem code and ``allowed``
    says what would be accepted (a successor code, or districts with a similar name).
    """

    code: str
    problem: str | None = None
    allowed: str = ""
    lad_name: str = ""
    utla_code: str = ""
    utla_name: str = ""
    cauth_code: str = ""
    cauth_name: str = ""
    icbs: tuple[IcbShare, ...] = field(default_factory=tuple)
    district_vintage: int | None = None
    icb_vintage: int | None = None


def _vintage(available: list[int], year: int | None) -> int:
    """The latest vintage on or before ``year``; the earliest if all are later; the latest if no year is given."""
    ordered = sorted(available)
    if year is None:
        return ordered[-1]
    earlier = [v for v in ordered if v <= year]
    return earlier[-1] if earlier else ordered[0]


@dataclass(frozen=True)
class Areas:
    """The area lookups of the library: districts, their councils, combined authorities and ICBs."""

    districts: pd.DataFrame
    lad_icb: pd.DataFrame
    history: pd.DataFrame

    def resolve(self, code: str, year: int | None = None) -> Place:
        """Resolve a district code for an appraisal starting in financial year ``year``."""
        code = code.strip().upper()
        d = self.districts
        if d.empty:
            return Place(code, "proposal.no_area_lookups", "leave it blank, or use a library with areas/local_authorities.csv")
        if code[:1] in COUNTRIES and code[:1] != "E" and len(code) == 9:
            return Place(
                code,
                "proposal.not_england",
                f"a district in England (codes start E06, E07, E08 or E09); this code is in {COUNTRIES[code[:1]]}, "
                "and the engine's evidence, costs and organisations are England's",
            )
        vintage = _vintage(list(d["vintage"].unique()), year)
        rows = d[(d["vintage"] == vintage) & (d["lad_code"] == code)]
        if rows.empty:
            return self._unknown(code, vintage)
        r = rows.iloc[0]
        i = self.lad_icb
        icb_vintage = _vintage(list(i["vintage"].unique()), year) if not i.empty else None
        mine = i[(i["vintage"] == icb_vintage) & (i["lad_code"].isin(self._codes_in(code, i, icb_vintage)))]
        icbs = tuple(
            IcbShare(x.icb_code, x.icb_name, x.sub_icb_code, x.sub_icb_name, float(x.population_share))
            for x in mine.itertuples(index=False)
        )
        london = code.startswith("E09") and not r["cauth_name"]
        return Place(
            code,
            lad_name=r["lad_name"],
            utla_code=r["utla_code"],
            utla_name=r["utla_name"],
            cauth_code=r["cauth_code"],
            cauth_name=LONDON if london else r["cauth_name"],
            icbs=icbs,
            district_vintage=int(vintage),
            icb_vintage=None if icb_vintage is None else int(icb_vintage),
        )

    def _codes_in(self, code: str, table: pd.DataFrame, vintage: int | None) -> list[str]:
        """The district's code as a lookup of another vintage has it: itself, or the codes it replaced."""
        have = set(table.loc[table["vintage"] == vintage, "lad_code"])
        if code in have:
            return [code]
        h = self.history
        return [c for c in h.loc[h["new_code"] == code, "old_code"] if c in have]

    def _unknown(self, code: str, vintage: int) -> Place:
        """A code not in the vintage used: a retired code with its successors, or districts of a similar name."""
        h = self.history[self.history["old_code"] == code]
        if not h.empty:
            successors = ", ".join(f"{r.new_code} ({r.new_name})" for r in h.itertuples(index=False))
            return Place(
                code,
                "proposal.retired_area_code",
                f"this code ({h['old_name'].iloc[0]}) was replaced in {int(h['changed_year'].iloc[0])}: use {successors}",
            )
        d = self.districts[self.districts["vintage"] == vintage]
        names = dict(zip(d["lad_name"].str.casefold(), zip(d["lad_code"], d["lad_name"])))
        near = difflib.get_close_matches(code.casefold(), list(names), n=3, cutoff=0.6)
        if near:
            hint = "; ".join(f"{names[n][0]} ({names[n][1]})" for n in near)
            return Place(code, "proposal.unknown_area_code", f"an ONS district code; did you mean {hint}?")
        return Place(
            code,
            "proposal.unknown_area_code",
            f"an ONS code of a district of England in the {vintage} lookup (E06, E07, E08 or E09 and six digits, "
            "e.g. E08000003 for Manchester); the list is in areas/local_authorities.csv",
        )
