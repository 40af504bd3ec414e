"""Scenarios, the runner, sweeps and sensitivity analysis, and the `plm` command line.

`experiments.load_sweep(DIR)` loads a sweep folder into pandas (imported on first use, so that
`import experiments` stays light).
"""

import sys


def main(argv: list[str] | None = None) -> int:
    """The `plm` console command (`experiments.cli.main`): Ctrl-C while its libraries are still loading is one
    line and exit 130 too, and once a Ctrl-C has been reported, further presses cannot break the exit."""
    try:
        from experiments.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was written\n")
        return _leaving(130)
    try:
        return _leaving(cli_main(argv))
    except KeyboardInterrupt:  # a further Ctrl-C while the first was being reported
        return _leaving(130)


def _leaving(code: int) -> int:
    """`code`; after an interruption (130) SIGINT is ignored while the process ends."""
    if code == 130:
        import signal
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        except ValueError:  # not the main thread
            pass
    return code


def __getattr__(name):
    if name in ("load_sweep", "run_sweep"):
        from experiments import sweep
        return getattr(sweep, name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
