"""Search: effort and applications (BRIEF.md §2.2, §2.5; ARCHITECTURE.md step 5).

Rule. Search effort in [0, 1] of a person who can search (unemployed, in a participation job, or on the job in
parallel or basisbaan work) is
    base × motivation(net gain of the better of a full-time and a part-time job + value of work) × (1 - why_try × self-stigma)
         × health (capacity / full_capacity_hours) × on-the-job factor × (0.7 in a participation job)
    + coaching boost,
and in a sanction regime an obliged bijstand recipient searches at least `obligation_floor` (or risks a
sanction: a 20% cut of the benefit that month). In a trust regime there is no floor and no sanction.
Applications this month ~ Poisson(max_applications × effort); each goes to the parallel pool with a chance
that rises with a work limitation or a psychological vulnerability, otherwise to a regular vacancy within
commuting reach; one in `referral_prob` searchers also gets a referral through a tie working at a firm with
an opening.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from abm import coaching, money, self_stigma, throughput
from abm import states as S
from abm.params import Section, param


class SearchParams(Section):
    base_effort: float = param(0.6, 0, 1, unit="effort", doc="effort of a motivated, healthy searcher")
    max_applications: float = param(4.0, 0, 50, unit="applications/month", doc="applications at full effort")
    money_scale: float = param(200.0, 1, 5000, unit="EUR/month", doc="gain that moves motivation one step")
    full_capacity_hours: float = param(24.0, 1, 40, unit="hours/week",
                                       doc="capacity from which health no longer limits search")
    part_time_hours: float = param(16.0, 1, 40, unit="hours/week", doc="hours of the part-time job people weigh")
    participation_factor: float = param(0.7, 0, 1, unit="ratio", doc="search while in a participation job")
    obligation_floor: float = param(0.3, 0, 1, unit="effort", doc="minimum effort under a job-search duty")
    sanction_prob: float = param(0.05, 0, 1, unit="per month",
                                 doc="chance an obliged person below the floor is sanctioned")
    refusal_pressure: float = param(150.0, 0, 5000, unit="EUR/month",
                                    doc="cost of refusing an offer under a sanction regime")
    parallel_base: float = param(0.10, 0, 1, unit="share", doc="applications sent to the parallel pool")
    parallel_limitation: float = param(0.35, 0, 1, unit="share", doc="extra with a work limitation")
    parallel_psych: float = param(0.2, 0, 1, unit="share", doc="extra with a psychological vulnerability")
    referral_prob: float = param(0.25, 0, 1, unit="per month", doc="chance a searcher asks a tie for a referral")


@dataclass
class Applications:
    seeker: np.ndarray
    parallel: np.ndarray     # application to the parallel pool (else regular)
    referral_seekers: np.ndarray
    referral_employers: np.ndarray


def searchers(model) -> np.ndarray:
    """People who may search: out of work and able (including non-claimants), or on the job in subsidised work."""
    s = model.s
    st = s.state
    non_claimant = (st == S.INACTIVE) & (s.benefit == S.NO_BENEFIT) \
        & (s.health_hours >= model.p.activation.exempt_capacity)
    return np.flatnonzero((st == S.UNEMPLOYED) | (st == S.PARTICIPATION) | (st == S.PARALLEL)
                          | (st == S.BASISBAAN) | non_claimant)


def effort(model, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Search effort of `rows`, and who is obliged to search (sanction regime, bijstand, unemployed)."""
    p, s = model.p.search, model.s
    full_time = money.net_gain(model, rows, model.p.economy.fulltime_hours)
    part_time = money.net_gain(model, rows, p.part_time_hours)
    gain = np.maximum(full_time, part_time) + s.intrinsic[rows]
    motivation = 1.0 / (1.0 + np.exp(-gain / p.money_scale))
    health = np.clip(s.health_hours[rows] / p.full_capacity_hours, 0, 1)
    eff = p.base_effort * motivation * self_stigma.effort_factor(model, rows) * health
    eff *= throughput.on_the_job_factor(model, rows)
    eff *= np.select([s.state[rows] == S.PARTICIPATION, s.state[rows] == S.INACTIVE],
                     [p.participation_factor, model.p.activation.non_claimant_search], 1.0)
    if model.p.coaching.enabled:
        eff += model.p.coaching.effort_boost * s.coached[rows]
    obliged = (model.muni_policy["regime"][s.municipality[rows]] == "sanction") \
        & (s.benefit[rows] == S.BIJSTAND) & (s.state[rows] == S.UNEMPLOYED)
    return np.clip(eff, 0, 1).astype(np.float32), obliged


def step(model) -> Applications:
    p, s = model.p.search, model.s
    rng = model.streams["search"]
    rows = searchers(model)
    eff, obliged = effort(model, rows)
    below = obliged & (eff < p.obligation_floor)
    s.sanctioned[:] = False
    s.sanctioned[rows[below & (rng.random(rows.size) < p.sanction_prob)]] = True
    eff = np.where(obliged, np.maximum(eff, p.obligation_floor), eff)
    s.search_effort[:] = 0
    s.search_effort[rows] = eff
    n_apps = rng.poisson(p.max_applications * eff)
    s.applications[:] = 0
    s.applications[rows] = n_apps
    seeker = np.repeat(rows, n_apps)
    pref = p.parallel_base + p.parallel_limitation * s.work_limitation[seeker] + p.parallel_psych * s.psych[seeker]
    parallel = (rng.random(seeker.size) < pref) & (s.state[seeker] != S.PARALLEL)
    # referrals: a random tie who works in a regular job points to their employer
    asks = rows[(rng.random(rows.size) < p.referral_prob) & (eff > 0)]
    tie = model.social.random_tie(asks, rng.random(asks.size))
    ok = tie >= 0
    asks, tie = asks[ok], tie[ok]
    works = (s.state[tie] == S.REGULAR) & (s.employer[tie] >= 0)
    return Applications(seeker, parallel, asks[works], s.employer[tie[works]].astype(np.int64))


# re-exported for the classic reference implementation
capped_choice = coaching.capped_choice
