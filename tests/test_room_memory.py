"""A closed workshop room frees its room object and its models (issue 11: memory after everyone leaves).

Live objects are counted with weak references after a full garbage collection (`viz.liveness`), never with the
server's memory: RSS is a benchmark figure (benchmarks/room_load.py, docs/benchmarks.md).
"""

from __future__ import annotations

from viz import liveness
from viz.room.state import Rooms

SETTINGS = {"scale": 16.0, "months": 24}


def test_a_room_whose_participants_left_and_which_is_closed_leaves_no_room_and_no_model():
    before = liveness.counts()
    rooms = Rooms(idle_seconds=300)
    room = rooms.open("default", 7, SETTINGS, period=12, sweeper=False)
    opened = liveness.counts()
    assert opened["rooms"] == before["rooms"] + 1
    assert opened["models"] == before["models"] + 2           # the room's model and its no-policy baseline
    stad = next(r for r in room.roles if r.startswith("municipality:"))
    employers = next(r for r in room.roles if r.startswith("employers"))
    tokens = [room.join(f"P{i}", role) for i, role in enumerate([stad, employers, "seeker:1"])]
    room.decide(stad, {"caseload": 120.0}, "P0")
    room.decide("seeker:1", {"offers": "refuse"}, "P2")
    room.advance()
    room.person("seeker:1"), room.accounts(), room.decision_effects(), room.scenario_toml()   # the debrief's reads
    assert room.model.month == 12 and len(tokens) == 3
    del tokens                                                # everyone left
    assert liveness.counts() == opened                        # an open room stays, with nobody in it, until closed
    rooms.close(room.code)
    now = liveness.counts()
    # a page that still shows the closed room keeps the Room object until its kernel goes, but not its models
    assert room.closed and len(rooms) == 0
    assert (now["rooms"], now["models"]) == (before["rooms"] + 1, before["models"])
    del room                                                  # the last page went
    assert liveness.counts() == before                        # no room, no model left
