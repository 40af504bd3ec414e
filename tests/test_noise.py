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


# --- the spread interval and the mean, with weights (experiments/noise.py: the C = 1 weighted percentile) ----

def test_equal_weights_give_exactly_numpys_linear_percentiles_and_mean():
    import numpy as np

    from experiments.noise import spread_interval, weighted_mean, weighted_percentiles

    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 10, 37, 200):
        v = rng.normal(size=n)
        today = (float(np.percentile(v, 5.0)), float(np.percentile(v, 95.0)))
        assert spread_interval(v) == today
        for w in (None, np.ones(n), np.full(n, 0.37)):          # no weights, or equal ones: today's numbers exactly
            assert spread_interval(v, 0.90, w) == today
            assert weighted_mean(v, w) == float(np.mean(v))
        # the definition itself reduces to numpy's linear method (not only the shortcut for equal weights)
        qs = (0.0, 5.0, 37.5, 50.0, 95.0, 100.0)
        assert weighted_percentiles(v, np.full(n, 2.0), qs) == pytest.approx([np.percentile(v, q) for q in qs],
                                                                             abs=1e-12)


def test_a_heavy_run_pulls_the_interval_and_the_mean_toward_it():
    import numpy as np

    from experiments.noise import spread_interval, weighted_mean, weighted_percentiles

    v = np.arange(10.0)                       # 0..9
    equal_lo, equal_hi = spread_interval(v)
    assert (equal_lo, equal_hi) == pytest.approx((0.45, 8.55))
    w = np.ones(10)
    w[5] = 100.0                              # run 5 carries 100 of 109
    lo, hi = spread_interval(v, 0.90, w)
    assert equal_lo < lo < 5.0 < hi < equal_hi and hi - lo < 0.3 * (equal_hi - equal_lo)
    assert weighted_mean(v, w) == pytest.approx((45.0 - 5.0 + 500.0) / 109.0)
    # the rule by hand: ranks p_i = (S_i - w_i) / (S - w_i): run 4 at 4/108, run 5 at 5/9, run 6 at 105/108
    assert lo == pytest.approx(4.0 + (0.05 - 4 / 108) / (5 / 9 - 4 / 108))
    assert hi == pytest.approx(5.0 + (0.95 - 5 / 9) / (105 / 108 - 5 / 9))
    # a heavy top run drags the upper end and the mean up, toward it
    top = np.ones(10)
    top[9] = 100.0
    assert spread_interval(v, 0.90, top)[0] > equal_lo + 4.0 and weighted_mean(v, top) > 8.5
    assert weighted_percentiles(v, top, (0.0, 100.0)) == [0.0, 9.0]   # the extremes stay at ranks 0 and 1


def test_weights_leave_out_nan_and_zero_weight_runs_and_refuse_bad_ones():
    import math

    from experiments.noise import spread_interval, weighted_mean

    assert spread_interval([1.0, math.nan, 3.0, 100.0], 0.9, [1.0, 5.0, 1.0, 0.0]) == spread_interval([1.0, 3.0])
    assert weighted_mean([1.0, math.nan, 3.0], [1.0, 1.0, 3.0]) == pytest.approx(2.5)
    assert math.isnan(weighted_mean([math.nan], [1.0])) and math.isnan(spread_interval([2.0], 0.9, [0.0])[0])
    for bad in ([1.0, -1.0], [1.0, math.inf], [1.0]):
        with pytest.raises(ValueError, match="weight") as info:
            spread_interval([1.0, 2.0], 0.9, bad)
        assert "\n" not in str(info.value)
