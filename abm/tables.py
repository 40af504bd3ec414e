"""Columnar state tables (ARCHITECTURE.md §State).

Agent state lives in one numpy array per attribute, owned by the model; mechanisms are vectorised functions
or compiled one-pass kernels (abm.jit) over these columns, and the Mesa agents in `agents/` are readable
views of one row. Rows are *seats*: when a person retires, a new entrant takes the seat with a new
`person_id`, so the arrays never grow and the event log records the exit and the entry.
"""

from __future__ import annotations

import numpy as np

from abm.states import N_GROUPS

# name -> (dtype, fill value, description). The description is the column's documentation.
SEEKER_COLUMNS: dict[str, tuple[str, float, str]] = {
    "person_id": ("int64", -1, "identity of the person now in this seat"),
    "municipality": ("int32", 0, "index of the home municipality"),
    "age": ("float32", 40.0, "age in years"),
    "male": ("bool", False, "sex (True = male)"),
    "household": ("int8", 0, "0 single, 1 cohabiting (partner's income counts in bijstand)"),
    "education": ("int8", 0, "0 low (basic/vmbo), 1 middle, 2 high"),
    "work_limitation": ("bool", False, "has a work limitation (arbeidsbeperking)"),
    "in_register": ("bool", False, "in the doelgroepregister of the banenafspraak"),
    "psych": ("bool", False, "lasting psychological vulnerability (GGZ)"),
    "migrant": ("bool", False, "non-western migration background"),
    "health_hours": ("float32", 36.0, "hours per week the person can carry (health, capacity)"),
    "skill": ("float32", 1.0, "loonwaarde: productive value as a share of the minimum wage"),
    "debts": ("float32", 0.0, "debts in EUR"),
    "intrinsic": ("float32", 0.0, "non-monetary value the person puts on having work, EUR/month"),
    "benefit": ("int8", 0, "benefit drawn: 0 none, 1 bijstand, 2 WW, 3 disability"),
    "months_on_benefit": ("int32", 0, "months in the current benefit spell"),
    "ww_months_left": ("int32", 0, "months of WW entitlement left"),
    "state": ("int8", 0, "labour state code (abm.states.STATE_NAMES)"),
    "months_in_state": ("int32", 0, "months since the last change of labour state"),
    "months_out": ("int32", 0, "months since the last paid work (drives the long-term label)"),
    "contract": ("int8", 0, "0 none, 1 permanent, 2 temporary"),
    "contract_end": ("int32", -1, "month the temporary contract ends, -1 if none"),
    "employer": ("int32", -1, "row of the employer, -1 if none (basisbaan: the municipality employs)"),
    "hours": ("float32", 0.0, "contract hours per week"),
    "uses_subsidy": ("bool", False, "the job is paid with a wage-cost subsidy (LKS)"),
    "self_stigma": ("float32", 0.0, "self-stigma, 0..1"),
    "search_effort": ("float32", 0.0, "search effort this month, 0..1"),
    "applications": ("int16", 0, "applications sent this month"),
    "rejections": ("int16", 0, "applications rejected this month"),
    "wellbeing": ("float32", 3.0, "wellbeing index, 1..5 ('bridge to self-reliance' scale)"),
    "coached": ("bool", False, "received intensive coaching this month"),
    "sanctioned": ("bool", False, "benefit cut by a sanction this month"),
    "had_participation": ("bool", False, "has done a participation job or volunteer work"),
    "months_subsidised": ("int32", 0, "months worked in parallel or basisbaan jobs"),
    "months_since_subsidised": ("int32", 9999, "months since the last month in parallel or basisbaan work"),
    "last_subsidised_state": ("int8", 0, "labour state of the last subsidised work (parallel or basisbaan), 0 none"),
    "disregard_months": ("int32", 0, "months the earnings disregard has been used in this spell"),
    "left_bijstand_for_work": ("bool", False, "left bijstand for paid work (the municipality saves the benefit)"),
    "funnel_outcome": ("int8", 0, "basisbaan recruitment funnel outcome (abm.states.FUNNEL_OUTCOMES)"),
    "basisbaan_start": ("int32", -1, "month the current basisbaan started, -1 if none"),
    "wellbeing_at_start": ("float32", 0.0, "wellbeing when the current job started"),
}

EMPLOYER_COLUMNS: dict[str, tuple[str, float, str]] = {
    "municipality": ("int32", 0, "index of the municipality where the employer is located"),
    "kind": ("int8", 0, "0 regular firm, 1 social enterprise, 2 satellite, 3 sheltered workshop"),
    "sector": ("int8", 0, "sector code (environments.pools.SECTORS)"),
    "size": ("int32", 1, "number of employees (25+ falls under the quota)"),
    "regular_jobs": ("int32", 0, "regular jobs in the low-wage segment the model's people compete for"),
    "vacancies": ("int32", 0, "open regular vacancies"),
    "jobs_at_start": ("int32", 0, "regular jobs at the start of the run: the fixed size by which applications "
                                  "propose firms (environments.pools.pick_place)"),
    "risk_aversion": ("float32", 0.5, "weight on expected drop-out and sick-pay risk, 0..1"),
    "inclusive": ("bool", False, "inclusion formalised in the firm's mission"),
    "subsidy_uptake": ("float32", 0.5, "probability the firm uses a wage-cost subsidy when it may"),
    "parallel_capacity": ("int32", 0, "funded places for parallel (own-pace) work"),
    "parallel_filled": ("int32", 0, "parallel places filled"),
    "register_employees": ("int32", 0, "employees from the doelgroepregister (quota)"),
}


class Table:
    """A set of equally long numpy columns, declared in a column spec."""

    columns: dict[str, tuple[str, float, str]] = {}

    def __init__(self, n: int):
        self.n = int(n)
        for name, (dtype, fill, _doc) in self.columns.items():
            setattr(self, name, np.full(self.n, fill, dtype=dtype))

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in self.columns)


class SeekerTable(Table):
    """Job seekers: one row per seat, plus the visible label (n × groups) and beliefs live elsewhere."""

    columns = SEEKER_COLUMNS

    def __init__(self, n: int):
        super().__init__(n)
        self.label = np.zeros((self.n, N_GROUPS), dtype=np.float32)

    def nbytes(self) -> int:
        return super().nbytes() + self.label.nbytes


class EmployerTable(Table):
    """Employers, regular firms and parallel-market organisations alike, with a belief per stigma group."""

    columns = EMPLOYER_COLUMNS

    def __init__(self, n: int):
        super().__init__(n)
        self.belief = np.zeros((self.n, N_GROUPS), dtype=np.float32)
        self.belief_floor = np.zeros((self.n, N_GROUPS), dtype=np.float32)
