"""Where the runs go and how they are driven: a Dask cluster (local, one single-threaded worker per core,
or one at an address) or this process (`workers=0`); results are written as they arrive, a worker that dies
has its runs retried by Dask, and a lost scheduler or no workers stalls the sweep with what finished kept.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from experiments.design import (
    Plan,
    RunSpec,
)
from experiments.sweep.errors import SweepError, SweepStalled
from experiments.sweep.run import _context, _one_line, execute_run, warm_up
from experiments.sweep.store import SweepStore, _now

if TYPE_CHECKING:
    from experiments.sweep.runner import SweepResult


def default_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


Progress = Callable[[int, int, int, int], None]  # (done ok, failed, total to run, workers)


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
