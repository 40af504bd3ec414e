"""The workshop room without a browser (viz/room/state.py): codes, roles, rejoining, rounds, dated changes and
the exported scenario that `plm run` replays with the same numbers."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib
import weakref

import pytest

from viz.i18n import fmt_number, parse_number
from viz.room.state import CODE_LENGTH, Room, RoomError, Rooms, normalise_code

SETTINGS = {"scale": 8.0, "months": 24}
SEED = 5


class Clock:
    """A clock the test moves by hand (no waiting, no timed assertions)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def played():
    """A room played for two rounds of 12 months by two municipalities and the employers of sector 1."""
    room = Room("TEST1", "default", SEED, SETTINGS, period=12)
    stad, dorp = [r for r in room.roles if r.startswith("municipality:")][:2]
    alice = room.join("Alice", stad)
    bob = room.join("Bob")
    room.choose_role(bob, dorp)
    carol = room.join("Carol", "employers:sector1")
    assert not room.all_decided()
    room.decide(stad, {"basisbaan_slots": 120, "additionality_test": 0.9}, "Alice")
    room.decide(dorp, {"caseload": 150.0}, "Bob")
    room.decide("employers:sector1", {"register_willingness": 2.0}, "Carol")
    assert room.all_decided()
    room.join("Dave", "seeker:1")
    assert not room.all_decided()                         # a job seeker decides too
    room.decide("seeker:1", {"offers": "refuse"}, "Dave")
    assert room.all_decided()
    first = room.person("seeker:1")                     # reading a person changes nothing (the replay checks)
    room.advance()
    room.decide(stad, {"regime": "trust"}, "Alice")
    room.decide(dorp, {"no_risk_policy": False}, "Bob")
    room.decide("employers:sector1", {"temporary_shift": 0.3, "subsidy_uptake": 0.5}, "Carol")
    room.decide("employers:sector2", {}, "facilitator")   # no change is a decision too
    room.decide("seeker:2", {"offers": "accept"}, "facilitator")   # taken over; seeker 1 does not decide
    room.advance()
    return room, {"first": first, "alice": alice, "bob": bob, "carol": carol, "stad": stad, "dorp": dorp}


def test_rounds_become_dated_policy_changes(played):
    room, who = played
    assert room.model.month == 24 and room.round == 3
    changes = [(c.month, c.municipality, c.set) for c in room.model.p.policy_changes]
    stad = who["stad"].split(":")[1]
    dorp = who["dorp"].split(":")[1]
    assert (1, stad, {"basisbaan_slots": 120, "additionality_test": 0.9}) in changes
    assert (1, dorp, {"caseload": 150.0}) in changes
    assert (13, stad, {"regime": "trust"}) in changes
    assert (13, dorp, {"no_risk_policy": False}) in changes
    # the employers' decisions are dated changes of their sector's stance; "no change" adds nothing
    assert [(c.month, c.sector, c.set) for c in room.model.p.sector_changes] == [
        (1, "sector1", {"register_willingness": 2.0}),
        (13, "sector1", {"temporary_shift": 0.3, "subsidy_uptake": 0.5})]
    assert room.baseline.p.sector_changes == []
    assert room.policy_now("employers:sector1") == {"subsidy_uptake": 0.5, "register_willingness": 2.0,
                                                    "temporary_shift": 0.3}
    # the model was never restarted: the policy of month 12 is round 1's, month 13 round 2's
    i = room.model.municipality_names.index(stad)
    assert room.model.p.policy_at(i, 12).regime == "sanction"
    assert room.model.p.policy_at(i, 13).regime == "trust"
    assert room.model.p.policy_at(i, 13).basisbaan_slots == 120
    # the baseline ran the same months without the decisions, and they made a difference
    base, var = room.baseline_timeseries(), room.timeseries()
    assert len(base) == len(var) == 25
    # the job seekers' decisions hold for their round: seeker 1 refused in round 1 and returns to the model's
    # rule in round 2 (no decision); seeker 2 accepts in round 2
    one, two = room.roles["seeker:1"].person_id, room.roles["seeker:2"].person_id
    assert [(d.month, d.person_id, d.decision) for d in room.model.p.person_decisions] == [
        (1, one, "refuse"), (13, one, "model"), (13, two, "accept")]
    assert room.baseline.p.person_decisions == []
    # more places planned from round 2 (how many get filled depends on recruitment's pace) and a regime that
    # changes people's search: the applications differ from round 2 on
    assert var["basisbaan_places"].iloc[-1] > base["basisbaan_places"].iloc[-1]
    assert (var["applications"].iloc[13:] != base["applications"].iloc[13:]).any()


