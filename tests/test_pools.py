"""The matching rule of the job pools, against a plain sort-based statement of the same rule."""

from __future__ import annotations

import numpy as np

from environments.pools import MatchWorkspace, SlotIndex, greedy_match


def reference_match(seeker, slot, score, n_seekers, n_slots, rounds=2):
    """Sort applications by score; each round every free place takes its best free applicant and an applicant
    who tops several places takes the best-scoring one."""
    order = np.argsort(-score, kind="stable")
    taken_seeker, taken_slot, won = set(), set(), []
    for _ in range(rounds):
        best_of_slot = {}
        for k in order:
            if seeker[k] in taken_seeker or slot[k] in taken_slot:
                continue
            best_of_slot.setdefault(slot[k], k)
        best_of_seeker = {}
        for k in sorted(best_of_slot.values(), key=lambda k: (-score[k], k)):
            best_of_seeker.setdefault(seeker[k], k)
        new = sorted(best_of_seeker.values())
        if not new:
            break
        for k in new:
            taken_seeker.add(seeker[k])
            taken_slot.add(slot[k])
        won += new
    return np.array(sorted(won), dtype=np.int64)


def test_matching_follows_the_rule_on_random_instances():
    rng = np.random.default_rng(0)
    for _ in range(300):
        n, n_seekers, n_slots = rng.integers(1, 300), rng.integers(1, 50), rng.integers(1, 50)
        seeker = rng.integers(0, n_seekers, n)
        slot = rng.integers(0, n_slots, n)
        score = rng.random(n)
        ws = MatchWorkspace(n_seekers)
        got = greedy_match(seeker, slot, score, ws, n_slots)
        assert np.array_equal(got, reference_match(seeker, slot, score, n_seekers, n_slots))
        # each place and each person at most once; workspace left clean for the next match
        assert np.unique(slot[got]).size == got.size and np.unique(seeker[got]).size == got.size
        assert not ws.taken.any() and (ws.best == -1).all()


def test_second_round_fills_a_place_left_by_a_double_winner():
    # person 0 tops both places; takes place 0 (higher score); place 1 goes to person 1 in round two
    seeker = np.array([0, 0, 1])
    slot = np.array([0, 1, 1])
    score = np.array([0.9, 0.8, 0.5])
    got = greedy_match(seeker, slot, score, MatchWorkspace(2), 2)
    assert got.tolist() == [0, 2]
    assert greedy_match(seeker, slot, score, MatchWorkspace(2), 2, rounds=1).tolist() == [0]


def test_slot_index_picks_places_in_the_right_municipality():
    employer_municipality = np.array([0, 0, 1, 2])
    slots = SlotIndex(np.array([0, 0, 1, 3, 3]), employer_municipality, 3)
    assert slots.count_in(np.array([0, 1, 2])).tolist() == [3, 0, 2]
    picked = slots.pick(np.array([0, 1, 2]), np.array([0.99, 0.5, 0.0]))
    assert picked.tolist() == [2, -1, 3]
    assert slots.first_place_of(np.array([3, 2, 0])).tolist() == [3, -1, 0]
