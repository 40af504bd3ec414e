"""The three job pools and the matching between applicants and open places.

- regular: open vacancies at regular firms (a place per vacancy);
- parallel: free funded places at social enterprises, satellite firms and sheltered workshops;
- basisbaan: municipal slots, filled by recruitment rather than applications (abm.basisbaan).

`PlaceRing` and `pick_place` choose the open place an application goes to so that the choice is stable
between a baseline and a variant (common random numbers): every open place sits at its own random point on a
circle (a hash of the month, its employer and its number at that employer), and an application goes to the
first open place after a uniform point of its own. Each open place is equally likely in expectation, and a
place that opens or closes changes only the applications that fell just before it. Drawing a place by its
position among all open places instead would shift every later position when one vacancy is filled
differently, and so change where everybody's applications go (measured with `plm bench --crn`).

`greedy_match` is the rule of ARCHITECTURE.md step 6: each place takes its best acceptable applicant and
each applicant takes at most one place (the best-scoring one); places left free by a double winner are
offered again in a second round. It runs in linear time (a compiled kernel, checked against a sort-based
statement of the rule in tests/test_pools.py).
"""

from __future__ import annotations

import numpy as np

from abm.jit import jit
from abm.rng import uniforms


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


class PlaceRing:
    """The open places of one pool on a circle per municipality: each place's point is a hash of the month, its
    employer and its number at that employer; `keys` are the points sorted within each municipality and `slots`
    the places in that order (indices into the pool's SlotIndex)."""

    def __init__(self, slots: SlotIndex, key: np.uint64):
        emp = slots.employer
        first = np.searchsorted(emp, emp)  # places are grouped by employer
        ident = emp.astype(np.int64) * 65_536 + np.minimum(np.arange(emp.size) - first, 65_535)
        point = uniforms(key, ident, 0)
        self.slots = np.lexsort((point, slots.municipality)).astype(np.int64)
        self.keys = point[self.slots]


@jit
def pick_place(d, u, slot_bounds, ring_keys, ring_slots):
    """The open place in municipality `d` for an application whose own point on the circle is `u` (-1 if `d` has
    no open place): the first place at or after `u`, wrapping round."""
    a, b = slot_bounds[d], slot_bounds[d + 1]
    if b <= a:
        return -1
    j = a + np.searchsorted(ring_keys[a:b], u)
    return ring_slots[a if j >= b else j]


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