def test_export_replays_with_identical_numbers(played, tmp_path):
    room, _ = played
    path = tmp_path / "room.toml"
    path.write_text(room.scenario_toml())
    data = tomllib.loads(path.read_text())
    assert data["base"] == "default"
    notes = [c["note"] for c in data["policy_changes"]]
    assert sum(n.startswith("room TEST1") for n in notes) == 4
    assert len(notes) == 5                         # and the default preset's own change, kept (lists replace)
    assert [(c["month"], c["sector"]) for c in data["sector_changes"]] == [(1, "sector1"), (13, "sector1")]
    assert [d["decision"] for d in data["person_decisions"]] == ["refuse", "model", "accept"]
    out = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "experiments.cli", "run", "--scenario", str(path), "--seed",
                           str(SEED), "--months", str(room.model.month), "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (out / "timeseries.csv").read_bytes() == room.timeseries_csv().encode()


def test_rejoin_reassign_and_take_over(played):
    room, who = played
    assert room.participant(who["alice"]).role == who["stad"]          # a reload finds the role by token
    room.assign(who["alice"], who["dorp"])                              # the facilitator reassigns: a team
    assert sorted(p.name for p in room.holders(who["dorp"])) == ["Alice", "Bob"]
    room.decide(who["stad"], {"caseload": 200.0}, "facilitator")        # and takes over the empty role
    assert room.pending[who["stad"]].by == ["facilitator"]
    with pytest.raises(RoomError, match="not in room"):
        room.participant("nobody")


def test_bad_decisions_are_refused_in_one_line(played):
    room, who = played
    for values, words in (({"caseload": 5.0}, "caseload"), ({"caseload": "many"}, "caseload"),
                          ({"register_willingness": 1.0}, "not a lever"), ({"regime": "chaos"}, "regime")):
        with pytest.raises(RoomError, match=words) as err:
            room.decide(who["dorp"], values, "Bob")
        assert "\n" not in str(err.value)
    with pytest.raises(RoomError, match="period"):
        room.set_period(7)
    with pytest.raises(RoomError, match="offers = 'maybe': allowed: accept, refuse, model"):
        room.decide("seeker:1", {"offers": "maybe"}, "Dave")
    with pytest.raises(RoomError, match="not a lever"):
        room.decide("seeker:1", {"caseload": 100.0}, "Dave")
    for values, words in (({"temporary_shift": 3.0}, "Employers, sector3.temporary_shift = 3.0: must be <= 1.0"),
                          ({"caseload": 100.0}, "not a lever"), ({"register_willingness": "yes"}, "register")):
        with pytest.raises(RoomError, match=words) as err:
            room.decide("employers:sector3", values, "Carol")
        assert "\n" not in str(err.value)


def test_timer_advances_a_round_when_it_runs_out():
    clock = Clock()
    room = Room("TEST2", "default", 1, {"scale": 16.0, "months": 12}, period=3, clock=clock)
    first = next(r for r in room.roles if r.startswith("municipality:"))
    room.join("Ann", first)
    room.start_timer(60)
    assert not room.tick() and room.model.month == 0      # Ann has not decided, time is left
    clock.now += 61
    assert room.tick() and room.model.month == 3 and room.round == 2
    assert room.pending == {} and room.deadline is None
    room.decide(first, {"caseload": 100.0}, "Ann")
    assert room.ready() and not room.tick()                 # without a timer the facilitator advances


