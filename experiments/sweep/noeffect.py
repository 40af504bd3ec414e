"""The "no effect" report of a sweep: which varied parameters (or which levels of one) left every output the
same, given the seed spread.

Rule. For a parameter P, runs are paired when they have the same seed and the same value of every other varied
parameter and differ only in P (a grid has such pairs for every two levels of P; Morris trajectories and
Sobol/Saltelli samples have them by construction; a Latin hypercube has none, and its parameters are reported
as not assessed). For each output, the paired differences y(P = b) - y(P = a) of a pair of levels a < b
(for a sampled design: every pair, the higher value of P minus the lower, divided by the pair's step as a
share of P's range, i.e. Morris' elementary effect over the whole range, pooled) are averaged per seed (the
seeds are the replicates; with one seed the pairs themselves are, so the spread is that of the effect over the
other parameters' values), and these give a mean and its 95% interval by `experiments.noise.paired_difference`
(Student's t; the seeds share their random numbers, so the differences are as precise as the model allows).
A pair of levels has *no effect* when, for every output, the differences are all exactly zero (*identical*) or
their interval covers zero (*within the noise*). A parameter has no effect when every pair of its levels has
none. With one replicate the noise is unknown and only identical runs are claimed. A mean effect that changes
sign inside a sampled range can cancel out: the report says "no effect found", not that there is none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.noise import Difference, paired_difference
from experiments.sweep.reading import load_sweep, manifest_of
from experiments.sweep.store import META_COLUMNS

NOT_OUTPUTS = {"run_id", "status", "seed", *META_COLUMNS}


@dataclass
class LevelPair:
    """One pair of levels of a parameter (`a` < `b`; for a sampled design the pooled 'lower -> higher')."""

    a: Any
    b: Any
    pairs: int
    differences: dict[str, Difference]  # output -> paired difference

    @property
    def identical(self) -> bool:
        return all(d.identical for d in self.differences.values())

    @property
    def noise_known(self) -> bool:
        return bool(self.differences) and all(d.noise_known for d in self.differences.values())

    @property
    def no_effect(self) -> bool:
        return self.identical or (self.noise_known and all(d.identical or d.within_noise
                                                           for d in self.differences.values()))

    def moved(self) -> list[str]:
        """The outputs whose difference is outside the noise."""
        return [o for o, d in self.differences.items() if not (d.identical or d.within_noise)]


@dataclass
class ParameterReport:
    parameter: str
    sampled: bool
    levels: list[LevelPair] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """'identical', 'no effect found', 'effect', 'noise unknown' or 'not assessed'."""
        if not self.levels:
            return "not assessed"
        if all(lp.identical for lp in self.levels):
            return "identical"
        if all(lp.no_effect for lp in self.levels):
            return "no effect found"
        if any(lp.moved() and lp.noise_known for lp in self.levels):
            return "effect"
        return "noise unknown"

    def detail(self) -> str:
        """One line for a reader."""
        if not self.levels:
            return "no two runs differ only in this parameter (a Latin hypercube has none)"
        n = sum(lp.pairs for lp in self.levels)
        if self.verdict == "identical":
            return f"every output the same in all {n} pairs of runs that differ only in it"
        if self.verdict == "no effect found":
            k = min(d.seeds for lp in self.levels for d in lp.differences.values())
            return f"every output within the noise of the seeds ({n} pairs of runs, {k} replicates)"
        if self.verdict == "noise unknown":
            return "one pair of runs per level pair: the noise is unknown (use more seeds)"
        moved = list(dict.fromkeys(o for lp in self.levels for o in lp.moved()))
        text = f"moves {', '.join(moved[:4])}{' ...' if len(moved) > 4 else ''}"
        same = [lp for lp in self.levels if lp.no_effect]
        if same and not self.sampled:
            text += "; no effect between " + ", ".join(
                f"{_fmt(lp.a)} and {_fmt(lp.b)}{' (identical)' if lp.identical else ''}" for lp in same)
        return text


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def no_effect_report(folder: str | Path, outputs: list[str] | None = None) -> list[ParameterReport]:
    """The report of a sweep folder (see the module docstring), one entry per varied parameter."""
    manifest = manifest_of(folder)
    runs = load_sweep(folder)
    params = [p for p in (manifest.get("parameters") or {}) if p in runs.columns]
    ok = runs[runs["status"] == "ok"] if "status" in runs.columns else runs
    if outputs is None:
        outputs = [c for c in (manifest.get("outputs") or []) if c in ok.columns] or \
            [c for c in ok.columns if c not in NOT_OUTPUTS and c not in params
             and ok[c].dtype.kind in "fiu"]
    sampled = manifest.get("method", "grid") != "grid"
    reports = []
    for p in params:
        others = [q for q in params if q != p] + ["seed"]
        pooled: dict[tuple, list[tuple[int, int]]] = {}
        for _, group in ok.groupby(others, dropna=False, sort=False):
            if len(group) < 2:
                continue
            by_value = group.drop_duplicates(subset=[p]).sort_values(p)
            idx = list(by_value.index)
            vals = list(by_value[p])
            if sampled:
                steps = [(("lower", "higher"), i, j) for i, j in zip(idx, idx[1:])]
            else:
                steps = [((vals[x], vals[y]), idx[x], idx[y]) for x, y in combinations(range(len(idx)), 2)]
            for key, i, j in steps:
                pooled.setdefault(key, []).append((i, j))
        width = _range_width(manifest, p) if sampled else None
        report = ParameterReport(p, sampled)
        for (a, b), pairs in pooled.items():
            lo = [i for i, _ in pairs]
            hi = [j for _, j in pairs]
            seeds = ok.loc[lo, "seed"].to_numpy()
            diffs = {}
            for o in outputs:
                d = pd.Series(ok.loc[hi, o].to_numpy(float) - ok.loc[lo, o].to_numpy(float))
                if width:  # an elementary effect: the change over the whole range, as Morris scales it
                    d = d / ((ok.loc[hi, p].to_numpy(float) - ok.loc[lo, p].to_numpy(float)) / width)
                if d.isna().any():
                    continue
                if len(set(seeds)) >= 2:  # the seeds are the replicates: one mean difference per seed
                    d = d.groupby(seeds).mean()
                diffs[o] = paired_difference(d.to_numpy(), np.zeros(len(d)))
            report.levels.append(LevelPair(a, b, len(pairs), diffs))
        reports.append(report)
    return reports


def _range_width(manifest: dict[str, Any], p: str) -> float | None:
    spec = ((manifest.get("design") or {}).get("parameters") or {}).get(p) or {}
    lo, hi = spec.get("min"), spec.get("max")
    return float(hi) - float(lo) if lo is not None and hi is not None and hi > lo else None


def report_lines(reports: list[ParameterReport]) -> list[str]:
    """The report as text, one line per parameter: `no effect: KEY: why` first, then the others."""
    order = {"identical": 0, "no effect found": 1, "effect": 3, "noise unknown": 2, "not assessed": 4}
    lines = []
    for r in sorted(reports, key=lambda r: order[r.verdict]):
        lines.append(f"{r.verdict}: {r.parameter}: {r.detail()}")
    return lines


def has_no_effect(reports: list[ParameterReport]) -> bool:
    """True when some parameter, or some pair of a grid parameter's levels, had no effect on any output."""
    return any(r.verdict in ("identical", "no effect found") or any(lp.no_effect for lp in r.levels)
               for r in reports)


__all__ = ["no_effect_report", "report_lines", "has_no_effect", "ParameterReport", "LevelPair"]
