"""Dask preload for the workers of `plm sweep`'s local cluster.

The worker processes are in the terminal's process group, so Ctrl-C reaches them too; they ignore it and
leave stopping to the sweep, which saves what finished and then closes the cluster (no tracebacks from
every worker). Workers of an external cluster (`--scheduler`) are not touched.
"""

from __future__ import annotations

import signal


def dask_setup(worker) -> None:  # called by Dask in each worker process it starts (also after a restart)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to do
        pass
