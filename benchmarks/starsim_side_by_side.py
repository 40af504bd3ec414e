"""plm and Starsim side by side, in one process on one machine (issue: core v2, speed).

Starsim's SIR model on N agents with a random contact network, 121 monthly steps (2000-2010), against
`plm bench` (`experiments.bench.bench_model`) on a synthetic region of N job seekers for the same number of
months. Each is warmed up on a small run first, so compiling kernels is not timed. Prints one JSON line:
agent-steps per second of each, build seconds of each, and `ratio` = plm / Starsim.

    .venv/bin/pip install -e '.[bench]'            # Starsim is an optional extra
    .venv/bin/python benchmarks/starsim_side_by_side.py --agents 1000000
"""

from __future__ import annotations

import argparse
import gc
import json
import time


def starsim_rate(n: int) -> dict:
    import starsim as ss

    def sim(agents: int):
        return ss.Sim(n_agents=agents, diseases="sir", networks="random", start=2000, stop=2010, dt=ss.month,
                      verbose=0)

    sim(5_000).run()  # warm-up: compile
    gc.collect()
    s = sim(n)
    t0 = time.perf_counter()
    s.init()
    t1 = time.perf_counter()
    s.run()
    t2 = time.perf_counter()
    steps = len(s.timevec) - 1
    return {"starsim_build_s": round(t1 - t0, 3), "starsim_run_s": round(t2 - t1, 3), "starsim_steps": steps,
            "starsim_agent_steps_per_s": round(n * steps / (t2 - t1), 1), "starsim_version": ss.__version__}


def plm_rate(n: int, months: int) -> dict:
    from experiments.bench import bench_model

    bench_model(2_000, 2)  # warm-up: compile
    gc.collect()
    result = bench_model(n, months)
    return {"plm_build_s": result["build_s"], "plm_run_s": result["run_s"], "plm_months": months,
            "plm_agent_months_per_s": result["agent_months_per_s"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=1_000_000, help="agents of each model (default 1,000,000)")
    parser.add_argument("--months", type=int, default=120, help="months of plm (Starsim: 2000-2010 monthly)")
    args = parser.parse_args()
    if args.agents < 10_000:
        parser.error(f"--agents = {args.agents}: allowed: at least 10000")
    out = {"agents": args.agents, **starsim_rate(args.agents), **plm_rate(args.agents, args.months)}
    out["ratio"] = round(out["plm_agent_months_per_s"] / out["starsim_agent_steps_per_s"], 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
