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
    code = room.code
    del room, tokens                                          # everyone left
    assert liveness.counts()["rooms"] == before["rooms"] + 1  # an open room stays, with nobody in it, until closed
    rooms.close(code)
    assert len(rooms) == 0
    assert liveness.counts() == before                        # no room, no model left


def test_a_room_still_shown_on_a_page_after_closing_holds_no_model():
    """A page of a closed room keeps the Room object until its kernel goes, but not the room's models."""
    before = liveness.counts()
    rooms = Rooms(idle_seconds=300)
    room = rooms.open("default", 8, SETTINGS, sweeper=False)
    rooms.close(room.code)
    now = liveness.counts()
    assert room.closed and now["models"] == before["models"] and now["rooms"] == before["rooms"] + 1
    del room
    assert liveness.counts() == before


def test_an_idle_room_swept_frees_its_models():
    clock = [1000.0]
    rooms = Rooms(clock=lambda: clock[0], idle_seconds=60)
    before = liveness.counts()
    code = rooms.open("default", 9, SETTINGS, sweeper=False).code
    assert liveness.counts()["models"] == before["models"] + 2
    clock[0] += 61
    assert rooms.sweep() == [code]
    after = liveness.counts()
    assert (after["rooms"], after["models"]) == (before["rooms"], before["models"])
