"""Sequential ABC and verification of the calibration ensemble (experiments/abc_smc.py,
experiments/ensemble_rounds.py, docs/calibration.md). Fake member functions (tests/sweep_test_models.py) stand in
for the model: t1 = a (+ seed noise), t2 = b."""

from __future__ import annotations

import math
import tomllib

import numpy as np
import pytest

from experiments import abc_smc as A
from experiments import ensemble as E
from experiments import ensemble_rounds as R
from experiments import validation as V
from experiments.design import DesignError, load_design, points
from experiments.sweep import run_sweep

PRIOR = {"a": (0.0, 1.0), "b": (0.0, 1.0)}
FAKE = "tests.sweep_test_models:fake_member"
DRIFT = "tests.sweep_test_models:fake_member_drift"
# a small corner of the priors: about 1% of them pass both bands
SMALL = [V.Target("t1", "x", "t1", 0.05, (0.0, 0.1), "test"), V.Target("t2", "x", "t2", 0.95, (0.9, 1.0), "test")]
WIDE = [V.Target("t1", "x", "t1", 0.25, (0.0, 0.5), "test"), V.Target("t2", "x", "t2", 0.75, (0.5, 1.0), "test")]


def _run(spec, folder):
    return run_sweep(spec, folder, workers=0, allow_code=True)


def _calibrate(folder, targets, *, rounds=1, verify_seeds=0, function=FAKE, samples=20, skip=(), run=_run):
    return R.calibrate(PRIOR, samples=samples, seeds=2, sample_seed=1, rounds=rounds, keep=0.5,
                       verify_seeds=verify_seeds, skip=list(skip), folder=folder, run=run, command="test",
                       blocks=["test"], targets=targets, function=function)


# --- the distance ------------------------------------------------------------------------------------------------

def _result(key, band, mean, passed=None):
    t = V.Target(key, "x", key, 0.0, band, "test")
    return V.Result(t, [mean], passed if passed is not None else (band is not None and band[0] <= mean <= band[1]))


@pytest.mark.filterwarnings("ignore:Mean of empty slice")
def test_distance_is_the_worst_miss_in_band_widths_and_zero_exactly_when_every_target_passes():
    inside = _result("a", (0.0, 1.0), 0.5)
    below = _result("b", (1.0, 3.0), 0.0)        # misses by 1 / width 2
    above = _result("c", (0.0, 0.1), 0.4)        # misses by 0.3 / width 0.1
    assert A.distance([inside]) == (0.0, None)
    assert A.distance([inside, below]) == (pytest.approx(0.5), "b")
    assert A.distance([inside, below, above]) == (pytest.approx(3.0), "c")
    assert A.distance([inside, below, above], skip=["c"]) == (pytest.approx(0.5), "b")
    assert A.distance([_result("s", None, 0.0, passed=False)]) == (A.SIGN_TEST_MISS, "s")
    assert A.distance([_result("s", None, 0.0, passed=True)]) == (0.0, None)
    assert A.distance([_result("n", (0.0, 1.0), float("nan"))])[0] == math.inf
    # distance 0 is the acceptance rule of plm validate: the band's edges pass
    assert A.distance([_result("e", (0.0, 1.0), 1.0)]) == (0.0, None)


def test_population_keeps_the_nearest_finite_sets_and_the_proposal_stays_in_the_priors():
    ps = [A.Particle(i, 0, np.array([0.1 * i, 0.5]), 1.0, d) for i, d in enumerate([0.3, math.inf, 0.0, 0.3, 2.0])]
    pop = A.population(ps, 3)
    assert [p.id for p in pop] == [2, 0, 3] and A.tolerance(pop) == 0.3
    U, w = A.propose(pop, 200, np.random.default_rng([1, 1]))
    assert U.shape == (200, 2) and np.all((U >= 0) & (U <= 1)) and np.all(w > 0)
    U2, w2 = A.propose(pop, 200, np.random.default_rng([1, 1]))
    assert np.array_equal(U, U2) and np.array_equal(w, w2)          # the same seed proposes the same sets
    # the weight is 1 / the proposal density: a set far from every parent weighs more than one beside a parent
    cov = A.kernel_covariance(pop)
    near, far = np.array([0.2, 0.5]), np.array([0.2, 0.95])
    q = [sum(1 / 3 * np.exp(A._log_normal_pdf(x, np.array([p.u]), cov))[0] for p in pop) for x in (near, far)]
    assert q[0] > q[1]


