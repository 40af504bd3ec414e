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
"""

from __future__ import annotations

import numpy as np

from abm import employer_stigma, jobs
from abm import states as S
from abm.events import ENTRY_CODE, EXIT_CODE
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.population import PROFILE_NAMES, draw_profile

# The state column this mechanism owns (abm/mechanism.py).
COLUMNS = {"profile": Column("int8", 0, "the seat's profile (abm/population.PROFILE_NAMES); newcomers share it")}


class DemographyParams(Section):
    pension_age: float = param(66.6, 60, 75, unit="years", doc="state pension age", source="AOW age 2020-2021")
    entrant_ww_share: float = param(0.3, 0, 1, unit="share",
                                    doc="newcomers outside the WW and disability seats who start on WW (the rest "
                                        "on bijstand)")


def step(model, month: Month) -> None:
    """Age everybody; recycle the seats of those reaching pension age."""
    p, s = model.p.demography, model.s
    s.age += np.float32(1.0 / 12.0)
    leaving = np.flatnonzero(s.age >= p.pension_age)
    if leaving.size == 0:
        return
    rng = model.streams["demography"]
    jobs.release_employer(model, leaving)
    model.log.record(model.month, s.person_id[leaving], s.state[leaving], EXIT_CODE, s.municipality[leaving],
                     "retired")
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
