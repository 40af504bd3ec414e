"""The spin-up cache side by side: building the runs of a paired comparison with and without it.

    .venv/bin/python benchmarks/spin_up_cache.py --repeats 3 --scale 1

For each repeat (seed 1 .. repeats), builds the baseline and three policy presets on that seed, each with the
default spin-up (120 months), once with the cache off (`PLM_SPIN_UP_CACHE=0`: every build spins up) and once with
it on (the first build spins up, the others restore its end state: abm/spin_up.py), and prints the median over
the repeats of the wall time of the four builds, side by side. Only builds are timed: the months after month 0
cost the same either way. The first build of the process (loading the compiled kernels) is made before timing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

PRESETS = ("baseline-participatiewet", "job-guarantee", "regelluwe-bijstand-trust", "quota-enforced")


def build_all(seed: int, scale: float, cache: bool) -> float:
    from abm import spin_up
    from abm.model import LabourMarketModel

    os.environ["PLM_SPIN_UP_CACHE"] = "1" if cache else "0"
    spin_up.clear_cache()
    t0 = time.perf_counter()
    for name in PRESETS:
        LabourMarketModel(name, seed=seed, agent_views=False, scale=scale)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3, help="seeds 1..repeats (1-20)")
    ap.add_argument("--scale", type=float, default=1.0, help="people per agent (1-100)")
    a = ap.parse_args(argv)
    if not 1 <= a.repeats <= 20:
        print(f"--repeats = {a.repeats}: allowed: 1 to 20", file=sys.stderr)
        return 2
    if not 1.0 <= a.scale <= 100.0:
        print(f"--scale = {a.scale:g}: allowed: 1 to 100", file=sys.stderr)
        return 2
    from abm.model import LabourMarketModel
    LabourMarketModel("baseline-participatiewet", seed=0, months=1, agent_views=False, scale=50.0)   # kernels
    off, on = [], []
    for seed in range(1, a.repeats + 1):
        off.append(build_all(seed, a.scale, cache=False))
        on.append(build_all(seed, a.scale, cache=True))
        print(f"seed {seed}: cache off {off[-1]:.1f} s, on {on[-1]:.1f} s", file=sys.stderr)
    print(f"{len(PRESETS)} builds on one seed ({', '.join(PRESETS)}), scale {a.scale:g}, default spin-up, "
          f"median of {a.repeats} seeds")
    print(f"  cache off: {statistics.median(off):.1f} s")
    print(f"  cache on:  {statistics.median(on):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
