"""How long the bijstand spells of a scenario's people are at month 0, after a given spin-up (docs/model.md,
"Demography").

    .venv/bin/python -m experiments.spells --scenario groningen-basisbaan-2020 --seed 1 --spin-up 0 120 \
        [--other-exit-rate 0]

prints, per spin-up, the bijstand stock (everyone on bijstand, in work or not), the quartiles and 90th
percentile of their months on benefit, the share with 36 months or more (the 3+ year group Groningen recruits
from), and of that group the share with more than 60 months (Groningen placed 74%: docs/evidence.md E64) and
the share aged 50 or more.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from abm import states as S


def spells(scenario: str, seed: int, spin_up: int, other_exit_rate: float | None = None) -> dict[str, float]:
    """The month-0 spell figures of `scenario` on `seed` after `spin_up` months (`other_exit_rate`: that of
    abm/demography.py instead of the calibrated one)."""
    from abm.model import LabourMarketModel
    rate = {} if other_exit_rate is None else {"demography.other_exit_rate": other_exit_rate}
    model = LabourMarketModel(scenario, seed=seed, agent_views=False, spin_up_months=spin_up, **rate)
    s = model.s
    on = s.benefit == S.BIJSTAND
    months = s.months_on_benefit[on]
    long = months >= 36
    q = np.percentile(months, [25, 50, 75, 90])
    return {"stock": int(on.sum()), "p25": q[0], "median": q[1], "p75": q[2], "p90": q[3],
            "share 36+": float(long.mean()), "of 36+: over 60": float((months[long] > 60).mean()),
            "of 36+: aged 50+": float((s.age[on][long] >= 50).mean())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.spells", description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="groningen-basisbaan-2020")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--spin-up", type=int, nargs="+", default=[0, 120], help="spin_up_months (0-600), one or more")
    ap.add_argument("--other-exit-rate", type=float, default=None,
                    help="demography.other_exit_rate instead of the calibrated one (0: spells renew only at the "
                         "pension age)")
    a = ap.parse_args(argv)
    for value in a.spin_up:
        if not 0 <= value <= 600:
            print(f"--spin-up = {value}: allowed: a whole number from 0 to 600", file=sys.stderr)
            return 2
    from abm.scenario import ScenarioError
    try:
        rows = [(k, spells(a.scenario, a.seed, k, a.other_exit_rate)) for k in a.spin_up]
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    names = list(rows[0][1])
    rate = "calibrated" if a.other_exit_rate is None else f"{a.other_exit_rate:g}"
    print(f"{a.scenario}, seed {a.seed}, other_exit_rate {rate}: bijstand spells at month 0 (months on benefit)\n")
    print("| spin-up | " + " | ".join(names) + " |\n|" + "---|" * (len(names) + 1))
    for k, r in rows:
        cells = [f"{r[n]:,}" if n == "stock" else (f"{r[n]:.3f}" if n.startswith(("share", "of")) else f"{r[n]:.0f}")
                 for n in names]
        print(f"| {k} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
