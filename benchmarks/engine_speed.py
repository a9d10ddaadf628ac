"""How fast is the engine, against a bare numpy kernel doing the same arithmetic?

    python benchmarks/engine_speed.py

Reports, on this machine:
  1. appraise(..., analyses=False) on the bundled example (3 options): the central run, without
     the one-way sensitivity and value judgements, which re-run the model hundreds of times;
  2. appraise() on 1,000 copies of its options in one call (3,000 options);
and for each the time of a bare numpy kernel that does the same multiplications
(log ratios x age weights, overlap selection, combination, baseline cases, cost
units) on arrays prepared in advance (the log ratios by age band, odds ratios already turned
into risk ratios at each band's baseline risk), and the ratio engine / kernel.
A benchmark, not a test: timings vary with the machine and its load; the ratio
is the figure to watch.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

from appraisal import appraise, load_library, load_proposal, make_proposal, risk
from appraisal.engine.model import build_model
from appraisal.engine.run import log_ratios

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "riverside.yaml"


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bare_kernel_inputs(proposal, library):
    """The arrays the engine's arithmetic runs on, prepared outside the timed region."""
    model = build_model(proposal, library)
    t = model.pathways
    return {
        "log_ratio": np.ascontiguousarray(log_ratios(model, model.central_link_values)[0, 0]),  # [option, pathway, band]
        "age_weight": model.age_weight,
        "base": model.base_cases[0],
        "onehot": model.onehot,
        "out_idx": model.onehot.argmax(axis=1),
        "band_weight": model.costs.band_weight,
        "match": model.match,
        "groups": [
            (np.asarray(list(m)), np.unique(t["outcome_link"].to_numpy()[list(m)], return_inverse=True)[1])
            for m in t[t["overlap_group"] != ""].groupby(["overlap_group", "outcome"]).groups.values()
        ],
    }


def bare_kernel(a) -> np.ndarray:
    w = a["age_weight"][None]
    lr = np.where(w == 1.0, a["log_ratio"], np.log1p(w * np.expm1(a["log_ratio"])))
    for idx, link_of in a["groups"]:
        if link_of.max() == 0:
            continue
        block = lr[:, idx, :]
        by_link = np.stack([block[:, link_of == k, :].sum(axis=1) for k in range(link_of.max() + 1)], axis=1)
        keep = np.abs(by_link).argmax(axis=1)
        lr[:, idx, :] = np.where(link_of[None, :, None] == keep[:, None, :], block, 0.0)
    total = np.einsum("opb,pk->okb", lr, a["onehot"])
    annual = a["base"][None] * lr * risk.change_factor(total)[:, a["out_idx"], :]
    return np.einsum("opb,rb,pr->opr", annual, a["band_weight"], a["match"])


def main() -> None:
    library = load_library()
    proposal = load_proposal(EXAMPLE, library)
    data = proposal.model_dump()
    data["options"] = {f"{name}_{i}": values for i in range(1000) for name, values in proposal.options.items()}
    many = make_proposal(data, library)
    print(f"{'case':<34}{'engine':>12}{'bare kernel':>14}{'ratio':>8}")
    for label, p, repeat in (("example (3 options)", proposal, 20), ("1,000 copies (3,000 options)", many, 5)):
        inputs = bare_kernel_inputs(p, library)
        result = appraise(p, library, analyses=False)
        assert np.allclose(bare_kernel(inputs), result.units[0]), "kernel and engine disagree"
        t_engine = best_of(lambda: appraise(p, library, analyses=False), repeat)
        t_kernel = best_of(lambda: bare_kernel(inputs), repeat)
        print(f"{label:<34}{t_engine * 1e3:>10.1f} ms{t_kernel * 1e3:>11.2f} ms{t_engine / t_kernel:>8.1f}x")
    print("\nThe engine's time includes checking the proposal against the library, finding the pathways,")
    print("building baseline rates and the life table, and uplifting and timing the unit costs; the kernel's does not.")


if __name__ == "__main__":
    main()
