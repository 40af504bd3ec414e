"""The main area's tabs: charts over time, compare, flows, region, a person's story, who pays, mechanisms,
lessons and export. Each renders from the session's snapshot (and asks the session for flows, the region or a
person); none computes model quantities itself."""

from __future__ import annotations

import solara

from abm.metric_labels import over_text
from viz import charts as C
from viz import content as K
from viz import i18n as I
from viz.components import (
    TABS,
    AppState,
    ErrorBanner,
    Md,
    Note,
    PlotlyChart,
    caption_text,
    change_text,
    data_table,
)
from viz.session import Snapshot

GRID = {"display": "grid", "grid-template-columns": "repeat(auto-fit, minmax(430px, 1fr))", "gap": "14px",
        "width": "100%"}


# --- charts built from the current state (shared by the tabs and the export) -------------------------------

def live_charts(snap: Snapshot, lang: str) -> list[C.Chart]:
    ts, base = snap.ts, snap.ts_base
    out = [C.mix_chart(ts, lang, "variant_compare" if base is not None else "variant")]
    if base is not None:
        out.append(C.mix_chart(base, lang, "baseline", cid="mix_baseline"))
    out += [C.inclusion_chart(ts, base, lang), C.displacement_chart(ts, base, lang), C.throughput_chart(ts, base, lang),
            C.cost_chart(ts, base, lang), C.accounts_chart(ts, base, lang)]
    markers = change_markers(snap, lang)
    seeds = snap.seeds if snap.compare else (snap.seed,)
    # these charts draw one seed: say which (the tiles and the Compare table give the mean of every seed)
    which = I.t("chart_seed", lang, seed=seeds[0]) if len(seeds) == 1 else I.t("chart_first_seed", lang,
                                                                                seed=seeds[0], n=len(seeds))
    for chart in out:
        chart.x_range = (0, snap.months)
        chart.markers = markers
        chart.title += f" · {which}"
    return out


def change_markers(snap: Snapshot, lang: str) -> list[tuple[float, str]]:
    """(month, label) for every month from which a lever moved "from now on" applies (one marker per month)."""
    by_month: dict[int, list[str]] = {}
    for month, scope, path, value in snap.dated:
        by_month.setdefault(month, []).append(change_text(scope, path, value, lang))
    return [(m, "▸ " + "; ".join(items)) for m, items in sorted(by_month.items())]


def chart_for(app: AppState, cid: str, period: tuple[int, int] | None = None, region_metric: str = "inclusion_rate"
              ) -> C.Chart | None:
    """Any chart of the app by id, built from the current state, with its caption (for export)."""
    chart = _chart_for(app, cid, period, region_metric)
    if chart is not None:
        chart.caption = caption_text(app.session.snapshot(), app.lang.value)
    return chart


def _chart_for(app: AppState, cid: str, period: tuple[int, int] | None, region_metric: str) -> C.Chart | None:
    snap: Snapshot = app.session.snapshot()
    lang = app.lang.value
    for chart in live_charts(snap, lang):
        if chart.id == cid:
            return chart
    s = app.session
    if cid == "difference" and snap.compare:
        return C.difference_chart(snap.pairs, app.metric.value, lang, snap.members, snap.weights)
    if cid == "flows":
        a, b = period or (0, snap.month)
        return C.sankey_chart(s.flows(a, b), a, b, lang)
    if cid == "region":
        return C.region_chart(s.region(region_metric), lang)
    if cid == "story" and app.person.value is not None:
        story = s.story(app.person.value)
        return C.story_chart(story, lang) if story else None
    if cid == "places":          # the region's places (the Over time tab's chart also draws one municipality)
        chart = C.places_chart(s.places_series(), I.t("places_region", lang), lang)
        chart.x_range = (0, snap.months)
        return chart
    if cid in ("who_pays", "who_pays_difference"):
        return C.who_pays_chart(s.accounts(), lang, "difference" if cid == "who_pays_difference" else "totals")
    return None