def test_rooms_by_code_and_freed_when_idle():
    clock = Clock()
    rooms = Rooms(clock=clock, idle_seconds=300, limit=2)
    a = rooms.open("default", 1, {"scale": 16.0, "months": 12}, sweeper=False)
    assert len(a.code) == CODE_LENGTH and rooms.get(a.code.lower()) is a
    assert normalise_code(f" {a.code[:2].lower()} {a.code[2:]} ") == a.code
    clock.now += 200
    b = rooms.open("default", 2, {"scale": 16.0, "months": 12}, sweeper=False)
    with pytest.raises(RoomError, match="at most 2"):
        rooms.open("default", 3, {"scale": 16.0, "months": 12}, sweeper=False)
    clock.now += 200                                        # a idle for 400 s, b for 200 s
    assert rooms.sweep() == [a.code] and a.closed and len(rooms) == 1
    assert rooms.get(a.code) is None and rooms.get(b.code) is b
    model = weakref.ref(b.model)
    rooms.close(b.code)
    assert len(rooms) == 0 and b.closed
    gc.collect()
    assert model() is None                                  # a closed room's models are freed
    with pytest.raises(RoomError, match="closed"):
        b.join("Late")


def test_debrief_figures(played):
    room, who = played
    acc = room.accounts()
    assert list(acc.index) == ["room", "baseline", "difference"]
    assert (acc.loc["difference"] == acc.loc["room"] - acc.loc["baseline"]).all()
    # the municipality's account is minus its net cost over the run (one definition, README "Money")
    ts = room.timeseries()
    assert acc.loc["room", "municipality"] == pytest.approx(-ts["municipal_net_cost"].iloc[1:].sum())
    comp = room.municipal_comparison()
    assert set(comp.index) == set(room.model.municipality_names)
    # the municipalities' net costs add up to the region's (abm.by_municipality's rule)
    assert comp["net_cost"].sum() == pytest.approx(ts["municipal_net_cost"].iloc[1:].sum(), rel=1e-9)
    effects = room.decision_effects()
    assert [(e["round"], e["role"]) for e in effects][:3] == [(1, who["stad"].split(":")[1]),
                                                            (1, who["dorp"].split(":")[1]), (1, "Employers, sector1")]
    assert effects[0]["changed"] == {"basisbaan_slots": 120, "additionality_test": 0.9}
    # a job seeker's decision is shown beside what followed in their person's municipality
    seeker = next(e for e in effects if e["role_id"] == "seeker:1")
    assert seeker["changed"] == {"offers": "refuse"}
    assert room.roles["seeker:1"].municipality == who["first"]["municipality"]


def test_a_job_seeker_sees_the_net_gain_of_a_job(played):
    room, who = played
    first = who["first"]
    assert first["present"] and first["state"] == "unemployed" and first["benefit"] == "bijstand"
    assert set(first["gains"]) == {12, 24, 32}
    # the figures are the model's own rule: a 12-hour job pays less than a 32-hour one over the benefit
    assert first["gains"][12] < first["gains"][32]


def test_a_room_from_a_scenario_file_exports_a_file_that_stands_alone(tmp_path):
    from abm.model import LabourMarketModel

    own = tmp_path / "mine.toml"
    own.write_text('base = "default"\nname = "mine"\n[economy]\ntightness = 1.2\n')
    room = Room("FILE1", str(own), 9, {"scale": 16.0, "months": 12}, period=6)
    stad = next(r for r in room.roles if r.startswith("municipality:"))
    room.decide(stad, {"caseload": 120.0}, "Eve")
    room.advance()
    exported = tmp_path / "room.toml"
    exported.write_text(room.scenario_toml())
    own.unlink()                                            # the export does not need the original file
    replay = LabourMarketModel(str(exported), seed=9)
    replay.run(6)
    assert replay.p.economy.tightness == 1.2
    assert replay.timeseries().to_csv(index=False, lineterminator="\n") == room.timeseries_csv()


