"""Sweep benchmarks: throughput, speed-up from 1 to N workers, scheduling and writing overhead.

    .venv/bin/python benchmarks/bench_sweep.py speedup --runs 20 --repeats 3      # 1 vs 2 workers
    .venv/bin/python benchmarks/bench_sweep.py sweep --runs 1000 --workers 2       # the 1,000-run goal
    .venv/bin/python benchmarks/bench_sweep.py overhead --runs 2000 --workers 2    # cost of a run that does nothing
    .venv/bin/python benchmarks/bench_sweep.py plain --runs 3                      # the cores, without Dask

Every run is the default scenario (the full region, one agent per person) for 120 months, one seed each
(a grid design of one point × RUNS seeds), on a local Dask cluster, written to a fresh folder under
benchmarks/results/ (removed afterwards unless --keep). Each measurement prints one JSON line:

- wall_seconds: the whole sweep, cluster start to last record; startup_seconds: starting the cluster;
- run_seconds: sum of the runs' own wall times (scenario, build, 120 months, summary, on the worker);
- seconds_per_run: wall per run (wall / runs); runs_per_minute;
- write_seconds: time the sweep process spent writing records (part of the overhead);
- overhead: (workers × (wall − startup) − run_seconds) / run_seconds: everything that is not a run —
  Dask scheduling, moving results, writing, and workers idle at the end of the sweep.
`overhead` runs a function that takes microseconds (the Ishigami function) instead of the model: its wall
time per run is what a sweep adds to every run (Dask scheduling, moving the result, writing the record), to
compare with the model's seconds per run.
`plain` runs the model in one process, then in two processes side by side, without Dask or a sweep: the
speed-up the machine itself gives at that moment (on shared machines, other people's work takes its part).
The figures go to docs/benchmarks.md (## Sweeps).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def design(runs: int, months: int, scale: float) -> dict:
    return {"name": f"bench{runs}", "scenario": "default", "method": "grid", "seeds": runs, "seed_start": 1000,
            "months": months, "set": {"scale": scale},
            "parameters": {"economy.tightness": {"levels": [1.0]}}}


def overhead(runs: int, workers: int, keep: bool) -> dict:
    from experiments.sweep import run_sweep

    out = ROOT / "benchmarks" / "results" / f"overhead-{runs}-w{workers}-{os.getpid()}-{time.time_ns()}"
    d = {"name": "overhead", "function": "experiments.testfunctions:ishigami", "method": "lhs", "samples": runs,
         "parameters": {f"x{i}": {"min": -3.14, "max": 3.14} for i in (1, 2, 3)}}
    t0 = time.perf_counter()
    res = run_sweep(d, out, workers=workers)
    wall = time.perf_counter() - t0
    assert res.ok == runs, res
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return {"bench": "overhead", "runs": runs, "workers": workers, "wall_seconds": round(wall, 2),
            "startup_seconds": round(res.startup_seconds, 2),
            "ms_per_run": round(1000 * (wall - res.startup_seconds) / runs, 2),
            "write_ms_per_run": round(1000 * res.write_seconds / runs, 2),
            "load_average_1min": round(os.getloadavg()[0], 2)}


def _plain_runs(runs: int) -> list[float]:
    from abm.model import LabourMarketModel

    LabourMarketModel("default", seed=1, months=1, agent_views=False, scale=50.0).run()  # imports, kernels
    out = []
    for k in range(runs):
        t0 = time.perf_counter()
        LabourMarketModel("default", seed=2000 + k, agent_views=False).run()
        out.append(time.perf_counter() - t0)
    return out


def plain(runs: int) -> dict:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        alone = pool.map(_plain_runs, [runs])[0]
    with ctx.Pool(2) as pool:
        pair = pool.map(_plain_runs, [runs, runs])
    together = [x for xs in pair for x in xs]
    a, b = statistics.median(alone), statistics.median(together)
    return {"bench": "plain", "runs_per_process": runs, "median_seconds_alone": round(a, 3),
            "median_seconds_two_at_once": round(b, 3), "speedup": round(2 * a / b, 3),
            "load_average_1min": round(os.getloadavg()[0], 2)}


def one_sweep(runs: int, workers: int, months: int, scale: float, keep: bool) -> dict:
    from experiments.sweep import load_sweep, run_sweep

    out = ROOT / "benchmarks" / "results" / f"sweep-{runs}x{months}-w{workers}-{os.getpid()}-{time.time_ns()}"
    t0 = time.perf_counter()
    res = run_sweep(design(runs, months, scale), out, workers=workers)
    wall = time.perf_counter() - t0
    df = load_sweep(out)
    assert res.ok == runs and len(df) == runs, res
    run_seconds = float(df["wall_seconds"].sum())
    busy = workers * (wall - res.startup_seconds)
    result = {
        "bench": "sweep", "runs": runs, "workers": workers, "months": months, "scale": scale,
        "wall_seconds": round(wall, 2), "startup_seconds": round(res.startup_seconds, 2),
        "run_seconds": round(run_seconds, 2), "median_run_seconds": round(float(df["wall_seconds"].median()), 3),
        "seconds_per_run": round(wall / runs, 3), "runs_per_minute": round(60 * runs / wall, 1),
        "write_seconds": round(res.write_seconds, 3),
        "overhead": round((busy - run_seconds) / run_seconds, 4),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["sweep", "speedup", "overhead", "plain"])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the sweep folders")
    args = ap.parse_args()
    (ROOT / "benchmarks" / "results").mkdir(parents=True, exist_ok=True)
    if args.what == "plain":
        print(json.dumps(plain(args.runs)), flush=True)
        return
    if args.what == "overhead":
        print(json.dumps(overhead(args.runs, args.workers, args.keep)), flush=True)
        return
    if args.what == "sweep":
        print(json.dumps(one_sweep(args.runs, args.workers, args.months, args.scale, args.keep)), flush=True)
        return
    walls: dict[int, list[float]] = {1: [], args.workers: []}
    for _ in range(args.repeats):
        for w in (1, args.workers):
            r = one_sweep(args.runs, w, args.months, args.scale, args.keep)
            walls[w].append(r["wall_seconds"] - r["startup_seconds"])
            print(json.dumps(r), flush=True)
    m1, mn = statistics.median(walls[1]), statistics.median(walls[args.workers])
    print(json.dumps({"bench": "speedup", "runs": args.runs, "workers": args.workers, "repeats": args.repeats,
                      "median_seconds_1_worker": round(m1, 2), f"median_seconds_{args.workers}_workers": round(mn, 2),
                      "speedup": round(m1 / mn, 3)}), flush=True)


if __name__ == "__main__":
    main()
