"""Throughput (doorstroom) from parallel and basisbaan jobs into regular work (docs/evidence.md E50, E52).

Rule. Recent work experience raises an employer's score: a person with `months_subsidised` of parallel or
basisbaan work (saturating at `saturation_months`) gets `weight × experience` while still in that work or
within `recency_months` after it; parallel experience counts `parallel_experience_factor` times (policy). People in
those jobs keep searching on the job, less so on a permanent
basisbaan (lock-in) than on a temporary one; a throughput goal makes coaches push them on.
"""

from __future__ import annotations

from abm import states as S
from abm.jit import jit
from abm.mechanism import Column, Mechanism
from abm.params import Section, param

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "months_subsidised": Column("int32", 0, "months worked in parallel or basisbaan jobs"),
    "months_since_subsidised": Column("int32", 9999, "months since the last month in parallel or basisbaan work"),
    "last_subsidised_state": Column("int8", 0,
                                    "labour state of the last subsidised work (parallel or basisbaan), 0 none"),
}


class ThroughputParams(Section):
    enabled: bool = param(True, doc="switch: off = subsidised experience does not count for employers "
                                    "(on-the-job search goes on)")
    weight: float = param(0.02, 0, 5, unit="score", doc="score bonus of full recent experience",
                          source="kept small by docs/evidence.md E86 (Card, Kluve & Weber 2018)")
    saturation_months: int = param(12, 1, 120, unit="months", doc="experience that counts in full")
    recency_months: int = param(12, 0, 120, unit="months", doc="how long experience stays recent")
    otj_parallel: float = param(0.05, 0, 1, unit="ratio", doc="on-the-job search of parallel workers")
    otj_basisbaan_permanent: float = param(0.05, 0, 1, unit="ratio",
                                           doc="on-the-job search on a permanent basisbaan (lock-in)")
    otj_basisbaan_temporary: float = param(0.6, 0, 1, unit="ratio",
                                           doc="on-the-job search on a temporary basisbaan")
    otj_throughput_goal: float = param(0.6, 0, 1, unit="ratio",
                                       doc="on-the-job search when the programme has a throughput goal")


@jit
def experience_one(weight, saturation, recency, months_subsidised, months_since, last_state, parallel_factor):
    """Experience bonus in the hiring score: recent parallel or basisbaan work, saturating; parallel work counts
    `parallel_factor` times (more when it was done inside regular firms, as in social secondment)."""
    if months_since > recency:
        return 0.0
    factor = parallel_factor if last_state == S.PARALLEL else 1.0
    return weight * factor * min(months_subsidised, saturation) / saturation


@jit
def on_the_job_factor(state, contract, throughput_goal, otj_parallel, otj_permanent, otj_temporary, otj_goal):
    """Search effort multiplier for people already in parallel or basisbaan work (1 for others)."""
    if state == S.PARALLEL:
        return otj_parallel
    if state == S.BASISBAAN:
        if throughput_goal:
            return otj_goal
        return otj_temporary if contract == S.TEMPORARY else otj_permanent
    return 1.0


# A rule used inside other mechanisms' steps (no step of its own): its parameters and columns.
MECHANISM = Mechanism("throughput", doc=__doc__, params=ThroughputParams, columns=COLUMNS)
