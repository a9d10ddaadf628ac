"""appraisal: price the health effects of urban development in England and say whose budget they land on.

The public API::

    from appraisal import load_library, load_proposal, appraise, write_report
    library = load_library()                      # the evidence library, checked
    proposal = load_proposal("examples/riverside.yaml", library)
    result = appraise(proposal, library)
    result.summary(); result.cost_landing(); result.by_pathway(); result.cases()
    write_report(result, "report.xlsx"); write_csv(result, "results/"); write_json(result, "results/result.json")
"""

from appraisal._version import __version__
from appraisal.composing import appraise
from appraisal.errors import AppraisalError, LibraryError, Problem, ProposalError
from appraisal.evidence.library import Library, load_library
from appraisal.files import load_proposal
from appraisal.proposal import DeathValuation, Discounting, Proposal, Settings, make_proposal
from appraisal.result import Result
from appraisal.writers.tables import write_csv, write_json
from appraisal.writers.template import write_template
from appraisal.writers.workbook import write_report

__all__ = [
    "AppraisalError",
    "DeathValuation",
    "Discounting",
    "Library",
    "LibraryError",
    "Problem",
    "Proposal",
    "ProposalError",
    "Result",
    "Settings",
    "__version__",
    "appraise",
    "load_library",
    "load_proposal",
    "make_proposal",
    "write_csv",
    "write_json",
    "write_report",
    "write_template",
]
