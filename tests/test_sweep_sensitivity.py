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
    run_sweep(_linear_design(method, **extra), out, workers=0, allow_code=True)
    got = analyse(out).for_output("y")[index]
    for p, value in expected.items():
        assert got[p] == pytest.approx(value, abs=tol), (p, got[p])


def test_sensitivity_refuses_grids_and_incomplete_sweeps(tmp_path):
    grid = {"name": "g", "function": "tests.sweep_helpers:linear", "method": "grid",
            "parameters": {"x": {"levels": [1, 2]}}}
    run_sweep(grid, tmp_path / "grid", workers=0, allow_code=True)
    with pytest.raises(SweepError, match="method = 'grid'"):
        analyse(tmp_path / "grid")
    out = tmp_path / "sobol"
    run_sweep(ishigami_design(64), out, workers=0)
    next((out / "runs").iterdir()).unlink()
    (out / "runs.parquet").unlink()
    with pytest.raises(SweepError, match="1 of 320 design points lack a finished run"):
        analyse(out)
    assert run_sweep(ishigami_design(64), out, workers=0).ran == 1
    assert analyse(out).points == 320
    with pytest.raises(SweepError, match="--output = 'nope'"):
        analyse(out, ["nope"])


@pytest.mark.slow
def test_plm_sensitivity_runs_a_model_design_then_reads_the_folder(tmp_path, capsys):
    design = tmp_path / "tiny.toml"
    design.write_text('name = "tiny"\nmethod = "sobol"\nsamples = 64\nmonths = 6\n[set]\nscale = 8.0\n'
                      '[parameters]\n"economy.tightness" = { min = 0.7, max = 1.3 }\n'
                      '"stigma.weight" = { min = 0.1, max = 0.8 }\n')
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "experiments.cli", "sensitivity"]
    r = subprocess.run([*cmd, str(design), "--out", str(out), "--workers", "2", "--output", "inclusion",
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


# --- results that cannot be trusted are not printed as if they could (issue 8 §3; journey 5 step 3) ------------

def _ishigami(method: str, samples: int, **extra) -> dict:
    # experiments.testfunctions is inside the project: no --allow-code needed
    return {"name": f"ish-{method}", "function": "experiments.testfunctions:ishigami", "method": method,
            "samples": samples, "sample_seed": 5, "sensitivity": {"outputs": ["y"]},
            "parameters": {f"x{i}": {"min": -PI, "max": PI} for i in (1, 2, 3)}, **extra}


@pytest.mark.parametrize("method, samples, needle", [
    ("sobol", 4, "method = 'sobol' needs a base sample N >= 64 (320 points with 3 parameters)"),
    ("sobol", 32, "allowed: samples >= 64"),
    ("morris", 9, "method = 'morris' needs >= 10 trajectories (40 points with 3 parameters)"),
    ("lhs", 20, "method = 'lhs' needs >= 44 points for RBD-FAST"),
    ("lhs", 43, "allowed: samples >= 44"),
])
def test_too_few_samples_are_refused_before_anything_runs_with_the_size_needed(tmp_path, capsys, method, samples,
                                                                               needle):
    import tomli_w

    from experiments.cli import main
    design = tmp_path / "small.toml"
    design.write_text(tomli_w.dumps(_ishigami(method, samples)))
    out = tmp_path / "never"
    assert main(["sensitivity", str(design), "--out", str(out), "--workers", "0"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("error: ") and f"samples = {samples}: too few" in err[0], err
    assert needle in err[0] and "sobol N >= 64, morris >= 10 trajectories, lhs >= 44 points" in err[0], err
    assert not out.exists()


def test_a_sweep_folder_below_the_minimum_is_refused_too(tmp_path, capsys):
    # plm sweep runs any lhs design (for PRIM, plots, ...); only the analysis needs 44 points
    out = tmp_path / "lhs"
    assert run_sweep(_ishigami("lhs", 30), out, workers=0).ok == 30
    with pytest.raises(SweepError, match=r"samples = 30: too few .* needs >= 44 points"):
        analyse(out)
    from experiments.cli import main
    assert main(["sensitivity", str(out)]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "allowed: samples >= 44" in err[0]
    assert not (out / "sensitivity.csv").exists()


@pytest.mark.parametrize("method, samples, index", [("lhs", 44, "S1"), ("morris", 10, "mu_star"),
                                                    ("sobol", 64, "S1")])
def test_at_the_minimum_every_method_gives_intervals_and_never_one_for_everything(tmp_path, method, samples, index):
    out = tmp_path / method
    run_sweep(_ishigami(method, samples), out, workers=0)
    result = analyse(out)
    got = result.for_output("y")
    assert (got[f"{index}_conf"] > 0).all(), got           # never ± 0.000 ...
    if index == "S1":
        assert not (got["S1"].round(3) == 1.0).any(), got   # ... and never S1 = 1.000
    # what is not reliable at this size is flagged, and only that
    for p in ("x1", "x2", "x3"):
        value, conf = got.loc[p, index], got.loc[p, f"{index}_conf"]
        unreliable = 2 * conf > abs(value) or (index == "S1" and not 0 <= value <= 1)
        assert (("y", p, index) in result.flags) == unreliable, (p, value, conf)


def test_indices_outside_0_1_or_with_an_interval_wider_than_the_index_are_flagged():
    from experiments.sensitivity import check_indices
    tidy = pd.DataFrame([
        ("y", "a", "S1", 0.50, 0.10),     # fine
        ("y", "b", "S1", 1.20, 0.05),     # outside [0, 1]
        ("y", "c", "ST", -0.30, 0.10),    # outside [0, 1]
        ("y", "d", "S1", 0.30, 0.20),     # 2 x 0.20 = 0.40 wider than 0.30
        ("y", "e", "S2", -0.02, 0.30),    # both
        ("y", "f", "mu_star", 5.0, 1.0),  # Morris: in the output's unit, never "outside [0, 1]"
        ("y", "g", "mu_star", 1.0, 0.6),  # Morris: interval wider than mu*
        ("y", "h", "sigma", 2.0, float("nan")),
    ], columns=["output", "parameter", "index", "value", "conf"])
    flags, lines = check_indices(tidy, 0.95)
    assert set(flags) == {("y", p, i) for p, i in [("b", "S1"), ("c", "ST"), ("d", "S1"), ("e", "S2"),
                                                   ("g", "mu_star")]}
    assert len(lines) == 5 and all(line.startswith("y: ") for line in lines)
    assert "outside [0, 1]" in flags[("y", "b", "S1")] and "wider" not in flags[("y", "b", "S1")]
    assert "wider than the index" in flags[("y", "d", "S1")] and "outside" not in flags[("y", "d", "S1")]
    assert "outside [0, 1]" in flags[("y", "e", "S2")] and "wider than the index" in flags[("y", "e", "S2")]
    assert lines[2] == ("y: S1 of d = 0.3 ± 0.2: its 95% interval is wider than the index; it cannot be told apart "
                        "from 0 at this sample size")


@pytest.mark.slow
def test_plm_sensitivity_warns_once_per_unreliable_index_and_marks_it(tmp_path):
    import tomli_w
    design = tmp_path / "ish.toml"
    design.write_text(tomli_w.dumps(_ishigami("sobol", 64)))
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "experiments.cli", "sensitivity", str(design), "--out", str(out),
                        "--workers", "0", "--quiet", "--no-plot"], cwd=ROOT, env=ENV, capture_output=True, text=True,
                       timeout=240)
    assert r.returncode == 0, r.stderr
    result = analyse(out)
    warnings = [line for line in r.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings and len(warnings) == len(result.flags) == len(result.warnings)
    assert ("y", "x3", "S1") in result.flags      # true S1 of x3 is 0: not told apart from 0 at N = 64
    assert ("y", "x2", "S1") not in result.flags and ("y", "x2", "ST") not in result.flags  # the strongest
    rows = [line for line in r.stdout.splitlines() if line.startswith("│")]
    assert sum(row.count(" !") for row in rows) == len(result.flags) and "not reliable: see the warnings" in r.stdout
    csv = pd.read_csv(out / "sensitivity.csv", keep_default_na=False)
    assert sorted(csv.loc[csv["flag"] != "", "parameter"] + csv.loc[csv["flag"] != "", "index"]) == \
        sorted(p + i for _, p, i in result.flags)


def test_output_names_are_checked_when_the_design_is_loaded(tmp_path, capsys):
    from experiments.cli import main
    design = tmp_path / "model.toml"
    design.write_text('name = "m"\nmethod = "sobol"\nsamples = 64\nmonths = 6\n[set]\nscale = 8.0\n[parameters]\n'
                      '"economy.tightness" = { min = 0.7, max = 1.3 }\n"stigma.weight" = { min = 0.1, max = 0.8 }\n'
                      '[outputs.summary]\ninclusion_rate = ["final"]\nmunicipal_net_cost = ["total"]\n')
    out = tmp_path / "never"
    for args, needle in [(["--output", "nope"], "--output = 'nope': not an output of this design"),
                         (["--output", "displacement"], "--output = 'displacement'"),
                         (["--output", "inclusion_rate_mean"], "did you mean 'inclusion_rate_final'")]:
        assert main(["sensitivity", str(design), "--out", str(out), "--workers", "0", *args]) == 2
        err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert len(err) == 1 and needle in err[0], err
        assert "allowed: inclusion_rate_final, municipal_net_cost_total or inclusion, net_cost, cost" in err[0], err
        assert not out.exists()   # refused before any run
    # the design's own [sensitivity] outputs are checked by plm sweep as well
    bad = tmp_path / "bad.toml"
    bad.write_text(design.read_text() + '[sensitivity]\noutputs = ["throughput_rate_mean"]\n')
    for command in ("sweep", "sensitivity"):
        assert main([command, str(bad), "--out", str(out), "--workers", "0"]) == 2
        err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert len(err) == 1 and "sensitivity.outputs = 'throughput_rate_mean': not an output" in err[0], err
        assert not out.exists()
    # without [sensitivity], the headline outputs the design keeps
    from experiments.design import load_design
    assert load_design(design).sensitivity.outputs == ["inclusion_rate_final", "municipal_net_cost_total"]
