"""Direction tests of what programmes do to search and to later regular work (docs/evidence.md E86, E87).

- Lock-in: a person in a permanent basisbaan searches less for regular work than the same person out of work,
  and in the Groningen preset the people placed send fewer applications a month while in the basisbaan than they
  did out of work (the measure of the target `groningen_lock_in`).
- Subsidised work does not end the long-term spell employers read: with `stigma.subsidised_in_spell` = 1 a
  person who leaves a basisbaan keeps the label the months of it add; with 0 the basisbaan wipes it.
- A basisbaan worker weighs a regular job against the basisbaan's income, not against nothing: on a temporary
  full-time basisbaan at WML a full-time WML job gains nothing, so they search no more than the on-the-job factor
  times their search out of work (before this rule they searched harder inside the programme than out of it).
- A basisbaan teaches `skills.basisbaan_growth` (0.5) of what regular work teaches (E86).
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


def test_a_basisbaan_worker_weighs_a_regular_job_against_the_basisbaan():
    model = small_model(seed=3, months=1)
    s, mr, sr = model.s, money.rule(model), search.rule(model)
    assert money.gain_over_basisbaan(mr, S.SINGLE, 0.0, 36.0, 36.0, 1.0) == 0.0
    assert 0.0 < money.gain_over_basisbaan(mr, S.SINGLE, 0.0, 36.0, 32.0, 1.0) \
        < money.gain_one(mr, S.BIJSTAND, S.SINGLE, 0.0, 0.0, 36.0, 1.0, 0.0, 0.0, 0.0)
    out = _effort_as(model, S.UNEMPLOYED, S.NO_CONTRACT)
    # the same people (not coached) on a temporary full-time basisbaan at WML: no benefit, 36 hours
    chosen = np.flatnonzero((s.state == S.UNEMPLOYED) & (s.benefit == S.BIJSTAND))[:200]
    s.state[chosen], s.benefit[chosen], s.hours[chosen] = S.BASISBAAN, S.NO_BENEFIT, 36.0
    s.contract[chosen], s.coached[chosen] = S.TEMPORARY, False
    assert np.abs(money.net_gain(model, chosen, 36.0)).max() < 1e-3
    inside = search.effort(model, chosen)[0]
    assert out.mean() > 0.1 and inside.mean() > 0
    assert (inside <= sr.otj_temporary * out + 1e-6).all()


def test_a_basisbaan_teaches_half_what_regular_work_teaches():
    from abm import skills

    model = small_model(seed=3, months=1)
    s = model.s
    rows = np.flatnonzero(s.skill < skills.personal_cap(s, model.p.skills) - 0.1)[:100]
    s.coached[rows] = False
    before = s.skill[rows].copy()
    s.state[rows] = S.REGULAR
    skills.step(model, None)
    regular = s.skill[rows] - before
    s.skill[rows] = before
    s.state[rows] = S.BASISBAAN
    skills.step(model, None)
    basisbaan = s.skill[rows] - before
    assert model.p.skills.basisbaan_growth == 0.5
    assert regular.min() > 0 and np.allclose(basisbaan, 0.5 * regular, rtol=1e-3, atol=1e-6)


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
