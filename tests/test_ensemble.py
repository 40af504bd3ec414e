"""The calibration ensemble (experiments/ensemble.py, docs/calibration.md): acceptance, provenance, resume, the
interval of ensemble runs, and bad input. A fake member function (tests/sweep_test_models.py:fake_member) stands
in for the model: target t1 = a + seed noise (+-0.01), t2 = b."""

from __future__ import annotations

import math
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from experiments import ensemble as E
from experiments import validation as V
from experiments.sweep import run_sweep

ROOT = Path(__file__).resolve().parent.parent
PRIOR = {"a": (0.0, 1.0), "b": (0.0, 1.0)}
TARGETS = [V.Target("t1", "x", "t1", 0.25, (0.0, 0.5), "test"), V.Target("t2", "x", "t2", 0.75, (0.5, 1.0), "test")]
FAKE = "tests.sweep_test_models:fake_member"


def _sweep(folder: Path, samples: int = 20, progress=None):
    spec = E.design(PRIOR, samples, 2, function=FAKE)
    return run_sweep(spec, folder, workers=0, allow_code=True, progress=progress)


def _build(folder: Path, **kw) -> E.Ensemble:
    return E.build(folder, command="test", seeds=2, sample_seed=1, prior=PRIOR, blocks=["test"], targets=TARGETS,
                   **kw)


def test_a_member_failing_one_target_is_rejected(tmp_path):
    _sweep(tmp_path / "s")
    ens = _build(tmp_path / "s")
    table = __import__("experiments.sweep", fromlist=["x"]).load_design_table(tmp_path / "s")
    points = table.groupby("point")[["a", "b"]].first()
    # the fake's seed noise averages out over seeds 1 and 2, so a member passes exactly when a <= 0.5 <= b
    expected = {int(p) for p, row in points.iterrows() if row["a"] <= 0.5 and row["b"] >= 0.5}
    only_t1_fails = {int(p) for p, row in points.iterrows() if row["a"] > 0.5 and row["b"] >= 0.5}
    assert expected and only_t1_fails, "the draw must hold both kinds of member"
    assert {m.id for m in ens.members} == expected
    assert not only_t1_fails & {m.id for m in ens.members}
    assert ens.rejections["t1"] == int((points["a"] > 0.5).sum())
    assert ens.provenance["n_judged"] == 20 and ens.provenance["n_accepted"] == len(expected)
    assert ens.provenance["acceptance_rate"] == pytest.approx(len(expected) / 20)


def test_skipped_target_is_not_judged_and_is_recorded(tmp_path):
    _sweep(tmp_path / "s")
    ens = _build(tmp_path / "s", skip=["t1"])
    points = __import__("experiments.sweep", fromlist=["x"]).load_design_table(tmp_path / "s").groupby("point")["b"]
    assert {m.id for m in ens.members} == {int(p) for p, b in points.first().items() if b >= 0.5}
    assert ens.provenance["skipped_targets"] == ["t1"] and set(ens.rejections) == {"t2"}
    assert all(set(m.measures) == {"t1", "t2"} for m in ens.members)   # still measured, and written
    with pytest.raises(E.EnsembleError, match="--skip-target = 'nope': not a target"):
        _build(tmp_path / "s", skip=["nope"])


def test_the_ensemble_file_carries_its_provenance_and_reads_back(tmp_path):
    _sweep(tmp_path / "s")
    ens = _build(tmp_path / "s")
    path = E.write(ens, tmp_path / "ensemble.toml")
    data = tomllib.loads(path.read_text())
    prov = data["provenance"]
    for key in ("command", "git_revision", "created_utc", "model_version", "targets_file", "targets_sha256",
                "calibrated_sha256", "blocks", "seeds", "n_drawn", "n_accepted", "acceptance_rate",
                "acceptance_rule", "central_rule", "interval", "run_seconds", "sweep_wall_seconds", "sample_seed"):
        assert key in prov, key
    assert prov["targets_sha256"] == E.targets_sha256() and len(prov["targets_sha256"]) == 64
    assert prov["seeds"] == [1, 2] and prov["n_drawn"] == 20 and prov["run_seconds"] >= 0
    assert data["priors"] == {"a": [0.0, 1.0], "b": [0.0, 1.0]}
    back = E.load_ensemble(path)
    assert [m.id for m in back.members] == [m.id for m in ens.members]
    assert back.central == ens.central and back.central in {m.id for m in back.members}
    assert back.member(ens.members[0].id).parameters == pytest.approx(ens.members[0].parameters)


