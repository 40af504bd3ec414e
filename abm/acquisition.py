"""Places are made, not declared: a programme acquires its places over time (docs/evidence.md E85).

Two programmes can acquire their places, each switched on per municipality (`PROGRAMMES`): the basisbaan
programme (`policy.basisbaan_acquisition`, staff hours `policy.basisbaan_acquisition_hours`) and the parallel
labour market's funded places (`policy.parallel_acquisition`, `policy.parallel_acquisition_hours`). Both are off
by default: then every planned place is available at once, as before.

Rule. Where a municipality's programme acquires its places, they are made in three steps while it runs (planned
places > 0), each month before recruitment and hiring, basisbaan first:
- **Finding additional work.** The programme's acquisition staff hours a month find `hours / hours_per_place`
  tasks a month, no more than the pool of additional tasks left. The pool is finite and the municipality's, shared
  by its programmes: `pool_per_1000_bijstand` tasks per 1,000 bijstand recipients at the start (the
  municipality's size), times `1 - strictness_cut × policy.additionality_test` (a stricter additionality test
  leaves fewer tasks). Staff look for no more tasks than the plan still needs: (planned - acquired -
  employer_probability × waiting) / employer_probability (they know that only a share of the tasks gets an
  employer).
- **An employer of record.** A task found waits `employer_lead_months`; then a share `employer_probability`
  of such tasks gets an organisation that agrees to employ the person and becomes a place; the rest are lost
  (the task leaves the pool).
- **Available to recruitment.** Places acquired, capped by the plan, whole agents only. The basisbaan
  recruitment (abm/basisbaan.py) fills no more than that; parallel hiring (abm/vacancies.py `open_slots`) offers
  no more than acquired - filled of the municipality's parallel organisations' free places (`open_parallel`).
  Take-up stays the person's decision: the recruitment interview or the offer (net gain from `money.net_gain`,
  the programme's voluntariness, `policy.basisbaan_voluntary` / `policy.parallel_voluntary`).
The amounts are expected values (no draws): the pipeline is a flow of tasks, in people. Where a programme starts
acquiring (at the start of the run or when its switch is turned on), the places filled and the places that
already exist count as acquired: for the basisbaan programme none exist; for parallel work the funded places of
the existing market, `parallel_existing_per_100` per 100 bijstand recipients at the start (the baseline's 3) and
the sheltered workshop's, so only an expansion beyond them is made. When a programme stops, its places, tasks
and pool start afresh.

Plans. Basisbaan: the programme's declared places while it runs (`basisbaan.total_slots`, as recruitment rounds
them to agents). Parallel: the funded places of the municipality's social enterprises, satellites and sheltered
workshop (`parallel_capacity`, abm/employers.py).

Figures (`places(model, programme)`, in agents, per municipality; the region's total is their sum; the time
series and `timeseries_by_municipality` give them in people): planned; acquired = places available to
recruitment (≤ planned); filled = people in a basisbaan / places filled at parallel organisations (≤ acquired);
vacant = acquired - filled. Without acquisition, acquired = planned.
"""

from __future__ import annotations

from collections.abc import Callable
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
    parallel_existing_per_100: float = param(3.0, 0, 100, unit="places per 100 bijstand clients",
                                             doc="funded parallel places that already exist when a municipality "
                                                 "starts acquiring its parallel places (with the sheltered "
                                                 "workshop's): only the places planned beyond them are to be made",
                                             source="the baseline's policy.parallel_places_per_100 (3)")


@dataclass(frozen=True)
class Programme:
    """A programme whose places can be acquired: its policy switch and staff hours, its plan and its places
    filled now, both per municipality in agents."""

    name: str
    switch: str                                   # policy key: the programme acquires its places
    hours: str                                    # policy key: staff hours a month
    plan: Callable[[object], np.ndarray]          # planned places (agents), 0 where the programme does not run
    filled: Callable[[object], np.ndarray]        # places filled now (agents)
    existing: Callable[[object], np.ndarray]      # places that exist when acquisition starts (agents)


@dataclass
class Pipeline:
    """Per municipality, in people: tasks taken from the pool, tasks waiting for an employer of record (by months
    still to wait), places acquired; and whether the programme acquires its places there."""

    on: np.ndarray
    used: np.ndarray
    waiting: np.ndarray          # (max(lead, 1), municipalities): row d = tasks whose employer is due in d + 1 months
    acquired: np.ndarray
    available: np.ndarray        # agents available to recruitment this month (basisbaan.recruit, vacancies read it)


def planned_agents(model) -> np.ndarray:
    """The basisbaan plan in agents, as recruitment rounds it, 0 where the programme does not run."""
    return np.round(basisbaan.total_slots(model) / model.scale).astype(np.int64) * basisbaan.running(model)


