"""Research workflow v2 (issue 12 §2, §3, §5): designs sized from the command line, resuming from a folder, the
dry run's points and ranges, seed guidance from pilot runs, the "no effect" report and CSV export.

Small designs: a test function (`tests.sweep_helpers:effects`) where an effect is known, or the model on a few
months at a small scale.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.design import load_design, make_plan
from experiments.sweep import load_sweep, run_sweep
from experiments.sweep.export import export_csv
from experiments.sweep.noeffect import no_effect_report
from experiments.sweep.pilot import centre_point, half_width, pilot, seeds_needed

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
PLM_SCRIPT = Path(sys.executable).parent / "plm"
PLM = [str(PLM_SCRIPT)] if PLM_SCRIPT.exists() else [sys.executable, "-m", "experiments.cli"]

pytestmark = pytest.mark.timeout(300)

EFFECTS = """
name = "effects"
function = "tests.sweep_helpers:effects"
method = "grid"
seeds = 6
[parameters]
a = { levels = [0.0, 1.0] }
b = { levels = [0, 5] }
c = { levels = [0.0, 1.0] }
"""

SMALL_MODEL = """
name = "small"
scenario = "default"
method = "grid"
seeds = 2
months = 2
[set]
scale = 16.0
[parameters]
"municipalities.Stad.policy.basisbaan_slots" = { levels = [200, 500] }
[outputs.summary]
inclusion_rate = ["final"]
n_basisbaan = ["final"]
"""


def plm(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*PLM, *args], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=240)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def write(tmp_path: Path, text: str, name: str = "d.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --- §3 overrides ---------------------------------------------------------------------------------------------

def test_overrides_change_the_design_and_are_recorded_in_the_manifest(tmp_path):
    design = load_design(write(tmp_path, EFFECTS), allow_code=True, overrides={"seeds": 3, "set": {"extra": 1}})
    assert design.seed_list == [1, 2, 3] and design.set == {"extra": 1}
    run_sweep(design, tmp_path / "out", workers=0, allow_code=True)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["overrides"] == {"seeds": 3, "set": {"extra": 1}}
    assert manifest["design"]["seeds"] == 3 and manifest["runs"]["planned"] == 2 * 2 * 2 * 3


def test_model_overrides_run_what_the_same_design_file_would(tmp_path):
    given = load_design(write(tmp_path, SMALL_MODEL), overrides={"months": 1, "seeds": 1, "set": {"scale": 32.0}})
    edited = load_design(write(tmp_path, SMALL_MODEL.replace("seeds = 2\nmonths = 2", "seeds = 1\nmonths = 1")
                               .replace("scale = 16.0", "scale = 32.0"), "e.toml"))
    a, b = make_plan(given), make_plan(edited)
    assert a.context_hash == b.context_hash and [r.run_id for r in a.runs] == [r.run_id for r in b.runs]


@pytest.mark.parametrize("args, words", [
    (["--months", "0"], ["--months 0", "months = 0"]),
    (["--seeds", "0"], ["seeds = 0", "allowed"]),
    (["--samples", "5"], ["samples = 5", "grid"]),
    (["--set", "economy.tightnes=1.0"], ["economy.tightnes", "tightness"]),
    (["--set", "scale=-1.0"], ["scale = -1.0", ">= 1.0"]),
    (["--set", "economy.tightness=1.0"], ["--set economy.tightness", "varies this key"]),
    (["--set", "scale=true"], ["scale", "number"]),
])
def test_a_bad_override_is_one_line_exit_2_and_nothing_written(tmp_path, args, words):
    out = tmp_path / "out"
    r = plm("sweep", "smoke", "--out", str(out), "--workers", "0", *args)
    err = lines(r.stderr)
    assert r.returncode == 2 and len(err) == 1, r.stderr
    assert all(w in err[0] for w in words), err[0]
    assert not out.exists()


# --- §3 resuming from the folder --------------------------------------------------------------------------------

def test_plm_sweep_folder_resumes_the_design_stored_there(tmp_path):
    design_file = write(tmp_path, EFFECTS)
    out = tmp_path / "out"
    run_sweep(design_file, out, workers=0, allow_code=True, overrides={"seeds": 2})
    for f in sorted((out / "runs").iterdir())[:3]:
        f.unlink()  # an interrupted sweep
    design_file.unlink()  # the design file is gone: the folder holds what ran
    r = plm("sweep", str(out), "--workers", "0", "--allow-code", "-q")
    assert r.returncode == 0, r.stderr
    runs = load_sweep(out)
    assert len(runs) == 2 * 2 * 2 * 2 and (runs["status"] == "ok").all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["ran"] == 3 and manifest["overrides"] == {"seeds": 2}
    more = run_sweep(out, workers=0, allow_code=True, overrides={"seeds": 3})  # the folder, with one seed more
    assert (more.ran, more.skipped, more.planned) == (8, 16, 24) and more.out == out
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["overrides"] == {"seeds": 3} and manifest["sessions"][-1]["overrides"] == {"seeds": 3}


def test_a_folder_that_is_not_a_sweep_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    r = plm("sweep", str(tmp_path), "--workers", "0")
    err = lines(r.stderr)
    assert r.returncode == 2 and len(err) == 1 and "not a sweep folder" in err[0], r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# --- §3 the dry run -----------------------------------------------------------------------------------------------

def test_dry_run_says_duplicate_morris_points_were_removed_and_prints_whole_number_ranges(tmp_path):
    design = write(tmp_path, """
