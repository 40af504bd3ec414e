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


def _kept(values, weights) -> tuple[np.ndarray, np.ndarray | None]:
    """(values, weights) without the runs whose value is nan or whose weight is 0; weights None when there are
    none or all are equal (the unweighted definitions then apply exactly). A negative or non-finite weight, or
    a count that does not match the values, is refused with one line."""
    v = np.asarray(values, dtype=float).ravel()
    if weights is None:
        return v[~np.isnan(v)], None
    w = np.asarray(weights, dtype=float).ravel()
    if w.shape != v.shape:
        raise ValueError(f"weights: {w.size} for {v.size} values; allowed: one weight per value")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError(f"weights = {w.tolist()!r}: allowed: finite numbers of at least 0")
    keep = ~np.isnan(v) & (w > 0)
    v, w = v[keep], w[keep]
    return v, (None if not w.size or (w == w[0]).all() else w)


def weighted_mean(values, weights=None) -> float:
    """The mean of per-run values, each run counting with its weight: Σ wᵢxᵢ / Σ wᵢ (nan values and runs of
    weight 0 left out; nan if none is left). With no weights or equal weights it is the plain mean (numpy's).
    Over a calibration ensemble a run's weight is its member's importance weight / the member's runs
    (`experiments.ensemble.run_weights`)."""
    v, w = _kept(values, weights)
    if not v.size:
        return math.nan
    return float(np.mean(v)) if w is None else float(np.sum(w * v) / np.sum(w))


def weighted_percentiles(values, weights, qs) -> list[float]:
    """The weighted percentiles `qs` (in %, 0..100) of `values`: the weighted percentile method with C = 1
    (Wikipedia, "Percentile", The weighted percentile method; the weighted form of Hyndman & Fan 1996 type 7,
    numpy's 'linear'). Sorted by value, with Sᵢ the cumulative weight up to and including run i and S the total,
    run i sits at the percent rank pᵢ = (Sᵢ − wᵢ) / (S − wᵢ) (the first at 0, the last at 1), and a percentile
    is the linear interpolation between the runs on either side of q/100. With equal weights pᵢ = (i − 1)/(n − 1),
    numpy's linear method; a heavy run stretches over more of the ranks, so it pulls the percentiles toward it.
    Values and weights as given (no nan, weights > 0: `spread_interval` and `weighted_mean` drop the others)."""
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if v.size == 1:
        return [float(v[0])] * len(qs)
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    s = np.cumsum(w)
    ranks = (s - w) / (s[-1] - w)
    ranks[0], ranks[-1] = 0.0, 1.0       # exactly, whatever the rounding of the sums
    return [float(np.interp(q / 100.0, ranks, v)) for q in qs]


def spread_interval(values, level: float = 0.90, weights=None) -> tuple[float, float]:
    """The central `level` interval of per-run values: the (1 - level)/2 and (1 + level)/2 percentiles (the 5th
    and 95th for 90%), nan values left out ((nan, nan) if none is left). Unlike `paired_difference`, which asks
    whether a mean effect is more than noise, this is where one run's outcome lies: the interval of `plm
    validate` and of the prediction record (experiments/predictions.py), over seeds, with equal weights: numpy's
    linear interpolation, exactly. Over a calibration ensemble the runs are members × seeds, each run weighing
    its member's importance weight / the member's runs (`experiments.ensemble.run_weights`; runs of weight 0 left
    out), and the percentiles are `weighted_percentiles` (the C = 1 weighted method, which is numpy's linear one
    for equal weights: with `weights` None or all equal the numbers are numpy's). The interval then carries both
    parameter uncertainty and seed noise."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"spread_interval: level = {level!r}: allowed: a number between 0 and 1")
    v, w = _kept(values, weights)
    if not v.size:
        return (math.nan, math.nan)
    tail = (100.0 - 100.0 * level) / 2.0   # 5.0 exactly for 0.9
    if w is None:
        return (float(np.percentile(v, tail)), float(np.percentile(v, 100.0 - tail)))
    lo, hi = weighted_percentiles(v, w, (tail, 100.0 - tail))
    return (lo, hi)
