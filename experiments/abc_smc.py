"""Sequential ABC for the calibration ensemble: the distance, the tolerance schedule, the proposal kernel and the
importance weights of `plm calibrate --ensemble --rounds R` (docs/calibration.md, "Sequential rounds").

Method: adaptive population Monte Carlo ABC (APMC; Lenormand, Jabot & Deffuant 2013, Computational Statistics
28, 2777-2796), with the Gaussian kernel of twice the weighted covariance and the importance weights of ABC-PMC
(Beaumont, Cornuet, Marin & Robert 2009, Biometrika 96, 983-990; also Toni et al. 2009). APMC fits a sweep: every
round is a batch of N parameter sets of known size, run together and judged together.

- **Distance** of a member: the worst normalised miss over the targets that judge it. A band target with band
  [lo, hi] and mean m over the member's seeds misses by max(0, lo - m, m - hi) / (hi - lo); a failed sign test
  misses by 1; a mean that is not a number by infinity. Distance 0 is exactly the acceptance rule of
  `plm validate` (`experiments.validation.judge`): every band target's mean inside its band, every sign test
  holding.
- **Round 0** draws N sets by Latin hypercube in the priors (uniform); each has weight 1.
- **Population** after a round: the K = ceil(keep x N) judged sets of smallest distance among the previous
  population and the round's new sets (ties: the lower id); a set with an infinite distance is never kept. Its
  **tolerance** is the largest distance in it, so the tolerance falls as rounds go on, down to 0 once K sets pass
  every target (the schedule is the keep-quantile of the distances, Lenormand et al. 2013).
- **Proposal** of round t+1, in the unit cube of the priors: a parent j of the population drawn with probability
  w_j (the weights normalised), plus a Gaussian step with covariance 2 S (S the weighted covariance of the
  population, plus 1e-4 on the diagonal so that a population of one still moves); a step that leaves the priors
  is drawn again.
- **Weight** of a new set u: prior(u) / sum_j w_j N(u; u_j, 2 S), the prior being uniform (density 1 in the
  unit cube) and the w_j normalised to sum 1. The truncation of the kernel at the priors' edges is not corrected for
  (as in Beaumont et al. 2009). A set of round 0 has weight 1; a set keeps its weight while it stays in the
  population.

Every draw comes from `numpy.random.default_rng([sample_seed, round])` and depends only on the finished rounds'
measures, so the same command proposes the same sets again: a sweep of a round resumes like any sweep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SIGN_TEST_MISS = 1.0
KERNEL_SCALE = 2.0
KERNEL_RIDGE = 1e-4
MAX_REDRAWS = 10_000


@dataclass
class Particle:
    """A judged parameter set: its id (over every round), round, place in the unit cube of the priors, importance
    weight (unnormalised) and distance."""

    id: int
    round: int
    u: np.ndarray
    weight: float
    distance: float


def miss(result) -> float:
    """The normalised miss of one judged target (`experiments.validation.Result`): 0 when it passes."""
    t = result.target
    if t.band is None:
        return 0.0 if result.passed else SIGN_TEST_MISS
    m = result.mean
    if not math.isfinite(m):
        return math.inf
    lo, hi = t.band
    return max(0.0, lo - m, m - hi) / max(hi - lo, 1e-12)


def distance(results, skip=()) -> tuple[float, str | None]:
    """(worst normalised miss over the results whose target is not in `skip`, the target of that miss; None
    when every target passes)."""
    worst, key = 0.0, None
    for r in results:
        if r.target.key in skip:
            continue
        d = miss(r)
        if d > worst:
            worst, key = d, r.target.key
    return worst, key


def to_unit(params: dict[str, float], prior: dict[str, tuple[float, float]]) -> np.ndarray:
    return np.array([(params[k] - lo) / (hi - lo) for k, (lo, hi) in prior.items()], dtype=float)


def from_unit(u: np.ndarray, prior: dict[str, tuple[float, float]]) -> dict[str, float]:
    return {k: float(lo + min(max(float(x), 0.0), 1.0) * (hi - lo)) for x, (k, (lo, hi)) in zip(u, prior.items())}


def population(particles: list[Particle], keep: int) -> list[Particle]:
    """The `keep` particles of smallest finite distance (ties: lower id). Each keeps the weight it was drawn
    with; the kernel and the proposal normalise them (Lenormand et al. 2013, algorithm 2)."""
    finite = sorted((p for p in particles if math.isfinite(p.distance)), key=lambda p: (p.distance, p.id))
    return finite[:keep]


def tolerance(pop: list[Particle]) -> float:
    """The largest distance in the population (infinity for an empty one)."""
    return max((p.distance for p in pop), default=math.inf)


def kernel_covariance(pop: list[Particle]) -> np.ndarray:
    """2 x the weighted covariance of the population in the unit cube, plus `KERNEL_RIDGE` on the diagonal."""
    U = np.array([p.u for p in pop])
    w = np.array([p.weight for p in pop])
    w = w / w.sum()
    mean = w @ U
    X = U - mean
    cov = (X * w[:, None]).T @ X
    return KERNEL_SCALE * cov + KERNEL_RIDGE * np.eye(U.shape[1])


def _log_normal_pdf(x: np.ndarray, means: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """log N(x; mean_j, cov) for every row mean_j."""
    d = x.shape[0]
    inv = np.linalg.inv(cov)
    _, logdet = np.linalg.slogdet(cov)
    diff = means - x
    q = np.einsum("ij,jk,ik->i", diff, inv, diff)
    return -0.5 * (q + logdet + d * math.log(2 * math.pi))


def propose(pop: list[Particle], n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(n new points in the unit cube, their unnormalised weights): the module's proposal and weight."""
    if not pop:
        raise ValueError("an empty population proposes nothing")
    U = np.array([p.u for p in pop])
    w = np.array([p.weight for p in pop])
    w = w / w.sum()
    cov = kernel_covariance(pop)
    chol = np.linalg.cholesky(cov)
    out = np.empty((n, U.shape[1]))
    weights = np.empty(n)
    for i in range(n):
        for _ in range(MAX_REDRAWS):
            parent = U[rng.choice(len(pop), p=w)]
            x = parent + chol @ rng.standard_normal(U.shape[1])
            if np.all((x >= 0.0) & (x <= 1.0)):
                break
        else:  # pragma: no cover - a population inside the cube always has steps that stay in it
            x = np.clip(parent, 0.0, 1.0)
        out[i] = x
        dens = np.exp(_log_normal_pdf(x, U, cov))
        weights[i] = 1.0 / max(float(w @ dens), 1e-300)
    return out, weights
