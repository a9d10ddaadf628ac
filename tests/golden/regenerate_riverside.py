"""Write the bundled example's headline figures to ``tests/golden/riverside_headline.csv``.

    python tests/golden/regenerate_riverside.py

Run it on purpose only, when a change is meant to move the example's results, and
say in the commit why the figures moved. ``tests/test_regression.py`` compares a
fresh appraisal of ``examples/riverside.yaml`` with this file, so an unintended
shift (1% or far less) in any headline figure fails a test.

Figures kept: present value by option and bearer (central), change in cases,
deaths, life-years and QALYs by option and outcome (central), life expectancy at
birth by option and sex, present value by option
and pathway (central), the value-judgement scenarios, and the 5th/50th/95th
percentiles of each option's total present value from a small seeded Monte Carlo run.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from appraisal import appraise, load_library, load_proposal

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "examples" / "riverside.yaml"
OUT = HERE / "riverside_headline.csv"
#: The seeded Monte Carlo run the percentiles come from.
DRAWS, SEED = 200, 7
COLUMNS = ["figure", "option", "item", "value"]


def headline_figures() -> pd.DataFrame:
    """The example's headline figures as long rows: figure, option, item, value."""
    library = load_library()
    proposal = load_proposal(EXAMPLE, library)
    central = appraise(proposal, library)
    rows: list[dict] = []
    for r in central.summary().itertuples():
        item = f"{r.value_type}: {r.bearer}"
        rows.append({"figure": "present_value_gbp", "option": r.option, "item": item, "value": r.present_value_gbp})
    for r in central.value_for_money().to_dict("records"):
        for key in ("pv_costs_public_gbp", "pv_benefits_gbp", "npsv_gbp", "bcr", "bcr_fiscal_economic"):
            if r[key] != r[key]:  # no BCR without public costs
                continue
            rows.append({"figure": key, "option": r["option"], "item": "value for money", "value": r[key]})
    for r in central.health_summary().itertuples():
        for measure in ("change_in_cases", "change_in_deaths", "change_in_life_years_lost", "change_in_qalys_lost"):
            rows.append({"figure": measure, "option": r.option, "item": r.outcome, "value": getattr(r, measure)})
    for r in central.life_expectancy().itertuples():
        rows.append({"figure": "life_expectancy_at_birth_years", "option": r.option, "item": r.sex, "value": r.option_years})
    paths = central.by_pathway()
    for r in paths.itertuples():
        item = f"{r.characteristic} -> {r.mediator or '-'} -> {r.outcome}"
        rows.append({"figure": "pathway_present_value_gbp", "option": r.option, "item": item, "value": r.present_value_gbp})
    judgements = central.value_judgements()  # one row per scenario id, so wording can change freely
    for r in judgements.to_dict("records"):
        for option in central.options:
            rows.append({"figure": "value_judgement_gbp", "option": option, "item": r["scenario"], "value": r[option]})
    drawn = appraise(proposal, library, draws=DRAWS, seed=SEED).summary()
    for r in drawn[drawn["value_type"] == "all"].to_dict("records"):
        for q in (5, 50, 95):
            rows.append(
                {
                    "figure": f"total_present_value_gbp_p{q}",
                    "option": r["option"],
                    "item": f"{DRAWS} draws, seed {SEED}",
                    "value": r[f"present_value_gbp_p{q}"],
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def main() -> None:
    frame = headline_figures()
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in frame.itertuples(index=False):
            writer.writerow([r.figure, r.option, r.item, repr(float(r.value))])
    print(f"{len(frame)} figures written to {OUT.relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main()
