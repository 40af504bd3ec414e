"""Scenarios, the runner, sweeps and sensitivity analysis, and the `plm` command line.

`experiments.load_sweep(DIR)` loads a sweep folder into pandas (imported on first use, so that
`import experiments` stays light).
"""


def __getattr__(name):
    if name in ("load_sweep", "run_sweep"):
        from experiments import sweep
        return getattr(sweep, name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
