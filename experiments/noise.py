"""Is a difference between a variant and its baseline more than the noise of the seeds run?

Rule. A variant and its baseline are run on the same seeds (common random numbers), so each seed gives one
paired difference d_i. Their mean is the estimated effect; its 95% confidence half-width is
t(0.975, n - 1) × sd(d) / sqrt(n) (Student's t on the paired differences). A difference whose interval
covers zero is *within the noise of the seeds run*: the seeds cannot tell it from no effect. With one seed
the noise is unknown and the comparison says so. The report (`plm report`) and the app's Compare tab use this
one rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Difference:
    mean: float           # mean paired difference (variant - baseline)
    half_width: float     # 95% confidence half-width (nan with one seed)
    seeds: int

    @property
    def identical(self) -> bool:
        """Every seed gave exactly the same value in both runs."""
        return self.mean == 0.0 and (self.seeds < 2 or self.half_width == 0.0)

    @property
    def noise_known(self) -> bool:
        return self.seeds >= 2

    @property
    def within_noise(self) -> bool:
        """True when the 95% interval covers zero (including identical runs); False with one seed."""
        if not self.noise_known:
            return False
        return abs(self.mean) <= self.half_width

    def verdict(self) -> str:
        """A few words for a reader: 'identical', 'within the noise of N seeds', 'noise unknown (1 seed)', ''."""
        if self.identical:
            return "identical"
        if not self.noise_known:
            return "noise unknown (1 seed)"
        return f"within the noise of {self.seeds} seeds" if self.within_noise else ""


def paired_difference(variant, baseline) -> Difference:
    """The paired difference of per-seed values (same seeds, same order)."""
    a = np.asarray(variant, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError(f"paired_difference: need two equally long, non-empty lists, got {a.shape} and {b.shape}")
    d = a - b
    n = d.size
    if n < 2:
        return Difference(float(d.mean()), math.nan, n)
    from scipy.stats import t

    half = float(t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n))
    return Difference(float(d.mean()), half, n)


def spread_interval(values, level: float = 0.90) -> tuple[float, float]:
    """The central `level` interval of per-run values: the (1 - level)/2 and (1 + level)/2 percentiles (the 5th
    and 95th for 90%), numpy's linear interpolation, nan values left out ((nan, nan) if none is left). Unlike
    `paired_difference`, which asks whether a mean effect is more than noise, this is where one run's outcome
    lies: the interval of `plm validate` and of the prediction record (experiments/predictions.py). Runs are
    seeds today; with a calibration ensemble they are ensemble members × seeds, and the same interval then
    carries both parameter uncertainty and seed noise."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"spread_interval: level = {level!r}: allowed: a number between 0 and 1")
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if not v.size:
        return (math.nan, math.nan)
    tail = (100.0 - 100.0 * level) / 2.0   # 5.0 exactly for 0.9
    return (float(np.percentile(v, tail)), float(np.percentile(v, 100.0 - tail)))
