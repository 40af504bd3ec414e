"""The workshop room in a real browser (Playwright, Debian's Chromium): a facilitator and three participants, two
of them on phone-sized screens (390×844), play two rounds; a participant reloads and keeps the role; the
facilitator reloads and keeps the room, takes over a municipality and a job seeker; the exported TOML replays
with `plm run` to the same time series.

The app server is the one of tests/test_app_browser.py (default scenario, 4 people per agent, 60 months).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from abm.accounts import PARTIES
from tests.test_app_browser import browser, expect, server  # noqa: F401  (fixtures)
from viz.room.driver import LAPTOP, PHONE, PROJECTOR, Person

pytestmark = [pytest.mark.timeout(420), pytest.mark.slow]


def check(*people: Person) -> None:
    for who in people:
        assert not who.outside, f"requests outside this machine: {who.outside[:3]}"
        assert not who.errors, f"page errors: {who.errors[:3]}"
        who.close()


def test_a_room_plays_two_rounds(server, browser, tmp_path):  # noqa: F811
    fac = Person(browser, server, LAPTOP)
    code = fac.open_room()
    assert fac.page.locator(".room-qr svg").count() == 1

    ann = Person(browser, server, PHONE)
    ann.join(code, "Ann", "municipality-Stad")
    ben = Person(browser, server, PHONE)
    ben.join(code, "Ben", "employers-sector1")
    cas = Person(browser, server, LAPTOP)
    cas.join(code, "Cas", "municipality-Noord")
    # nothing overflows the phone's width
    for who in (ann, ben):
        assert who.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # round 1: everyone decides, the facilitator sees it and advances a year
    expect(fac.page.locator(".room-next")).to_have_text("Next round (not everyone has decided)")
    ann.decide(basisbaan_slots=150, additionality_test=0.9)
    ben.decide(register_willingness=1.5)
    cas.decide()
    expect(fac.page.locator(".room-next")).to_have_text("Next round")
    fac.next_round()
    for who in (ann, ben, cas):
        expect(who.month()).to_have_text("12", timeout=60_000)

    # Ann's phone reloads: her role comes back (the token is in her address)
    ann.page.reload()
    expect(ann.page.locator(".room-role")).to_have_text("Stad")
    expect(ann.month()).to_have_text("12")
    # the facilitator reloads: the room is still there
    fac.page.reload()
    expect(fac.page.locator(".room-code")).to_have_text(code)

    # round 2: Ann and Ben decide, the facilitator takes over Noord
    ann.decide(caseload=200)
    ben.decide(temporary_shift=0.2)
    fac.page.locator(".room-fac-role-municipality-Noord .room-take").click()
    fac.page.locator(".room-lever-caseload input").fill("150")
    fac.page.locator(".room-decide").click()
    expect(fac.page.locator(".room-decided")).to_contain_text("facilitator")
    expect(cas.page.locator(".room-decided")).to_contain_text("facilitator")
    # and decides for job seeker 1: refuse the round's offers
    fac.page.locator(".room-fac-role-seeker-1 .room-take").click()
    fac.page.locator(".room-offers-refuse").click()
    expect(fac.page.locator(".room-decided")).to_contain_text("Refuse offers this round")
    fac.next_round()
    for who in (ann, ben, cas):
        expect(who.month()).to_have_text("24", timeout=60_000)

    # the projector: the region, who decided, the replay of round 1
    proj = Person(browser, server, PROJECTOR)
    proj.view(code, "projector")
    expect(proj.page.locator(".room-region tbody tr")).to_have_count(5)
    expect(proj.page.locator(".room-replay-decisions")).to_contain_text("facilitator")
    expect(proj.page.locator(".room-who")).to_contain_text("Ann")
    # the debrief: parties, municipalities, each decision
    proj.view(code, "debrief")
    expect(proj.page.locator(".room-parties tbody tr")).to_have_count(len(PARTIES))   # one row a party
    expect(proj.page.locator(".room-effects tbody tr")).to_have_count(7)
    expect(proj.page.locator(".room-effects")).to_contain_text("basisbaan_slots = 150")

    # the facilitator switches the room to Dutch: every page of the room follows
    fac.page.locator(".room-lang-nl").click()
    expect(ann.page.locator(".room-header")).to_contain_text("Ronde 3")
    expect(fac.page.locator(".room-next")).to_have_text("Volgende ronde (nog niet iedereen heeft besloten)")
    # numbers in the lever inputs follow the language (0,9), and are read back in it
    expect(ann.page.locator(".room-lever-additionality_test input")).to_have_value("0,9")
    ann.decide(basisbaan_slots="1.200")
    expect(ann.page.locator(".room-decided")).to_contain_text("1.200")

    # the export replays: plm run on the TOML gives the room's time series, byte for byte
    with fac.page.expect_download() as info:
        fac.page.locator(".room-export-toml").click()
    scenario = tmp_path / "room.toml"
    info.value.save_as(scenario)
    with fac.page.expect_download() as info:
        fac.page.locator(".room-export-csv").click()
    shown = tmp_path / "room.csv"
    info.value.save_as(shown)
    exported = tomllib.loads(scenario.read_text())
    assert sum(c["note"].startswith(f"room {code}") for c in exported["policy_changes"]) == 3   # "no change" adds none
    assert [(c["month"], c["sector"], c["set"]) for c in exported["sector_changes"]] == [
        (1, "sector1", {"register_willingness": 1.5}), (13, "sector1", {"temporary_shift": 0.2})]
    assert [d["decision"] for d in exported["person_decisions"]] == ["refuse"]
    out = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "experiments.cli", "run", "--scenario", str(scenario), "--seed",
                           "42", "--months", "24", "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (out / "timeseries.csv").read_bytes() == shown.read_bytes()

    fac.page.locator(".room-close").click()
    expect(ann.page.locator(".room-closed")).to_contain_text("gesloten")
    check(fac, ann, ben, cas, proj)
