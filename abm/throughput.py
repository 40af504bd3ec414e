"""Throughput (doorstroom) from parallel and basisbaan jobs into regular work (BRIEF.md §3, §5).

Rule. Recent work experience raises an employer's score: a person with `months_subsidised` of parallel or
basisbaan work (saturating at `saturation_months`) gets `weight × experience` while still in that work or
within `recency_months` after it. People in those jobs keep searching on the job, less so on a permanent
basisbaan (lock-in) than on a temporary one; a throughput goal makes coaches push them on.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.params import Section, param


class ThroughputParams(Section):
    enabled: bool = param(True, doc="switch: off = subsidised experience does not count for employers")
    weight: float = param(0.25, 0, 5, unit="score", doc="score bonus of full recent experience")
    saturation_months: int = param(12, 1, 120, unit="months", doc="experience that counts in full")
    recency_months: int = param(12, 0, 120, unit="months", doc="how long experience stays recent")
    otj_parallel: float = param(0.2, 0, 1, unit="ratio", doc="on-the-job search of parallel workers")
    otj_basisbaan_permanent: float = param(0.15, 0, 1, unit="ratio",
                                           doc="on-the-job search on a permanent basisbaan (lock-in)")
    otj_basisbaan_temporary: float = param(0.6, 0, 1, unit="ratio",
                                           doc="on-the-job search on a temporary basisbaan")
    otj_throughput_goal: float = param(0.6, 0, 1, unit="ratio",
                                       doc="on-the-job search when the programme has a throughput goal")


def experience(model, seekers: np.ndarray) -> np.ndarray:
    """Experience bonus in the hiring score."""
    p, s = model.p.throughput, model.s
    if not p.enabled:
        return np.zeros(seekers.shape, dtype=np.float32)
    amount = np.minimum(s.months_subsidised[seekers], p.saturation_months) / p.saturation_months
    recent = s.months_since_subsidised[seekers] <= p.recency_months
    return p.weight * amount * recent


def on_the_job_factor(model, rows: np.ndarray) -> np.ndarray:
    """Search effort multiplier for people already in parallel or basisbaan work (1 for others)."""
    p, s = model.p.throughput, model.s
    st = s.state[rows]
    goal = model.muni_policy["basisbaan_throughput_goal"][s.municipality[rows]]
    bb = np.where(goal, p.otj_throughput_goal,
                  np.where(s.contract[rows] == S.TEMPORARY, p.otj_basisbaan_temporary, p.otj_basisbaan_permanent))
    return np.select([st == S.PARALLEL, st == S.BASISBAAN], [p.otj_parallel, bb], default=1.0)


def update(model) -> None:
    """Count months of subsidised work and months since."""
    s = model.s
    sub = (s.state == S.PARALLEL) | (s.state == S.BASISBAAN)
    s.months_subsidised += sub
    s.months_since_subsidised = np.where(sub, 0, np.minimum(s.months_since_subsidised + 1, 9999)).astype(np.int32)
