"""Places are made, not declared: a basisbaan programme acquires its places over time (docs/evidence.md E85).

Rule. Where a municipality's policy switches acquisition on (`policy.basisbaan_acquisition`, off by default:
then every declared place is available at once, as before), its programme's places are made in three steps
while it runs (`basisbaan.running`), each month before recruitment:
- **Finding additional work.** The acquisition staff's hours (`policy.basisbaan_acquisition_hours` a month)
  find `hours / hours_per_place` tasks a month, no more than the pool of additional tasks left. The pool is
  finite: `pool_per_1000_bijstand` tasks per 1,000 bijstand recipients at the start (the municipality's size),
  times `1 - strictness_cut × policy.additionality_test` (a stricter additionality test leaves fewer tasks).
  Staff look for no more tasks than the plan still needs: (planned - acquired - employer_probability ×
  waiting) / employer_probability (they know that only a share of the tasks gets an employer).
- **An employer of record.** A task found waits `employer_lead_months`; then a share `employer_probability`
  of such tasks gets an organisation that agrees to employ the person and becomes a place; the rest are lost
  (the task leaves the pool).
- **Available to recruitment.** Places acquired, capped by the plan (`basisbaan.total_slots`, the declared
  `basisbaan_slots`), whole agents only; recruitment (abm/basisbaan.py) fills no more than that. Take-up stays
  the person's decision, in the recruitment interview (net gain from `money.net_gain`, voluntariness).
The amounts are expected values (no draws): the pipeline is a flow of tasks, in people. Places already filled
count as acquired (a switch turned on while a programme runs keeps its workers). When the programme stops,
its places, tasks and pool start afresh.

Figures (`places(model)`, in people, per municipality; the region's total is their sum): planned = the
programme's declared places while it runs; acquired = places available to recruitment (≤ planned); filled =
people in a basisbaan (≤ acquired); vacant = acquired - filled. Without acquisition, acquired = planned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from abm import basisbaan
from abm import states as S
from abm.mechanism import Mechanism, Month
from abm.params import Section, param

SOURCE = "assumption, range in docs/evidence.md E85 (Platform31 2022 names the bottleneck, not the amount)"


class AcquisitionParams(Section):
    hours_per_place: float = param(24.0, 1, 500, unit="hours per task found",
                                   doc="acquisition staff hours to find one additional task", source=SOURCE)
    pool_per_1000_bijstand: float = param(30.0, 0, 1000, unit="tasks per 1,000 bijstand recipients",
                                          doc="additional tasks the municipality has, relative to its bijstand "
                                              "stock at the start, before the additionality test",
                                          source=SOURCE)
    strictness_cut: float = param(0.8, 0, 1, unit="share of the pool",
                                  doc="share of the pool a fully strict additionality test (1) rules out; the "
                                      "cut is this times policy.additionality_test", source=SOURCE)
    employer_probability: float = param(0.7, 0, 1, unit="probability",
                                        doc="chance that a task found gets an employer of record", source=SOURCE)
    employer_lead_months: int = param(2, 0, 36, unit="months",
                                      doc="months from finding a task to its employer of record", source=SOURCE)


@dataclass
class Pipeline:
    """Per municipality, in people: tasks taken from the pool, tasks waiting for an employer of record (by months
    still to wait), places acquired."""

    used: np.ndarray
    waiting: np.ndarray          # (max(lead, 1), municipalities): row d = tasks whose employer is due in d + 1 months
    acquired: np.ndarray
    available: np.ndarray        # agents available to recruitment this month (basisbaan.recruit reads it)


def init(model) -> None:
    n, lead = model.n_munis, model.p.acquisition.employer_lead_months
    plan = planned_agents(model)
    model.acquisition = Pipeline(np.zeros(n), np.zeros((max(lead, 1), n)), np.zeros(n),
                                 np.where(acquiring(model, plan), 0, plan))


def acquiring(model, plan: np.ndarray) -> np.ndarray:
    """Per municipality: does its programme acquire its places (switch on, programme running)?"""
    return model.muni_policy["basisbaan_acquisition"].astype(bool) & (plan > 0)


def planned_agents(model) -> np.ndarray:
    """The plan in agents, as recruitment rounds it, 0 where the programme does not run."""
    return np.round(basisbaan.total_slots(model) / model.scale).astype(np.int64) * basisbaan.running(model)


def pool(model) -> np.ndarray:
    """Additional tasks per municipality (people): size times what the additionality test leaves."""
    p, pol = model.p.acquisition, model.muni_policy
    return p.pool_per_1000_bijstand * model.initial_bijstand / 1000.0 \
        * np.clip(1.0 - p.strictness_cut * pol["additionality_test"], 0.0, 1.0)


def step(model, month: Month) -> None:
    """Find tasks, give the due ones an employer of record, and set the places available to recruitment."""
    p, pol, a = model.p.acquisition, model.muni_policy, model.acquisition
    plan = planned_agents(model)
    on = acquiring(model, plan)
    # a programme that does not run (or has acquisition off) keeps nothing
    a.used[~on], a.waiting[:, ~on], a.acquired[~on] = 0.0, 0.0, 0.0
    if on.any():
        k = model.scale
        filled = np.bincount(model.s.municipality[model.s.state == S.BASISBAAN], minlength=model.n_munis) * k
        due = a.waiting[0].copy()
        a.waiting[:-1] = a.waiting[1:]
        a.waiting[-1] = 0.0
        a.acquired = np.where(on, np.maximum(a.acquired + p.employer_probability * due, filled), 0.0)
        # staff look for the tasks the plan still needs, knowing that only a share gets an employer of record
        short = np.maximum(plan * k - a.acquired - p.employer_probability * a.waiting.sum(axis=0), 0.0)
        need = short / p.employer_probability if p.employer_probability > 0 else np.where(short > 0, np.inf, 0.0)
        found = np.where(on, np.minimum.reduce([pol["basisbaan_acquisition_hours"] / p.hours_per_place,
                                                np.maximum(pool(model) - a.used, 0.0), need]), 0.0)
        a.used += found
        if p.employer_lead_months == 0:   # no lead time: this month's tasks get their employer now
            a.acquired += p.employer_probability * found
        else:
            a.waiting[-1] += found
    acquired_agents = np.floor(a.acquired / model.scale + 1e-9).astype(np.int64)
    a.available = np.where(on, np.minimum(acquired_agents, plan), plan)


def places(model) -> dict[str, np.ndarray]:
    """Planned, acquired, filled and vacant places per municipality now, in agents (module docstring)."""
    plan = planned_agents(model)
    acquired = np.minimum(model.acquisition.available, plan)
    filled = np.bincount(model.s.municipality[model.s.state == S.BASISBAAN], minlength=model.n_munis)
    return {"planned": plan, "acquired": acquired, "filled": filled, "vacant": acquired - filled}


MECHANISM = Mechanism("acquisition", doc=__doc__, params=AcquisitionParams, init=init, step=step)
