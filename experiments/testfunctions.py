"""Test functions for the sweep and sensitivity pipeline (a design's `function = "module:callable"`).

`ishigami` is the Ishigami-Homma function (SALib's `SALib.test_functions.Ishigami`), whose Sobol indices are
known in closed form (`ishigami_indices`): `plm sensitivity ishigami` must recover them, which checks the
whole pipeline — design, sampling, Dask, records, analysis — on a case with a right answer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def ishigami(params: dict[str, Any], seed: int, months: int | None) -> dict[str, float]:
    """y = sin(x1) + a sin²(x2) + b x3⁴ sin(x1) (a = 7, b = 0.1 unless the design sets them)."""
    from SALib.test_functions import Ishigami

    x = np.array([[params["x1"], params["x2"], params["x3"]]], dtype=float)
    y = Ishigami.evaluate(x, A=float(params.get("a", 7.0)), B=float(params.get("b", 0.1)))
    return {"y": float(y[0])}


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> dict[str, dict[str, float]]:
    """Analytical first-order (S1) and total-order (ST) Sobol indices of `ishigami` on [-pi, pi]^3."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * 8 / 225
    v = v1 + v2 + v13
    return {"S1": {"x1": v1 / v, "x2": v2 / v, "x3": 0.0},
            "ST": {"x1": (v1 + v13) / v, "x2": v2 / v, "x3": v13 / v}}
