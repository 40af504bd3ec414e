"""The app's components: each renders from the session's snapshot and the language, and changes the session
only through `AppState` actions (which call `viz.session.Session`). No model logic here."""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

import solara

from abm.metric_labels import over_text
from abm.scenario import MAX_FILE_BYTES
from experiments.ensemble import ENSEMBLE_FILE
from viz import charts as C
from viz import i18n as I
from viz import levers as L
from viz.room import ROOM_BUTTON
from viz.session import MAX_COMPARE_SEEDS, Session, Snapshot

TABS = ("charts", "compare", "flows", "region", "person", "accounts", "mechanisms", "lessons", "export")
SPEEDS = (1, 2, 4, 6, 8, 12, 16, 24)
MAX_FRAMES_PER_SECOND = 8


# --- state shared by the components ---------------------------------------------------------------------

@dataclass
class AppState:
    """The session and the reactive values the components read (one per browser session)."""

    session: Session
    snap: solara.Reactive            # Snapshot after every change (every month while playing)
    config: solara.Reactive          # bumped when settings change (not on steps)
    lang: solara.Reactive
    tab: solara.Reactive
    playing: solara.Reactive
    speed: solara.Reactive
    error: solara.Reactive
    notice: solara.Reactive
    person: solara.Reactive
    metric: solara.Reactive          # the Compare tab's metric
    side: solara.Reactive            # the settings panel is shown (hide it on a small projector)
    from_now: solara.Reactive        # policy levers apply from the next month on (a dated change), not from month 0
    present: solara.Reactive         # presentation mode: no settings panel, large tiles and charts, a caption
    lesson: solara.Reactive          # (lesson id, step index) of the Lessons tab, kept while other tabs are open
    rejected: solara.Reactive        # (input, value) of the last value refused, shown beside its input

    def t(self, key: str, **fmt: Any) -> str:
        return I.t(key, self.lang.value, **fmt)

    def act(self, fn: Callable, *args: Any, config: bool = True, **kwargs: Any) -> str | None:
        """Run a session action; refresh the snapshot; show its error (one line) or clear the last one."""
        if config:
            self.playing.set(False)
        err = fn(*args, **kwargs)
        self.snap.set(self.session.snapshot())
        if config:
            self.config.set(self.config.value + 1)
        self.error.set(err if isinstance(err, str) else None)
        return err

    def step(self, months: int = 1) -> None:
        self.session.step(months)
        self.snap.set(self.session.snapshot())
        if self.session.failed:
            self.error.set(self.session.error)


def use_app_state(session: Session) -> AppState:
    snap = solara.use_reactive(session.snapshot())
    state = AppState(session=session, snap=snap, config=solara.use_reactive(0), lang=solara.use_reactive("en"),
                     tab=solara.use_reactive("charts"), playing=solara.use_reactive(False),
                     speed=solara.use_reactive(4), error=solara.use_reactive(None), notice=solara.use_reactive(None),
                     person=solara.use_reactive(None), metric=solara.use_reactive("inclusion_rate"),
                     side=solara.use_reactive(True), from_now=solara.use_reactive(False),
                     present=solara.use_reactive(False), lesson=solara.use_reactive(None),
                     rejected=solara.use_reactive(None))
    return state


# --- small pieces -----------------------------------------------------------------------------------------

@solara.component_vue("lever.vue")
def LeverWidget(path: str, scope: str, label: str, unit_text: str, hint: str, kind: str, value: Any,
                items: list, slider: Any, step: Any, lo: Any, hi: Any, on_text: str, off_text: str, tooltip: str,
                changed: bool, revision: int = 0, lang: str = "en",
                event_lever_changed: Callable[[dict], None] = None):
    pass


@solara.component_vue("banner.vue")
def BannerView(where: str, title: str, message: str, rejected: str = ""):
    pass


@solara.component_vue("upload.vue")
def TomlUpload(label: str, hint: str, max_bytes: int = MAX_FILE_BYTES,
               event_file_loaded: Callable[[dict], None] = None):
    pass


@solara.component_vue("plot.vue")
def PlotlyView(plot_json: str, plot_height: int, plot_version: str, plot_label: str = ""):
    pass


