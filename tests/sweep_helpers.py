"""Model functions for the sweep tests (a design's `function = "tests.sweep_helpers:NAME"`).

They stand in for the model where a test needs a run that raises, kills its worker, or takes a while.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def linear(params: dict[str, Any], seed: int, months: int | None) -> dict[str, float]:
    """y = 2x + seed; raises for x == params['bad'] (a run that fails)."""
    if "bad" in params and params["x"] == params["bad"]:
        raise ValueError(f"x = {params['x']} is the bad value")
    if params.get("sleep"):
        time.sleep(float(params["sleep"]))
    return {"y": 2.0 * params["x"] + seed}


def die_once(params: dict[str, Any], seed: int, months: int | None) -> dict[str, float]:
    """Kills its worker process the first time it runs a point with x == params['die'] (a lost worker)."""
    marker = Path(params["marker_dir"]) / f"died-x{params['x']}-s{seed}"
    if params["x"] == params["die"] and not marker.exists():
        marker.touch()
        os._exit(17)
    if params.get("sleep"):
        time.sleep(float(params["sleep"]))
    return {"y": 2.0 * params["x"] + seed}


def always_die(params: dict[str, Any], seed: int, months: int | None) -> dict[str, float]:
    """Kills its worker every time it runs x == params['die'] (Dask gives up: KilledWorker)."""
    if params["x"] == params["die"]:
        os._exit(17)
    return {"y": 2.0 * params["x"] + seed}


def sigterm_at(params: dict[str, Any], seed: int, months: int | None) -> dict[str, float]:
    """Sends SIGTERM to its own process when x == params['stop'] (a batch system stopping the job)."""
    if params["x"] == params["stop"]:
        import signal
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal handler interrupts this
    return {"y": 2.0 * params["x"] + seed}


def box_of_a(params: dict[str, Any], seed: int, months: int | None) -> dict[str, float]:
    """y = a + b/1000 + seed/10^6: the runs with y > 0.7 are those with a > 0.7 (a known box for plm discover)."""
    return {"y": params["a"] + params["b"] / 1000 + seed / 1e6, "z": params["b"]}


def effects(params: dict[str, Any], seed: int, months: int | None) -> dict[str, float]:
    """y = 10·a + per-seed noise + c · (noise of the seed and c); b is never used (no effect, identical runs),
    c moves y only by noise that averages out (no effect within the noise of the seeds)."""
    import numpy as np

    noise = np.random.default_rng(seed).normal()
    wobble = np.random.default_rng([seed, int(round(params.get("c", 0) * 1000))]).normal(scale=0.01)
    return {"y": 10.0 * params["a"] + noise + wobble}
