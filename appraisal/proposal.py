"""A development proposal: site, population, occupancy, baseline, options, settings.

The models check the shape of a proposal (types, signs, required fields);
:func:`check_proposal` checks it against the evidence library (known
characteristics, valid ranges, age bands, price years). Both report every
problem at once, each naming the field as a dotted path such as
``options.strategic.pm25``.
"""

from __future__ import annotations

import difflib
import math
import re
from enum import StrEnum
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError

from appraisal.errors import InField, Problem, ProposalError
from appraisal.evidence.library import Library, load_library


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: A number of residents: finite, 0 or more.
Residents = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
#: A share of full occupancy: from 0 to 1.
OccupancyShare = Annotated[float, Strict(), Field(ge=0, le=1)]
#: A characteristic's value: a number (a whole number is taken as one); never ``yes``/``true`` or text,
#: which a loose reading would turn into 1 or a number without a word.
Value = Annotated[float, Strict()]
#: A whole number, never ``true`` or a number with a fraction.
Whole = Annotated[int, Strict()]


class Site(_Model):
    """Where the development is."""

    name: str = Field(min_length=1, max_length=200, description="Name of the site or scheme (at most 200 characters).")
    local_authority: str | None = Field(
        None,
        description="ONS code (GSS) of the local authority district the site is in, e.g. E08000003 for Manchester: "
        "it names the integrated care board, councils and combined authority costs land on.",
    )


class Population(_Model):
    """Residents at full occupancy: a total, or counts by the library's age bands.

    A total is spread over England's age structure (``pathways/population.csv``).
    """

    total: Residents | None = Field(None, description="All residents at full occupancy.")
    by_age_band: dict[str, Residents] | None = Field(
        None, description='Residents by age band, e.g. {"0-4": 120, ..., "90+": 10}.'
    )


class Discounting(StrEnum):
    """How present values are discounted."""

    GREEN_BOOK = "green_book"
    STANDARD = "standard"
    NONE = "none"


class DeathValuation(StrEnum):
    """How a death is valued."""

    QALYS = "qalys"
    VPF = "vpf"


class Payer(StrEnum):
    """Who pays part of a scheme's costs; the site's local authority names the body (see ``areas/``)."""

    COMBINED_AUTHORITY = "combined_authority"
    UPPER_TIER_COUNCIL = "upper_tier_council"
    DISTRICT_COUNCIL = "district_council"
    ICB = "icb"
    NHS_ENGLAND = "nhs_england"
    CENTRAL_GOVERNMENT = "central_government"
    OTHER_PUBLIC = "other_public"
    DEVELOPER = "developer"
    OTHER_PRIVATE = "other_private"


#: Payers outside the public sector: their costs count in the net present social value but not in the
#: public-sector cost base of the benefit-cost ratio.
PRIVATE_PAYERS = (Payer.DEVELOPER, Payer.OTHER_PRIVATE)

#: A sum of money: finite, 0 or more, and at most £1 trillion (a scheme's cost, in pounds, not pence).
Money = Annotated[float, Strict(), Field(ge=0, le=1e12, allow_inf_nan=False)]
#: A share from 0 to 1.
Share = Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)]
#: An optimism-bias uplift: a share of the cost, 0 to 3 (the published upper bounds reach 2, equipment and development).
Uplift = Annotated[float, Strict(), Field(ge=0, le=3, allow_inf_nan=False)]


class SchemeCost(_Model):
    """One year's cost of an option to one payer, in the appraisal's price year (real terms)."""

    year: Whole = Field(description="Financial year the cost falls in (2027 = 2027-28).")
    capital: Money = Field(0.0, description="Capital cost, £ in the price year's prices, before optimism bias.")
    revenue: Money = Field(0.0, description="Revenue (running) cost, £ in the price year's prices, before optimism bias.")
    paid_by: Payer = Field(description="Who pays it.")


class ProjectType(StrEnum):
    """Project types of the optimism-bias table (``unit_costs/optimism_bias.csv``)."""

    STANDARD_BUILDINGS = "standard_buildings"
    NON_STANDARD_BUILDINGS = "non_standard_buildings"
    STANDARD_CIVIL_ENGINEERING = "standard_civil_engineering"
    NON_STANDARD_CIVIL_ENGINEERING = "non_standard_civil_engineering"
    EQUIPMENT_DEVELOPMENT = "equipment_development"
    OUTSOURCING = "outsourcing"


