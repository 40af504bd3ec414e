"""Monthly counters: months out of work, on benefit, in the current state, and in or since subsidised work.

They drive other rules: the long-term-unemployed label (months out, and months since regular work), basisbaan
eligibility (months on benefit), tenure and WW rights (months in state), and throughput experience (months
subsidised, months since).
"""

from __future__ import annotations

from abm import states as S
from abm.jit import jit_parallel, prange
from abm.mechanism import Mechanism, Month


@jit_parallel
def _tick(state, benefit, months_out, months_since_regular, months_on_benefit, months_in_state,
          months_subsidised, months_since_subsidised, last_subsidised_state):
    for i in prange(state.size):
        st = state[i]
        if st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN:
            months_out[i] = 0
        else:
            months_out[i] += 1
        if st == S.REGULAR:
            months_since_regular[i] = 0
        else:
            months_since_regular[i] += 1
        if benefit[i] != S.NO_BENEFIT:
            months_on_benefit[i] += 1
        months_in_state[i] += 1
        if st == S.PARALLEL or st == S.BASISBAAN:
            months_subsidised[i] += 1
            months_since_subsidised[i] = 0
            last_subsidised_state[i] = st
        elif months_since_subsidised[i] < 9999:
            months_since_subsidised[i] += 1


def step(model, month: Month) -> None:
    """Advance every person's counters by one month (after the month's moves)."""
    s = model.s
    _tick(s.state, s.benefit, s.months_out, s.months_since_regular, s.months_on_benefit, s.months_in_state,
          s.months_subsidised, s.months_since_subsidised, s.last_subsidised_state)


@jit_parallel
def _use_disregard(benefit, hours, disregard_used):
    for i in prange(benefit.size):
        if benefit[i] == S.BIJSTAND and hours[i] > 0:
            disregard_used[i] += 1


def use_disregard(model, month: Month) -> None:
    """A month with earnings on bijstand uses up one month of the earnings disregard (after the books)."""
    s = model.s
    _use_disregard(s.benefit, s.hours, s.disregard_months)


MECHANISM = Mechanism("counters", doc=__doc__, step=step)
EARNINGS_DISREGARD = Mechanism("earnings_disregard", doc=use_disregard.__doc__, step=use_disregard)
