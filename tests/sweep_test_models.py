"""Functions with known sensitivity for the analysis tests."""

from __future__ import annotations


def weighted(params, seed, months):
    """y = 4 a + 2 b (c has no effect): on [0, 1]^3, S1 = (0.8, 0.2, 0) and Morris mu* = (4, 2, 0)."""
    return {"y": 4.0 * params["a"] + 2.0 * params["b"] + 0.0 * params["c"]}
