"""Write examples/riverside.xlsx, the bundled example as a filled Excel template, from examples/riverside.yaml.

Run it after changing the YAML or the evidence library's characteristics:

    python examples/make_riverside_xlsx.py

A test checks that the workbook and the YAML describe the same proposal, so the two never drift.
"""

from pathlib import Path

from appraisal import load_library, load_proposal
from appraisal import write_template

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    library = load_library()
    proposal = load_proposal(HERE / "riverside.yaml", library)
    path = write_template(HERE / "riverside.xlsx", library, proposal)
    print(f"Wrote {path}")
