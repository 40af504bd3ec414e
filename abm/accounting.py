"""Money flows of the municipality each month, with budgets (ARCHITECTURE.md step 8).

Rule. The municipality pays bijstand (what a household costs it, less the earnings it offsets), wage-cost
subsidies (WML - loonwaarde, capped, plus employer charges), client managers, participation places (and its
share of any participation allowance), funding of parallel places (less what borrowing firms pay under social
secondment) and the basisbaan programme when it funds it (`policy.basisbaan_funder`): the gross wage cost net
of co-funding, guidance by external and municipal coaches, and project costs (`abm.accounts.basisbaan_lines`).
It saves the benefit of every person who left bijstand for paid work and is still working, and the part of
the benefit that the earnings of people working on partial bijstand offset: `savings` is a counterfactual for
reading, already absent from spend, and never subtracted from it (the net cost is spend minus receipts,
abm/metrics.py). Benefits and subsidies come out of the yearly benefit budget (BUIG), the rest out of the
participation budget; a budget is never negative: what it cannot pay is recorded as a deficit.
The accounts of other parties (treasury, insurers, employers, participants) build on these flows.
"""

from __future__ import annotations

import numpy as np

from abm import accounts, coaching, subsidy_quota
from abm import states as S
from abm.mechanism import Column, Mechanism, Month

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "disregard_months": Column("int32", 0, "months the earnings disregard has been used in this spell"),
    "left_bijstand_for_work": Column("bool", False, "left bijstand for paid work (the municipality saves the benefit)"),
}

SPEND_COMPONENTS = ("spend_benefits", "spend_subsidies", "spend_coaching", "spend_participation",
                    "spend_parallel", "spend_basisbaan_wages", "spend_basisbaan_guidance", "spend_basisbaan_project")
# the basisbaan lines (abm.accounts.basisbaan_lines) that make each of the municipality's basisbaan components
BASISBAAN_SPEND = {"basisbaan_wages": "spend_basisbaan_wages",
                   "basisbaan_guidance_external": "spend_basisbaan_guidance",
                   "basisbaan_guidance_municipal": "spend_basisbaan_guidance",
                   "basisbaan_project": "spend_basisbaan_project"}


def benefit_cost(model, rows: np.ndarray) -> np.ndarray:
    """What the municipality's bijstand for each household costs it per month (full benefit)."""
    m = model.p.money
    single = m.benefit_cost_single_year / 12.0
    return np.where(model.s.household[rows] == S.SINGLE, single, single * m.couple_cost_factor)


def monthly(model, quantities: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """This month's spend components and savings per municipality (agents' scale, EUR), read from the one money
    kernel (`abm.accounts.quantities`, computed here if not given); `quantities` is kept for the ledger."""
    q = accounts.quantities(model) if quantities is None else quantities
    out = {"spend_benefits": q[accounts.Q_BIJ_COST], "spend_subsidies": q[accounts.Q_LKS],
           "spend_participation": q[accounts.Q_PART_COST] + q[accounts.Q_ALLOW_MUNI],
           "spend_parallel": q[accounts.Q_PARALLEL_FUNDING],
           "savings": q[accounts.Q_SAVINGS], "savings_basisbaan": q[accounts.Q_SAVINGS_BB], "quantities": q}
    for name in set(BASISBAAN_SPEND.values()):
        out[name] = np.zeros(model.n_munis)
    for item, payer, _payee, amount in accounts.basisbaan_lines(model, q):
        if payer == "municipality":
            out[BASISBAAN_SPEND[item]] = out[BASISBAAN_SPEND[item]] + amount
    out["spend_coaching"] = coaching.manager_cost(model) if model.p.coaching.enabled else np.zeros(model.n_munis)
    out["spend"] = sum(out[k] for k in SPEND_COMPONENTS)
    out["quota_levies"] = subsidy_quota.levies_due(model)
    return out


class Budgets:
    """Yearly benefit (BUIG) and participation budgets per municipality; shortfalls become recorded deficits."""

    def __init__(self, benefit_year: np.ndarray, participation_year: np.ndarray):
        self.benefit_year = benefit_year.astype(float)
        self.participation_year = participation_year.astype(float)
        self.benefit_left = self.benefit_year.copy()
        self.participation_left = self.participation_year.copy()
        self.deficit = np.zeros_like(self.benefit_left)        # cumulative, all years
        self.allocated = self.benefit_year + self.participation_year
        self.spent = np.zeros_like(self.benefit_left)          # cumulative, all years

    def new_year(self) -> None:
        self.benefit_left += self.benefit_year
        self.participation_left += self.participation_year
        self.allocated = self.allocated + self.benefit_year + self.participation_year

    def pay(self, flows: dict[str, np.ndarray]) -> None:
        benefit_part = flows["spend_benefits"] + flows["spend_subsidies"]
        other = flows["spend"] - benefit_part
        for left, amount in ((self.benefit_left, benefit_part), (self.participation_left, other)):
            short = np.maximum(amount - left, 0)
            left -= amount - short
            self.deficit += short
        self.spent += flows["spend"]


def step(model, month: Month) -> None:
    """The month's money: spend per component and the benefits saved, paid from the yearly budgets."""
    if model.month % 12 == 0:
        model.budgets.new_year()
    month.money = monthly(model)
    model.budgets.pay(month.money)
    model.last_money = month.money


MECHANISM = Mechanism("accounting", doc=__doc__, columns=COLUMNS, step=step)
