"""Anticipated stigma and self-stigma: the "why try" effect (BRIEF.md §2.2, Brouwers 2016).

Rule. Self-stigma s in [0, 1] moves each month:
- up with rejections: + rejection_rate × (1 - s) × min(rejections, 3) / 3;
- toward the stigma a person perceives around them (the labels they carry times employers' mean beliefs):
  + perceived_rate × (perceived - s);
- down with coaching, with being in work, and with ties who found work this month.
Search effort is multiplied by (1 - why_try × s): the more self-stigma, the fewer applications. Work lowers
self-stigma and lower self-stigma raises the chance of work: the two-way loop of the brief.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.params import Section, param


class SelfStigmaParams(Section):
    enabled: bool = param(True, doc="switch: off = self-stigma does not lower search effort")
    why_try: float = param(0.8, 0, 1, unit="share", doc="effort lost at full self-stigma",
                           source="Brouwers 2016 (BRIEF.md §2.2)")
    rejection_rate: float = param(0.04, 0, 1, unit="per month", doc="rise with rejections")
    perceived_rate: float = param(0.03, 0, 1, unit="per month", doc="pull toward perceived stigma")
    coaching_relief: float = param(0.08, 0, 1, unit="per month", doc="fall with coaching")
    work_relief: float = param(0.05, 0, 1, unit="per month", doc="fall while in paid work")
    participation_relief: float = param(0.02, 0, 1, unit="per month", doc="fall while doing a participation job")
    peer_relief: float = param(0.05, 0, 1, unit="per tie", doc="fall when a tie finds work")


def effort_factor(model, rows: np.ndarray) -> np.ndarray:
    p = model.p.self_stigma
    if not p.enabled:
        return np.ones(rows.shape, dtype=np.float32)
    return 1.0 - p.why_try * model.s.self_stigma[rows]


def update(model, hired_rows: np.ndarray) -> None:
    """Monthly move of self-stigma for everybody (vectorised)."""
    p = model.p.self_stigma
    s = model.s
    x = s.self_stigma
    rej = np.minimum(s.rejections, 3).astype(np.float32) / 3.0
    mean_belief = model.mean_regular_belief
    perceived = np.clip(s.label @ mean_belief, 0, 1)
    paid = S.is_paid(s.state)
    dx = p.rejection_rate * (1 - x) * rej + p.perceived_rate * (perceived - x) * ~paid
    dx -= (p.coaching_relief * s.coached + p.work_relief * paid
           + p.participation_relief * (s.state == S.PARTICIPATION)) * x
    if hired_rows.size and p.peer_relief > 0:
        # the circle of each person who found work this month sees it (acquaintance is taken as mutual)
        _, circle = model.social.ties_of(hired_rows)
        np.subtract.at(dx, circle, p.peer_relief * x[circle])
    np.clip(x + dx, 0, 1, out=x)
