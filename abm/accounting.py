"""Money flows of the municipality each month, with budgets (ARCHITECTURE.md step 8).

Rule. The municipality pays bijstand (what a household costs it, less the earnings it offsets), wage-cost
subsidies (WML - loonwaarde, capped, plus employer charges), client managers, participation places (and its
share of any participation allowance), funding of parallel places (less what borrowing firms pay under social
secondment) and the basisbaan programme (wages and employer costs net of co-funding, and guidance).
It saves the benefit of every person who left bijstand for paid work and is still working, and the part of
the benefit that the earnings of people working on partial bijstand offset: `savings` is a counterfactual for
reading, already absent from spend, and never subtracted from it (the net cost is spend minus receipts,
abm/metrics.py). Benefits and subsidies come out of the yearly benefit budget (BUIG), the rest out of the
participation budget; a budget is never negative: what it cannot pay is recorded as a deficit.
The accounts of other parties (treasury, insurers, employers, participants) build on these flows.
"""

from __future__ import annotations

import numpy as np

from abm import coaching, subsidy_quota
from abm import states as S
from abm.norms import COST_REFERENCE_HOURS, GUIDANCE_FIRST_MONTHS, SANCTION_KEEP, WEEKS_PER_MONTH
from abm.jit import CHUNKS, chunk_bounds, jit, jit_parallel, prange
from abm.mechanism import Column, Mechanism, Month


# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "disregard_months": Column("int32", 0, "months the earnings disregard has been used in this spell"),
    "left_bijstand_for_work": Column("bool", False, "left bijstand for paid work (the municipality saves the benefit)"),
}

SPEND_COMPONENTS = ("spend_benefits", "spend_subsidies", "spend_coaching", "spend_participation",
                    "spend_parallel", "spend_basisbaan_wages", "spend_basisbaan_guidance")


def benefit_cost(model, rows: np.ndarray) -> np.ndarray:
    """What the municipality's bijstand for each household costs it per month (full benefit)."""
    m = model.p.money
    single = m.benefit_cost_single_year / 12.0
    return np.where(model.s.household[rows] == S.SINGLE, single, single * m.couple_cost_factor)


@jit_parallel
def _flows(state, benefit, household, hours, sanctioned, disregard_used, uses_subsidy, skill, left_for_work,
           basisbaan_start, municipality, n_munis, month, cost_single, cost_couple, norm_single, norm_couple,
           wml_net, wml_gross, fulltime, employer_charges, d_share, d_cap, d_months, lks_max, participation_cost,
           parallel_funding, bb_cost_year, bb_wage_share, bb_cofunding, guidance_first, guidance_later,
           guidance_hourly, borrower_share, allowance, allowance_partner_share):
    """`_flows_range` over fixed chunks, summed in chunk order (the same for any number of threads)."""
    bounds = chunk_bounds(state.size, CHUNKS)
    first = _flows_range(state, benefit, household, hours, sanctioned, disregard_used, uses_subsidy, skill, left_for_work,
        basisbaan_start, municipality, n_munis, month, cost_single, cost_couple, norm_single, norm_couple, wml_net,
        wml_gross, fulltime, employer_charges, d_share, d_cap, d_months, lks_max, participation_cost,
        parallel_funding, bb_cost_year, bb_wage_share, bb_cofunding, guidance_first, guidance_later, guidance_hourly,
        borrower_share, allowance, allowance_partner_share, bounds[0], bounds[1])
    parts = np.zeros((CHUNKS,) + first.shape)
    parts[0] = first
    for c in prange(1, CHUNKS):
        parts[c] = _flows_range(state, benefit, household, hours, sanctioned, disregard_used, uses_subsidy, skill, left_for_work,
            basisbaan_start, municipality, n_munis, month, cost_single, cost_couple, norm_single, norm_couple,
            wml_net, wml_gross, fulltime, employer_charges, d_share, d_cap, d_months, lks_max, participation_cost,
            parallel_funding, bb_cost_year, bb_wage_share, bb_cofunding, guidance_first, guidance_later,
            guidance_hourly, borrower_share, allowance, allowance_partner_share, bounds[c], bounds[c + 1])
    total = parts[0].copy()
    for c in range(1, CHUNKS):
        total += parts[c]
    return total


