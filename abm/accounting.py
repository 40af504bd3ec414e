"""Money flows of the municipality each month, with budgets (ARCHITECTURE.md step 8).

Rule. The municipality pays bijstand (what a household costs it, less the earnings it offsets), wage-cost
subsidies (WML - loonwaarde, capped, plus employer charges), client managers, participation places, funding
of parallel places and the basisbaan programme (wages and employer costs net of co-funding, and guidance).
It saves the benefit of every person who left bijstand for paid work and is still working. Net cost =
spend - savings. Benefits and subsidies come out of the yearly benefit budget (BUIG), the rest out of the
participation budget; a budget is never negative: what it cannot pay is recorded as a deficit.
The accounts of other parties (treasury, insurers, employers, participants) build on these flows.
"""

from __future__ import annotations

import numpy as np

from abm import basisbaan, coaching, subsidy_quota
from abm import states as S

SPEND_COMPONENTS = ("spend_benefits", "spend_subsidies", "spend_coaching", "spend_participation",
                    "spend_parallel", "spend_basisbaan_wages", "spend_basisbaan_guidance")


def benefit_cost(model, rows: np.ndarray) -> np.ndarray:
    """What the municipality's bijstand for each household costs it per month (full benefit)."""
    m = model.p.money
    single = m.benefit_cost_single_year / 12.0
    return np.where(model.s.household[rows] == S.SINGLE, single, single * m.couple_cost_factor)


def monthly(model) -> dict[str, np.ndarray]:
    """This month's spend components and savings per municipality (agents' scale, EUR)."""
    s, pol, econ, mp = model.s, model.muni_policy, model.p.economy, model.p.money
    n_m = model.n_munis
    muni = s.municipality
    bij = np.flatnonzero(s.benefit == S.BIJSTAND)
    cost = benefit_cost(model, bij)
    norm = np.where(s.household[bij] == S.SINGLE, mp.bijstand_net_single, mp.bijstand_net_couple)
    earnings = econ.wml_net_month * s.hours[bij] / econ.fulltime_hours
    disregard = np.where(s.disregard_months[bij] < pol["earnings_disregard_months"][muni[bij]],
                         np.minimum(pol["earnings_disregard_share"][muni[bij]] * earnings,
                                    pol["earnings_disregard_cap"][muni[bij]]), 0.0)
    paid_share = np.clip(1.0 - (earnings - disregard) / norm, 0.0, 1.0) * np.where(s.sanctioned[bij], 0.8, 1.0)
    out = {"spend_benefits": np.bincount(muni[bij], weights=cost * paid_share, minlength=n_m)}
    lks = np.flatnonzero(s.uses_subsidy & (s.state == S.REGULAR))
    gap = np.minimum(np.maximum(1.0 - s.skill[lks], 0), pol["lks_max_share"][muni[lks]])
    sub = gap * econ.wml_month * s.hours[lks] / econ.fulltime_hours * (1 + model.p.subsidy_quota.employer_charges)
    out["spend_subsidies"] = np.bincount(muni[lks], weights=sub, minlength=n_m)
    out["spend_coaching"] = coaching.manager_cost(model) if model.p.coaching.enabled else np.zeros(n_m)
    out["spend_participation"] = np.bincount(muni[s.state == S.PARTICIPATION], minlength=n_m) \
        * pol["participation_cost_month"]
    out["spend_parallel"] = np.bincount(muni[s.state == S.PARALLEL], minlength=n_m) * pol["parallel_funding_month"]
    out["spend_basisbaan_wages"], out["spend_basisbaan_guidance"] = basisbaan.monthly_costs(model)
    saved = np.flatnonzero(s.left_bijstand_for_work & S.is_paid(s.state))
    out["savings"] = np.bincount(muni[saved], weights=benefit_cost(model, saved), minlength=n_m)
    out["spend"] = sum(out[k] for k in SPEND_COMPONENTS)
    out["quota_levies"] = subsidy_quota.levies_due(model)
    # disregard months are used up by bijstand recipients with earnings
    using = bij[earnings > 0]
    s.disregard_months[using] += 1
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
