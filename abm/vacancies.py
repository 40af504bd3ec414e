"""Regular vacancies: new openings follow the business cycle; applicants from outside fill many.

Rule. Each month a regular firm opens Binomial(regular_jobs, vacancy_rate × tightness) vacancies (turnover
in the low-wage segment). Open vacancies are filled by applicants from outside the model with probability
outside_fill / tightness (a slack market has many strong outside applicants); the rest stay open for the
model's job seekers (see hiring). Displacement (abm/displacement.py) then removes regular jobs that subsidised
work replaces.
"""

from __future__ import annotations

import numpy as np

from abm import acquisition
from abm import states as S
from abm.jit import jit
from abm.mechanism import Column, Mechanism, Month
from abm.rng import binomial

# The employer columns this mechanism owns (abm/mechanism.py).
EMPLOYER_COLUMNS = {
    "vacancies": Column("int32", 0, "open regular vacancies"),
}


@jit
def _turnover(key, firms, vacancies, jobs, fill_outside, open_new):
    """Per firm (its own draws, keyed by its row): open vacancies filled from outside, then new openings."""
    for f in firms:
        left = vacancies[f] - binomial(vacancies[f], fill_outside, key, f, 0)
        vacancies[f] = min(left + binomial(jobs[f], open_new, key, f, 1), jobs[f])


def step(model, month: Month) -> None:
    """Vacancies filled from outside, then new openings, firm by firm."""
    e = model.e
    econ = model.p.economy
    tight = model.tightness
    firms = model.regular_firm_rows
    if firms.size:
        _turnover(model.key("vacancies"), firms, e.vacancies, e.regular_jobs, min(econ.outside_fill / tight, 1.0),
                  min(econ.vacancy_rate * tight, 1.0))


def open_slots(model, kind: str) -> np.ndarray:
    """Employer row of every open place this month, grouped by municipality (employers are sorted by it).

    kind 'regular': open regular vacancies; kind 'parallel': free funded places at parallel organisations (where a
    municipality acquires its parallel places, no more than it has acquired, abm/acquisition.py).
    """
    e = model.e
    if kind == "regular":
        counts = np.where(e.kind == S.REGULAR_FIRM, e.vacancies, 0)
    else:
        counts = np.where(e.kind != S.REGULAR_FIRM, np.maximum(e.parallel_capacity - e.parallel_filled, 0), 0)
        counts = acquisition.open_parallel(model, counts)
    return np.repeat(np.arange(e.n, dtype=np.int64), counts)


MECHANISM = Mechanism("vacancies", doc=__doc__, employer_columns=EMPLOYER_COLUMNS, step=step)
