"""Money: the net income gain of a job over the benefit, and the poverty trap (docs/evidence.md E32-E39).

Rule. Out of work a bijstand household gets the norm (single or couple). In work:
- earnings below the norm keep a partial benefit; the person gains only the earnings disregard
  (share × earnings up to a cap, for a limited number of months);
- earnings above the norm end the benefit; the gain is the earnings above the norm, less the allowances
  (toeslagen) that fall away;
- working costs money (travel, clothing); with problem debts extra income goes to creditors.
People weigh the gain over `horizon_months`: a disregard that runs out after 6 months counts for half a
year. So a single person gains from a full-time WML job, a cohabiting partner little or nothing, and a small
part-time job pays only through the disregard, which is why the CPB found the disregard works only for jobs
with few hours. Someone in a basisbaan weighs a regular job against the basisbaan's own income, not against
nothing: both jobs counted from the bijstand they replace (no disregard), so a full-time WML job gains nothing over
a full-time WML basisbaan (before this rule a basisbaan worker weighed a regular job as the whole wage gained and
searched harder inside the programme than out of it: docs/model.md, "The basisbaan's effect on regular work").
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from abm import states as S
from abm.jit import jit
from abm.mechanism import Mechanism
from abm.params import Section, param


class MoneyParams(Section):
    enabled: bool = param(True, doc="switch: off = everybody sees the same modest gain from work")
    bijstand_net_single: float = param(1054.0, 0, 5000, unit="EUR/month",
                                       doc="net bijstand norm, single", source="bijstand norm 2020 (approx.)")
    bijstand_net_couple: float = param(1505.0, 0, 5000, unit="EUR/month",
                                       doc="net bijstand norm, couple", source="bijstand norm 2020 (approx.)")
    benefit_cost_single_year: float = param(14_000.0, 0, 100_000, unit="EUR/year",
                                            doc="what one single person's bijstand costs the municipality",
                                            source="docs/evidence.md E69 (Mosselman et al. 2022: benefit saved per "
                                                   "basisbaan EUR 14,000)")
    couple_cost_factor: float = param(1.43, 1, 3, unit="ratio", doc="couple norm relative to single",
                                      source="bijstand norms: 100% vs 70%")
    other_benefit_share: float = param(0.75, 0, 1, unit="share of net WML",
                                       doc="level of WW and disability benefits relative to the net WML")
    allowance_loss_share: float = param(0.15, 0, 1, unit="share",
                                        doc="share of income above the norm lost through falling allowances")
    work_costs: float = param(50.0, 0, 1000, unit="EUR/month", doc="costs of going to work",
                              source="docs/evidence.md E39 (travel, clothing)")
    problem_debt_threshold: float = param(1000.0, 0, 100_000, unit="EUR",
                                          doc="debts above which extra income is garnished")
    garnish_share: float = param(0.9, 0, 1, unit="share", doc="share of extra income taken by creditors",
                                 source="docs/evidence.md E38 (extra income goes straight to creditors)")
    horizon_months: int = param(12, 1, 120, unit="months",
                                doc="how far ahead people weigh a job's gain (a disregard that runs out counts "
                                    "only for the months it lasts)")


MoneyRule = namedtuple("MoneyRule", "enabled norm_single norm_couple other_benefit wml_net fulltime "
                                     "allowance_loss work_costs debt_threshold garnish horizon")


def rule(model) -> MoneyRule:
    """The money parameters as a plain tuple the compiled kernels can read."""
    m, econ = model.p.money, model.p.economy
    return MoneyRule(m.enabled, m.bijstand_net_single, m.bijstand_net_couple,
                     m.other_benefit_share * econ.wml_net_month, econ.wml_net_month, econ.fulltime_hours,
                     m.allowance_loss_share, m.work_costs, m.problem_debt_threshold, m.garnish_share,
                     float(m.horizon_months))


# With the money mechanism switched off every job pays the same flat gain (EUR a month), so money moves no one's
# search or choice (teaching: what happens without the poverty trap?)
GAIN_WITHOUT_MONEY = 100.0


@jit
def gain_one(mr, benefit, household, debts, disregard_used, hours, wage_share, disregard_share, disregard_cap,
             disregard_months):
    """Net monthly gain of a job of `hours` a week for one person (the rule in this module's docstring)."""
    if not mr.enabled:
        return GAIN_WITHOUT_MONEY
    earnings = mr.wml_net * wage_share * hours / mr.fulltime
    if benefit == S.BIJSTAND:
        norm = mr.norm_single if household == S.SINGLE else mr.norm_couple
        if earnings < norm:
            left = max(disregard_months - disregard_used, 0)
            gain = min(disregard_share * earnings, disregard_cap) * min(left, mr.horizon) / mr.horizon
        else:
            gain = (earnings - norm) * (1.0 - mr.allowance_loss)
    elif benefit == S.WW:
        gain = earnings - (mr.other_benefit if hours >= mr.fulltime / 2 else min(mr.other_benefit, earnings))
    elif benefit == S.DISABILITY:
        gain = 0.5 * earnings  # partial benefit kept, earnings partly offset (WGA/Wajong)
    else:
        gain = earnings
    gain -= mr.work_costs
    if debts > mr.debt_threshold and gain > 0:
        gain *= 1.0 - mr.garnish
    return gain


@jit
def gain_over_basisbaan(mr, household, debts, hours, basisbaan_hours, basisbaan_wage_share):
    """Net monthly gain of a job of `hours` at WML for someone in a basisbaan of `basisbaan_hours` at
    `basisbaan_wage_share` × WML: the job's gain over bijstand less the basisbaan's (no earnings disregard)."""
    if not mr.enabled:
        return GAIN_WITHOUT_MONEY
    new = gain_one(mr, S.BIJSTAND, household, debts, 0.0, hours, 1.0, 0.0, 0.0, 0.0)
    now = gain_one(mr, S.BIJSTAND, household, debts, 0.0, basisbaan_hours, basisbaan_wage_share, 0.0, 0.0, 0.0)
    return new - now


@jit
def _gains(mr, rows, hours, wage_share, state, benefit, household, debts, disregard_used, hours_now, municipality,
           share, cap, months, basisbaan_wage_share):
    out = np.empty(rows.size, dtype=np.float32)
    for k in range(rows.size):
        i = rows[k]
        m = municipality[i]
        if state[i] == S.BASISBAAN:
            out[k] = gain_over_basisbaan(mr, household[i], debts[i], hours[k], hours_now[i], basisbaan_wage_share[m])
        else:
            out[k] = gain_one(mr, benefit[i], household[i], debts[i], disregard_used[i], hours[k], wage_share,
                              share[m], cap[m], months[m])
    return out


def net_gain(model, rows: np.ndarray, hours: np.ndarray | float, wage_share: float = 1.0) -> np.ndarray:
    """Net monthly income gain of taking a job of `hours` a week (at `wage_share` × WML) over staying where one is:
    on the current benefit, or, for someone in a basisbaan, in the basisbaan (`gain_over_basisbaan`)."""
    s, pa = model.s, model.policy_arrays
    rows = np.asarray(rows, dtype=np.int64)
    hours = np.broadcast_to(np.asarray(hours, dtype=np.float64), rows.shape).copy()
    return _gains(rule(model), rows, hours, float(wage_share), s.state, s.benefit, s.household, s.debts,
                  s.disregard_months, s.hours, s.municipality, pa.earnings_disregard_share, pa.earnings_disregard_cap,
                  pa.earnings_disregard_months, pa.basisbaan_wage_share)


# A rule used inside other mechanisms' steps (no step of its own): its parameters and columns.
MECHANISM = Mechanism("money", doc=__doc__, params=MoneyParams)
