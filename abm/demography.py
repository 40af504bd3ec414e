"""Ageing, retirement and new entrants (ARCHITECTURE.md step 1).

Rule. Everybody ages a month. People reaching the state pension age leave (logged as a move to `exit`); a new
entrant takes their seat (logged from `entry`): young, with a new person id, drawn from the entrant profile and
starting unemployed on bijstand (or WW). The population size stays constant, so the arrays never grow.
"""

from __future__ import annotations

import numpy as np

from abm import employer_stigma, jobs
from abm import states as S
from abm.events import ENTRY_CODE, EXIT_CODE
from abm.mechanism import Mechanism, Month
from abm.params import Section, param
from abm.population import draw_profile


class DemographyParams(Section):
    pension_age: float = param(66.6, 60, 75, unit="years", doc="state pension age", source="AOW age 2020-2021")
    entrant_ww_share: float = param(0.3, 0, 1, unit="share", doc="entrants who start on WW")


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
    draw_profile(s, leaving, "entrant", model.p.population, rng)
    employer_stigma.static_labels(s, leaving, model.p.stigma, rng)
    s.person_id[leaving] = model.next_person_id + np.arange(leaving.size)
    model.next_person_id += leaving.size
    ww = rng.random(leaving.size) < p.entrant_ww_share
    s.benefit[leaving] = np.where(ww, S.WW, S.BIJSTAND)
    s.ww_months_left[leaving] = np.where(ww, 12, 0)
    s.months_on_benefit[leaving] = 0
    s.state[leaving] = S.UNEMPLOYED
    model.log.record(model.month, s.person_id[leaving], ENTRY_CODE, S.UNEMPLOYED, s.municipality[leaving],
                     "entered")


MECHANISM = Mechanism("demography", doc=__doc__, params=DemographyParams, step=step)
