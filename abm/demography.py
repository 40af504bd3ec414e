"""Ageing, retirement and new entrants (ARCHITECTURE.md step 1).

Rule. Everybody ages a month. People reaching the state pension age leave (logged as a move to `exit`); a
newcomer takes their seat (logged from `entry`) with a new person id, starting unemployed: on the disability
benefit in a disability seat, on WW in a WW seat, else on WW (a share `entrant_ww_share`) or bijstand.
The newcomer is drawn from the seat's own profile (abm/population.py: SCP's bijstand profiles, WW, disability,
sheltered, low-paid regular), within `ENTRY_YEARS` of the profile's youngest age. Together with the people at the
start drawn from the seats' steady-state ages (`population.seat_age`), ageing and recycling then keep the
region's mix of profiles, ages and work limitations as it is (assumption: the model's people are the margin of
the labour market, and who reaches it is taken to stay the same). Before, every newcomer came from one young
entrant profile (20% with a work limitation), so over 240 months the margin lost most of its older people with
a limitation and the inclusion gap drifted (docs/model.md, "A baseline that stands still").
The population size stays constant, so the arrays never grow.

Rule (leaving bijstand for other reasons, assumption fitted to a pattern). Besides work and the pension age,
people leave a long bijstand spell because they move away, find a partner with an income, move to another
benefit or die, and others come onto bijstand at the same ages for the same kinds of reasons (a partner's
income lost, moving into the region); CBS counts both in its flows (docs/evidence.md E89) but gives no rate
for the long-term stock. Each month a bijstand recipient out of work (unemployed, exempt or in a participation
job, not on a short spell of abm/short_spells.py) leaves so at the hazard `other_exit_rate` (logged as a move to
`exit`, reason `left_other`), and a newcomer takes their seat *like them in every respect but the spell*: same
profile, age, skills, health, time out of work, labour state and household, a new person id, a new bijstand
spell (months on benefit 0) and not yet seen by a programme's recruitment (funnel outcome reset). So the
region's people stay as they are (assumption: who comes onto long bijstand at an age is like who leaves it)
and only the spells renew. Without it the long-term stock renewed only at the pension age and, over the
spin-up, spells lengthened until 87% of the people with 3+ years on bijstand had more than 5 (Groningen placed
74%, docs/evidence.md E64); `other_exit_rate` is fitted to that share (target
`groningen_placed_over_5y_benefit`, docs/calibration.md).
"""

from __future__ import annotations

import numpy as np

from abm import employer_stigma, jobs
from abm import states as S
from abm.events import ENTRY_CODE, EXIT_CODE
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.population import PROFILE_NAMES, draw_profile
from abm.rng import uniforms

# The state column this mechanism owns (abm/mechanism.py).
COLUMNS = {"profile": Column("int8", 0, "the seat's profile (abm/population.PROFILE_NAMES); newcomers share it")}


class DemographyParams(Section):
    pension_age: float = param(66.6, 60, 75, unit="years", doc="state pension age", source="AOW age 2020-2021")
    entrant_ww_share: float = param(0.3, 0, 1, unit="share",
                                    doc="newcomers outside the WW and disability seats who start on WW (the rest "
                                        "on bijstand)")
    other_exit_rate: float = param(0.0, 0, 0.03, unit="per month",
                                   doc="bijstand recipients out of work (not on a short spell) who leave bijstand "
                                       "for other reasons than work or the pension age (moving, a partner's "
                                       "income, another benefit, death); a newcomer like them takes the seat on a "
                                       "new spell",
                                   source="assumption, fitted to docs/evidence.md E64 (placed after 5+ years)")


OUT_OF_WORK = (S.UNEMPLOYED, S.INACTIVE, S.PARTICIPATION)


def step(model, month: Month) -> None:
    """Age everybody; recycle the seats of those reaching pension age; renew the spells of those leaving
    bijstand for other reasons."""
    p, s = model.p.demography, model.s
    s.age += np.float32(1.0 / 12.0)
    _recycle(model, np.flatnonzero(s.age >= p.pension_age), "retired")
    if p.other_exit_rate > 0:
        _renew_spells(model, p.other_exit_rate)


def _renew_spells(model, rate: float) -> None:
    """Bijstand recipients out of work leave at `rate` (reason `left_other`); a newcomer like them takes the seat
    on a new spell (the rule in the module docstring)."""
    s = model.s
    pool = np.flatnonzero((s.benefit == S.BIJSTAND) & np.isin(s.state, OUT_OF_WORK) & ~s.short_spell)
    leaving = pool[uniforms(model.key("other_exit"), s.person_id[pool], 0) < rate]
    if leaving.size == 0:
        return
    model.log.record(model.month, s.person_id[leaving], s.state[leaving], EXIT_CODE, s.municipality[leaving],
                     "left_other")
    s.person_id[leaving] = model.next_person_id + np.arange(leaving.size)
    model.next_person_id += leaving.size
    s.months_on_benefit[leaving] = 0
    s.disregard_months[leaving] = 0
    s.funnel_outcome[leaving] = S.FUNNEL_CODE["not_interviewed"]
    s.funnel_month[leaving] = -1
    s.funnel_state[leaving] = -1
    model.log.record(model.month, s.person_id[leaving], ENTRY_CODE, s.state[leaving], s.municipality[leaving],
                     "entered")


def _recycle(model, leaving: np.ndarray, reason: str) -> None:
    """The people of `leaving` leave (logged as `reason`); a newcomer drawn from the seat's profile takes each
    seat, unemployed, on the benefit of the seat's kind."""
    if leaving.size == 0:
        return
    p, s = model.p.demography, model.s
    rng = model.streams["demography"]
    jobs.release_employer(model, leaving)
    model.log.record(model.month, s.person_id[leaving], s.state[leaving], EXIT_CODE, s.municipality[leaving],
                     reason)
    profile = s.profile[leaving].copy()
    for code in np.unique(profile):
        draw_profile(s, leaving[profile == code], PROFILE_NAMES[code], model.p.population, rng, p.pension_age,
                     newcomer=True)
    employer_stigma.static_labels(s, leaving, model.p.stigma, rng)
    s.person_id[leaving] = model.next_person_id + np.arange(leaving.size)
    model.next_person_id += leaving.size
    ww = (rng.random(leaving.size) < p.entrant_ww_share) | (profile == PROFILE_NAMES.index("ww"))
    s.benefit[leaving] = np.where(profile == PROFILE_NAMES.index("disability"), S.DISABILITY,
                                  np.where(ww, S.WW, S.BIJSTAND))
    ww = s.benefit[leaving] == S.WW
    s.ww_months_left[leaving] = np.where(ww, 12, 0)
    s.months_on_benefit[leaving] = 0
    s.state[leaving] = S.UNEMPLOYED
    model.log.record(model.month, s.person_id[leaving], ENTRY_CODE, S.UNEMPLOYED, s.municipality[leaving],
                     "entered")


MECHANISM = Mechanism("demography", doc=__doc__, params=DemographyParams, columns=COLUMNS, step=step)
