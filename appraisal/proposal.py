"""A development proposal: site, population, occupancy, baseline, options, settings.

The models check the shape of a proposal (types, signs, required fields);
:func:`check_proposal` checks it against the evidence library (known
characteristics, valid ranges, age bands, price years). Both report every
problem at once, each naming the field as a dotted path such as
``options.strategic.pm25``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from appraisal.errors import InField, InFile, Problem, ProposalError
from appraisal.evidence.library import Library, load_library


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Site(_Model):
    """Where the development is."""

    name: str = Field(min_length=1, description="Name of the site or scheme.")
    local_authority: str | None = Field(None, description="Local authority the site is in.")


class Population(_Model):
    """Residents at full occupancy: a total, or counts by the library's age bands.

    A total is spread over England's age structure (``pathways/population.csv``).
    """

    total: float | None = Field(None, ge=0, description="All residents at full occupancy.")
    by_age_band: dict[str, float] | None = Field(
        None, description='Residents by age band, e.g. {"0-4": 120, ..., "90+": 10}.'
    )

    @field_validator("by_age_band")
    @classmethod
    def _non_negative(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is not None:
            bad = {k: x for k, x in v.items() if not (x >= 0 and math.isfinite(x))}
            if bad:
                raise ValueError(f"residents must be 0 or more; found {bad}")
        return v


class Settings(_Model):
    """How the appraisal is run.

    Years are calendar years; the appraisal's year 0 is ``start_year`` and
    present values are discounted to it. ``price_year`` is the financial year
    (start year, e.g. 2024 for 2024-25) in whose prices all money is shown.
    """

    start_year: int = Field(ge=1990, le=2100, description="First year of the appraisal (year 0).")
    period_years: int = Field(ge=1, le=125, description="Number of years appraised.")
    price_year: int = Field(description="Price base of all money, a financial year start (2024 = 2024-25).")
    discounting: Literal["green_book", "standard", "none"] = Field(
        "green_book",
        description="green_book: standard schedule for financial costs, health schedule for health-valued costs; "
        "standard: the standard schedule for everything (a sensitivity test); none: no discounting.",
    )
    effect_lag_years: int = Field(0, ge=0, description="Years after start_year before effects begin.")
    ramp_years: int = Field(0, ge=0, description="Years over which effects build linearly to full strength.")
    mortality_valuation: Literal["life_years", "vpf"] = Field(
        "life_years",
        description="Value deaths by discounted life-years lost (QALY value) or by the value of a prevented fatality.",
    )


class Proposal(_Model):
    """A development proposal to appraise.

    ``baseline`` and each option map characteristic ids to values in the
    characteristic's unit. An option that omits a characteristic keeps its
    baseline value. ``occupancy`` maps calendar years to the share of the
    full population in residence; a year not listed takes the latest listed
    year before it (0 before the first).
    """

    site: Site
    population: Population
    occupancy: dict[int, float] = Field(description="Share of full occupancy (0-1) by year.")
    baseline: dict[str, float]
    options: dict[str, dict[str, float]] = Field(min_length=1)
    settings: Settings

    @field_validator("occupancy")
    @classmethod
    def _shares(cls, v: dict[int, float]) -> dict[int, float]:
        bad = {y: s for y, s in v.items() if not (0 <= s <= 1)}
        if bad:
            raise ValueError(f"occupancy shares must be between 0 and 1; found {bad}")
        if not v:
            raise ValueError("give at least one year of occupancy")
        return v


def check_proposal(proposal: Proposal, library: Library) -> list[Problem]:
    """Problems with a structurally valid proposal, judged against the library."""
    p: list[Problem] = []
    pop = proposal.population
    if (pop.total is None) == (pop.by_age_band is None):
        p.append(Problem("proposal.population_one_way", InField("population"), allowed="give either total or by_age_band, not both and not neither"))
    if pop.by_age_band is not None:
        labels = library.band_labels
        for band in pop.by_age_band:
            if band not in labels:
                p.append(Problem("proposal.unknown_age_band", InField(f"population.by_age_band.{band}"), band, f"allowed: {', '.join(labels)}"))
        missing = [b for b in labels if b not in pop.by_age_band]
        if missing:
            p.append(Problem("proposal.missing_age_band", InField("population.by_age_band"), allowed=f"missing age band(s) {', '.join(missing)}: give 0 where there are no residents"))

    p += check_values(proposal.baseline, proposal.options, library)
    s = proposal.settings
    years = set(int(y) for y in library.price_index["year"])
    if s.price_year not in years:
        p.append(Problem("proposal.price_year", InField("settings.price_year"), s.price_year, f"allowed: {min(years)} to {max(years)}"))
    last = s.start_year + s.period_years - 1
    outside = [y for y in proposal.occupancy if not s.start_year <= y <= last]
    if outside:
        p.append(Problem("proposal.occupancy_outside_period", InField("occupancy"), allowed=f"year(s) {', '.join(map(str, sorted(outside)))} fall outside the appraisal period {s.start_year}-{last}"))
    return p


def check_values(baseline: dict, options: dict, library: Library) -> list[Problem]:
    """Problems with characteristic values: unknown ids, values out of range, missing baselines.

    Works on plain mappings too (values that are not numbers are skipped: the
    proposal model reports those), so it can run on a proposal whose shape is broken.
    """
    p: list[Problem] = []
    chars = {c["characteristic_id"]: c for c in library.characteristics.to_dict("records")}
    allowed = ", ".join(chars)
    links = library.default_links
    positive_only = set(links.loc[links["form"] == "power", "from_id"])

    mediators = set(library.mediators["mediator_id"])
    feeds = {m: sorted(set(links.loc[links["to_id"] == m, "from_id"])) for m in mediators}

    def check(place: str, cid: object, x: object) -> None:
        if cid in mediators:
            p.append(Problem("proposal.mediator_set", InField(place), cid, f"{cid!r} is a mediator, not set by the proposal: the engine works it out from {', '.join(feeds[cid]) or 'its links'}; remove it"))
            return
        if cid not in chars:
            p.append(Problem("proposal.unknown_characteristic", InField(place), cid, f"unknown characteristic {cid!r}; allowed: {allowed}"))
            return
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            return
        c = chars[cid]
        lo, hi = c["valid_min"], c["valid_max"]
        if not math.isfinite(x):
            p.append(Problem("proposal.not_number", InField(place), x, f"{x!r} is not a number; {c['name']} is in {c['unit']}"))
        elif (not math.isnan(lo) and x < lo) or (not math.isnan(hi) and x > hi):
            p.append(Problem("proposal.out_of_range", InField(place), x, f"{x:g} is outside the valid range of {c['name']}: {valid_range_text(lo, hi, c['unit'])}"))
        elif x <= 0 and cid in positive_only:
            p.append(Problem("proposal.not_positive", InField(place), x, f"{x:g} must be above 0: {c['name']} acts through a power model (risk in proportion to {c['unit']} raised to a power)"))

    baseline = baseline if isinstance(baseline, dict) else {}
    for cid, x in baseline.items():
        check(f"baseline.{cid}", cid, x)
    for name, values in (options if isinstance(options, dict) else {}).items():
        for cid, x in (values if isinstance(values, dict) else {}).items():
            check(f"options.{name}.{cid}", cid, x)
            if cid in chars and cid not in baseline:
                p.append(Problem("proposal.no_baseline", InField(f"options.{name}.{cid}"), allowed=f"missing baseline value: set baseline.{cid} so the option can be compared with it"))
    return p


def valid_range_text(lo: float, hi: float, unit: str) -> str:
    """A characteristic's valid range in words, e.g. ``"1 ug/m3 or more"``; NaN means unbounded.

    A share, whose unit already names its range, reads ``"a share from 0 to 1"``.
    """
    if unit.startswith("share"):
        return f"a share from {lo:g} to {hi:g}"
    if math.isnan(lo) and math.isnan(hi):
        return f"any number in {unit}"
    if math.isnan(hi):
        return f"{lo:g} {unit} or more"
    if math.isnan(lo):
        return f"at most {hi:g} {unit}"
    return f"from {lo:g} to {hi:g} {unit}"


def allowed_text(lo: float, hi: float, unit: str) -> str:
    """What a characteristic's value must be, e.g. ``"a number in ug/m3, 0 ug/m3 or more"`` or ``"a share from 0 to 1"``."""
    rng = valid_range_text(lo, hi, unit)
    return rng if unit.startswith("share") else f"a number in {unit}, {rng}"


