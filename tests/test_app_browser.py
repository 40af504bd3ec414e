"""The app in a real browser: Playwright drives headless Chromium (Debian's /usr/bin/chromium) against the app's
own server on 127.0.0.1, as a workshop participant would use it.

The server runs the default scenario at 4 people per agent and 60 months (PLM_APP_SCALE, PLM_APP_MONTHS) so the
suite stays quick, with a limit of 20,000 people simulated per run (`plm app --max-people`; the default region
has 11,413 agents at scale 4 and 45,650 at scale 1). Every test also checks that nothing was requested from
outside this machine and that no request failed (the app must work without internet).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from abm.metrics import COLUMNS
from abm.scenario import load, preset_names
from experiments.roles import role
from viz import i18n as I
from viz.server import CHROMIUM, CHROMIUM_ARGS

MONTHS = 60
MAX_PEOPLE = 20_000
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")

pytestmark = [pytest.mark.timeout(240), pytest.mark.slow]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=20_000)  # a shared 2-core machine under load can be slow to answer a click


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (install Debian's chromium: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Compile the model's kernels once here (numba caches them on disk) so the server's first month is not
    # a compilation: in a fresh clone these are the first tests to run.
    from abm.model import LabourMarketModel
    from viz.server import free_port, start, stop, wait_until_up
    LabourMarketModel("default", seed=1, months=2, agent_views=False, scale=8.0).run()

    port = free_port()
    log_path = tmp_path_factory.mktemp("app") / "server.log"
    log = open(log_path, "w")
    proc = start("127.0.0.1", port, log=log, scale=4, months=MONTHS, max_people=MAX_PEOPLE)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, timeout=120, proc=proc)
        yield url
    finally:
        stop(proc)
        log.close()
        errors = [line for line in log_path.read_text().splitlines() if line.startswith(("ERROR", "Traceback"))]
        assert not errors, "the app server logged errors:\n" + log_path.read_text()[-4000:]


@pytest.fixture(scope="module")
def browser(server):
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
        yield b
        b.close()


class Tab:
    """One browser session (its own context: cookies, storage) with the app loaded."""

    def __init__(self, browser, url):
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(45_000)
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: None if r.url.startswith(LOCAL) else self.outside.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        expect(self.month()).to_have_text(f"0 / {MONTHS}", timeout=90_000)
        self.wait_points("inclusion", 1)

    # reading
    def month(self):
        return self.page.locator(".plm-kpi-month .plm-kpi-value")

    def plot(self, chart: str) -> list[dict]:
        return self.page.evaluate(
            """id => { const el = document.querySelector(`.plm-chart-${id} .js-plotly-plot`);
                       if (!el || !el.data) return null;
                       return el.data.map(t => ({name: t.name, type: t.type, x: t.x, y: t.y, node: t.node,
                                                 link: t.link, text: t.text})); }""", chart)

    def title(self, chart: str) -> str:
        return self.page.evaluate(
            "id => document.querySelector(`.plm-chart-${id} .js-plotly-plot`).layout.title.text", chart)

    def wait_points(self, chart: str, n: int) -> None:
        self.page.wait_for_function(
            """([id, n]) => { const el = document.querySelector(`.plm-chart-${id} .js-plotly-plot`);
                              return !!(el && el.data && el.data.length && el.data[0].x.length === n); }""",
            arg=[chart, n])

    # acting
    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()

    def step(self, months: int, expect_month: int) -> None:
        self.click(".plm-step-year" if months == 12 else ".plm-step")
        expect(self.month()).to_have_text(f"{expect_month} / {MONTHS}")

    def set_lever(self, path: str, value) -> None:
        box = self.page.locator(f".plm-lever[data-path='{path}'][data-scope=''] input.plm-lever-input")
        box.fill(str(value))
        box.press("Enter")

    def tab(self, name: str) -> None:
        self.click(f".plm-tab-{name}")
        self.page.locator(f".plm-tab-content-{name}").wait_for()

    def download(self, label: str) -> bytes:
        with self.page.expect_download() as info:
            self.page.get_by_role("button", name=label).click()
        return Path(info.value.path()).read_bytes()

    def close(self) -> None:
        self.context.close()
        assert not self.outside, f"requests left this machine: {self.outside}"
        assert not self.failed, f"requests failed: {self.failed}"
        assert not self.errors, f"errors in the page: {self.errors}"


@pytest.fixture
def tab(browser, server):
    t = Tab(browser, server)
    yield t
    t.close()


def _last(trace: dict) -> float:
    return float(trace["y"][-1])


# --- tests -----------------------------------------------------------------------------------------------

def test_load_step_and_the_charts_grow(tab):
    page = tab.page
    expect(page.locator(".plm-title")).to_have_text("plm · the parallel labour market")
    for chart in ("mix", "inclusion", "displacement", "throughput", "cost", "accounts"):
        assert tab.plot(chart), chart
    before = tab.plot("inclusion")
    assert len(before[0]["x"]) == 1
    tab.step(1, 1)
    tab.wait_points("inclusion", 2)
    tab.step(12, 13)
    tab.wait_points("inclusion", 14)
    after = tab.plot("inclusion")
    assert after[0]["y"][0] == before[0]["y"][0] and len(set(after[0]["y"])) > 1
    mix = tab.plot("mix")
    assert {t["name"] for t in mix} == {"regular", "basisbaan", "parallel", "participation", "unemployed", "inactive"}
    assert all(len(t["x"]) == 14 for t in mix)
    page.locator(".plm-chart-places").scroll_into_view_if_needed()   # a chart off screen is drawn when it shows
    tab.wait_points("places", 14)      # places filled against available and planned, per programme, for the region
    assert [t["name"] for t in tab.plot("places")][:3] == ["people in a basisbaan", "basisbaan places available "
                                                           "(acquired)", "basisbaan places planned"]
    kpi = page.locator(".plm-kpi-inclusion .plm-kpi-value").inner_text()
    assert kpi == f"{after[0]['y'][-1]:.1f}%"                       # the KPI is the chart's last point


def test_play_and_pause(tab):
    page = tab.page
    tab.click(".plm-play")
    page.wait_for_function("() => parseInt(document.querySelector('.plm-kpi-month .plm-kpi-value').innerText) >= 6")
    tab.click(".plm-play")                                            # pause
    expect(page.locator(".plm-play")).to_have_text("▶ Play")
    page.wait_for_timeout(600)                                        # a month already being computed may land
    month = int(tab.month().inner_text().split(" / ")[0])
    page.wait_for_timeout(1500)                                       # playing, 4 months/s would add ~6
    assert int(tab.month().inner_text().split(" / ")[0]) == month     # paused means paused
    tab.wait_points("inclusion", month + 1)


def test_switch_scenario_and_move_a_lever(tab):
    page = tab.page
    others = [p for p in preset_names() if p != "default"]
    if others:
        page.locator(".plm-preset").click()
        page.get_by_role("option", name=others[0], exact=True).click()
        expect(page.locator(".plm-source")).to_have_text(f"Loaded: {others[0]}")
        expect(page.locator(".plm-role")).to_have_text(I.t(f"role_{role(others[0])}", "en"))   # experiments/roles.py
        page.locator(".plm-preset").click()
        page.get_by_role("option", name="default", exact=True).click()
        expect(page.locator(".plm-source")).to_have_text("Loaded: default")
        expect(page.locator(".plm-role")).to_have_text(I.t("role_example", "en"))
    tab.step(12, 12)
    tab.wait_points("inclusion", 13)
    normal = _last(tab.plot("inclusion")[0])
    lever = page.locator(".plm-lever[data-path='economy.tightness'][data-scope='']")
    lever.hover()
    tooltip = page.locator(".plm-tooltip").filter(has_text="vacancies per job seeker")
    expect(tooltip).to_contain_text("unit: index (1 = average)")
    expect(tooltip).to_contain_text("range: 0.1 … 5")
    expect(tooltip).to_contain_text("source:")
    tab.set_lever("economy.tightness", 1.6)
    expect(page.locator(".plm-change")).to_have_text("labour-market tightness: 1 → 1.6")
    expect(tab.month()).to_have_text(f"0 / {MONTHS}")                 # a new setting restarts the run
    tab.step(12, 12)
    tab.wait_points("inclusion", 13)
    tight = _last(tab.plot("inclusion")[0])
    assert tight > normal + 0.5                                       # a tight market lets more people in (pp)


def test_the_scenario_card_lists_a_presets_assumptions_with_their_ranges(tab):
    page = tab.page
    expect(page.locator(".plm-assumed")).to_have_count(0)                # default declares no assumption
    page.locator(".plm-preset").click()
    page.get_by_role("option", name="parallel-market", exact=True).click()
    expect(page.locator(".plm-source")).to_have_text("Loaded: parallel-market")
    lines = I.assumed_lines(load("parallel-market"), "en")            # abm/assumptions.py, the preset's [assumed]
    expect(page.locator(".plm-assumed-heading")).to_have_text(lines[0])
    expect(page.locator(".plm-assumed-item")).to_have_text(lines[1:])


def test_compare_mode_and_a_mechanism_switch(tab):
    page = tab.page
    tab.click(".plm-compare-switch")
    expect(page.locator(".plm-kpi-inclusion .plm-kpi-delta")).to_contain_text("vs baseline")
    tab.tab("compare")
    expect(page.locator(".plm-no-difference")).to_be_visible()
    tab.step(12, 12)
    tab.wait_points("difference", 13)
    assert all(abs(v) < 1e-9 for v in tab.plot("difference")[0]["y"])   # same settings, same seed: no difference
    tab.tab("mechanisms")
    page.locator(".plm-switch-stigma").click()
    expect(page.locator(".plm-change")).to_have_text("Employer stigma: on → off")
    tab.tab("compare")
    tab.step(12, 12)
    tab.wait_points("difference", 13)
    diff = tab.plot("difference")[0]
    # without stigma: more people in work (pp); a mechanism switch is part of the world, so the default spin-up
    # already ran without it and month 0 differs too (docs/model.md §3.4)
    assert diff["y"][0] > 1.0 and diff["y"][-1] > 1.0
    expect(page.locator(".plm-kpi-inclusion .plm-kpi-delta")).to_contain_text("+")
    page.locator(".plm-seeds [role=slider]").focus()
    page.keyboard.press("End")                                         # the most seeds
    expect(page.locator(".plm-seeds")).to_contain_text("Seeds: 5")
    tab.step(12, 12)
    page.wait_for_function("() => { const el = document.querySelector('.plm-chart-difference .js-plotly-plot');"
                           " return el && el.data.some(t => t.fill === 'tonexty') && el.data[0].x.length === 13; }")
    band = [t for t in tab.plot("difference") if t["name"] and "seeds" in t["name"]]
    assert band, "several seeds draw a band"


def test_export_gives_files_plm_run_accepts(tab, tmp_path):
    page = tab.page
    tab.set_lever("policy.basisbaan_slots", 120)
    expect(page.locator(".plm-change")).to_contain_text("120")
    tab.step(1, 1)
    tab.tab("export")
    toml_bytes = tab.download("Scenario with your settings (TOML)")
    data = tomllib.loads(toml_bytes.decode())
    assert data["policy"]["basisbaan_slots"] == 120 and data["scale"] == 4.0
    path = tmp_path / "from-the-app.toml"
    path.write_bytes(toml_bytes)
    run = subprocess.run([sys.executable, "-m", "experiments.cli", "run", "--scenario", str(path), "--months", "2",
                          "--seed", "42", "--out", str(tmp_path / "run"), "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "run" / "timeseries.csv").exists()
    csv = pd.read_csv(io.BytesIO(tab.download("Time series (CSV)")))
    assert list(csv.columns) == list(COLUMNS) and list(csv["month"]) == [0, 1]
    ran = pd.read_csv(tmp_path / "run" / "timeseries.csv")
    assert ran["inclusion_rate"].iloc[1] == pytest.approx(csv["inclusion_rate"].iloc[1], rel=1e-12)
    png = tab.download("Download chart")
    assert png.startswith(b"\x89PNG")
    page.locator(".plm-export-format button", has_text="svg").click()
    svg = tab.download("Download chart")
    assert b"<svg" in svg[:400]
    # every chart, not only the Export tab's: its own PNG button gives the image with the caption (issue 11 §3)
    tab.tab("charts")
    with page.expect_download() as info:
        page.locator(".plm-chart-inclusion .plm-chart-png").click()
    from PIL import Image

    caption = Image.open(io.BytesIO(Path(info.value.path()).read_bytes())).text["Description"]
    assert "basisbaan" in caption and "120" in caption and "seed 42" in caption and f"month 1 of {MONTHS}" in caption


def test_a_bad_scenario_file_shows_its_error_and_keeps_the_run(tab):
    page = tab.page
    tab.step(12, 12)
    page.set_input_files(".plm-upload input[type=file]", files=[
        {"name": "bad.toml", "mimeType": "text/plain", "buffer": b"[economy]\ntightness = 9\n"}])
    expect(page.locator(".plm-error-message")).to_have_text("bad.toml: economy.tightness = 9: must be <= 5.0")
    expect(page.locator(".plm-error-title")).to_contain_text("previous run stays")
    expect(tab.month()).to_have_text(f"12 / {MONTHS}")
    expect(page.locator(".plm-source")).to_have_text("Loaded: default")
    page.set_input_files(".plm-upload input[type=file]", files=[
        {"name": "good.toml", "mimeType": "text/plain",
         "buffer": b"base = 'default'\nmonths = 24\nscale = 4.0\n[economy]\ntightness = 1.2\n"}])
    expect(page.locator(".plm-source")).to_have_text("Loaded: good.toml")
    expect(tab.month()).to_have_text("0 / 24")
    expect(page.locator(".plm-error-message")).to_have_count(0)


def test_two_sessions_at_once_stay_separate(browser, server):
    a, b = Tab(browser, server), Tab(browser, server)
    try:
        a.step(12, 12)
        b.set_lever("economy.tightness", 1.3)
        expect(b.page.locator(".plm-change")).to_contain_text("1.3")
        b.step(1, 1)
        expect(a.month()).to_have_text(f"12 / {MONTHS}")
        expect(a.page.locator(".plm-changes-none")).to_be_visible()
        b.wait_points("inclusion", 2)
        assert len(a.plot("inclusion")[0]["x"]) == 13
    finally:
        a.close()
        b.close()


def test_language_switch(tab):
    page = tab.page
    tab.click(".plm-lang-nl")
    expect(page.locator(".plm-tab-charts")).to_have_text("In de tijd")
    expect(page.locator(".plm-kpi-inclusion .plm-kpi-label")).to_have_text("inclusiegraad")
    page.wait_for_function("() => document.querySelector('.plm-chart-inclusion .js-plotly-plot')"
                           ".layout.title.text === 'Inclusiegraad en inclusiekloof · seed 42'")
    expect(page.locator(".plm-lever[data-path='policy.basisbaan_slots'] .plm-lever-label")).to_contain_text(
        "basisbaanplaatsen")
    tab.click(".plm-lang-en")
    expect(page.locator(".plm-tab-charts")).to_have_text("Over time")
    # the chart redraws after the labels (plotly draws on the browser's next tick): wait for it, as for Dutch
    page.wait_for_function("() => document.querySelector('.plm-chart-inclusion .js-plotly-plot')"
                           ".layout.title.text === 'Inclusion rate and inclusion gap · seed 42'")


def test_flows_region_and_a_persons_story(tab):
    page = tab.page
    tab.step(12, 12)
    tab.tab("flows")
    page.wait_for_function("() => { const el = document.querySelector('.plm-chart-flows .js-plotly-plot');"
                           " return el && el.data && el.data[0].type === 'sankey'; }")
    sankey = tab.plot("flows")[0]
    assert sum(sankey["link"]["value"]) > 40_000 and "regular" in sankey["node"]["label"]
    tab.tab("region")
    page.wait_for_function("() => !!document.querySelector('.plm-chart-region .js-plotly-plot')")
    names = [t["text"] for t in tab.plot("region") if t.get("text")][0]
    assert names == ["Stad", "Midden", "Noord", "West", "Oost"]
    tab.tab("person")
    tab.click(".plm-find-basisbaan")
    page.wait_for_function("() => !!document.querySelector('.plm-chart-story .js-plotly-plot')")
    story = tab.plot("story")
    assert len(story[0]["x"]) >= 2
    expect(page.locator(".plm-facts-table")).to_contain_text("basisbaan")
    expect(page.locator(".plm-events")).to_contain_text("basisbaan")


def test_a_lesson_sets_up_the_model_and_asks(tab):
    page = tab.page
    tab.tab("lessons")
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".plm-lesson")).to_contain_text("Step 2 of 3")
    tab.click(".plm-lesson-setup")
    page.locator(".plm-tab-content-compare").wait_for()
    expect(tab.month()).to_have_text(f"36 / {MONTHS}")
    expect(page.locator(".plm-notice")).to_contain_text("Self-stigma (why try): off")    # plain words
    tab.wait_points("difference", 37)
    assert _last(tab.plot("difference")[0]) > 0                       # people search more without why-try
    tab.tab("accounts")
    expect(page.locator(".plm-accounts-table")).to_contain_text("municipality")
    tab.tab("lessons")                                                  # the lesson kept its place
    expect(page.locator(".plm-lesson")).to_contain_text("Step 2 of 3")


def test_the_net_cost_reads_the_same_on_the_tile_in_compare_and_in_who_pays(tab):
    page = tab.page
    tab.click(".plm-compare-switch")
    expect(page.locator(".plm-kpi-inclusion .plm-kpi-delta")).to_contain_text("vs baseline")
    tab.set_lever("policy.basisbaan_slots", 500)
    expect(page.locator(".plm-change")).to_contain_text("500")
    tab.step(12, 12)
    label = page.locator(".plm-kpi-cost .plm-kpi-label")
    expect(label).to_have_text("municipal net cost so far (spend − receipts)")
    value = page.locator(".plm-kpi-cost .plm-kpi-value").inner_text()
    delta = page.locator(".plm-kpi-cost .plm-kpi-delta").inner_text()
    assert delta.startswith("+EUR ") and delta.endswith(" vs baseline")       # the programme costs money
    tab.tab("compare")
    row = page.locator(".plm-compare-table tr", has_text="municipal net cost so far (spend − receipts)")
    cells = row.locator("td").all_inner_texts()
    assert cells[2] == value and f"{cells[3]} vs baseline" == delta
    tab.tab("accounts")
    row = page.locator(".plm-accounts-table tr", has_text="municipality (gemeente)")
    cells = row.locator("td").all_inner_texts()                        # party, variant, baseline, difference
    assert cells[1] == "−" + value and cells[3] == "−" + delta.removeprefix("+").removesuffix(" vs baseline")
    expect(page.locator(".plm-accounts-assumed")).to_contain_text("EUR 15 per hour worked, is an assumption")
    expect(page.locator(".plm-programme-note")).to_contain_text("is the programme's net cost")
    tab.tab("charts")
    names = [t["name"] for t in tab.plot("cost")]
    assert "benefits saved by work (counterfactual, not subtracted)" in names


def test_a_file_the_server_refuses_shows_its_line_beside_the_upload(tab):
    page = tab.page
    tab.step(1, 1)
    page.set_input_files(".plm-upload input[type=file]", files=[
        {"name": "utf16.toml", "mimeType": "text/plain", "buffer": "months = 12\n".encode("utf-16")}])
    message = page.locator(".plm-scenario .plm-error-message")
    expect(message).to_have_text("utf16.toml: the file is UTF-16; allowed: a UTF-8 text file (save it as UTF-8)")
    page.set_input_files(".plm-upload input[type=file]", files=[
        {"name": "big.toml", "mimeType": "text/plain", "buffer": b"#" * 2_000_001}])
    expect(message).to_have_text("big.toml: 2,000,001 bytes; allowed: a scenario file of at most 2,000,000 bytes")
    expect(tab.month()).to_have_text(f"1 / {MONTHS}")
    expect(page.locator(".plm-source")).to_have_text("Loaded: default")


def test_a_lever_beyond_the_limit_of_people_is_refused_beside_it(tab):
    page = tab.page
    tab.step(12, 12)
    tab.set_lever("scale", 1)
    lever = page.locator(".plm-levers .plm-error-message")
    expect(lever).to_have_text("scenario 'default': 45,650 people as 45,650 agents (scale 1); allowed here: at "
                               f"most {MAX_PEOPLE:,} agents (use a larger scale, or raise the limit with "
                               "plm app --max-people N)")
    expect(page.locator(".plm-levers .plm-error-title")).to_contain_text("previous run stays")
    expect(tab.month()).to_have_text(f"12 / {MONTHS}")                 # the previous run is kept
    box = page.locator(".plm-lever[data-path='scale'][data-scope=''] input.plm-lever-input")
    expect(box).to_have_value("4")                                     # the input shows the scale in force
    expect(page.locator(".plm-changes-none")).to_be_visible()


def test_hide_settings_really_hides_the_panel_and_presentation_mode_shows_a_caption(tab):
    page = tab.page
    side = page.locator(".plm-side")
    expect(side).to_be_visible()
    tab.click(".plm-side-toggle")
    expect(side).to_be_hidden()                          # not only the label: the panel is gone
    assert page.locator(".plm-main").bounding_box()["x"] < 20    # and the main area takes its place
    tab.click(".plm-side-toggle")
    expect(side).to_be_visible()

    tab.set_lever("policy.basisbaan_slots", 120)
    expect(page.locator(".plm-change")).to_have_count(1)
    tab.click(".plm-present-toggle")
    expect(side).to_be_hidden()
    caption = page.locator(".plm-caption")
    expect(caption).to_contain_text("basisbaan (basic job) places per municipality: 120")
    expect(caption).to_contain_text("seed 42")
    expect(caption).to_contain_text(f"month 0 of {MONTHS}")
    tab.click(".plm-present-toggle")
    expect(side).to_be_visible()
    expect(caption).to_have_count(0)


def test_a_rejected_lever_value_shows_its_message_beside_the_input(tab):
    page = tab.page
    lever = page.locator(".plm-lever[data-path='policy.caseload'][data-scope='']")
    box = lever.locator("input.plm-lever-input")
    in_effect = box.input_value()
    page.locator(".plm-side").evaluate("el => el.scrollTop = 0")
    tab.set_lever("policy.caseload", -5)
    banner = page.locator(".plm-error-at-lever")
    expect(banner).to_be_visible()
    expect(banner).to_be_in_viewport()                               # brought into view
    expect(banner.locator(".plm-error-rejected")).to_contain_text("Not applied: -5")
    expect(banner.locator(".plm-error-message")).to_contain_text("policy.caseload")
    expect(box).to_have_value(in_effect)                             # the box shows the value in effect
    below, top = lever.bounding_box(), banner.bounding_box()
    assert 0 <= top["y"] - (below["y"] + below["height"]) < 40       # right beside (under) the input
    expect(page.locator(".plm-changes-none")).to_be_visible()        # nothing changed
    tab.set_lever("policy.caseload", 200)                            # a good value clears it
    expect(banner).to_have_count(0)


def test_a_policy_lever_from_now_on_continues_the_run_and_marks_the_month(tab):
    page = tab.page
    tab.step(12, 12)
    tab.click(".plm-from-now")
    expect(page.locator(".plm-from-now-note")).to_contain_text("from month 13 on")
    tab.set_lever("policy.caseload", 100)
    expect(page.locator(".plm-change-dated")).to_contain_text("from month 13")
    expect(tab.month()).to_have_text(f"12 / {MONTHS}")                 # no restart
    page.wait_for_function("() => { const el = document.querySelector('.plm-chart-inclusion .js-plotly-plot');"
                           " return el && el.layout.shapes && el.layout.shapes.length === 1"
                           " && el.layout.shapes[0].x0 === 13; }")        # marked on the time axis
    # the box shows the value now in force, not month 0's (issue 11), also after the run moved on
    box = page.locator(".plm-lever[data-path='policy.caseload'][data-scope=''] input.plm-lever-input")
    expect(box).to_have_value(re.compile(r"^100([.,]0+)?$"))
    tab.step(12, 24)
    expect(box).to_have_value(re.compile(r"^100([.,]0+)?$"))
    tab.wait_points("inclusion", 25)


def test_compare_over_the_calibration_ensemble_shows_its_interval(tab):
    """The Compare card's ensemble switch runs both sides for every member of abm/ensemble.toml: the tiles, the
    Compare tab's note and the difference chart's band then give the ensemble's 5–95% interval."""
    from experiments.ensemble import ENSEMBLE_FILE, load_ensemble

    members = len(load_ensemble(ENSEMBLE_FILE).members)
    page = tab.page
    tab.click(".plm-compare-switch")
    tab.tab("compare")
    expect(page.locator(".plm-ensemble-note")).to_have_count(0)
    tab.click(".plm-ensemble-switch")
    seeds = page.locator(".plm-kpi-inclusion .plm-kpi-seeds")
    expect(seeds).to_contain_text(f"{members} members × 1 seed; 5–95% interval")
    expect(page.locator(".plm-ensemble-note")).to_contain_text(f"{members} parameter sets × 1 seed")
    expect(page.locator(".plm-kpi-basis")).to_have_text(
        f"Figures: mean of {members} runs over the calibration ensemble: {members} members × seed 42")
    tab.step(1, 1)
    tab.wait_points("difference", 2)
    band = [t for t in tab.plot("difference") if t["name"] == f"5–95% interval of {members} members × 1 seed"]
    assert band and len(band[0]["x"]) == 2
    expect(page.locator(".plm-compare-table")).to_contain_text("5–95% interval over the ensemble")
    tab.click(".plm-ensemble-switch")                                  # off: the seeds' own range again
    expect(page.locator(".plm-ensemble-note")).to_have_count(0)
    expect(seeds).to_have_count(0)                                     # one seed: no range