class Settings(_Model):
    """How the appraisal is run.

    Years are financial years, named by the calendar year they start in (2027 = 2027-28, April to
    March); the appraisal's first year is ``start_year``. Present values are discounted to
    ``discount_base_year`` (the start year unless set), and all money is in ``price_year``'s prices:
    the three are set separately.
    """

    start_year: Whole = Field(ge=1990, le=2100, description="First financial year of the appraisal (2027 = 2027-28).")
    period_years: Whole = Field(ge=1, le=125, description="Number of years appraised.")
    price_year: Whole = Field(description="Price base of all money, a financial year start (2024 = 2024-25).")
    discounting: Discounting = Field(
        Discounting.GREEN_BOOK,
        description="green_book: standard schedule for financial costs, health schedule for health-valued costs; "
        "standard: the standard schedule for everything (a sensitivity test); none: no discounting.",
    )
    road_risk_on_site_share: float = Field(
        1.0,
        ge=0.0,
        le=1.0,
        description="Share of residents' road-casualty risk that arises on the site's own streets (0-1). No published "
        "source gives it: the default 1 is an upper bound, and outputs flag it when a road-casualty pathway is in play.",
    )
    mortality_valuation: DeathValuation = Field(
        DeathValuation.QALYS,
        description="Value deaths by the quality-adjusted life-years the life table finds lost, at the value of a QALY, "
        "or by the value of a prevented fatality per death brought forward or postponed among residents.",
    )
    discount_base_year: Whole | None = Field(
        None,
        ge=1990,
        le=2100,
        description="Financial year present values are discounted to (year 0 of the discount schedules); "
        "the start year if not set. It may be earlier than the start year, never later.",
    )
    project_type: ProjectType = Field(
        ProjectType.STANDARD_BUILDINGS,
        description="Project type of the optimism-bias table: sets the default uplift on scheme costs (its upper bound).",
    )
    optimism_bias_capital: Uplift | None = Field(
        None, description="Uplift on capital costs (a share, 0.24 = 24%); the project type's upper bound if not set."
    )
    optimism_bias_revenue: Uplift | None = Field(
        None,
        description="Uplift on revenue costs (a share); the project type's upper bound where the table gives one "
        "for operating costs (outsourcing), else 0.",
    )
    deadweight: Share = Field(0.0, description="Share of the benefits that would have happened without the scheme (0-1).")
    displacement: Share = Field(
        0.0, description="Share of the benefits that are offset by losses elsewhere in the area of interest (0-1)."
    )
    leakage: Share = Field(0.0, description="Share of the benefits that go to people outside the area of interest (0-1).")


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
    occupancy: dict[int, OccupancyShare] = Field(min_length=1, description="Share of full occupancy (0-1) by year.")
    baseline: dict[str, Value]
    options: dict[str, dict[str, Value]] = Field(min_length=1)
    settings: Settings
    scheme_costs: dict[str, list[SchemeCost]] = Field(
        default_factory=dict, description="Each option's costs by financial year and payer (none: no costs given)."
    )


def check_proposal(proposal: Proposal, library: Library) -> list[Problem]:
    """Problems with a structurally valid proposal, judged against the library."""
    return check_data(proposal.model_dump(), library)


