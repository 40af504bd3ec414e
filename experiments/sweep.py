"""Parameter sweeps on Dask, resumable (ARCHITECTURE.md §Sweeps, §Outputs).

`run_sweep(design, out)` runs every point × seed of a design (`experiments.design`) on a Dask cluster: by
default a local cluster with one single-threaded worker process per core, or any running cluster by address
(`scheduler="tcp://host:8786"`). `workers=0` runs in this process without Dask (for debugging).

The sweep folder:

    manifest.json        design, code version, environment, sessions and timing
    design.toml          the design as given;  scenario.toml: the base scenario as resolved (for reference)
    design.parquet       one row per design point × seed: point, seed, run_id, parameter values
    runs/<run_id>.parquet  one record per run, written as soon as the run finishes
    runs.parquet         all records in one table (rebuilt when a sweep ends and by `load_sweep`)
    timeseries/run_id=<run_id>/part-0.parquet   the monthly time series, if the design keeps it

A record holds `run_id`, `status` (`ok` or `failed`), `seed`, the parameter values, the summary outputs
(`METRIC_STATISTIC`), `wall_seconds`, `worker`, `finished_utc`, `model_version`, and for a failed run its
`error` (one line) and `traceback`. `run_id` is a hash of the parameters, the seed and the sweep's context
(base scenario as resolved, months, outputs, model version), so running the same design again into the same
folder runs only what is missing; a failed run stays failed unless `retry_failed`. Every file is written to
a hidden temporary name and renamed into place, so an interrupted sweep (Ctrl-C, SIGTERM, SIGKILL, a lost
worker or scheduler) loses at most the runs in flight and never leaves a half-written file. Dask retries the
runs of a worker that dies on another worker; a run that kills its worker three times is recorded as failed.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import platform
import signal
import socket
import sys
import threading
import time
import traceback as tb_module
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from abm.scenario import ScenarioError, load
from experiments.design import (
    Design,
    Plan,
    RunSpec,
    load_design,
    make_plan,
    resolve_callable,
    run_overrides,
    summarise,
)

FORMAT = 1
DEFAULT_ROOT = Path("runs") / "sweeps"
META_COLUMNS = ("wall_seconds", "worker", "finished_utc", "model_version", "error", "traceback")
ENV_PACKAGES = ("parallel-labour-market", "mesa", "numpy", "numba", "pandas", "pyarrow", "pydantic", "dask",
                "distributed", "salib", "scipy")


class SweepError(ScenarioError):
    """Bad input for a sweep (folder, scheduler, workers): one line, exit code 2."""


class SweepStalled(RuntimeError):
    """The sweep cannot go on (no workers, scheduler lost); finished runs are kept."""


# --- the run, on a worker --------------------------------------------------------------------------------

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
    """(outputs, timeseries or None) of one run."""
    summary = context["outputs"]["summary"]
    keep_ts = context["outputs"]["timeseries"]
    if context["model"] == "plm":
        from abm.model import LabourMarketModel

        scenario = load(context["scenario"], run_overrides(context, params))
        model = LabourMarketModel(scenario, seed=int(seed), agent_views=False)
        model.run()
        ts = model.timeseries()
        return summarise(ts, summary), (ts if keep_ts else None)
    import pandas as pd

    fn = resolve_callable(context["model"])
    result = fn({**(context["set"] or {}), **params}, int(seed), context["months"])
    if isinstance(result, pd.DataFrame):
        return summarise(result, summary), (result if keep_ts else None)
    if isinstance(result, dict):
        return {str(k): float(v) for k, v in result.items()}, None
    raise TypeError(f"{context['model']} returned {type(result).__name__}; allowed: a dict of numbers or a DataFrame")


def execute_run(context: dict[str, Any], run_id: str, params: dict[str, Any], seed: int) -> dict[str, Any]:
    """Run one point with one seed; never raises for a failing model: the record says `failed` and why."""
    t0 = time.perf_counter()
    record: dict[str, Any] = {"run_id": run_id, "status": "ok", "seed": int(seed), **params}
    ts = None
    try:
        _one_core_per_run()
        here = model_version_here(context)
        if here != context["model_version"]:
            raise RuntimeError(f"this worker has {here}, the sweep expects {context['model_version']}; allowed: "
                               "workers started from the same code")
        outputs, ts = _simulate(context, params, seed)
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
    return {"record": record, "timeseries": ts}


# --- the folder ------------------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _atomic_write_table(path: Path, table: pa.Table) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_ARROW = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string()}


class SweepStore:
    """The files of one sweep folder; every write is atomic (temporary name, then rename)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.runs_dir = self.root / "runs"
        self.ts_dir = self.root / "timeseries"
        self.manifest_path = self.root / "manifest.json"
        self.consolidated = self.root / "runs.parquet"
        self.design_table = self.root / "design.parquet"
        self.write_seconds = 0.0
        self._lock_fd: int | None = None
        self._made: list[Path] = []
        self._schema_cache: dict[tuple, pa.Schema] = {}

    # reading
    def is_sweep(self) -> bool:
        return self.manifest_path.is_file()

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def run_files(self) -> list[os.DirEntry]:
        try:
            with os.scandir(self.runs_dir) as it:
                return [e for e in it if e.name.endswith(".parquet") and not e.name.startswith(".")]
        except FileNotFoundError:
            return []

    def check(self, plan: Plan) -> None:
        """Refuse a folder that is not empty and not a sweep of this design's context (nothing is written)."""
        root = self.root
        if root.exists() and not root.is_dir():
            raise SweepError(f"out = {str(root)!r}: is a file; allowed: a new folder or a folder of this sweep")
        if not root.exists() or not any(p for p in root.iterdir() if not p.name.startswith(".")):
            return
        manifest = self.read_manifest()
        if manifest is None or manifest.get("kind") != "plm sweep":
            raise SweepError(f"out = {str(root)!r}: not empty and not a sweep folder; allowed: a new or empty "
                             "folder, or the folder of this sweep (to resume it)")
        if manifest.get("context_hash") != plan.context_hash:
            what = "model version" if manifest.get("model_version") != plan.context["model_version"] else \
                "base scenario, set, months or outputs"
            raise SweepError(f"out = {str(root)!r}: holds sweep {manifest.get('design_name')!r} with a different "
                             f"{what}; allowed: the same design (to resume it) or a new --out folder")

    def lock(self) -> None:
        """One `plm sweep` at a time per folder (the lock goes with the process, also on SIGKILL). Creates the
        folder if needed; `discard` removes what this made if the sweep stops before writing anything."""
        missing = [p for p in (self.root, *self.root.parents) if not p.exists()]
        self.root.mkdir(parents=True, exist_ok=True)
        self._made = missing  # the folders this call created, innermost first
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            self._made = []
            raise SweepError(f"out = {str(self.root)!r}: another plm sweep is writing into this folder; allowed: "
                             "wait for it, or a new --out folder") from None
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None

    def discard(self) -> None:
        """Undo `lock` when nothing else was written: remove the lock file and the folders it created."""
        made = self._made
        if not made or self.manifest_path.exists():
            return
        try:
            if [p.name for p in self.root.iterdir()] == [".lock"]:
                (self.root / ".lock").unlink()
            for folder in made:
                folder.rmdir()  # only if empty: OSError otherwise, and the rest stays
        except OSError:
            pass
        self._made = []

    def clean_temporary(self) -> None:
        """Remove temporary files a killed sweep left behind (never a finished file)."""
        for folder in (self.root, self.runs_dir):
            if folder.is_dir():
                for p in folder.iterdir():
                    if p.name.startswith(".") and ".tmp-" in p.name:
                        p.unlink(missing_ok=True)
        if self.ts_dir.is_dir():
            for part in self.ts_dir.iterdir():
                if part.is_dir():
                    for p in part.iterdir():
                        if p.name.startswith(".") and ".tmp-" in p.name:
                            p.unlink(missing_ok=True)

    def prepare(self, plan: Plan) -> None:
        import pandas as pd

        self.runs_dir.mkdir(parents=True, exist_ok=True)
        if plan.context["outputs"]["timeseries"]:
            self.ts_dir.mkdir(exist_ok=True)
        self.clean_temporary()
        design = plan.design
        text = design._text if design._text is not None else _toml(design.model_dump(mode="json",
                                                                                   exclude_none=True))
        _atomic_write_bytes(self.root / "design.toml", text.encode("utf-8"))
        if plan.context["base"] is not None:
            _atomic_write_bytes(self.root / "scenario.toml", _toml(plan.context["base"]).encode("utf-8"))
        table = pa.Table.from_pandas(pd.DataFrame(plan.table), preserve_index=False) if plan.table else \
            pa.table({"point": pa.array([], pa.int64())})
        _atomic_write_table(self.design_table, table)

    # records
    def record_schema(self, plan: Plan, record: dict[str, Any]) -> pa.Schema:
        outputs = [k for k in record if k not in plan.kinds and k not in ("run_id", "status", "seed")
                   and k not in META_COLUMNS]
        known = plan.context.get("output_columns") or []
        outputs = list(dict.fromkeys([*known, *outputs]))
        key = tuple(outputs)
        schema = self._schema_cache.get(key)
        if schema is None:
            fields = [pa.field("run_id", pa.string()), pa.field("status", pa.string()), pa.field("seed", pa.int64())]
            fields += [pa.field(k, _ARROW.get(kind, pa.string())) for k, kind in plan.kinds.items()]
            fields += [pa.field(k, pa.float64()) for k in outputs]
            fields += [pa.field("wall_seconds", pa.float64())]
            fields += [pa.field(k, pa.string()) for k in META_COLUMNS if k != "wall_seconds"]
            schema = pa.schema(fields)
            self._schema_cache[key] = schema
        return schema

    def write_run(self, plan: Plan, result: dict[str, Any]) -> None:
        t0 = time.perf_counter()
        record = result["record"]
        ts = result.get("timeseries")
        if ts is not None and record["status"] == "ok":
            part = self.ts_dir / f"run_id={record['run_id']}"
            part.mkdir(parents=True, exist_ok=True)
            _atomic_write_table(part / "part-0.parquet", pa.Table.from_pandas(ts, preserve_index=False))
        schema = self.record_schema(plan, record)
        table = pa.Table.from_pylist([{k: record.get(k) for k in schema.names}], schema=schema)
        _atomic_write_table(self.runs_dir / f"{record['run_id']}.parquet", table)
        self.write_seconds += time.perf_counter() - t0

    # consolidation
    def _stale(self, files: list[os.DirEntry]) -> bool:
        try:
            st = self.consolidated.stat()
            rows = pq.read_metadata(self.consolidated).num_rows
        except (OSError, pa.ArrowException):
            return True
        if rows != len(files):
            return True
        return any(e.stat().st_mtime_ns > st.st_mtime_ns for e in files)

    def consolidate(self, force: bool = False, write: bool = True) -> pa.Table:
        """All run records as one table, in design order; rewrites `runs.parquet` when it is out of date."""
        files = self.run_files()
        if not force and not self._stale(files):
            return pq.read_table(self.consolidated)
        with ThreadPoolExecutor(max_workers=8) as pool:
            tables = list(pool.map(lambda e: _read_record(e.path), files))
        tables = [t for t in tables if t is not None]
        if tables:
            table = pa.concat_tables(tables, promote_options="permissive")
        else:
            table = pa.table({"run_id": pa.array([], pa.string()), "status": pa.array([], pa.string())})
        table = self._ordered(table)
        if write:
            try:
                _atomic_write_table(self.consolidated, table)
            except OSError:
                pass  # a read-only folder: the table is still returned
        return table

    def _ordered(self, table: pa.Table) -> pa.Table:
        names = table.column_names
        meta = [c for c in META_COLUMNS if c in names]
        head = [c for c in ("run_id", "status", "seed") if c in names]
        body = [c for c in names if c not in head and c not in meta]
        table = table.select(head + body + meta)
        if table.num_rows < 2:
            return table
        try:
            order = pq.read_table(self.design_table, columns=["run_id"]).column("run_id").to_pylist()
        except (OSError, KeyError, pa.ArrowException):
            order = []
        pos: dict[str, int] = {}
        for i, rid in enumerate(order):
            pos.setdefault(rid, i)
        ids = table.column("run_id").to_pylist()
        keys = np.array([pos.get(r, len(pos)) for r in ids])
        return table.take(np.argsort(keys, kind="stable"))

    def statuses(self) -> dict[str, str]:
        if not self.runs_dir.is_dir():
            return {}
        table = self.consolidate()
        if table.num_rows == 0:
            return {}
        return dict(zip(table.column("run_id").to_pylist(), table.column("status").to_pylist()))

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        _atomic_write_bytes(self.manifest_path, (json.dumps(manifest, indent=2, default=str) + "\n").encode())


