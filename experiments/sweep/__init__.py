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

The package, one concern per module: `runner` (`run_sweep`), `run` (one run on a worker), `executor` (Dask or this
process, and driving the runs), `store` (the folder's files, written atomically), `manifest` (provenance and
sessions), `reading` (`load_sweep` and friends), `errors`. Everything is importable from `experiments.sweep`.
"""

from __future__ import annotations

from experiments.sweep.errors import (
    SweepError,
    SweepStalled,
)
from experiments.sweep.executor import (
    Progress,
    default_cores,
)
from experiments.sweep.executor import (
    _Executor as _Executor,
)
from experiments.sweep.manifest import (
    ENV_PACKAGES,
    FORMAT,
    environment,
)
from experiments.sweep.reading import (
    load_design_table,
    load_sweep,
    manifest_of,
)
from experiments.sweep.run import (
    execute_run,
    model_version_here,
    warm_up,
)
from experiments.sweep.runner import (
    DEFAULT_ROOT,
    SweepResult,
    default_out,
    run_sweep,
)
from experiments.sweep.store import (
    META_COLUMNS,
    SweepStore,
)

__all__ = [
    "DEFAULT_ROOT",
    "ENV_PACKAGES",
    "FORMAT",
    "META_COLUMNS",
    "Progress",
    "SweepError",
    "SweepResult",
    "SweepStalled",
    "SweepStore",
    "default_cores",
    "default_out",
    "environment",
    "execute_run",
    "load_design_table",
    "load_sweep",
    "manifest_of",
    "model_version_here",
    "run_sweep",
    "warm_up",
]
