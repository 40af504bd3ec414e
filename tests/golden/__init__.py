"""The golden baseline: the time series of one small run, kept in the repo and compared exactly by a test.

`tests/test_golden.py` runs the default scenario at scale 20 (one agent stands for 20 people), seed 1, for 24
months and compares its time series with `default_seed1_scale20_24m.csv`: the same columns in the same order,
the same months, and every value equal to a relative 1e-9. Any change to a rule, a parameter's default, the
calibration, the draws or a metric shows up here, also where no other test looks.

When such a change is intended, renew the file and commit it with the change, saying in the commit message
why the numbers move:

    .venv/bin/python -m tests.golden renew     # rewrite the CSV from the current code
    .venv/bin/python -m tests.golden check     # compare without pytest; lists the columns that differ
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SCENARIO, SEED, MONTHS, SCALE = "default", 1, 24, 20.0
PATH = Path(__file__).with_name("default_seed1_scale20_24m.csv")
RTOL = 1e-9
RENEW = "python -m tests.golden renew"


def run() -> pd.DataFrame:
    """The time series of the golden run, from the current code."""
    from abm.model import LabourMarketModel
    model = LabourMarketModel(SCENARIO, seed=SEED, months=MONTHS, agent_views=False, scale=SCALE)
    model.run()
    return model.timeseries()


def write(frame: pd.DataFrame, path: Path = PATH) -> Path:
    """Write with 17 significant digits, so every float64 reads back exactly."""
    frame.to_csv(path, index=False, float_format="%.17g", lineterminator="\n")
    return path


def read(path: Path = PATH) -> pd.DataFrame:
    return pd.read_csv(path)


def differences(frame: pd.DataFrame, golden: pd.DataFrame, rtol: float = RTOL) -> list[str]:
    """What differs between a run and the golden file, one line each (empty: they agree)."""
    if list(frame.columns) != list(golden.columns):
        added = [c for c in frame.columns if c not in golden.columns]
        missing = [c for c in golden.columns if c not in frame.columns]
        return [f"columns differ: new {added}, missing {missing}" if added or missing
                else "columns are in another order"]
    if len(frame) != len(golden):
        return [f"{len(frame)} months against {len(golden)} in the golden file"]
    out = []
    for col in golden.columns:
        new = frame[col].to_numpy(dtype=float)
        old = golden[col].to_numpy(dtype=float)
        bad = ~np.isclose(new, old, rtol=rtol, atol=0.0, equal_nan=True)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            out.append(f"{col}: {int(bad.sum())} months differ, first month {int(golden['month'].iloc[i])}: "
                       f"{float(new[i])!r} against {float(old[i])!r}")
    return out
