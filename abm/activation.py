"""Out-of-work flows the municipality and health drive: participation places, exemption, leaving the benefit.

Rule, each month:
- participation places (volunteering, participation job, tegenprestatie) are offered up to the
  municipality's capacity to unemployed bijstand recipients; a place ends after `participation_months` on
  average and leaves a participation history (which basisbaan eligibility asks for);
- people whose capacity falls below `exempt_capacity` become exempt (inactive); exempt people whose
  capacity is back recover at a monthly rate;
- some leave the benefit without work (partner's income, moving) and some return;
- WW runs out into bijstand.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from abm import jobs
from abm import states as S
from abm.coaching import capped_choice
from abm.jit import jit, push
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.rng import uniform, uniforms
from abm.tables import bundle

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "had_participation": Column("bool", False, "has done a participation job or volunteer work"),
}


class ActivationParams(Section):
    participation_months: float = param(24.0, 1, 240, unit="months", doc="mean length of a participation place",
                                        source="docs/evidence.md E45 (participatieplaats up to 2 years)")
    participation_uptake: float = param(0.10, 0, 1, unit="per month",
                                        doc="chance an offered place is taken in a month")
    exempt_capacity: float = param(8.0, 0, 40, unit="hours/week", doc="capacity below which one is exempt")
    become_exempt: float = param(0.005, 0, 1, unit="per month", doc="unemployed becoming exempt (sick, care)")
    recover: float = param(0.004, 0, 1, unit="per month", doc="exempt people able to work again")
    leave_benefit: float = param(0.003, 0, 1, unit="per month", doc="leaving the benefit without work")
    return_to_benefit: float = param(0.005, 0, 1, unit="per month", doc="people without benefit claiming again")
    bijstand_entitled_single: float = param(0.85, 0, 1, unit="probability",
                                            doc="single person out of work and income who qualifies for bijstand")
    bijstand_entitled_couple: float = param(0.35, 0, 1, unit="probability",
                                            doc="cohabiting person who qualifies (partner's income and assets)")
    non_claimant_search: float = param(0.5, 0, 1, unit="ratio",
                                       doc="search of able people without benefit or work, relative")


# moves the kernel decides: (code, new state, reason)
_MOVES = ((0, S.INACTIVE, "left_benefit"), (1, S.UNEMPLOYED, "participation_end"), (2, S.INACTIVE, "health"),
          (3, S.UNEMPLOYED, "recovered"), (4, S.INACTIVE, "left_benefit"), (5, S.UNEMPLOYED, "recovered"))


# The named structures `_activation` takes (abm/tables.bundle): the columns it reads and the month's rule. The
# benefit columns it changes in place stay plain arguments.
OutOfWork = namedtuple("OutOfWork", "person_id state household health_hours municipality")
ActivationRule = namedtuple("ActivationRule", "n_munis entitled_single entitled_couple end_participation "
                                              "exempt_capacity become_exempt recover leave_benefit return_to_benefit "
                                              "uptake")


@jit
def _activation(key, people, r, benefit, ww_months_left, months_on_benefit):
    """One pass over everybody out of work; each person makes at most one move (code 0-5 of _MOVES).

    Benefit changes are applied in place; returns the movers with their codes, the people in a participation
    place per municipality after the moves, and the unemployed bijstand recipients who would take a place."""
    person_id, state, household, health, municipality = people.person_id, people.state, people.household, \
        people.health_hours, people.municipality
    n_munis, entitled_single, entitled_couple, end_participation = r.n_munis, r.entitled_single, \
        r.entitled_couple, r.end_participation
    exempt_capacity, become_exempt, recover, leave_benefit = r.exempt_capacity, r.become_exempt, r.recover, \
        r.leave_benefit
    return_to_benefit, uptake = r.return_to_benefit, r.uptake
    rows = np.empty(state.size // 16 + 16, dtype=np.int64)
    codes = np.empty(rows.size, dtype=np.int8)
    in_place = np.zeros(n_munis, dtype=np.int64)
    candidates = np.empty(state.size // 8 + 16, dtype=np.int64)
    n = 0
    n_cand = 0
    for i in range(state.size):
        st = state[i]
        if st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN:
            continue
        code = -1
        if benefit[i] == S.WW:  # WW runs out: bijstand if the household qualifies, else no benefit
            ww_months_left[i] -= 1
            if ww_months_left[i] <= 0:
                months_on_benefit[i] = 0
                p = entitled_single if household[i] == S.SINGLE else entitled_couple
                if uniform(key, person_id[i], 0) < p:
                    benefit[i] = S.BIJSTAND
                else:
                    benefit[i] = S.NO_BENEFIT
                    if st == S.UNEMPLOYED or st == S.PARTICIPATION:
                        code = 0
        u = uniform(key, person_id[i], 1)
        if code < 0:
            if st == S.PARTICIPATION:
                if u < end_participation:
                    code = 1
            elif st == S.UNEMPLOYED:
                if health[i] < exempt_capacity or u < become_exempt:
                    code = 2
                elif benefit[i] == S.BIJSTAND and u > 1.0 - leave_benefit:
                    code = 4
                    benefit[i] = S.NO_BENEFIT
                    months_on_benefit[i] = 0
            elif st == S.INACTIVE:
                if benefit[i] != S.NO_BENEFIT:
                    if health[i] >= exempt_capacity and u < recover:
                        code = 3
                elif u < return_to_benefit:
                    code = 5
                    benefit[i] = S.BIJSTAND
        if code >= 0:
            rows, codes = push(rows, codes, n, i, code)
            n += 1
        now = st
        if code == 0 or code == 2 or code == 4:
            now = S.INACTIVE
        elif code == 1 or code == 3 or code == 5:
            now = S.UNEMPLOYED
        if now == S.PARTICIPATION:
            in_place[municipality[i]] += 1
        elif now == S.UNEMPLOYED and benefit[i] == S.BIJSTAND and uniform(key, person_id[i], 2) < uptake:
            if n_cand == candidates.size:
                candidates = np.concatenate((candidates, np.empty(candidates.size, dtype=np.int64)))
            candidates[n_cand] = i
            n_cand += 1
    return rows[:n], codes[:n], in_place, candidates[:n_cand]


def participation_capacity(model) -> np.ndarray:
    """Participation places per municipality (agents): places per 100 bijstand clients of its bijstand stock."""
    return np.floor(model.bijstand_count * model.muni_policy["participation_places_per_100"] / 100.0)


def step(model, month: Month) -> None:
    """Out-of-work moves of everybody, then participation places up to capacity."""
    p, s = model.p.activation, model.s
    key = model.key("activation")
    rule = ActivationRule(model.n_munis, p.bijstand_entitled_single, p.bijstand_entitled_couple,
                          1.0 / p.participation_months, p.exempt_capacity, p.become_exempt, p.recover,
                          p.leave_benefit, p.return_to_benefit, p.participation_uptake)
    rows, codes, in_place, cand = _activation(key, bundle(OutOfWork, s), rule, s.benefit, s.ww_months_left,
                                              s.months_on_benefit)
    for code, to_state, reason in _MOVES:
        jobs.move(model, rows[codes == code], to_state, reason)
    # new participation places up to capacity
    capacity = participation_capacity(model)
    free = np.maximum(capacity - in_place, 0).astype(np.int64)
    chosen = cand[capped_choice(s.municipality[cand], free, uniforms(key, s.person_id[cand], 3))]
    jobs.move(model, chosen, S.PARTICIPATION, "participation_start")
    s.had_participation[chosen] = True


MECHANISM = Mechanism("activation", doc=__doc__, params=ActivationParams, columns=COLUMNS, step=step)
