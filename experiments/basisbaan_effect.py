"""Why a basisbaan programme moves its participants into regular work: its effect target with one mechanism off at
a time (issue 10 §5; docs/model.md, "The basisbaan's effect on regular work").

    .venv/bin/python -m experiments.basisbaan_effect --target rotterdam_basisbaan_regular_24m --seeds 10

runs the target's scenario and its comparator (experiments/targets.toml) on seeds 1..N, first as they are and then
with each mechanism below switched off, the switch set in both runs of a seed (paired: the same people and the
same draws wherever the switch does not reach). For each it prints the effect on participants' regular employment
24 months after placement (the target's measure, `experiments.validation._basisbaan_regular_effect`): its mean over
seeds, the 90% interval over seeds, the mean change against the programme as it is, and the participants' lock-in
(applications a month while in the basisbaan over those while out of work on bijstand, `_lock_in`).
A mechanism that raises the effect shows as a negative change when it is off.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable

import numpy as np

from experiments.noise import spread_interval
from experiments.validation import SCENARIO_MONTHS, _basisbaan_regular_effect, _lock_in, load_targets, run_probed

# (name, what is off, overrides in both runs): one mechanism at a time
SWITCHES: tuple[tuple[str, str, dict], ...] = (
    ("as is", "nothing", {}),
    ("skills", "learning at work in a basisbaan (skills.basisbaan_growth = 0)", {"skills.basisbaan_growth": 0.0}),
    ("experience", "employers value subsidised experience (throughput.enabled = false)",
     {"throughput.enabled": False}),
    ("on-the-job search", "search while in a basisbaan (throughput.otj_basisbaan_* = 0)",
     {"throughput.otj_basisbaan_temporary": 0.0, "throughput.otj_basisbaan_permanent": 0.0,
      "throughput.otj_throughput_goal": 0.0}),
    ("self-stigma", "self-stigma falls in paid work (self_stigma.work_relief = 0)", {"self_stigma.work_relief": 0.0}),
    ("participation", "a participation job lowers search (search.participation_factor = 1)",
     {"search.participation_factor": 1.0}),
)
EFFECT_TARGETS = ("groningen_basisbaan_regular_24m", "rotterdam_basisbaan_regular_24m")


def measure(target_key: str, seeds: int, progress: Callable[[str], None] | None = None) -> list[dict]:
    """One row per switch: the effect per seed, its mean and 90% interval over seeds, the mean paired change
    against `as is`, and the mean lock-in ratio."""
    target = next(t for t in load_targets() if t.key == target_key)
    rows = []
    for name, off, overrides in SWITCHES:
        effects, lock_in = [], []
        for seed in range(1, seeds + 1):
            extra = {**overrides, **target.set}
            variant = run_probed(target.scenario, seed, SCENARIO_MONTHS.get(target.scenario), extra)
            base = run_probed(target.comparator, seed, SCENARIO_MONTHS.get(target.comparator),
                              {**extra, **target.comparator_set})
            effects.append(_basisbaan_regular_effect(base, variant))
            lock_in.append(_lock_in(variant))
            if progress:
                progress(f"{name}: seed {seed} of {seeds}, effect {effects[-1]:+.1f}")
        rows.append({"switch": name, "off": off, "effects": effects, "mean": float(np.nanmean(effects)),
                     "interval": spread_interval(effects), "lock_in": float(np.nanmean(lock_in))})
    first = np.asarray(rows[0]["effects"])
    for row in rows:
        row["change"] = float(np.nanmean(np.asarray(row["effects"]) - first))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.basisbaan_effect", description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="rotterdam_basisbaan_regular_24m", help=" or ".join(EFFECT_TARGETS))
    ap.add_argument("--seeds", type=int, default=10, help="seeds 1..N (1-50)")
    a = ap.parse_args(argv)
    if a.target not in EFFECT_TARGETS:
        print(f"--target = {a.target!r}: allowed: {', '.join(EFFECT_TARGETS)}", file=sys.stderr)
        return 2
    if not 1 <= a.seeds <= 50:
        print(f"--seeds = {a.seeds}: allowed: a whole number from 1 to 50", file=sys.stderr)
        return 2
    rows = measure(a.target, a.seeds, lambda line: print(line, file=sys.stderr, flush=True))
    print(f"{a.target}, seeds 1-{a.seeds}: effect in points, one mechanism off at a time (both runs)\n")
    print("| off | effect, mean | 90% interval over seeds | change against as is | lock-in |")
    print("|---|---|---|---|---|")
    for r in rows:
        lo, hi = r["interval"]
        print(f"| {r['off']} | {r['mean']:+.1f} | {lo:+.1f} to {hi:+.1f} | {r['change']:+.1f} | {r['lock_in']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