def _read_record(path: str) -> pa.Table | None:
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException):
        return None  # cannot happen with atomic writes; a foreign file is skipped rather than fatal


def _toml(data: dict[str, Any]) -> str:
    import tomli_w

    def clean(obj):
        if isinstance(obj, dict):
            return {k: clean(v) for k, v in obj.items() if v is not None}
        if isinstance(obj, list):
            return [clean(v) for v in obj]
        return obj
    return tomli_w.dumps(clean(data))


# --- environment and manifest ----------------------------------------------------------------------------

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


# --- running ---------------------------------------------------------------------------------------------

@dataclass
class SweepResult:
    out: Path
    planned: int
    ok: int
    failed: int
    skipped: int
    ran: int
    status: str
    wall_seconds: float
    run_seconds: float = 0.0
    write_seconds: float = 0.0
    startup_seconds: float = 0.0
    scheduler: str = ""
    workers: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.planned - self.ok - self.failed


def default_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def default_out(design: Design) -> Path:
    return DEFAULT_ROOT / design.name


Progress = Callable[[int, int, int, int], None]  # (done ok, failed, total to run, workers)


def run_sweep(design: str | Path | dict | Design, out: str | Path | None = None, *, workers: int | None = None,
              scheduler: str | None = None, retry_failed: bool = False, progress: Progress | None = None,
              log: Callable[[str], None] | None = None, command: str | None = None,
              wait_workers: float = 600.0, allow_code: bool = False) -> SweepResult:
    """Run the runs of `design` that `out` does not hold yet; returns the counts (see the module docstring).

    Bad input (design, folder, workers, scheduler) raises `DesignError`/`SweepError` before anything is
    written; a design's `function` outside the project's packages is refused unless `allow_code`. The
    folder's lock is taken before the Dask cluster starts, so a second sweep into the same folder is refused
    at once. Ctrl-C (KeyboardInterrupt) and SIGTERM stop it; what finished is kept, `runs.parquet` and the
    manifest are brought up to date, and the exception goes on to the caller."""
    log = log or (lambda msg: None)
    design = load_design(design, allow_code=allow_code)
    plan = make_plan(design)
    plan.context["output_columns"] = design.outputs.columns() if design.is_model else []
    if workers is not None and scheduler is not None:
        raise SweepError(f"--workers = {workers} with --scheduler = {scheduler!r}: allowed: one of them (the "
                         "cluster behind a scheduler has its own workers)")
    if workers is not None and not 0 <= workers <= 4096:
        raise SweepError(f"--workers = {workers}: allowed: a whole number from 0 (in this process) to 4096")
    out = Path(out) if out is not None else default_out(design)
    store = SweepStore(out)
    store.check(plan)
    store.lock()  # before the cluster starts: a second sweep into this folder is refused at once
    try:
        store.check(plan)  # again, now that no other sweep can write here
        for note in design.notes:
            log(note)
        return _run_locked(plan, store, store.is_sweep(), workers=workers, scheduler=scheduler,
                           retry_failed=retry_failed, progress=progress, log=log, command=command,
                           wait_workers=wait_workers)
    finally:
        store.discard()  # nothing written (a bad scheduler, Ctrl-C while the cluster started): leave no folder
        store.unlock()


