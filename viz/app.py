"""The Solara app: live scenario exploration for think-tank sessions and teaching workshops.

Start it with `plm app` (or `make app`); `solara run viz.app` works too. Each browser session gets its own
`viz.session.Session` (its own models): several people can use one server without seeing each other's runs.

It follows the conventions of Mesa's `SolaraViz` — a model held per session, Reset / ▶ Play / ❚❚ Pause / Step,
a speed control, a threaded play task, components that draw the model's state — without using `SolaraViz`
itself: `mesa.visualization` imports Altair (not installed here, and its charts load from a CDN), and the app
needs what SolaraViz does not model (a baseline beside the variant, several seeds, scenario files, two
languages). Layers: `viz.session` drives the model through its public API; `viz.components` and `viz.tabs`
draw; `viz.charts` turns numbers into charts (plotly in the page, matplotlib for PNG/SVG export).

Environment (read at start): PLM_APP_PRESET (default "default"), PLM_APP_SEED (42), PLM_APP_SCALE (people per
agent; larger = faster, for slow machines and tests), PLM_APP_MONTHS (run length), PLM_APP_MAX_PEOPLE (the most
people one run of a session may simulate; `viz.session.MAX_PEOPLE_DEFAULT`).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import solara

from viz import liveness
from viz.components import PageLang, Sidebar, TopBar, use_app_state
from viz.session import DEFAULT_PRESET, DEFAULT_SEED, MAX_PEOPLE_DEFAULT, Session
from viz.tabs import Main

CSS = """
html { font-size: 17px; }
body, .v-application { font-family: Arial, Helvetica, sans-serif !important; }
.plm-app { width: 100%; }
.plm-topbar { background: #0b3d60; color: white; padding: 8px 18px; width: 100%; }
.plm-title { font-size: 24px; font-weight: 700; color: white; }
.plm-subtitle { font-size: 14px; color: #dbe7f0; }
.plm-lang-label { color: white; font-size: 15px; margin-right: 4px; }
.plm-body { width: 100%; align-items: stretch; flex-wrap: nowrap !important; }
.plm-hidden, .plm-body .plm-side.plm-hidden { display: none !important; }
/* room between a note and the select below it, and between the undo button and the next heading */
.plm-levers .plm-scope { margin-top: 18px !important; }
.plm-levers .plm-undo { margin: 2px 0 8px 0 !important; display: block; }
.plm-levers .plm-subhead { margin-top: 14px; display: block; }
/* a visible keyboard focus everywhere (Vuetify hides some outlines) */
:focus-visible, .v-btn:focus-visible, .v-tab:focus-visible, input:focus-visible {
    outline: 3px solid #E69F00 !important; outline-offset: 2px; }
.plm-data-toggle { align-self: flex-start; }
.plm-data-table { max-height: 320px; overflow: auto; }
.plm-error-rejected { font-weight: 600; color: #8a2c00; }
.plm-kpi-basis { display: block; margin: -2px 0 6px 2px; }
.plm-present .plm-kpi-value { font-size: 44px; white-space: normal; }
.plm-present .plm-kpi-label { font-size: 19px; }
.plm-present .plm-kpi { padding: 12px 18px; }
.plm-caption { font-size: 19px; color: #0b3d60; background: #eef4f9; border-left: 6px solid #0b3d60;
               padding: 6px 12px; margin-bottom: 8px; }
.plm-side { width: 410px; min-width: 410px; max-width: 410px; height: calc(100vh - 72px); overflow-y: auto;
            background: #f5f7f9; padding: 8px; border-right: 1px solid #d0d7de; }
.plm-main { flex: 1 1 auto; min-width: 0; height: calc(100vh - 72px); overflow-y: auto; padding: 10px 16px; }
.plm-card { margin-bottom: 10px !important; }
.v-btn { text-transform: none !important; letter-spacing: 0 !important; font-size: 15px !important; }
.plm-upload .v-btn { max-width: 100%; height: auto !important; min-height: 36px; white-space: normal; }
.plm-upload .v-btn__content { white-space: normal; }
.plm-card .v-card__title { font-size: 19px !important; padding-bottom: 4px !important; }
.plm-kpis { flex-wrap: wrap; margin-bottom: 6px; }
.plm-kpi { background: white; border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 14px; min-width: 170px;
           flex: 1 1 170px; }
.plm-kpi-value { font-size: 28px; font-weight: 700; color: #0b3d60; line-height: 1.15; white-space: nowrap; }
.plm-kpi-label { font-size: 14px; color: #333; }
.plm-kpi-delta { font-size: 15px; color: #7a1f5c; font-weight: 600; }
.plm-kpi-seeds { font-size: 13px; color: #444; }
.plm-scope-help { display: block; margin: -4px 0 4px 0; }
.plm-month { font-size: 22px; font-weight: 700; margin-bottom: 6px; }
.plm-small, .plm-timing, .plm-source { font-size: 14px; color: #444; }
.plm-description { font-size: 13px; color: #555; font-style: italic; line-height: 1.3; }
.plm-source, .plm-description, .plm-change, .plm-timing, .plm-finished, .plm-role { display: block; }
.plm-role { font-size: 13px; color: #444; line-height: 1.3; margin-top: 2px; }
.plm-assumed { font-size: 12px; color: #444; line-height: 1.3; margin-top: 4px; border-left: 3px solid #c98a00;
               padding-left: 6px; }
.plm-assumed-heading, .plm-assumed-item { display: block; }
.plm-role-prediction { border-left: 3px solid #c98a00; padding-left: 6px; }
.plm-role-calibration { border-left: 3px solid #2a7a2a; padding-left: 6px; }
.plm-subhead { font-size: 16px; font-weight: 700; margin-top: 10px; }
.plm-change { font-size: 14px; color: #0b3d60; }
.plm-error { background: #fdecea; border-left: 6px solid #D55E00; padding: 8px 10px; margin-bottom: 10px; }
.plm-error-title { font-weight: 700; color: #8a2c00; }
.plm-error-message { font-family: monospace; font-size: 14px; word-break: break-word; }
.plm-notice { background: #e8f3fb; border-left: 6px solid #0072B2; padding: 4px 10px; margin: 6px 0; }
.plm-note { font-size: 15px; color: #333; max-width: 1100px; }
.plm-tabs .v-tab { font-size: 16px !important; text-transform: none !important; letter-spacing: 0 !important;
                   min-width: 0 !important; padding: 0 10px !important; }
.plm-tabs .v-slide-group__prev, .plm-tabs .v-slide-group__next { min-width: 28px !important;
                                                                  flex: 0 0 28px !important; }
.plm-tab-content { padding-top: 10px; }
.plm-chart { border: 1px solid #e1e4e8; border-radius: 6px; background: white; min-width: 0; width: 100%;
             overflow: hidden; }
.plm-chart > div, .plm-chart .js-plotly-plot, .plm-chart .plot-container { width: 100% !important; }
.plm-table { border-collapse: collapse; font-size: 15px; margin: 6px 0; }
.plm-table td, .plm-table th { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }
.plm-table th { background: #eef2f5; }
.plm-mechanism .v-card__text, .plm-mechanism p { font-size: 15px; }
.plm-events li { font-size: 14px; }
"""


def _serve_plotly_js() -> None:
    """Let the server answer /static/assets/plotly.min.js from the installed plotly package (offline)."""
    import plotly
    from solara.server import settings

    path = str(Path(plotly.__file__).parent / "package_data")
    if path not in settings.assets.extra_locations:
        settings.assets.extra_locations.append(path)


_serve_plotly_js()
# Solara warns on every page load served over plain http at an address other than "localhost" (127.0.0.1, a
# room's LAN address) that its session cookie falls back to SameSite=Lax: true, harmless for this app (no
# iframe), and a flood in the server's terminal (issue 11). Silenced here, once.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
liveness.install_route()


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def session_defaults() -> tuple[str, int, dict, int]:
    """Preset, seed, overrides and the limit of people per run for a new session, from the environment set by
    `plm app` (which checked them)."""
    overrides: dict = {}
    if os.environ.get("PLM_APP_SCALE"):
        overrides["scale"] = float(os.environ["PLM_APP_SCALE"])
    if os.environ.get("PLM_APP_MONTHS"):
        overrides["months"] = int(os.environ["PLM_APP_MONTHS"])
    return (os.environ.get("PLM_APP_PRESET", DEFAULT_PRESET), _env_int("PLM_APP_SEED", DEFAULT_SEED), overrides,
            _env_int("PLM_APP_MAX_PEOPLE", MAX_PEOPLE_DEFAULT))


def new_session() -> Session:
    preset, seed, overrides, max_people = session_defaults()
    return Session(preset, seed=seed, overrides=overrides, max_agents=max_people)


def closing(session: Session):
    """The effect of a page's session: when the page's kernel shuts down (tab closed, or culled after
    SOLARA_KERNEL_CULL_TIMEOUT without a connection) its cleanup frees the session's models at once."""
    def effect():
        def cleanup():
            session.close()
            liveness.release()
        return cleanup
    return effect


@solara.component
def Page():
    session = solara.use_memo(new_session, [])
    solara.use_effect(closing(session), [])
    app = use_app_state(session)
    solara.Title("plm")
    solara.Style(CSS)
    PageLang(lang=app.lang.value)
    present = app.present.value
    with solara.Column(classes=["plm-app"] + (["plm-present"] if present else []), gap="0px"):
        TopBar(app)
        with solara.Row(classes=["plm-body"], gap="0px"):
            # hidden by a class with !important: an inline display:none loses to Vuetify's d-flex (issue 11)
            shown = app.side.value and not present
            with solara.Column(classes=["plm-side"] + ([] if shown else ["plm-hidden"]), gap="0px"):
                Sidebar(app)
            with solara.Column(classes=["plm-main"], gap="0px"):
                Main(app)


# The workshop room (viz/room): /room, beside the app at /.
from viz.room.pages import routes as room_routes  # noqa: E402  (after Page, which the routes name)


@solara.component
def Layout(children=[]):  # noqa: B006  (solara's signature)
    """No app bar or route tabs around the pages: each page draws its own."""
    solara.Column(children=children, gap="0px", style={"width": "100%"})


routes = [solara.Route(path="/", component=Page, label="plm", layout=Layout), *room_routes()]

# What the first room and the first session would load once, loaded now in the background (viz.warmup).
from viz import warmup  # noqa: E402

warmup.start()
