"""The three job pools and the matching between applicants and open places.

- regular: open vacancies at regular firms (a place per vacancy);
- parallel: free funded places at social enterprises, satellite firms and sheltered workshops;
- basisbaan: municipal slots, filled by recruitment rather than applications (abm.basisbaan).

`FirmIndex` and `pick_place` choose the open place an application goes to so that the choice is stable
between a baseline and a variant (common random numbers): a firm is proposed in proportion to a size that does
not change during a run, and accepted with a chance that grows with its open places. Drawing a place by its
position among all open places instead would shift every later position when one vacancy is filled
differently, and so change where everybody's applications go (measured with `plm bench --crn`: 3x less noise
removed).

`greedy_match` is the rule of ARCHITECTURE.md step 6: each place takes its best acceptable applicant and
each applicant takes at most one place (the best-scoring one); places left free by a double winner are
offered again in a second round. It runs in linear time (a compiled kernel, checked against a sort-based
statement of the rule in tests/test_pools.py).
"""

from __future__ import annotations

import numpy as np

from abm.jit import jit
from abm.rng import uniform

# A firm is accepted with chance min(1, open places / (ACCEPT_SHARE × its size)): in proportion to its open
# places up to a quarter of its size (few firms have more open; ~8 proposals per application on average).
ACCEPT_SHARE = 0.25
MAX_PROPOSALS = 32


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


class FirmIndex:
    """The employers of one pool by municipality, with a fixed size (proposal weight) and this month's open
    places (the range of each employer's places in the pool's SlotIndex)."""

    def __init__(self, rows: np.ndarray, employer_municipality: np.ndarray, size: np.ndarray, slots: SlotIndex,
                 n_munis: int, accept_share: float):
        self.rows = rows
        self.bounds = np.searchsorted(employer_municipality[rows], np.arange(n_munis + 1))
        weight = np.maximum(size[rows].astype(np.float64), 1.0)
        self.cum = np.cumsum(weight)
        self.weight = weight
        self.first = np.searchsorted(slots.employer, rows)
        self.open = np.searchsorted(slots.employer, rows, side="right") - self.first
        self.accept_share = float(accept_share)

    def arrays(self) -> tuple:
        return self.bounds, self.cum, self.weight, self.first, self.open, self.accept_share


@jit
def pick_place(d, key, ident, draw, bounds, cum, weight, first, open_places, accept_share, slot_bounds, u_fallback):
    """An open place in municipality `d` for one application (-1 if it has none).

    Proposals use draws `draw, draw + 1, ...` of the application's sender `ident`: a firm proposed in proportion
    to its fixed size is accepted with chance min(1, open / (accept_share × size)), and the place within the firm
    follows the last draw. After MAX_PROPOSALS refusals (rare) a place is taken at random among all open places
    of `d` (with `u_fallback`)."""
    count = slot_bounds[d + 1] - slot_bounds[d]
    if count <= 0:
        return -1
    a, b = bounds[d], bounds[d + 1]
    if b > a:
        lo = cum[a - 1] if a > 0 else 0.0
        span = cum[b - 1] - lo
        for t in range(MAX_PROPOSALS):
            x = lo + uniform(key, ident, draw + 3 * t) * span
            f = min(a + np.searchsorted(cum[a:b], x, side="right"), b - 1)
            v = open_places[f]
            if v > 0 and uniform(key, ident, draw + 3 * t + 1) * accept_share * weight[f] < v:
                return first[f] + min(int(uniform(key, ident, draw + 3 * t + 2) * v), v - 1)
    return slot_bounds[d] + min(int(u_fallback * count), count - 1)


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