def _run_locked(plan: Plan, store: SweepStore, existed: bool, *, workers, scheduler, retry_failed, progress, log,
                command, wait_workers) -> SweepResult:
    t_start = time.perf_counter()
    started = _now()
    statuses = store.statuses() if existed else {}
    wanted = {r.run_id for r in plan.runs}
    skip = {rid for rid, st in statuses.items() if rid in wanted and (st == "ok" or not retry_failed)}
    todo = [r for r in plan.runs if r.run_id not in skip]
    ok0 = sum(1 for rid in skip if statuses[rid] == "ok")
    failed0 = len(skip) - ok0
    if skip and todo:
        log(f"resuming: {len(skip)} of {len(plan.runs)} runs already in {store.root} ({failed0} failed); "
            f"running the {len(todo)} missing")
    elif skip:
        log(f"all {len(plan.runs)} runs already in {store.root} ({failed0} failed"
            f"{'; --retry-failed runs them again' if failed0 else ''})")
    result = SweepResult(store.root, len(plan.runs), ok0, failed0, len(skip), 0, "running", 0.0)

    # a bad scheduler address is refused before anything is written (run_sweep removes the empty folder)
    executor = _Executor.create(workers, scheduler, log, plan.context) if todo else None
    manifest = None
    try:
        manifest = _manifest_start(plan, store.read_manifest() if existed else None, started, command, executor)
        store.write_manifest(manifest)
        store.prepare(plan)
        if executor is not None:
            result.scheduler, result.workers = executor.description, executor.n_workers
            result.startup_seconds = executor.startup_seconds
            _drive(plan, store, executor, todo, result, progress, log, wait_workers)
        result.status = "complete"
    except KeyboardInterrupt:
        result.status = "interrupted"
        raise
    except SweepStalled:
        result.status = "stalled"
        raise
    finally:
        if executor is not None:
            executor.close()
        result.wall_seconds = time.perf_counter() - t_start
        result.write_seconds = store.write_seconds
        if manifest is not None:
            _finish(plan, store, manifest, result)
    return result