def _number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_data(data: dict[str, Any], library: Library) -> list[Problem]:
    """Problems with a proposal's data judged against the library, as far as its shape allows.

    Runs on a valid proposal and on data whose shape is broken alike (a part that is
    not of the expected type is skipped: the proposal model reports it), so that every
    problem is reported at once.
    """
    p: list[Problem] = []
    pop = data.get("population")
    if isinstance(pop, dict):
        total, bands = pop.get("total"), pop.get("by_age_band")
        if (total is None) == (bands is None):
            p.append(
                Problem(
                    "proposal.population_one_way",
                    InField("population"),
                    allowed="give residents either as total or by_age_band, not both",
                )
            )
        if isinstance(bands, dict):
            labels = library.band_labels
            for band in bands:
                if band not in labels:
                    p.append(
                        Problem(
                            "proposal.unknown_age_band",
                            InField(f"population.by_age_band.{band}"),
                            band,
                            f"allowed: {', '.join(labels)}",
                        )
                    )
            missing = [b for b in labels if b not in bands]
            if missing:
                p.append(
                    Problem(
                        "proposal.missing_age_band",
                        InField("population.by_age_band"),
                        allowed=f"give {', '.join(missing)} too (0 where there are no residents)",
                    )
                )
    p += check_population_size(pop)
    p += check_values(data.get("baseline"), data.get("options"), library)
    options = data.get("options")
    p += check_text(data)
    if isinstance(options, dict) and len(options) > MAX_OPTIONS:
        p.append(
            Problem(
                "proposal.too_many_options", InField("options"), len(options), f"at most {MAX_OPTIONS} options in one proposal"
            )
        )
    if isinstance(options, dict):
        for name in options:
            if len(str(name)) > MAX_OPTION_NAME:
                p.append(
                    Problem(
                        "proposal.option_name",
                        InField(f"options.{str(name)[:40]}"),
                        name,
                        f"a name of at most {MAX_OPTION_NAME} characters (it heads every table's column)",
                    )
                )
            if str(name).casefold() == "baseline":
                p.append(
                    Problem(
                        "proposal.option_name",
                        InField(f"options.{name}"),
                        name,
                        "'baseline' names what the options are compared with: give the option another name",
                    )
                )
    settings = data.get("settings")
    s: dict[str, Any] = settings if isinstance(settings, dict) else {}
    years = set(int(y) for y in library.price_index["year"])
    if _number(s.get("price_year")) and s["price_year"] not in years:
        p.append(
            Problem(
                "proposal.price_year", InField("settings.price_year"), s["price_year"], f"allowed: {min(years)} to {max(years)}"
            )
        )
    start, period, occupancy = s.get("start_year"), s.get("period_years"), data.get("occupancy")
    if isinstance(start, int) and isinstance(period, int) and isinstance(occupancy, dict):
        last = start + period - 1
        outside = sorted(int(y) for y in occupancy if str(y).lstrip("-").isdigit() and not start <= int(y) <= last)
        if outside:
            p.append(
                Problem(
                    "proposal.occupancy_outside_period",
                    InField("occupancy"),
                    ", ".join(map(str, outside)),
                    f"allowed: years in the appraisal period {start}-{last}",
                )
            )
    base_year = s.get("discount_base_year")
    covered = _schedules_cover(library)
    if isinstance(start, int) and isinstance(period, int) and not isinstance(period, bool):
        offset = start - base_year if isinstance(base_year, int) and base_year <= start else 0
        if offset + period > covered:
            p.append(
                Problem(
                    "proposal.period_past_schedules",
                    InField("settings.period_years"),
                    period,
                    f"at most {covered - offset} years: the discount schedules (unit_costs/discount_rates.csv) cover "
                    f"{covered} years from the discount base year",
                )
            )
    if isinstance(start, int) and isinstance(base_year, int) and base_year > start:
        p.append(
            Problem(
                "proposal.base_year_after_start",
                InField("settings.discount_base_year"),
                base_year,
                f"allowed: {start} (the start year) or earlier; present values are discounted back to the base year",
            )
        )
    p += check_lags_begin(data, library, period)
    p += check_scheme_costs(data.get("scheme_costs"), options, start, period)
    la = check_local_authority(data.get("site"), library, start)
    p += la
    if not la:
        p += check_payers(data.get("site"), data.get("scheme_costs"), library, start)
    return p


def check_lags_begin(data: dict[str, Any], library: Library, period: object) -> list[Problem]:
    """A pathway of a characteristic the proposal changes whose lag gives no effect before the period ends, at the period.

    Such a pathway would count nothing, silently; the period must reach the first year of its effect.
    """
    if not isinstance(period, int) or isinstance(period, bool) or not 1 <= period <= 125:
        return []
    raw = data.get("options")
    options: dict[Any, Any] = raw if isinstance(raw, dict) else {}
    changed = {c for values in options.values() if isinstance(values, dict) for c in values}
    t = library.pathway_table
    links = library.links.set_index("link_id")["lag_id"]
    p = []
    for r in t[t["characteristic"].isin(changed)].itertuples(index=False):
        lag = str(links[r.outcome_link])
        if not lag:
            continue
        profile = library.lag_profile(lag, max(period, 1) + 200)
        first = int(np.argmax(profile > 0)) + 1 if (profile > 0).any() else 0
        if first > period:
            p.append(
                Problem(
                    "proposal.period_before_lag",
                    InField("settings.period_years"),
                    period,
                    f"at least {first} years: the effect of {r.characteristic} on {r.outcome} ({lag}, pathways/lags.csv) "
                    f"begins in year {first}, so a shorter period counts none of it",
                )
            )
    return list({q.message: q for q in p}.values())


