"""Skills growth and decay (docs/evidence.md E3, E41, human-capital depreciation).

Rule. Loonwaarde grows while working (learning by doing) toward a cap set by education, lower with a work
limitation (`population.skill_cap`):
+ growth × (cap - skill) a month, faster with coaching; it decays out of work by `decay` a month (half as fast
in a participation job). Parallel and basisbaan work count as work.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.jit import jit_parallel, prange
from abm.mechanism import Mechanism, Month
from abm.params import Section, param
from abm.population import LIMITATION_SKILL, skill_cap


class SkillParams(Section):
    enabled: bool = param(True, doc="switch: off = skills stay as they are")
    growth: float = param(0.015, 0, 1, unit="share of gap per month", doc="learning at work")
    decay: float = param(0.003, 0, 1, unit="share per month", doc="loss out of work")
    coaching_gain: float = param(0.003, 0, 1, unit="per month", doc="gain in a month of coaching")


@jit_parallel
def _update(state, education, work_limitation, coached, skill, cap_by_education, limitation_cut, growth, decay,
            coaching_gain):
    for i in prange(state.size):
        st = state[i]
        if st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN:
            gap = cap_by_education[education[i]] - (limitation_cut if work_limitation[i] else 0.0) - skill[i]
            if gap > 0:
                skill[i] += growth * gap
        elif st == S.PARTICIPATION:
            skill[i] -= 0.5 * decay * skill[i]
        else:
            skill[i] -= decay * skill[i]
        if coached[i]:
            skill[i] += coaching_gain
        skill[i] = min(max(skill[i], 0.05), 1.3)


def step(model, month: Month) -> None:
    """Skills grow at work, decay out of it, and gain from coaching."""
    p, s = model.p.skills, model.s
    if not p.enabled:
        return
    _update(s.state, s.education, s.work_limitation, s.coached, s.skill, skill_cap(np.arange(3)), LIMITATION_SKILL,
            p.growth, p.decay, p.coaching_gain)


MECHANISM = Mechanism("skills", doc=__doc__, params=SkillParams, step=step)
