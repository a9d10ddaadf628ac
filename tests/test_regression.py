"""The bundled example's headline figures hold still unless a change means to move them.

The figures live in ``tests/golden/riverside_headline.csv``; regenerate them on
purpose with ``python tests/golden/regenerate_riverside.py`` and say why in the commit.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

GOLDEN = Path(__file__).resolve().parent / "golden"
#: Relative tolerance: far below the 1% shift the file exists to catch, above float noise.
RTOL = 1e-6
#: Absolute floor for figures that are zero or nearly so (£ or cases).
ATOL = 1e-6


def _generator():
    spec = importlib.util.spec_from_file_location("regenerate_riverside", GOLDEN / "regenerate_riverside.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_reproduces_its_recorded_headline_figures():
    recorded = pd.read_csv(GOLDEN / "riverside_headline.csv", keep_default_na=False)
    fresh = _generator().headline_figures()
    keys = ["figure", "option", "item"]
    merged = recorded.merge(fresh, on=keys, how="outer", suffixes=("_recorded", "_now"), indicator=True)
    only = merged[merged["_merge"] != "both"]
    assert only.empty, f"figures recorded but not produced, or produced but not recorded:\n{only[[*keys, '_merge']]}"
    close = np.isclose(merged["value_now"], merged["value_recorded"], rtol=RTOL, atol=ATOL)
    assert close.all(), f"headline figures moved:\n{merged.loc[~close, [*keys, 'value_recorded', 'value_now']]}"


def test_a_one_percent_shift_in_one_figure_would_fail():
    recorded = pd.read_csv(GOLDEN / "riverside_headline.csv", keep_default_na=False)
    big = recorded["value"].abs().idxmax()
    shifted = recorded["value"].copy()
    shifted[big] *= 1.01
    assert not np.isclose(shifted, recorded["value"], rtol=RTOL, atol=ATOL).all()
