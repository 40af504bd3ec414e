"""`run_sweep`: a design into a folder, running only what the folder does not hold yet.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from experiments.design import (
    Design,
    Plan,
    load_design,
    make_plan,
)
from experiments.sweep.errors import SweepError, SweepStalled
from experiments.sweep.executor import Progress, _drive, _Executor
from experiments.sweep.manifest import _finish, _manifest_start
from experiments.sweep.store import SweepStore, _now

DEFAULT_ROOT = Path("runs") / "sweeps"


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


def default_out(design: Design) -> Path:
    """The design's sweep folder: the one it was read from (resuming), else runs/sweeps/<design name>."""
    return design._folder if design._folder is not None else DEFAULT_ROOT / design.name


def run_sweep(design: str | Path | dict | Design, out: str | Path | None = None, *, workers: int | None = None,
              scheduler: str | None = None, retry_failed: bool = False, progress: Progress | None = None,
              log: Callable[[str], None] | None = None, command: str | None = None,
              wait_workers: float = 600.0, allow_code: bool = False,
              overrides: dict[str, Any] | None = None) -> SweepResult:
    """Run the runs of `design` that `out` does not hold yet; returns the counts (see the module docstring).

    Bad input (design, folder, workers, scheduler) raises `DesignError`/`SweepError` before anything is
    written; a design's `function` outside the project's packages is refused unless `allow_code`. The
    folder's lock is taken before the Dask cluster starts, so a second sweep into the same folder is refused
    at once. Ctrl-C (KeyboardInterrupt) and SIGTERM stop it; what finished is kept, `runs.parquet` and the
    manifest are brought up to date, and the exception goes on to the caller. `overrides` size the design
    without copying it (`experiments.design.overrides`: months, seeds, samples, set); a sweep folder as
    `design` resumes the sweep it holds."""
    log = log or (lambda msg: None)
    design = load_design(design, allow_code=allow_code, overrides=overrides)
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