@solara.component_vue("lang.vue")
def PageLang(lang: str):
    pass


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null (plotly draws a gap)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


# plotly's own "download as PNG" is removed: every chart's image comes from its PNG button (`PlotlyChart`), which
# carries the caption and keeps the legend under the chart (`viz.charts.to_image`)
PLOT_CONFIG = {"displaylogo": False, "responsive": False,
               "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}

# What the page's charts come from, for their exported images: a function that gives the caption (settings or
# room, seed, month), provided by the page (the app's `viz.tabs.Main`, the room's projector and debrief).
CAPTION = solara.create_context(None)


def captioned(chart: C.Chart, caption_of: Callable[[], str] | None) -> C.Chart:
    """The chart as its image is exported: with the page's caption (`CAPTION`), else its own."""
    caption = caption_of() if caption_of is not None else ""
    return replace(chart, caption=caption) if caption else chart


@solara.component
def PlotlyChart(chart: C.Chart, version: Any = None, lang: str | None = None):
    """A plotly chart drawn in the browser with plotly.js (loaded once, from this server); only the chart's data
    and layout travel over the websocket, and Plotly.react redraws it in place."""
    data, layout = C.to_plotly(chart)
    config = PLOT_CONFIG
    image = captioned(chart, solara.use_context(CAPTION))
    # one JSON string: cheap to compare and send, and the renderer does not walk thousands of numbers
    text = json.dumps({"data": _clean(data), "layout": _clean(layout), "config": config}, allow_nan=False,
                      separators=(",", ":"))
    lang = lang or "en"
    table, set_table = solara.use_state(False)
    with solara.Column(classes=["plm-chart", f"plm-chart-{chart.id}"], gap="0px"):
        PlotlyView(plot_json=text, plot_height=int(chart.height), plot_version=str(version),
                   plot_label=f"{chart.title}. {I.t('chart_alt', lang)}")
        with solara.Row(gap="4px", style={"align-items": "center"}):
            # the chart's text alternative: its numbers as a table, on request
            solara.Button(I.t("hide_data" if table else "show_data", lang), text=True, small=True,
                          classes=["plm-data-toggle"], on_click=lambda: set_table(not table))
            # its image, with the caption (made when pressed)
            with solara.FileDownload(lambda: C.to_image(image, "png"), filename=f"plm-{chart.id}.png",
                                     mime_type="image/png"):
                solara.Button(I.t("chart_png", lang), text=True, small=True, classes=["plm-chart-png"])
        if table:
            rows = C.table_rows(chart)
            if rows:
                with solara.Div(classes=["plm-data-table"]):
                    data_table(rows)


def data_table(rows: list[dict], cls: str = "plm-table", header: bool = True) -> None:
    """Rows of {column: value} as an HTML table (escaped); nothing for no rows."""
    import html

    if not rows:
        return
    head = ("<tr>" + "".join(f"<th scope=\"col\">{html.escape(str(k))}</th>" for k in rows[0]) + "</tr>"
            if header else "")
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r.values()) + "</tr>" for r in rows)
    solara.HTML(tag="div", unsafe_innerHTML=f'<table class="{cls}">{head}{body}</table>')


