"""The sweep's provenance in `manifest.json`: design, code version, git revision, environment, the base
policies, and one session per `plm sweep` with its timing and status.
"""

from __future__ import annotations

import os
import platform
import socket
import sys
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from typing import TYPE_CHECKING, Any

import numpy as np

from abm.scenario import load
from experiments.design import (
    Plan,
)
from experiments.sweep.store import SweepStore, _now

if TYPE_CHECKING:
    from experiments.sweep.runner import SweepResult

FORMAT = 1


ENV_PACKAGES = ("parallel-labour-market", "mesa", "numpy", "numba", "pandas", "pyarrow", "pydantic", "dask",
                "distributed", "salib", "scipy")


def environment() -> dict[str, Any]:
    packages = {}
    for name in ENV_PACKAGES:
        try:
            packages[name] = dist_version(name)
        except PackageNotFoundError:
            pass
    return {"python": platform.python_version(), "platform": platform.platform(), "host": socket.gethostname(),
            "cpus": os.cpu_count(), "packages": packages}


def _git_revision() -> str | None:
    try:
        from experiments.runner import git_revision
        return git_revision()
    except Exception:  # noqa: BLE001 - the manifest just says None
        return None


def _package_version() -> str:
    from abm import __version__
    return __version__


def _manifest_start(plan: Plan, manifest: dict | None, started: str, command: str | None, executor) -> dict:
    design = plan.design
    sessions = list((manifest or {}).get("sessions", []))
    for s in sessions:
        if s.get("status") == "running":
            s["status"] = "killed"  # we hold the folder's lock: that process is gone
    sessions.append({"started_utc": started, "status": "running", "command": command or " ".join(sys.argv),
                     "scheduler": executor.description if executor else "none (nothing to run)",
                     "workers": executor.n_workers if executor else 0, "host": socket.gethostname(),
                     "pid": os.getpid(), "overrides": design.overrides})
    text = design._text
    return {
        "kind": "plm sweep",
        "format": FORMAT,
        "design_name": design.name,
        "design_file": design.origin if design._folder is None else
        (manifest or {}).get("design_file") or str(design._folder),  # resumed from a folder: where it came from
        "design_dir": str(design._base_dir) if design._base_dir is not None else None,
        "design_sha256": (manifest or {}).get("design_sha256") if design._folder is not None else
        __import__("hashlib").sha256(text.encode()).hexdigest() if text else None,
        "design": design.resolved_dict(),
        "overrides": _overrides(design, manifest),
        "method": design.method,
        "context_hash": plan.context_hash,
        "model": plan.context["model"],
        "model_version": plan.context["model_version"],
        "package_version": _package_version(),
        "git_revision": _git_revision(),
        "parameters": plan.kinds,
        "notes": design.notes,
        "base_policies": _base_policies(plan),
        "outputs": plan.context["output_columns"],
        "timeseries": plan.context["outputs"]["timeseries"],
        "by_municipality": plan.context["outputs"].get("by_municipality", False),
        "files": {"runs": "runs.parquet", "run_records": "runs/", "design": "design.parquet",
                  "timeseries": "timeseries/" if plan.context["outputs"]["timeseries"] else None,
                  "by_municipality": "by_municipality/" if plan.context["outputs"].get("by_municipality") else None},
        "environment": environment(),
        "status": "running",
        "runs": {"planned": len(plan.runs), "design_rows": len(plan.table)},
        "created_utc": (manifest or {}).get("created_utc", started),
        "sessions": sessions,
    }


def _overrides(design, manifest: dict | None) -> dict[str, Any]:
    """The command line's overrides of the design file, over every session: a sweep resumed from its folder
    (whose design already holds the earlier ones) adds this session's to them."""
    before = dict((manifest or {}).get("overrides") or {})
    now = design.overrides
    if design._folder is None:  # the design file as given, with this session's overrides
        return now
    merged = {**before, **now}
    sets = {**(before.get("set") or {}), **(now.get("set") or {})}
    if sets:
        merged["set"] = sets
    return merged


def _base_policies(plan: Plan) -> dict[str, dict[str, Any]] | None:
    """Every municipality's policy at month 0 in the base scenario with the design's [set] (before the varied
    parameters, whose values are in each run's record)."""
    if plan.context.get("base") is None:
        return None
    return load(plan.context["base"]).resolved_policies(0)


def _finish(plan: Plan, store: SweepStore, manifest: dict, result: SweepResult) -> None:
    table = store.consolidate(force=True)
    wanted = {r.run_id for r in plan.runs}
    st = dict(zip(table.column("run_id").to_pylist(), table.column("status").to_pylist())) if table.num_rows else {}
    result.ok = sum(1 for rid, s in st.items() if rid in wanted and s == "ok")
    result.failed = sum(1 for rid, s in st.items() if rid in wanted and s == "failed")
    if result.status == "running":
        result.status = "failed"  # an unexpected error; it goes on to the caller
    elif result.status == "complete" and result.failed:
        result.status = "complete with failures"
    session = manifest["sessions"][-1]
    session.update({"finished_utc": _now(), "status": result.status, "ran": result.ran,
                    "wall_seconds": round(result.wall_seconds, 3),
                    "startup_seconds": round(result.startup_seconds, 3),
                    "run_seconds": round(result.run_seconds, 3), "write_seconds": round(result.write_seconds, 3)})
    wall_all = [s.get("wall_seconds", 0.0) for s in manifest["sessions"]]
    runs_all = table.column("wall_seconds").to_numpy(zero_copy_only=False) if "wall_seconds" in \
        table.column_names and table.num_rows else np.zeros(0)
    manifest["status"] = result.status
    manifest["runs"] = {"planned": len(plan.runs), "design_rows": len(plan.table), "ok": result.ok,
                        "failed": result.failed, "missing": len(plan.runs) - result.ok - result.failed}
    manifest["timing"] = {"wall_seconds": round(float(sum(wall_all)), 3),
                          "run_seconds": round(float(np.nansum(runs_all)), 3),
                          "median_run_seconds": round(float(np.nanmedian(runs_all)), 4) if runs_all.size else None}
    manifest["updated_utc"] = _now()
    store.write_manifest(manifest)
