"""A comparison says when its difference is within the noise of the seeds run (experiments/noise.py)."""

from __future__ import annotations

import math

import pytest

from experiments.noise import paired_difference


def test_identical_runs_are_identical_not_noise():
    d = paired_difference([0.4, 0.5, 0.6], [0.4, 0.5, 0.6])
    assert d.identical and d.within_noise and d.verdict() == "identical"


def test_one_seed_cannot_tell_noise_from_effect():
    d = paired_difference([0.45], [0.40])
    assert d.mean == pytest.approx(0.05) and math.isnan(d.half_width)
    assert not d.noise_known and not d.within_noise and "1 seed" in d.verdict()


def test_differences_scattered_around_zero_are_within_the_noise():
    d = paired_difference([0.51, 0.49, 0.52, 0.48], [0.50, 0.50, 0.50, 0.50])
    assert d.within_noise and d.verdict() == "within the noise of 4 seeds"


def test_a_consistent_shift_is_an_effect():
    d = paired_difference([0.55, 0.56, 0.54, 0.55], [0.50, 0.51, 0.50, 0.50])
    assert d.mean == pytest.approx(0.0475) and not d.within_noise and d.verdict() == ""
    # the interval is Student's t on the paired differences
    assert d.half_width == pytest.approx(3.182446 * 0.005 / 2, rel=1e-4)


def test_unequal_lists_are_refused():
    with pytest.raises(ValueError, match="equally long"):
        paired_difference([1, 2], [1])