def check_payers(site: object, costs: object, library: Library, year: object) -> list[Problem]:
    """A scheme cost paid by a combined authority where the site's district is in none, at the cost's payer."""
    code = site.get("local_authority") if isinstance(site, dict) else None
    if not isinstance(code, str) or not code.strip() or not isinstance(costs, dict):
        return []
    place = library.areas.resolve(code.strip(), year if isinstance(year, int) else None)
    if place.problem is not None or place.cauth_name:
        return []
    return [
        Problem(
            "proposal.no_combined_authority",
            InField(f"scheme_costs.{option}.{i}.paid_by"),
            "combined_authority",
            f"{place.lad_name} ({place.code}) is in no combined authority in the {place.district_vintage} lookup: name "
            "another payer (upper_tier_council, district_council, other_public, ...)",
        )
        for option, entries in costs.items()
        if isinstance(entries, list)
        for i, e in enumerate(entries)
        if isinstance(e, dict) and str(e.get("paid_by")) == "combined_authority"
    ]


#: Most options one proposal may hold (the template reads as many).
MAX_OPTIONS = 60
#: Control characters (other than tab, line feed and carriage return), which no name needs and a terminal obeys.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(data: dict[str, Any]) -> list[Problem]:
    """Text a user typed (site name, local authority, option names) holding a control character, at its field."""
    site = data.get("site") if isinstance(data.get("site"), dict) else {}
    texts: list[tuple[str, object]] = [(f"site.{k}", v) for k, v in (site or {}).items()]
    raw = data.get("options")
    texts += [(f"options.{str(k)[:40]}", k) for k in (raw if isinstance(raw, dict) else {})]
    return [
        Problem(
            "proposal.control_character",
            InField(field),
            repr(value)[:80],
            "text without control characters (escape codes, bells, form feeds)",
        )
        for field, value in texts
        if isinstance(value, str) and CONTROL.search(value)
    ]


#: Longest option name: it heads columns of every table and the printed summary.
MAX_OPTION_NAME = 60

#: Most residents a site may have: more than any English local authority (about 1.1 million) by far.
MAX_RESIDENTS = 10_000_000


def check_population_size(pop: object) -> list[Problem]:
    """A site's residents above :data:`MAX_RESIDENTS`, at the field that gives them."""
    if not isinstance(pop, dict):
        return []
    total, bands = pop.get("total"), pop.get("by_age_band")
    if isinstance(total, (int, float)) and not isinstance(total, bool) and total > MAX_RESIDENTS:
        return [
            Problem("proposal.population_too_large", InField("population.total"), total, f"at most {MAX_RESIDENTS:,} residents")
        ]
    if isinstance(bands, dict):
        numbers = [x for x in bands.values() if _number(x) and math.isfinite(x)]
        if sum(numbers) > MAX_RESIDENTS:
            return [
                Problem(
                    "proposal.population_too_large",
                    InField("population.by_age_band"),
                    sum(numbers),
                    f"at most {MAX_RESIDENTS:,} residents in all",
                )
            ]
    return []


def _schedules_cover(library: Library) -> int:
    """Years from the discount base year that both Green Book schedules cover (their shorter last year, plus 1)."""
    r = library.discount_rates
    return int(min(r.loc[r["schedule"] == s, "year_to"].max() for s in ("standard", "health"))) + 1


def check_scheme_costs(costs: object, options: object, start: object, period: object) -> list[Problem]:
    """Problems with scheme costs: options that are not in the proposal, and years outside the appraisal period."""
    p: list[Problem] = []
    if not isinstance(costs, dict):
        return p
    names = list(options) if isinstance(options, dict) else []
    for option, entries in costs.items():
        if names and option not in names:
            p.append(
                Problem(
                    "proposal.costs_unknown_option",
                    InField(f"scheme_costs.{option}"),
                    option,
                    f"allowed: an option of the proposal ({', '.join(map(str, names))})",
                )
            )
        if not (isinstance(entries, list) and isinstance(start, int) and isinstance(period, int)):
            continue
        last = start + period - 1
        for i, entry in enumerate(entries):
            year = entry.get("year") if isinstance(entry, dict) else None
            if isinstance(year, int) and not isinstance(year, bool) and not start <= year <= last:
                p.append(
                    Problem(
                        "proposal.cost_outside_period",
                        InField(f"scheme_costs.{option}.{i}.year"),
                        year,
                        f"allowed: a financial year of the appraisal period, {start} to {last} ({_fy(start)} to {_fy(last)})",
                    )
                )
    return p


