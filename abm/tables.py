"""Columnar state tables (ARCHITECTURE.md §State).

Agent state lives in one numpy array per attribute, owned by the model; mechanisms are vectorised functions
or compiled one-pass kernels (abm.jit) over these columns, and the Mesa agents in `agents/` are readable
views of one row. Rows are *seats*: when a person retires, a new entrant takes the seat with a new
`person_id`, so the arrays never grow and the event log records the exit and the entry.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from abm.mechanism import Column
from abm.states import N_GROUPS

# The core columns: who a person is and their labour state, job and benefit, which every mechanism reads and
# abm/jobs.py changes together. Each mechanism declares the further columns it owns (its `COLUMNS`; the tables
# are composed in abm/schedule.py). name -> Column(dtype, fill value, description).
CORE_SEEKER_COLUMNS: dict[str, Column] = {
    "person_id": Column("int64", -1, "identity of the person now in this seat"),
    "municipality": Column("int32", 0, "index of the home municipality"),
    "age": Column("float32", 40.0, "age in years"),
    "male": Column("bool", False, "sex (True = male)"),
    "household": Column("int8", 0, "0 single, 1 cohabiting (partner's income counts in bijstand)"),
    "education": Column("int8", 0, "0 low (basic/vmbo), 1 middle, 2 high"),
    "work_limitation": Column("bool", False, "has a work limitation (arbeidsbeperking)"),
    "in_register": Column("bool", False, "in the doelgroepregister of the banenafspraak"),
    "psych": Column("bool", False, "lasting psychological vulnerability (GGZ)"),
    "migrant": Column("bool", False, "non-western migration background"),
    "health_hours": Column("float32", 36.0, "hours per week the person can carry (health, capacity)"),
    "skill": Column("float32", 1.0, "loonwaarde: productive value as a share of the minimum wage"),
    "debts": Column("float32", 0.0, "debts in EUR"),
    "intrinsic": Column("float32", 0.0, "non-monetary value the person puts on having work, EUR/month"),
    "benefit": Column("int8", 0, "benefit drawn: 0 none, 1 bijstand, 2 WW, 3 disability"),
    "months_on_benefit": Column("int32", 0, "months in the current benefit spell"),
    "ww_months_left": Column("int32", 0, "months of WW entitlement left"),
    "state": Column("int8", 0, "labour state code (abm.states.STATE_NAMES)"),
    "months_in_state": Column("int32", 0, "months since the last change of labour state"),
    "months_out": Column("int32", 0, "months since the last paid work"),
    "months_since_regular": Column("int32", 0, "months since the last regular work (the spell employers read for "
                                               "the long-term label, abm/employer_stigma.py)"),
    "contract": Column("int8", 0, "0 none, 1 permanent, 2 temporary"),
    "contract_end": Column("int32", -1, "month the temporary contract ends, -1 if none"),
    "employer": Column("int32", -1, "row of the employer, -1 if none (basisbaan: the municipality employs)"),
    "hours": Column("float32", 0.0, "contract hours per week"),
    "uses_subsidy": Column("bool", False, "the job is paid with a wage-cost subsidy (LKS)"),
}

CORE_EMPLOYER_COLUMNS: dict[str, Column] = {
    "municipality": Column("int32", 0, "index of the municipality where the employer is located"),
    "kind": Column("int8", 0, "0 regular firm, 1 social enterprise, 2 satellite, 3 sheltered workshop"),
    "sector": Column("int8", 0, "sector code (environments.pools.SECTORS)"),
    "size": Column("int32", 1, "number of employees (25+ falls under the quota)"),
    "regular_jobs": Column("int32", 0, "regular jobs in the low-wage segment the model's people compete for"),
    "parallel_capacity": Column("int32", 0, "funded places for parallel (own-pace) work"),
    "parallel_filled": Column("int32", 0, "parallel places filled"),
    "register_employees": Column("int32", 0, "employees from the doelgroepregister (quota)"),
}


class Table:
    """A set of equally long numpy columns, declared in a column spec (name -> Column)."""

    def __init__(self, n: int, columns: dict[str, Column]):
        self.n = int(n)
        self.columns = dict(columns)
        for name, (dtype, fill, _doc) in self.columns.items():
            setattr(self, name, np.full(self.n, fill, dtype=dtype))

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in self.columns)


class SeekerTable(Table):
    """Job seekers: one row per seat, plus the visible label an employer sees (n × groups)."""

    def __init__(self, n: int, columns: dict[str, Column]):
        super().__init__(n, columns)
        self.label = np.zeros((self.n, N_GROUPS), dtype=np.float32)

    def nbytes(self) -> int:
        return super().nbytes() + self.label.nbytes


class EmployerTable(Table):
    """Employers, regular firms and parallel-market organisations alike, with a belief per stigma group."""

    def __init__(self, n: int, columns: dict[str, Column]):
        super().__init__(n, columns)
        self.belief = np.zeros((self.n, N_GROUPS), dtype=np.float32)
        self.belief_floor = np.zeros((self.n, N_GROUPS), dtype=np.float32)
        self.belief_start = np.zeros((self.n, N_GROUPS), dtype=np.float32)   # what renewal returns to


def bundle(kind: type, *sources: Any, **extra: Any):
    """The named structure `kind` (a namedtuple of arrays that a compiled kernel takes as one argument) filled
    with each field from `extra` or else from the first source that has it: a kernel names the columns it
    reads once, in its module, instead of taking them as forty positional arguments."""
    values = []
    for field in kind._fields:
        if field in extra:
            values.append(extra[field])
            continue
        for source in sources:
            if hasattr(source, field):
                values.append(getattr(source, field))
                break
        else:
            raise AttributeError(f"{kind.__name__}.{field}: no source has it")
    return kind(*values)