def basisbaan_filled(model) -> np.ndarray:
    """People in a basisbaan per municipality (agents)."""
    return np.bincount(model.s.municipality[model.s.state == S.BASISBAAN], minlength=model.n_munis)


def _parallel(model, column: str) -> np.ndarray:
    e = model.e
    rows = e.kind != S.REGULAR_FIRM
    return np.bincount(e.municipality[rows], weights=getattr(e, column)[rows], minlength=model.n_munis
                       ).astype(np.int64)


def parallel_planned(model) -> np.ndarray:
    """The funded parallel places per municipality (agents): the capacity of its social enterprises, satellites
    and sheltered workshop (`parallel_capacity`, abm/employers.py)."""
    return _parallel(model, "parallel_capacity")


def parallel_filled(model) -> np.ndarray:
    """Parallel places filled per municipality (agents; by the organisation's municipality)."""
    return _parallel(model, "parallel_filled")


def parallel_existing(model) -> np.ndarray:
    """Parallel places that exist before any is acquired (agents): `parallel_existing_per_100` per 100 bijstand
    recipients at the start, as the employer table's funded places are counted (abm/model.py), plus the sheltered
    workshop's."""
    e = model.e
    sheltered = e.kind == S.SHELTERED_WORKSHOP
    per_100 = model.p.acquisition.parallel_existing_per_100
    return np.floor(model.initial_bijstand / model.scale * per_100 / 100.0).astype(np.int64) \
        + np.bincount(e.municipality[sheltered], weights=e.parallel_capacity[sheltered], minlength=model.n_munis
                      ).astype(np.int64)


PROGRAMMES: dict[str, Programme] = {
    "basisbaan": Programme("basisbaan", "basisbaan_acquisition", "basisbaan_acquisition_hours", planned_agents,
                           basisbaan_filled, lambda model: np.zeros(model.n_munis, dtype=np.int64)),
    "parallel": Programme("parallel", "parallel_acquisition", "parallel_acquisition_hours", parallel_planned,
                          parallel_filled, parallel_existing),
}


def init(model) -> None:
    n, lead = model.n_munis, model.p.acquisition.employer_lead_months
    model.acquisition = {}
    for name, programme in PROGRAMMES.items():
        plan = programme.plan(model)
        a = Pipeline(np.zeros(n, dtype=bool), np.zeros(n), np.zeros((max(lead, 1), n)), np.zeros(n), plan)
        _start(model, a, programme, acquiring(model, plan, name), plan)
        model.acquisition[name] = a


def _start(model, a: Pipeline, programme: Programme, on: np.ndarray, plan: np.ndarray) -> None:
    """Where the programme starts acquiring its places: the places that exist and those filled are acquired
    (people at work keep their places); then the places available."""
    started = on & ~a.on
    if started.any():
        have = np.maximum(np.minimum(programme.existing(model), plan), programme.filled(model))
        a.acquired[started] = have[started] * model.scale
    a.on = on
    a.available = np.where(on, np.minimum(_agents(model, a.acquired), plan), plan)


def acquiring(model, plan: np.ndarray, programme: str = "basisbaan") -> np.ndarray:
    """Per municipality: does the programme acquire its places (switch on, programme running)? The switch is read
    from the policy in force this month (`model.policy_arrays`, rebuilt on every dated change), as every mechanism
    reads the policy."""
    return getattr(model.policy_arrays, PROGRAMMES[programme].switch) & (plan > 0)


def pool(model) -> np.ndarray:
    """Additional tasks per municipality (people): size times what the additionality test leaves. One pool per
    municipality, shared by its programmes."""
    p, pa = model.p.acquisition, model.policy_arrays
    return p.pool_per_1000_bijstand * model.initial_bijstand / 1000.0 \
        * np.clip(1.0 - p.strictness_cut * pa.additionality_test, 0.0, 1.0)


def _agents(model, people: np.ndarray) -> np.ndarray:
    """Whole agents in an amount of people (rounded down, as recruitment can only fill whole agents)."""
    return np.floor(people / model.scale + 1e-9).astype(np.int64)


def step(model, month: Month) -> None:
    """Each programme in turn (basisbaan first): find tasks, give the due ones an employer of record, and set the
    places available to recruitment."""
    for name in PROGRAMMES:
        _step_programme(model, name)


