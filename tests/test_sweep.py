"""Sweeps: designs, the runs they make, records, resuming, failures, bad input (experiments.design, .sweep)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

import experiments
from experiments.design import load_design, make_plan, n_points, shipped_designs, summarise
from experiments.sweep import SweepError, SweepStore, load_sweep, run_sweep

ROOT = Path(__file__).resolve().parent.parent
PLM = [sys.executable, "-m", "experiments.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = pytest.mark.timeout(300)


def plm(*args, timeout=240):
    return subprocess.run([*PLM, *args], capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=timeout)


def small_design(**changes) -> dict:
    data = {"name": "small", "method": "grid", "seeds": 2, "months": 6, "set": {"scale": 8.0},
            "parameters": {"economy.tightness": {"levels": [0.8, 1.2]}},
            "outputs": {"summary": {"inclusion_rate": ["final", "mean"], "municipal_net_cost": ["total"]}}}
    data.update(changes)
    return data


def function_design(fn="linear", levels=(1, 2, 3), **changes) -> dict:
    data = {"name": "fn", "function": f"tests.sweep_helpers:{fn}", "method": "grid", "seeds": 1,
            "parameters": {"x": {"levels": list(levels)}}}
    data.update(changes)
    return data


# --- designs -------------------------------------------------------------------------------------------

def test_smoke_design_is_two_parameters_two_levels_two_seeds_of_twelve_months():
    design = load_design("smoke")
    plan = make_plan(design)
    assert design.method == "grid" and len(design.parameters) == 2 and design.seed_list == [1, 2]
    assert all(len(p.levels) == 2 for p in design.parameters.values())
    assert len(plan.runs) == 8 and len({r.run_id for r in plan.runs}) == 8
    assert plan.context["base"]["months"] == 12 and plan.context["base"]["scale"] >= 4


def test_shipped_designs_cover_every_method_and_load():
    methods = set()
    for name in shipped_designs():
        design = load_design(name)
        methods.add(design.method)
        assert n_points(design) == len(make_plan(design).table) // len(design.seed_list)
    assert methods == {"grid", "lhs", "sobol", "morris"}


@pytest.mark.parametrize("method, samples, second, expected", [
    ("lhs", 17, False, 17), ("sobol", 8, False, 8 * (3 + 2)), ("sobol", 8, True, 8 * (2 * 3 + 2)),
    ("morris", 5, False, 5 * (3 + 1)),
])
def test_sampled_designs_have_salib_sizes_and_stay_in_range(method, samples, second, expected):
    design = load_design({"name": "s", "method": method, "samples": samples, "second_order": second,
                          "set": {"policy_changes": []}, "parameters": {"economy.tightness": {"min": 0.7, "max": 1.3},
                                         "policy.caseload": {"min": 100, "max": 400},
                                         "municipalities.Stad.policy.basisbaan_slots": {"min": 0, "max": 300}}})
    plan = make_plan(design)
    table = pd.DataFrame(plan.table)
    assert len(table) == expected
    assert table["economy.tightness"].between(0.7, 1.3).all()
    slots = table["municipalities.Stad.policy.basisbaan_slots"]
    assert slots.between(0, 300).all() and (slots == slots.round()).all() and slots.dtype.kind == "i"
    again = pd.DataFrame(make_plan(load_design(design.model_dump())).table)
    pd.testing.assert_frame_equal(table, again)  # the sampler is seeded: same design, same points


def test_run_id_is_a_hash_of_parameters_seed_and_model_version(monkeypatch):
    plan = make_plan(load_design(small_design()))
    ids = {(r.params["economy.tightness"], r.seed): r.run_id for r in plan.runs}
    assert len(set(ids.values())) == 4
    assert make_plan(load_design(small_design())).runs[0].run_id == plan.runs[0].run_id
    more_seeds = make_plan(load_design(small_design(seeds=3)))
    assert {r.run_id for r in plan.runs} < {r.run_id for r in more_seeds.runs}  # adding seeds keeps the old ids
    import abm
    monkeypatch.setattr(abm, "__version__", "9.9.9")
    other = make_plan(load_design(small_design()))
    assert not {r.run_id for r in plan.runs} & {r.run_id for r in other.runs}


def test_municipality_keys_reach_one_municipality():
    from abm.scenario import load
    sc = load("default", {"municipalities.Stad.policy.basisbaan_slots": 321, "scale": 8.0,
                                    "municipalities.*.regular_jobs": 1000})
    stad = next(m for m in sc.municipalities if m.name == "Stad")
    assert stad.policy["basisbaan_slots"] == 321 and sc.resolved_policy(0).basisbaan_slots == 321
    assert {m.regular_jobs for m in sc.municipalities} == {1000}
    others = [m for m in sc.municipalities if m.name != "Stad"]
    assert all(m.policy.get("basisbaan_slots") != 321 for m in others)


def test_a_parameter_the_scenario_sets_itself_is_applied_and_its_later_changes_are_noted(tmp_path):
    scenario = tmp_path / "sc.toml"
    scenario.write_text('base = "default"\nname = "sc"\npolicy_changes = [{ month = 0, municipality = "Stad", '
                        'set = { caseload = 200 } }, { month = 24, municipality = "all", set = { caseload = 300 } }]\n')
    design = {"name": "x", "scenario": str(scenario), "parameters": {}}
    d = load_design({**design, "parameters": {"municipalities.Stad.policy.caseload": {"levels": [100, 400]}}})
    assert any("month 24" in n and "caseload" in n for n in d._notes)
    plan = make_plan(d)
    from abm.scenario import load
    base = load(str(scenario))
    stad = [m.name for m in base.municipalities].index("Stad")
    applied = {load(str(scenario), {k: v for k, v in r.params.items()}).policy_at(stad, 0).caseload
               for r in plan.runs}
    assert applied == {100, 400}     # month 0's own change gives way to the varied value
    d2 = load_design({**design, "parameters": {"policy.caseload": {"levels": [100, 400]}}})
    assert d2._notes


# --- running -------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_smoke_sweep_on_a_local_dask_cluster(tmp_path):
    out = tmp_path / "smoke"
    r = plm("sweep", "smoke", "--out", str(out), "--workers", "2")
    assert r.returncode == 0, r.stderr
    runs = load_sweep(out)
    design = pd.read_parquet(out / "design.parquet")
    assert len(runs) == 8 and runs["run_id"].is_unique and set(runs["run_id"]) == set(design["run_id"])
    assert (runs["status"] == "ok").all() and runs["inclusion_rate_final"].between(0, 1).all()
    # the city's programme size matters (no basisbaan workers without slots)
    slots = runs["municipalities.Stad.policy.basisbaan_slots"]
    assert (runs.loc[slots == 0, "n_basisbaan_final"] == 0).all()
    assert (runs.loc[slots > 0, "n_basisbaan_final"] > 0).all()
    assert runs["worker"].str.startswith("tcp://127.0.0.1:").all()
    # the records are what the model gives for the same parameters and seed
    from abm.model import LabourMarketModel
    row = runs.iloc[5]
    model = LabourMarketModel("default", seed=int(row["seed"]), agent_views=False, months=12, scale=8.0,
                              **{"economy.tightness": row["economy.tightness"],
                                 "municipalities.Stad.policy.basisbaan_slots":
                                     int(row["municipalities.Stad.policy.basisbaan_slots"])})
    model.run()
    expected = summarise(model.timeseries(), load_design("smoke").outputs.summary)
    for key, value in expected.items():
        assert row[key] == pytest.approx(value, rel=1e-12, abs=1e-12), key
    # any Parquet reader: the per-run files and the consolidated table agree
    files = pads.dataset(str(out / "runs"), format="parquet").to_table().to_pandas()
    assert sorted(files["run_id"]) == sorted(runs["run_id"])
    assert pq.read_table(out / "runs.parquet").num_rows == 8
    assert experiments.load_sweep(out).equals(runs)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs"] == {"planned": 8, "design_rows": 8, "ok": 8,
                                                                      "failed": 0, "missing": 0}
    assert manifest["design"]["name"] == "smoke" and manifest["package_version"] and "git_revision" in manifest
    assert manifest["environment"]["packages"]["distributed"] and manifest["timing"]["run_seconds"] > 0
    assert manifest["sessions"][0]["command"].startswith("plm sweep smoke")
    # the same command again: nothing to do, nothing rewritten
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()}
    r2 = plm("sweep", "smoke", "--out", str(out), "--workers", "2")
    assert r2.returncode == 0 and "all 8 runs already" in r2.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()} == before


@pytest.mark.slow
def test_a_run_the_scenario_refuses_is_recorded_failed_and_the_rest_complete(tmp_path):
    # each value is in range, but 0.8 + share_mental_debts 0.3 > 1: the run raises inside the worker
    design = tmp_path / "fail.toml"
    design.write_text('name = "fail"\nmethod = "grid"\nseeds = 2\nmonths = 6\n[set]\nscale = 8.0\n'
                      '[parameters]\n"population.share_older_low_health" = { levels = [0.48, 0.8] }\n'
                      '"economy.tightness" = { levels = [1.0] }\n')
    out = tmp_path / "out"
    r = plm("sweep", str(design), "--out", str(out), "--workers", "2")
    assert r.returncode == 1, r.stderr
    last = [line for line in r.stderr.splitlines() if line.strip()][-1]
    assert last.startswith("error: 2 of 4 runs failed"), r.stderr
    runs = load_sweep(out)
    failed = runs[runs["status"] == "failed"]
    assert len(runs) == 4 and len(failed) == 2
    assert (failed["population.share_older_low_health"] == 0.8).all()
    assert failed["error"].str.contains("share_older_low_health").all() and failed["inclusion_rate_final"].isna().all()
    assert failed["traceback"].str.contains("ScenarioError").all()
    ok = runs[runs["status"] == "ok"]
    assert ok["inclusion_rate_final"].notna().all() and (ok["error"] == "").all()
    # a failed run stays failed on a rerun, unless asked
    again = run_sweep(design, out, workers=0)
    assert again.ran == 0 and again.failed == 2
    retried = run_sweep(design, out, workers=0, retry_failed=True)
    assert retried.ran == 2 and retried.failed == 2 and len(load_sweep(out)) == 4


def test_function_model_failure_and_time_series_dataset(tmp_path):
    out = tmp_path / "fn"
    res = run_sweep(function_design(set={"bad": 2}), out, workers=0, allow_code=True)
    assert (res.ok, res.failed) == (2, 1)
    runs = load_sweep(out).set_index("x")
    assert runs.loc[2, "status"] == "failed" and runs.loc[2, "error"].startswith("ValueError: x = 2 is the bad value")
    assert runs.loc[3, "y"] == 2 * 3 + 1

    ts_out = tmp_path / "ts"
    res = run_sweep(small_design(outputs={"timeseries": True, "summary": {"inclusion_rate": ["final"]}}), ts_out,
                    workers=0)
    assert res.ok == 4
    parts = sorted((ts_out / "timeseries").glob("run_id=*/part-0.parquet"))
    assert len(parts) == 4
    ts = load_sweep(ts_out, timeseries=True)
    assert len(ts) == 4 * 7 and {"run_id", "seed", "economy.tightness", "month", "inclusion_rate"} <= set(ts.columns)
    hive = pads.dataset(str(ts_out / "timeseries"), format="parquet", partitioning="hive").to_table().to_pandas()
    assert len(hive) == 4 * 7 and hive["run_id"].nunique() == 4
    runs = load_sweep(ts_out)
    last = ts[ts["month"] == 6].set_index("run_id")["inclusion_rate"]
    assert np.allclose(runs.set_index("run_id")["inclusion_rate_final"].loc[last.index], last)


def test_consolidated_table_is_rebuilt_when_runs_finished_after_it(tmp_path):
    out = tmp_path / "fn"
    run_sweep(function_design(), out, workers=0, allow_code=True)
    (out / "runs.parquet").unlink()
    victim = next((out / "runs").iterdir())
    victim.unlink()  # as if the run was lost in flight
    (out / ".runs.parquet.tmp-1-2").write_bytes(b"half a file")  # what a SIGKILL mid-write could leave
    assert len(load_sweep(out)) == 2 and (out / "runs.parquet").exists()
    res = run_sweep(function_design(), out, workers=0, allow_code=True)
    assert res.ran == 1 and res.skipped == 2 and len(load_sweep(out)) == 3
    assert not list(out.glob(".*tmp-*"))


# --- bad input ---------------------------------------------------------------------------------------------

BAD_DESIGNS = [
    ('name="x"\nmetod="grid"\n[parameters]\n"economy.tightness"={levels=[1.0]}\n', "did you mean 'method'"),
    ('name="x"\n[parameters]\n"policy.casload"={levels=[100]}\n', "did you mean 'caseload'"),
    ('name="x"\n[parameters]\n"policy.caseload"={levels=[10, 100]}\n', "policy.caseload.levels[0] = 10"),
    ('name="x"\n[parameters]\n"policy.caseload"={min=20, max=100}\n', "needs levels"),
    ('name="x"\nmethod="sobol"\nsamples=100\n[parameters]\n"policy.caseload"={min=20, max=100}\n'
     '"economy.tightness"={min=0.5,max=1.5}\n', "power of 2"),
    ('name="x"\nmethod="lhs"\nsamples=10\n[parameters]\n"policy.caseload"={min=200, max=100}\n', "min < max"),
    ('name="x"\nmethod="lhs"\nsamples=10\n[parameters]\n"policy.regime"={min=0, max=1}\n', "cannot be sampled"),
    ('name="x"\n[parameters]\n"municipalities.Stadt.policy.basisbaan_slots"={levels=[1]}\n', "did you mean 'Stad'"),
    ('name="x"\n[parameters]\n"economy.tightness"={levels=[1.0]}\n[outputs.summary]\ninclusion_rat=["final"]\n',
     "did you mean 'inclusion_rate'"),
    ('name="x"\nseeds=0\n[parameters]\n"economy.tightness"={levels=[1.0]}\n', "seeds = 0"),
    ('name="x\n', "not valid TOML"),
    ('name="x"\n', "parameters: required"),
    ('name="x"\n[set]\nscale=0.5\n[parameters]\n"economy.tightness"={levels=[1.0]}\n', "scale = 0.5"),
]


@pytest.mark.parametrize("text, needle", BAD_DESIGNS)
def test_bad_design_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, text, needle):
    from experiments.cli import main
    path = tmp_path / "bad.toml"
    path.write_text(text)
    out = tmp_path / "never"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "0"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("error: ") and needle in err[0], err
    assert not out.exists()


def test_bad_design_from_the_command_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[parameters]\n"policy.caseload" = { levels = [5000] }\n')
    out = tmp_path / "never"
    r = plm("sweep", str(path), "--out", str(out))
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2 and len(lines) == 1 and "policy.caseload.levels[0] = 5000: must be <=" in lines[0]
    assert not out.exists()
    r = plm("sweep", "smok")
    assert r.returncode == 2 and "did you mean 'smoke'" in r.stderr


@pytest.mark.parametrize("args, needle", [
    (["--workers", "-1"], "--workers = -1"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "one of them"),
    (["--scheduler", "nonsense"], "--scheduler = 'nonsense'"),
    (["--wait-workers", "0"], "--wait-workers = 0"),
])
def test_bad_options_are_refused_before_anything_is_written(tmp_path, capsys, args, needle):
    from experiments.cli import main
    out = tmp_path / "never"
    assert main(["sweep", "smoke", "--out", str(out), *args]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and needle in err[0]
    assert not out.exists()


def test_a_folder_of_other_data_or_another_sweep_is_refused(tmp_path):
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(SweepError, match="not a sweep folder"):
        run_sweep(function_design(), tmp_path, workers=0, allow_code=True)
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]
    out = tmp_path / "sweep"
    run_sweep(function_design(), out, workers=0, allow_code=True)
    with pytest.raises(SweepError, match="different base scenario, set, months or outputs"):
        run_sweep(function_design(months=5), out, workers=0, allow_code=True)
    # a second plm sweep into the same folder waits for nobody: it is refused
    store = SweepStore(out)
    store.lock()
    try:
        with pytest.raises(SweepError, match="another plm sweep"):
            run_sweep(function_design(), out, workers=0, allow_code=True)
    finally:
        store.unlock()


def test_dry_run_counts_runs_and_writes_nothing(tmp_path):
    out = tmp_path / "dry"
    r = plm("sweep", "smoke", "--dry-run", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "4 points × 2 seeds = 8 runs" in r.stdout and "0 of 8 runs done" in r.stdout
    assert not out.exists()
