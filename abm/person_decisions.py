"""People's own decisions on offers, given from outside the model (a workshop's job seekers; issue 11 §1).

Rule. A scenario's `[[person_decisions]]` (abm.scenario.PersonDecision: month, person_id, accept | refuse | model)
say how one person answers offers from that month on, until their next decision:
- `accept`: they take every job offer (abm/hiring.py `_offers`, both pools) and, when a basisbaan interview
  reaches the person's own choice, the place (abm/basisbaan.py `interview`);
- `refuse`: they turn every such offer down (a refused basisbaan place ends as `not_interested`, the model's own
  outcome for someone who declines);
- `model`: the model's acceptance rule decides again (net gain plus the value of work, docs/model.md).
A decision changes only the person's answer: who gets an offer, and the screens a basisbaan interview applies
before the person's choice (eligibility, prospects, health), stay the model's. A decision draws nothing, so a
run without decisions is the same run, number for number (`python -m tests.golden check`).
"""

from __future__ import annotations

import numpy as np


def choices(scenario, month: int) -> dict[int, str]:
    """Each decided person's latest decision in `month`: person_id -> accept, refuse or model (a later entry wins
    a tie of months)."""
    now: dict[int, str] = {}
    for d in sorted(scenario.person_decisions, key=lambda d: d.month):   # stable
        if d.month <= month:
            now[d.person_id] = d.decision
    return now


def standing(scenario, month: int) -> dict[int, bool]:
    """The decisions in effect in `month`: person_id -> True (accept) or False (refuse); `model` drops out."""
    return {pid: choice == "accept" for pid, choice in choices(scenario, month).items() if choice != "model"}


def decided(model, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """For the people in `rows`: (has a standing decision, accepts), or None when no decision stands now."""
    if not model.p.person_decisions:
        return None
    now = standing(model.p, model.month)
    if not now:
        return None
    pid = model.s.person_id[rows]
    has, accepts = np.zeros(rows.size, dtype=bool), np.zeros(rows.size, dtype=bool)
    for person, choice in now.items():
        mine = pid == person
        has |= mine
        accepts[mine] = choice
    return has, accepts


def answer(model, rows: np.ndarray, accept: np.ndarray) -> np.ndarray:
    """`accept` (the model's answer of the people in `rows` to their offers) with the standing decisions
    applied; the same array when no decision stands."""
    found = decided(model, rows)
    if found is None:
        return accept
    has, accepts = found
    return np.where(has, accepts, accept)
