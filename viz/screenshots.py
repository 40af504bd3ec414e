"""Screenshots of the app's main views for the README: `python -m viz.screenshots [OUT_DIR]`.

Starts the app's server on 127.0.0.1 (default scenario, seed 42), drives Debian's Chromium with Playwright as a
user would, and saves PNGs (default: docs/screenshots/).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main(out: Path) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    from viz.server import CHROMIUM, CHROMIUM_ARGS, free_port, start, stop, wait_until_up

    expect.set_options(timeout=60_000)     # a loaded machine rebuilds a compare-mode run in more than 5 s
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"plm-app-screenshots-{port}.log", "w")
    proc = start("127.0.0.1", port, log=log)
    saved: list[Path] = []
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", timeout=120, proc=proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            page.set_default_timeout(90_000)
            page.goto(f"http://127.0.0.1:{port}/")
            month = page.locator(".plm-kpi-month .plm-kpi-value")
            expect(month).to_have_text("0 / 120")

            def shot(name: str) -> None:
                page.wait_for_timeout(1200)
                path = out / f"{name}.png"
                page.screenshot(path=str(path))
                saved.append(path)

            def tab(name: str) -> None:
                page.locator(f".plm-tab-{name}").click()
                page.locator(f".plm-tab-content-{name}").wait_for()

            def lever(path: str, value) -> None:
                box = page.locator(f".plm-lever[data-path='{path}'][data-scope=''] input.plm-lever-input")
                box.fill(str(value))
                box.press("Enter")

            def run(months: int) -> None:
                for year in range(1, months // 12 + 1):          # a year at a time: a loaded machine is slow
                    page.locator(".plm-step-year").click()
                    expect(month).to_contain_text(f"{12 * year} / ", timeout=60_000)

            # explore: a larger basisbaan programme against the default, five years
            page.locator(".plm-compare-switch").click()
            lever("policy.basisbaan_slots", 400)
            expect(page.locator(".plm-change")).to_contain_text("400")
            page.locator(".plm-section").click()
            page.get_by_role("option", name="Municipal policy", exact=True).click()
            lever("policy.basisbaan_interviews_per_month", 40)
            expect(page.locator(".plm-change")).to_have_count(2)
            run(60)
            shot("overview")
            tab("compare")
            page.locator(".plm-metric").click()
            page.get_by_role("option", name="people in a basisbaan").click()
            shot("compare")
            tab("flows")
            shot("flows")
            tab("region")
            shot("region")
            tab("person")
            page.locator(".plm-find-basisbaan").click()
            page.locator(".plm-chart-story").wait_for()
            shot("person")
            tab("accounts")
            shot("who-pays")
            tab("mechanisms")
            shot("mechanisms")
            tab("lessons")
            shot("lessons")
            tab("charts")
            page.locator(".plm-lang-nl").click()
            expect(page.locator(".plm-tab-charts")).to_have_text("In de tijd")
            shot("overview-nl")
            page.locator(".plm-lang-en").click()
            expect(page.locator(".plm-tab-charts")).to_have_text("Over time")
            # the main levers: the basisbaan programme's places made over time (acquisition), from month 0
            switch = page.locator(".plm-lever[data-path='policy.basisbaan_acquisition'][data-scope='']")
            switch.scroll_into_view_if_needed()
            switch.locator(".plm-lever-switch").click()
            expect(page.locator(".plm-change")).to_have_count(3)
            switch.evaluate("el => el.scrollIntoView({block: 'center'})")
            page.mouse.move(900, 600)                            # no tooltip over the levers
            shot("levers")
            # Compare over the calibration ensemble: every member x seed, the 5-95% interval as the band
            page.locator(".plm-ensemble-switch").click()
            tab("compare")
            page.locator(".plm-ensemble-note").wait_for()
            page.locator(".plm-metric").click()
            page.get_by_role("option", name="people in regular work", exact=True).click()
            run(36)
            shot("compare-ensemble")
            browser.close()
    finally:
        stop(proc)
        log.close()
    return saved


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    for p in main(target):
        print(p)
