"""Does the baseline stand still? Stocks and bijstand flows of `baseline-participatiewet` month by month
(issue 10 §4; docs/model.md, "A baseline that stands still").

    .venv/bin/python -m experiments.stationary --seeds 3 --months 240 --spin-up 120

prints, as the mean over seeds 1..N, the stocks of the table in docs/model.md at months 0, 6, 24, 60, 120, 180
and 240, and the monthly bijstand flows. Flows are counted person by person between two months
(`BijstandFlows`): inflow = people on bijstand now who were not a month ago (newcomers to a seat included);
outflow = people on bijstand a month ago who are not now, split into those who left the benefit and those who
reached the pension age (CBS counts the latter in neither flow).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from abm import states as S
from abm.scenario import ScenarioCore

SCENARIO = "baseline-participatiewet"
SPIN_UP_DEFAULT = ScenarioCore.model_fields["spin_up_months"].default
REPORT_MONTHS = (0, 6, 24, 60, 120, 180, 240)
STOCKS = ("inclusion_rate", "inclusion_gap", "n_bijstand", "n_parallel", "n_inactive",
          "employment_rate_no_limitation")


def reaching_pension_age(model) -> np.ndarray:
    """Mask of the people the month's ageing (abm/demography.py: a month of age as float32, then retirement at
    `pension_age`) will retire, asked before the month runs: a seat whose person changes for them was recycled
    for the pension age, any other changed seat for other reasons."""
    return (model.s.age + np.float32(1.0 / 12.0)) >= model.p.demography.pension_age


class BijstandFlows:
    """Counts the month's bijstand inflow and outflow by comparing each seat with the month before (a seat
    whose person_id changed has a newcomer: the old person left with the seat's benefit, the new one came in
    with theirs)."""

    def __init__(self, model):
        self.model = model
        self.inflow: list[int] = []
        self.outflow: list[int] = []       # left the benefit (work, partner's income, moving, ...)
        self.retired: list[int] = []       # reached the pension age while on bijstand
        self.stock: list[int] = []         # on bijstand at the end of the month
        self._remember()

    def _remember(self) -> None:
        s = self.model.s
        self._on = s.benefit == S.BIJSTAND
        self._pid = s.person_id.copy()
        self._retiring = reaching_pension_age(self.model)

    def after_month(self) -> None:
        s = self.model.s
        on = s.benefit == S.BIJSTAND
        same = s.person_id == self._pid
        self.inflow.append(int((on & ~(self._on & same)).sum()))
        # left the benefit, or their seat (abm/demography.py: leaving bijstand for other reasons)
        self.outflow.append(int((self._on & ((same & ~on) | (~same & ~self._retiring))).sum()))
        self.retired.append(int((self._on & ~same & self._retiring).sum()))
        self.stock.append(int(on.sum()))
        self._remember()

    def rates(self, first: int = 1, last: int | None = None) -> dict[str, float]:
        """Mean monthly inflow and outflow (people leaving the benefit, not by pension) of months first..last,
        as shares of the mean stock of those months."""
        lo, hi = first - 1, (last if last is not None else len(self.stock))
        stock = float(np.mean(self.stock[lo:hi]))
        return {"inflow_rate": float(np.mean(self.inflow[lo:hi])) / stock,
                "outflow_rate": float(np.mean(self.outflow[lo:hi])) / stock,
                "outflow_with_pension_rate": float(np.mean(np.add(self.outflow, self.retired)[lo:hi])) / stock}


def run_one(seed: int, months: int, spin_up: int):
    """One run of the baseline: its time series and its bijstand flows."""
    from abm.model import LabourMarketModel
    model = LabourMarketModel(SCENARIO, seed=seed, months=months, agent_views=False, spin_up_months=spin_up)
    flows = BijstandFlows(model)
    while model.running:
        model.step()
        flows.after_month()
    return model, flows


def measure(seeds: int, months: int, spin_up: int, progress=None) -> tuple[dict, dict]:
    """Stocks at REPORT_MONTHS (up to `months`) and flow rates per 60-month block, each the mean over seeds."""
    stocks, rates = [], []
    blocks = [(a + 1, min(a + 60, months)) for a in range(0, months, 60)]
    for seed in range(1, seeds + 1):
        model, flows = run_one(seed, months, spin_up)
        ts = model.timeseries()
        stocks.append(ts.loc[[m for m in REPORT_MONTHS if m <= months], list(STOCKS)].to_numpy(dtype=float))
        rates.append([[flows.rates(a, b)[k] for k in ("inflow_rate", "outflow_rate", "outflow_with_pension_rate")]
                      for a, b in blocks])
        if progress:
            progress(seed, model.build_seconds, model.spin_up_seconds)
    months_shown = [m for m in REPORT_MONTHS if m <= months]
    mean_stocks = np.mean(stocks, axis=0)
    mean_rates = np.mean(rates, axis=0)
    return ({name: dict(zip(months_shown, mean_stocks[:, j])) for j, name in enumerate(STOCKS)},
            {f"{a}-{b}": dict(zip(("inflow", "outflow", "outflow incl. pension"), mean_rates[i]))
             for i, (a, b) in enumerate(blocks)})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.stationary", description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3, help="seeds 1..N (1-20)")
    ap.add_argument("--months", type=int, default=240, help="months after month 0 (1-1200)")
    ap.add_argument("--spin-up", type=int, default=SPIN_UP_DEFAULT, help="spin_up_months (0-600)")
    a = ap.parse_args(argv)
    for key, value, lo, hi in (("--seeds", a.seeds, 1, 20), ("--months", a.months, 1, 1200),
                               ("--spin-up", a.spin_up, 0, 600)):
        if not lo <= value <= hi:
            print(f"{key} = {value}: allowed: a whole number from {lo} to {hi}", file=sys.stderr)
            return 2

    def progress(seed, build, spin):
        print(f"seed {seed} done (build {build:.1f} s, of which spin-up {spin:.1f} s)", file=sys.stderr)
    stocks, rates = measure(a.seeds, a.months, a.spin_up, progress)
    months = list(next(iter(stocks.values())))
    print(f"{SCENARIO}, mean of seeds 1-{a.seeds}, spin-up {a.spin_up} months\n")
    print("| month | " + " | ".join(str(m) for m in months) + " |")
    print("|---|" + "---|" * len(months))
    for name, row in stocks.items():
        fmt = (lambda v: f"{v:,.0f}") if name.startswith("n_") else (lambda v: f"{v:.3f}")
        print(f"| {name} | " + " | ".join(fmt(row[m]) for m in months) + " |")
    print("\nbijstand flows per month, share of the stock (mean of the block's months)\n")
    print("| months | inflow | outflow | outflow incl. pension |")
    print("|---|---|---|---|")
    for block, r in rates.items():
        print(f"| {block} | " + " | ".join(f"{100 * v:.2f}%" for v in r.values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
