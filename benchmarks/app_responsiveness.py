"""How responsive the app is on the default scenario (issue: one month computed and drawn within 250 ms; Play
shows at least 4 months per second).

Three measurements:
1. server side, no browser: one month of the default scenario computed (`Session.step`) and everything the app
   builds to draw it (the snapshot, every chart of the "Over time" tab as plotly data);
2. in a real browser (Debian's Chromium, headless, driven by Playwright): from the click on Step until the
   inclusion chart in the page holds the new month (Plotly has redrawn it), for single runs and compare mode;
3. Play in the browser: months shown per second at the default speed (4/s) and at the fastest setting (24/s).

Usage: .venv/bin/python benchmarks/app_responsiveness.py [--steps 20] [--play-seconds 10] [--scale 1]
       .venv/bin/python benchmarks/app_responsiveness.py --people 250000 --server-only
`--people N` grows the default region to about N agents (every municipality's people times the same factor), the
size `plm app --max-people` allows, for measurement 1; `--server-only` skips the browser.
The last line printed is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# the kernels on one thread, as the app's server runs them (viz/server.py), also for the in-process measurement
os.environ.setdefault("NUMBA_NUM_THREADS", "1")


def stats(values: list[float]) -> dict:
    values = sorted(values)
    return {"n": len(values), "median_ms": round(1000 * statistics.median(values), 1),
            "p95_ms": round(1000 * values[min(len(values) - 1, int(0.95 * len(values)))], 1),
            "max_ms": round(1000 * values[-1], 1)}


def grown_region(people: int) -> str:
    """The default scenario as TOML with every municipality's people groups times one factor: about `people`
    agents at scale 1 (never more)."""
    from abm.scenario import PEOPLE_GROUPS, estimate_size, load, validate

    base = load("default")
    factor = people / estimate_size(base).agents
    data = base.model_dump(mode="json", exclude_none=True)
    data["name"] = f"default-{people}"
    for m in data["municipalities"]:
        for g in PEOPLE_GROUPS:
            m[g] = int(m[g] * factor)
    return validate(data).to_toml()


def server_side(steps: int, scale: float, people: int | None = None) -> dict:
    """Compute and build the charts, and (with solara.render, no browser) re-render the app's components."""
    from viz.charts import to_plotly
    from viz.session import Session
    from viz.tabs import live_charts

    out = {}
    for label, compare in (("single", False), ("compare", True)):
        s = Session("default", seed=42, overrides={"scale": scale})
        if people:
            err = s.load_toml(grown_region(people), f"default-{people}.toml")
            if err:
                raise SystemExit(err)
        if compare:
            s.set_compare(True)
        compute, draw = [], []
        for _ in range(steps):
            t0 = time.perf_counter()
            s.step(1)
            snap = s.snapshot()
            t1 = time.perf_counter()
            for chart in live_charts(snap, "en"):
                to_plotly(chart)
            t2 = time.perf_counter()
            compute.append(t1 - t0)
            draw.append(t2 - t1)
        out[label] = {"compute": stats(compute), "build_charts": stats(draw),
                      "total": stats([a + b for a, b in zip(compute, draw)]),
                      "seekers": int(snap.ts["seekers"].iloc[0])}
    return out


