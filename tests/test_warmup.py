"""The server's warm-up (viz/warmup.py): it plays a small room and a small session once and frees them, so what
it leaves is only what a first use would have loaded; it can be switched off; a failure never takes the server
down. Its effect on memory and on the first round is a benchmark figure (docs/benchmarks.md), not asserted here."""

from __future__ import annotations

from viz import liveness, warmup


def test_the_warm_up_plays_a_room_and_a_session_and_keeps_neither(monkeypatch):
    monkeypatch.setenv("PLM_APP_WARMUP", "0")      # importing viz.app must not start a second warm-up thread
    monkeypatch.setenv("PLM_APP_MONTHS", "24")
    before = liveness.counts()
    built = []
    from viz.room import state

    real = state.Room.advance

    def advance(room):
        built.append(room.code)
        return real(room)

    monkeypatch.setattr(state.Room, "advance", advance)
    warmup.warm_up()
    assert built == ["WARMUP"]                      # it played a round
    assert liveness.counts() == before              # and holds no room, model or session afterwards
    assert warmup.state() == "off"


def test_a_failing_warm_up_is_one_line_and_the_state_says_so(monkeypatch, capsys):
    monkeypatch.setenv("PLM_APP_WARMUP", "1")
    monkeypatch.setattr(warmup, "_thread", None)
    monkeypatch.setattr(warmup, "_state", {"state": "pending"})

    def broken():
        raise RuntimeError("no scenario here\nsecond line")

    monkeypatch.setattr(warmup, "warm_up", broken)
    warmup.start()
    warmup._thread.join(600)
    assert warmup.state() == "failed"
    err = capsys.readouterr().err.strip()
    assert err.startswith("plm app: warm-up failed (RuntimeError: no scenario here)") and "\n" not in err
