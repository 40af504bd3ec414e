"""Closed browser sessions free their models (issue 11: a closed session's models were never freed).

Live objects are counted with weak references after a full garbage collection (`viz.liveness`), not with the
server's memory: RSS is a benchmark figure (benchmarks/app_memory.py, docs/benchmarks.md).

The browser test runs the app's own server with PLM_APP_DIAGNOSTICS=1 (it then answers /_plm/live) and a cull
timeout of 2 s, and opens and closes sessions in rounds: tabs closed as a person closes them, and a browser that
goes away without closing its tabs (the session ends when Solara culls its kernel). Once Solara holds no
kernel, no session and no model may remain.
"""

from __future__ import annotations

import gc
import json
import os
import time
import urllib.request
import weakref

import pytest

from viz import liveness
from viz.server import CHROMIUM, CHROMIUM_ARGS
from viz.session import Session

MONTHS = 24


def test_a_closed_session_frees_its_models_even_while_the_session_is_referenced():
    s = Session("default", seed=3, overrides={"scale": 8.0, "months": MONTHS})
    s.set_compare(True, 2)
    s.step(3)
    models = [weakref.ref(r.model) for pair in s.runs for r in pair if r is not None]
    assert len(models) == 4
    s.close()
    gc.collect()
    assert [m for m in models if m() is not None] == []
    assert not s.running and s.step(1) == 0          # a closed session steps no more
    s.close()                                         # and closing twice is harmless


def test_the_live_counts_follow_sessions_and_models():
    before = liveness.counts()
    s = Session("default", seed=3, overrides={"scale": 8.0, "months": MONTHS})
    s.set_compare(True)
    now = liveness.counts()
    assert now["sessions"] == before["sessions"] + 1
    assert now["models"] == before["models"] + 2      # variant and baseline; the refused/replaced ones are gone
    del s
    assert liveness.counts() == before


# --- the real server, in rounds --------------------------------------------------------------------------

playwright_api = pytest.importorskip("playwright.sync_api")


def _live(url: str) -> dict:
    with urllib.request.urlopen(url + "_plm/live", timeout=60) as resp:
        return json.loads(resp.read())


def _until_no_kernel(url: str, limit: float = 180.0) -> dict:
    """The server's counts once Solara has shut down every kernel (closed tab, or culled) and the sessions and
    models are gone, or after `limit` seconds ("within a few minutes": a page's play thread may hold its session
    for a moment after the kernel ends, until it sees the page has closed)."""
    deadline = time.monotonic() + limit
    while True:
        now = _live(url)
        if (now["kernels"], now["sessions"], now["models"]) == (0, 0, 0) or time.monotonic() > deadline:
            return now
        time.sleep(0.5)


def _open(browser, url: str, compare: bool, play: bool):
    from viz.server import open_tab

    # left playing: the play thread must not keep the session either
    return open_tab(browser, url, MONTHS, compare=compare, play=play, timeout_ms=90_000)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sessions_opened_and_closed_in_rounds_leave_no_session_and_no_model(tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium: apt-get install chromium)")
    from viz.liveness import wait_warm
    from viz.server import free_port, start, stop, wait_until_up

    os.environ["PLM_APP_DIAGNOSTICS"] = "1"
    os.environ["SOLARA_KERNEL_CULL_TIMEOUT"] = "2s"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "server.log"
    log = open(log_path, "w")
    try:
        proc = start("127.0.0.1", port, log=log, scale=8, months=MONTHS)
    finally:
        del os.environ["PLM_APP_DIAGNOSTICS"], os.environ["SOLARA_KERNEL_CULL_TIMEOUT"]
    try:
        wait_until_up(url, timeout=120, proc=proc)
        wait_warm(url)                  # the server's warm-up holds a small session for a few seconds (viz.warmup)
        assert _live(url)["sessions"] == 0
        with playwright_api.sync_playwright() as pw:
            def launch():
                return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))

            for round_ in range(2):
                # tabs closed one by one, as a person closes them (the page says goodbye to the server)
                browser = launch()
                tabs = [_open(browser, url, compare=True, play=False), _open(browser, url, compare=False, play=True)]
                opened = _live(url)
                assert opened["sessions"] == 2 and opened["models"] == 3, opened
                for context, page in tabs:
                    page.close(run_before_unload=True)
                    context.close()
                after = _until_no_kernel(url)
                assert after["kernels"] == 0, f"round {round_}: Solara kept a kernel: {after}"
                assert (after["sessions"], after["models"]) == (0, 0), f"round {round_}, tabs closed: {after}"

                # a browser that goes away with its tabs open (no goodbye): the session ends when it is culled
                _open(browser, url, compare=True, play=True)
                assert _live(url)["sessions"] == 1
                browser.close()
                after = _until_no_kernel(url)
                assert after["kernels"] == 0, f"round {round_}: Solara kept a kernel: {after}"
                assert (after["sessions"], after["models"]) == (0, 0), f"round {round_}, browser gone: {after}"
    finally:
        stop(proc)
        log.close()
    log_text = log_path.read_text()
    errors = [line for line in log_text.splitlines() if line.startswith(("ERROR", "Traceback"))]
    assert not errors, "the app server logged errors:\n" + log_text[-4000:]
    assert "samesite" not in log_text.lower(), "the cookie warning still floods the server's terminal"
