"""Calibration: fit the declared free parameters to the targets (`plm calibrate`).

The free parameters and their prior ranges are declared in `experiments/calibration.toml`, in blocks fitted one
after the other. Method: compass search (Kolda, Lewis & Torczon 2003) in the unit cube of the priors, starting
from the current values; it needs no gradients and copes with the step-wise objective a model of discrete
people gives. The objective is the mean over fixed seeds (common random numbers, so the objective
is a deterministic function of the parameters) of each block target's measure, and the loss is the sum of
((mean - observed) / half the band width)^2. Fitted values are written to `abm/calibrated.toml`, which
every scenario uses beneath its own settings (`abm.scenario.load`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

import numpy as np
import tomli_w

from abm.scenario import calibrated_values, load
from experiments import validation as V

CALIBRATED_FILE = Path(__file__).resolve().parent.parent / "abm" / "calibrated.toml"


@dataclass
class Block:
    name: str
    targets: list[str]
    parameters: dict[str, tuple[float, float]]


def load_blocks(path: str | None = None) -> list[Block]:
    text = Path(path).read_text(encoding="utf-8") if path else \
        resources.files("experiments").joinpath("calibration.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return [Block(name, list(b["targets"]), {k: (float(v[0]), float(v[1])) for k, v in b["parameters"].items()})
            for name, b in data["blocks"].items()]


def current_value(key: str, values: dict[str, float]) -> float:
    """The value a parameter has now: fitted earlier in this run, in calibrated.toml, or the schema default."""
    if key in values:
        return values[key]
    node = load("baseline-participatiewet")
    for part in key.split("."):
        node = getattr(node, part)
    return float(node)


def evaluate(block: Block, values: dict[str, float], seeds: int,
             on_month: Callable[[], None] | None = None) -> tuple[float, dict[str, float]]:
    """Loss and the mean measure of each of the block's targets, with `values` applied to every scenario
    (`on_month` is called after each month of each run, e.g. to stop on Ctrl-C)."""
    targets = {t.key: t for t in V.load_targets()}
    chosen = [targets[k] for k in block.targets]
    results = V.validate(seeds=seeds, overrides=values, targets=chosen,
                         on_month=on_month)
    loss = 0.0
    means = {}
    for r in results:
        means[r.target.key] = r.mean
        if r.target.band is None:
            loss += 0.0 if r.passed else 4.0
            continue
        lo, hi = r.target.band
        half = max((hi - lo) / 2.0, 1e-9)
        obs = float(r.target.observed)
        loss += ((r.mean - obs) / half) ** 2 if np.isfinite(r.mean) else 100.0
    return loss, means


def fit_block(block: Block, values: dict[str, float], seeds: int, max_evals: int,
              progress: Callable[[int, float], None] | None = None,
              on_month: Callable[[], None] | None = None) -> tuple[dict[str, float], dict]:
    """Fit one block by compass search in the unit cube of the priors, starting from the current values.

    Each round tries a step up and down along every parameter in turn and keeps any improvement; when a round
    improves nothing, the step halves. Stops at `max_evals` evaluations or when the step is below 1/64 of the
    prior range. Deterministic: the objective uses fixed seeds."""
    keys = list(block.parameters)
    lo = np.array([block.parameters[k][0] for k in keys])
    hi = np.array([block.parameters[k][1] for k in keys])
    x = np.clip((np.array([current_value(k, values) for k in keys]) - lo) / (hi - lo), 0, 1)
    state = {"n": 0}

    def objective(u):
        trial = {**values, **{k: float(lo[i] + u[i] * (hi[i] - lo[i])) for i, k in enumerate(keys)}}
        loss, means = evaluate(block, trial, seeds, on_month)
        state["n"] += 1
        return loss, means

    best_loss, best_means = objective(x)
    start_loss, start_means, x0 = best_loss, best_means, x.copy()
    if progress:
        progress(state["n"], best_loss)
    step = 0.25
    while step >= 1 / 64 and state["n"] < max_evals and best_loss > 0:
        improved = False
        for i in range(len(keys)):
            for direction in (+1, -1):
                if state["n"] >= max_evals:
                    break
                trial = x.copy()
                trial[i] = np.clip(trial[i] + direction * step, 0, 1)
                if trial[i] == x[i]:
                    continue
                loss, means = objective(trial)
                if progress:
                    progress(state["n"], min(loss, best_loss))
                if loss < best_loss:
                    x, best_loss, best_means, improved = trial, loss, means, True
                    break
        if not improved:
            step /= 2
    fitted = {k: float(lo[i] + x[i] * (hi[i] - lo[i])) for i, k in enumerate(keys)}
    report = {"block": block.name, "evaluations": state["n"], "start_loss": start_loss, "loss": best_loss,
              "start": {k: float(lo[i] + x0[i] * (hi[i] - lo[i])) for i, k in enumerate(keys)},
              "fitted": fitted, "start_measures": start_means, "measures": best_means}
    return {**values, **fitted}, report


def calibrate(blocks: list[Block], seeds: int = 3, max_evals: int = 120,
              progress: Callable[[str, int, float], None] | None = None,
              on_month: Callable[[], None] | None = None) -> tuple[dict[str, float], list[dict]]:
    """Fit the blocks one after the other; `progress(block, evaluations, loss)` after each evaluation and
    `on_month()` after each month of each model run."""
    values = dict(calibrated_values())
    reports = []
    for block in blocks:
        values, report = fit_block(block, values, seeds, max_evals,
                                   (lambda n, loss, b=block.name: progress(b, n, loss)) if progress else None,
                                   on_month)
        reports.append(report)
    return values, reports


def write_calibrated(values: dict[str, float], reports: list[dict], path: Path = CALIBRATED_FILE,
                     seeds: int = 3) -> Path:
    """Write the fitted values (atomically), with a header saying how they were obtained."""
    nested: dict = {}
    for key, value in sorted(values.items()):
        node = nested
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = round(value, 6)
    header = ("# Fitted by `plm calibrate` (experiments/calibrate.py): compass search on the mean over "
              f"{seeds} seeds.\n# Free parameters and priors: experiments/calibration.toml. Every scenario uses "
              "these values\n# beneath its own settings. Loss per block: "
              + ", ".join(f"{r['block']} {r['start_loss']:.2f} -> {r['loss']:.2f}" for r in reports) + "\n\n")
    from experiments.runner import write_text_atomic

    return write_text_atomic(Path(path), header + tomli_w.dumps(nested))