def test_central_member_is_the_one_nearest_the_median():
    members = [E.Member(i, {"a": a, "b": b}) for i, (a, b) in enumerate([(0.1, 0.1), (0.5, 0.45), (0.9, 0.9),
                                                                         (0.4, 0.6), (0.6, 0.5)])]
    # medians: a 0.5, b 0.5 -> member 1 (distance 0.05) is nearer than member 4 (0.1)
    assert E.central_member(members, PRIOR) == 1
    assert E.central_member([], PRIOR) is None


def _comparable(path: Path) -> dict:
    data = tomllib.loads(path.read_text())
    for key in ("created_utc", "run_seconds", "sweep_wall_seconds", "sweep_folder"):
        data["provenance"].pop(key, None)
    return data


def test_an_interrupted_ensemble_resumes_to_the_same_file(tmp_path):
    _sweep(tmp_path / "whole")
    E.write(_build(tmp_path / "whole"), tmp_path / "whole.toml")

    def stop_after_7(ok, failed, total, workers):
        if ok >= 7:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        _sweep(tmp_path / "cut", progress=stop_after_7)
    assert 7 <= len(list((tmp_path / "cut" / "runs").glob("*.parquet"))) < 40
    again = _sweep(tmp_path / "cut")
    assert again.skipped >= 7 and again.ok == 40
    E.write(_build(tmp_path / "cut"), tmp_path / "cut.toml")
    assert _comparable(tmp_path / "cut.toml") == _comparable(tmp_path / "whole.toml")


def test_interval_is_the_5_to_95_percentile_of_pooled_runs():
    assert E.INTERVAL_LEVEL == 0.90
    assert E.interval(np.arange(101.0)) == pytest.approx((5.0, 95.0))
    assert E.interval([np.nan, 1.0, 1.0]) == (1.0, 1.0)


def _ensemble(values: list[float]) -> E.Ensemble:
    members = [E.Member(i, {"p": v}) for i, v in enumerate(values)]
    return E.Ensemble(members, {"p": (0.0, 10.0)}, {}, 0)


