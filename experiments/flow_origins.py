"""Where the baseline's bijstand inflow comes from and where its outflow goes (issue 10 §4; docs/model.md §3.4,
"Flows").

    .venv/bin/python -m experiments.flow_origins --seed 1 --months 60 --spin-up 120 [--no-short-spells]

prints, for `baseline-participatiewet` after the spin-up, the monthly bijstand inflow by origin and outflow by
destination as shares of the mean stock over the months, counted person by person as `BijstandFlows` counts
them (experiments/stationary.py): an entrant's origin is their labour state and benefit a month before (or a
newcomer to a seat); a leaver's destination is their labour state now and their months on bijstand at leaving.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import numpy as np

from abm import states as S
from experiments.stationary import SCENARIO, reaching_pension_age

BENEFIT = {S.BIJSTAND: "bijstand", S.WW: "WW", S.DISABILITY: "disability", S.NO_BENEFIT: "no benefit"}


def origins(seed: int, months: int, spin_up: int, short_spells: bool = True) -> tuple[Counter, Counter, float]:
    """Inflow by origin and outflow (leaving the benefit, not by pension) by destination and spell, summed over
    the months, and the mean stock."""
    from abm.model import LabourMarketModel
    model = LabourMarketModel(SCENARIO, seed=seed, months=months, agent_views=False, spin_up_months=spin_up,
                              **{"short_spells.enabled": short_spells})
    s, names = model.s, S.STATE_NAMES
    inflow, outflow, stock = Counter(), Counter(), []
    while model.running:
        was_on, pid, state, benefit = s.benefit == S.BIJSTAND, s.person_id.copy(), s.state.copy(), s.benefit.copy()
        spell = s.months_on_benefit.copy()
        retiring = reaching_pension_age(model)   # as BijstandFlows
        model.step()
        on, same = s.benefit == S.BIJSTAND, s.person_id == pid
        for i in np.flatnonzero(on & ~(was_on & same)):
            seat = "newcomer to a seat, " + ("after the pension age" if retiring[i] else "after leaving for other "
                                              "reasons")
            inflow[seat if not same[i] else f"{names[state[i]]}, {BENEFIT[benefit[i]]}"] += 1
        for i in np.flatnonzero(was_on & ((same & ~on) | (~same & ~retiring))):
            length = "under 12" if spell[i] < 12 else ("12-35" if spell[i] < 36 else "36 or more")
            to = names[s.state[i]] if same[i] else "other reasons (seat renewed)"
            outflow[f"to {to}, spell {length} months"] += 1
        stock.append(int(on.sum()))
    # of the leavers to regular work, those back in the job a short spell left (the rest: the model's hiring)
    tr = model.transitions()
    outflow["of which back in the job a short spell left"] = int(((tr["reason"] == "job_back")
                                                                  & (tr["month"] >= 1)).sum())
    return inflow, outflow, float(np.mean(stock))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.flow_origins", description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--months", type=int, default=60, help="months after month 0 (1-600)")
    ap.add_argument("--spin-up", type=int, default=120, help="spin_up_months (0-600)")
    ap.add_argument("--no-short-spells", action="store_true", help="short_spells.enabled = false")
    a = ap.parse_args(argv)
    for key, value, lo, hi in (("--months", a.months, 1, 600), ("--spin-up", a.spin_up, 0, 600)):
        if not lo <= value <= hi:
            print(f"{key} = {value}: allowed: a whole number from {lo} to {hi}", file=sys.stderr)
            return 2
    inflow, outflow, stock = origins(a.seed, a.months, a.spin_up, not a.no_short_spells)
    print(f"{SCENARIO}, seed {a.seed}, months 1-{a.months} after a {a.spin_up}-month spin-up, short spells "
          f"{'off' if a.no_short_spells else 'on'}; mean stock {stock:,.0f}\n")
    for title, counts in (("inflow, from (state, benefit a month before)", inflow),
                          ("outflow (not by pension), to", outflow)):
        total = sum(n for name, n in counts.items() if not name.startswith("of which")) / a.months / stock
        print(f"| {title} | share of the stock a month |\n|---|---|")
        rows = [(name, n) for name, n in counts.most_common() if not name.startswith("of which")]
        rows += [(name, n) for name, n in counts.items() if name.startswith("of which")]
        for name, n in rows:
            print(f"| {name} | {100 * n / a.months / stock:.2f}% |")
        print(f"| **all** | **{100 * total:.2f}%** |\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