def _step_programme(model, name: str) -> None:
    p, pa, programme = model.p.acquisition, model.policy_arrays, PROGRAMMES[name]
    a = model.acquisition[name]
    plan = programme.plan(model)
    on = acquiring(model, plan, name)
    # a programme that does not run (or has acquisition off) keeps nothing; one that starts has what exists
    a.used[~on], a.waiting[:, ~on], a.acquired[~on] = 0.0, 0.0, 0.0
    _start(model, a, programme, on, plan)
    if on.any():
        k = model.scale
        filled = programme.filled(model) * k
        due = a.waiting[0].copy()
        a.waiting[:-1] = a.waiting[1:]
        a.waiting[-1] = 0.0
        a.acquired = np.where(on, np.maximum(a.acquired + p.employer_probability * due, filled), 0.0)
        # staff look for the tasks the plan still needs, knowing that only a share gets an employer of record
        short = np.maximum(plan * k - a.acquired - p.employer_probability * a.waiting.sum(axis=0), 0.0)
        need = short / p.employer_probability if p.employer_probability > 0 else np.where(short > 0, np.inf, 0.0)
        used = sum(other.used for other in model.acquisition.values())   # the pool is the municipality's
        found = np.where(on, np.minimum.reduce([getattr(pa, programme.hours) / p.hours_per_place,
                                                np.maximum(pool(model) - used, 0.0), need]), 0.0)
        a.used += found
        if p.employer_lead_months == 0:   # no lead time: this month's tasks get their employer now
            a.acquired += p.employer_probability * found
        else:
            a.waiting[-1] += found
        a.available = np.where(on, np.minimum(_agents(model, a.acquired), plan), plan)


def places(model, programme: str = "basisbaan") -> dict[str, np.ndarray]:
    """Planned, acquired, filled and vacant places per municipality now, in agents (module docstring)."""
    spec = PROGRAMMES[programme]
    plan = spec.plan(model)
    filled = spec.filled(model)
    acquired = np.minimum(model.acquisition[programme].available, plan)
    return {"planned": plan, "acquired": acquired, "filled": filled, "vacant": acquired - filled}


# The places' columns of the time series and of `timeseries_by_municipality`: column -> (programme, figure). The
# places filled of the basisbaan programme are the people in a basisbaan, column `n_basisbaan`.
PLACE_COLUMNS = {
    "basisbaan_places": ("basisbaan", "planned"),
    "basisbaan_places_acquired": ("basisbaan", "acquired"),
    "basisbaan_places_vacant": ("basisbaan", "vacant"),
    "parallel_places": ("parallel", "planned"),
    "parallel_places_acquired": ("parallel", "acquired"),
    "parallel_places_filled": ("parallel", "filled"),
    "parallel_places_vacant": ("parallel", "vacant"),
}


# Each programme's places over time as columns of the time series (and of `timeseries_by_municipality`):
# programme -> figure -> column. What the app draws as places filled against places available and planned.
SERIES = {programme: {"planned": f"{programme}_places", "acquired": f"{programme}_places_acquired",
                      "filled": "n_basisbaan" if programme == "basisbaan" else f"{programme}_places_filled"}
          for programme in ("basisbaan", "parallel")}


def place_columns(model, people: Callable[[np.ndarray], object]) -> dict:
    """The `PLACE_COLUMNS` now, in people: `people` turns an array of agents per municipality into people (the
    region's total, or per municipality); vacant = acquired - filled in people, so the identity holds exactly."""
    out = {}
    for name in PROGRAMMES:
        p = places(model, name)
        figures = {figure: people(p[figure]) for figure in ("planned", "acquired", "filled")}
        figures["vacant"] = figures["acquired"] - figures["filled"]
        out[name] = figures
    return {column: out[programme][figure] for column, (programme, figure) in PLACE_COLUMNS.items()}


def open_parallel(model, free: np.ndarray) -> np.ndarray:
    """The free places of each parallel organisation (`free`, per employer row) that recruitment may fill: where a
    municipality acquires its parallel places, no more than its places acquired minus those filled, taken from its
    organisations in the table's order."""
    pipelines = getattr(model, "acquisition", None)
    if not pipelines:
        return free
    plan = parallel_planned(model)
    on = acquiring(model, plan, "parallel")
    if not on.any():
        return free
    free = free.copy()
    quota = np.maximum(np.minimum(pipelines["parallel"].available, plan) - parallel_filled(model), 0)
    bounds = np.searchsorted(model.e.municipality, np.arange(model.n_munis + 1))   # employers sorted by municipality
    for m in np.flatnonzero(on):
        rows = np.arange(bounds[m], bounds[m + 1])
        before = np.cumsum(free[rows]) - free[rows]
        free[rows] = np.clip(quota[m] - before, 0, free[rows])
    return free


MECHANISM = Mechanism("acquisition", doc=__doc__, params=AcquisitionParams, init=init, step=step)
