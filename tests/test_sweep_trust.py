"""Sweeps you can trust (issue 8 §2, §3 "Sweeps" and "Seeds"; JOURNEYS.md journey 5 step 1).

- A design's `[set]` and `parameters` are overrides with the one meaning they have everywhere: a policy key
  varied on a preset that sets it per municipality is applied (never ignored), and `[set]` is what runs and
  what the manifest records. Where a key does not hold for the whole run, one note line says so.
- Seeds are whole numbers 0 <= seed < 2**63; anything else is one line, exit 2, nothing written.
- A design's `function` outside the project's packages needs --allow-code; the refusal imports nothing.
- The folder's lock is taken before the Dask cluster starts.
- A sweep with failed runs exits 1 and its last line says how many failed.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from abm.scenario import load
from experiments.design import PROJECT_PACKAGES, load_design, make_plan, run_overrides, summarise
from experiments.sweep import SweepError, SweepStore, load_sweep, run_sweep

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
PLM_SCRIPT = Path(sys.executable).parent / "plm"
PLM = [str(PLM_SCRIPT)] if PLM_SCRIPT.exists() else [sys.executable, "-m", "experiments.cli"]
PRESET = "groningen-basisbaan-2020"   # sets additionality_test = 0.9 in its municipality's own policy table
KEY = "policy.additionality_test"

pytestmark = pytest.mark.timeout(300)


def plm(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([*PLM, *args], capture_output=True, text=True, cwd=cwd, env=env or ENV, timeout=timeout)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def direct(seed: int, months: int, overrides: dict, summary: dict, scenario: str = PRESET) -> dict[str, float]:
    """What `plm run --scenario PRESET --set KEY=VALUE ...` computes for the same seed: the model run directly."""
    from abm.model import LabourMarketModel

    model = LabourMarketModel(scenario, seed=seed, months=months, agent_views=False, **overrides)
    model.run()
    return summarise(model.timeseries(), summary)


# --- journey 5 step 1: a policy key varied on a preset that sets it per municipality ------------------------

JOURNEY_DESIGN = f"""
name = "additionality"
description = "The additionality test region-wide, on a preset that sets it for its municipality"
scenario = "{PRESET}"
method = "grid"
seeds = 2
months = 12
[set]
scale = 8.0
[parameters]
"{KEY}" = {{ levels = [0.0, 0.9] }}
[outputs.summary]
displacement_per_100 = ["final", "mean"]
displaced_regular_jobs = ["final"]
"""


@pytest.mark.slow
def test_journey_5_step_1_a_varied_policy_key_is_applied_on_a_preset_that_sets_it_per_municipality(tmp_path):
    assert load(PRESET).municipalities[0].policy["additionality_test"] == 0.9  # the preset sets it itself
    design = tmp_path / "additionality.toml"
    design.write_text(JOURNEY_DESIGN)
    out = tmp_path / "out"
    r = plm("sweep", str(design), "--out", str(out), "--workers", "0", "--quiet")
    assert r.returncode == 0, r.stderr
    runs = load_sweep(out)
    assert len(runs) == 4 and (runs["status"] == "ok").all()
    summary = {"displacement_per_100": ["final", "mean"], "displaced_regular_jobs": ["final"]}
    for _, row in runs.iterrows():
        # each record is what the model gives with the key set region-wide: the level was applied
        expected = direct(int(row["seed"]), 12, {"scale": 8.0, KEY: float(row[KEY])}, summary)
        for column, value in expected.items():
            assert row[column] == pytest.approx(value, rel=1e-12, abs=1e-12), (row[KEY], column)
    # and it matters: without an additionality test, subsidised work displaces far more regular jobs
    by_level = runs.groupby(KEY)["displacement_per_100_final"]
    assert by_level.min()[0.0] > 3 * by_level.max()[0.9]
    for seed in (1, 2):
        seed_runs = runs[runs["seed"] == seed].set_index(KEY)
        assert seed_runs.loc[0.0, "displaced_regular_jobs_final"] > seed_runs.loc[0.9, "displaced_regular_jobs_final"]
    # the same numbers as `plm run --set` with the same key, value and seed
    run = plm("run", "--scenario", PRESET, "--set", f"{KEY}=0.0", "--set", "scale=8.0", "--months", "12", "--seed",
              "1", "--out", str(tmp_path / "run"), "--quiet")
    assert run.returncode == 0, run.stderr
    import pandas as pd
    ts = pd.read_csv(tmp_path / "run" / "timeseries.csv")
    row = runs[(runs["seed"] == 1) & (runs[KEY] == 0.0)].iloc[0]
    assert row["displacement_per_100_final"] == pytest.approx(ts["displacement_per_100"].iloc[-1], rel=1e-12)
    assert row["displaced_regular_jobs_final"] == ts["displaced_regular_jobs"].iloc[-1]
    # the preset's own value (0.9) reproduces a plain run of the preset: the override replaced, not added
    plain = direct(1, 12, {"scale": 8.0}, summary)
    row = runs[(runs["seed"] == 1) & (runs[KEY] == 0.9)].iloc[0]
    assert row["displacement_per_100_final"] == pytest.approx(plain["displacement_per_100_final"], abs=1e-12)


@pytest.mark.slow
def test_the_region_wide_and_the_municipal_key_give_the_same_runs_on_a_one_municipality_preset(tmp_path):
    base = tomllib.loads(JOURNEY_DESIGN)
    region = run_sweep(base, tmp_path / "region", workers=0)
    municipal = dict(base, parameters={"municipalities.Groningen.policy.additionality_test": {"levels": [0.0, 0.9]}})
    local = run_sweep(municipal, tmp_path / "municipal", workers=0)
    assert (region.ok, local.ok) == (4, 4)
    cols = ["displacement_per_100_final", "displacement_per_100_mean", "displaced_regular_jobs_final"]
    a = load_sweep(tmp_path / "region").sort_values([KEY, "seed"])[cols].reset_index(drop=True)
    b = load_sweep(tmp_path / "municipal").sort_values(["municipalities.Groningen.policy.additionality_test",
                                                        "seed"])[cols].reset_index(drop=True)
    assert a.equals(b)


@pytest.mark.parametrize("key, level, needle", [
    ("municipalities.Groningn.policy.additionality_test", 0.0, "did you mean 'Groningen'"),
    ("municipalities.Stad.policy.additionality_test", 0.0, "allowed: one of ['Groningen'] or *"),
    (KEY, 1.5, f"{KEY}.levels[0] = 1.5: must be <= 1"),
    (KEY, "0.5", f"{KEY}.levels[0] = '0.5'"),
    (KEY, True, f"{KEY}.levels[0] = True"),
])
def test_journey_5_step_1_a_key_that_cannot_be_applied_is_refused_with_one_line(tmp_path, capsys, key, level,
                                                                                 needle):
    import tomli_w

    from experiments.cli import main
    data = tomllib.loads(JOURNEY_DESIGN)
    data["parameters"] = {key: {"levels": [level]}}
    design = tmp_path / "bad.toml"
    design.write_text(tomli_w.dumps(data))
    out = tmp_path / "never"
    assert main(["sweep", str(design), "--out", str(out), "--workers", "0"]) == 2
    err = lines(capsys.readouterr().err)
    assert len(err) == 1 and err[0].startswith("error: ") and needle in err[0], err
    assert not out.exists()


# --- [set]: applied, and recorded as applied ---------------------------------------------------------------

def test_a_set_value_is_the_one_applied_and_the_one_the_manifest_records(tmp_path):
    design = {"name": "fixed", "scenario": PRESET, "months": 12, "seeds": [3],
              "set": {"scale": 8.0, KEY: 0.0},
              "parameters": {"economy.tightness": {"levels": [1.0]}},
              "outputs": {"summary": {"displacement_per_100": ["final"]}}}
    out = tmp_path / "out"
    assert run_sweep(design, out, workers=0).ok == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["design"]["set"][KEY] == 0.0
    assert manifest["base_policies"]["Groningen"]["additionality_test"] == 0.0
    scenario = tomllib.loads((out / "scenario.toml").read_text())
    assert "additionality_test" not in scenario["municipalities"][0].get("policy", {})  # the city's 0.9 gave way
    assert scenario["policy"]["additionality_test"] == 0.0
    got = load_sweep(out).iloc[0]["displacement_per_100_final"]
    summary = {"displacement_per_100": ["final"]}
    with_set = direct(3, 12, {"scale": 8.0, KEY: 0.0, "economy.tightness": 1.0}, summary)
    preset_value = direct(3, 12, {"scale": 8.0, "economy.tightness": 1.0}, summary)
    assert got == pytest.approx(with_set["displacement_per_100_final"], abs=1e-12)
    assert got > 3 * preset_value["displacement_per_100_final"]


def test_set_and_parameters_are_one_set_of_overrides_as_plm_run_set_would_apply_them(tmp_path):
    # region-wide keys first, then municipal ones: [set] can keep one municipality out of a varied policy key,
    # and the design says so in one line
    design = load_design({"name": "mix", "months": 12, "set": {"scale": 8.0,
                                                               "municipalities.Midden.policy.caseload": 100},
                          "parameters": {"policy.caseload": {"levels": [200, 300]}}})
    assert any("keeps municipality Midden" in n and n.startswith("note: ") for n in design.notes)
    plan = make_plan(design)
    for run in plan.runs:
        scenario = load(plan.context["scenario"], run_overrides(plan.context, run.params))
        policies = scenario.resolved_policies(0)
        assert policies["Midden"]["caseload"] == 100
        assert {p["caseload"] for name, p in policies.items() if name != "Midden"} == {run.params["policy.caseload"]}
        # exactly what `plm run --set scale=8.0 --set municipalities.Midden.policy.caseload=100 --set ...` loads
        assert scenario == load("default", {"months": 12, "scale": 8.0, "municipalities.Midden.policy.caseload": 100,
                                            "policy.caseload": run.params["policy.caseload"]})


@pytest.mark.slow
def test_notes_are_printed_by_dry_run_and_sweep_and_recorded_in_the_manifest(tmp_path):
    scenario = tmp_path / "dated.toml"
    scenario.write_text('base = "default"\nname = "dated"\n[[policy_changes]]\nmonth = 6\nmunicipality = "all"\n'
                        'set = { additionality_test = 0.5 }\n')
    design = tmp_path / "notes.toml"
    design.write_text(f'name = "notes"\nscenario = "dated.toml"\nmonths = 8\n[set]\nscale = 8.0\n'
                      f'[parameters]\n"{KEY}" = {{ levels = [0.0, 0.9] }}\n'
                      '[outputs.summary]\ninclusion_rate = ["final"]\n')
    expected = (f"note: {KEY} applies from month 0, and the scenario's dated policy changes set additionality_test "
                "again later: month 6 (all): 0.5")
    out = tmp_path / "out"
    dry = plm("sweep", str(design), "--dry-run", "--out", str(out))
    assert dry.returncode == 0, dry.stderr
    assert lines(dry.stderr) == [expected] and not out.exists()
    real = plm("sweep", str(design), "--out", str(out), "--workers", "0", "--quiet")
    assert real.returncode == 0, real.stderr
    assert lines(real.stderr).count(expected) == 1
    assert json.loads((out / "manifest.json").read_text())["notes"] == [expected]


# --- seeds ---------------------------------------------------------------------------------------------------

ISHIGAMI = {"name": "ish", "function": "experiments.testfunctions:ishigami", "method": "grid",
            "parameters": {"x1": {"levels": [0.5]}, "x2": {"levels": [1.0]}, "x3": {"levels": [2.0]}}}


@pytest.mark.parametrize("seeds, extra, needle", [
    ([1, 1.5], {}, "seeds[1] = 1.5: allowed: whole numbers from 0 to 2**63 - 1"),
    ([-1], {}, "seeds[0] = -1: allowed"),
    ([2**63], {}, f"seeds[0] = {2**63}: allowed"),
    ([True], {}, "seeds[0] = True: allowed"),
    (["7"], {}, "seeds[0] = '7': allowed"),
    (2.0, {}, "seeds = 2.0: allowed: a count from 1 to 100000"),
    ([3, 3], {}, "3 appears twice"),
    (2, {"seed_start": 1.0}, "seed_start = 1.0: allowed: a whole number from 0 to 2**63 - 1"),
    (2, {"seed_start": -1}, "seed_start = -1: allowed"),
    (2, {"seed_start": 2**63 - 1}, f"the last seed would be {2**63}"),
    (1, {"sample_seed": 1.0}, "sample_seed = 1.0: must be a whole number"),
    (1, {"months": 12.0}, "months = 12.0: must be a whole number"),
])
def test_bad_seeds_are_one_line_exit_2_and_nothing_written(tmp_path, capsys, seeds, extra, needle):
    import tomli_w

    from experiments.cli import main
    path = tmp_path / "seeds.toml"
    path.write_text(tomli_w.dumps({**ISHIGAMI, "seeds": seeds, **extra}))
    out = tmp_path / "never"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "0"]) == 2
    err = lines(capsys.readouterr().err)
    assert len(err) == 1 and err[0].startswith("error: ") and needle in err[0], err
    assert not out.exists()


def test_seeds_at_the_ends_of_the_range_run(tmp_path):
    top = 2**63 - 1
    res = run_sweep({**ISHIGAMI, "seeds": [0, top]}, tmp_path / "list", workers=0)
    assert res.ok == 2 and sorted(load_sweep(tmp_path / "list")["seed"]) == [0, top]
    res = run_sweep({**ISHIGAMI, "seeds": 2, "seed_start": top - 1}, tmp_path / "count", workers=0)
    assert res.ok == 2 and sorted(load_sweep(tmp_path / "count")["seed"]) == [top - 1, top]
    # and a model run takes the largest seed too
    design = {"name": "top", "months": 2, "seeds": [top], "set": {"scale": 32.0},
              "parameters": {"economy.tightness": {"levels": [1.0]}},
              "outputs": {"summary": {"inclusion_rate": ["final"]}}}
    assert run_sweep(design, tmp_path / "model", workers=0).ok == 1


# --- code in a design -----------------------------------------------------------------------------------------

def test_project_packages_are_the_packages_pyproject_installs():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = data["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted(p.rstrip("*") for p in include) == sorted(PROJECT_PACKAGES)


@pytest.mark.slow
def test_a_function_outside_the_project_needs_allow_code_and_is_not_even_imported_without_it(tmp_path):
    # a module whose import leaves a trace: refusing must not import it (importing runs its code)
    package = tmp_path / "mycode"
    package.mkdir()
    marker = tmp_path / "imported"
    (package / "__init__.py").write_text(f"from pathlib import Path\nPath({str(marker)!r}).touch()\n\n"
                                         "def model(params, seed, months):\n    return {'y': 2.0 * params['x']}\n")
    design = tmp_path / "code.toml"
    design.write_text('name = "code"\nfunction = "mycode:model"\n[parameters]\nx = { levels = [1, 2] }\n')
    env = {**ENV, "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}"}
    out = tmp_path / "out"
    for args in (["sweep", str(design), "--out", str(out)], ["sweep", str(design), "--dry-run", "--out", str(out)],
                 ["sensitivity", str(design), "--out", str(out)]):
        r = plm(*args, cwd=tmp_path, env=env)
        err = lines(r.stderr)
        assert r.returncode == 2 and len(err) == 1, r.stderr
        assert "function = 'mycode:model'" in err[0] and "--allow-code" in err[0] and "outside the project" in err[0]
        assert not marker.exists() and not out.exists()
    r = plm("sweep", str(design), "--out", str(out), "--workers", "0", "--allow-code", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert marker.exists() and sorted(load_sweep(out)["y"]) == [2.0, 4.0]


@pytest.mark.parametrize("function", ["os:system", "subprocess:call", "builtins:eval", "tests.sweep_helpers:linear"])
def test_a_function_outside_the_project_is_refused_from_python_too(tmp_path, function):
    from experiments.design import DesignError
    design = {"name": "f", "function": function, "parameters": {"x": {"levels": [1]}}}
    with pytest.raises(DesignError, match=r"outside the project; allowed: .*--allow-code"):
        run_sweep(design, tmp_path / "out", workers=0)
    assert not (tmp_path / "out").exists()


def test_a_function_inside_the_project_needs_no_flag(tmp_path):
    assert run_sweep(ISHIGAMI, tmp_path / "out", workers=0).ok == 1


# --- the lock comes before the cluster ------------------------------------------------------------------------

def _locked_by_someone(folder: Path) -> bool:
    fd = os.open(folder / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def test_the_folder_is_locked_before_the_cluster_starts(tmp_path, monkeypatch):
    import experiments.sweep as sweep

    seen = []
    real = sweep._Executor.create

    def create(workers, scheduler, log, context):
        seen.append(_locked_by_someone(tmp_path / "out"))
        return real(0, None, log, context)  # then run in this process
    monkeypatch.setattr(sweep._Executor, "create", staticmethod(create))
    assert run_sweep(ISHIGAMI, tmp_path / "out", workers=2).ok == 1
    assert seen == [True]


def test_a_second_sweep_into_a_locked_new_folder_never_starts_a_cluster(tmp_path, monkeypatch):
    import experiments.sweep as sweep

    def create(*args, **kwargs):
        raise AssertionError("the cluster started although the folder is locked")
    monkeypatch.setattr(sweep._Executor, "create", staticmethod(create))
    holder = SweepStore(tmp_path / "out")
    holder.lock()  # another plm sweep, still starting: the folder holds nothing but its lock
    try:
        with pytest.raises(SweepError, match="another plm sweep is writing into this folder"):
            run_sweep(ISHIGAMI, tmp_path / "out", workers=2)
    finally:
        holder.unlock()


def test_a_locked_folder_is_refused_by_the_command_before_any_worker_starts(tmp_path):
    holder = SweepStore(tmp_path / "out")
    holder.lock()
    try:
        r = plm("sweep", "smoke", "--out", str(tmp_path / "out"), "--workers", "2")
    finally:
        holder.unlock()
    err = lines(r.stderr)
    assert r.returncode == 2 and len(err) == 1 and "another plm sweep" in err[0], r.stderr
    assert "running on" not in r.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == [".lock"]


def test_a_refused_scheduler_leaves_no_folder_behind(tmp_path, monkeypatch):
    import experiments.sweep as sweep

    def create(*args, **kwargs):
        raise SweepError("--scheduler = 'tcp://x:1': cannot connect")
    monkeypatch.setattr(sweep._Executor, "create", staticmethod(create))
    out = tmp_path / "a" / "b" / "out"
    with pytest.raises(SweepError, match="cannot connect"):
        run_sweep(ISHIGAMI, out, scheduler="tcp://x:1")
    assert list(tmp_path.iterdir()) == []


# --- exit codes -------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_failed_runs_exit_1_with_one_line_at_the_end_and_all_ok_exits_0(tmp_path):
    failing = tmp_path / "fail.toml"
    failing.write_text('name = "fail"\nmonths = 4\nseeds = 1\n[set]\nscale = 16.0\n[parameters]\n'
                       '"population.share_older_low_health" = { levels = [0.48, 0.8] }\n'
                       '[outputs.summary]\ninclusion_rate = ["final"]\n')
    out = tmp_path / "out"
    for attempt in ("first", "rerun", "retry"):
        extra = ["--retry-failed"] if attempt == "retry" else []
        r = plm("sweep", str(failing), "--out", str(out), "--workers", "0", "--quiet", *extra)
        assert r.returncode == 1, (attempt, r.stderr)
        last = lines(r.stderr)[-1]
        assert last == f"error: 1 of 2 runs failed; see the error column of {out / 'runs.parquet'}; --retry-failed " \
                       "runs them again", (attempt, r.stderr)
    r = plm("sensitivity", str(out))
    assert r.returncode == 2 and "method = 'grid'" in r.stderr
    ok = tmp_path / "ok.toml"
    ok.write_text(failing.read_text().replace("0.8]", "0.5]").replace('"fail"', '"ok"'))
    r = plm("sweep", str(ok), "--out", str(tmp_path / "ok"), "--workers", "0", "--quiet")
    assert r.returncode == 0 and "failed" not in r.stderr.lower(), r.stderr


# --- one core per run on a Dask worker ---------------------------------------------------------------------------

def numba_threads(params, seed, months):
    """A design's function: how many threads the model's parallel kernels may use in this run."""
    import numba
    return {"threads": float(numba.get_num_threads())}


def test_a_run_on_a_dask_worker_uses_one_core_and_a_run_in_this_process_all(tmp_path):
    # the local cluster has one single-threaded worker process per core: a run that also spread its kernels
    # over every core would compete with the other workers (docs/sweeps.md § On a cluster)
    import numba
    design = {"name": "threads", "function": "tests.test_sweep_trust:numba_threads",
              "parameters": {"x": {"levels": [1, 2, 3]}}}
    assert run_sweep(design, tmp_path / "dask", workers=2, allow_code=True).ok == 3
    assert (load_sweep(tmp_path / "dask")["threads"] == 1).all()
    assert run_sweep(design, tmp_path / "inline", workers=0, allow_code=True).ok == 3
    assert (load_sweep(tmp_path / "inline")["threads"] == numba.config.NUMBA_NUM_THREADS).all()
