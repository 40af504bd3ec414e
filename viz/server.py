"""Starting the app's web server: solara's own server (uvicorn) on the app module, offline.

Solara serves its JavaScript and CSS from the `solara-assets` package through its asset proxy, so nothing is
loaded from a CDN (workshop rooms often have no internet). Telemetry and the version check are switched off.

The server runs each model's kernels on one thread (NUMBA_NUM_THREADS=1 unless set): the app serves several
sessions at once, each stepping its own runs, so the cores are shared between sessions, not within a run. Measured
on the 2-core machine under load (load average 7-9): a month of the default region took 15-22 ms on one thread
and 41-81 ms on two; 12 months of a compare run at scale 4, 0.15 s against 3.05 s.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

APP_MODULE = "viz.app"

# Debian's Chromium, as the browser tests and the benchmark drive it with Playwright (no browser downloads). The
# background-networking switches keep it from dialling out, which a closed network refuses.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")


def environment(scale: float | None = None, preset: str | None = None, seed: int | None = None,
                months: int | None = None, max_people: int | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_ASSETS_PROXY": "True",           # serve assets from solara-assets, never from a CDN
        "SOLARA_THEME_LOADER": "plain",
    })
    env.setdefault("NUMBA_NUM_THREADS", "1")       # cores are shared between sessions (module docstring)
    # A closed tab's session is freed at once (viz.app.closing); a tab that lost its connection without closing
    # (a laptop's lid shut, the network gone) keeps its session 3 minutes to reconnect, then it is freed too
    # (solara keeps a kernel 24 h by default). benchmarks/app_memory.py measures both.
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "3m")
    # glibc gives threads that allocate at once their own malloc arenas (up to 8 per core), and the server has many
    # threads (a play thread and a room wait per page, the kernels' own). With two arenas glibc kept 23 MB free
    # after a 30-person room left, against 32 MB with 16; the server's resident memory rose by the same 40 MB
    # either way, and rounds were no slower (benchmarks/room_load.py, docs/benchmarks.md).
    env.setdefault("MALLOC_ARENA_MAX", "2")
    # reacton's faster tree walk (opt-in in reacton 1.11): re-rendering the charts each month costs about a third
    # (measured with benchmarks/app_responsiveness.py)
    env.setdefault("REACTON_FAST", "1")
    for key, value in (("PLM_APP_SCALE", scale), ("PLM_APP_PRESET", preset), ("PLM_APP_SEED", seed),
                       ("PLM_APP_MONTHS", months), ("PLM_APP_MAX_PEOPLE", max_people)):
        if value is not None:
            env[key] = str(value)
    return env


def command(host: str = "127.0.0.1", port: int = 8765) -> list[str]:
    return [sys.executable, "-m", "solara", "run", APP_MODULE, "--host", host, "--port", str(port), "--production",
            "--no-open", "--no-check-version", "--log-level", "warning", "--no-access-log"]


def start(host: str = "127.0.0.1", port: int = 8765, log=None, **settings) -> subprocess.Popen:
    """Start the server in the background (the caller stops it)."""
    return subprocess.Popen(command(host, port), env=environment(**settings), stdout=log or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT if log else subprocess.DEVNULL, start_new_session=True)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for tests, benchmarks and screenshots)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a server started with `start` (its whole process group), killing it if it does not go."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=timeout)


def wait_until_up(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the app server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"the app server did not answer at {url} within {timeout:.0f} s")


def serve(host: str = "127.0.0.1", port: int = 8765, **settings) -> None:
    """Become the server (exec): Ctrl-C and signals then go straight to it, and nothing is left running."""
    sys.stdout.flush()
    sys.stderr.flush()
    cmd = command(host, port)
    os.execve(cmd[0], cmd, environment(**settings))


def open_tab(browser, url: str, months: int, compare: bool = False, play: bool = False, year_steps: int = 1,
             timeout_ms: int = 180_000):
    """Open the app in a new browser context (a new session) with Playwright, wait for month 0, optionally switch
    compare on, press +12 `year_steps` times and optionally leave it playing; returns (context, page). Used by the
    memory test and benchmarks/app_memory.py."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.goto(url)
    month = page.locator(".plm-kpi-month .plm-kpi-value")
    expect(month).to_have_text(f"0 / {months}", timeout=timeout_ms)
    if compare:
        page.locator(".plm-compare-switch").first.click()
        expect(page.locator(".plm-kpi-inclusion .plm-kpi-delta")).to_be_visible(timeout=timeout_ms)
    for k in range(1, year_steps + 1):
        page.locator(".plm-step-year").first.click()
        expect(month).to_have_text(f"{min(12 * k, months)} / {months}", timeout=timeout_ms)
    if play:
        shown = month.inner_text()
        page.locator(".plm-play").first.click()
        expect(month).not_to_have_text(shown, timeout=timeout_ms)
    return context, page
