"""Scenarios, the runner, sweeps and sensitivity analysis, and the `plm` command line.

`experiments.load_sweep(DIR)` loads a sweep folder into pandas (imported on first use, so that
`import experiments` stays light).
"""

import sys


def main(argv: list[str] | None = None) -> int:
    """The `plm` console command (`experiments.cli.main`): Ctrl-C while its libraries are still loading is one
    line and exit 130 too."""
    try:
        from experiments.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was written\n")
        return 130
    return cli_main(argv)


def __getattr__(name):
    if name in ("load_sweep", "run_sweep"):
        from experiments import sweep
        return getattr(sweep, name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
