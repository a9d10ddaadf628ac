"""Time and peak memory of 10,000 Monte Carlo draws of the bundled example, against a bare numpy kernel.

    python benchmarks/monte_carlo_speed.py [DRAWS]

Reports, on this machine: the wall time and peak traced memory (numpy arrays included) of
``appraise(example, draws=N)``, which also builds every table's percentiles; and the time of a bare
numpy kernel doing the same per-draw arithmetic (lognormal draws, log ratios by form, overlap
selection, combination, cases, cost units, £, present values by bearer and the percentiles of the
cost-landing table) on arrays prepared in advance, all draws at once with no chunking; and the ratio
engine / kernel. Targets (issue 7): under 5 s, under 1 GiB, within 3x of the kernel.
A benchmark, not a test: timings vary with the machine and its load.
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np

from engine_speed import best_of as timed  # benchmarks/ is on the path when run as a script

from appraisal import appraise, load_library, load_proposal, risk
from appraisal.analysis import monte_carlo
from appraisal.engine.model import build_model

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "riverside.yaml"


def peak_memory(fn) -> int:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def kernel_inputs(model):
    t = model.pathways
    links = model.links
    return {
        "central_links": model.central_link_values,
        "central_costs": model.central_cost_values,
        "sigma_links": monte_carlo.link_sigma(model),
        "sigma_costs": monte_carlo.cost_sigma(model),
        "first_idx": model.first_idx,
        "last_idx": model.last_idx,
        "first_inc": links["increment"].to_numpy(float)[model.first_idx],
        "inc": links["increment"].to_numpy(float)[model.last_idx],
        "form": links["form"].to_numpy()[model.last_idx],
        "x0": model.x0[0],  # one site
        "x1": model.x1[0],
        "mediated": (t["mediator"] != "").to_numpy(),
        "age_weight": model.age_weight,
        "groups": [np.asarray(list(m)) for m in t[t["overlap_group"] != ""].groupby(["overlap_group", "outcome"]).groups.values()],
        "onehot": model.onehot,
        "out_idx": model.onehot.argmax(axis=1),
        "base": model.base_cases[0],
        "band_weight": model.costs.band_weight,
        "match": model.match,
        "pvf": model.pv_factors[0],  # [lag, row, bearer]
        "shares": model.costs.shares,
        "timing": model.costs.timing[0],  # [lag, row, year]
        "lag_onehot": model.lag_onehot,
        "yearly_total": model.yearly[0].sum(axis=-1),  # [lag, band, 4]
    }


def bare_kernel(a, draws: int, seed: int):
    rng = np.random.default_rng(seed)
    lv = a["central_links"] * np.exp(a["sigma_links"] * rng.standard_normal((draws, a["central_links"].shape[1])))
    cv = a["central_costs"] * np.exp(a["sigma_costs"] * rng.standard_normal((draws, a["central_costs"].shape[1])))
    first, ratio = lv[:, a["first_idx"]][:, None, :], lv[:, a["last_idx"]][:, None, :]
    dx = a["x1"][None] - a["x0"]
    change = np.where(a["mediated"], first * dx / a["first_inc"], dx)
    shares = a["form"] == "proportion_exposed"
    with np.errstate(invalid="ignore"):
        lr = np.where(
            shares,
            np.log1p(np.where(shares, a["x1"], 0.0) * (ratio - 1)) - np.log1p(np.where(shares, a["x0"], 0.0) * (ratio - 1)),
            np.log(ratio) * change / a["inc"],
        )[..., None]
        w = a["age_weight"]
        lr = np.where(w == 1.0, lr, np.log1p(w * np.expm1(lr)))
    for idx in a["groups"]:
        block = lr[..., idx, :]
        keep = np.abs(block).argmax(axis=-2)
        lr[..., idx, :] = np.where(np.arange(len(idx))[:, None] == keep[..., None, :], block, 0.0)
    total = np.einsum("dopb,pk->dokb", lr, a["onehot"])
    annual = a["base"] * lr * risk.change_factor(total)[:, :, a["out_idx"], :]
    money = np.einsum("dopb,rb,pr->dopr", annual, a["band_weight"], a["match"]) * cv[:, None, None, :]
    row_cost = np.einsum("dopr,pl->dolr", money, a["lag_onehot"])
    pv = np.einsum("dolr,lrb->dob", row_cost, a["pvf"])
    path_pv = np.einsum("dopr,pl,lr->dop", money, a["lag_onehot"], a["pvf"].sum(axis=2), optimize=True)
    by_band = np.einsum("dopb,pl,pk->dolkb", annual, a["lag_onehot"], a["onehot"], optimize=True)
    totals = np.einsum("dolkb,lbj->dokj", by_band, a["yearly_total"], optimize=True)
    q = (5, 50, 95)
    out = [np.percentile(x, q, axis=0) for x in (pv, path_pv, totals, annual.sum(axis=3))]
    for o in range(row_cost.shape[1]):
        for b in range(a["shares"].shape[1]):
            landing = np.einsum("dlr,rc,lry->dcy", row_cost[:, o], a["shares"][:, b], a["timing"], optimize=True)
            out.append(np.percentile(landing, q, axis=0))
    return out


def main() -> None:
    draws = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    library = load_library()
    proposal = load_proposal(EXAMPLE, library)
    model = build_model(proposal, library)
    inputs = kernel_inputs(model)
    appraise(proposal, library, draws=100, seed=1, progress=False, analyses=False)  # warm up
    t_engine = timed(lambda: appraise(proposal, library, draws=draws, seed=1, progress=False, analyses=False), 3)
    t_kernel = timed(lambda: bare_kernel(inputs, draws, 1), 3)
    mem_engine = peak_memory(lambda: appraise(proposal, library, draws=draws, seed=1, progress=False, analyses=False))
    mem_kernel = peak_memory(lambda: bare_kernel(inputs, draws, 1))
    gib = 1024**3
    print(f"{draws:,} draws of the bundled example ({len(proposal.options)} options, {len(model.pathways)} pathways, "
          f"{len(model.links)} links, {len(model.costs.table)} unit costs, {len(model.years)} years)")
    print(f"{'':<22}{'time':>10}{'peak memory':>16}")
    print(f"{'engine (appraise)':<22}{t_engine:>9.2f}s{mem_engine / gib:>12.3f} GiB")
    print(f"{'bare numpy kernel':<22}{t_kernel:>9.2f}s{mem_kernel / gib:>12.3f} GiB")
    print(f"{'ratio engine/kernel':<22}{t_engine / t_kernel:>9.2f}x{mem_engine / mem_kernel:>12.2f}x")
    print("\nThe engine computes draws in chunks of", monte_carlo.CHUNK, "so its memory stays bounded as draws grow;")
    print("the kernel holds all draws at once. Peak memory is traced allocation (tracemalloc), numpy arrays included.")


if __name__ == "__main__":
    main()