def _manifest_start(plan: Plan, manifest: dict | None, started: str, command: str | None, executor) -> dict:
    design = plan.design
    sessions = list((manifest or {}).get("sessions", []))
    for s in sessions:
        if s.get("status") == "running":
            s["status"] = "killed"  # we hold the folder's lock: that process is gone
    sessions.append({"started_utc": started, "status": "running", "command": command or " ".join(sys.argv),
                     "scheduler": executor.description if executor else "none (nothing to run)",
                     "workers": executor.n_workers if executor else 0, "host": socket.gethostname(),
                     "pid": os.getpid()})
    text = design._text
    return {
        "kind": "plm sweep",
        "format": FORMAT,
        "design_name": design.name,
        "design_file": design.origin,
        "design_sha256": __import__("hashlib").sha256(text.encode()).hexdigest() if text else None,
        "design": design.resolved_dict(),
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
        "files": {"runs": "runs.parquet", "run_records": "runs/", "design": "design.parquet",
                  "timeseries": "timeseries/" if plan.context["outputs"]["timeseries"] else None},
        "environment": environment(),
        "status": "running",
        "runs": {"planned": len(plan.runs), "design_rows": len(plan.table)},
        "created_utc": (manifest or {}).get("created_utc", started),
        "sessions": sessions,
    }


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


