"""The three job pools and the matching between applicants and open places.

- regular: open vacancies at regular firms (a place per vacancy);
- parallel: free funded places at social enterprises, satellite firms and sheltered workshops;
- basisbaan: municipal slots, filled by recruitment rather than applications (abm.basisbaan).

`greedy_match` is the rule of ARCHITECTURE.md step 6: each place takes its best acceptable applicant and
each applicant takes at most one place (the best-scoring one); places left free by a double winner are
offered again in a second round. It runs in linear time (a compiled kernel, checked against a sort-based
statement of the rule in tests/test_pools.py).
"""

from __future__ import annotations

import numpy as np

from abm.jit import jit


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
    return _greedy(seeker, slot, score, n_slots, rounds, ws.taken, ws.best)


@jit
def _greedy(seeker, slot, score, n_slots, rounds, taken, best_of_seeker):
    """Linear-time rounds: every free place finds its best free applicant; an applicant who is best at several
    places takes the best-scoring one; places left free are offered again next round. (Ties in score, which
    the continuous noise makes vanishingly rare, go to the earlier application.)"""
    n = seeker.size
    slot_taken = np.zeros(n_slots, dtype=np.bool_)
    best_of_slot = np.full(n_slots, -1, dtype=np.int64)
    winners = np.empty(min(n, n_slots), dtype=np.int64)
    n_win = 0
    for _ in range(rounds):
        for k in range(n):
            j = slot[k]
            if taken[seeker[k]] or slot_taken[j]:
                continue
            b = best_of_slot[j]
            if b < 0 or score[k] > score[b]:
                best_of_slot[j] = k
        for k in range(n):  # applicants choose among the places they top
            j = slot[k]
            if best_of_slot[j] == k:
                i = seeker[k]
                c = best_of_seeker[i]
                if c < 0 or score[k] > score[c] or (score[k] == score[c] and k < c):
                    best_of_seeker[i] = k
        new = 0
        for k in range(n):
            j = slot[k]
            if best_of_slot[j] == k and best_of_seeker[seeker[k]] == k:
                winners[n_win] = k
                n_win += 1
                new += 1
        for w in range(n_win - new, n_win):  # the winners take their places
            k = winners[w]
            taken[seeker[k]] = True
            slot_taken[slot[k]] = True
        for k in range(n):  # clear the round's marks
            best_of_seeker[seeker[k]] = -1
            best_of_slot[slot[k]] = -1
        if new == 0:
            break
    for w in range(n_win):
        taken[seeker[winners[w]]] = False
    return np.sort(winners[:n_win])
