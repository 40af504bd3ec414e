"""What collecting the results per municipality costs (abm/by_municipality.py; docs/model.md, Results per
municipality): the wall time of the collector's step per month against the whole month, after one month that
compiles the kernels.

    .venv/bin/python benchmarks/by_municipality_cost.py                     # the default region
    .venv/bin/python benchmarks/by_municipality_cost.py --seekers 100000    # the synthetic region of plm bench
"""

from __future__ import annotations

import argparse
import time

from abm import by_municipality as B
from abm.mechanism import Mechanism
from abm.model import LabourMarketModel
from abm.scenario import load
from experiments.bench import synthetic_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=0, help="synthetic region of this size (0: the default region)")
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    months = args.months + 1
    scenario = load("default", {"months": months}) if args.seekers == 0 else load(
        synthetic_scenario(args.seekers, months))
    spent: list[float] = []

    def timed(model, month) -> None:
        t0 = time.perf_counter()
        B.step(model, month)
        spent.append(time.perf_counter() - t0)

    collector = Mechanism(B.MECHANISM.name, init=B.init, step=timed, after=B.MECHANISM.after)
    model = LabourMarketModel(scenario, seed=1, agent_views=False, mechanisms=[collector])
    model.run(1)          # compiles the kernels
    spent.clear()
    t0 = time.perf_counter()
    model.run()
    wall = time.perf_counter() - t0
    print(f"{scenario.name}: {model.s.n:,} agents, {model.n_munis} municipalities, {len(spent)} months: "
          f"a month {1000 * wall / len(spent):.1f} ms, collecting {1000 * sum(spent) / len(spent):.2f} ms "
          f"({100 * sum(spent) / wall:.1f}%)")


if __name__ == "__main__":
    main()
