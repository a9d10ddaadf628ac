"""The evidence floor: schemas, reading, cross-table rules, derived rows and the :class:`Library`.

Other floors import from here::

    from appraisal.evidence import Library, load_library, link_text, bundled_root
"""

from appraisal.evidence.library import Library, bundled_root, link_text, load_library
from appraisal.evidence.rules import RULES
from appraisal.evidence.schemas import (
    COMPONENTS,
    COSTED_COMPONENTS,
    GROUPS,
    OUTCOME_KINDS,
    TABLES,
)

__all__ = [
    "COMPONENTS",
    "COSTED_COMPONENTS",
    "GROUPS",
    "OUTCOME_KINDS",
    "RULES",
    "TABLES",
    "Library",
    "bundled_root",
    "link_text",
    "load_library",
]
