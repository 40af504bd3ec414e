"""Codes shared by all modules: labour states (contract), benefits, stigma groups and event reasons."""

from __future__ import annotations

import numpy as np

# Labour states (ARCHITECTURE.md, contract): every job seeker is in exactly one each month.
UNEMPLOYED, REGULAR, PARALLEL, BASISBAAN, PARTICIPATION, INACTIVE = range(6)
STATE_NAMES = ("unemployed", "regular", "parallel", "basisbaan", "participation", "inactive")
N_STATES = len(STATE_NAMES)
PAID_STATES = (REGULAR, PARALLEL, BASISBAAN)
SUBSIDISED_STATES = (PARALLEL, BASISBAAN)
# Pseudo-states of the event log for demographic entry and exit of a person.
ENTRY, EXIT = "entry", "exit"

# Benefits a person draws.
NO_BENEFIT, BIJSTAND, WW, DISABILITY = range(4)
BENEFIT_NAMES = ("none", "bijstand", "ww", "disability")

# Contracts.
NO_CONTRACT, PERMANENT, TEMPORARY = range(3)
CONTRACT_NAMES = ("none", "permanent", "temporary")

# Household and education.
SINGLE, COHABITING = 0, 1
LOW, MIDDLE, HIGH = 0, 1, 2

# Groups an employer can see and hold a belief about (docs/evidence.md E11-E18). The visible label has one column each.
LONG_TERM, PSYCH, OLDER, MIGRANT, LIMITATION = range(5)
GROUP_NAMES = ("long_term_unemployed", "psychological", "older", "migrant", "work_limitation")
N_GROUPS = len(GROUP_NAMES)

# Employer kinds: regular firms, and the parallel-market organisations (docs/evidence.md E52-E53).
REGULAR_FIRM, SOCIAL_ENTERPRISE, SATELLITE, SHELTERED_WORKSHOP = range(4)
EMPLOYER_KIND_NAMES = ("regular", "social_enterprise", "satellite", "sheltered_workshop")
PARALLEL_KINDS = (SOCIAL_ENTERPRISE, SATELLITE, SHELTERED_WORKSHOP)

# Reasons recorded in the transitions log.
REASONS = (
    "initial", "hired", "contract_end", "dismissal", "dropout", "health", "recovered", "participation_start",
    "participation_end", "left_benefit", "basisbaan_placed", "retired", "entered", "programme_end",
    "income_lost", "job_back", "left_other",
)
REASON_CODE = {name: code for code, name in enumerate(REASONS)}

# Basisbaan recruitment funnel outcomes (docs/evidence.md E63), recorded per interviewed person.
FUNNEL_OUTCOMES = ("not_interviewed", "not_eligible", "regular_prospects", "prefers_volunteering",
                   "health_or_capacity", "not_interested", "unknown", "placed")
FUNNEL_CODE = {name: code for code, name in enumerate(FUNNEL_OUTCOMES)}


def state_code(name: str) -> int:
    """The integer code of a labour-state name; raises ValueError with the allowed names."""
    try:
        return STATE_NAMES.index(name)
    except ValueError:
        raise ValueError(f"unknown labour state {name!r}; allowed: {', '.join(STATE_NAMES)}") from None


def is_paid(state: np.ndarray) -> np.ndarray:
    """Boolean mask of people in paid work (regular, parallel or basisbaan)."""
    return (state >= REGULAR) & (state <= BASISBAAN)