def test_every_room_text_is_in_both_languages_with_the_same_placeholders():
    import string

    from viz.room.state import LANGS
    from viz.room.text import TEXT

    def fields(text):
        return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)

    for key, entry in TEXT.items():
        assert set(entry) == set(LANGS), key
        assert fields(entry["en"]) == fields(entry["nl"]), key


def test_the_room_language_is_checked(played):
    room, _ = played
    with pytest.raises(RoomError, match="allowed: en, nl"):
        room.set_lang("de")
    room.set_lang("nl")
    assert room.lang == "nl"
    room.set_lang("en")


@pytest.mark.parametrize("lang, typed, value", [
    ("nl", "0,25", 0.25), ("nl", "1.234,5", 1234.5), ("nl", "1.200", 1200.0), ("nl", "150", 150.0),
    ("en", "0.25", 0.25), ("en", "1,234.5", 1234.5), ("en", "-3", -3.0)])
def test_lever_numbers_are_read_in_the_rooms_language(lang, typed, value):
    assert parse_number(typed, lang) == value
    assert parse_number(fmt_number(value, lang), lang) == value          # what the form shows reads back


@pytest.mark.parametrize("lang, typed, allowed", [("nl", "0.25", "1.234,5 or 0,25"), ("en", "0,25", "1,234.5 or 0.25"),
                                                  ("nl", "veel", "1.234,5 or 0,25"), ("en", "1e3", "1,234.5 or 0.25")])
def test_a_number_in_the_wrong_style_is_refused_in_one_line(lang, typed, allowed):
    with pytest.raises(ValueError) as err:
        parse_number(typed, lang)
    assert str(err.value) == f"{typed!r}: allowed: a number written as {allowed}"


def test_a_page_waiting_on_the_room_wakes_when_it_changes():
    """`Room.wait_change` returns as soon as the room's version moves (a decision, a round, closing), not at the
    next poll; without a change it returns False when its time is up."""
    import threading

    room = Room("WAIT1", "default", SEED, SETTINGS, period=12)
    seen = room.version
    assert room.wait_change(seen, 0.01) is False
    woke = []
    waiter = threading.Thread(target=lambda: woke.append(room.wait_change(seen, 600)))
    waiter.start()
    room.join("Erin", "municipality:" + room.model.municipality_names[0])
    waiter.join(600)
    assert woke == [True] and room.version != seen
    seen = room.version
    waiter = threading.Thread(target=lambda: woke.append(room.wait_change(seen, 600)))
    waiter.start()
    room.release()
    waiter.join(600)
    assert woke == [True, True] and room.closed


def test_a_municipality_role_can_make_its_places_over_time():
    """The room's municipality levers include acquisition (places are made by staff, abm/acquisition.py): with it on
    and no staff hours, the places the municipality plans in the round are not made, while the other municipality's
    declared places are all available."""
    from abm import by_municipality

    room = Room("ACQ01", "default", SEED, SETTINGS, period=6)
    stad, dorp = [r for r in room.roles if r.startswith("municipality:")][:2]
    assert {"basisbaan_acquisition", "basisbaan_acquisition_hours"} <= set(room.roles[stad].levers)
    room.decide(stad, {"basisbaan_slots": 60, "basisbaan_acquisition": True, "basisbaan_acquisition_hours": 0.0}, "Ann")
    room.decide(dorp, {"basisbaan_slots": 60}, "Bo")
    room.advance()
    last = by_municipality.frame(room.model).groupby("municipality", observed=True).last()
    name = {rid: room.roles[rid].label for rid in (stad, dorp)}
    assert last.loc[name[stad], "basisbaan_places"] > 0
    assert last.loc[name[stad], "basisbaan_places_acquired"] < last.loc[name[stad], "basisbaan_places"]
    assert last.loc[name[dorp], "basisbaan_places_acquired"] == last.loc[name[dorp], "basisbaan_places"]
