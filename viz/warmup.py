"""The server's warm-up: what the first room and the first session load once, loaded at start instead.

The rule: when the app's server starts, a background thread plays a small room (one round of 12 months, its
projector and debrief figures, its QR code) and steps a small session 12 months, at `SCALE` people per agent (a
few hundred agents: the same code paths as a full run, a fraction of its time), then frees both. What stays is
what any first use would have loaded and kept: the model's compiled kernels read from numba's on-disk cache
(loading them initialises LLVM), the modules imported on first use (segno, pandas' and plotly's code paths) and
their caches. Measured with `benchmarks/room_load.py` (docs/benchmarks.md §Memory of a workshop room): without it
the first room grew the server by about 60 MB and its first round took 2.17 s; with it the server's "start" is
the warm server, so "memory after everyone left, against the start" compares like with like, and the first
round of the first room is no slower than the next.

The thread never delays the server (a fresh clone compiles the kernels on first use, which takes minutes on a
shared 2-core machine: the first room would wait for it anyway) and never fails it: an error is printed as one
line and the server serves on. PLM_APP_WARMUP=0 switches it off. `state()` says whether it is done
("pending", "running", "done", "failed" or "off"); the diagnostics route /_plm/live reports it (`viz.liveness`).
"""

from __future__ import annotations

import os
import sys
import threading

SCALE = 50.0          # people per agent in the warm-up room and session (the default region: ~600 agents)
MONTHS = 12           # one round, and the session's first year

_state = {"state": "pending"}
_thread: threading.Thread | None = None


WARMUP_VALUES = ("0", "1")


def check_setting() -> None:
    """Refuse a PLM_APP_WARMUP that is neither 0 nor 1 (one line, `plm app` exits 2): "off" or "false" must not
    be read as on."""
    value = os.environ.get("PLM_APP_WARMUP", "1")
    if value not in WARMUP_VALUES:
        raise ValueError(f"PLM_APP_WARMUP = {value!r}: allowed: 0 (no warm-up) or 1 (warm up at start, the default)")


def enabled() -> bool:
    return os.environ.get("PLM_APP_WARMUP", "1") != "0"


def state() -> str:
    return _state["state"] if enabled() else "off"


def warm_up() -> None:
    """Play a small room and a small session once, then free them (the module docstring)."""
    from viz import liveness
    from viz.app import session_defaults
    from viz.room import pages
    from viz.room.state import SEEKER_CHOICES, Room
    from viz.session import Session

    preset, seed, overrides, _ = session_defaults()
    small = {**overrides, "scale": SCALE}
    room = Room("WARMUP", preset, seed, small, period=MONTHS)
    try:
        for role_id, role in room.roles.items():
            if role.kind == "seeker":
                room.decide(role_id, {role.levers[0]: SEEKER_CHOICES[0]}, "warm-up")
                room.person(role_id)
        room.advance()
        pages.inclusion_chart(room)
        pages.region_chart(room, len(room.history) - 1)
        pages.qr_svg("http://127.0.0.1/room?code=WARMUP")
        room.status()
        room.budget(room.model.municipality_names[0])
        room.accounts()
        room.municipal_comparison()
        room.decision_effects()
        room.scenario_toml()
        room.timeseries_csv()
    finally:
        room.release()
    del room
    session = Session(preset, seed=seed, overrides=small, max_agents=None)
    try:
        session.step(MONTHS)
        snap = session.snapshot()
        for name in ("inclusion_rate", "net_cost_so_far", "throughput_12"):
            snap.figure(name)
        session.accounts()
        session.places()
    finally:
        session.close()
    del session
    liveness.release()


def start() -> None:
    """Start the warm-up in a daemon thread, once per process (nothing with PLM_APP_WARMUP=0)."""
    global _thread
    if not enabled() or _thread is not None:
        return

    def run():
        _state["state"] = "running"
        try:
            warm_up()
        except Exception as exc:  # noqa: BLE001 - a warm-up must never take the server down
            _state["state"] = "failed"
            print(f"plm app: warm-up failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''});"
                  " the first room loads what it needs itself", file=sys.stderr, flush=True)
            return
        _state["state"] = "done"

    _thread = threading.Thread(target=run, name="plm-warmup", daemon=True)
    _thread.start()
