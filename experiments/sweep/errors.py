"""The two ways a sweep stops short: bad input (`SweepError`, one line, exit 2) and a sweep that cannot go
on (`SweepStalled`: no workers, scheduler lost; finished runs are kept).
"""

from __future__ import annotations

from abm.scenario import ScenarioError


class SweepError(ScenarioError):
    """Bad input for a sweep (folder, scheduler, workers): one line, exit code 2."""


class SweepStalled(RuntimeError):
    """The sweep cannot go on (no workers, scheduler lost); finished runs are kept."""
