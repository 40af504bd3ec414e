"""Skills growth and decay (BRIEF.md §2.6, human-capital depreciation).

Rule. Loonwaarde grows while working (learning by doing) toward a cap set by education:
+ growth × (cap - skill) a month, faster with coaching; it decays out of work by `decay` a month (half as fast
in a participation job). Parallel and basisbaan work count as work.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.params import Section, param
from abm.population import skill_cap


class SkillParams(Section):
    enabled: bool = param(True, doc="switch: off = skills stay as they are")
    growth: float = param(0.015, 0, 1, unit="share of gap per month", doc="learning at work")
    decay: float = param(0.003, 0, 1, unit="share per month", doc="loss out of work")
    coaching_gain: float = param(0.003, 0, 1, unit="per month", doc="gain in a month of coaching")


def update(model) -> None:
    p, s = model.p.skills, model.s
    if not p.enabled:
        return
    paid = S.is_paid(s.state)
    cap = skill_cap(s.education)
    grow = p.growth * np.maximum(cap - s.skill, 0)
    loss = p.decay * s.skill * np.where(s.state == S.PARTICIPATION, 0.5, 1.0)
    s.skill += np.where(paid, grow, -loss) + p.coaching_gain * s.coached
    np.clip(s.skill, 0.05, 1.3, out=s.skill)
