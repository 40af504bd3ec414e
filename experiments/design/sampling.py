"""The points of a design: the full grid, SALib's sample matrix (lhs, sobol, morris) or the design's own list
(points), with whole-number parameters rounded into their range; and how many points a method makes.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from typing import Any

import numpy as np

from experiments.design.schema import Design, DesignError


def n_points_for(method: str, samples: int, d: int, second_order: bool = False) -> int:
    if method == "sobol":
        return samples * (2 * d + 2 if second_order else d + 2)
    if method == "morris":
        return samples * (d + 1)
    return samples


def n_points(design: Design) -> int:
    if design.method == "points":
        return len(design.points or [])
    if design.method == "grid":
        return math.prod(len(s.levels or []) for s in design.parameters.values())
    return n_points_for(design.method, design.samples, len(design.parameters), design.second_order)


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def digest(obj: Any, n: int = 16) -> str:
    return hashlib.sha256(canonical(obj).encode()).hexdigest()[:n]


def sample_matrix(design: Design) -> np.ndarray:
    """The unrounded sample matrix of a sampled design (rows = points), as SALib makes it."""
    problem = design.problem()
    if design.method == "lhs":
        from SALib.sample import latin
        return latin.sample(problem, design.samples, seed=design.sample_seed)
    if design.method == "sobol":
        from SALib.sample import sobol
        return sobol.sample(problem, design.samples, calc_second_order=design.second_order,
                            seed=design.sample_seed)
    if design.method == "morris":
        from SALib.sample import morris
        return morris.sample(problem, design.samples, num_levels=design.levels, seed=design.sample_seed)
    raise DesignError(f"method = {design.method!r}: no sample matrix")


def _py(value: Any, kind: str) -> Any:
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return value


def points(design: Design) -> list[dict[str, Any]]:
    """The design's points in order: one dict of parameter values each (integers rounded)."""
    kinds = design._kinds
    keys = list(design.parameters)
    if design.method == "grid":
        level_lists = [[_py(v, kinds[k]) for v in design.parameters[k].levels] for k in keys]
        return [dict(zip(keys, combo)) for combo in itertools.product(*level_lists)]
    if design.method == "points":
        X = [[p[k] for k in keys] for p in design.points or []]
    else:
        X = sample_matrix(design)
    out = []
    for row in X:
        point = {}
        for k, x in zip(keys, row):
            if kinds[k] == "int":
                spec = design.parameters[k]
                x = min(max(round(float(x)), math.ceil(spec.min)), math.floor(spec.max))
            point[k] = _py(x, kinds[k])
        out.append(point)
    return out
