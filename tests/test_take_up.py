"""Take-up is the person's decision (issue 10 §1): from their change in net income (abm/money.py: the benefit
and allowances they lose, a garnished gain with problem debts) and the programme's voluntariness, for both
programmes: the basisbaan recruitment interview (abm/basisbaan.py) and an offer of a parallel place
(abm/hiring.py).

- A person whose net income falls by taking the place (a cohabiting partner: the couple's norm is above the
  earnings) refuses a voluntary place more often than one whose income rises (a single person); a person with
  problem debts, whose gain goes to the creditors, refuses more often than the same person without.
- Where the place is not voluntary (`policy.basisbaan_voluntary` / `policy.parallel_voluntary` off) and the
  municipality runs a sanction regime, refusing costs `search.refusal_pressure`: fewer of those whose income
  falls refuse.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm import basisbaan, hiring, money
from abm import states as S
from abm.model import LabourMarketModel

HOURS = 32.0


def people(kind: str, pressure: bool):
    """A tiny model and its unemployed bijstand recipients in three groups of the same people: single, cohabiting
    (net income falls) and single with problem debts. `pressure`: the programme is not voluntary and every
    municipality runs a sanction regime."""
    model = LabourMarketModel("default", seed=5, months=1, agent_views=False, scale=10.0)
    s, pol = model.s, model.muni_policy
    rows = np.flatnonzero((s.benefit == S.BIJSTAND) & (s.state == S.UNEMPLOYED))[:300]
    assert rows.size == 300
    s.disregard_months[rows] = 10_000            # the earnings disregard is used up: only the move itself counts
    s.had_participation[rows] = True             # the interview's other outcomes cannot apply
    s.skill[rows] = 0.1
    s.health_hours[rows] = 40.0
    pol[f"{kind}_voluntary"][:] = not pressure
    pol["sanction_regime"][:] = pressure
    return model, rows


def refusals(model, rows: np.ndarray, kind: str) -> np.ndarray:
    """Per person: does this person refuse the place (the interview's "not interested", or a refused offer)?"""
    if kind == "basisbaan":
        outcome = basisbaan.interview(model, rows, 0, model.key("basisbaan"))
        return outcome == S.FUNNEL_CODE["not_interested"]
    e = model.e
    employer = np.flatnonzero(e.kind != S.REGULAR_FIRM)[0]
    pool = {"seeker": rows, "slot": np.arange(rows.size), "score": np.ones(rows.size, dtype=np.float32),
            "n_slots": rows.size, "hours": np.full(rows.size, HOURS), "employer": np.full(rows.size, employer)}
    accepted, offered = hiring._offers(model, pool, "parallel_voluntary")
    assert offered.size == rows.size
    refused = np.ones(rows.size, dtype=bool)
    refused[accepted] = False
    return refused


def refusal_shares(kind: str, pressure: bool) -> dict[str, float]:
    """Share refusing in each group (the same people, their household or debts set per group)."""
    out = {}
    for group, (household, debts) in {"single": (S.SINGLE, 0.0), "cohabiting": (S.COHABITING, 0.0),
                                      "debts": (S.SINGLE, 20_000.0)}.items():
        model, rows = people(kind, pressure)
        model.s.household[rows], model.s.debts[rows] = household, debts
        hours = model.muni_policy["basisbaan_hours"][0] if kind == "basisbaan" else HOURS
        wage = model.muni_policy["basisbaan_wage_share"][0] if kind == "basisbaan" else 1.0
        gain = money.net_gain(model, rows, hours, wage)
        out[f"gain_{group}"] = float(np.mean(gain))
        out[group] = float(refusals(model, rows, kind).mean())
    return out


@pytest.mark.parametrize("kind", ["basisbaan", "parallel"])
def test_a_person_whose_net_income_falls_refuses_a_voluntary_place_more_often(kind):
    shares = refusal_shares(kind, pressure=False)
    assert shares["gain_cohabiting"] < 0 < shares["gain_single"]          # the income falls / rises
    assert shares["gain_debts"] < shares["gain_single"]                   # creditors take most of the gain
    assert shares["cohabiting"] > shares["single"] + 0.2
    assert shares["debts"] > shares["single"]


@pytest.mark.parametrize("kind", ["basisbaan", "parallel"])
def test_a_place_that_is_not_voluntary_is_refused_less_under_a_sanction_regime(kind):
    free, pressed = refusal_shares(kind, pressure=False), refusal_shares(kind, pressure=True)
    assert pressed["cohabiting"] < free["cohabiting"]
    assert pressed["single"] <= free["single"]