def browser_side(steps: int, play_seconds: float, scale: float) -> dict:
    from playwright.sync_api import expect, sync_playwright

    from viz.server import CHROMIUM, CHROMIUM_ARGS, free_port, start, stop, wait_until_up

    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"plm-app-bench-{port}.log", "w")
    proc = start("127.0.0.1", port, log=log, scale=scale if scale != 1 else None)
    url = f"http://127.0.0.1:{port}/"
    result: dict = {}
    try:
        wait_until_up(url, timeout=120, proc=proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
            page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
            page.set_default_timeout(60_000)
            t0 = time.perf_counter()
            page.goto(url)
            page.wait_for_function("() => { const el = document.querySelector('.plm-chart-inclusion .js-plotly-plot');"
                                   " return el && el.data && el.data[0].x.length === 1; }")
            result["first_load_s"] = round(time.perf_counter() - t0, 2)

            def points() -> int:
                return page.evaluate("() => document.querySelector('.plm-chart-inclusion .js-plotly-plot')"
                                     ".data[0].x.length")

            def click_steps(n: int) -> list[float]:
                """Timed inside the page: from the click on Step to the frame in which every chart on screen holds
                the new month (so Playwright's own click machinery is not counted)."""
                times = []
                for _ in range(n):
                    ms = page.evaluate("""() => new Promise((resolve, reject) => {
                        const chart = () => document.querySelector('.plm-chart-inclusion .js-plotly-plot');
                        const target = chart().data[0].x.length + 1;
                        const t0 = performance.now();
                        document.querySelector('.plm-step').click();
                        const onScreen = () => Array.from(document.querySelectorAll('.plm-chart .js-plotly-plot'))
                          .filter(el => { const r = el.getBoundingClientRect();
                                          return r.bottom > 0 && r.top < window.innerHeight; });
                        const poll = () => {
                          if (onScreen().every(el => el.data && el.data[0].x.length === target))
                            resolve(performance.now() - t0);
                          else if (performance.now() - t0 > 30000) reject(new Error('no redraw in 30 s'));
                          else requestAnimationFrame(poll);
                        };
                        requestAnimationFrame(poll);
                      })""")
                    times.append(ms / 1000.0)
                    page.wait_for_timeout(150)               # let the other charts finish drawing
                return times

            click_steps(2)                                          # warm up
            result["step_single"] = stats(click_steps(steps))

            def play_rate(speed_key: str | None) -> float:
                page.locator(".plm-reset").click()
                page.wait_for_function("() => document.querySelector('.plm-chart-inclusion .js-plotly-plot')"
                                       ".data[0].x.length === 1")
                if speed_key:
                    page.locator(".plm-speed [role=slider]").focus()
                    page.keyboard.press(speed_key)
                start_points = points()
                page.locator(".plm-play").click()
                t = time.perf_counter()
                last, t_last = start_points, t
                while time.perf_counter() - t < play_seconds:          # sample what the page shows
                    page.wait_for_timeout(200)
                    now = points()
                    if now != last:
                        last, t_last = now, time.perf_counter()
                    elif now >= 121:                                 # the run has ended
                        break
                if page.locator(".plm-play").is_enabled():
                    page.locator(".plm-play").click()
                    expect(page.locator(".plm-play")).to_contain_text("Play")
                return (last - start_points) / (t_last - t)

            result["play_default_speed_months_per_s"] = round(play_rate(None), 2)
            result["play_fastest_months_per_s"] = round(play_rate("End"), 2)

            page.locator(".plm-reset").click()
            page.locator(".plm-compare-switch").click()
            page.wait_for_function("() => !!document.querySelector('.plm-kpi-inclusion .plm-kpi-delta')"
                                   " && !!document.querySelector('.plm-chart-mix_baseline .js-plotly-plot')"
                                   " && !!document.querySelector('.plm-chart-inclusion .js-plotly-plot')")
            click_steps(2)
            result["step_compare"] = stats(click_steps(steps))
            browser.close()
    finally:
        stop(proc)
        log.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--play-seconds", type=float, default=10.0)
    ap.add_argument("--scale", type=float, default=1.0, help="people per agent (1 = the default scenario as is)")
    ap.add_argument("--people", type=int, default=None,
                    help="grow the default region to about this many agents (server side; e.g. 250000, the app's "
                         "default --max-people)")
    ap.add_argument("--server-only", action="store_true", help="skip the browser measurements")
    args = ap.parse_args()
    import numpy

    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                         f"numpy {numpy.__version__}", "load_average": [round(x, 2) for x in os.getloadavg()],
              "date": time.strftime("%Y-%m-%d"), "scale": args.scale, "people": args.people,
              "server": server_side(args.steps, args.scale, args.people)}
    if not args.server_only:
        result["browser"] = browser_side(args.steps, args.play_seconds, args.scale)
    srv = result["server"]
    print(f"default scenario{' grown' if args.people else ''}, {srv['single']['seekers']:,} people, "
          f"scale {args.scale}")
    for label in ("single", "compare"):
        r = srv[label]
        print(f"server, {label:7s}: compute {r['compute']['median_ms']} ms (p95 {r['compute']['p95_ms']}), "
              f"charts {r['build_charts']['median_ms']} ms, total {r['total']['median_ms']} ms "
              f"(p95 {r['total']['p95_ms']})")
    if args.server_only:
        print(json.dumps(result))
        return
    br = result["browser"]
    for label in ("step_single", "step_compare"):
        r = br[label]
        print(f"browser, click Step -> charts on screen redrawn ({label[5:]}): median {r['median_ms']} ms, "
              f"p95 {r['p95_ms']} ms, "
              f"max {r['max_ms']} ms")
    print(f"browser, Play: {br['play_default_speed_months_per_s']} months/s at the default speed (4/s), "
          f"{br['play_fastest_months_per_s']} months/s at the fastest (24/s); first load {br['first_load_s']} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
