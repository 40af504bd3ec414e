"""Displacement (verdringing) of regular work by subsidised work (docs/evidence.md E58).

Rule. Each parallel or basisbaan worker does tasks that overlap with regular jobs by `overlap` (a share of a
job); the municipality's additionality test removes a share `additionality_test` of that overlap. The stock
of displaced regular jobs in a municipality is the sum over its subsidised workers. When the stock grows,
regular jobs (first open vacancies) disappear from regular firms there; when it shrinks, they come back.
A strict test therefore keeps displacement down; parallel organisations that sell on the market overlap more
than tested basisbaan tasks.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.mechanism import Mechanism, Month
from abm.params import Section, param
from abm.rng import uniforms


class DisplacementParams(Section):
    enabled: bool = param(True, doc="switch: off = subsidised work never replaces regular jobs")
    overlap_parallel: float = param(0.35, 0, 1, unit="jobs per worker",
                                    doc="overlap of parallel-market work with regular jobs, untested")
    overlap_basisbaan: float = param(0.30, 0, 1, unit="jobs per worker",
                                     doc="overlap of basisbaan tasks with regular jobs, untested")


def target_stock(model) -> np.ndarray:
    """Displaced regular jobs each municipality should have given its subsidised workers (agents' scale)."""
    p, s = model.p.displacement, model.s
    if not p.enabled:
        return np.zeros(model.n_munis)
    keep = 1.0 - model.muni_policy["additionality_test"]
    par = np.bincount(s.municipality[s.state == S.PARALLEL], minlength=model.n_munis)
    bb = np.bincount(s.municipality[s.state == S.BASISBAAN], minlength=model.n_munis)
    return (par * p.overlap_parallel + bb * p.overlap_basisbaan) * keep


def step(model, month: Month) -> None:
    """Remove or restore regular jobs so the displaced stock follows its target."""
    e = model.e
    target = np.round(target_stock(model)).astype(np.int64)
    delta = target - model.displaced
    if not delta.any():
        return
    key = model.key("displacement")
    for m in np.flatnonzero(delta):
        u = uniforms(key, m * 2**32 + np.arange(abs(int(delta[m])), dtype=np.int64), 0)  # the municipality's own
        firms = model.regular_firms_in[m]
        if firms.size == 0:
            continue
        weights = e.regular_jobs[firms].astype(float)
        if delta[m] > 0:
            k = int(min(delta[m], weights.sum()))
            if k == 0:
                continue
            picks = firms[np.searchsorted(np.cumsum(weights), u[:k] * weights.sum(), side="right")]
            np.subtract.at(e.regular_jobs, picks, 1)
            has_vac = e.vacancies[picks] > 0
            np.subtract.at(e.vacancies, picks[has_vac], 1)
            model.displaced[m] += k
        else:
            k = int(-delta[m])
            weights = weights + 1.0
            picks = firms[np.searchsorted(np.cumsum(weights), u[:k] * weights.sum(), side="right")]
            np.add.at(e.regular_jobs, picks, 1)
            np.add.at(e.vacancies, picks, 1)
            model.displaced[m] -= k
    np.maximum(e.regular_jobs, 0, out=e.regular_jobs)
    np.minimum(e.vacancies, e.regular_jobs, out=e.vacancies)
    np.maximum(e.vacancies, 0, out=e.vacancies)


MECHANISM = Mechanism("displacement", doc=__doc__, params=DisplacementParams, step=step)
