"""Speed and memory benchmark of the full monthly step on a synthetic region (`plm bench`).

The synthetic region has one municipality per ~4,000 job seekers on a grid 12 km apart, each a scaled copy of
the default scenario's city (same mix of bijstand, WW, disability, sheltered and low-paid regular workers),
with the default rules and a basisbaan programme in every fifth municipality. Figures are medians over
`repeats` runs; peak RSS is the process's high-water mark.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import time
from typing import Any, Callable

import numpy as np

from abm.scenario import Scenario, load

# Mix of one municipality's people, per 1,000 job seekers (the default city's proportions).
_MIX = {"bijstand": 10000, "ww": 2500, "disability": 4000, "sheltered": 400, "regular_sample": 8000}
_JOBS_PER_SEEKER = 30000 / sum(_MIX.values())


def synthetic_scenario(seekers: int, months: int = 120) -> dict[str, Any]:
    """Scenario data for a region of about `seekers` job seekers (scale 1)."""
    if seekers < 100:
        raise ValueError(f"seekers = {seekers}: allowed: at least 100")
    per_muni = 4000
    n_munis = max(1, int(round(seekers / per_muni)))
    side = int(np.ceil(np.sqrt(n_munis)))
    total_mix = sum(_MIX.values())
    munis = []
    remaining = seekers
    for i in range(n_munis):
        n_here = remaining // (n_munis - i)
        remaining -= n_here
        counts = {k: int(round(n_here * v / total_mix)) for k, v in _MIX.items()}
        counts["regular_sample"] += n_here - sum(counts.values())
        policy = {"basisbaan_slots": max(1, counts["bijstand"] // 200)} if i % 5 == 0 else {}
        munis.append({"name": f"M{i:04d}", "x_km": 12.0 * (i % side), "y_km": 12.0 * (i // side),
                      "inhabitants_15plus": max(1, int(counts["bijstand"] / 0.0543)),
                      "regular_jobs": int(round(n_here * _JOBS_PER_SEEKER)), "policy": policy, **counts})
    # spin_up_months = 0: the benchmark measures the model's months; a run's spin-up costs its months at the same
    # speed (docs/benchmarks.md, "Spin-up")
    return {"base": "baseline-participatiewet", "name": f"synthetic-{seekers}", "months": months, "spin_up_months": 0,
            "description": f"synthetic region of {seekers} job seekers for benchmarks", "municipalities": munis}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_model(seekers: int, months: int, seed: int = 1, progress: Callable[[int], None] | None = None,
                scenario: Scenario | None = None, threads: int = 0) -> dict[str, Any]:
    """Build a synthetic model (of `scenario`, if already loaded) and run it with `threads` kernel threads
    (0: as a run would, by size); returns timings and memory."""
    import numba

    from abm.model import LabourMarketModel

    scenario = scenario if scenario is not None else load(synthetic_scenario(seekers, months))
    gc.collect()
    t0 = time.perf_counter()
    model = LabourMarketModel(scenario, seed=seed)
    build_s = time.perf_counter() - t0
    model.kernel_threads = threads
    used = model.threads_wanted(numba.get_num_threads())
    t1 = time.perf_counter()
    model.run(months, progress=progress)
    run_s = time.perf_counter() - t1
    n = model.s.n
    return {"seekers": int(n), "months": int(months), "build_s": round(build_s, 3), "run_s": round(run_s, 3),
            "agent_months_per_s": round(n * months / run_s, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
            "threads": int(used),
            "_model": model}


def time_phase_vectorised(model, repeats: int = 3) -> float:
    """Median seconds of one search-and-hiring phase on the model's current state (state restored each time)."""
    from abm import hiring, search

    snapshot = _snapshot(model)
    times = []
    for _ in range(repeats):
        _restore(model, snapshot)
        t0 = time.perf_counter()
        apps = search.applications(model)
        hiring.hire(model, apps)
        times.append(time.perf_counter() - t0)
    _restore(model, snapshot)
    return statistics.median(times)


def _snapshot(model) -> dict[str, Any]:
    tables = {}
    for tname in ("s", "e"):
        t = getattr(model, tname)
        tables[tname] = {k: v.copy() for k, v in vars(t).items() if isinstance(v, np.ndarray)}
    return {"tables": tables, "log_chunks": len(model.log._chunks), "flows": model.log.flows.copy()}


def _restore(model, snap: dict[str, Any]) -> None:
    for tname, cols in snap["tables"].items():
        t = getattr(model, tname)
        for k, v in cols.items():
            getattr(t, k)[...] = v
    del model.log._chunks[snap["log_chunks"]:]
    model.log.flows[...] = snap["flows"]


def to_json(result: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in result.items() if not k.startswith("_")})


def bench_classic(model, seed: int = 1, repeats: int = 3) -> dict[str, Any]:
    """Search-and-hiring phase alone, vectorised vs the classic per-agent reference, on the same population."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "benchmarks"
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from classic_reference import build_classic, run_classic_phase  # noqa: E402  (kept in benchmarks/)

    n = model.s.n
    vec_s = time_phase_vectorised(model, repeats)
    world = build_classic(model)
    times = []
    for r in range(max(1, repeats // 2)):
        t0 = time.perf_counter()
        run_classic_phase(world, seed + r)
        times.append(time.perf_counter() - t0)
        world = build_classic(model)
    classic_s = statistics.median(times)
    return {"phase_agent_months_per_s": round(n / vec_s, 1), "classic_agent_months_per_s": round(n / classic_s, 1),
            "ratio": round(classic_s / vec_s, 1)}
