"""Health and wellbeing (BRIEF.md §2.6).

Wellbeing is an index from 1 to 5 like Groningen's "bridge to self-reliance". Each month it moves a share
`adjust_rate` toward a target: a base, plus paid work (smaller in the first months: new work brings stress),
plus a participation job, plus income above the bijstand norm, minus problem debts, a sanction and
self-stigma. Work raises wellbeing, unemployment leaves scars (Clark et al. 2003); income below the poverty
line worsens mental health (Thomson et al. 2022).
Health (hours a person can carry) recovers slowly at work within capacity, erodes when hours exceed
capacity and during long unemployment, and takes occasional shocks.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.params import Section, param


class WellbeingParams(Section):
    enabled: bool = param(True, doc="switch: off = wellbeing and health stay as they are")
    base: float = param(2.95, 1, 5, unit="index", doc="wellbeing out of work at the bijstand norm")
    paid_work: float = param(0.45, 0, 4, unit="index", doc="gain from paid work",
                             source="BRIEF.md §2.6 (life satisfaction 7.8 working vs 7.2 not)")
    participation: float = param(0.15, 0, 4, unit="index", doc="gain from a participation job")
    income: float = param(0.6, 0, 4, unit="index per norm", doc="gain per norm of income above the norm")
    debts: float = param(0.25, 0, 4, unit="index", doc="loss with problem debts")
    sanction: float = param(0.3, 0, 4, unit="index", doc="loss in a month with a sanction")
    self_stigma: float = param(0.3, 0, 4, unit="index", doc="loss at full self-stigma")
    new_work_stress: float = param(0.5, 0, 1, unit="share", doc="share of the work gain missing in months 0-2")
    adjust_rate: float = param(0.15, 0, 1, unit="per month", doc="speed toward the target",
                               source="fitted to BRIEF.md §4 (+9% after 6 months, +5% more after a year)")
    health_recovery: float = param(0.05, 0, 5, unit="hours/week per month", doc="recovery at work within capacity")
    health_overload: float = param(0.15, 0, 5, unit="hours/week per month", doc="loss when working over capacity")
    health_scar: float = param(0.02, 0, 5, unit="hours/week per month", doc="loss per month out of work")
    shock_rate: float = param(0.002, 0, 1, unit="per month", doc="chance of a health shock")
    shock_size: float = param(10.0, 0, 40, unit="hours/week", doc="capacity lost in a shock")


def income(model) -> np.ndarray:
    """Net monthly income of every person (EUR): benefit, earnings with disregard, or both."""
    s, m, econ = model.s, model.p.money, model.p.economy
    norm = np.where(s.household == S.SINGLE, m.bijstand_net_single, m.bijstand_net_couple)
    earnings = econ.wml_net_month * s.hours / econ.fulltime_hours
    other = m.other_benefit_share * econ.wml_net_month
    base = np.select([s.benefit == S.BIJSTAND, s.benefit == S.NO_BENEFIT], [np.maximum(norm, earnings), earnings],
                     default=np.maximum(other, earnings))
    return base * np.where(s.sanctioned, 0.8, 1.0)


def target(model) -> np.ndarray:
    """The wellbeing each person's situation pulls toward this month."""
    p, s, m = model.p.wellbeing, model.s, model.p.money
    paid = S.is_paid(s.state)
    norm = np.where(s.household == S.SINGLE, m.bijstand_net_single, m.bijstand_net_couple)
    rel_income = np.clip(income(model) / norm - 1.0, -0.5, 1.0)
    work_gain = p.paid_work * np.where(s.months_in_state < 3, 1 - p.new_work_stress, 1.0)
    t = (p.base + work_gain * paid + p.participation * (s.state == S.PARTICIPATION)
         + p.income * rel_income - p.debts * (s.debts > m.problem_debt_threshold)
         - p.sanction * s.sanctioned - p.self_stigma * s.self_stigma)
    return np.clip(t, 1, 5)


def update(model) -> None:
    p, s = model.p.wellbeing, model.s
    if not p.enabled:
        return
    paid = S.is_paid(s.state)
    s.wellbeing += p.adjust_rate * (target(model) - s.wellbeing)
    # health
    rng = model.streams["health"]
    over = np.maximum(s.hours - s.health_hours, 0)
    dh = np.where(paid, np.where(over > 0, -p.health_overload, p.health_recovery), -p.health_scar)
    shocks = rng.random(s.n, dtype=np.float32) < p.shock_rate
    s.health_hours += dh - p.shock_size * shocks
    np.clip(s.health_hours, 0, 40, out=s.health_hours)
