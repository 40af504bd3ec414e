"""Health and wellbeing (docs/evidence.md E40-E44, E75).

Wellbeing is an index from 1 to 5 like Groningen's "bridge to self-reliance". Each month it moves a share
`adjust_rate` toward a target: a base, plus paid work (smaller in the first months: new work brings stress),
plus a participation job, plus income above the bijstand norm (a participation allowance counts as income),
minus problem debts, a sanction, self-stigma and the scar of long unemployment (per year out of work, up to a
cap). Work raises wellbeing, unemployment leaves scars (Clark et al. 2003); income below the poverty
line worsens mental health (Thomson et al. 2022).
Health (hours a person can carry) recovers slowly at work within capacity, erodes when hours exceed
capacity and during long unemployment, and takes occasional shocks. Each month it also moves a share
`health_reversion` back toward the person's own usual capacity (`health_base`, drawn with the person): health
problems come and go, so a shock or a spell of overload is not lost for good (assumption). Without it health
could only fall out of work, and the region's capacity eroded run after run (docs/model.md, "A baseline that
stands still").
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from abm import states as S
from abm.jit import jit, jit_parallel, prange
from abm.mechanism import Column, Mechanism, Month
from abm.norms import SANCTION_KEEP
from abm.params import Section, param
from abm.rng import uniforms
from abm.tables import bundle

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "wellbeing": Column("float32", 3.0, "wellbeing index, 1..5 ('bridge to self-reliance' scale)"),
    "wellbeing_at_start": Column("float32", 0.0, "wellbeing when the current job started"),
    "health_base": Column("float32", 0.0, "the person's usual capacity, hours/week, health returns toward it"),
}


class WellbeingParams(Section):
    enabled: bool = param(True, doc="switch: off = wellbeing and health stay as they are")
    base: float = param(2.95, 1, 5, unit="index", doc="wellbeing out of work at the bijstand norm")
    paid_work: float = param(0.45, 0, 4, unit="index", doc="gain from paid work",
                             source="docs/evidence.md E42 (life satisfaction 7.8 working vs 7.2 not)")
    participation: float = param(0.15, 0, 4, unit="index", doc="gain from a participation job")
    income: float = param(0.6, 0, 4, unit="index per norm", doc="gain per norm of income above the norm")
    debts: float = param(0.25, 0, 4, unit="index", doc="loss with problem debts")
    sanction: float = param(0.3, 0, 4, unit="index", doc="loss in a month with a sanction")
    self_stigma: float = param(0.3, 0, 4, unit="index", doc="loss at full self-stigma")
    scar: float = param(0.0, 0, 2, unit="index per year out of work",
                        doc="scar of unemployment: loss per year out of work, up to `scar_years`",
                        source="docs/evidence.md E41 (Clark et al. 2003)")
    scar_years: float = param(5.0, 0, 40, unit="years", doc="years out of work after which the scar stops growing")
    new_work_stress: float = param(0.5, 0, 1, unit="share", doc="share of the work gain missing in months 0-2")
    adjust_rate: float = param(0.15, 0, 1, unit="per month", doc="speed toward the target",
                               source="fitted to docs/evidence.md E75 (Mosselman et al. 2022: +9% after 6 months, "
                                      "+5% more after a year)")
    health_recovery: float = param(0.05, 0, 5, unit="hours/week per month", doc="recovery at work within capacity")
    health_overload: float = param(0.15, 0, 5, unit="hours/week per month", doc="loss when working over capacity")
    health_scar: float = param(0.02, 0, 5, unit="hours/week per month", doc="loss per month out of work")
    shock_rate: float = param(0.002, 0, 1, unit="per month", doc="chance of a health shock")
    shock_size: float = param(10.0, 0, 40, unit="hours/week", doc="capacity lost in a shock")
    health_reversion: float = param(1.0 / 24.0, 0, 1, unit="per month",
                                    doc="share of the distance to one's usual capacity that health makes up "
                                        "in a month (0: shocks and erosion are permanent)")


@jit
def _income(benefit, household, hours, sanctioned, norm_single, norm_couple, other, wml_net, fulltime, allowance):
    """Net monthly income of one person: benefit, earnings with top-up, or both, plus any participation
    allowance (EUR)."""
    earnings = wml_net * hours / fulltime
    if benefit == S.BIJSTAND:
        norm = norm_single if household == S.SINGLE else norm_couple
        inc = max(norm, earnings)
    elif benefit == S.NO_BENEFIT:
        inc = earnings
    else:
        inc = max(other, earnings)
    return (inc * SANCTION_KEEP if sanctioned else inc) + allowance


# The named structures `_update` takes (abm/tables.bundle): the columns it reads and the month's scalar rules;
# the policy is `model.policy_arrays`. The two columns it writes, wellbeing and health, stay plain arguments.
WellbeingPeople = namedtuple("WellbeingPeople", "state months_in_state months_out benefit household hours "
                                                "sanctioned debts self_stigma municipality health_base")
WellbeingRule = namedtuple("WellbeingRule", "scar scar_years norm_single norm_couple other wml_net fulltime "
                                            "debt_threshold base paid_work participation income_weight debt_loss "
                                            "sanction_loss stigma_loss new_work_stress adjust_rate health_recovery "
                                            "health_overload health_scar health_reversion")


@jit_parallel
def _update(people, r, pol, wellbeing, health, do_wellbeing, do_health):
    state, months_in_state, months_out, benefit = people.state, people.months_in_state, people.months_out, \
        people.benefit
    household, hours, sanctioned, debts = people.household, people.hours, people.sanctioned, people.debts
    self_stigma, municipality, allowance = people.self_stigma, people.municipality, pol.participation_allowance
    scar, scar_years, norm_single, norm_couple, other = r.scar, r.scar_years, r.norm_single, r.norm_couple, r.other
    wml_net, fulltime, debt_threshold, base, paid_work = r.wml_net, r.fulltime, r.debt_threshold, r.base, \
        r.paid_work
    participation, income_weight, debt_loss, sanction_loss = r.participation, r.income_weight, r.debt_loss, \
        r.sanction_loss
    stigma_loss, new_work_stress, adjust_rate = r.stigma_loss, r.new_work_stress, r.adjust_rate
    health_recovery, health_overload, health_scar = r.health_recovery, r.health_overload, r.health_scar
    health_reversion, health_base = r.health_reversion, people.health_base
    for i in prange(state.size):
        st = state[i]
        paid = st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN
        if do_wellbeing:
            norm = norm_single if household[i] == S.SINGLE else norm_couple
            extra = allowance[municipality[i]] if st == S.PARTICIPATION else 0.0
            inc = _income(benefit[i], household[i], hours[i], sanctioned[i], norm_single, norm_couple, other,
                          wml_net, fulltime, extra)
            rel = min(max(inc / norm - 1.0, -0.5), 1.0)
            target = base + income_weight * rel - stigma_loss * self_stigma[i] \
                - scar * min(months_out[i] / 12.0, scar_years)
            if paid:
                target += paid_work * (1.0 - new_work_stress if months_in_state[i] < 3 else 1.0)
            elif st == S.PARTICIPATION:
                target += participation
            if debts[i] > debt_threshold:
                target -= debt_loss
            if sanctioned[i]:
                target -= sanction_loss
            target = min(max(target, 1.0), 5.0)
            wellbeing[i] += adjust_rate * (target - wellbeing[i])
        if do_health:
            if paid:
                if hours[i] > health[i]:
                    health[i] -= health_overload
                else:
                    health[i] += health_recovery
            else:
                health[i] -= health_scar
            health[i] += health_reversion * (health_base[i] - health[i])
            health[i] = min(max(health[i], 0.0), 40.0)


def _rule(model) -> WellbeingRule:
    p, m, econ = model.p.wellbeing, model.p.money, model.p.economy
    return WellbeingRule(p.scar, p.scar_years, m.bijstand_net_single, m.bijstand_net_couple,
                         m.other_benefit_share * econ.wml_net_month, econ.wml_net_month, econ.fulltime_hours,
                         m.problem_debt_threshold, p.base, p.paid_work, p.participation, p.income, p.debts, p.sanction,
                         p.self_stigma, p.new_work_stress, p.adjust_rate, p.health_recovery, p.health_overload,
                         p.health_scar, p.health_reversion)


def settle(model, rng: np.random.Generator) -> None:
    """Start values: wellbeing at what each person's situation supports, with individual variation."""
    s = model.s
    s.wellbeing[:] = 1.0
    jump = _rule(model)._replace(adjust_rate=1.0)   # straight to the target
    _update(bundle(WellbeingPeople, s), jump, model.policy_arrays, s.wellbeing, s.health_hours, True, False)
    s.wellbeing[:] = np.clip(s.wellbeing + rng.normal(0, 0.25, s.n), 1, 5)


