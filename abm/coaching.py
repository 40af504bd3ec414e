"""Coaching capacity (BRIEF.md §1: caseload 1:350; attention is what works best).

Rule. A municipality has bijstand clients / caseload client managers; each can coach `intensive_per_manager`
clients intensively a month. Those coached are drawn at random among bijstand recipients who can work
(unemployed or in a participation job). Coaching raises search effort, lowers self-stigma and adds a little
skill (see search, self_stigma, skills). Managers cost money whether or not they coach.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.params import Section, param


class CoachingParams(Section):
    enabled: bool = param(True, doc="switch: off = nobody is coached")
    effort_boost: float = param(0.25, 0, 1, unit="effort", doc="extra search effort in a month of coaching")


def capped_choice(groups: np.ndarray, caps: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Positions of a random subset with at most caps[g] chosen per group g (vectorised, no Python loop)."""
    if groups.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((u, groups))
    g_sorted = groups[order]
    first = np.searchsorted(g_sorted, g_sorted, side="left")
    rank = np.arange(g_sorted.size) - first
    return order[rank < caps[g_sorted]]


def step(model) -> None:
    s = model.s
    s.coached[:] = False
    if not model.p.coaching.enabled:
        return
    pol = model.muni_policy
    clients = np.flatnonzero((s.benefit == S.BIJSTAND)
                             & ((s.state == S.UNEMPLOYED) | (s.state == S.PARTICIPATION)))
    managers = model.bijstand_count / pol["caseload"]
    capacity = np.floor(managers * pol["intensive_per_manager"]).astype(np.int64)
    u = model.streams["coaching"].random(clients.size)
    chosen = clients[capped_choice(s.municipality[clients], capacity, u)]
    s.coached[chosen] = True


def manager_cost(model) -> np.ndarray:
    """Monthly cost of client managers per municipality (agents' scale)."""
    pol = model.muni_policy
    return model.bijstand_count / pol["caseload"] * pol["manager_cost_year"] / 12.0
