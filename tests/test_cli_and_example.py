"""The commands a user runs, and the bundled example's outputs."""

import json
import subprocess
import sys

import pytest
from conftest import EXAMPLE

from appraisal import appraise, load_proposal
from appraisal.cli import main


def test_run_writes_tables_and_prints_the_summary(tmp_path, capsys):
    assert main(["run", str(EXAMPLE), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Present value of the change in cost" in out and "NHS" in out
    for name in ("summary", "cost_landing", "by_pathway", "cases", "evidence"):
        assert (tmp_path / f"{name}.csv").is_file()
    doc = json.loads((tmp_path / "result.json").read_text())
    assert set(doc["tables"]) >= {"summary", "cost_landing", "by_pathway", "cases"}


def test_a_broken_proposal_gets_one_message_per_problem_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("damp_mould: 0.01", "damp_mould: lots").replace("pm25: 9.5", "pm25: -3"))
    run = subprocess.run(
        [sys.executable, "-m", "appraisal.cli", "run", str(bad), "--out", str(tmp_path / "o")], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "options.ambitious.damp_mould: not a number; found 'lots'" in run.stderr
    assert "baseline.pm25: outside the characteristic's valid range; found -3" in run.stderr
    # Range problems alone.
    good_shape = tmp_path / "range.yaml"
    good_shape.write_text(EXAMPLE.read_text().replace("pm25: 9.5", "pm25: -3").replace("damp_mould: 0.01", "damp_mould: 1.5"))
    run = subprocess.run(
        [sys.executable, "-m", "appraisal.cli", "run", str(good_shape), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "baseline.pm25: outside the characteristic's valid range; found -3" in run.stderr
    assert "options.ambitious.damp_mould: outside the characteristic's valid range; found 1.5" in run.stderr


def test_library_check_and_show(capsys):
    assert main(["library", "check"]) == 0
    assert "passed every check" in capsys.readouterr().out
    assert main(["library", "show"]) == 0
    shown = capsys.readouterr().out
    assert "-> physical_activity (mediator)" in shown and "Costs of each outcome reached" in shown


def test_library_show_costs_and_coverage(library, capsys):
    assert main(["library", "show", "--costs", "stroke_incidence"]) == 0
    out = capsys.readouterr().out
    # Every component is shown: a cited value with its bearers, or why there is none.
    assert "2014-15 prices" in out and "Local-authority social care" in out
    assert "mortality: not applicable" in out and "Patel A" in out
    assert main(["library", "show", "--costs", "no_such_outcome"]) == 2
    assert "--costs: unknown outcome; found 'no_such_outcome'" in capsys.readouterr().err
    assert main(["library", "show", "--coverage"]) == 0
    out = capsys.readouterr().out
    assert f"{len(library.characteristics)} characteristics" in out and f"{len(library.links)} links" in out
    assert all(g in out for g in ("housing indoor", "community infrastructure", "climate"))
    assert all(p in out for p in library.gaps["pathway"])


def test_library_check_fails_on_a_broken_library(library_copy, capsys):
    (library_copy / "pathways" / "links.csv").write_text("link_id\nx\n")
    assert main(["--library", str(library_copy), "library", "check"]) == 2
    assert "pathways/links.csv row 1: column(s) missing from a table" in capsys.readouterr().err


@pytest.fixture(scope="module")
def result(library):
    return appraise(load_proposal(EXAMPLE, library), library)


def test_example_lands_costs_on_at_least_five_bearers(result):
    pv = result.cost_landing().groupby("bearer")["present_value_gbp"].apply(lambda s: s.abs().sum())
    assert (pv > 0).sum() >= 5, pv


def test_every_number_in_the_cost_landing_traces_to_sourced_library_rows(result, library):
    evidence = result.evidence()
    assert set(result.model.costs.table["cost_id"]) <= set(evidence["id"])
    links_used = set(result.model.pathways["first_link"]) | set(result.model.pathways["outcome_link"])
    assert links_used <= set(evidence["id"])
    assert evidence["citation"].str.len().gt(20).all()
    assert evidence["locator"].str.strip().ne("").all()
    # Each cost row's price year and its baseline (a rate, or the curve of a polynomial link) are library rows too.
    curves = set(library.links.loc[library.links["link_id"].isin(library.curves["link_id"]), "to_id"])
    for _, row in result.model.costs.table.iterrows():
        assert row["price_year"] in set(library.price_index["year"])
        assert (library.baseline_rates["outcome_id"] == row["outcome_id"]).any() or row["outcome_id"] in curves


def test_summary_signs_and_benefit(result):
    summary = result.summary()
    assert (summary["benefit_gbp"] == -summary["present_value_gbp"]).all()
    totals = summary[summary["value_type"] == "all"].set_index("option")["present_value_gbp"]
    # The example's options all reduce ill health, so each is a net saving, larger the more ambitious.
    assert totals["ambitious"] < totals["strategic"] < totals["minimum"] < 0


@pytest.mark.parametrize("out", ["notes.txt", "afile/report.xlsx", "afile", "folder.xlsx"])
def test_an_output_path_that_cannot_be_used_is_refused_before_any_work(tmp_path, capsys, out):
    (tmp_path / "afile").write_text("a file, not a folder")
    (tmp_path / "folder.xlsx").mkdir()
    assert main(["run", str(EXAMPLE), "--out", str(tmp_path / out)]) == 2
    captured = capsys.readouterr()
    assert "--out: not a place the output can be written" in captured.err and captured.out == ""
    assert not (tmp_path / "notes.txt").exists()


def test_the_readme_states_the_denser_options_figures_as_the_engine_gives_them(result):
    """The README's paragraph on the home quotes the example's denser and strategic options: it must stay true."""
    from conftest import REPO

    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    vfm = result.value_for_money().set_index("option")
    org = result.organisations().set_index(["option", "organisation"])["fiscal_gain_gbp"]
    lost = vfm.loc["strategic", "pv_benefits_gbp"] - vfm.loc["denser", "pv_benefits_gbp"]
    facts = [
        f"£{vfm.loc['denser', 'pv_costs_public_gbp']:,.0f} against the strategic option's £{vfm.loc['strategic', 'pv_costs_public_gbp']:,.0f}",
        f"loses only £{lost:,.0f} of health value",
        f"benefit-cost ratio is {vfm.loc['denser', 'bcr']:.2f} against {vfm.loc['strategic', 'bcr']:.2f}",
        f"gain the same £{org['denser', 'NHS Greater Manchester Integrated Care Board']:,.0f} and £{org['denser', 'Salford council']:,.0f}",
    ]
    for fact in facts:
        assert fact in text, fact
    assert org["denser", "Salford council"] == pytest.approx(org["strategic", "Salford council"])
