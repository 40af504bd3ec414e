"""Money: the net income gain of a job over the benefit, and the poverty trap (BRIEF.md §2.5).

Rule. Out of work a bijstand household gets the norm (single or couple). In work:
- earnings below the norm keep a partial benefit; the person gains only the earnings disregard
  (share × earnings up to a cap, for a limited number of months);
- earnings above the norm end the benefit; the gain is the earnings above the norm, less the allowances
  (toeslagen) that fall away;
- working costs money (travel, clothing); with problem debts extra income goes to creditors.
People weigh the gain over `horizon_months`: a disregard that runs out after 6 months counts for half a
year. So a single person gains from a full-time WML job, a cohabiting partner little or nothing, and a small
part-time job pays only through the disregard, which is why the CPB found the disregard works only for jobs
with few hours.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.params import Section, param


class MoneyParams(Section):
    enabled: bool = param(True, doc="switch: off = everybody sees the same modest gain from work")
    bijstand_net_single: float = param(1054.0, 0, 5000, unit="EUR/month",
                                       doc="net bijstand norm, single", source="bijstand norm 2020 (approx.)")
    bijstand_net_couple: float = param(1505.0, 0, 5000, unit="EUR/month",
                                       doc="net bijstand norm, couple", source="bijstand norm 2020 (approx.)")
    benefit_cost_single_year: float = param(14_000.0, 0, 100_000, unit="EUR/year",
                                            doc="what one single person's bijstand costs the municipality",
                                            source="BRIEF.md §4 (benefit saved per basisbaan: EUR 14,000)")
    couple_cost_factor: float = param(1.43, 1, 3, unit="ratio", doc="couple norm relative to single",
                                      source="bijstand norms: 100% vs 70%")
    other_benefit_share: float = param(0.75, 0, 1, unit="share of net WML",
                                       doc="level of WW and disability benefits relative to the net WML")
    allowance_loss_share: float = param(0.30, 0, 1, unit="share",
                                        doc="share of income above the norm lost through falling allowances")
    work_costs: float = param(50.0, 0, 1000, unit="EUR/month", doc="costs of going to work",
                              source="BRIEF.md §2.5 (travel, clothing)")
    problem_debt_threshold: float = param(1000.0, 0, 100_000, unit="EUR",
                                          doc="debts above which extra income is garnished")
    garnish_share: float = param(0.9, 0, 1, unit="share", doc="share of extra income taken by creditors",
                                 source="BRIEF.md §2.5 (extra income goes straight to creditors)")
    horizon_months: int = param(12, 1, 120, unit="months",
                                doc="how far ahead people weigh a job's gain (a disregard that runs out counts "
                                    "only for the months it lasts)")


def benefit_norm(model, rows: np.ndarray) -> np.ndarray:
    """Net bijstand norm of each person's household."""
    m = model.p.money
    return np.where(model.s.household[rows] == S.SINGLE, m.bijstand_net_single, m.bijstand_net_couple)


def net_gain(model, rows: np.ndarray, hours: np.ndarray | float, wage_share: float = 1.0) -> np.ndarray:
    """Net monthly income gain of taking a job of `hours` a week over staying on the current benefit."""
    s, m, econ = model.s, model.p.money, model.p.economy
    hours = np.broadcast_to(np.asarray(hours, dtype=np.float32), rows.shape)
    earnings = econ.wml_net_month * wage_share * hours / econ.fulltime_hours
    if not m.enabled:
        return np.full(rows.shape, 100.0, dtype=np.float32)
    ben = s.benefit[rows]
    norm = benefit_norm(model, rows)
    pol = model.muni_policy
    muni = s.municipality[rows]
    months_left = np.maximum(pol["earnings_disregard_months"][muni] - s.disregard_months[rows], 0)
    disregard = np.minimum(pol["earnings_disregard_share"][muni] * earnings, pol["earnings_disregard_cap"][muni])
    disregard = disregard * np.minimum(months_left, m.horizon_months) / m.horizon_months
    # Bijstand: below the norm the benefit tops up and only the disregard is gained (averaged over the
    # horizon); above it the benefit ends and falling allowances take a share of the difference.
    bijstand_gain = np.where(earnings < norm, disregard, (earnings - norm) * (1 - m.allowance_loss_share))
    other = m.other_benefit_share * econ.wml_net_month
    ww_gain = earnings - np.where(hours >= econ.fulltime_hours / 2, other, np.minimum(other, earnings))
    disability_gain = 0.5 * earnings  # partial benefit kept, earnings partly offset (WGA/Wajong)
    gain = np.select([ben == S.BIJSTAND, ben == S.WW, ben == S.DISABILITY],
                     [bijstand_gain, ww_gain, disability_gain], default=earnings)
    gain = gain - m.work_costs
    debt = s.debts[rows] > m.problem_debt_threshold
    gain = np.where(debt & (gain > 0), gain * (1 - m.garnish_share), gain)
    return gain.astype(np.float32)