name = "dups"
function = "tests.sweep_helpers:linear"
method = "morris"
samples = 4
levels = 4
[parameters]
x = { min = 0, max = 2, integer = true }
y = { min = 0.0, max = 1.0 }
""")
    plan = make_plan(load_design(design, allow_code=True))
    assert len(plan.runs) < len(plan.table)  # rounding x makes some points repeat
    r = plm("sweep", str(design), "--dry-run", "--allow-code", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    removed = len(plan.table) - len(plan.runs)
    assert f"{removed} duplicate points removed" in r.stdout
    assert f"{len(plan.runs)} points × 1 seeds = {len(plan.runs)} runs" in r.stdout
    assert "│ 0 .. 2 " in r.stdout and "0.0 .. 2.0" not in r.stdout
    assert not (tmp_path / "out").exists()


def test_seeds_needed_is_the_smallest_count_that_reaches_the_precision():
    for sd, target in [(1.0, 0.5), (0.3, 0.01), (2.0, 3.0)]:
        n = seeds_needed(sd, target)
        assert half_width(sd, n) <= target
        assert n == 2 or half_width(sd, n - 1) > target
    assert seeds_needed(0.0, 0.1) == 2 and seeds_needed(1.0, 0.0) is None


def test_the_pilot_estimates_the_seed_spread_at_the_centre_point(tmp_path):
    design = load_design(write(tmp_path, EFFECTS), allow_code=True)
    assert centre_point(design) == {"a": 0.0, "b": 0, "c": 0.0}
    seen = []
    noise = pilot(design, 5, 0.05, progress=lambda done, total: seen.append(done))
    assert seen == [0, 1, 2, 3, 4, 5]
    from tests.sweep_helpers import effects
    ys = [effects(centre_point(design), s, None)["y"] for s in range(1, 6)]
    (y,) = noise
    assert y.output == "y" and y.mean == pytest.approx(sum(ys) / 5)
    assert y.sd == pytest.approx(pd.Series(ys).std(ddof=1))
    assert y.half_width == pytest.approx(half_width(y.sd, 6))
    assert y.seeds_needed == seeds_needed(y.sd, 0.05 * abs(y.mean))


def test_dry_run_with_a_pilot_prints_the_noise_and_writes_nothing(tmp_path):
    r = plm("sweep", str(write(tmp_path, EFFECTS)), "--dry-run", "--pilot", "3", "--allow-code",
            "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert "pilot: 3/3 runs" in r.stderr and "seed noise from 3 pilot runs" in r.stdout
    assert "3 pilot runs were run, nothing was written" in r.stdout
    assert not (tmp_path / "out").exists()
    r = plm("sweep", str(write(tmp_path, EFFECTS)), "--dry-run", "--pilot", "1", "--allow-code")
    assert r.returncode == 2 and lines(r.stderr) == ["error: --pilot = 1: allowed: 2 to 50 seeds (0 for none)"]
    r = plm("sweep", str(write(tmp_path, EFFECTS)), "--dry-run", "--precision", "0.05", "--allow-code")
    assert r.returncode == 2
    assert lines(r.stderr) == ["error: --precision = 0.05: allowed: only with --dry-run --pilot K"]


# --- §2 the no-effect report ------------------------------------------------------------------------------------

def test_no_effect_report_finds_identical_and_within_noise_parameters(tmp_path):
    run_sweep(write(tmp_path, EFFECTS), tmp_path / "out", workers=0, allow_code=True)
    verdicts = {r.parameter: r.verdict for r in no_effect_report(tmp_path / "out")}
    assert verdicts == {"a": "effect", "b": "identical", "c": "no effect found"}
    r = plm("no-effect", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    out = lines(r.stdout)
    assert out[1].startswith("  identical: b:") and out[2].startswith("  no effect found: c:")
    assert out[3].startswith("  effect: a: moves y")


def test_no_effect_report_on_a_sobol_design_uses_the_pairs_that_differ_in_one_parameter(tmp_path):
    sobol = """
