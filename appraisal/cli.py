"""The ``appraisal`` command.

    appraisal template PATH.xlsx                 write a blank proposal template from the evidence library
    appraisal run PROPOSAL --out REPORT.xlsx     appraise a filled template (.xlsx) or a .yaml proposal,
                                                 write the report workbook and print the summary
    appraisal run PROPOSAL --out FOLDER          ... or write the tables as CSV files and result.json
    appraisal library check                      check the evidence library
    appraisal library sample --seed 15           draw links and unit costs for a blind re-read
    appraisal library show                       print the pathways
    appraisal library show --costs OUTCOME       an outcome's unit costs, who bears them, and the gaps
    appraisal library show --coverage            characteristics by group, outcomes by kind, links, gaps

Errors reach the user as one clear message each, never a traceback; the exit
status is 0 on success, 2 for a problem with the input, 3 for an internal error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from appraisal.analysis.monte_carlo import DEFAULT_SEED
from appraisal.composing import appraise
from appraisal.errors import AppraisalError, CommandError, InField, Problem, ProposalError
from appraisal.evidence.cautions import cautions
from appraisal.evidence.library import load_library
from appraisal.files import load_proposal, locate_problems, out_problems, write_outputs
from appraisal.writers.template import write_template
from appraisal.writers.text import costs_text, coverage_text, library_text, sample_text, summary_text


def _run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    problems = out_problems(args.out, args.proposal)
    if problems:
        raise CommandError("The output", problems)
    library = load_library(args.library)
    proposal = load_proposal(args.proposal, library)
    try:
        result = appraise(proposal, library, draws=args.draws, seed=args.seed)
    except ProposalError as exc:
        raise locate_problems(args.proposal, exc, library) from None
    print(summary_text(result))
    before = {p.name for p in out.iterdir()} if out.is_dir() else {out.name} if out.is_file() else set()
    try:
        written = write_outputs(result, out)
    except OSError as exc:
        raise CommandError(
            "The output", [Problem("command.out_path", InField("--out"), str(out), f"cannot be written: {exc.strerror or exc}")]
        ) from None
    if out.suffix.lower() == ".xlsx":
        print(f"\nReport workbook written to {out}" + (" (it replaced the earlier file of that name)" if before else ""))
    else:
        print(f"\nTables written to {out}/: {', '.join(p.name for p in written)}")
        replaced = [p.name for p in written if p.name in before]
        if replaced:
            print(f"{len(replaced)} of them replaced tables of the same name from an earlier run.")
    return 0


def _template(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.suffix.lower() != ".xlsx":
        raise CommandError(
            "The template", [Problem("command.template_path", InField("path"), str(path), "give a path ending in .xlsx")]
        )
    write_template(path, load_library(args.library))
    print(f"Template written to {path}. Fill the yellow cells, then: appraisal run {path} --out report.xlsx")
    return 0


def _check(args: argparse.Namespace) -> int:
    library = load_library(args.library)
    counts = {
        "characteristics": len(library.characteristics),
        "mediators": len(library.mediators),
        "outcomes": len(library.outcomes),
        "links": len(library.links),
        "baseline-rate rows": len(library.baseline_rates),
        "unit costs": len(library.unit_costs),
        "sources": len(library.sources),
    }
    print(f"The evidence library at {library.root} passed every check.")
    print("  " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    flagged = cautions(library)
    if flagged:
        print(f"{len(flagged)} caution{'' if len(flagged) == 1 else 's'} for a reviewer (the library is usable):")
        for problem in flagged:
            print(f"  - {problem}")
    return 0


def _show(args: argparse.Namespace) -> int:
    library = load_library(args.library)
    if args.costs:
        print(costs_text(library, args.costs))
    elif args.coverage:
        print(coverage_text(library))
    else:
        print(library_text(library))
    return 0


def _sample(args: argparse.Namespace) -> int:
    print(sample_text(load_library(args.library), args.links, args.costs, args.seed))
    return 0


def _draws(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of draws, 0 or more; found {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more; found {n}")
    return n


LIBRARY_HELP = "folder holding pathways/, unit_costs/ and areas/ (default: the shipped library)"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="appraisal", description="Price the health effects of urban development and say whose budget they land on."
    )
    p.add_argument("--library", default=None, help=LIBRARY_HELP)
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="appraise a proposal and write its report")
    run.add_argument("proposal", help="the proposal: a filled Excel template (.xlsx) or a .yaml file")
    run.add_argument("--out", required=True, help="a report workbook (.xlsx), or a folder for CSV tables and result.json")
    run.add_argument(
        "--draws",
        type=_draws,
        default=0,
        help="Monte Carlo draws of the evidence for ranges (e.g. 10000; default 0: central values only)",
    )
    run.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="seed of the Monte Carlo draws; the same seed gives the same results"
    )
    run.set_defaults(func=_run)
    tpl = sub.add_parser("template", help="write a blank proposal template (.xlsx) from the evidence library")
    tpl.add_argument("path", help="where to write the template, ending in .xlsx")
    tpl.set_defaults(func=_template)
    lib = sub.add_parser("library", help="check or show the evidence library")
    lib_sub = lib.add_subparsers(dest="action", required=True)
    lib_sub.add_parser("check", help="check the library").set_defaults(func=_check)
    show = lib_sub.add_parser("show", help="print the pathways (or an outcome's costs, or the coverage)")
    what = show.add_mutually_exclusive_group()
    what.add_argument(
        "--costs",
        metavar="OUTCOME",
        help="print one outcome's unit costs by component, who bears them, and the components not found",
    )
    what.add_argument(
        "--coverage",
        action="store_true",
        help="print characteristics by group, outcomes by kind, links per characteristic and the gaps table",
    )
    show.set_defaults(func=_show)
    sample = lib_sub.add_parser(
        "sample", help="draw default links and unit costs at random (seeded) for a reviewer to re-read against their sources"
    )
    sample.add_argument("--links", type=_draws, default=10, help="how many default links (default 10)")
    sample.add_argument("--costs", type=_draws, default=10, help="how many cited unit costs (default 10)")
    sample.add_argument("--seed", type=int, default=15, help="seed of the draw (default 15); the same seed draws the same rows")
    sample.set_defaults(func=_sample)
    for leaf in (run, tpl, *lib_sub.choices.values()):
        # --library is accepted after the command too; given there, it wins over one given before.
        leaf.add_argument("--library", default=argparse.SUPPRESS, help=LIBRARY_HELP)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except AppraisalError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        sys.stderr.close()
        return 0
    except Exception as exc:
        print(
            f"Internal error: {type(exc).__name__}: {exc}\n"
            "This is a fault in the appraisal engine, not in your input. Please report it with the command you ran.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