# --- the points of a design --------------------------------------------------------------------------------------

def test_a_points_design_runs_exactly_its_points_and_refuses_a_point_outside_the_priors():
    pts = [{"a": 0.25, "b": 0.5}, {"a": 1.0, "b": 0.0}]
    spec = E.design(PRIOR, 2, 2, function=FAKE, points=pts)
    design = load_design(spec, allow_code=True)
    assert design.method == "points" and points(design) == pts
    for bad, expect in (([{"a": 1.5, "b": 0.5}], r"points\[0\]\.a = 1\.5; allowed: a number from 0\.0 to 1\.0"),
                        ([{"a": 0.5}], r"points\[0\] has \['a'\]; allowed: exactly the parameters")):
        with pytest.raises(DesignError, match=expect) as info:
            load_design({**spec, "points": bad}, allow_code=True)
        assert "\n" not in str(info.value)
    with pytest.raises(DesignError, match="only for method = 'points'"):
        load_design({**E.design(PRIOR, 2, 2, function=FAKE), "points": pts}, allow_code=True)


# --- rounds ------------------------------------------------------------------------------------------------------

def test_rounds_move_the_draw_into_a_small_accepted_region(tmp_path):
    one = _calibrate(tmp_path / "one", SMALL, rounds=1, samples=20)
    five = _calibrate(tmp_path / "five", SMALL, rounds=5, samples=20)
    rounds = five.provenance["rounds"]
    assert [r["round"] for r in rounds] == [0, 1, 2, 3, 4] and five.provenance["n_drawn"] == 100
    # round 0 is the same Latin hypercube as plain rejection; later rounds pass far more often than the prior's 1%
    assert rounds[0]["passed"] == len(one.members)
    assert sum(r["passed"] for r in rounds[1:]) >= 3 > len(one.members)
    assert rounds[-1]["tolerance_after"] < rounds[0]["tolerance_after"]
    assert len(five.members) == sum(r["passed"] for r in rounds)
    for m in five.members:        # every member passes every target, and carries its round and weight
        assert m.parameters["a"] + 0.01 >= 0 and m.parameters["a"] <= 0.1 and m.parameters["b"] >= 0.9
        assert m.round >= 1 and m.weight > 0
    assert "Lenormand" in five.provenance["method"] and "rejection" in one.provenance["method"]


def test_a_rerun_of_the_rounds_runs_nothing_and_writes_the_same_file(tmp_path):
    first = _calibrate(tmp_path / "s", SMALL, rounds=3)
    ran = []

    def counting(spec, folder):
        result = _run(spec, folder)
        ran.append(result.ran)
        return result
    again = _calibrate(tmp_path / "s", SMALL, rounds=3, run=counting)
    assert ran == [0, 0, 0]
    strip = ("created_utc", "run_seconds", "sweep_wall_seconds")
    a, b = (tomllib.loads(E.to_toml(e)) for e in (first, again))
    for d in (a, b):
        for k in strip:
            d["provenance"].pop(k)
    assert a == b


# --- verification ------------------------------------------------------------------------------------------------

def test_verification_keeps_only_members_passing_every_target_over_more_seeds_and_records_the_dropped(tmp_path):
    ens = _calibrate(tmp_path / "s", WIDE, verify_seeds=4, function=DRIFT)
    v = ens.provenance["verification"]
    assert v["ran"] and v["seeds"] == [1, 2, 3, 4]
    # the drift adds 0.2 to t1's mean over seeds 1..4: accepted members with a > 0.3 fail t1 and are dropped
    assert ens.members and ens.dropped and v["kept"] + v["dropped"] == v["accepted"] == ens.provenance["n_accepted"]
    assert all(m.parameters["a"] <= 0.3 for m in ens.members)
    assert all(d["parameters"]["a"] > 0.3 and d["failed"] == ["t1"] and d["worst"] == "t1" for d in ens.dropped)
    assert v["dropped_by"] == {"t1": len(ens.dropped)}
    assert all(m.measures["t1"] == pytest.approx(m.parameters["a"] + 0.2) for m in ens.members)  # over 4 seeds
    assert ens.central in {m.id for m in ens.members}
    path = E.write(ens, tmp_path / "e.toml")
    back = E.load_ensemble(path)
    assert [m.id for m in back.members] == [m.id for m in ens.members]
    # exactly the values verified, so plm validate --ensemble --seeds 4 reruns exactly the runs that kept them
    assert [m.parameters for m in back.members] == [m.parameters for m in ens.members]
    assert [d["id"] for d in back.dropped] == [d["id"] for d in ens.dropped]
    assert back.provenance["meets_every_target"] is True
    assert "verified over seeds 1..4" in E.made_how(back) and "every target judged" in E.made_how(back)