class _Executor:
    """Where runs go: Dask (a local cluster or one at an address) or this process (`workers=0`)."""

    description = ""
    n_workers = 0
    startup_seconds = 0.0

    @staticmethod
    def create(workers: int | None, scheduler: str | None, log, context: dict[str, Any]) -> "_Executor":
        if scheduler is None and workers == 0:
            return _Inline()
        return _Dask(workers, scheduler, log, context)

    def close(self) -> None:
        pass


class _Inline(_Executor):
    description = "this process (no Dask)"
    n_workers = 1


class _Dask(_Executor):
    def __init__(self, workers: int | None, scheduler: str | None, log, context: dict[str, Any]):
        t0 = time.perf_counter()
        import dask
        from distributed import Client, LocalCluster

        self.cluster = None
        self.local = scheduler is None
        if scheduler is not None:
            if "://" not in scheduler and ":" not in scheduler:
                raise SweepError(f"--scheduler = {scheduler!r}: allowed: a Dask scheduler address like "
                                 "tcp://127.0.0.1:8786")
            from dask.utils import parse_timedelta
            # at most 10 s (less if the Dask setting distributed.comm.timeouts.connect is lower)
            timeout = min(10.0, parse_timedelta(dask.config.get("distributed.comm.timeouts.connect")))
            try:
                self.client = Client(scheduler, timeout=timeout)
            except Exception as exc:  # noqa: BLE001 - any failure to connect is the same user error
                raise SweepError(f"--scheduler = {scheduler!r}: cannot connect ({type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else ''}); allowed: the address of a "
                                 "running Dask scheduler") from None
            self.description = f"Dask scheduler {scheduler}"
        else:
            n = workers if workers is not None else default_cores()
            self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                        scheduler_port=0, dashboard_address="127.0.0.1:0",
                                        silence_logs=logging.CRITICAL,
                                        preload=["experiments.sweep_worker"])
            self.client = Client(self.cluster)
            self.description = f"local Dask cluster, {n} worker processes ({self.cluster.scheduler_address})"
        log(f"running on {self.description}")
        try:
            versions = self.client.run(warm_up, context)  # the workers there now; later ones warm up on a run
        except KeyboardInterrupt:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001
            self.close()
            where = f"--scheduler = {scheduler!r}: the workers" if scheduler else "the local Dask workers"
            raise SweepError(f"{where} cannot run the model ({_one_line(exc)}); allowed: workers started from the "
                             "same environment as plm") from None
        wrong = {addr: v for addr, v in versions.items() if v != context["model_version"]}
        if wrong:
            addr, v = next(iter(wrong.items()))
            self.close()
            raise SweepError(f"--scheduler = {scheduler!r}: worker {addr} has {v}, this sweep needs "
                             f"{context['model_version']}; allowed: workers started from the same code")
        self.n_workers = len(versions) if not self.local else workers if workers is not None else default_cores()
        self.startup_seconds = time.perf_counter() - t0

    def workers_now(self) -> int:
        try:
            return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))
        except Exception:  # noqa: BLE001
            return 0

    def close(self) -> None:
        try:
            self.client.close(timeout=10)
        except Exception:  # noqa: BLE001 - closing on the way out
            pass
        if self.cluster is not None:
            try:
                self.cluster.close(timeout=15)
            except Exception:  # noqa: BLE001
                pass


