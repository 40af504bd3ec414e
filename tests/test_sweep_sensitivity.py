"""Sensitivity analysis of sweeps: known Sobol indices (Ishigami), Morris and RBD-FAST orderings, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.sensitivity import analyse, write_report
from experiments.sweep import SweepError, run_sweep
from experiments.testfunctions import ishigami_indices

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = pytest.mark.timeout(300)

PI = 3.141592653589793


def ishigami_design(samples: int = 512) -> dict:
    return {"name": "ishigami", "function": "experiments.testfunctions:ishigami", "method": "sobol",
            "samples": samples, "sample_seed": 3,
            "parameters": {f"x{i}": {"min": -PI, "max": PI} for i in (1, 2, 3)},
            "sensitivity": {"outputs": ["y"]}}


@pytest.mark.slow
def test_sobol_pipeline_recovers_the_ishigami_indices(tmp_path):
    out = tmp_path / "ishigami"
    res = run_sweep(ishigami_design(), out, workers=0)
    assert res.ok == 512 * 5 and res.failed == 0
    result = analyse(out)
    assert result.method == "sobol" and result.points == 512 * 5 and result.seeds == 1
    got = result.for_output("y")
    known = ishigami_indices()
    for index in ("S1", "ST"):
        for p in ("x1", "x2", "x3"):
            value, conf = got.loc[p, index], got.loc[p, f"{index}_conf"]
            assert abs(value - known[index][p]) < 0.06, (index, p, value, known[index][p])
            assert 0 < conf < 0.15
    # the shape of the answer, not just the numbers: x3 acts only through its interaction with x1
    assert got.loc["x3", "S1"] < 0.05 < 0.15 < got.loc["x3", "ST"]
    assert got.loc["x2", "ST"] - got.loc["x2", "S1"] < 0.05
    paths = write_report(result, out)
    assert [p.name for p in paths] == ["sensitivity.csv", "sensitivity.png"]
    assert paths[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    csv = pd.read_csv(paths[0])
    assert set(csv["index"]) == {"S1", "ST"} and len(csv) == 6


def _linear_design(method: str, **extra) -> dict:
    # y = 4 a + 2 b + 0 c (tests/sweep_test_models.py)
    return {"name": method, "function": "tests.sweep_test_models:weighted", "method": method,
            "parameters": {"a": {"min": 0, "max": 1}, "b": {"min": 0, "max": 1}, "c": {"min": 0, "max": 1}},
            "sensitivity": {"outputs": ["y"]}, **extra}


@pytest.mark.parametrize("method, extra, index, expected, tol", [
    ("morris", {"samples": 12, "levels": 4}, "mu_star", {"a": 4.0, "b": 2.0, "c": 0.0}, 1e-9),
    ("lhs", {"samples": 400}, "S1", {"a": 0.8, "b": 0.2, "c": 0.0}, 0.06),
])
def test_morris_and_rbd_fast_measure_a_linear_function(tmp_path, method, extra, index, expected, tol):
    out = tmp_path / method
    run_sweep(_linear_design(method, **extra), out, workers=0)
    got = analyse(out).for_output("y")[index]
    for p, value in expected.items():
        assert got[p] == pytest.approx(value, abs=tol), (p, got[p])


def test_sensitivity_refuses_grids_and_incomplete_sweeps(tmp_path):
    grid = {"name": "g", "function": "tests.sweep_helpers:linear", "method": "grid",
            "parameters": {"x": {"levels": [1, 2]}}}
    run_sweep(grid, tmp_path / "grid", workers=0)
    with pytest.raises(SweepError, match="method = 'grid'"):
        analyse(tmp_path / "grid")
    out = tmp_path / "sobol"
    run_sweep(ishigami_design(8), out, workers=0)
    next((out / "runs").iterdir()).unlink()
    (out / "runs.parquet").unlink()
    with pytest.raises(SweepError, match="1 of 40 design points lack a finished run"):
        analyse(out)
    assert run_sweep(ishigami_design(8), out, workers=0).ran == 1
    assert analyse(out).points == 40
    with pytest.raises(SweepError, match="--output = 'nope'"):
        analyse(out, ["nope"])


@pytest.mark.slow
def test_plm_sensitivity_runs_a_model_design_then_reads_the_folder(tmp_path, capsys):
    design = tmp_path / "tiny.toml"
    design.write_text('name = "tiny"\nmethod = "sobol"\nsamples = 4\nmonths = 12\n[set]\nscale = 8.0\n'
                      '[parameters]\n"economy.tightness" = { min = 0.7, max = 1.3 }\n'
                      '"stigma.weight" = { min = 0.1, max = 0.8 }\n')
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "experiments.cli", "sensitivity"]
    r = subprocess.run([*cmd, str(design), "--out", str(out), "--workers", "0", "--output", "inclusion",
                        "--output", "net_cost"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    assert "inclusion_rate_final: Sobol indices" in r.stdout and "municipal_net_cost_total" in r.stdout
    assert "economy.tightness" in r.stdout and (out / "sensitivity.png").exists()
    csv = pd.read_csv(out / "sensitivity.csv")
    assert set(csv["output"]) == {"inclusion_rate_final", "municipal_net_cost_total"}
    assert len(csv) == 2 * 2 * 2
    # the folder alone is enough the second time; a bad output name is one line, exit 2
    from experiments.cli import main
    assert main(["sensitivity", str(out), "--no-plot"]) == 0
    assert "displacement_per_100_final: Sobol indices" in capsys.readouterr().out
    assert main(["sensitivity", str(out), "--output", "inclusion_rate_max"]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and "--output = 'inclusion_rate_max'" in lines[0]
