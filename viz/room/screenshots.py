"""Screenshots of a workshop room for the docs: `python -m viz.room.screenshots [OUT_DIR]`.

Starts the app's server on 127.0.0.1 (default scenario, seed 42, 4 people per agent), opens a room, lets three
participants (two phones) play three rounds of a year, and saves room-facilitator.png, room-phone.png,
room-projector.png and room-debrief.png (default: docs/screenshots/).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main(out: Path) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    from viz.room.driver import LAPTOP, PHONE, PROJECTOR, Person
    from viz.server import CHROMIUM, CHROMIUM_ARGS, free_port, start, stop, wait_until_up

    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = open(Path(tempfile.gettempdir()) / f"plm-room-screenshots-{port}.log", "w")
    proc = start("127.0.0.1", port, log=log, scale=4, months=60)
    saved: list[Path] = []

    def shot(who: Person, name: str, full: bool = False) -> None:
        who.page.wait_for_timeout(1500)
        path = out / f"{name}.png"
        who.page.screenshot(path=str(path), full_page=full)
        saved.append(path)

    try:
        wait_until_up(url, timeout=120, proc=proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
            fac = Person(browser, url, LAPTOP, timeout_ms=90_000)
            code = fac.open_room()
            ann = Person(browser, url, PHONE, timeout_ms=90_000)
            ann.join(code, "Ann", "municipality-Stad")
            ben = Person(browser, url, PHONE, timeout_ms=90_000)
            ben.join(code, "Ben", "employers-sector1")
            cas = Person(browser, url, LAPTOP, timeout_ms=90_000)
            cas.join(code, "Cas & Dee", "municipality-Noord")
            plays = [({"basisbaan_slots": 300, "additionality_test": 0.9}, {"register_willingness": 1.5},
                      {"caseload": 150}),
                     ({"earnings_disregard_share": 0.5}, {"temporary_shift": -0.2}, {"no_risk_policy": False}),
                     ({}, {"subsidy_uptake": 0.5}, {"participation_places_per_100": 25})]
            for year, (a, b, c) in enumerate(plays, start=1):
                ann.decide(**a)
                ben.decide(**b)
                if year == len(plays):
                    shot(ann, "room-phone")
                    shot(fac, "room-facilitator")
                cas.decide(**c)
                fac.next_round()
                expect(ann.month()).to_have_text(str(12 * year), timeout=90_000)
            proj = Person(browser, url, PROJECTOR, timeout_ms=90_000)
            proj.view(code, "projector")
            proj.page.locator(".room-chart, .plm-chart-room_inclusion").first.wait_for()
            shot(proj, "room-projector")
            proj.view(code, "debrief")
            proj.page.locator(".room-effects").wait_for()
            shot(proj, "room-debrief", full=True)
    finally:
        stop(proc)   # the browser closes with its `with` block
        log.close()
    return saved


DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

if __name__ == "__main__":
    print("\n".join(str(path) for path in main(Path(sys.argv[1]) if sys.argv[1:] else DOCS)))