@jit
def _flows_range(state, benefit, household, hours, sanctioned, disregard_used, uses_subsidy, skill, left_for_work,
           basisbaan_start, municipality, n_munis, month, cost_single, cost_couple, norm_single, norm_couple,
           wml_net, wml_gross, fulltime, employer_charges, d_share, d_cap, d_months, lks_max, participation_cost,
           parallel_funding, bb_cost_year, bb_wage_share, bb_cofunding, guidance_first, guidance_later,
           guidance_hourly, borrower_share, allowance, allowance_partner_share, lo, hi):
    """One pass over everybody: the municipality's money flows per municipality (columns in FLOW_COLUMNS)."""
    out = np.zeros((8, n_munis))
    for i in range(lo, hi):
        m = municipality[i]
        st = state[i]
        paid = st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN
        cost = cost_single if household[i] == S.SINGLE else cost_couple
        if benefit[i] == S.BIJSTAND:
            norm = norm_single if household[i] == S.SINGLE else norm_couple
            earnings = wml_net * hours[i] / fulltime
            disregard = 0.0
            if disregard_used[i] < d_months[m]:
                disregard = min(d_share[m] * earnings, d_cap[m])
            share = min(max(1.0 - (earnings - disregard) / norm, 0.0), 1.0)
            if paid:  # the part of the benefit that earnings offset is saved
                out[6, m] += cost * (1.0 - share)
                if st == S.BASISBAAN:
                    out[7, m] += cost * (1.0 - share)
            if sanctioned[i]:
                share *= SANCTION_KEEP
            out[0, m] += cost * share
        if st == S.REGULAR and uses_subsidy[i]:
            gap = min(max(1.0 - skill[i], 0.0), lks_max[m])
            out[1, m] += gap * wml_gross * hours[i] / fulltime * (1.0 + employer_charges)
        elif st == S.PARTICIPATION:
            out[2, m] += participation_cost[m] + allowance[m] * (1.0 - allowance_partner_share[m])
        elif st == S.PARALLEL:
            out[3, m] += parallel_funding[m] * (1.0 - borrower_share[m])
        elif st == S.BASISBAAN:
            out[4, m] += bb_cost_year[m] / 12.0 * hours[i] / COST_REFERENCE_HOURS * bb_wage_share[m] * (1.0 - bb_cofunding[m])
            g = guidance_first[m] if month - basisbaan_start[i] < GUIDANCE_FIRST_MONTHS else guidance_later[m]
            out[5, m] += g * hours[i] * WEEKS_PER_MONTH * guidance_hourly[m]
        if paid and left_for_work[i]:
            out[6, m] += cost
            if st == S.BASISBAAN:
                out[7, m] += cost
    return out


def monthly(model) -> dict[str, np.ndarray]:
    """This month's spend components and savings per municipality (agents' scale, EUR)."""
    s, pol, econ, mp = model.s, model.muni_policy, model.p.economy, model.p.money
    f = lambda name: pol[name].astype(np.float64)  # noqa: E731
    single = mp.benefit_cost_single_year / 12.0
    flows = _flows(s.state, s.benefit, s.household, s.hours, s.sanctioned, s.disregard_months, s.uses_subsidy,
                   s.skill, s.left_bijstand_for_work, s.basisbaan_start, s.municipality, model.n_munis, model.month,
                   single, single * mp.couple_cost_factor, mp.bijstand_net_single, mp.bijstand_net_couple,
                   econ.wml_net_month, econ.wml_month, econ.fulltime_hours, model.p.subsidy_quota.employer_charges,
                   f("earnings_disregard_share"), f("earnings_disregard_cap"), f("earnings_disregard_months"),
                   f("lks_max_share"), f("participation_cost_month"), f("parallel_funding_month"),
                   f("basisbaan_employer_cost_year"), f("basisbaan_wage_share"), f("basisbaan_cofunding_share"),
                   f("basisbaan_guidance_first"), f("basisbaan_guidance_later"), f("basisbaan_guidance_hourly_cost"),
                   f("parallel_borrower_share"), f("participation_allowance"),
                   f("participation_allowance_partner_share"))
    out = {"spend_benefits": flows[0], "spend_subsidies": flows[1], "spend_participation": flows[2],
           "spend_parallel": flows[3], "spend_basisbaan_wages": flows[4], "spend_basisbaan_guidance": flows[5],
           "savings": flows[6], "savings_basisbaan": flows[7]}
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