def to_html(text: str) -> str:
    """A little markdown (paragraphs, **bold**, "- " lists) as HTML, escaped. solara.Markdown would load KaTeX,
    which is not among the offline assets."""
    import html
    import re

    out, items = [], []
    for block in text.split("\n"):
        line = html.escape(block.strip())
        line = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", line)
        if line.startswith("- "):
            items.append(f"<li>{line[2:]}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line:
            out.append(f"<p>{line}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out)


@solara.component
def Md(text: str, classes: list[str] | None = None):
    solara.HTML(tag="div", unsafe_innerHTML=to_html(text), classes=["plm-md"] + (classes or []))


@solara.component
def Note(text: str, classes: list[str] | None = None):
    Md(text, classes=["plm-note"] + (classes or []))


# --- words for settings ---------------------------------------------------------------------------------------

def change_text(scope: str, path: str, value: Any, lang: str, before: Any = None, month: int | None = None) -> str:
    """A moved setting in plain, translated words: "[from month M: ][Municipality: ]Label: before → value"."""
    lever = L.by_path().get(path)
    name = I.lever_full_label(lever, lang) if lever else path
    text = f"{scope + ': ' if scope else ''}{name}: "
    text += (f"{I.fmt_value(before, lang)} → " if before is not None else "") + I.fmt_value(value, lang)
    return (f"{I.t('dated_change', lang, m=month)}: " if month is not None else "") + text


def caption_text(snap: Snapshot, lang: str) -> str:
    """What a shown or exported figure comes from, in one line: scenario, the changes in force, the baseline,
    the seed (or the seeds it is the mean of) and the month."""
    changes = [change_text(sc, path, after, lang) for sc, path, _before, after in snap.changes]
    changes += [change_text(sc, path, value, lang, month=m) for m, sc, path, value in snap.dated]
    parts = [I.t("caption_scenario", lang, name=snap.scenario_name),
             "; ".join(changes) if changes else I.t("caption_no_changes", lang)]
    if snap.compare:
        parts.append(I.t("caption_baseline", lang, base=snap.baseline_name or I.t("baseline_loaded", lang)))
    parts.append(seeds_text(snap, lang))
    parts.append(I.t("caption_month", lang, m=snap.month, n=snap.months))
    return " · ".join(parts)


def seeds_text(snap: Snapshot, lang: str) -> str:
    """"seed N" or "mean of N seeds (first–last)": what every figure on screen is (`Snapshot.figure`)."""
    seeds = snap.seeds if snap.compare else (snap.seed,)
    if snap.ensemble:
        which = (I.t("caption_seed", lang, seed=seeds[0]) if len(seeds) == 1
                 else I.t("seeds_from_to", lang, a=seeds[0], b=seeds[-1]))
        return I.t("caption_ensemble", lang, n=len(snap.pairs), m=snap.members, seeds=which)
    if len(seeds) > 1:
        return I.t("caption_seeds", lang, n=len(seeds), a=seeds[0], b=seeds[-1])
    return I.t("caption_seed", lang, seed=seeds[0])


@solara.component
def Caption(app: AppState):
    solara.Text(caption_text(app.snap.value, app.lang.value), classes=["plm-caption"])


# --- top bar and KPIs -------------------------------------------------------------------------------------

@solara.component
def TopBar(app: AppState):
    lang = app.lang.value
    with solara.Row(classes=["plm-topbar"], justify="space-between",
                    style={"align-items": "center", "background": "#0b3d60", "padding": "8px 18px"}):
        solara.HTML(tag="div", unsafe_innerHTML=(
            f'<div class="plm-title">{I.t("app_title", lang)}</div>'
            f'<div class="plm-subtitle">{I.t("app_subtitle", lang)}</div>'))
        with solara.Row(style={"align-items": "center", "background": "transparent"}, gap="6px"):
            solara.Button(ROOM_BUTTON.get(lang, ROOM_BUTTON["en"]), outlined=True, href="/room", target="_blank",
                          classes=["plm-room-link"], style={"color": "white"})
            if not app.present.value:
                solara.Button(I.t("hide_panel" if app.side.value else "show_panel", lang), outlined=True,
                              classes=["plm-side-toggle"], style={"color": "white", "margin-right": "6px"},
                              on_click=lambda: app.side.set(not app.side.value))
            solara.Button(I.t("present_off" if app.present.value else "present_on", lang), outlined=True,
                          classes=["plm-present-toggle"], style={"color": "white", "margin-right": "16px"},
                          on_click=lambda: app.present.set(not app.present.value))
            solara.HTML(tag="span", unsafe_innerHTML=I.t("language", lang), classes=["plm-lang-label"])
            for code in I.LANGS:
                solara.Button(code.upper(), classes=["plm-lang", f"plm-lang-{code}"], depressed=code == lang,
                              outlined=code != lang, color="white" if code == lang else None,
                              style={"color": "#0b3d60" if code == lang else "white", "min-width": "52px"},
                              on_click=lambda c=code: app.lang.set(c))


# The tiles: (id, figure of `Snapshot.figure`, label key, number format of `I.fmt_metric`)
KPIS = (("inclusion", "inclusion_rate", "kpi_inclusion", "inclusion_rate"),
        ("displacement", "displacement_per_100", "kpi_displacement", "displacement_per_100"),
        ("throughput", "throughput_12", "kpi_throughput", "n"),
        ("cost", "net_cost_so_far", "kpi_net_cost", "net_cost_so_far"))


def kpi_texts(snap: Snapshot, lang: str) -> dict[str, tuple[str, str, str, str]]:
    """What each tile shows: {id: (value, label, difference vs the baseline, seeds line)}; with several seeds the
    value and the difference are the mean over the seeds, with their range (the same figures as the Compare
    table and Who pays)."""
    out = {}
    for kid, name, label, fmt in KPIS:
        f = snap.figure(name)
        value = (I.fmt_number(f.value, lang, 1) if fmt == "displacement_per_100"
                 else I.fmt_metric(fmt, f.value, lang))
        delta = seeds = ""
        if f.diff is not None:
            def signed(x: float) -> str:
                return I.fmt_metric(fmt, x, lang, signed=True)
            delta = I.t("kpi_vs_baseline", lang, d=signed(f.diff))
            if snap.ensemble:      # the range is the ensemble's interval (`Snapshot.figure`)
                seeds = I.t("kpi_ensemble", lang, m=snap.members, seeds=I.n_seeds(len(snap.seeds), lang),
                            lo=signed(f.diff_lo), hi=signed(f.diff_hi))
            elif f.seeds > 1:
                seeds = I.t("kpi_seeds", lang, n=f.seeds, lo=signed(f.diff_lo), hi=signed(f.diff_hi))
                if f.noisy:
                    seeds += " · " + I.t("kpi_noise", lang, n=f.seeds)
        out[kid] = (value, I.t(label, lang) + over_text(name, lang), delta, seeds)
    return out


@solara.component
def Kpi(kid: str, label: str, value: str, delta: str = "", seeds: str = ""):
    with solara.Column(classes=["plm-kpi", f"plm-kpi-{kid}"], gap="0px"):
        solara.Text(value, classes=["plm-kpi-value"])
        solara.Text(label, classes=["plm-kpi-label"])
        if delta:
            solara.Text(delta, classes=["plm-kpi-delta"])
        if seeds:
            solara.Text(seeds, classes=["plm-kpi-seeds"])


@solara.component
def KpiRow(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    with solara.Row(classes=["plm-kpis"], gap="12px"):
        Kpi("month", I.t("kpi_month", lang), f"{snap.month} / {snap.months}")
        for kid, (value, label, delta, seeds) in kpi_texts(snap, lang).items():
            Kpi(kid, label, value, delta, seeds)
    solara.Text(I.t("figures_are", lang, what=seeds_text(snap, lang)), classes=["plm-kpi-basis", "plm-small"])


# --- sidebar ----------------------------------------------------------------------------------------------

# Errors are shown beside the input that caused them (Session.error_at); these show at the top of the panel.
TOP_ERRORS = ("",)


@solara.component
def ErrorBanner(app: AppState, at: str = ""):
    """The last error, if it came from the input `at` (a "" banner at the top takes the rest)."""
    err = app.error.value
    where = app.session.error_at
    if err and (where == at or (at == "" and where in TOP_ERRORS)):
        lang = app.lang.value
        title = {"model": "model_failed", "file": "bad_file"}.get(app.session.error_kind, "bad_setting")
        rejected = app.rejected.value
        shown = (I.t("rejected_value", lang, value=I.fmt_value(rejected[1], lang))
                 if rejected and rejected[0] == at else "")
        BannerView(where=at.split(":")[0] or "top", title=I.t(title, lang), message=err, rejected=shown)


@solara.component
def AssumedList(scenario, lang: str):
    """The loaded scenario's assumed settings with their declared ranges and sources (abm/assumptions.py)."""
    lines = I.assumed_lines(scenario, lang)
    if not lines:
        return
    with solara.Column(classes=["plm-assumed"], gap="0px"):
        solara.Text(lines[0], classes=["plm-assumed-heading"])
        for line in lines[1:]:
            solara.Text(line, classes=["plm-assumed-item"])


@solara.component
def ScenarioCard(app: AppState):
    lang = app.lang.value
    app.config.value  # re-render when the settings change
    s = app.session
    presets = s.presets()

    def on_file(info: dict) -> None:
        app.act(s.load_upload, info)          # the server checks size and encoding, whatever the browser sent

    with solara.Card(I.t("scenario", lang), classes=["plm-card", "plm-scenario"]):
        solara.v.Select(label=I.t("preset", lang), v_model=s.source if s.source in presets else None,
                        items=[{"text": I.preset_name(p, lang), "value": p} for p in presets],
                        on_v_model=lambda name: app.act(s.load_preset, name) if name else None,
                        class_="plm-preset")
        ErrorBanner(app, "preset")
        TomlUpload(label=I.t("upload", lang), hint=I.t("upload_hint", lang), max_bytes=MAX_FILE_BYTES,
                   event_file_loaded=on_file)
        ErrorBanner(app, "upload")
        solara.Text(I.t("loaded_from", lang, source=s.source), classes=["plm-source"])
        if s.loaded.description:   # the scenario file's own words (scenario files are written in English)
            solara.Text(s.loaded.description + (" (EN)" if lang != "en" else ""), classes=["plm-description"])
        changed = I.t("role_changed", lang) if s.role() == "calibration" and (s.changes or s.dated) else ""
        general = s.general_findings()
        changed = (I.t("role_general", lang, targets=", ".join(general)) if general else "") + changed
        solara.Text(I.t(f"role_{s.role()}", lang) + changed, classes=["plm-role", f"plm-role-{s.role()}"])
        AssumedList(s.loaded, lang)
        with solara.Tooltip(I.t("seed_help", lang)):
            solara.InputInt(I.t("seed", lang), value=s.seed, on_value=lambda v: app.act(s.set_seed, v),
                            classes=["plm-seed"])
        ErrorBanner(app, "seed")


def play_loop(app: AppState, stop: threading.Event) -> None:
    """▶ Play: step the session at the chosen speed (at most MAX_FRAMES_PER_SECOND redraws a second) until the
    run ends, Pause is pressed or `stop` is set."""
    s = app.session
    speed = max(int(app.speed.value), 1)
    per_frame = max(1, math.ceil(speed / MAX_FRAMES_PER_SECOND))
    interval = per_frame / speed
    next_t = time.perf_counter()
    try:
        while app.playing.value and not stop.is_set():
            moved = s.step(per_frame)
            if stop.is_set():
                break
            app.snap.set(s.snapshot())
            if not moved or not s.running:
                app.playing.set(False)
                if s.failed:
                    app.error.set(s.error)
                break
            next_t += interval
            delay = next_t - time.perf_counter()
            if delay > 0:
                stop.wait(delay)
            else:
                next_t = time.perf_counter()
    except Exception:
        if not stop.is_set():   # the page closing under a month in progress is no error
            raise


def use_play_loop(app: AppState, playing: bool) -> None:
    """Run `play_loop` in a thread of its own while `playing`, restarted when the speed changes.

    The thread belongs to the component's effect: its cleanup (pause, a new speed, the page closed and its
    kernel shut down) sets the stop event, and nothing outside the session refers to the loop. Solara's
    `use_task` is not used because each call registers a kernel-start callback in a module-level list that is
    never removed, and that callback kept every closed session's models alive (issue 11)."""
    def start():
        if not playing:
            return None
        stop = threading.Event()
        threading.Thread(target=play_loop, args=(app, stop), name="plm-play", daemon=True).start()
        return stop.set

    solara.use_effect(start, dependencies=[playing, app.speed.value])


@solara.component
def RunCard(app: AppState):
    lang = app.lang.value
    snap: Snapshot = app.snap.value
    playing = app.playing.value
    s = app.session

    use_play_loop(app, playing)

    with solara.Card(I.t("controls", lang), classes=["plm-card", "plm-run"]):
        solara.Text(I.t("month_of", lang, m=snap.month, n=snap.months), classes=["plm-month"])
        with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
            solara.Button(I.t("reset", lang), color="primary", outlined=True, classes=["plm-reset"],
                          on_click=lambda: app.act(s.reset))
            solara.Button(I.t("pause", lang) if playing else I.t("play", lang), color="primary",
                          classes=["plm-play"], disabled=not snap.running,
                          on_click=lambda: app.playing.set(not app.playing.value))
            solara.Button(I.t("step", lang), color="primary", outlined=True, classes=["plm-step"],
                          disabled=playing or not snap.running, on_click=lambda: app.step(1))
            solara.Button(I.t("step_year", lang), color="primary", outlined=True, classes=["plm-step-year"],
                          disabled=playing or not snap.running, on_click=lambda: app.step(12))
        idx = SPEEDS.index(app.speed.value) if app.speed.value in SPEEDS else 2
        with solara.Div(classes=["plm-speed"]):
            solara.SliderInt(I.t("speed", lang, n=SPEEDS[idx]), value=idx, min=0, max=len(SPEEDS) - 1,
                             on_value=lambda i: app.speed.set(SPEEDS[int(i)]), tick_labels=False, thumb_label=False)
        if not snap.running:
            solara.Text(I.t("finished", lang), classes=["plm-finished"])
        if snap.step_seconds:
            solara.Text(I.t("timing", lang, ms=1000 * snap.step_seconds), classes=["plm-timing"])


@solara.component
def CompareCard(app: AppState):
    lang = app.lang.value
    app.config.value
    s = app.session
    options = [""] + s.presets()
    labels = {"": I.t("baseline_loaded", lang)}
    with solara.Card(I.t("tab_compare", lang), classes=["plm-card", "plm-compare-card"]):
        with solara.Tooltip(I.t("compare_help", lang)):
            solara.Switch(label=I.t("compare", lang), value=s.compare, classes=["plm-compare-switch"],
                          on_value=lambda on: app.act(s.set_compare, bool(on)))
        if s.compare:
            solara.v.Select(label=I.t("baseline_choice", lang), v_model=s.baseline_preset,
                            items=[{"text": labels.get(o) or I.preset_name(o, lang), "value": o} for o in options],
                            dense=True,
                            on_v_model=lambda v: app.act(s.set_compare, True, None, v or ""),
                            class_="plm-baseline-select")
            with solara.Tooltip(I.t("n_seeds_help", lang)):
                with solara.Div(classes=["plm-seeds"]):
                    solara.SliderInt(I.t("n_seeds", lang, n=s.n_seeds), value=s.n_seeds, min=1,
                                     max=MAX_COMPARE_SEEDS, on_value=lambda n: app.act(s.set_compare, True, int(n)))
            with solara.Tooltip(I.t("compare_ensemble_help", lang)):
                solara.Switch(label=I.t("compare_ensemble", lang), value=bool(s.ensemble),
                              classes=["plm-ensemble-switch"],
                              on_value=lambda on: app.act(s.set_compare, True, None, None,
                                                          str(ENSEMBLE_FILE) if on else ""))
        ErrorBanner(app, "compare")


def _lever_props(lever: L.Lever, scenario, scope: str, lang: str, changed: bool, revision: int = 0,
                 month: int = 0) -> dict:
    """What a lever's box shows: its value in force in `month` (the month the run steps next), hints about the
    municipalities' own settings and the scenario's later changes."""
    value = L.value_of(scenario, lever.path, scope, month)
    hints = []
    if not scope and lever.is_policy:
        own = L.municipal_overrides(scenario, lever.path)
        if own:
            hints.append(I.t("own_setting", lang, items=", ".join(f"{k}: {v}" for k, v in own.items())))
    later = L.later_changes(scenario, lever.path)
    if later:
        hints.append(I.t("later_changes", lang, items="; ".join(
            f"{I.t('kpi_month', lang)} {m} ({I.t('scope_all', lang) if w == 'all' else w}): {v}" for m, w, v in later)))
    hint = " · ".join(hints)
    slider = lever.slider()
    step = 1 if lever.kind == "int" else (slider[2] if slider else "any")
    items = [{"text": I.choice(c, lang), "value": c} for c in lever.choices]
    return dict(path=lever.path, scope=scope, label=I.lever_label(lever, lang), unit_text=I.unit(lever.unit, lang),
                hint=hint, kind=lever.kind, value=value, items=items, slider=list(slider) if slider else None,
                step=step, lo=lever.lo, hi=lever.hi, on_text=I.t("on", lang), off_text=I.t("off", lang),
                tooltip=I.lever_tooltip(lever, lang), changed=changed, revision=revision, lang=lang)


@solara.component
def LeverList(app: AppState, levers: list, scope: str):
    lang = app.lang.value
    app.config.value
    s = app.session
    changed = {path for (sc, path) in s.changes if sc == scope}

    def on_change(info: dict) -> None:
        lever = L.by_path().get(info["path"])
        dated = app.from_now.value and lever is not None and lever.is_policy and s.month > 0
        scope_ = info.get("scope") or ""
        err = app.act(s.set_lever_from_now if dated else s.set_lever, info["path"], info["value"], scope_)
        app.rejected.set((f"lever:{scope_}:{info['path']}", info["value"]) if err else None)

    for lever in levers:
        if scope and not lever.is_policy:
            continue
        # revision: a refused value snaps back to the setting in force; the box shows the value in force for the
        # month the run steps next, so a lever moved "from now on" shows its new value, not month 0's
        LeverWidget(**_lever_props(lever, s.scenario, scope, lang, lever.path in changed, app.config.value,
                                   month=s.month + 1), event_lever_changed=on_change)
        ErrorBanner(app, f"lever:{scope}:{lever.path}")


@solara.component
def LeversCard(app: AppState):
    lang = app.lang.value
    app.config.value
    s = app.session
    scope, set_scope = solara.use_state("")
    section, set_section = solara.use_state(None)
    munis = [m.name for m in s.scenario.municipalities]
    if scope and scope not in munis:
        scope = ""
    snap: Snapshot = s.snapshot()
    with solara.Card(I.t("levers", lang), classes=["plm-card", "plm-levers"]):
        solara.Switch(label=I.t("from_now", lang), value=app.from_now.value, classes=["plm-from-now"],
                      on_value=app.from_now.set)
        if app.from_now.value and snap.month > 0 and snap.running:
            solara.Text(I.t("from_now_note", lang, m=snap.month + 1), classes=["plm-small", "plm-from-now-note"])
        else:
            solara.Text(I.t("restart_note", lang), classes=["plm-small", "plm-restart-note"])
        solara.v.Select(label=I.t("scope", lang), v_model=scope, dense=True, class_="plm-scope",
                        items=[{"text": I.t("scope_all", lang), "value": ""}]
                        + [{"text": m, "value": m} for m in munis],
                        on_v_model=lambda v: set_scope(v or ""))
        solara.Text(I.t("scope_help", lang), classes=["plm-small", "plm-scope-help"])
        solara.Text(I.t("key_levers", lang), classes=["plm-subhead"])
        LeverList(app, L.key_levers(), scope)
        solara.Text(I.t("your_changes", lang), classes=["plm-subhead"])
        if snap.changes or snap.dated:
            for sc, path, before, after in snap.changes:
                solara.Text(change_text(sc, path, after, lang, before=before), classes=["plm-change"])
            for month, sc, path, value in snap.dated:
                solara.Text(change_text(sc, path, value, lang, month=month),
                            classes=["plm-change", "plm-change-dated"])
            solara.Button(I.t("undo_changes", lang), text=True, color="primary", classes=["plm-undo"],
                          on_click=lambda: app.act(s.clear_changes))
        else:
            solara.Text(I.t("no_changes", lang), classes=["plm-small", "plm-changes-none"])
        solara.Text(I.t("all_levers", lang), classes=["plm-subhead"])
        sections = L.sections()
        solara.v.Select(label=I.t("pick_section", lang), v_model=section, dense=True, class_="plm-section",
                        items=[{"text": I.section(x, lang), "value": x} for x in sections],
                        on_v_model=lambda v: set_section(v if v is not None else ""))
        key = set(L.KEY_LEVERS)
        LeverList(app, [lv for lv in L.catalogue() if lv.section == section and lv.path not in key], scope)


@solara.component
def Sidebar(app: AppState):
    ErrorBanner(app)
    ScenarioCard(app)
    RunCard(app)
    CompareCard(app)
    LeversCard(app)