def test_interval_carries_parameter_spread_and_seed_noise():
    def one(member, seed):   # outcome = the member's parameter + seed noise of +-0.1
        return {"y": member.parameters["p"] + (0.1 if seed % 2 else -0.1)}

    spread = _ensemble([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    rows = E.run_over(spread, 10, one)
    assert len(rows) == 100 and {r["member"] for r in rows} == set(range(10))
    lo, hi = E.interval([r["y"] for r in rows])
    # parameter spread dominates: the interval spans most members, far wider than one member's seed noise
    assert lo < 1.0 and hi > 8.0
    seed_only = [r["y"] for r in rows if r["member"] == 4]
    s_lo, s_hi = E.interval(seed_only)
    assert s_hi - s_lo == pytest.approx(0.2) and hi - lo > 20 * (s_hi - s_lo)
    # with no parameter spread the seed noise is still there
    same = E.run_over(_ensemble([4.0, 4.0, 4.0]), 10, one)
    assert E.interval([r["y"] for r in same]) == pytest.approx((3.9, 4.1))
    summary = E.summary(rows, ["y"])[0]
    assert summary["mean"] == pytest.approx(4.5) and (summary["lo"], summary["hi"]) == pytest.approx((lo, hi))


def test_report_markdown_over_an_ensemble_shows_mean_and_interval():
    from abm.scenario import load
    from experiments import report as R

    keys = {k for k, *_ in R.ROWS} | {"programme_cost_per_fte_month_municipality"}
    runs, refs, members = [], [], []
    for m in range(3):
        for seed in (1, 2):
            runs.append({k: 0.40 + 0.05 * m + 0.001 * seed for k in keys})
            refs.append({k: 0.40 for k in keys})
            members.append(m)
    res = R.ScenarioResult("baseline-participatiewet", load("baseline-participatiewet"), "baseline", runs, refs,
                           members)
    text = R.markdown([res], "plm report --ensemble abm/ensemble.toml",
                      "Ensemble e.toml: 3 members, accepted on seeds 1..2 (3 of 9 judged); does NOT meet every "
                      "target: t1 did not judge its members")
    assert "The ensemble e.toml: 3 members" in text and "does NOT meet every target: t1" in text
    lo, hi = res.interval("inclusion_rate")
    assert f"{res.mean('inclusion_rate'):.1%} [{lo:.1%}, {hi:.1%}]" in text
    assert "3 ensemble members x 2 seeds" in text and "5th to 95th percentile" in text
    d_lo, d_hi = res.difference_interval("inclusion_rate")
    assert d_lo == pytest.approx(0.0011, abs=1e-3) and d_hi == pytest.approx(0.1019, abs=2e-3)


def test_member_parameters_sit_beneath_what_a_scenario_sets(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('base = "baseline-participatiewet"\n[stigma]\nweight = 0.5\n')
    out = E.member_overrides(str(f), {"stigma.weight": 0.2, "hiring.threshold": 0.3})
    assert out == {"hiring.threshold": 0.3}


@pytest.mark.parametrize("text, expect", [
    (None, "no such file"),
    ("not = [toml", "unreadable"),
    ('[provenance]\nformat = 1\n[priors]\na = [0.0, 1.0]\n', "not an ensemble file"),
    ('central_member = -1\nmembers = []\n[provenance]\nformat = 1\n[priors]\na = [0.0, 1.0]\n',
     "has no accepted member"),
    ('central_member = 7\n[provenance]\nformat = 1\n[priors]\na = [0.0, 1.0]\n'
     '[[members]]\nid = 1\n[members.parameters]\na = 0.5\n', "central_member = 7 is not a member"),
    ('central_member = 1\n[provenance]\nformat = 1\n[priors]\na = [0.0, 1.0]\n'
     '[[members]]\nid = 1\n[members.parameters]\nb = 0.5\n', "not an ensemble file"),
    ('central_member = 1\n[provenance]\nformat = 2\n[priors]\na = [0.0, 1.0]\n'
     '[[members]]\nid = 1\nweight = -2.0\n[members.parameters]\na = 0.5\n', "weight -2.0, an importance weight"),
    ('central_member = 1\n[provenance]\nformat = 2\n[priors]\na = [0.0, 1.0]\n'
     '[[members]]\nid = 1\nweight = nan\n[members.parameters]\na = 0.5\n', "weight nan"),
])
def test_a_bad_ensemble_file_is_refused_with_one_line(tmp_path, text, expect):
    path = tmp_path / "e.toml"
    if text is not None:
        path.write_text(text)
    with pytest.raises(E.EnsembleError, match=expect) as info:
        E.load_ensemble(path)
    assert "\n" not in str(info.value) and "--ensemble" in str(info.value)


# bad options of plm calibrate/run/report/validate --ensemble: the corpus of tests/bad_inputs.py


TWO_MEMBERS = ('central_member = 2\n[provenance]\nformat = 1\n[priors]\n"stigma.weight" = [0.1, 0.6]\n'
               '[[members]]\nid = 1\n[members.parameters]\n"stigma.weight" = 0.1\n'
               '[[members]]\nid = 2\n[members.parameters]\n"stigma.weight" = 0.6\n')


@pytest.mark.slow
def test_plm_run_over_an_ensemble_writes_every_member_x_seed_and_the_interval(tmp_path):
    import json

    import pandas as pd

    (tmp_path / "e.toml").write_text(TWO_MEMBERS)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "experiments.cli", "run", "--ensemble", str(tmp_path / "e.toml"),
                           "--seeds", "2", "--months", "3", "--set", "scale=8.0", "--out", str(out), "-q"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(zip(runs["member"], runs["seed"])) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    summary = pd.read_csv(out / "summary.csv").set_index("key")
    lo, hi = E.interval(runs["inclusion_rate"])
    assert summary.loc["inclusion_rate", "lo"] == pytest.approx(lo)
    assert summary.loc["inclusion_rate", "hi"] == pytest.approx(hi)
    assert summary.loc["inclusion_rate", "mean"] == pytest.approx(runs["inclusion_rate"].mean())
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert set(ts["member"]) == {1, 2} and len(ts) == 4 * 4   # months 0..3 of four runs
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["members"] == [1, 2] and manifest["seeds"] == [1, 2] and len(manifest["ensemble_sha256"]) == 64
    assert "5-95% interval" in proc.stdout


@pytest.mark.slow
def test_the_apps_compare_runs_over_the_ensemble_and_shows_its_interval(tmp_path):
    from viz.session import Session

    path = tmp_path / "e.toml"
    path.write_text(TWO_MEMBERS)
    session = Session("default", seed=7, overrides={"scale": 4.0})
    assert session.set_compare(True, seeds=2, ensemble=str(path)) is None
    assert len(session.runs) == 4                        # 2 members x 2 seeds, each with its baseline
    weights = [(b.scenario.stigma.weight, v.scenario.stigma.weight, v.seed) for b, v in session.runs]
    assert weights == [(0.1, 0.1, 7), (0.1, 0.1, 8), (0.6, 0.6, 7), (0.6, 0.6, 8)]
    session.step(3)
    snap = session.snapshot()
    assert snap.ensemble and len(snap.pairs) == 4
    fig = snap.figure("inclusion_rate")
    diffs = [v["inclusion_rate"].iloc[-1] - b["inclusion_rate"].iloc[-1] for _s, b, v in snap.pairs]
    assert (fig.diff_lo, fig.diff_hi) == pytest.approx(E.interval(diffs))
    # the app says what the range is: members x seeds and the ensemble's 5-95% interval, on the tiles, in the
    # caption and as the difference chart's band (its last month is the tile's interval)
    from viz import charts as C
    from viz.components import kpi_texts, seeds_text

    assert snap.members == 2
    assert kpi_texts(snap, "en")["inclusion"][3].startswith("2 members × 2 seeds; 5–95% interval ")
    assert seeds_text(snap, "en") == "mean of 4 runs over the calibration ensemble: 2 members × seeds 7–8"
    band = C.difference_chart(snap.pairs, "inclusion_rate", "en", snap.members).traces[0]
    assert band.name == "5–95% interval of 2 members × 2 seeds" and band.kind == "band"
    assert (band.y_lo[-1], band.y[-1]) == pytest.approx(tuple(100 * v for v in E.interval(diffs)))
    from viz.tabs import compare_rows

    row = compare_rows(snap, "en")[0]                      # the Compare table: the interval, not the seeds' noise
    assert row["5–95% interval over the ensemble"] == kpi_texts(snap, "en")["inclusion"][3].split("interval ")[1]
    assert "95% interval of the difference" not in row
    assert session.set_lever("stigma.weight", 0.3) is None  # a lever the user moves wins over every member
    assert {v.scenario.stigma.weight for _b, v in session.runs} == {0.3}
    error = session.set_compare(True, ensemble=str(tmp_path / "none.toml"))
    assert error.startswith("ensemble = ") and "no such file" in error and len(session.runs) == 4
    assert session.set_compare(True, ensemble="") is None and len(session.runs) == 2


def test_validate_over_an_ensemble_judges_the_central_member_and_the_share_passing(tmp_path, monkeypatch, capsys):
    import json

    from experiments import main

    path = tmp_path / "e.toml"
    path.write_text(TWO_MEMBERS)
    calls = []

    def fake_validate(seeds, overrides, targets, progress=None, on_month=None, **kw):
        calls.append((seeds, dict(overrides)))
        low = overrides["stigma.weight"] < 0.5           # member 1 passes everything, member 2 fails one target
        return [V.Result(t, [0.0] * seeds, low or t.key != "groningen_placed") for t in targets]
    monkeypatch.setattr(V, "validate", fake_validate)
    code = main(["validate", "--ensemble", str(path), "--seeds", "10", "--json"])
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert code == 1                                      # the central member (2) fails groningen_placed
    assert calls[0] == (10, {"stigma.weight": 0.6}) and sorted(c[1]["stigma.weight"] for c in calls) == [0.1, 0.6]
    assert result["central_member"] == 2 and result["share_passing"]["groningen_placed"] == 0.5
    assert result["share_passing_all"] == 0.5 and result["share_passing"]["groningen_sick_leave"] == 1.0
    assert "failing: groningen_placed" in out
    # plainly, per member: member 1 passes every target, member 2 does not
    assert result["members"] == {"2": {"passes_every_target": False, "failing": ["groningen_placed"]},
                                 "1": {"passes_every_target": True, "failing": []}}
    assert result["every_member_passes"] is False
    assert "every member passes every target: NO (1 of 2 members" in out and "member 2 (groningen_placed)" in out
    assert "not verified on further seeds" in out          # how the file was made (format 1: no verification)
    calls.clear()
    assert main(["validate", "--ensemble", str(path), "--members", "central"]) == 1 and len(calls) == 1


@pytest.mark.slow
def test_plm_calibrate_ensemble_runs_its_sweep_and_a_rerun_only_rebuilds(tmp_path):
    args = [sys.executable, "-m", "experiments.cli", "calibrate", "--ensemble", "--block", "groningen_work",
            "--samples", "1", "--seeds", "1", "--verify-seeds", "0", "--workers", "0", "--sweep-dir",
            str(tmp_path / "sweep"), "--out", str(tmp_path / "e.toml"), "-q"]
    first = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert first.returncode in (0, 1), first.stderr
    assert "of 1 sets judged on seeds 1..1" in first.stdout
    if first.returncode == 0:
        assert E.load_ensemble(tmp_path / "e.toml").provenance["n_drawn"] == 1
    else:                                       # the one member drawn failed a target: nothing is written
        assert "no member of 1 judged passes every target; most often failed: " in first.stderr
        assert not (tmp_path / "e.toml").exists()
    again = subprocess.run(args[:-1], cwd=ROOT, capture_output=True, text=True, timeout=600)   # not quiet
    assert again.returncode == first.returncode and "all 1 runs already in" in again.stderr


def test_an_ensemble_made_on_other_code_says_so():
    """`made_how` (printed by plm run, report and validate --ensemble) says when the file's members were judged by
    another model, other targets or other calibrated values than this code's."""
    from experiments import ensemble as E

    ens = E.load_ensemble(E.ENSEMBLE_FILE)
    ens.provenance.update(model_sha256=E.model_sha256(), targets_sha256=E.targets_sha256(),
                          calibrated_sha256=E.calibrated_sha256())
    assert "ANOTHER" not in E.made_how(ens)
    ens.provenance["model_sha256"] = "0" * 64
    assert "MADE ON ANOTHER MODEL than this code's" in E.made_how(ens)


# --- pooling with the members' importance weights (experiments.ensemble.run_weights, docs/calibration.md) ------

def test_a_run_weighs_its_members_weight_over_its_runs_normalised_over_the_members_used():
    w = E.run_weights([1, 1, 2, 2, 2, 2], {1: 3.0, 2: 1.0, 3: 50.0})     # member 3 not used: not in the sum
    assert w.tolist() == pytest.approx([3 / 8, 3 / 8, 1 / 16, 1 / 16, 1 / 16, 1 / 16])
    assert w.sum() == pytest.approx(1.0)
    equal = E.run_weights([1, 1, 2, 2], {1: 1.0, 2: 1.0})                  # one round: every run the same
    assert E.interval([0.1, 0.2, 0.3, 0.9], equal) == E.interval([0.1, 0.2, 0.3, 0.9])
    with pytest.raises(E.EnsembleError, match="member = 4"):
        E.run_weights([4], {1: 1.0})
    with pytest.raises(E.EnsembleError, match="positive"):
        E.run_weights([1], {1: 0.0})


def test_summary_pools_a_heavy_member_toward_its_outcomes():
    ens = _ensemble([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    ens.members[9].weight = 100.0                                  # member 9 carries 100 of 109

    def one(member, seed):
        return {"y": member.parameters["p"] + (0.1 if seed % 2 else -0.1)}
    rows = E.run_over(ens, 4, one)
    weights = E.run_weights([r["member"] for r in rows], E.weights_of(ens))
    equal, weighted = E.summary(rows, ["y"])[0], E.summary(rows, ["y"], weights)[0]
    assert equal["mean"] == pytest.approx(4.5) and weighted["mean"] == pytest.approx((45.0 + 99 * 9.0) / 109.0)
    assert weighted["lo"] > equal["lo"] + 3.0 and weighted["hi"] >= equal["hi"]
    assert (weighted["lo"], weighted["hi"]) == pytest.approx(E.interval([r["y"] for r in rows], weights))


def test_report_over_an_ensemble_pools_with_the_members_weights():
    from abm.scenario import load
    from experiments import report as R

    keys = {k for k, *_ in R.ROWS} | {"programme_cost_per_fte_month_municipality"}
    runs, refs, members = [], [], []
    for m, level in ((1, 0.30), (2, 0.50)):
        for seed in (1, 2):
            runs.append({k: level + 0.001 * seed for k in keys})
            refs.append({k: 0.30 for k in keys})
            members.append(m)
    sc = load("baseline-participatiewet")
    equal = R.ScenarioResult("baseline-participatiewet", sc, "baseline", runs, refs, members)
    heavy = R.ScenarioResult("baseline-participatiewet", sc, "baseline", runs, refs, members,
                             member_weights={1: 1.0, 2: 99.0})
    assert equal.mean("inclusion_rate") == pytest.approx(0.4015)
    assert heavy.mean("inclusion_rate") == pytest.approx(0.01 * 0.3015 + 0.99 * 0.5015)
    assert heavy.difference_mean("inclusion_rate") == pytest.approx(0.01 * 0.0015 + 0.99 * 0.2015)
    assert heavy.difference("inclusion_rate").mean == pytest.approx(heavy.difference_mean("inclusion_rate"))
    lo, hi = heavy.interval("inclusion_rate")
    e_lo, e_hi = equal.interval("inclusion_rate")
    assert lo > e_lo + 0.1 and hi == pytest.approx(e_hi, abs=1e-3)  # the light member barely reaches it
    text = R.markdown([heavy], "plm report --ensemble e.toml")
    assert f"{heavy.mean('inclusion_rate'):.1%} [{lo:.1%}, {hi:.1%}]" in text
    assert "pooled with the members' importance weights" in text
    d_lo, d_hi = heavy.difference_interval("inclusion_rate")
    assert f"+{heavy.difference_mean('inclusion_rate') * 100:.1f} pt [+{d_lo * 100:.1f}, +{d_hi * 100:.1f}]" in text


def test_run_one_over_an_ensemble_carries_the_members_weights(monkeypatch):
    from experiments import report as R

    ens = _ensemble([0.1, 0.6])
    ens.members[1].weight = 3.0
    monkeypatch.setattr(R, "run_scenario", lambda sc, seed, progress=None: type("Run", (), {"timeseries": None})())
    monkeypatch.setattr(R, "headline", lambda ts: {"y": 1.0})
    monkeypatch.setattr(R, "load", lambda name, overrides=None: __import__("abm.scenario").scenario.load(
        "baseline-participatiewet", {"months": 2}))
    monkeypatch.setattr(E, "member_overrides", lambda spec, parameters: {})
    res = R.run_one("baseline-participatiewet", 2, ensemble=ens)
    assert res.members == [0, 0, 1, 1] and res.member_weights == {0: 1.0, 1: 3.0}
    assert res.weights.tolist() == pytest.approx([1 / 8, 1 / 8, 3 / 8, 3 / 8])


def test_the_apps_compare_pools_member_x_seed_runs_with_the_members_weights(tmp_path):
    import pandas as pd

    from viz import charts as C
    from viz.session import Session, Snapshot

    path = tmp_path / "e.toml"
    path.write_text(TWO_MEMBERS.replace('id = 2\n', 'id = 2\nweight = 9.0\n'))
    session = Session.__new__(Session)            # the weights of a session's runs, without building its models
    session.compare, session.ensemble, session.seed, session.n_seeds = True, str(path), 7, 2
    weights = session._run_weights()              # member 1 (weight 1) x seeds 7, 8, then member 2 (weight 9)
    assert weights == pytest.approx((0.05, 0.05, 0.45, 0.45))
    session.compare = False
    assert session._run_weights() == ()

    def ts(x: float) -> pd.DataFrame:
        return pd.DataFrame({"month": [0, 1], "inclusion_rate": [0.3, x]})
    diffs = [0.00, 0.02, 0.10, 0.12]              # member 1: small effects, member 2: large ones
    pairs = tuple((s, ts(0.3), ts(0.3 + d)) for s, d in zip((7, 8, 7, 8), diffs))
    snap = Snapshot(version=1, month=1, months=1, running=False, seed=7, scenario_name="x", source="x",
                    compare=True, seeds=(7, 8), ts=pairs[0][2], ts_base=pairs[0][1], pairs=pairs, ensemble=True,
                    members=2, weights=weights)
    fig = snap.figure("inclusion_rate")
    assert fig.value - fig.base == pytest.approx(0.05 * 0.02 + 0.45 * 0.10 + 0.45 * 0.12)
    assert (fig.diff_lo, fig.diff_hi) == pytest.approx(E.interval(diffs, weights))
    assert fig.diff_lo > E.interval(diffs)[0] + 0.01            # pulled toward the heavy member
    chart = C.difference_chart(snap.pairs, "inclusion_rate", "en", snap.members, snap.weights)
    band, line = chart.traces[0], chart.traces[1]
    assert (band.y_lo[-1], band.y[-1]) == pytest.approx(tuple(100 * v for v in E.interval(diffs, weights)))
    assert line.y[-1] == pytest.approx(100 * (fig.value - fig.base))


def test_a_figure_missing_in_some_run_has_no_ensemble_mean_with_or_without_weights():
    import math

    from abm.scenario import load
    from experiments import report as R

    runs = [{"y": 1.0}, {"y": math.nan}, {"y": 3.0}, {"y": 4.0}]
    refs = [{"y": 0.0}] * 4
    sc = load("baseline-participatiewet")
    for weights in (None, {1: 1.0, 2: 5.0}):
        res = R.ScenarioResult("x", sc, "b", runs, refs, [1, 1, 2, 2], member_weights=weights)
        assert math.isnan(res.mean("y")) and math.isnan(res.difference_mean("y"))
        assert not math.isnan(res.interval("y")[0])          # the interval leaves the missing run out


def test_one_mean_for_report_prediction_and_app_a_missing_figure_has_none():
    """`experiments.ensemble.mean` is the mean of plm report, the prediction record and the app: weighted over an
    ensemble, and nan when a run lacks the figure (with or without weights), as the mean over seeds."""
    from experiments.predictions import Figure
    nan = float("nan")
    assert E.mean([1.0, 3.0], [0.75, 0.25]) == pytest.approx(1.5)
    assert E.mean([1.0, 3.0]) == 2.0
    assert math.isnan(E.mean([1.0, nan], [0.5, 0.5])) and math.isnan(E.mean([1.0, nan]))
    weighted = Figure("k", "label", "end", (1.0, nan), (), weights=(0.5, 0.5))
    assert math.isnan(weighted.mean)
    assert Figure("k", "label", "end", (1.0, 3.0), (), weights=(0.75, 0.25)).mean == pytest.approx(1.5)
