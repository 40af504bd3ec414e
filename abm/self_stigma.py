"""Anticipated stigma and self-stigma: the "why try" effect (docs/evidence.md E19-E20, Brouwers 2016).

Rule. Self-stigma s in [0, 1] moves each month:
- up with rejections: + rejection_rate × (1 - s) × min(rejections, 3) / 3;
- toward the stigma a person perceives around them (the labels they carry times employers' mean beliefs):
  + perceived_rate × (perceived - s);
- down with coaching, with being in work, and with ties who found work this month.
Search effort is multiplied by (1 - why_try × s): the more self-stigma, the fewer applications. Work lowers
self-stigma and lower self-stigma raises the chance of work: the two-way loop of docs/evidence.md E20.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from abm import states as S
from abm.jit import CHUNKS, chunk_bounds, jit, jit_parallel, prange
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "self_stigma": Column("float32", 0.0, "self-stigma, 0..1"),
}


class SelfStigmaParams(Section):
    enabled: bool = param(True, doc="switch: off = self-stigma does not lower search effort")
    why_try: float = param(0.8, 0, 1, unit="share", doc="effort lost at full self-stigma",
                           source="docs/evidence.md E19 (Brouwers 2016)")
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


# The rates of the rule (this module's docstring) as a plain tuple the compiled kernels can read.
StigmaRule = namedtuple("StigmaRule", "rejection_rate perceived_rate coaching_relief work_relief "
                                      "participation_relief peer_relief")


def rule(model) -> StigmaRule:
    p = model.p.self_stigma
    return StigmaRule(p.rejection_rate, p.perceived_rate, p.coaching_relief, p.work_relief, p.participation_relief,
                      p.peer_relief)


@jit_parallel
def _update(x, rejections, coached, state, label, mean_belief, peers_hired, r):
    """One pass: the month's move of self-stigma (x and peers_hired are written, so they stay plain arrays);
    returns the mean stigma people perceive (a metric)."""
    bounds = chunk_bounds(x.size, CHUNKS)
    partial = np.zeros(CHUNKS)
    for c in prange(CHUNKS):
        partial[c] = _update_chunk(x, rejections, coached, state, label, mean_belief, peers_hired, r,
                                   bounds[c], bounds[c + 1])
    total = 0.0
    for c in range(CHUNKS):
        total += partial[c]
    return total / max(x.size, 1)


@jit
def _update_chunk(x, rejections, coached, state, label, mean_belief, peers_hired, r, lo, hi):
    total = 0.0
    n_groups = label.shape[1]
    for i in range(lo, hi):
        perceived = 0.0
        for g in range(n_groups):
            perceived += label[i, g] * mean_belief[g]
        total += perceived
        perceived = min(max(perceived, 0.0), 1.0)
        st = state[i]
        paid = st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN
        xi = x[i]
        dx = r.rejection_rate * (1.0 - xi) * min(rejections[i], 3) / 3.0
        relief = r.coaching_relief * coached[i] + r.peer_relief * peers_hired[i]
        if paid:
            relief += r.work_relief
        else:
            dx += r.perceived_rate * (perceived - xi)
            if st == S.PARTICIPATION:
                relief += r.participation_relief
        dx -= relief * xi
        x[i] = min(max(xi + dx, 0.0), 1.0)
        peers_hired[i] = 0
    return total


@jit
def _mark_circles(peers, rows, indptr, indices):
    for i in rows:
        for k in range(indptr[i], indptr[i + 1]):
            peers[indices[k]] += 1


def step(model, month: Month) -> None:
    """Self-stigma moves with rejections, perceived stigma, coaching, work and ties hired this month."""
    update(model, month.hired)


def update(model, hired_rows: np.ndarray) -> None:
    """Monthly move of self-stigma for everybody; also records the mean stigma people meet."""
    p = model.p.self_stigma
    s = model.s
    peers = model.scratch_count
    if hired_rows.size and p.peer_relief > 0:
        # the circle of each person who found work this month sees it (acquaintance is taken as mutual)
        _mark_circles(peers, hired_rows, model.social.indptr, model.social.indices)
    model.mean_perceived_stigma = _update(s.self_stigma, s.rejections, s.coached, s.state, s.label,
                                          model.mean_regular_belief, peers, rule(model))


MECHANISM = Mechanism("self_stigma", doc=__doc__, params=SelfStigmaParams, columns=COLUMNS, step=step)
