"""Seed guidance: the seed noise of a design's key outputs from a few pilot runs, and the seeds a wanted
precision needs (`plm sweep DESIGN --dry-run --pilot K`; docs/sweeps.md § Choosing the number of seeds).

Rule. The pilot runs the design's centre point (a grid: the middle level of every parameter; a sampled
design: the middle of every range, whole numbers rounded) with K seeds (1..K), exactly as the sweep would
run it (same base scenario, `[set]`, months, scale). For each output, s is the standard deviation over the K
seeds. The 95% half-width of a point's mean over n seeds is t(0.975, n - 1) × s / sqrt(n) (Student's t), and
the seeds needed for a wanted half-width h = precision × |mean| is the smallest n >= 2 with
t(0.975, n - 1) × s / sqrt(n) <= h. This is the noise of one point's level; the difference between two points
run on the same seeds is less noisy (the seeds share their random numbers, README § Randomness), so the count
is an upper bound for comparisons. s itself is uncertain with a few pilot seeds: with K = 5 the true s can be
up to 2.9× the estimate (95% chi-square bound), hence `--pilot 10` for a decision that matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from experiments.design import HEADLINE_OUTPUTS, Design, make_plan
from experiments.sweep.errors import SweepError
from experiments.sweep.run import execute_run

MAX_SEEDS_NEEDED = 100_000


@dataclass
class OutputNoise:
    output: str
    mean: float
    sd: float
    half_width: float     # of a point's mean with the design's seeds
    seeds_needed: int | None  # for precision × |mean|; None when the mean is 0


def centre_point(design: Design) -> dict[str, Any]:
    """The design's centre point (see the module docstring)."""
    point: dict[str, Any] = {}
    for key, spec in design.parameters.items():
        kind = design._kinds.get(key, "float")
        if spec.levels is not None:
            point[key] = spec.levels[(len(spec.levels) - 1) // 2]
        else:
            mid = (spec.min + spec.max) / 2
            point[key] = int(min(max(round(mid), math.ceil(spec.min)), math.floor(spec.max))) if kind == "int" \
                else float(mid)
    return point


def half_width(sd: float, n: int) -> float:
    from scipy.stats import t

    return float(t.ppf(0.975, n - 1) * sd / math.sqrt(n)) if n >= 2 else math.inf


def seeds_needed(sd: float, target: float) -> int | None:
    """The smallest n >= 2 with t(0.975, n - 1) × sd / sqrt(n) <= target (None if target is 0 and sd > 0)."""
    if sd == 0:
        return 2
    if target <= 0:
        return None
    n = 2
    while half_width(sd, n) > target:
        if n >= MAX_SEEDS_NEEDED:
            return MAX_SEEDS_NEEDED
        # the normal approximation gives the next candidate; never step back
        n = max(n + 1, math.ceil((1.96 * sd / target) ** 2))
    return n


def pilot(design: Design, seeds: int, precision: float,
          progress: Callable[[int, int], None] | None = None) -> list[OutputNoise]:
    """Run the pilot and estimate the noise (see the module docstring); refuses bad sizes with one line."""
    if not 2 <= seeds <= 50:
        raise SweepError(f"--pilot = {seeds}: allowed: 2 to 50 seeds (0 for none)")
    if not 0 < precision < 1:
        raise SweepError(f"--precision = {precision}: allowed: a fraction of the mean between 0 and 1, e.g. 0.01")
    plan = make_plan(design)
    context = dict(plan.context, output_columns=design.outputs.columns() if design.is_model else [])
    point = centre_point(design)
    records = []
    for k in range(seeds):
        if progress:
            progress(k, seeds)
        rec = execute_run(context, f"pilot-{k + 1}", point, k + 1)["record"]
        if rec["status"] != "ok":
            raise SweepError(f"pilot run at the centre point {point} with seed {k + 1} failed: {rec['error']}")
        records.append(rec)
    if progress:
        progress(seeds, seeds)
    columns = design.outputs.columns() if design.is_model else \
        [k for k, v in records[0].items() if isinstance(v, float) and k not in point and k != "wall_seconds"]
    wanted = [c for c in HEADLINE_OUTPUTS if c in columns] or columns
    n = len(design.seed_list)
    out = []
    for col in wanted:
        values = [float(r[col]) for r in records]
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        out.append(OutputNoise(col, mean, sd, half_width(sd, n), seeds_needed(sd, precision * abs(mean))))
    return out
