"""Functions with known sensitivity for the analysis tests."""

from __future__ import annotations


def weighted(params, seed, months):
    """y = 4 a + 2 b (c has no effect): on [0, 1]^3, S1 = (0.8, 0.2, 0) and Morris mu* = (4, 2, 0)."""
    return {"y": 4.0 * params["a"] + 2.0 * params["b"] + 0.0 * params["c"]}


def fake_member(params, seed, months):
    """A stand-in for `experiments.ensemble:evaluate_member`: target `t1` = a + seed noise of +-0.01, `t2` = b
    (no noise); a sign test is not measured. The ensemble tests give t1 and t2 bands."""
    noise = 0.01 if seed % 2 else -0.01
    return {"t1": params["a"] + noise, "t2": params["b"]}


def fake_member_drift(params, seed, months):
    """Like `fake_member`, but from seed 3 on target `t1` is 0.4 higher: a member accepted on seeds 1 and 2 with
    a above 0.3 fails t1's band (0, 0.5) over seeds 1..4 (mean a + 0.2)."""
    noise = 0.01 if seed % 2 else -0.01
    return {"t1": params["a"] + (0.4 if seed >= 3 else noise), "t2": params["b"]}