def _fy(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def check_local_authority(site: object, library: Library, year: object) -> list[Problem]:
    """The site's local authority: an English district's ONS code the library's area lookups know.

    A retired code is named with its successor; a code of Wales, Scotland or Northern Ireland is refused
    (the engine's evidence and organisations are England's); text that is not a code is matched against
    the districts' names.
    """
    code = site.get("local_authority") if isinstance(site, dict) else None
    if not isinstance(code, str) or not code.strip():
        return []
    areas = library.areas
    found = areas.resolve(code.strip(), year if isinstance(year, int) else None)
    if found.problem is None:
        return []
    return [Problem(found.problem, InField("site.local_authority"), code, found.allowed)]


def check_values(baseline: object, options: object, library: Library) -> list[Problem]:
    """Problems with characteristic values: unknown ids, values out of range, missing baselines.

    Works on plain mappings too (values that are not numbers are skipped: the
    proposal model reports those), so it can run on a proposal whose shape is broken.
    """
    p: list[Problem] = []
    chars = {c["characteristic_id"]: c for c in library.characteristics.to_dict("records")}
    links = library.default_links
    positive_only = set(links.loc[links["form"] == "power", "from_id"])
    mediators = set(library.mediators["mediator_id"])
    feeds = {m: sorted(set(links.loc[links["to_id"] == m, "from_id"])) for m in mediators}

    bands_of: dict[str, list[str]] = {}
    for cid, c in chars.items():
        if c["band_of"]:
            bands_of.setdefault(c["band_of"], []).append(cid)

    def check(place: InField, cid: object, x: object) -> None:
        if cid in bands_of:
            p.append(
                Problem(
                    "proposal.set_by_bands",
                    place,
                    x,
                    f"give the share of dwellings in each band instead ({', '.join(bands_of[str(cid)])}; "
                    "the rest are below the lowest band); a single level would put every resident at it",
                )
            )
            return
        if cid in mediators:
            p.append(
                Problem(
                    "proposal.mediator_set",
                    place,
                    cid,
                    f"the engine works it out from {', '.join(feeds[str(cid)]) or 'its links'}; remove it",
                )
            )
            return
        if cid not in chars:
            near = difflib.get_close_matches(str(cid), list(chars), n=1)
            hint = f"did you mean {near[0]}? " if near else ""
            p.append(Problem("proposal.unknown_characteristic", place, cid, f"{hint}allowed: {', '.join(chars)}"))
            return
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            return
        c = chars[str(cid)]
        lo, hi = c["valid_min"], c["valid_max"]
        allowed = f"allowed: {allowed_text(lo, hi, c['unit'], c['value_kind'])} ({c['name']})"
        if not math.isfinite(x):
            p.append(Problem("proposal.not_number", place, x, allowed))
        elif (not math.isnan(lo) and x < lo) or (not math.isnan(hi) and x > hi):
            p.append(Problem("proposal.out_of_range", place, x, allowed))
        elif x <= 0 and cid in positive_only:
            p.append(
                Problem(
                    "proposal.not_positive",
                    place,
                    x,
                    f"{c['name']} is in {c['unit']}; risk is in proportion to it raised to a power",
                )
            )

    base = baseline if isinstance(baseline, dict) else {}
    for cid, x in base.items():
        check(InField(f"baseline.{cid}"), cid, x)

    def check_band_sums(where: str, values: dict[str, Any]) -> None:
        for parent, members in bands_of.items():
            shares = [values[b] for b in members if _number(values.get(b))]
            if shares and sum(shares) > 1.0 + 1e-9:
                p.append(
                    Problem(
                        "proposal.band_shares_sum",
                        InField(f"{where}.{members[0]}"),
                        round(sum(shares), 6),
                        f"the shares of dwellings in the bands of {chars[parent]['name']} add to 1 or less",
                    )
                )

    check_band_sums("baseline", base)
    for name, values in (options if isinstance(options, dict) else {}).items():
        if isinstance(values, dict):
            check_band_sums(f"options.{name}", {**base, **values})
    for name, values in (options if isinstance(options, dict) else {}).items():
        for cid, x in (values if isinstance(values, dict) else {}).items():
            check(InField(f"options.{name}.{cid}"), cid, x)
            if cid in chars and cid not in base:
                p.append(
                    Problem(
                        "proposal.no_baseline",
                        InField(f"options.{name}.{cid}"),
                        x,
                        f"set baseline.{cid} so the option can be compared with it",
                    )
                )
    return p


def valid_range_text(lo: float, hi: float, unit: str, kind: str) -> str:
    """A characteristic's valid range in words, e.g. ``"1 ug/m3 or more"``; NaN means unbounded.

    A share (``kind`` ``share``, as ``value_kind`` in ``pathways/characteristics.csv``), whose unit
    already names its range, reads ``"a share from 0 to 1"``.
    """
    if kind == "share":
        return f"a share from {lo:g} to {hi:g}"
    if math.isnan(lo) and math.isnan(hi):
        return f"any number in {unit}"
    if math.isnan(hi):
        return f"{lo:g} {unit} or more"
    if math.isnan(lo):
        return f"at most {hi:g} {unit}"
    return f"from {lo:g} to {hi:g} {unit}"


def allowed_text(lo: float, hi: float, unit: str, kind: str) -> str:
    """What a characteristic's value must be, e.g. ``"a number in ug/m3, 0 ug/m3 or more"`` or ``"a share from 0 to 1"``."""
    rng = valid_range_text(lo, hi, unit, kind)
    return rng if kind == "share" else f"a number in {unit}, {rng}"


#: Pydantic error types, as problem codes and what is allowed.
_PYDANTIC = {
    "missing": ("proposal.required", ""),
    "extra_forbidden": ("proposal.unknown_field", "check the spelling"),
    "float_parsing": ("proposal.not_number", "allowed: a number"),
    "float_type": ("proposal.not_number", "allowed: a number"),
    "int_parsing": ("proposal.not_whole", "allowed: a whole number"),
    "int_type": ("proposal.not_whole", "allowed: a whole number"),
    "int_from_float": ("proposal.not_whole", "allowed: a whole number"),
    "string_type": ("proposal.not_text", "allowed: text"),
    "string_too_short": ("proposal.blank", "allowed: text"),
    "string_too_long": ("proposal.too_long", "allowed: text of at most {max_length} characters"),
    "dict_type": ("proposal.not_mapping_field", "allowed: entries written name: value"),
    "enum": ("proposal.not_choice", "allowed: {expected}"),
    "literal_error": ("proposal.not_choice", "allowed: {expected}"),
    "greater_than_equal": ("proposal.below_minimum", "allowed: {ge} or more"),
    "less_than_equal": ("proposal.above_maximum", "allowed: at most {le}"),
    "too_short": ("proposal.too_few", "allowed: at least {min_length} entry"),
}


def pydantic_problems(exc: ValidationError) -> list[Problem]:
    """Each pydantic validation error as a :class:`Problem` at its field path."""
    out = []
    for err in exc.errors():
        place = InField(".".join(str(part) for part in err["loc"]) or "proposal")
        code, allowed = _PYDANTIC.get(err["type"], ("proposal.invalid", err["msg"].removeprefix("Value error, ")))
        ctx = {k: f"{v:g}" if isinstance(v, (int, float)) else v for k, v in err.get("ctx", {}).items()}
        found = err.get("input")
        if err["type"] == "missing" or isinstance(found, dict):
            out.append(Problem(code, place, allowed=allowed.format(**ctx)))
        else:
            out.append(Problem(code, place, found, allowed.format(**ctx)))
    return out


def _with_unit(problem: Problem, library: Library) -> Problem:
    """A characteristic's value that is not a number is told the characteristic's unit and range."""
    parts = str(problem.place).split(".")
    cid = parts[-1] if parts[0] in ("baseline", "options") and problem.code == "proposal.not_number" else None
    chars = library.characteristics.set_index("characteristic_id")
    if cid not in chars.index:
        return problem
    c = chars.loc[cid]
    allowed = f"allowed: {allowed_text(c['valid_min'], c['valid_max'], c['unit'], c['value_kind'])} ({c['name']})"
    return Problem(problem.code, problem.place, problem.found, allowed)


def make_proposal(data: object, library: Library | None = None, what: str = "The proposal") -> Proposal:
    """Build and check a proposal from plain data (as read from YAML or Excel, or written in Python).

    Raises
    ------
    ProposalError
        With every problem found.
    """
    if not isinstance(data, dict):
        raise ProposalError(what, [Problem("proposal.not_mapping", InField("proposal"), type(data).__name__)])
    library = library or load_library()
    try:
        proposal = Proposal.model_validate(data)
    except ValidationError as exc:
        problems = [_with_unit(q, library) for q in pydantic_problems(exc)]
        seen = {q.place for q in problems}
        problems += [q for q in check_data(data, library) if q.place not in seen]
        raise ProposalError(what, problems) from None
    problems = check_proposal(proposal, library)
    if problems:
        raise ProposalError(what, problems)
    return proposal
