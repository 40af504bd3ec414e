"""Separations: contracts end, people are dismissed or drop out (docs/evidence.md E9, E21, E74).

Rule, each month for people in paid work:
- a temporary contract that reaches its end month is converted to permanent (more often in a tight market),
  renewed, or ended;
- regular jobs end at a monthly dismissal hazard, higher for temporary contracts and in a slack market
  (vulnerable people on flexible contracts lose work first in a crisis);
- anyone working more hours than their health carries may drop out (to inactive when capacity is very low);
- parallel and basisbaan workers drop out at their own low hazards; a basisbaan programme that ends ends its
  contracts.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from abm import jobs
from abm import states as S
from abm.jit import jit_parallel, prange
from abm.mechanism import Mechanism, Month
from abm.params import Section, param
from abm.rng import uniform
from abm.tables import bundle


class SeparationParams(Section):
    dismissal_permanent: float = param(0.01, 0, 1, unit="per month", doc="dismissal hazard, permanent contract")
    dismissal_temporary: float = param(0.03, 0, 1, unit="per month", doc="dismissal hazard, temporary contract")
    cycle_elasticity: float = param(1.0, 0, 5, unit="elasticity",
                                    doc="how much a slack market raises dismissals (temporary contracts)")
    convert_to_permanent: float = param(0.25, 0, 1, unit="probability", doc="temporary contract made permanent")
    renew_temporary: float = param(0.35, 0, 1, unit="probability", doc="temporary contract renewed")
    temporary_months: int = param(12, 1, 60, unit="months", doc="length of a temporary contract")
    overload_dropout: float = param(0.01, 0, 1, unit="per month at full overload",
                                    doc="drop-out when hours exceed health capacity")
    dropout_parallel: float = param(0.006, 0, 1, unit="per month", doc="drop-out from parallel work")
    dropout_basisbaan: float = param(0.001, 0, 1, unit="per month", doc="drop-out from a basisbaan",
                                     source="docs/evidence.md E74 (Mosselman et al. 2022: 1 of 45 stopped "
                                            "shortly after starting)")
    parallel_renewal: float = param(0.85, 0, 1, unit="probability", doc="parallel contract renewed")
    basisbaan_renewal: float = param(0.5, 0, 1, unit="probability", doc="temporary basisbaan contract renewed")
    inactive_capacity: float = param(10.0, 0, 40, unit="hours/week",
                                     doc="below this capacity someone who drops out becomes inactive")


# outcomes recorded by the kernel
PROGRAMME_END, CONTRACT_END, DISMISSAL, DROPOUT_INACTIVE, DROPOUT = range(5)
_OUTCOMES = ((PROGRAMME_END, S.UNEMPLOYED, "programme_end"), (CONTRACT_END, S.UNEMPLOYED, "contract_end"),
             (DISMISSAL, S.UNEMPLOYED, "dismissal"), (DROPOUT_INACTIVE, S.INACTIVE, "health"),
             (DROPOUT, S.UNEMPLOYED, "dropout"))


# The named structures `_separations` takes (abm/tables.bundle): the columns it reads and the month's rule;
# the policy is `model.policy_arrays`. The contract columns it renews in place stay plain arguments.
Workers = namedtuple("Workers", "person_id state hours health_hours municipality")
SeparationRule = namedtuple("SeparationRule", "convert_p renew_regular_p renew_parallel_p renew_basisbaan_p "
                                              "temporary_months hazard_temporary hazard_permanent overload_dropout "
                                              "dropout_parallel dropout_basisbaan inactive_capacity")


@jit_parallel
def _separations(key, month, people, r, pol, contract, contract_end):
    """One pass over everybody in paid work: renew or end contracts, dismissals, drop-out.

    Renewals are applied in place; returns every person's outcome code (-1: stays), each decided on its own
    (in parallel: a person's draws are their own, abm/rng.py)."""
    person_id, state, hours, health, municipality = people.person_id, people.state, people.hours, \
        people.health_hours, people.municipality
    programme_end_month, basisbaan_contract_months = pol.basisbaan_end_month, pol.basisbaan_contract_months
    convert_p, renew_regular_p, renew_parallel_p, renew_basisbaan_p = r.convert_p, r.renew_regular_p, \
        r.renew_parallel_p, r.renew_basisbaan_p
    temporary_months, hazard_temporary, hazard_permanent = r.temporary_months, r.hazard_temporary, \
        r.hazard_permanent
    overload_dropout, dropout_parallel, dropout_basisbaan = r.overload_dropout, r.dropout_parallel, \
        r.dropout_basisbaan
    inactive_capacity = r.inactive_capacity
    codes = np.full(state.size, -1, dtype=np.int8)
    for i in prange(state.size):
        st = state[i]
        if not (st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN):
            continue
        m = municipality[i]
        code = -1
        if st == S.BASISBAAN and programme_end_month[m] <= month:
            code = PROGRAMME_END
        else:
            temporary = contract[i] == S.TEMPORARY
            u = uniform(key, person_id[i], 0)
            if temporary and contract_end[i] <= month:  # 1. a temporary contract reaches its end
                if st == S.REGULAR and u < convert_p:
                    contract[i] = S.PERMANENT
                    contract_end[i] = -1
                elif (st == S.REGULAR and u < renew_regular_p) or (st == S.PARALLEL and u < renew_parallel_p) \
                        or (st == S.BASISBAAN and u < renew_basisbaan_p):
                    contract_end[i] = month + (basisbaan_contract_months[m] if st == S.BASISBAAN
                                               else temporary_months)
                else:
                    code = CONTRACT_END
            if code < 0 and st == S.REGULAR:  # 2. dismissal
                if uniform(key, person_id[i], 1) < (hazard_temporary if temporary else hazard_permanent):
                    code = DISMISSAL
            if code < 0:  # 3. drop-out: overload of health, and subsidised jobs' own hazards
                over = max(hours[i] - health[i], 0.0) / max(hours[i], 1.0)
                base = dropout_parallel if st == S.PARALLEL else (dropout_basisbaan if st == S.BASISBAAN else 0.0)
                if uniform(key, person_id[i], 2) < base + overload_dropout * over:
                    code = DROPOUT_INACTIVE if health[i] < inactive_capacity else DROPOUT
        codes[i] = code
    return codes


def step(model, month: Month) -> None:
    """Renew or end contracts, dismissals and drop-out of everybody in paid work."""
    p, s = model.p.separations, model.s
    tight = model.tightness
    slack = (1.0 / tight) ** p.cycle_elasticity
    convert = min(p.convert_to_permanent * tight, 0.9)
    rule = SeparationRule(convert, convert + p.renew_temporary, p.parallel_renewal, p.basisbaan_renewal,
                          p.temporary_months, p.dismissal_temporary * slack, p.dismissal_permanent * slack ** 0.5,
                          p.overload_dropout, p.dropout_parallel, p.dropout_basisbaan, p.inactive_capacity)
    codes = _separations(model.key("separations"), model.month, bundle(Workers, s), rule, model.policy_arrays,
                         s.contract, s.contract_end)
    rows = np.flatnonzero(codes >= 0)
    codes = codes[rows]
    for code, to_state, reason in _OUTCOMES:
        jobs.end_job(model, rows[codes == code], to_state, reason)


MECHANISM = Mechanism("separations", doc=__doc__, params=SeparationParams, step=step)