name = "effects_sobol"
function = "tests.sweep_helpers:effects"
method = "sobol"
samples = 8
seeds = 2
[parameters]
a = { min = 0.0, max = 1.0 }
b = { min = 0.0, max = 5.0 }
"""
    run_sweep(write(tmp_path, sobol), tmp_path / "out", workers=0, allow_code=True)
    reports = {r.parameter: r for r in no_effect_report(tmp_path / "out")}
    assert reports["b"].verdict == "identical" and reports["a"].verdict == "effect"
    (lp,) = reports["a"].levels
    # y = 10 a + noise of the seed: the change over a's whole range is 10 in every pair (elementary effect)
    assert lp.differences["y"].mean == pytest.approx(10.0) and lp.differences["y"].seeds == 2


def test_no_effect_report_ends_every_sweep_and_finds_capped_basisbaan_levels(tmp_path):
    """Issue 12's example: basisbaan places of 200 and 500 give identical runs (recruitment caps the programme)."""
    r = plm("sweep", str(write(tmp_path, SMALL_MODEL)), "--workers", "0", "--out", str(tmp_path / "out"), "-q")
    assert r.returncode == 0, r.stderr
    assert "identical: municipalities.Stad.policy.basisbaan_slots: every output the same" in r.stdout


def test_a_latin_hypercube_is_not_assessed(tmp_path):
    design = write(tmp_path, """
name = "lhs"
function = "tests.sweep_helpers:linear"
method = "lhs"
samples = 6
seeds = 2
[parameters]
x = { min = 0.0, max = 1.0 }
z = { min = 0.0, max = 1.0 }
""")
    run_sweep(design, tmp_path / "out", workers=0, allow_code=True)
    assert [r.verdict for r in no_effect_report(tmp_path / "out")] == ["not assessed", "not assessed"]


def test_no_effect_refuses_what_is_not_a_sweep_or_not_an_output(tmp_path):
    r = plm("no-effect", str(tmp_path))
    assert r.returncode == 2 and "not a sweep folder" in lines(r.stderr)[0]
    run_sweep(write(tmp_path, SMALL_MODEL), tmp_path / "out", workers=0)
    r = plm("no-effect", str(tmp_path / "out"), "--output", "nope")
    assert r.returncode == 2 and len(lines(r.stderr)) == 1 and "allowed: inclusion_rate_final" in r.stderr


# --- §5 export ---------------------------------------------------------------------------------------------------

def test_export_csv_writes_copies_of_the_parquet_tables(tmp_path):
    design = write(tmp_path, SMALL_MODEL.replace("[outputs.summary]", "[outputs]\ntimeseries = true\n"
                                                                        "[outputs.summary]"))
    run_sweep(design, tmp_path / "out", workers=0)
    r = plm("export", str(tmp_path / "out"), "--csv")
    assert r.returncode == 0, r.stderr
    runs = pd.read_csv(tmp_path / "out" / "runs.csv")
    assert runs["run_id"].tolist() == load_sweep(tmp_path / "out")["run_id"].tolist()
    ts = pd.read_csv(tmp_path / "out" / "timeseries.csv")
    assert len(ts) == 4 * 3 and {"run_id", "seed", "month", "inclusion_rate"} <= set(ts.columns)
    assert len(pd.read_csv(tmp_path / "out" / "design.csv")) == 4


def test_an_export_that_fails_leaves_no_csv_behind(tmp_path, monkeypatch):
    run_sweep(write(tmp_path, EFFECTS), tmp_path / "out", workers=0, allow_code=True)
    calls = []
    real = pd.DataFrame.to_csv

    def failing(self, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(self, path, *args, **kwargs)
    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    with pytest.raises(OSError, match="disk full"):
        export_csv(tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir() if "csv" in p.name] == []


def test_export_refuses_without_a_format_or_a_sweep(tmp_path):
    r = plm("export", str(tmp_path), "--csv")
    assert r.returncode == 2 and "not a sweep folder" in lines(r.stderr)[0]
    run_sweep(write(tmp_path, EFFECTS), tmp_path / "out", workers=0, allow_code=True)
    r = plm("export", str(tmp_path / "out"))
    assert r.returncode == 2 and lines(r.stderr) == ["error: plm export: a format is needed; allowed: --csv"]


