"""A room's participants and facilitator in a browser, driven with Playwright as people would use it: the browser
test (tests/test_room_browser.py) and the screenshots (`python -m viz.room.screenshots`) both use it.

Every person has their own browser context (their own cookies and storage) and records requests to anything
outside this machine and page errors, which the test asserts are none.
"""

from __future__ import annotations

import re

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1600, "height": 1000}
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


class Person:
    """One browser context on the room's lobby (`/room`)."""

    def __init__(self, browser, url: str, viewport: dict, timeout_ms: int = 45_000):
        from playwright.sync_api import expect

        self.expect = expect
        self.url = url.rstrip("/") + "/"
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(timeout_ms)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: None if r.url.startswith(LOCAL) else self.outside.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url + "room")

    # facilitator
    def open_room(self) -> str:
        """Open a room from the lobby; returns its code."""
        self.page.locator(".room-open").click()
        self.expect(self.page.locator(".room-code")).to_have_text(re.compile(r"^[A-Z2-9]{5}$"), timeout=90_000)
        return self.page.locator(".room-code").inner_text()

    def next_round(self) -> None:
        self.page.locator(".room-next").click()

    def view(self, code: str, view: str) -> None:
        self.page.goto(f"{self.url}room?code={code}&view={view}")

    # participant
    def join(self, code: str, name: str, role: str) -> None:
        """Join with the code and a name, and choose a role (`municipality-Stad`, `employers-sector1`, `seeker-1`)."""
        self.page.locator(".room-join-code input").fill(code)
        self.page.locator(".room-join-name input").fill(name)
        self.page.locator(".room-join").click()
        self.page.locator(f".room-choose-{role}").click()
        self.expect(self.page.locator(".room-role")).to_be_visible()

    def decide(self, **levers) -> None:
        """Set levers (a bool flips a switch) and press Decide."""
        for key, value in levers.items():
            if isinstance(value, bool):
                self.page.locator(f".room-lever-{key}").click()
            else:
                self.page.locator(f".room-lever-{key} input").fill(str(value))
        self.page.locator(".room-decide").click()
        self.expect(self.page.locator(".room-decided")).to_be_visible()

    def month(self):
        return self.page.locator(".room-month")

    def close(self) -> None:
        self.context.close()