def export_ids(snap: Snapshot, has_person: bool) -> list[str]:
    ids = ["mix"] + (["mix_baseline"] if snap.compare else []) + ["inclusion", "displacement", "throughput", "cost",
                                                                   "accounts", "places"]
    if snap.compare:
        ids.append("difference")
    ids += ["flows", "region"] + (["story"] if has_person else []) + ["who_pays"]
    if snap.compare:
        ids.append("who_pays_difference")
    return ids


CHART_TITLES = {"who_pays_difference": "chart_who_pays_difference", "mix": "chart_mix", "mix_baseline": "chart_mix",
                "inclusion": "chart_inclusion",
                "displacement": "chart_displacement", "throughput": "chart_throughput", "cost": "chart_cost",
                "accounts": "chart_accounts", "places": "chart_places", "difference": "chart_difference",
                "flows": "tab_flows", "region": "tab_region", "story": "tab_person", "who_pays": "chart_who_pays"}


# --- tabs -------------------------------------------------------------------------------------------------

@solara.component
def TimeCharts(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    big = app.present.value        # presentation mode: larger charts, two to a row on a projector
    with solara.Div(style={**GRID, "grid-template-columns": "repeat(auto-fit, minmax(620px, 1fr))"} if big else GRID,
                    classes=["plm-grid"]):
        for chart in live_charts(snap, lang):
            if big:
                chart.height = int(chart.height * 1.3)
            with solara.Column(gap="0px").key(chart.id):      # keyed: a chart keeps its widget when others appear
                PlotlyChart(chart, version=snap.version, lang=lang)
                if chart.note:
                    Note(chart.note)
    PlacesTable(app)


def places_rows(places, lang: str) -> list[dict]:
    """The places table: a row per programme, "filled / available" for the region and each municipality, and
    "(of planned)" where a programme has not yet acquired all its planned places."""
    names = [m for m in dict.fromkeys(places["municipality"]) if m != "all"]
    rows = []
    for programme, group in places.groupby("programme", sort=False):
        cells = {r.municipality: f"{I.fmt_number(r.filled, lang, 0)} / {I.fmt_number(r.available, lang, 0)}"
                 + (I.t("places_of_planned", lang).format(I.fmt_number(r.planned, lang, 0))
                    if r.planned != r.available else "")
                 for r in group.itertuples()}
        row = {I.t("places_programme", lang): I.t(f"programme_{programme}", lang),
               I.t("places_region", lang): cells["all"]}
        row.update({name: cells[name] for name in names})
        rows.append(row)
    return rows


@solara.component
def PlacesTable(app: AppState):
    app.snap.value      # re-render every month
    lang = app.lang.value
    solara.Text(I.t("places_title", lang), classes=["plm-subhead"])
    _table(places_rows(app.session.places(), lang), "plm-places-table")
    Note(I.t("places_note", lang))
    PlacesChart(app)


@solara.component
def PlacesChart(app: AppState):
    """Places filled against places available and planned over time, for the region or a chosen municipality."""
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    where, set_where = solara.use_state("")
    names = [m.name for m in app.session.scenario.municipalities]
    if where and where not in names:      # another scenario: its own municipalities
        where = ""
    region = I.t("places_region", lang)
    solara.v.Select(label=I.t("places_of", lang), v_model=where or region, dense=True, class_="plm-places-where",
                    items=[region, *names], on_v_model=lambda v: set_where("" if v in (None, region) else v),
                    style_="max-width: 320px")
    chart = C.places_chart(app.session.places_series(where), where or region, lang)
    chart.x_range = (0, snap.months)
    PlotlyChart(chart, version=(snap.version, where), lang=lang)
    Note(chart.note)


@solara.component
def CompareTab(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    if not snap.compare:
        Note(I.t("compare_off", lang), classes=["plm-compare-off"])
        solara.Button(I.t("compare", lang), color="primary", classes=["plm-compare-on"],
                      on_click=lambda: app.act(app.session.set_compare, True))
        return
    metric = app.metric.value
    solara.v.Select(label=I.t("metric", lang), v_model=metric, dense=True, class_="plm-metric",
                    items=[{"text": I.metric(m, lang), "value": m} for m in I.COMPARE_METRICS],
                    on_v_model=lambda v: app.metric.set(v or "inclusion_rate"), style_="max-width: 560px")
    if snap.ensemble:
        Note(I.t("compare_ensemble_note", lang, m=snap.members, seeds=I.n_seeds(len(snap.seeds), lang),
                 n=len(snap.pairs)),
             classes=["plm-ensemble-note"])
    diff = C.difference_chart(snap.pairs, metric, lang, snap.members, snap.weights)
    diff.x_range = (0, snap.months)
    PlotlyChart(diff, version=(snap.version, metric), lang=lang)
    if not snap.changes and not app.session.baseline_preset:
        Note(I.t("no_difference", lang), classes=["plm-no-difference"])
    solara.Text(I.t("end_of_run", lang, m=snap.month), classes=["plm-subhead"])
    _table(compare_rows(snap, lang), "plm-compare-table")
    if len(snap.pairs) > 1:
        Note(I.t("accounts_seeds", lang, n=len(snap.pairs)))


COMPARE_ROWS = ("inclusion_rate", "inclusion_gap", "displacement_per_100", "throughput_rate", "n_regular",
                "n_basisbaan", "net_cost_so_far", "mean_self_stigma", "mean_wellbeing")


def compare_rows(snap: Snapshot, lang: str) -> list[dict]:
    """The Compare table: each figure of the run so far for the baseline, your settings and the difference (mean
    over seeds, `Snapshot.figure`, as the tiles), its label saying how it is read (abm.metric_labels.over_text)."""
    rows = []
    for m in COMPARE_ROWS:
        f = snap.figure(m)
        row = {I.t("metric", lang): I.metric(m, lang) + over_text(m, lang),
               I.t("baseline", lang): I.fmt_metric(m, f.base, lang),
               I.t("variant", lang): I.fmt_metric(m, f.value, lang),
               I.t("difference", lang): I.fmt_metric(m, f.diff, lang, signed=True)}
        if snap.ensemble:                # over an ensemble: where a run's difference lies (Snapshot.figure)
            row[I.t("ensemble_column", lang)] = (f"{I.fmt_metric(m, f.diff_lo, lang, signed=True)} … "
                                                 f"{I.fmt_metric(m, f.diff_hi, lang, signed=True)}")
        elif f.half_width is not None:   # several seeds: how sure (experiments/noise.py, as plm report)
            text = "± " + I.fmt_metric(m, f.half_width, lang).removesuffix("%").strip()
            if m in I.METRIC_FORMAT and I.METRIC_FORMAT[m] == "pct":
                text += " pp" if lang == "en" else " %-punt"
            row[I.t("noise_column", lang)] = text + (f" · {I.t('kpi_noise', lang, n=f.seeds)}" if f.noisy
                                                    else "")
        rows.append(row)
    return rows


def _table(rows: list[dict], cls: str, header: bool = True) -> None:
    data_table(rows, f"plm-table {cls}", header)


@solara.component
def FlowsTab(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    period, set_period = solara.use_state((0, snap.month))
    which, set_which = solara.use_state("variant")
    a, b = min(period[0], snap.month), min(period[1], snap.month)
    if period[1] >= snap.month - 1 and period != (a, snap.month):  # follow the run while it plays
        b = snap.month
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        with solara.Div(classes=["plm-period"], style={"min-width": "420px"}):
            solara.SliderRangeInt(I.t("period", lang), value=(a, b), min=0, max=max(snap.month, 1),
                                  on_value=lambda v: set_period(tuple(v)))
        if snap.compare:
            labels = {run: I.t(run, lang) for run in ("variant", "baseline")}
            solara.ToggleButtonsSingle(value=labels[which], values=list(labels.values()), classes=["plm-flows-run"],
                                       on_value=lambda v: set_which("baseline" if v == labels["baseline"]
                                                                    else "variant"))
    flows = app.session.flows(a, b, which if snap.compare else "variant")
    chart = C.sankey_chart(flows, a, b, lang)
    if snap.compare:
        chart.title += f" — {I.t(which, lang)}"
    PlotlyChart(chart, version=(snap.version, a, b, which), lang=lang)
    Note(I.t("flows_help", lang))


@solara.component
def RegionTab(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    metric, set_metric = solara.use_state("inclusion_rate")
    diff, set_diff = solara.use_state(False)
    s = app.session
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.v.Select(label=I.t("colour_by", lang), v_model=metric, dense=True, class_="plm-region-metric",
                        items=[{"text": I.t(f"region_{m}", lang), "value": m} for m in s.REGION_METRICS],
                        on_v_model=lambda v: set_metric(v or "inclusion_rate"), style_="max-width: 420px")
        if snap.compare:
            solara.Checkbox(label=I.t("show_difference", lang), value=diff, on_value=set_diff)
    region = s.region(metric)
    base = s.region(metric, "baseline") if (snap.compare and diff) else None
    PlotlyChart(C.region_chart(region, lang, base), version=(snap.version, metric, diff), lang=lang)
    Note(I.t("region_help", lang))


@solara.component
def PersonTab(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    s = app.session
    pid = app.person.value
    message, set_message = solara.use_state("")

    def find(kind: str) -> None:
        found = s.find_person(kind)
        if found is None:
            set_message(I.t("nobody_found", lang))
        else:
            set_message("")
            app.person.set(found)

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}, gap="6px"):
        solara.Text(I.t("show_me", lang), classes=["plm-subhead"])
        for kind in s.PERSON_KINDS:
            solara.Button(I.t(f"find_{kind}", lang), outlined=True, color="primary", classes=[f"plm-find-{kind}"],
                          on_click=lambda k=kind: find(k))
    with solara.Row(style={"align-items": "center"}):
        solara.InputInt(I.t("person_id", lang), value=pid, optional=True, classes=["plm-person-id"],
                        on_value=lambda v: app.person.set(v), style={"max-width": "260px"})
    if message:
        Note(message, classes=["plm-person-message"])
    if pid is None:
        Note(I.t("pick_someone", lang))
        return
    story = s.story(pid)
    if story is None:
        Note(I.t("not_followed", lang, pid=pid), classes=["plm-person-message"])
        return
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
        with solara.Column(style={"flex": "3 1 600px", "min-width": "0"}):
            chart = C.story_chart(story, lang)
            PlotlyChart(chart, version=(snap.version, pid), lang=lang)
            if chart.note:
                Note(chart.note)
        with solara.Column(style={"flex": "1 1 300px"}, classes=["plm-facts"]):
            _facts(story["facts"], lang)
            solara.Text(I.t("story_events", lang), classes=["plm-subhead"])
            lines = [I.t("story_event", lang, m=e["month"], frm=I.state(e["from"], lang, short=True),
                         to=I.state(e["to"], lang, short=True), reason=I.reason(e["reason"], lang))
                     for e in story["events"]]
            if not story["facts"]["present"]:
                lines.append(I.t("story_left", lang, m=story["facts"]["last_month"]))
            Md("\n".join(f"- {line}" for line in lines[-40:]), classes=["plm-events"])


def _facts(f: dict, lang: str) -> None:
    rows = [(I.t("person_id", lang), str(f["person_id"]))]
    if "age" in f:
        yes, no = I.t("yes", lang), I.t("no", lang)
        rows += [(I.t("fact_age", lang), I.fmt_number(f["age"], lang, 0)),
                 (I.t("fact_sex", lang), I.t("male" if f["male"] else "female", lang)),
                 (I.t("fact_household", lang), I.t(f["household"], lang)),
                 (I.t("fact_education", lang), I.t(f["education"], lang)),
                 (I.t("fact_municipality", lang), f["municipality"]),
                 (I.t("fact_benefit", lang), I.benefit(f["benefit"], lang)),
                 (I.t("fact_state", lang), I.state(f["state"], lang)),
                 (I.t("fact_contract", lang), I.contract(f["contract"], lang)),
                 (I.t("fact_months_out", lang), str(f["months_out"])),
                 (I.t("fact_health", lang), I.fmt_number(f["health_hours"], lang, 0)),
                 (I.t("fact_skill", lang), I.fmt_number(f["skill"], lang, 2)),
                 (I.t("work_limitation", lang), yes if f["work_limitation"] else no),
                 (I.t("in_register", lang), yes if f["in_register"] else no)]
        labels = ", ".join(f"{I.group(g, lang)} {I.fmt_number(v, lang, 2)}" for g, v in f["label"].items() if v > 0.05)
        rows.append((I.t("fact_labels", lang), labels or "–"))
    _table([{"": k, " ": v} for k, v in rows], "plm-facts-table", header=False)


@solara.component
def AccountsTab(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    accounts = app.session.accounts()
    if "difference" in accounts.index:
        PlotlyChart(C.who_pays_chart(accounts, lang, "difference"), version=(snap.version,), lang=lang)
    PlotlyChart(C.who_pays_chart(accounts, lang), version=(snap.version,), lang=lang)
    _table(accounts_rows(accounts, lang), "plm-accounts-table")
    for key, text in accounts_notes(snap, app.session.scenario, lang, len(accounts.columns)):
        Note(text, classes=[f"plm-{key}"])


def accounts_rows(accounts, lang: str) -> list[dict]:
    """The Who pays table: each party's account (+ gains, − pays) per run, and all parties together."""
    rows = []
    for party in accounts.columns:
        row = {"": I.party(party, lang)}
        for run in accounts.index:
            row[I.t(run, lang)] = I.fmt_eur(float(accounts.loc[run, party]), lang, signed=run == "difference")
        rows.append(row)
    total = {"": I.t("total_all_parties", lang)}
    for run in accounts.index:
        total[I.t(run, lang)] = I.fmt_eur(float(accounts.loc[run].sum()), lang, signed=run == "difference")
    rows.append(total)
    return rows


def accounts_notes(snap: Snapshot, scenario, lang: str, n_parties: int = 2) -> list[tuple[str, str]]:
    """The notes under Who pays, (key, text): what the figures mean, the programme's own net cost per basisbaan
    (Groningen's EUR 19,000) and the footnote on what is assumed, with the run's own values."""
    notes = [("accounts-help", I.t("accounts_help", lang))]
    if snap.compare and len(snap.pairs) > 1:
        notes.append(("accounts-seeds", I.t("accounts_seeds", lang, n=len(snap.pairs))))
    notes.append(("programme-note", programme_note(snap, lang)))
    a = scenario.accounts
    notes.append(("accounts-assumed", I.t("accounts_assumed", lang, live=I.fmt_eur(a.liveability_value_hour, lang),
                                          care=I.fmt_eur(a.care_cost_month, lang))))
    if n_parties == 1:
        notes.append(("accounts-only", I.t("accounts_only_municipality", lang)))
    return notes


def programme_note(snap: Snapshot, lang: str) -> str:
    """Groningen's EUR 19,000 is the basisbaan programme's own net cost per basisbaan-year; the run's figure is
    computed from `basisbaan_programme_net_cost` (never from the municipality's net cost)."""
    per_year = snap.programme_cost_per_basisbaan_year()
    if per_year is None:
        return I.t("accounts_programme_none", lang)
    return I.t("accounts_programme", lang, eur=I.fmt_eur(per_year, lang))


@solara.component
def MechanismsTab(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    s = app.session
    enabled = dict(snap.mechanisms)
    Note(I.t("mechanisms_help", lang))
    if not snap.compare:
        solara.Button(I.t("compare", lang), color="primary", outlined=True, classes=["plm-compare-on"],
                      on_click=lambda: app.act(s.set_compare, True))

    def show(card: K.Card) -> None:
        app.metric.set(card.metric)
        app.tab.set("compare")

    with solara.Div(style={**GRID, "grid-template-columns": "repeat(auto-fit, minmax(420px, 1fr))"}):
        for card in K.CARDS:
            on = enabled.get(card.mechanism, True)
            with solara.Card(K.text(card.title, lang), classes=["plm-card", "plm-mechanism",
                                                                 f"plm-mechanism-{card.mechanism}"]):
                solara.Switch(label=I.t("on" if on else "off", lang), value=on,
                              classes=["plm-mechanism-switch", f"plm-switch-{card.mechanism}"],
                              on_value=lambda v, m=card.mechanism: app.act(s.set_mechanism, m, bool(v)))
                ErrorBanner(app, f"mechanism:{card.mechanism}")
                Md(f"**{I.t('card_what', lang)}.** {K.text(card.what, lang)}")
                Md(f"**{I.t('card_evidence', lang)}.** {K.text(card.evidence, lang)}")
                Md(f"**{I.t('card_look', lang)}.** {K.text(card.look, lang)}")
                if snap.compare:
                    solara.Button(f"{I.t('tab_compare', lang)}: {I.metric(card.metric, lang)}", text=True,
                                  color="primary", on_click=lambda c=card: show(c))


@solara.component
def LessonsTab(app: AppState):
    lang = app.lang.value
    s = app.session
    # the lesson and step live in the session's app state, so leaving the tab and coming back keeps the place
    lesson_id, index = app.lesson.value or (K.LESSONS[0].id, 0)

    def set_lesson(lid: str) -> None:
        app.lesson.set((lid, 0))

    def set_index(i: int) -> None:
        app.lesson.set((lesson_id, i))

    lesson = K.LESSON_BY_ID[lesson_id]
    index = min(index, len(lesson.steps) - 1)
    step = lesson.steps[index]

    def setup() -> None:
        if app.act(s.apply, step.changes, preset="default", compare=step.compare):
            return
        s.run_to(step.months)
        app.snap.set(s.snapshot())
        app.metric.set(step.metric)
        what = "; ".join(change_text("", k, v, lang) for k, v in step.changes.items()) or I.t("caption_no_changes",
                                                                                            lang)
        app.notice.set(I.t("lesson_ready", lang, what=what, tab=I.t(f"tab_{step.tab}", lang)))
        app.tab.set(step.tab)

    solara.v.Select(label=I.t("lesson", lang), v_model=lesson_id, dense=True, class_="plm-lesson-select",
                    items=[{"text": K.text(x.title, lang), "value": x.id} for x in K.LESSONS],
                    on_v_model=lambda v: set_lesson(v or K.LESSONS[0].id), style_="max-width: 720px")
    with solara.Card(f"{K.text(lesson.title, lang)} — {I.t('lesson_step', lang, i=index + 1, n=len(lesson.steps))}",
                     classes=["plm-card", "plm-lesson"]):
        Md(K.text(step.text, lang))
        Md(f"**{I.t('lesson_question', lang)}.** {K.text(step.question, lang)}")
        Md(f"**{I.t('lesson_look', lang)}:** {I.t(f'tab_{step.tab}', lang)}")
        ErrorBanner(app, "lesson")
        with solara.Row():
            solara.Button(I.t("lesson_prev", lang), disabled=index == 0, outlined=True,
                          on_click=lambda: set_index(index - 1))
            solara.Button(I.t("lesson_setup", lang), color="primary", classes=["plm-lesson-setup"], on_click=setup)
            solara.Button(I.t("lesson_next", lang), disabled=index >= len(lesson.steps) - 1, outlined=True,
                          on_click=lambda: set_index(index + 1))


@solara.component
def ExportTab(app: AppState):
    snap: Snapshot = app.snap.value
    lang = app.lang.value
    s = app.session
    ids = export_ids(snap, app.person.value is not None)
    cid, set_cid = solara.use_state("inclusion")
    fmt, set_fmt = solara.use_state("png")
    if cid not in ids:
        cid = "inclusion"
    Note(I.t("export_help", lang))
    with solara.Column(classes=["plm-export"]):
        solara.FileDownload(lambda: s.export_csv(), filename=f"plm-timeseries-seed{snap.seed}.csv",
                            label=I.t("export_csv", lang), mime_type="text/csv")
        solara.FileDownload(lambda: s.export_places_csv(), filename=f"plm-places-seed{snap.seed}.csv",
                            label=I.t("export_places_csv", lang), mime_type="text/csv")
        if snap.compare:
            solara.FileDownload(lambda: s.export_csv(compare=True), filename="plm-compare.csv",
                                label=I.t("export_csv_compare", lang), mime_type="text/csv")
        solara.FileDownload(lambda: s.export_toml(), filename="plm-scenario.toml", label=I.t("export_toml", lang),
                            mime_type="application/toml")
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.v.Select(label=I.t("export_chart", lang), v_model=cid, dense=True, class_="plm-export-chart",
                            items=[{"text": I.t(CHART_TITLES[i], lang) + (f" ({I.t('baseline', lang)})"
                                                                         if i == "mix_baseline" else ""),
                                    "value": i} for i in ids],
                            on_v_model=lambda v: set_cid(v or "inclusion"), style_="max-width: 420px")
            solara.ToggleButtonsSingle(value=fmt, values=["png", "svg"], on_value=set_fmt,
                                       classes=["plm-export-format"])

            def image() -> bytes:
                chart = chart_for(app, cid)
                return C.to_image(chart, fmt) if chart is not None else b""

            solara.FileDownload(image, filename=f"plm-{cid}.{fmt}", label=I.t("export_image", lang),
                                mime_type="image/png" if fmt == "png" else "image/svg+xml")


TAB_COMPONENTS = {"charts": TimeCharts, "compare": CompareTab, "flows": FlowsTab, "region": RegionTab,
                  "person": PersonTab, "accounts": AccountsTab, "mechanisms": MechanismsTab, "lessons": LessonsTab,
                  "export": ExportTab}


@solara.component
def Main(app: AppState):
    lang = app.lang.value
    tab = app.tab.value
    index = TABS.index(tab)
    from viz.components import CAPTION, Caption, KpiRow

    # every chart's exported image carries what it comes from: the settings, the seed(s) and the month
    CAPTION.provide(solara.use_memo(lambda: lambda: caption_text(app.session.snapshot(), app.lang.peek()), [app]))
    if app.present.value:
        Caption(app)
    KpiRow(app)
    if app.notice.value:
        with solara.Row(classes=["plm-notice"], style={"align-items": "center"}):
            solara.Text(app.notice.value)
            solara.Button("×", text=True, on_click=lambda: app.notice.set(None))
    with solara.v.Tabs(v_model=index, on_v_model=lambda i: app.tab.set(TABS[int(i)]), show_arrows=True,
                       class_="plm-tabs"):
        for t in TABS:
            solara.v.Tab(children=[I.t(f"tab_{t}", lang)], class_=f"plm-tab-{t}")
    with solara.Column(classes=["plm-tab-content", f"plm-tab-content-{tab}"]):
        TAB_COMPONENTS[tab](app)
