"""Employers of the region: regular firms and the parallel-market organisations (docs/evidence.md E24, E52-E53).

Regular firms hold the low-wage segment's regular jobs of their municipality (allocated by firm size) and
vary in size (25+ staff falls under the quota), risk aversion, subsidy uptake and whether inclusion is in
their mission. Parallel organisations are an employer kind: social enterprises and satellite firms holding
the municipality's funded parallel places, and one sheltered workshop holding its sheltered workers. The
table is ordered by municipality, which the job pools rely on.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.mechanism import Column, Mechanism
from abm.params import Section, param
from abm.tables import EmployerTable

# The employer columns this mechanism owns (abm/mechanism.py).
EMPLOYER_COLUMNS = {
    "inclusive": Column("bool", False, "inclusion formalised in the firm's mission"),
}


class EmployerParams(Section):
    jobs_per_firm: float = param(8.0, 1, 10_000, unit="jobs", doc="mean low-wage-segment jobs per firm (agents)")
    mean_firm_size: float = param(20.0, 1, 100_000, unit="employees", doc="mean total staff of a firm")
    share_inclusive: float = param(0.10, 0, 1, unit="share", doc="firms with inclusion in their mission",
                                   source="docs/evidence.md E24 (mission vs subsidy)")
    mean_subsidy_uptake: float = param(0.4, 0, 1, unit="probability", doc="mean chance a firm uses LKS")
    places_per_organisation: float = param(20.0, 1, 10_000, unit="places", doc="parallel places per organisation")
    satellite_share: float = param(0.3, 0, 1, unit="share", doc="parallel organisations that are satellites")
    sectors: int = param(6, 1, 50, unit="count", doc="number of sectors")


def build(model, parallel_places: np.ndarray, sheltered: np.ndarray, rng: np.random.Generator,
          min_organisations: int = 0) -> EmployerTable:
    """Create the employer table, municipality by municipality (few municipalities: a loop is fine). Each
    municipality has at least `min_organisations` parallel organisations, with no places if it funds none (a run
    with a spin-up: the scenario's policy may fund places at month 0 where today's rules fund none,
    abm/spin_up.py)."""
    p = model.p.employers
    rows = []  # (municipality, kind, regular_jobs, capacity)
    for m, spec in enumerate(model.p.municipalities):
        jobs = int(round(spec.regular_jobs / model.scale))
        n_firms = max(1, int(round(jobs / p.jobs_per_firm))) if jobs > 0 else 0
        if n_firms:
            weights = rng.lognormal(0, 1.0, n_firms)
            alloc = rng.multinomial(jobs, weights / weights.sum())
            rows += [(m, S.REGULAR_FIRM, int(j), 0) for j in alloc]
        places = int(parallel_places[m])
        n_orgs = max(int(np.ceil(places / p.places_per_organisation)) if places > 0 else 0, min_organisations)
        if n_orgs:
            cap = np.full(n_orgs, places // n_orgs)
            cap[: places - cap.sum()] += 1
            kinds = np.where(rng.random(n_orgs) < p.satellite_share, S.SATELLITE, S.SOCIAL_ENTERPRISE)
            rows += [(m, int(k), 0, int(c)) for k, c in zip(kinds, cap)]
        if sheltered[m] > 0:
            rows += [(m, S.SHELTERED_WORKSHOP, 0, int(sheltered[m]))]
    e = EmployerTable(len(rows), model.employer_columns)
    if not rows:
        return e
    arr = np.array(rows, dtype=np.int64)
    e.municipality[:] = arr[:, 0]
    e.kind[:] = arr[:, 1]
    e.regular_jobs[:] = arr[:, 2]
    e.parallel_capacity[:] = arr[:, 3]
    n = e.n
    e.sector[:] = rng.integers(0, p.sectors, n)
    e.size[:] = np.maximum(1, np.round(rng.lognormal(np.log(p.mean_firm_size) - 0.5, 1.0, n))).astype(np.int32)
    e.size[:] = np.maximum(e.size, e.regular_jobs)
    mean_ra = model.p.risk.mean_risk_aversion
    e.risk_aversion[:] = rng.beta(4 * mean_ra + 0.01, 4 * (1 - mean_ra) + 0.01, n)
    e.risk_aversion[e.kind != S.REGULAR_FIRM] *= 0.3
    e.inclusive[:] = rng.random(n) < p.share_inclusive
    mu = p.mean_subsidy_uptake
    e.subsidy_uptake[:] = rng.beta(2 * mu + 0.01, 2 * (1 - mu) + 0.01, n)
    e.subsidy_uptake[e.inclusive] = np.maximum(e.subsidy_uptake[e.inclusive], 0.8)
    return e


# Building the employers (no monthly step): the columns it owns.
MECHANISM = Mechanism("employers", doc=__doc__, employer_columns=EMPLOYER_COLUMNS)
