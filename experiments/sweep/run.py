"""One run of a sweep, on a worker: the model (or a design's function) with a point's parameters and a seed,
returned as a record; a failing model is data (`status = failed`, the error in one line), never an exception.
"""

from __future__ import annotations

import os
import socket
import time
import traceback as tb_module
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from abm.scenario import load
from experiments.design import (
    resolve_callable,
    run_overrides,
    summarise,
)


def _context(payload: dict[str, Any]) -> dict[str, Any]:
    """The sweep's context as a Dask task: the scheduler keeps it once, workers fetch it once."""
    return payload


def warm_up(context: dict[str, Any]) -> str:
    """Import the model on a worker and run one tiny month, so that the first real run is not slowed by imports
    and by loading compiled kernels; returns the worker's model version (checked against the sweep's)."""
    version = model_version_here(context)
    if context["model"] == "plm" and context.get("base"):
        try:
            from abm.model import LabourMarketModel
            tiny = load(context["base"], {"months": 1,
                                          "scale": min(100_000.0, 50.0 * float(context["base"]["scale"]))})
            LabourMarketModel(tiny, seed=1, agent_views=False).run()
        except Exception:  # noqa: BLE001 - only a warm-up: the real runs report their own errors
            pass
    elif context["model"] != "plm":
        resolve_callable(context["model"])
    return version


def _one_core_per_run() -> None:
    """On a Dask worker a run uses one core: the cluster has one single-threaded worker process per core, so
    the model's parallel kernels (numba prange) would only compete with the other workers for the same cores.
    The number is set for the thread that runs the task (numba's setting is per thread); output does not
    depend on it (the kernels sum over fixed chunks)."""
    try:
        from distributed import get_worker
        get_worker()
    except (ImportError, ValueError):
        return  # this process (workers = 0): the run may use every core
    try:
        import numba
        numba.set_num_threads(1)
    except (ImportError, ValueError):  # pragma: no cover - numba is a dependency
        pass


def _worker_name() -> str:
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return f"{socket.gethostname()}:{os.getpid()}"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    msg = f"{type(exc).__name__}: {text[0] if text else ''}".strip().rstrip(":")
    frames = tb_module.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    if frames:
        last = frames[-1]
        msg += f" (at {Path(last.filename).name}:{last.lineno})"
    return msg


def model_version_here(context: dict[str, Any]) -> str:
    if context["model"] == "plm":
        from abm import __version__
        return f"plm {__version__}"
    return context["model_version"]


def _simulate(context: dict[str, Any], params: dict[str, Any], seed: int):
    """(outputs, timeseries or None, results per municipality or None) of one run."""
    summary = context["outputs"]["summary"]
    keep_ts = context["outputs"]["timeseries"]
    if context["model"] == "plm":
        from abm import by_municipality
        from abm.model import LabourMarketModel

        keep_bm = context["outputs"].get("by_municipality", False)
        scenario = load(context["scenario"], run_overrides(context, params))
        model = LabourMarketModel(scenario, seed=int(seed), agent_views=False,
                                  mechanisms=[by_municipality.MECHANISM] if keep_bm else [])
        model.run()
        ts = model.timeseries()
        return summarise(ts, summary), (ts if keep_ts else None), (by_municipality.frame(model) if keep_bm else None)
    import pandas as pd

    fn = resolve_callable(context["model"])
    result = fn({**(context["set"] or {}), **params}, int(seed), context["months"])
    if isinstance(result, pd.DataFrame):
        return summarise(result, summary), (result if keep_ts else None), None
    if isinstance(result, dict):
        return {str(k): float(v) for k, v in result.items()}, None, None
    raise TypeError(f"{context['model']} returned {type(result).__name__}; allowed: a dict of numbers or a DataFrame")


def execute_run(context: dict[str, Any], run_id: str, params: dict[str, Any], seed: int) -> dict[str, Any]:
    """Run one point with one seed; never raises for a failing model: the record says `failed` and why."""
    t0 = time.perf_counter()
    record: dict[str, Any] = {"run_id": run_id, "status": "ok", "seed": int(seed), **params}
    ts = bm = None
    try:
        _one_core_per_run()
        here = model_version_here(context)
        if here != context["model_version"]:
            raise RuntimeError(f"this worker has {here}, the sweep expects {context['model_version']}; allowed: "
                               "workers started from the same code")
        outputs, ts, bm = _simulate(context, params, seed)
        record.update(outputs)
        record["error"] = ""
        record["traceback"] = ""
    except Exception as exc:  # noqa: BLE001 - a failing run is data, the sweep goes on
        record["status"] = "failed"
        record["error"] = _one_line(exc)
        record["traceback"] = "".join(tb_module.format_exception(exc))[-8000:]
    record["wall_seconds"] = time.perf_counter() - t0
    record["worker"] = _worker_name()
    record["finished_utc"] = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    record["model_version"] = context["model_version"]
    return {"record": record, "timeseries": ts, "by_municipality": bm}
