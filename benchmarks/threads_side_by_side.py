"""One thread against every core for the monthly kernels, side by side (issue: core v2, speed).

Runs `plm bench --threads 1` and `plm bench --threads N` alternately, `--repeats` times each, each in its own
process, and prints the medians and the ratio as one JSON line (with the load average before and after, since
the machines are shared: a parallel kernel waits for its slowest thread, so a loaded machine hurts it most).

    .venv/bin/python benchmarks/threads_side_by_side.py --seekers 1000000 --months 12 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

PLM = Path(sys.executable).with_name("plm")


def bench(seekers: int, months: int, threads: int) -> dict:
    out = subprocess.run([str(PLM), "bench", "--seekers", str(seekers), "--months", str(months),
                          "--threads", str(threads)], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    import numba

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seekers", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=numba.config.NUMBA_NUM_THREADS, help="the parallel side")
    a = ap.parse_args()
    load_before = os.getloadavg()[0]
    rates: dict[int, list[float]] = {1: [], a.threads: []}
    for r in range(a.repeats):
        for t in rates:
            res = bench(a.seekers, a.months, t)
            rates[t].append(res["agent_months_per_s"])
            print(f"repeat {r + 1}, {t} thread(s): {res['agent_months_per_s'] / 1e6:.2f} M agent-months/s",
                  file=sys.stderr)
    one, many = statistics.median(rates[1]), statistics.median(rates[a.threads])
    print(json.dumps({"seekers": a.seekers, "months": a.months, "repeats": a.repeats,
                      "one_thread_agent_months_per_s": round(one, 1),
                      f"{a.threads}_threads_agent_months_per_s": round(many, 1),
                      "ratio_parallel_to_one": round(many / one, 3),
                      "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