def _drive(plan: Plan, store: SweepStore, executor: _Executor, todo: list[RunSpec], result: SweepResult,
           progress: Progress | None, log, wait_workers: float) -> None:
    total = len(todo)
    counts = [0, 0]  # ok, failed (this session)

    def handle(res: dict[str, Any]) -> None:
        store.write_run(plan, res)
        rec = res["record"]
        result.ran += 1
        result.run_seconds += float(rec.get("wall_seconds") or 0.0)
        if rec["status"] == "ok":
            counts[0] += 1
        else:
            counts[1] += 1
            if len(result.failures) < 20:
                result.failures.append(f"{rec['run_id']}: {rec['error']}")

    previous = signal.getsignal(signal.SIGTERM) if threading.current_thread() is threading.main_thread() else None
    if previous is not None:
        signal.signal(signal.SIGTERM, _sigterm)
    try:
        if progress:
            progress(0, 0, total, executor.n_workers)
        if isinstance(executor, _Inline):
            for spec in todo:
                handle(execute_run(plan.context, spec.run_id, spec.params, spec.seed))
                if progress:
                    progress(counts[0], counts[1], total, 1)
        else:
            _drive_dask(plan, executor, todo, handle, counts, total, progress, log, wait_workers)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _sigterm(signum, frame):  # a cluster's job manager stops us like Ctrl-C does
    raise KeyboardInterrupt


