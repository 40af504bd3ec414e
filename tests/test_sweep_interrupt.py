"""Interrupted sweeps: Ctrl-C, SIGTERM, SIGKILL of `plm sweep`, and dying workers.

After any interruption every file in the folder is whole, a rerun of the same command runs only what is
missing, and the result is exactly the design's set of runs, each once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from experiments.sweep import load_sweep, run_sweep
from tests.bad_inputs import ctrl_c_as_in_a_terminal

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = [pytest.mark.timeout(300), pytest.mark.slow]

# 24 runs of about 0.3 s each on two workers: long enough to be interrupted after the first few.
DESIGN = """
name = "interrupt"
scenario = "default"
method = "grid"
seeds = 4
months = 36
[set]
scale = 4.0
[parameters]
"economy.tightness" = { levels = [0.8, 1.0, 1.2] }
"policy.additionality_test" = { levels = [0.2, 0.8] }
"""
TOTAL = 24


def _start(design: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "experiments.cli", "sweep", str(design), "--out", str(out),
                             "--workers", "2"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, preexec_fn=ctrl_c_as_in_a_terminal)


def _run_files(out: Path) -> list[Path]:
    d = out / "runs"
    return sorted(p for p in d.iterdir() if p.suffix == ".parquet") if d.is_dir() else []


def _wait_for_runs(proc: subprocess.Popen, out: Path, n: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(_run_files(out)) < n:
        assert proc.poll() is None, f"sweep ended before it was interrupted: {proc.stderr.read()}"
        assert time.monotonic() < deadline, "no runs finished in time"
        time.sleep(0.05)


def _cleanup(procs: list[psutil.Process]) -> list[int]:
    """Wait for the given processes to end; kill (and report) any that are still there after 30 s."""
    _, alive = psutil.wait_procs(procs, timeout=30)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    return [p.pid for p in alive]


@pytest.mark.parametrize("how", ["ctrl-c", "sigkill"])
def test_interrupted_sweep_resumes_to_exactly_the_full_set(tmp_path, how):
    design = tmp_path / "interrupt.toml"
    design.write_text(DESIGN)
    out = tmp_path / "out"
    proc = _start(design, out)
    children: list[psutil.Process] = []
    try:
        _wait_for_runs(proc, out, 3)
        children = psutil.Process(proc.pid).children(recursive=True)
        if how == "ctrl-c":  # the terminal sends SIGINT to the whole foreground process group
            os.killpg(proc.pid, signal.SIGINT)
        else:  # the sweep process dies on the spot; its workers are left behind
            proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        leftover = _cleanup(children)
    assert not leftover, f"worker processes outlived the sweep: {leftover}"
    if how == "sigkill":
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 130, err
        assert "interrupted:" in err and "run the same command again" in err and "Traceback" not in err, err
    done_before = _run_files(out)
    assert 3 <= len(done_before) < TOTAL, "the sweep was not interrupted mid-way: make the design longer"
    for f in done_before:  # every file there is whole
        assert pq.read_table(f).num_rows == 1
    assert not [p for p in (out / "runs").iterdir() if p.suffix != ".parquet" and not p.name.startswith(".")]
    before = {p.name: p.stat().st_mtime_ns for p in done_before}
    manifest = json.loads((out / "manifest.json").read_text())
    if how != "sigkill":
        assert manifest["status"] == "interrupted" and manifest["runs"]["ok"] == len(done_before)
        assert pq.read_table(out / "runs.parquet").num_rows == len(done_before)

    again = subprocess.run([sys.executable, "-m", "experiments.cli", "sweep", str(design), "--out", str(out),
                            "--workers", "2"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr
    assert f"resuming: {len(done_before)} of {TOTAL} runs already" in again.stderr
    runs = load_sweep(out)
    design_rows = pq.read_table(out / "design.parquet").to_pandas()
    assert len(runs) == TOTAL and runs["run_id"].is_unique and set(runs["run_id"]) == set(design_rows["run_id"])
    assert (runs["status"] == "ok").all()
    assert len(_run_files(out)) == TOTAL
    after = {p.name: p.stat().st_mtime_ns for p in _run_files(out)}
    assert all(after[name] == mtime for name, mtime in before.items()), "finished runs were run again"
    manifest = json.loads((out / "manifest.json").read_text())
    sessions = manifest["sessions"]
    assert manifest["status"] == "complete" and sessions[-1]["ran"] == TOTAL - len(done_before)
    assert sessions[0]["status"] == ("killed" if how == "sigkill" else "interrupted")


def test_sigterm_stops_the_sweep_like_ctrl_c(tmp_path):
    # what a batch system does to a job it stops (scancel, a pod's eviction): the finished runs are kept
    design = {"name": "term", "function": "tests.sweep_helpers:sigterm_at", "method": "grid",
              "set": {"stop": 3}, "parameters": {"x": {"levels": [1, 2, 3, 4, 5]}}}
    previous = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(design, tmp_path / "out", workers=0, allow_code=True)
    assert signal.getsignal(signal.SIGTERM) is previous
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["runs"]["ok"] == 2
    assert sorted(load_sweep(tmp_path / "out")["x"]) == [1, 2]
    res = run_sweep(design | {"set": {"stop": 99}}, tmp_path / "out2", workers=0, allow_code=True)
    assert res.ok == 5


def _function_design(fn: str, marker_dir: Path) -> dict:
    return {"name": "die", "function": f"tests.sweep_helpers:{fn}", "method": "grid", "seeds": 2,
            "set": {"marker_dir": str(marker_dir), "die": 3, "sleep": 0.05},
            "parameters": {"x": {"levels": [1, 2, 3, 4, 5]}}}


def test_a_lost_worker_has_its_runs_retried(tmp_path):
    # the first time x = 3 runs, its worker process exits on the spot (as after an out-of-memory kill)
    markers = tmp_path / "markers"
    markers.mkdir()
    res = run_sweep(_function_design("die_once", markers), tmp_path / "out", workers=2, allow_code=True)
    assert sorted(p.name for p in markers.iterdir()) == ["died-x3-s1", "died-x3-s2"]  # two workers died
    assert (res.ok, res.failed, res.status) == (10, 0, "complete")
    runs = load_sweep(tmp_path / "out")
    assert len(runs) == 10 and runs["run_id"].is_unique and (runs["y"] == 2 * runs["x"] + runs["seed"]).all()


def test_a_run_that_always_kills_its_worker_is_recorded_failed_and_the_sweep_ends(tmp_path):
    design = _function_design("always_die", tmp_path)
    design["seeds"] = 1
    t0 = time.monotonic()
    res = run_sweep(design, tmp_path / "out", workers=2, allow_code=True)
    assert time.monotonic() - t0 < 120
    assert (res.ok, res.failed) == (4, 1)
    runs = load_sweep(tmp_path / "out").set_index("x")
    assert runs.loc[3, "status"] == "failed" and runs.loc[3, "error"].startswith("KilledWorker")
