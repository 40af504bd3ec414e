"""The golden baseline (tests/golden): a small run's time series equals the one kept in the repo."""

from __future__ import annotations

import numpy as np

from tests import golden


def test_the_default_run_matches_the_golden_baseline():
    diffs = golden.differences(golden.run(), golden.read())
    assert not diffs, ("the time series moved; if the change is intended, renew the baseline with "
                       f"`{golden.RENEW}` and commit it:\n" + "\n".join(diffs))


def test_the_comparison_sees_a_small_change():
    frame = golden.read()
    assert golden.differences(frame.copy(), frame) == []
    moved = frame.copy()
    moved.loc[5, "inclusion_rate"] *= 1 + 1e-8
    assert len(golden.differences(moved, frame)) == 1
    assert golden.differences(frame.drop(columns="n_coached"), frame)
    assert golden.differences(frame.iloc[:-1], frame)
    assert np.isfinite(frame.drop(columns="month").to_numpy(dtype=float)).all()
