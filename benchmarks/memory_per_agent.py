"""Peak memory of a run per agent, with and without Mesa agent views (the figures behind
`abm.scenario.BYTES_PER_AGENT`, `BYTES_PER_AGENT_VIEW` and `BASE_BYTES`; docs/benchmarks.md, docs/limits.md).

Each measurement is a fresh process that does what `plm run` does with the synthetic region of `plm bench`:
load the scenario, build the model, run it, make the time series and transitions tables and write the output
files; its peak resident memory (ru_maxrss) is the figure. A least-squares line through the sizes gives bytes
per agent (the slope) and the fixed part (the intercept: interpreter, libraries, compiled kernels). The
transitions log grows with the months, so run it at two lengths to see the part per agent-month.

    .venv/bin/python benchmarks/memory_per_agent.py --sizes 100000 300000 1000000 --months 120
    .venv/bin/python benchmarks/memory_per_agent.py --sizes 100000 300000 --months 600 --views off
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, tempfile
from pathlib import Path
from abm.model import LabourMarketModel
from abm.scenario import load
from experiments.bench import synthetic_scenario
from experiments.runner import RunResult, write_outputs
seekers, months, views = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
scenario = load(synthetic_scenario(seekers, months))
model = LabourMarketModel(scenario, seed=1, agent_views=views)
if views:
    len(model.agents)  # views are made on first access
model.run()
ts, tr = model.timeseries(), model.transitions()
with tempfile.TemporaryDirectory() as tmp:
    write_outputs(RunResult(scenario, 1, ts, tr, model.funnel(), 0.0), Path(tmp) / "out")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seekers": seekers, "agents": int(model.s.n), "months": months, "views": views,
                  "import_bytes": start, "peak_bytes": peak, "transitions": len(tr)}))
"""


def measure(seekers: int, months: int, views: bool) -> dict:
    """Peak memory of one run in a fresh process."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(seekers), str(months), "1" if views else "0"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def warm_up() -> None:
    """One small run first, so that compiling the kernels (cached per machine) is in no measurement."""
    measure(1_000, 1, False)


def fit(rows: list[dict]) -> tuple[float, float]:
    """(bytes per agent, fixed bytes) of a least-squares line through (agents, peak bytes)."""
    x = np.array([r["agents"] for r in rows], dtype=float)
    y = np.array([r["peak_bytes"] for r in rows], dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope), float(intercept)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--views", choices=["off", "on", "both"], default="both", help="Mesa agent views")
    args = ap.parse_args()
    print("| seekers | agent views | months | peak RSS (MB) | transitions rows |")
    print("|---|---|---|---|---|")
    warm_up()
    fits = {}
    for views in {"off": (False,), "on": (True,), "both": (False, True)}[args.views]:
        rows = []
        for n in args.sizes:
            r = measure(n, args.months, views)
            rows.append(r)
            print(f"| {r['agents']:,} | {'on' if views else 'off'} | {r['months']} | {r['peak_bytes'] / 1e6:,.0f} | "
                  f"{r['transitions']:,} |", flush=True)
        fits[views] = fit(rows)
    print()
    for views, (slope, base) in fits.items():
        print(f"views {'on ' if views else 'off'}: {slope:,.0f} bytes per agent + {base / 1e6:,.0f} MB "
              f"({args.months} months)")
    if len(fits) == 2:
        print(f"views add {fits[True][0] - fits[False][0]:,.0f} bytes per agent")


if __name__ == "__main__":
    main()
