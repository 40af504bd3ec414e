"""Skills growth and decay (docs/evidence.md E3, E41, human-capital depreciation).

Rule. Loonwaarde grows while working (learning by doing) toward a cap set by education, lower with a work
limitation (`population.skill_cap`), and no more than `learning_room` above the person's own loonwaarde as drawn
(`personal_cap`; assumption: without it people drawn with a low loonwaarde, in disability and sheltered work,
learned up to the education cap over the years and the inclusion gap drifted):
+ growth × (cap - skill) a month, faster with coaching, and `basisbaan_growth` times that in a basisbaan (public job
creation builds little of the human capital regular employers pay for: Card, Kluve & Weber 2018, docs/evidence.md
E86; the share is an assumption); it decays out of work by `decay` a month (half as fast
in a participation job), but not below `decay_floor` times the person's own loonwaarde as drawn (`skill_base`):
what years out of work take is the recent practice, not all one learned (assumption). Without the floor skills
out of work fell for decades and the baseline's employment drifted (docs/model.md, "A baseline that stands
still"); the people out of work at the start have already lost what their months out of work took
(`population.build_people`). Parallel and basisbaan work count as work.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.jit import jit_parallel, prange
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.population import LIMITATION_SKILL, skill_cap


class SkillParams(Section):
    enabled: bool = param(True, doc="switch: off = skills stay as they are")
    growth: float = param(0.015, 0, 1, unit="share of gap per month", doc="learning at work")
    decay: float = param(0.003, 0, 1, unit="share per month", doc="loss out of work")
    coaching_gain: float = param(0.003, 0, 1, unit="per month", doc="gain in a month of coaching")
    learning_room: float = param(0.15, 0, 1.3, unit="loonwaarde",
                                 doc="work raises loonwaarde at most this much above the person's own as drawn")
    decay_floor: float = param(0.8, 0, 1, unit="share of own skill",
                               doc="out of work, loonwaarde falls no lower than this share of the person's own")
    basisbaan_growth: float = param(0.5, 0, 1, unit="share of growth at regular work",
                                    doc="learning in a basisbaan as a share of learning in regular work",
                                    source="assumption bounded by docs/evidence.md E86 (Card, Kluve & Weber 2018: "
                                           "public job creation builds little human capital)")


# The state column this mechanism owns (abm/mechanism.py).
COLUMNS = {"skill_base": Column("float32", 0.0, "loonwaarde as drawn with the person (the floor of decay scales "
                                                "with it)")}


@jit_parallel
def _update(state, education, work_limitation, coached, skill, skill_base, cap_by_education, limitation_cut, growth,
            decay, coaching_gain, decay_floor, room, basisbaan_growth):
    for i in prange(state.size):
        st = state[i]
        if st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN:
            cap = min(cap_by_education[education[i]] - (limitation_cut if work_limitation[i] else 0.0),
                      skill_base[i] + room)
            gap = cap - skill[i]
            if gap > 0:
                skill[i] += (basisbaan_growth if st == S.BASISBAAN else 1.0) * growth * gap
        else:
            lost = (0.5 * decay if st == S.PARTICIPATION else decay) * skill[i]
            skill[i] = max(skill[i] - lost, min(skill[i], decay_floor * skill_base[i]))
        if coached[i]:
            skill[i] += coaching_gain
        skill[i] = min(max(skill[i], 0.05), 1.3)


def step(model, month: Month) -> None:
    """Skills grow at work, decay out of it, and gain from coaching."""
    p, s = model.p.skills, model.s
    if not p.enabled:
        return
    _update(s.state, s.education, s.work_limitation, s.coached, s.skill, s.skill_base, skill_cap(np.arange(3)),
            LIMITATION_SKILL, p.growth, p.decay, p.coaching_gain, p.decay_floor, p.learning_room, p.basisbaan_growth)


def personal_cap(s, p: SkillParams) -> np.ndarray:
    """Every person's cap of learning at work (the rule of `step`)."""
    return np.minimum(skill_cap(s.education, s.work_limitation), s.skill_base + np.float32(p.learning_room))


def settle(model, rows: np.ndarray) -> None:
    """Loonwaarde of people out of work at the start: what their months out of work took, at `decay` a month
    from their own, down to the floor (the same rule as `step`, applied for the months behind them). It describes
    the past, so it applies also when the mechanism is switched off for the run."""
    p, s = model.p.skills, model.s
    if rows.size == 0:
        return
    base = s.skill_base[rows]
    lost = base * (1.0 - p.decay) ** s.months_out[rows].astype(np.float64)
    s.skill[rows] = np.maximum(lost, np.minimum(base, p.decay_floor * base)).astype(np.float32)


MECHANISM = Mechanism("skills", doc=__doc__, params=SkillParams, columns=COLUMNS, step=step)
