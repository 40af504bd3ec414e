"""Does the app's server give back the memory of closed browser sessions? (issue 11: closed sessions were never
freed; three rounds of three sessions took a server from 261 MB to 1,687 MB.)

Starts the app's server (`plm app`'s own command, with PLM_APP_DIAGNOSTICS=1 so that it answers /_plm/live and
a short SOLARA_KERNEL_CULL_TIMEOUT), then in rounds opens N browser tabs (Debian's Chromium, headless, driven by
Playwright), switches compare on in each, runs every tab to the end (60 months by default), closes the tabs and
waits until the server holds no session and no model any more (or `--wait` seconds). It prints, per round, the
server's resident memory (RSS) and the live sessions, models and Solara kernels: with the tabs open, and after
they closed. RSS is a benchmark figure: what the allocator gives back to the system varies; the counts of live
sessions and models are what tests/test_app_memory.py asserts.

`--drop` closes the browser process itself instead of each tab (no page-close message reaches the server: the
session ends through the cull timeout, as when a laptop's lid closes).

Usage: .venv/bin/python benchmarks/app_memory.py [--rounds 3] [--tabs 3] [--months 60] [--scale 1]
                                                 [--cull 20s] [--wait 300] [--drop]
The last line printed is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def live(url: str) -> dict:
    with urllib.request.urlopen(url + "_plm/live", timeout=60) as resp:
        return json.loads(resp.read())


def mb(n: int) -> int:
    return round(n / 1e6)


def wait_freed(url: str, seconds: float) -> tuple[dict, float]:
    """Poll the server until no session and no model is alive, or `seconds` passed; (last counts, seconds taken)."""
    t0 = time.monotonic()
    while True:
        now = live(url)
        if (now["sessions"] == 0 and now["models"] == 0) or time.monotonic() - t0 > seconds:
            return now, time.monotonic() - t0
        time.sleep(2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tabs", type=int, default=3)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--cull", default="20s", help="SOLARA_KERNEL_CULL_TIMEOUT of the server")
    ap.add_argument("--wait", type=float, default=300.0, help="most seconds to wait for the memory to be freed")
    ap.add_argument("--no-compare", action="store_true")
    ap.add_argument("--drop", action="store_true", help="close the browser, not the tabs (sessions end by cull)")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from viz.liveness import wait_warm
    from viz.server import CHROMIUM, CHROMIUM_ARGS, free_port, open_tab, start, stop, wait_until_up

    os.environ["PLM_APP_DIAGNOSTICS"] = "1"
    os.environ["SOLARA_KERNEL_CULL_TIMEOUT"] = args.cull
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)
    proc = start("127.0.0.1", port, log=log, scale=args.scale, months=args.months)
    rounds = []
    try:
        wait_until_up(url, timeout=180, proc=proc)
        wait_warm(url)          # the start: the server after its warm-up (viz.warmup)
        start_counts = live(url)
        print(f"server up: RSS {mb(start_counts['rss_bytes'])} MB, {start_counts}", flush=True)
        with sync_playwright() as pw:
            browser = None
            for r in range(1, args.rounds + 1):
                if browser is None:
                    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
                t0 = time.monotonic()
                tabs = [open_tab(browser, url, args.months, compare=not args.no_compare,
                                 year_steps=args.months // 12) for _ in range(args.tabs)]
                opened = live(url)
                print(f"round {r}: {args.tabs} tabs at month {args.months} after {time.monotonic() - t0:.0f} s: "
                      f"RSS {mb(opened['rss_bytes'])} MB, sessions {opened['sessions']}, models {opened['models']}",
                      flush=True)
                if args.drop:
                    browser.close()
                    browser = None
                else:
                    for context, page in tabs:
                        page.close(run_before_unload=True)      # as a person closes a tab
                        context.close()
                freed, took = wait_freed(url, args.wait)
                print(f"round {r}: {took:.0f} s after the tabs closed: RSS {mb(freed['rss_bytes'])} MB, "
                      f"sessions {freed['sessions']}, models {freed['models']}, kernels {freed['kernels']}",
                      flush=True)
                rounds.append({"round": r, "open": opened, "closed": freed, "seconds_to_free": round(took, 1)})
            if browser is not None:
                browser.close()
    finally:
        stop(proc)
        log.close()
    errors = [line for line in Path(log.name).read_text().splitlines() if line.startswith(("ERROR", "Traceback"))]
    print(json.dumps({"benchmark": "app_memory", "rounds": rounds, "start": start_counts,
                      "settings": vars(args), "server_errors": errors[:5], "machine": platform.machine(),
                      "cpus": os.cpu_count(), "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
