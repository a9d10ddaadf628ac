"""appraisal: price the health effects of urban development in England and say whose budget they land on.

The public API::

    from appraisal import load_library, load_proposal, appraise
    library = load_library()                      # the evidence library, checked
    proposal = load_proposal("examples/riverside.yaml", library)
    result = appraise(proposal, library)
    result.summary(); result.cost_landing(); result.by_pathway(); result.cases()
    result.to_csv("results/"); result.to_json("results/result.json")
"""

from appraisal.engine import appraise
from appraisal.errors import AppraisalError, LibraryError, Problem, ProposalError
from appraisal.evidence.library import Library, load_library
from appraisal.proposal import Proposal, Settings, load_proposal, make_proposal
from appraisal.result import Result

__all__ = [
    "appraise",
    "load_library",
    "load_proposal",
    "make_proposal",
    "Library",
    "Proposal",
    "Settings",
    "Result",
    "AppraisalError",
    "LibraryError",
    "ProposalError",
    "Problem",
]
__version__ = "0.1.0"
