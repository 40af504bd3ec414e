"""The three job pools and the matching between applicants and open places.

- regular: open vacancies at regular firms (a place per vacancy);
- parallel: free funded places at social enterprises, satellite firms and sheltered workshops;
- basisbaan: municipal slots, filled by recruitment rather than applications (abm.basisbaan).

`greedy_match` is the rule of ARCHITECTURE.md step 6: each place takes its best acceptable applicant and
each applicant takes at most one place (the best-scoring one); places left free by a double winner are
offered again in a second round. It needs one sort of the applications and otherwise linear passes.
"""

from __future__ import annotations

import numpy as np


class SlotIndex:
    """Open places of one pool: the employer row of every place, and where each municipality's places are."""

    def __init__(self, employer: np.ndarray, employer_municipality: np.ndarray, n_munis: int):
        self.employer = employer
        self.municipality = employer_municipality[employer]
        self.bounds = np.searchsorted(self.municipality, np.arange(n_munis + 1))

    @property
    def size(self) -> int:
        return self.employer.size

    def count_in(self, municipality: np.ndarray) -> np.ndarray:
        return self.bounds[municipality + 1] - self.bounds[municipality]

    def pick(self, municipality: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A random place in each given municipality (-1 where it has none)."""
        count = self.count_in(municipality)
        slot = self.bounds[municipality] + np.floor(u * count).astype(np.int64)
        return np.where(count > 0, slot, -1)

    def first_place_of(self, employers: np.ndarray) -> np.ndarray:
        """The first open place of each employer (-1 if it has none)."""
        pos = np.searchsorted(self.employer, employers)
        ok = pos < self.employer.size
        ok[ok] = self.employer[pos[ok]] == employers[ok]
        return np.where(ok, pos, -1)


class MatchWorkspace:
    """Per-person scratch arrays reused by every match, so a month allocates nothing of population size."""

    def __init__(self, n_seekers: int):
        self.taken = np.zeros(n_seekers, dtype=bool)
        self.best = np.full(n_seekers, -1, dtype=np.int64)


def greedy_match(seeker: np.ndarray, slot: np.ndarray, score: np.ndarray, ws: MatchWorkspace, n_slots: int,
                 rounds: int = 2) -> np.ndarray:
    """Indices of the winning applications: best applicant per place, at most one place per applicant."""
    if score.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-score, kind="stable")
    seeker_o, slot_o = seeker[order], slot[order]
    slot_taken = np.zeros(n_slots, dtype=bool)
    winners = []
    for _ in range(rounds):
        alive = np.flatnonzero(~ws.taken[seeker_o] & ~slot_taken[slot_o])
        if alive.size == 0:
            break
        # best application per place: the first in score order (assign in reverse so the first wins)
        best_for_slot = np.full(n_slots, -1, dtype=np.int64)
        best_for_slot[slot_o[alive[::-1]]] = alive[::-1]
        cand = np.sort(best_for_slot[best_for_slot >= 0])
        # an applicant who is best at several places takes the best-scoring one
        ws.best[seeker_o[cand[::-1]]] = cand[::-1]
        win = ws.best[seeker_o[cand]]
        ws.best[seeker_o[cand]] = -1
        win = np.unique(win[win == cand])
        if win.size == 0:
            break
        ws.taken[seeker_o[win]] = True
        slot_taken[slot_o[win]] = True
        winners.append(win)
    for win in winners:
        ws.taken[seeker_o[win]] = False
    return order[np.concatenate(winners)] if winners else np.zeros(0, dtype=np.int64)