def test_acquisition_levers_act_and_the_places_chart_and_csv_export(tab):
    """Places are made, not declared: the programme's acquisition switch and staff hours are main levers; with them
    the places chart shows fewer places available than planned, and the Export tab gives the chart (with its
    caption) and its figures as CSV."""
    from PIL import Image

    from abm.acquisition import PLACE_COLUMNS

    page = tab.page
    page.locator(".plm-lever[data-path='policy.basisbaan_acquisition'][data-scope=''] .plm-lever-switch").click()
    expect(page.locator(".plm-change")).to_have_text("basisbaan places made over time (acquisition): off → on")
    tab.set_lever("policy.basisbaan_acquisition_hours", 40)
    expect(page.locator(".plm-change")).to_have_count(2)
    expect(page.locator(".plm-change").nth(1)).to_contain_text("staff hours to find basisbaan places: 160 → 40")
    tab.step(12, 12)
    page.locator(".plm-chart-places").scroll_into_view_if_needed()
    tab.wait_points("places", 13)
    places = {t["name"]: t["y"] for t in tab.plot("places")}
    assert places["basisbaan places available (acquired)"][-1] < places["basisbaan places planned"][-1]
    tab.tab("export")
    table = pd.read_csv(io.BytesIO(tab.download("Programme places over time, region and municipalities (CSV)")))
    assert list(table.columns) == ["month", "municipality", "n_basisbaan", *PLACE_COLUMNS]
    region = table[table["municipality"] == "all"]
    assert list(region["month"]) == list(range(13))
    assert list(region["basisbaan_places_acquired"]) == places["basisbaan places available (acquired)"]
    page.locator(".plm-export-chart").click()
    page.get_by_role("option", name="Places filled against places available and planned").click()
    png = tab.download("Download chart")
    caption = Image.open(io.BytesIO(png)).text["Description"]
    assert "basisbaan places made over time (acquisition): on" in caption and f"month 12 of {MONTHS}" in caption
