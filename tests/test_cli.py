"""The `plm` command line, run as a user would (subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

PLM = [sys.executable, "-m", "experiments.cli"]


def plm(*args, cwd=None):
    return subprocess.run([*PLM, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.slow
def test_run_writes_the_outputs_and_a_summary(tmp_path):
    out = tmp_path / "run"
    r = plm("run", "--months", "6", "--seed", "3", "--out", str(out), "--set", "scale=4")
    assert r.returncode == 0, r.stderr
    assert {p.name for p in out.iterdir()} == {"timeseries.parquet", "timeseries.csv", "transitions.parquet",
                                               "timeseries_by_municipality.parquet", "manifest.json"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["by_municipality"] and "timeseries_by_municipality.parquet" in manifest["files"]
    assert manifest["seed"] == 3 and manifest["months"] == 6 and manifest["scenario"]["scale"] == 4.0
    assert manifest["package_version"] and "wall_seconds" in manifest and manifest["command"].startswith("plm run")
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 7
    pd.testing.assert_frame_equal(ts, pd.read_csv(out / "timeseries.csv"), check_dtype=False, rtol=1e-12)
    tr = pd.read_parquet(out / "transitions.parquet")
    assert list(tr.columns) == ["month", "person_id", "from_state", "to_state", "municipality", "reason"]
    for label in ("Inclusion rate", "Displaced regular jobs", "Throughput", "Municipal net cost"):
        assert label in r.stdout
    bm = pd.read_parquet(out / "timeseries_by_municipality.parquet")
    assert len(bm) == 7 * len(manifest["scenario"]["municipalities"])
    assert (bm.groupby("month")["n_regular"].sum().to_numpy() == ts["n_regular"].to_numpy()).all()


def test_run_without_the_results_per_municipality(tmp_path):
    out = tmp_path / "run"
    r = plm("run", "--months", "1", "--out", str(out), "--set", "scale=20", "--quiet", "--no-by-municipality")
    assert r.returncode == 0, r.stderr
    assert not (out / "timeseries_by_municipality.parquet").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert not manifest["by_municipality"] and "timeseries_by_municipality.parquet" not in manifest["files"]


@pytest.mark.parametrize("args, needle", [
    (["run", "--months", "0"], "--months = 0"),
    (["run", "--scenario", "nope"], "scenario = 'nope'"),
    (["run", "--set", "policy.caseload=-1"], "policy.caseload = -1"),
    (["run", "--set", "policy.regime=\"lenient\""], "policy.regime"),
    (["run", "--months", "abc"], "--months"),
    (["run", "--bogus"], "--bogus"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, args, needle):
    out = tmp_path / "never"
    r = plm(*args, "--out", str(out)) if "--bogus" not in args else plm(*args)
    assert r.returncode == 2
    lines = [line for line in r.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]
    assert not out.exists()


def test_out_folder_with_files_is_refused(tmp_path):
    (tmp_path / "x.txt").write_text("keep me")
    r = plm("run", "--months", "1", "--out", str(tmp_path))
    assert r.returncode == 2 and "not empty" in r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_bad_scenario_file_names_the_key(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('base = "default"\n[policy]\nbasisban_slots = 3\n')
    r = plm("run", "--scenario", str(path), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "basisban_slots" in r.stderr and "basisbaan_slots" in r.stderr


@pytest.mark.slow
def test_scenarios_list_and_show():
    r = plm("scenarios")
    assert r.returncode == 0 and "default" in r.stdout
    r = plm("scenarios", "show", "default")
    assert r.returncode == 0 and 'name = "default"' in r.stdout
    r = plm("scenarios", "show", "nope")
    assert r.returncode == 2


@pytest.mark.slow
def test_bench_prints_json_last(tmp_path):
    r = plm("bench", "--seekers", "3000", "--months", "2")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert set(result) >= {"seekers", "months", "build_s", "run_s", "agent_months_per_s", "peak_rss_mb"}
    assert result["months"] == 2 and 2500 <= result["seekers"] <= 3500