def test_when_verification_drops_every_member_it_says_what_failed_most(tmp_path):
    # accepted on seeds 1, 2 when 0.35 <= a <= 0.5; over seeds 1..4 t1's mean is a + 0.2, above the band
    narrow = [V.Target("t1", "x", "t1", 0.4, (0.35, 0.5), "test"), WIDE[1]]
    ens = _calibrate(tmp_path / "s", narrow, verify_seeds=4, function=DRIFT)
    v = ens.provenance["verification"]
    assert v["accepted"] >= 1 and not ens.members and v["dropped"] == v["accepted"]
    assert R.most_failed(ens) == f"all {v['accepted']} accepted members failed over seeds 1..4, most often t1 " \
                                 f"({v['accepted']})"


def test_a_skipped_target_is_recorded_as_not_meeting_every_target(tmp_path):
    ens = _calibrate(tmp_path / "s", WIDE, skip=["t1"], samples=8)
    assert ens.provenance["meets_every_target"] is False and ens.provenance["skipped_targets"] == ["t1"]
    ens.path = tmp_path / "e.toml"
    assert "does NOT meet every target: t1" in E.made_how(ens)


def test_nothing_accepted_names_the_target_that_failed_most(tmp_path):
    never = [V.Target("t1", "x", "t1", 5.0, (4.0, 6.0), "test"), WIDE[1]]
    ens = _calibrate(tmp_path / "s", never, samples=6, verify_seeds=4)
    assert not ens.members and ens.provenance["n_accepted"] == 0
    assert R.most_failed(ens) == "no member of 6 judged passes every target; most often failed: t1 (6 of 6)"


@pytest.mark.parametrize("kw, expect", [
    ({"rounds": 0}, "--rounds = 0: allowed: a whole number from 1 to 100"),
    ({"keep": 0.0}, "--keep = 0.0: allowed: a fraction above 0 and at most 1"),
    ({"verify_seeds": 2}, r"--verify-seeds = 2: allowed: 0 \(no verification\) or a whole number above --seeds"),
])
def test_bad_options_are_refused_in_one_line(kw, expect):
    args = {"rounds": 1, "keep": 0.5, "seeds": 2, "verify_seeds": 10, **kw}
    with pytest.raises(E.EnsembleError, match=expect):
        R.check_options(**args)


def test_a_format_1_file_is_still_read(tmp_path):
    text = ('central_member = 1\n[provenance]\nformat = 1\nseeds = [1, 2]\n[priors]\na = [0.0, 1.0]\n'
            '[[members]]\nid = 1\n[members.parameters]\na = 0.5\n')
    (tmp_path / "e.toml").write_text(text)
    ens = E.load_ensemble(tmp_path / "e.toml")
    assert ens.members[0].round == 0 and ens.members[0].weight == 1.0 and ens.dropped == []
    assert "not verified on further seeds" in E.made_how(ens)


def test_the_default_folder_changes_with_the_model_source(monkeypatch):
    """A changed model never resumes another model's runs: the default sweep folder names the model's source hash."""
    from experiments import ensemble as E
    from experiments import ensemble_rounds as R

    spec = {"samples": 4, "seeds": 1}
    first = R.base_folder(spec, 0.5)
    assert R.base_folder(spec, 0.5) == first
    monkeypatch.setattr(E, "model_sha256", lambda: "another model")
    assert R.base_folder(spec, 0.5) != first
