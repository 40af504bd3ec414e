"""Separations: contracts end, people are dismissed or drop out (BRIEF.md §1, §2.3, §4).

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

import numpy as np

from abm import jobs
from abm import states as S
from abm.params import Section, param


class SeparationParams(Section):
    dismissal_permanent: float = param(0.01, 0, 1, unit="per month", doc="dismissal hazard, permanent contract")
    dismissal_temporary: float = param(0.03, 0, 1, unit="per month", doc="dismissal hazard, temporary contract")
    cycle_elasticity: float = param(1.0, 0, 5, unit="elasticity",
                                    doc="how much a slack market raises dismissals (temporary contracts)")
    convert_to_permanent: float = param(0.25, 0, 1, unit="probability", doc="temporary contract made permanent")
    renew_temporary: float = param(0.35, 0, 1, unit="probability", doc="temporary contract renewed")
    temporary_months: int = param(12, 1, 60, unit="months", doc="length of a temporary contract")
    overload_dropout: float = param(0.03, 0, 1, unit="per month at full overload",
                                    doc="drop-out when hours exceed health capacity")
    dropout_parallel: float = param(0.006, 0, 1, unit="per month", doc="drop-out from parallel work")
    dropout_basisbaan: float = param(0.003, 0, 1, unit="per month", doc="drop-out from a basisbaan",
                                     source="BRIEF.md §4 (1 of 45 stopped shortly after starting)")
    parallel_renewal: float = param(0.85, 0, 1, unit="probability", doc="parallel contract renewed")
    basisbaan_renewal: float = param(0.5, 0, 1, unit="probability", doc="temporary basisbaan contract renewed")
    inactive_capacity: float = param(10.0, 0, 40, unit="hours/week",
                                     doc="below this capacity someone who drops out becomes inactive")


def step(model) -> None:
    p, s = model.p.separations, model.s
    rng = model.streams["separations"]
    month = model.month
    tight = model.tightness
    paid = np.flatnonzero(S.is_paid(s.state))
    if paid.size == 0:
        return
    st = s.state[paid]
    temp = s.contract[paid] == S.TEMPORARY
    u = rng.random((4, paid.size))
    # 1. temporary contracts reaching their end
    ending = temp & (s.contract_end[paid] <= month)
    renew_p = np.select([st == S.PARALLEL, st == S.BASISBAAN],
                        [p.parallel_renewal, p.basisbaan_renewal],
                        default=min(p.convert_to_permanent * tight, 0.9) + p.renew_temporary)
    convert = ending & (st == S.REGULAR) & (u[0] < min(p.convert_to_permanent * tight, 0.9))
    renew = ending & ~convert & (u[0] < renew_p)
    s.contract[paid[convert]] = S.PERMANENT
    s.contract_end[paid[convert]] = -1
    s.contract_end[paid[renew]] = month + np.where(st[renew] == S.BASISBAAN,
                                                   model.muni_policy["basisbaan_contract_months"][
                                                       s.municipality[paid[renew]]], p.temporary_months)
    contract_end = ending & ~convert & ~renew
    # 2. dismissals in regular jobs, more in a slack market and on flexible contracts
    slack = (1.0 / tight) ** p.cycle_elasticity
    hazard = np.where(temp, p.dismissal_temporary * slack, p.dismissal_permanent * slack ** 0.5)
    dismissed = ~contract_end & (st == S.REGULAR) & (u[1] < hazard)
    # 3. drop-out: overload of health, and the subsidised jobs' own hazards
    hours = s.hours[paid]
    over = np.maximum(hours - s.health_hours[paid], 0) / np.maximum(hours, 1)
    base = np.select([st == S.PARALLEL, st == S.BASISBAAN], [p.dropout_parallel, p.dropout_basisbaan], 0.0)
    dropout = ~contract_end & ~dismissed & (u[2] < base + p.overload_dropout * over)
    # 4. a basisbaan programme that has ended
    ended = (st == S.BASISBAAN) & (model.muni_policy["basisbaan_end_month"][s.municipality[paid]] <= month)
    contract_end &= ~ended
    dismissed &= ~ended
    dropout &= ~ended
    low_capacity = s.health_hours[paid] < p.inactive_capacity
    jobs.end_job(model, paid[ended], S.UNEMPLOYED, "programme_end")
    jobs.end_job(model, paid[contract_end], S.UNEMPLOYED, "contract_end")
    jobs.end_job(model, paid[dismissed], S.UNEMPLOYED, "dismissal")
    jobs.end_job(model, paid[dropout & low_capacity], S.INACTIVE, "health")
    jobs.end_job(model, paid[dropout & ~low_capacity], S.UNEMPLOYED, "dropout")