def step(model, month: Month) -> None:
    """Wellbeing moves toward its target; health recovers, erodes, or takes a shock."""
    p = model.p.wellbeing
    if not p.enabled:
        return
    s = model.s
    _update(bundle(WellbeingPeople, s), _rule(model), model.policy_arrays, s.wellbeing, s.health_hours, True, True)
    shocked = np.flatnonzero(uniforms(model.key("health"), s.person_id, 0) < p.shock_rate)
    s.health_hours[shocked] = np.maximum(s.health_hours[shocked] - p.shock_size, 0)


def income(model) -> np.ndarray:
    """Net monthly income of every person (EUR), for reports."""
    s, m, econ = model.s, model.p.money, model.p.economy
    return _income_all(s.state, s.benefit, s.household, s.hours, s.sanctioned, s.municipality,
                       model.policy_arrays.participation_allowance, m.bijstand_net_single,
                       m.bijstand_net_couple, m.other_benefit_share * econ.wml_net_month, econ.wml_net_month,
                       econ.fulltime_hours)


@jit
def _income_all(state, benefit, household, hours, sanctioned, municipality, allowance, norm_single, norm_couple,
                other, wml_net, fulltime):
    out = np.empty(benefit.size, dtype=np.float64)
    for i in range(benefit.size):
        extra = allowance[municipality[i]] if state[i] == S.PARTICIPATION else 0.0
        out[i] = _income(benefit[i], household[i], hours[i], sanctioned[i], norm_single, norm_couple, other,
                         wml_net, fulltime, extra)
    return out


MECHANISM = Mechanism("wellbeing", doc=__doc__, params=WellbeingParams, columns=COLUMNS, step=step)
