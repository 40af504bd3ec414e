"""A workshop room under load: N participants in real browser pages, the facilitator advancing rounds.

    .venv/bin/python benchmarks/room_load.py [--participants 30] [--rounds 3] [--months 12] [--scale 4] [--wait 5]
                                             [--warmup]

Starts the app's server on 127.0.0.1 (default scenario, seed 42), opens a room, lets N participants (Playwright
contexts in Debian's Chromium, phone-sized) join and take the municipality and employer roles in turn, and for
each round measures the time from the facilitator's "Next round" (the click sent) to the moment each participant's
page shows the new month, by the page's own clock (a MutationObserver records Date.now(), `WATCH`; browsers and
server share this machine's clock), and prints the first, median and last page. It also reports the server's
memory (RSS of its process group) at the start, with everyone in, and after everyone has left and the room was
closed: 5 s later and, with `--wait S`, every 30 s until S seconds later (the server runs with its default
settings, `viz/server.py`, plus PLM_APP_DIAGNOSTICS=1).
Next to each memory figure after everyone left it prints what the server still holds (`viz.liveness`, GET /_plm/live:
live rooms, models and sessions after a full garbage collection, and Solara kernels): zero rooms and models with
memory still high means freed but not returned to the system, or held by what the first room loaded once (plotly's
figure classes, the model's compiled kernels), not a leak. With `--warmup`, before the measured room a warm-up room
(the facilitator and one participant, one round) is opened and closed, its tabs closed, and the server's memory
measured again ("warm start"): the start that excludes those one-time costs. Browsers and the server share the
machine, so on 2 cores the figures include the browsers' own load. The "start" is the server once its own
warm-up (`viz.warmup`: a small room and session played and freed at start) is done; PLM_APP_WARMUP=0 in the
environment measures a cold start instead, and MALLOC_ARENA_MAX=N overrides the server's 2 malloc arenas.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb(pid: int) -> float:
    """Resident memory of a process group (the server and its children), MB."""
    pids = subprocess.run(["pgrep", "-g", str(pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for p in pids:
        try:
            total += int(Path(f"/proc/{p}/status").read_text().split("VmRSS:")[1].split()[0])
        except (OSError, IndexError):
            pass
    return total / 1024


def live(url: str) -> str:
    """What the server still holds (its /_plm/live route, `viz.liveness`), as one short line."""
    try:
        d = json.loads(raw_live(url))
    except OSError as exc:
        return f"live counts unavailable ({exc})"
    mb = {k: d[k] / 2**20 for k in ("malloc_in_use_bytes", "malloc_free_bytes", "malloc_mmap_bytes") if k in d}
    return (", ".join(f"{k} {d[k]}" for k in ("rooms", "models", "sessions", "kernels") if k in d)
            + f"; python blocks {d.get('python_blocks', 0) / 1e6:.2f} M,"
            + f" gc objects {d.get('gc_objects', 0) / 1e6:.2f} M"
            + "".join(f", {k.removesuffix('_bytes').replace('_', ' ')} {v:.0f} MB" for k, v in mb.items()))


def warm_up(browser, url: str, pid: int) -> float:
    """Open a room, let one participant join, play one round, close the room and the tabs (saying goodbye, so
    their kernels end at once); the server's memory once it holds no kernel (at most 120 s later), MB."""
    from viz.room.driver import LAPTOP, PHONE, Person

    fac = Person(browser, url, LAPTOP, timeout_ms=180_000)
    code = fac.open_room()
    who = Person(browser, url, PHONE, timeout_ms=180_000)
    who.join(code, "Warm", "employers-sector1")
    fac.next_round()
    who.expect(who.month()).to_have_text("12", timeout=180_000)
    fac.page.locator(".room-close").click()
    for person in (who, fac):
        person.page.close(run_before_unload=True)
        person.close()
    deadline = time.monotonic() + 120
    while json.loads(raw_live(url)).get("kernels") != 0 and time.monotonic() < deadline:
        time.sleep(1)
    return rss_mb(pid)


# Installed in every participant's page before a round: the browser's own clock (Date.now(), the machine's clock,
# as Python's time.time()) at the first moment the page shows the new month, so the pages are timed all at once.
WATCH = """(month) => {
    window.__plmSeen = null;
    const check = () => {
        const el = document.querySelector('.room-month');
        if (window.__plmSeen === null && el && el.textContent.trim() === month) {
            window.__plmSeen = Date.now(); obs.disconnect(); }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, {subtree: true, childList: true, characterData: true});
    check();
}"""