_PLAIN = {
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be text",
    "dict_type": "must be a list of named entries (name: value)",
    "literal_error": "must be one of {expected}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "too_short": "must have at least {min_length} entry",
}


#: The problem code of each pydantic error type.
_CODES = {
    "missing": "proposal.required",
    "extra_forbidden": "proposal.unknown_field",
    "float_parsing": "proposal.not_number",
    "float_type": "proposal.not_number",
    "int_parsing": "proposal.not_whole",
    "int_type": "proposal.not_whole",
    "int_from_float": "proposal.not_whole",
    "string_type": "proposal.not_text",
    "dict_type": "proposal.not_mapping_field",
    "literal_error": "proposal.not_choice",
    "greater_than_equal": "proposal.below_minimum",
    "less_than_equal": "proposal.above_maximum",
    "too_short": "proposal.too_few",
}


def _pydantic_problems(exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        place = ".".join(str(part) for part in err["loc"]) or "proposal"
        found = err.get("input")
        if err["type"] == "missing":
            msg = "is required"
        elif err["type"] == "extra_forbidden":
            msg = "is not a field of a proposal here; check the spelling"
        else:
            plain = _PLAIN.get(err["type"])
            ctx = {k: f"{v:g}" if isinstance(v, (int, float)) else v for k, v in err.get("ctx", {}).items()}
            msg = plain.format(**ctx) if plain else err["msg"].removeprefix("Value error, ")
        code = _CODES.get(err["type"], "proposal.invalid")
        if err["type"] in ("missing", "extra_forbidden") or isinstance(found, dict):
            out.append(Problem(code, InField(place), allowed=msg))
        else:
            out.append(Problem(code, InField(place), found, msg))
    return out


def make_proposal(data: dict, library: Library | None = None, what: str = "The proposal") -> Proposal:
    """Build and check a proposal from plain data (as read from YAML or Excel).

    Raises
    ------
    ProposalError
        With every problem found.
    """
    if not isinstance(data, dict):
        raise ProposalError(what, [Problem("proposal.not_mapping", InField("proposal"), allowed="must be a mapping of site, population, occupancy, baseline, options, settings")])
    library = library or load_library()
    try:
        proposal = Proposal.model_validate(data)
    except ValidationError as exc:
        problems = _pydantic_problems(exc)
        seen = {q.place for q in problems}
        problems += [q for q in check_values(data.get("baseline"), data.get("options"), library) if q.place not in seen]
        raise ProposalError(what, problems) from None
    problems = check_proposal(proposal, library)
    if problems:
        raise ProposalError(what, problems)
    return proposal


def load_proposal(path: str | Path, library: Library | None = None) -> Proposal:
    """Read a proposal from a filled Excel template (.xlsx) or a YAML file, and check it against the library.

    Raises
    ------
    ProposalError
        If the file cannot be read or the proposal has problems (all of them listed,
        each naming its sheet and cell, or its field).
    """
    path = Path(path)
    what = f"Proposal {path}"
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls"):
        from appraisal.workbook.template import read_template

        return read_template(path, library)
    if suffix not in (".yaml", ".yml"):
        raise ProposalError(what, [Problem("file.kind", InFile(str(path)), allowed="a proposal must be a filled Excel template (.xlsx) or a .yaml file")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProposalError(what, [Problem("file.missing", InFile(str(path)), allowed="file not found")]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProposalError(what, [Problem("file.not_yaml", InFile(str(path)), allowed=f"is not valid YAML: {exc}")]) from None
    return make_proposal(data, library, what)
