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

import numpy as np

from abm import jobs
from abm import states as S
from abm.coaching import capped_choice
from abm.params import Section, param


class ActivationParams(Section):
    participation_months: float = param(24.0, 1, 240, unit="months", doc="mean length of a participation place",
                                        source="BRIEF.md §3 (participatieplaats up to 2 years)")
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


def step(model) -> None:
    p, s = model.p.activation, model.s
    rng = model.streams["activation"]
    idle = np.flatnonzero((s.state == S.UNEMPLOYED) | (s.state == S.INACTIVE) | (s.state == S.PARTICIPATION))
    st = s.state[idle]
    u = rng.random((3, idle.size))
    # WW runs out into bijstand (no change of labour state)
    ww = idle[s.benefit[idle] == S.WW]
    s.ww_months_left[ww] -= 1
    expired = ww[s.ww_months_left[ww] <= 0]
    entitled = jobs.bijstand_entitled(model, expired)
    s.benefit[expired] = np.where(entitled, S.BIJSTAND, S.NO_BENEFIT)
    s.months_on_benefit[expired] = 0
    lost = expired[~entitled]
    jobs.move(model, lost[(s.state[lost] == S.UNEMPLOYED) | (s.state[lost] == S.PARTICIPATION)], S.INACTIVE,
              "left_benefit")
    # participation places end
    ending = idle[(s.state[idle] == S.PARTICIPATION) & (u[0] < 1.0 / p.participation_months)]
    jobs.move(model, ending, S.UNEMPLOYED, "participation_end")
    # exemption and recovery
    cap = s.health_hours[idle]
    unemp = st == S.UNEMPLOYED
    exempt = idle[unemp & ((cap < p.exempt_capacity) | (u[1] < p.become_exempt))]
    recovered = idle[(st == S.INACTIVE) & (s.benefit[idle] != S.NO_BENEFIT) & (cap >= p.exempt_capacity)
                     & (u[1] < p.recover)]
    jobs.move(model, exempt, S.INACTIVE, "health")
    jobs.move(model, recovered, S.UNEMPLOYED, "recovered")
    # leaving the benefit without work, and coming back
    leave = idle[unemp & (s.benefit[idle] == S.BIJSTAND) & (u[2] < p.leave_benefit)]
    leave = leave[s.state[leave] == S.UNEMPLOYED]
    back = idle[(st == S.INACTIVE) & (s.benefit[idle] == S.NO_BENEFIT) & (u[2] < p.return_to_benefit)]
    jobs.move(model, leave, S.INACTIVE, "left_benefit")
    s.benefit[leave] = S.NO_BENEFIT
    s.months_on_benefit[leave] = 0
    s.benefit[back] = S.BIJSTAND
    jobs.move(model, back, S.UNEMPLOYED, "recovered")
    # new participation places up to capacity
    in_place = np.bincount(s.municipality[s.state == S.PARTICIPATION], minlength=model.n_munis)
    capacity = np.floor(model.bijstand_count * model.muni_policy["participation_places_per_100"] / 100.0)
    free = np.maximum(capacity - in_place, 0).astype(np.int64)
    cand = np.flatnonzero((s.state == S.UNEMPLOYED) & (s.benefit == S.BIJSTAND))
    cand = cand[rng.random(cand.size) < p.participation_uptake]
    chosen = cand[capped_choice(s.municipality[cand], free, rng.random(cand.size))]
    jobs.move(model, chosen, S.PARTICIPATION, "participation_start")
    s.had_participation[chosen] = True