def raw_live(url: str) -> str:
    with urllib.request.urlopen(url + "_plm/live", timeout=120) as resp:
        return resp.read().decode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--participants", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--months", type=int, default=12, help="months per round (1, 3, 6, 12 or 24)")
    ap.add_argument("--scale", type=float, default=4.0)
    ap.add_argument("--wait", type=float, default=5.0,
                    help="seconds to keep measuring the server's memory after everyone left (at least 5)")
    ap.add_argument("--warmup", action="store_true",
                    help="open and close a warm-up room first, and report the memory after it (warm start)")
    args = ap.parse_args()
    if not args.wait >= 5:
        ap.error(f"--wait = {args.wait:g}: allowed: at least 5 seconds")

    from playwright.sync_api import sync_playwright

    from viz.liveness import wait_warm
    from viz.room.driver import LAPTOP, PHONE, Person
    from viz.server import CHROMIUM, CHROMIUM_ARGS, free_port, start, stop, wait_until_up

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    os.environ["PLM_APP_DIAGNOSTICS"] = "1"     # the /_plm/live counts (viz.liveness)
    log = open(Path(tempfile.gettempdir()) / f"plm-room-load-{port}.log", "w")
    proc = start("127.0.0.1", port, log=log, scale=args.scale, months=max(60, args.rounds * args.months))
    try:
        wait_until_up(url + "room", timeout=120, proc=proc)
        t0 = time.monotonic()
        warm = wait_warm(url)
        print(f"server warm-up: {warm} ({time.monotonic() - t0:.0f} s after the server answered; "
              f"MALLOC_ARENA_MAX={os.environ.get('MALLOC_ARENA_MAX', '2 (viz.server)')})", flush=True)
        start_mb = rss_mb(proc.pid)
        print(f"server up: {start_mb:.0f} MB; {live(url)}", flush=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
            if args.warmup:
                warm_mb = warm_up(browser, url, proc.pid)
                print(f"warm start (a warm-up room opened, played one round and closed): {warm_mb:.0f} MB; "
                      f"{live(url)}", flush=True)
            fac = Person(browser, url, LAPTOP, timeout_ms=180_000)
            code = fac.open_room()
            if args.months != 12:
                fac.page.locator(".room-period").click()
                fac.page.get_by_role("option", name=str(args.months), exact=True).click()
            roles = ["municipality-Stad", "municipality-Midden", "municipality-Noord", "municipality-West",
                     "municipality-Oost", "employers-sector1"]
            people = []
            for i in range(args.participants):
                who = Person(browser, url, PHONE, timeout_ms=180_000)
                who.join(code, f"P{i + 1}", roles[i % len(roles)])
                people.append(who)
                print(f"\rjoined {i + 1}/{args.participants}", end="", flush=True)
            in_mb = rss_mb(proc.pid)
            print(f"\neveryone in: {in_mb:.0f} MB", flush=True)
            rounds = []
            for r in range(1, args.rounds + 1):
                month = str(r * args.months)
                for who in people:
                    who.page.evaluate(WATCH, month)
                t0 = time.time() * 1000
                fac.next_round()
                seen = sorted(who.page.wait_for_function("window.__plmSeen", timeout=180_000).json_value() - t0
                              for who in people)
                rounds.append(seen[-1] / 1000)
                print(f"round {r}: participants' screens updated {seen[0] / 1000:.2f} s (first), "
                      f"{seen[len(seen) // 2] / 1000:.2f} s (median), {seen[-1] / 1000:.2f} s (last) after Next "
                      f"round; server {rss_mb(proc.pid):.0f} MB", flush=True)
            print(f"median over {len(rounds)} rounds of the last screen: {sorted(rounds)[len(rounds) // 2]:.2f} s",
                  flush=True)
            fac.page.locator(".room-close").click()
            for who in [*people, fac]:
                who.close()
            browser.close()
        left = time.monotonic()
        time.sleep(5)
        print(f"everyone left, room closed (5 s later): {rss_mb(proc.pid):.0f} MB (start {start_mb:.0f} MB); "
              f"{live(url)}", flush=True)
        while (waited := time.monotonic() - left) < args.wait:
            time.sleep(min(30.0, args.wait - waited))
            print(f"{time.monotonic() - left:.0f} s after everyone left: {rss_mb(proc.pid):.0f} MB; {live(url)}",
                  flush=True)
    finally:
        stop(proc)
        log.close()


if __name__ == "__main__":
    main()
