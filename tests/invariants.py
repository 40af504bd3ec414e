"""Invariants the model must keep every month; `check_all` returns the violations found (empty = fine)."""

from __future__ import annotations

import numpy as np

from abm import acquisition
from abm import states as S
from abm.accounting import SPEND_COMPONENTS


def check_all(model) -> list[str]:
    s, e = model.s, model.e
    bad: list[str] = []
    # every person in exactly one known labour state; identities unique
    if s.state.min() < 0 or s.state.max() >= S.N_STATES:
        bad.append("state code out of range")
    if np.unique(s.person_id).size != s.n:
        bad.append("duplicate person_id")
    paid = S.is_paid(s.state)
    # work and contracts go together
    if (s.hours[paid] <= 0).any():
        bad.append("paid worker with no hours")
    if (s.contract[paid] == S.NO_CONTRACT).any():
        bad.append("paid worker without contract")
    if (s.employer[~paid] != -1).any() or (s.contract[~paid] != S.NO_CONTRACT).any():
        bad.append("non-worker with an employer or contract")
    if (s.employer[s.state == S.REGULAR] < 0).any():
        bad.append("regular worker without employer")
    if (s.benefit[(s.state == S.UNEMPLOYED)] == S.NO_BENEFIT).any():
        bad.append("unemployed person without a benefit (should be inactive)")
    # employer counters match the people
    par = s.state == S.PARALLEL
    filled = np.bincount(s.employer[par & (s.employer >= 0)], minlength=e.n)
    if not np.array_equal(filled, e.parallel_filled):
        bad.append("parallel_filled does not match parallel workers")
    if (e.parallel_filled > e.parallel_capacity).any():
        bad.append("parallel places over capacity")
    reg = (s.state == S.REGULAR) & s.in_register & (s.employer >= 0)
    if not np.array_equal(np.bincount(s.employer[reg], minlength=e.n), e.register_employees):
        bad.append("register_employees does not match")
    if (e.vacancies < 0).any() or (e.regular_jobs < 0).any():
        bad.append("negative vacancies or jobs")
    if (e.vacancies > e.regular_jobs).any():
        bad.append("more vacancies than jobs")
    # budgets: never negative; what could not be paid is a recorded deficit; the books balance
    b = model.budgets
    if (b.benefit_left < -1e-6).any() or (b.participation_left < -1e-6).any():
        bad.append("negative budget")
    balance = b.allocated - b.spent - (b.benefit_left + b.participation_left - b.deficit)
    if np.abs(balance).max() > 1e-6 * max(1.0, b.allocated.max()):
        bad.append("budget books do not balance")
    # money identities of the month
    m = model.current_metrics
    if model.month > 0:
        parts = sum(m[k] for k in SPEND_COMPONENTS)
        if abs(parts - m["municipal_spend"]) > 1e-6 * max(1.0, abs(parts)):
            bad.append("spend components do not add up")
        if abs(m["municipal_spend"] - m["municipal_receipts"] - m["municipal_net_cost"]) > 1e-6 * max(1.0, parts):
            bad.append("net cost != spend - receipts")
        if abs(m["municipal_net_cost"] + m["account_municipality_net"]) > 1e-6 * max(1.0, parts):
            bad.append("net cost != minus the municipality's account in the ledger")
    # places of each programme, per municipality (agents) and in the time series (people): filled <= acquired <=
    # planned, vacant = acquired - filled (abm/acquisition.py)
    for programme in acquisition.PROGRAMMES:
        p = acquisition.places(model, programme)
        if (p["filled"] > p["acquired"]).any() or (p["acquired"] > p["planned"]).any():
            bad.append(f"{programme} places: filled > acquired or acquired > planned")
        if not np.array_equal(p["vacant"], p["acquired"] - p["filled"]):
            bad.append(f"{programme} places: vacant != acquired - filled")
    if not m["n_basisbaan"] <= m["basisbaan_places_acquired"] <= m["basisbaan_places"] \
            or m["basisbaan_places_vacant"] != m["basisbaan_places_acquired"] - m["n_basisbaan"]:
        bad.append("basisbaan places in the time series out of order")
    if not m["parallel_places_filled"] <= m["parallel_places_acquired"] <= m["parallel_places"] \
            or m["parallel_places_vacant"] != m["parallel_places_acquired"] - m["parallel_places_filled"]:
        bad.append("parallel places in the time series out of order")
    # state counts add up to the population
    total = sum(m[f"n_{name}"] for name in S.STATE_NAMES)
    if total != m["seekers"]:
        bad.append("state counts do not add up to seekers")
    bounded = ("self_stigma", "search_effort")
    for col in bounded:
        arr = getattr(s, col)
        if arr.min() < 0 or arr.max() > 1:
            bad.append(f"{col} outside 0..1")
    if s.wellbeing.min() < 1 or s.wellbeing.max() > 5:
        bad.append("wellbeing outside 1..5")
    if s.health_hours.min() < 0 or s.health_hours.max() > 40:
        bad.append("health_hours outside 0..40")
    return bad
