"""A sweep on an existing Dask cluster: a scheduler and a worker started as separate processes on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from experiments.sweep import load_sweep

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = [pytest.mark.timeout(300), pytest.mark.slow]


def _spawn(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env=ENV, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


@pytest.fixture
def dask_cluster(tmp_path):
    """(address, worker name) of a scheduler and one single-threaded worker on 127.0.0.1 (torn down after)."""
    dask = str(BIN / "dask")
    info = tmp_path / "scheduler.json"
    scheduler = _spawn([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                        "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(info)],
                       tmp_path / "scheduler.log")
    procs = [scheduler]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            assert scheduler.poll() is None, (tmp_path / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        worker = _spawn([dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                         "--no-dashboard", "--name", "external-1"], tmp_path / "worker.log")
        procs.append(worker)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


def test_sweep_runs_on_an_existing_cluster_by_address(dask_cluster, tmp_path):
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "experiments.cli", "sweep", "smoke", "--scheduler", dask_cluster,
                        "--out", str(out)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    assert f"running on Dask scheduler {dask_cluster}" in r.stderr
    runs = load_sweep(out)
    assert len(runs) == 8 and runs["run_id"].is_unique and (runs["status"] == "ok").all()
    # every run was done by the external worker process, none by this machine's default local cluster
    assert runs["worker"].nunique() == 1 and runs["worker"].iloc[0].startswith("tcp://127.0.0.1:")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][0]["scheduler"] == f"Dask scheduler {dask_cluster}"
    # the same results as on a local cluster: a run depends on its parameters and seed only
    local = tmp_path / "local"
    r2 = subprocess.run([sys.executable, "-m", "experiments.cli", "sweep", "smoke", "--workers", "0", "--out",
                         str(local)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=240)
    assert r2.returncode == 0, r2.stderr
    cols = [c for c in runs.columns if c.endswith(("_final", "_mean", "_total", "_last12"))]
    a = runs.set_index("run_id")[cols].sort_index()
    b = load_sweep(local).set_index("run_id")[cols].sort_index()
    assert a.equals(b)


def test_an_unreachable_scheduler_is_one_line_exit_2_and_nothing_written(tmp_path):
    out = tmp_path / "never"
    r = subprocess.run([sys.executable, "-m", "experiments.cli", "sweep", "smoke", "--scheduler",
                        "tcp://127.0.0.1:9", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                       env={**ENV, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
                       timeout=120)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2 and len(lines) == 1 and "cannot connect" in lines[0], r.stderr
    assert not out.exists()
