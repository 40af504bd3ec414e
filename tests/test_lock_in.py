"""Direction tests of what programmes do to search and to later regular work (docs/evidence.md E86, E87).

- Lock-in: a person in a permanent basisbaan searches less for regular work than the same person out of work,
  and in the Groningen preset the people placed send fewer applications a month while in the basisbaan than they
  did out of work (the measure of the target `groningen_lock_in`).
- Subsidised work does not end the long-term spell employers read: with `stigma.subsidised_in_spell` = 1 a
  person who leaves a basisbaan keeps the label the months of it add; with 0 the basisbaan wipes it.
- The job-search duty: with `search.obligation_effect` = 0 (the evidence) the duty adds no applications, with 1
  it lifts every obliged searcher to the floor and more applications are sent.
"""

from __future__ import annotations

import numpy as np

from abm import employer_stigma, money, search
from abm import states as S
from experiments import validation as V
from tests.conftest import run_small, small_model


def _effort_as(model, state: int, contract: int) -> np.ndarray:
    """Search effort of every out-of-work bijstand recipient as if they were in `state` with `contract`."""
    s = model.s
    rows = np.flatnonzero((s.state == S.UNEMPLOYED) & (s.benefit == S.BIJSTAND))[:200]
    sr, mr = search.rule(model), money.rule(model)
    table = search._table(model, sr, mr)
    pol = model.muni_policy
    out = []
    for i in rows:
        m = s.municipality[i]
        gain = search.gain_of(table, sr, mr, m, s.benefit[i], s.household[i], s.debts[i], s.disregard_months[i],
                              pol["earnings_disregard_months"].astype(np.float64), s.health_hours[i])
        out.append(search.effort_one(sr, gain, state, s.benefit[i], s.health_hours[i], s.self_stigma[i],
                                     s.intrinsic[i], False, contract, False))
    return np.asarray(out)


def test_a_permanent_basisbaan_locks_people_in():
    model = small_model(seed=3, months=1)
    out = _effort_as(model, S.UNEMPLOYED, S.NO_CONTRACT)
    inside = _effort_as(model, S.BASISBAAN, S.PERMANENT)
    assert out.mean() > 0.1
    assert (inside <= out).all() and inside.mean() < 0.5 * out.mean()


def test_people_placed_in_groningen_search_less_while_in_the_basisbaan():
    run = V.run_probed("groningen-basisbaan-2020", seed=2, months=24)
    ratio = V._lock_in(run)
    assert 0.0 <= ratio < 0.5


def test_a_basisbaan_does_not_wipe_the_long_term_label():
    def label_after_basisbaan(share: float) -> float:
        model = small_model(seed=3, months=1, **{"stigma.subsidised_in_spell": share})
        s = model.s
        rows = np.flatnonzero((s.state == S.UNEMPLOYED) & (s.months_out > 30))[:50]
        # a year in a basisbaan just ended: out of work for one month, 30+ months since regular work
        s.months_since_regular[rows] = s.months_out[rows] + 12
        s.months_out[rows] = 1
        employer_stigma.update_labels(s, model.p.stigma)
        return float(s.label[rows, S.LONG_TERM].mean())
    assert label_after_basisbaan(1.0) > 0.9
    assert label_after_basisbaan(0.0) < 0.1


def test_the_job_search_duty_adds_applications_only_when_it_has_an_effect():
    paper = run_small(seed=5, months=3).timeseries()
    real = run_small(seed=5, months=3, **{"search.obligation_effect": 1.0}).timeseries()
    assert real["applications"].iloc[1:].sum() > paper["applications"].iloc[1:].sum()   # same seed: same people
    assert paper["n_sanctioned"].iloc[1:].sum() > 0     # sanctions still happen, they just raise no search
