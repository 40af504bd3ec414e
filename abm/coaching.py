"""Coaching capacity (docs/evidence.md E10: caseload 1:350; attention is what works best).

Rule. A municipality has bijstand clients / caseload client managers; each can coach `intensive_per_manager`
clients intensively a month. Those coached are drawn at random among bijstand recipients who can work
(unemployed or in a participation job). Coaching raises search effort, lowers self-stigma and adds a little
skill (see search, self_stigma, skills). Managers cost money whether or not they coach.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.rng import uniforms

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "coached": Column("bool", False, "received intensive coaching this month"),
}


class CoachingParams(Section):
    enabled: bool = param(True, doc="switch: off = nobody is coached")
    effort_boost: float = param(0.25, 0, 1, unit="effort", doc="extra search effort in a month of coaching")


def capped_choice(groups: np.ndarray, caps: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Positions of a uniformly random subset of min(caps[g], size of g) members of each group g.

    `groups` must be sorted (people are stored municipality by municipality). A generous Bernoulli
    pre-selection keeps the work linear; the pre-selected are then ranked by `u` and cut at the cap.
    """
    if groups.size == 0:
        return np.zeros(0, dtype=np.int64)
    n_groups = caps.size
    size = np.bincount(groups, minlength=n_groups)
    caps = np.asarray(caps, dtype=np.float64)
    want = caps + 4.0 * np.sqrt(caps) + 8.0
    prob = np.minimum(1.0, want / np.maximum(size, 1))
    # u / prob is uniform on [0, 1) for the pre-selected, so it also gives their random order
    pre = np.flatnonzero(u < prob[groups])
    g = groups[pre]
    order = np.lexsort((u[pre] / prob[g], g))
    start = np.searchsorted(g[order], np.arange(n_groups))
    rank = np.arange(g.size) - start[g[order]]
    return np.sort(pre[order[rank < caps[g[order]]]])


def step(model, month: Month) -> None:
    """Choose this month's intensively coached clients within each municipality's capacity."""
    s = model.s
    s.coached[:] = False
    if not model.p.coaching.enabled:
        return
    pol = model.muni_policy
    clients = np.flatnonzero((s.benefit == S.BIJSTAND)
                             & ((s.state == S.UNEMPLOYED) | (s.state == S.PARTICIPATION)))
    managers = model.bijstand_count / pol["caseload"]
    capacity = np.floor(managers * pol["intensive_per_manager"]).astype(np.int64)
    u = uniforms(model.key("coaching"), s.person_id[clients], 0)
    chosen = clients[capped_choice(s.municipality[clients], capacity, u)]
    s.coached[chosen] = True


def manager_cost(model) -> np.ndarray:
    """Monthly cost of client managers per municipality (agents' scale)."""
    pol = model.muni_policy
    return model.bijstand_count / pol["caseload"] * pol["manager_cost_year"] / 12.0


MECHANISM = Mechanism("coaching", doc=__doc__, params=CoachingParams, columns=COLUMNS, step=step)