def _drive_dask(plan: Plan, executor: _Dask, todo: list[RunSpec], handle, counts, total, progress, log,
                wait_workers: float) -> None:
    from distributed import as_completed

    client = executor.client
    ctx = client.submit(_context, plan.context, key=f"plm-context-{plan.context_hash}", pure=False)
    keys = [f"plm-run-{spec.run_id}" for spec in todo]
    futures = client.map(execute_run, [ctx] * len(todo), [s.run_id for s in todo], [s.params for s in todo],
                         [s.seed for s in todo], key=keys, pure=False)
    by_key = {f.key: (f, spec) for f, spec in zip(futures, todo)}
    del futures
    # with_results: the results are gathered on the client's event loop as runs finish; a result lost with
    # its worker before it was gathered is computed again by Dask (the gather waits for it)
    ac = as_completed(list(f for f, _ in by_key.values()), with_results=True, raise_errors=False)
    cancelled = 0
    last_check = time.monotonic()
    no_workers_since: float | None = None
    n_workers = executor.n_workers
    while not ac.is_empty():
        if not ac.has_ready():
            time.sleep(0.05)
            now = time.monotonic()
            if now - last_check > 2.0:
                last_check = now
                n_workers = executor.workers_now()
                if progress:
                    progress(counts[0], counts[1], total, n_workers)
                if client.status not in ("running", "connecting"):
                    raise SweepStalled(f"lost the connection to the Dask scheduler ({client.status}); finished "
                                       "runs are saved: run the same command again")
                if n_workers == 0:
                    no_workers_since = no_workers_since or now
                    if now - no_workers_since > wait_workers:
                        raise SweepStalled(f"no Dask workers for {wait_workers:.0f} s; finished runs are saved: run "
                                           "the same command again when workers are up")
                else:
                    no_workers_since = None
            continue
        fut, out = next(ac)
        _, spec = by_key.pop(fut.key)
        fut.release()
        del fut
        if isinstance(out, dict) and "record" in out:
            res = out
        elif isinstance(out, tuple) and len(out) == 3 and isinstance(out[1], BaseException):
            exc = out[1]
            if type(exc).__name__ == "KilledWorker":
                error = ("KilledWorker: the worker running it died every time it was tried (out of memory, or a "
                         "crash in compiled code?)")
            else:
                error = _one_line(exc)
            res = {"record": {"run_id": spec.run_id, "status": "failed", "seed": spec.seed, **spec.params,
                              "error": error, "traceback": "", "wall_seconds": float("nan"),
                              "worker": "", "finished_utc": _now(), "model_version": plan.context["model_version"]},
                   "timeseries": None}
        else:  # cancelled: the scheduler forgot it (lost connection); it stays missing
            cancelled += 1
            continue
        handle(res)
        if progress:
            progress(counts[0], counts[1], total, n_workers)
    if cancelled:
        raise SweepStalled(f"{cancelled} runs were cancelled by the Dask scheduler (lost connection?); finished "
                           "runs are saved: run the same command again")


# --- reading ---------------------------------------------------------------------------------------------

def load_sweep(path: str | Path, *, timeseries: bool = False):
    """The runs of a sweep folder as a pandas DataFrame (one row per run, in design order).

    With `timeseries=True`: the monthly time series of every kept run, one row per run and month, with
    `run_id`, `seed` and the parameter values. `runs.parquet` is rebuilt first if runs finished after it was
    written (an interrupted sweep)."""
    import pandas as pd

    store = SweepStore(path)
    if not store.is_sweep():
        raise SweepError(f"sweep = {str(path)!r}: not a sweep folder (no manifest.json); allowed: the --out "
                         "folder of plm sweep")
    runs = store.consolidate().to_pandas()
    if not timeseries:
        return runs
    if not store.ts_dir.is_dir():
        raise SweepError(f"sweep = {str(path)!r}: holds no time series; allowed: a design with "
                         "outputs.timeseries = true")
    files = sorted(store.ts_dir.glob("run_id=*/part-0.parquet"))
    frames = []
    for f in files:
        df = pq.read_table(f).to_pandas()
        df.insert(0, "run_id", f.parent.name.split("=", 1)[1])
        frames.append(df)
    ts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"run_id": []})
    manifest = store.read_manifest() or {}
    params = list((manifest.get("parameters") or {}).keys())
    keep = ["run_id", "seed", *[p for p in params if p in runs.columns]]
    return runs[keep].merge(ts, on="run_id", how="right")


def load_design_table(path: str | Path):
    """design.parquet of a sweep folder: one row per design point and seed (point, seed, run_id, parameters)."""
    return pq.read_table(Path(path) / "design.parquet").to_pandas()


def manifest_of(path: str | Path) -> dict[str, Any]:
    store = SweepStore(path)
    manifest = store.read_manifest()
    if manifest is None:
        raise SweepError(f"sweep = {str(path)!r}: not a sweep folder (no manifest.json); allowed: the --out "
                         "folder of plm sweep")
    return manifest


__all__ = ["run_sweep", "load_sweep", "load_design_table", "SweepStore", "SweepResult", "SweepError",
           "SweepStalled", "execute_run", "default_out", "default_cores"]
