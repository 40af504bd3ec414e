"""Charts as data: each builder turns a run's numbers into a `Chart` (traces with names, colours, dashes and
units, in the chosen language); two renderers draw it — plotly for the live app, matplotlib for PNG and SVG
export — so what is downloaded is the chart on screen. Builders are pure functions of their inputs.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from viz import i18n as I
from viz import palette as P
from viz.session import metric_series

STATE_ORDER = ("regular", "basisbaan", "parallel", "participation", "unemployed", "inactive")


@dataclass
class Trace:
    name: str
    x: list
    y: list
    colour: str
    dash: str = "solid"            # solid | dash | dot
    stack: str | None = None       # traces with the same stack name are stacked areas
    kind: str = "line"             # line | step | bar | band | markers
    y_lo: list | None = None       # band: lower edge (y is the upper edge)
    panel: int = 0
    width: float = P.LINE_WIDTH
    hover: str = ",.1f"            # d3 number format for hover labels
    legend: bool = True


@dataclass
class Panel:
    y_title: str
    height: float = 1.0
    categories: list[str] | None = None   # a categorical axis (labels of y = 0, 1, ...)


@dataclass
class Chart:
    id: str
    title: str
    kind: str = "xy"                       # xy | sankey | network | bars
    x_title: str = ""
    panels: list[Panel] = field(default_factory=lambda: [Panel("")])
    traces: list[Trace] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)   # sankey / network / bars payload
    note: str = ""
    height: int = 420
    x_range: tuple[float, float] | None = None   # fixed x axis (the run's length), so lines grow into it
    markers: list[tuple[float, str]] = field(default_factory=list)   # (month, label): a change applies from it
    caption: str = ""              # exported images: what the chart comes from (settings, seed, month)

    def signature(self) -> tuple:
        """What must match for a chart to be updated in place (same traces, same axes)."""
        return (self.kind, len(self.panels), tuple((t.name, t.kind, t.stack, t.panel, t.dash) for t in self.traces))


# --- builders -------------------------------------------------------------------------------------------

def _months(ts: pd.DataFrame) -> list:
    return ts["month"].tolist()


def mix_chart(ts: pd.DataFrame, lang: str, which: str = "variant", cid: str = "mix") -> Chart:
    title = I.t("chart_mix", lang)
    if which == "baseline":
        title += f" — {I.t('baseline', lang)}"
    elif which == "variant_compare":
        title += f" — {I.t('variant', lang)}"
    traces = [Trace(I.state(s, lang, short=True), _months(ts), ts[f"n_{s}"].tolist(), P.STATE_COLOURS[s],
                    stack="mix", hover=",.0f") for s in STATE_ORDER]
    return Chart(cid, title, x_title=I.t("axis_month", lang), panels=[Panel(I.t("axis_people", lang))], traces=traces)


def _with_baseline(traces: list[Trace], ts_base: pd.DataFrame | None, column: str, name: str, colour: str,
                   lang: str, factor: float = 1.0, hover: str = ",.1f") -> None:
    if ts_base is not None:
        traces.append(Trace(f"{name} ({I.t('baseline', lang)})", _months(ts_base),
                            (ts_base[column] * factor).tolist(), colour, dash="dash", hover=hover))


def inclusion_chart(ts: pd.DataFrame, ts_base: pd.DataFrame | None, lang: str) -> Chart:
    rate, gap = I.t("kpi_inclusion", lang), I.metric("inclusion_gap", lang)
    traces = [Trace(rate, _months(ts), (ts["inclusion_rate"] * 100).tolist(), P.VARIANT),
              Trace(gap, _months(ts), (ts["inclusion_gap"] * 100).tolist(), P.SECOND)]
    _with_baseline(traces, ts_base, "inclusion_rate", rate, P.VARIANT, lang, 100)
    _with_baseline(traces, ts_base, "inclusion_gap", gap, P.SECOND, lang, 100)
    return Chart("inclusion", I.t("chart_inclusion", lang), x_title=I.t("axis_month", lang),
                 panels=[Panel(I.t("axis_percent", lang))], traces=traces)


def displacement_chart(ts: pd.DataFrame, ts_base: pd.DataFrame | None, lang: str) -> Chart:
    name = I.metric("displacement_per_100", lang)
    traces = [Trace(name, _months(ts), ts["displacement_per_100"].tolist(), P.VARIANT)]
    _with_baseline(traces, ts_base, "displacement_per_100", name, P.VARIANT, lang)
    return Chart("displacement", I.t("chart_displacement", lang), x_title=I.t("axis_month", lang),
                 panels=[Panel(I.t("axis_per_100", lang))], traces=traces)


def throughput_chart(ts: pd.DataFrame, ts_base: pd.DataFrame | None, lang: str) -> Chart:
    name = I.metric("throughput_rate", lang)
    traces = [Trace(name, _months(ts), (ts["throughput_rate"] * 100).tolist(), P.VARIANT, hover=",.2f")]
    _with_baseline(traces, ts_base, "throughput_rate", name, P.VARIANT, lang, 100, hover=",.2f")
    return Chart("throughput", I.t("chart_throughput", lang), x_title=I.t("axis_month", lang),
                 panels=[Panel(I.t("axis_throughput", lang))], traces=traces)


def cost_chart(ts: pd.DataFrame, ts_base: pd.DataFrame | None, lang: str) -> Chart:
    """What the municipality pays out (stacked by component), what it receives (below zero, when it receives
    anything), its net cost (`municipal_net_cost` = spend − receipts; the baseline's dashed) and, dotted and never
    subtracted, the benefits that work makes unnecessary (`municipal_savings`, a counterfactual for reading)."""
    x = _months(ts)
    traces = [Trace(I.spend(c, lang), x, ts[c].tolist(), P.SPEND_COLOURS.get(c, P.O["grey"]), stack="spend",
                    hover=",.0f", width=1.0)
              for c in I.SPEND if c in ts.columns]
    received = [t for t in (ts, ts_base) if t is not None and "municipal_receipts" in t.columns]
    if any((t["municipal_receipts"] != 0).any() for t in received):
        traces.append(Trace(I.t("receipts", lang), x, (-ts["municipal_receipts"]).tolist(), P.O["grey"],
                            stack="receipts", hover=",.0f", width=1.0))
    traces.append(Trace(I.t("net_cost", lang), x, ts["municipal_net_cost"].tolist(), P.O["black"], hover=",.0f"))
    _with_baseline(traces, ts_base, "municipal_net_cost", I.t("net_cost", lang), P.O["black"], lang, hover=",.0f")
    traces.append(Trace(I.t("savings", lang), x, ts["municipal_savings"].tolist(), P.O["grey"], dash="dot",
                        hover=",.0f", width=2.0))
    return Chart("cost", I.t("chart_cost", lang), x_title=I.t("axis_month", lang),
                 panels=[Panel(I.t("axis_eur_month", lang))], traces=traces, height=480,
                 note=I.t("cost_note", lang))


def places_chart(series: dict[str, pd.DataFrame], where: str, lang: str) -> Chart:
    """Places filled against places available (acquired) and planned, one panel per programme, for the region or
    one municipality (`where`); `series` from `Session.places_series` (the time series' columns,
    `abm.acquisition.SERIES`). Filled is a solid line, available dashed, planned dotted, each named by the column's
    label (abm/metric_labels.py)."""
    from abm.acquisition import SERIES

    traces, panels = [], []
    for i, (programme, table) in enumerate(series.items()):
        colour = P.STATE_COLOURS[programme]
        x = _months(table)
        for figure, dash, line in (("filled", "solid", colour), ("acquired", "dash", colour),
                                   ("planned", "dot", P.O["black"])):
            traces.append(Trace(I.metric(SERIES[programme][figure], lang), x, table[figure].tolist(), line,
                                dash=dash, kind="step", panel=i, hover=",.0f"))
        panels.append(Panel(f"{I.t(f'programme_{programme}', lang)} · {I.t('axis_places', lang)}"))
    return Chart("places", f"{I.t('chart_places', lang)} — {where}", x_title=I.t("axis_month", lang),
                 panels=panels, traces=traces, height=520, note=I.t("places_chart_note", lang))


def party_series(ts: pd.DataFrame) -> dict[str, pd.Series]:
    """Net account per party per month: `account_<party>_net` columns, or the municipality's (minus its net
    cost) when the model books no parties."""
    from viz.session import party_columns

    parties = party_columns(ts)
    if not parties:
        return {"municipality": -ts["municipal_net_cost"]}
    return {p: ts[f"account_{p}_net"] for p in parties}


def accounts_chart(ts: pd.DataFrame, ts_base: pd.DataFrame | None, lang: str) -> Chart:
    traces = []
    for i, (p, series) in enumerate(party_series(ts).items()):
        colour = P.party_colour(p, i)
        traces.append(Trace(I.party(p, lang), _months(ts), series.tolist(), colour, hover=",.0f"))
        if ts_base is not None:
            base = party_series(ts_base).get(p)
            if base is not None:
                traces.append(Trace(f"{I.party(p, lang)} ({I.t('baseline', lang)})", _months(ts_base), base.tolist(),
                                    colour, dash="dash", hover=",.0f", legend=False))
    note = "" if len(traces) > 1 or ts_base is not None else I.t("accounts_only_municipality", lang)
    return Chart("accounts", I.t("chart_accounts", lang), x_title=I.t("axis_month", lang),
                 panels=[Panel(I.t("axis_eur_month", lang))], traces=traces, note=note, height=400)


def metric_factor(metric: str) -> float:
    return 100.0 if I.METRIC_FORMAT.get(metric) == "pct" else 1.0


def difference_chart(pairs, metric: str, lang: str, members: int = 1, weights=None) -> Chart:
    """variant − baseline of `metric` over time; the mean over seeds, with a min–max band for several seeds. Over a
    calibration ensemble (`members` > 1: the pairs are every member × seed) the band is the ensemble's interval
    month by month and the line its mean, both pooled with each pair's `weights` (`Snapshot.weights`; None:
    equal) as plm report --ensemble pools them (`experiments.ensemble.interval` and `mean`)."""
    factor = metric_factor(metric)
    unit = (" (pp)" if lang == "en" else " (%-punt)") if factor == 100 else ""
    diffs = []
    x: list = []
    for _seed, base, var in pairs:
        n = min(len(base), len(var))
        diffs.append((metric_series(var, metric)[:n] - metric_series(base, metric)[:n]) * factor)
        x = var["month"].tolist()[:n]
    traces: list[Trace] = []
    if diffs:
        n = min(len(d) for d in diffs)
        arr = np.vstack([d[:n] for d in diffs])
        x = x[:n]
        line = arr.mean(axis=0).tolist()
        if members > 1:
            from experiments.ensemble import interval, mean

            w = None if weights is None or not len(weights) else np.asarray(weights, dtype=float)
            lo, hi = zip(*(interval(arr[:, k], w) for k in range(n))) if n else ((), ())
            if w is not None:
                line = [mean(arr[:, k], w) for k in range(n)]
            band = I.t("band_ensemble", lang, m=members, seeds=I.n_seeds(len(diffs) // members, lang))
            traces.append(Trace(band, x, list(hi), P.DIFFERENCE, kind="band", y_lo=list(lo), hover=",.3f"))
        elif len(diffs) > 1:
            traces.append(Trace(I.t("band_seeds", lang, n=len(diffs)), x, arr.max(axis=0).tolist(), P.DIFFERENCE,
                                kind="band", y_lo=arr.min(axis=0).tolist(), hover=",.3f"))
        name = (I.t("mean_over_runs" if members > 1 else "mean_over_seeds", lang, n=len(diffs)) if len(diffs) > 1
                else I.t("difference", lang))
        traces.append(Trace(name, x, line, P.DIFFERENCE, hover=",.3f"))
        traces.append(Trace("0", x, [0.0] * len(x), P.BASELINE, dash="dot", width=1.5, legend=False))
    return Chart("difference", f"{I.t('chart_difference', lang)}: {I.metric(metric, lang)}",
                 x_title=I.t("axis_month", lang), panels=[Panel(I.metric(metric, lang) + unit)], traces=traces)


def sankey_chart(flows: pd.DataFrame, start: int, end: int, lang: str) -> Chart:
    """People by state at `start` (left) and `end` (right)."""
    left_states = [s for s in ("entry",) + STATE_ORDER if s in set(flows["source"])]
    right_states = [s for s in STATE_ORDER + ("exit",) if s in set(flows["target"])]
    labels = [I.state(s, lang, short=True) for s in left_states] + [I.state(s, lang, short=True) for s in right_states]
    colours = [P.STATE_COLOURS[s] for s in left_states] + [P.STATE_COLOURS[s] for s in right_states]
    src, dst, val, lcol = [], [], [], []
    for r in flows.itertuples():
        if r.source not in left_states or r.target not in right_states or r.people <= 0:
            continue
        src.append(left_states.index(r.source))
        dst.append(len(left_states) + right_states.index(r.target))
        val.append(float(r.people))
        lcol.append(P.with_alpha(P.STATE_COLOURS[r.source], 0.45))
    data = {"labels": labels, "colours": colours, "source": src, "target": dst, "value": val, "link_colours": lcol,
            "left": left_states, "right": right_states}
    return Chart("flows", I.t("chart_sankey", lang, a=start, b=end), kind="sankey", data=data, height=520)


def region_chart(region: dict, lang: str, diff: dict | None = None) -> Chart:
    metric = region["metric"]
    label = I.t(f"region_{metric}", lang)
    nodes = region["nodes"]
    values = [n["value"] for n in nodes]
    if diff is not None:
        values = [n["value"] - b["value"] for n, b in zip(nodes, diff["nodes"])]
        label = f"{label}: {I.t('difference', lang)}"
    pct = metric in ("inclusion_rate", "unemployed_share")
    shown = [v * 100 for v in values] if pct else values
    data = {"nodes": nodes, "edges": region["edges"], "values": shown, "label": label + (" (%)" if pct else ""),
            "diverging": diff is not None, "jobs": I.t("jobs", lang), "people": I.t("people", lang)}
    return Chart("region", I.t("chart_region", lang, metric=label, m=region["month"]), kind="network", data=data,
                 height=520)


def story_chart(story: dict, lang: str) -> Chart:
    pid = story["facts"]["person_id"]
    s = story["series"]
    base = story.get("baseline")
    cats = [I.state(st, lang, short=True) for st in STATE_ORDER]
    code = {st: i for i, st in enumerate(STATE_ORDER)}
    panels = [Panel(I.t("story_state_short", lang), 1.2, categories=cats), Panel(I.t("story_income_short", lang)),
              Panel(I.t("story_wellbeing_short", lang)), Panel(I.t("story_stigma_short", lang))]
    x = s["month"].tolist()
    traces = [Trace(I.t("story_state", lang), x, [code[v] for v in s["state"]], P.VARIANT, kind="step", panel=0,
                    hover=".0f", legend=False),
              Trace(I.t("story_income", lang), x, s["income"].tolist(), P.O["green"], kind="step", panel=1,
                    hover=",.0f"),
              Trace(I.t("story_wellbeing", lang), x, s["wellbeing"].tolist(), P.O["orange"], panel=2, hover=".2f"),
              Trace(I.t("story_self_stigma", lang), x, s["self_stigma"].tolist(), P.O["purple"], panel=3, hover=".2f"),
              Trace(I.t("story_label_stigma", lang), x, s["label_stigma"].tolist(), P.O["vermillion"], panel=3,
                    hover=".2f")]
    if base is not None:
        bx = base["month"].tolist()
        suffix = f" ({I.t('baseline', lang)})"
        traces += [Trace(I.t("story_state", lang) + suffix, bx, [code[v] for v in base["state"]], P.BASELINE,
                         kind="step", dash="dash", panel=0, hover=".0f", legend=False),
                   Trace(I.t("story_income", lang) + suffix, bx, base["income"].tolist(), P.O["green"], kind="step",
                         dash="dash", panel=1, hover=",.0f", legend=False),
                   Trace(I.t("story_wellbeing", lang) + suffix, bx, base["wellbeing"].tolist(), P.O["orange"],
                         dash="dash", panel=2, hover=".2f", legend=False),
                   Trace(I.t("story_self_stigma", lang) + suffix, bx, base["self_stigma"].tolist(), P.O["purple"],
                         dash="dash", panel=3, hover=".2f", legend=False)]
    return Chart("story", I.t("chart_story", lang, pid=pid), x_title=I.t("axis_month", lang), panels=panels,
                 traces=traces, height=640, note=I.t("story_baseline_note", lang) if base is not None else "")


def who_pays_chart(accounts: pd.DataFrame, lang: str, which: str = "totals") -> Chart:
    """Cumulative net account per party (+ gains, − pays): `totals` shows your settings (and the baseline);
    `difference` shows what your settings change for each party against the baseline."""
    parties = list(accounts.columns)
    colours = {"variant": P.VARIANT, "baseline": P.BASELINE, "difference": P.DIFFERENCE}
    runs = ["difference"] if which == "difference" else [r for r in accounts.index if r != "difference"]
    groups = [{"name": I.t(run, lang), "values": [float(v) for v in accounts.loc[run, parties]],
               "colour": colours.get(run, P.O["grey"])} for run in runs if run in accounts.index]
    data = {"categories": [I.party(p, lang) for p in parties], "groups": groups, "x_title": I.t("axis_eur", lang)}
    title = I.t("chart_who_pays_difference" if which == "difference" else "chart_who_pays", lang)
    return Chart("who_pays_difference" if which == "difference" else "who_pays", title, kind="bars", data=data,
                 height=140 + (45 if which == "difference" else 70) * max(len(parties), 1))


# --- the numbers as a table (a chart's text alternative) ---------------------------------------------------

def table_rows(chart: Chart) -> list[dict]:
    """The chart's numbers as rows of {column: value}: per month for a chart over time (a column per line),
    per category for bars, per flow for a Sankey diagram, per municipality for the region."""
    def num(v: Any) -> str:
        return "" if v is None or (isinstance(v, float) and not np.isfinite(v)) else f"{float(v):,.4g}"

    if chart.kind == "xy":
        traces = [t for t in chart.traces if t.kind != "band"]
        xs = sorted({x for t in traces for x in t.x})
        cols = {t.name: dict(zip(t.x, t.y)) for t in traces}
        return [{chart.x_title or "x": x, **{name: num(col.get(x)) for name, col in cols.items()}} for x in xs]
    d = chart.data
    if chart.kind == "bars":
        return [{"": cat, **{g["name"]: num(g["values"][i]) for g in d["groups"]}}
                for i, cat in enumerate(d["categories"])]
    if chart.kind == "sankey":
        return [{"from": d["labels"][s], "to": d["labels"][t], "people": num(v)}
                for s, t, v in zip(d["source"], d["target"], d["value"])]
    if chart.kind == "network":
        return [{"": n["name"], d["label"]: num(v)} for n, v in zip(d["nodes"], d["values"])]
    return []


# --- plotly --------------------------------------------------------------------------------------------

DASH = {"solid": "solid", "dash": "dash", "dot": "dot"}
AXIS_TITLE_CHARACTERS = 26     # longer axis titles are cut off beside a chart 420 px high: wrapped in two lines


def wrap_title(text: str, newline: str) -> str:
    """An axis title on two lines when it is longer than AXIS_TITLE_CHARACTERS (split at the space nearest the
    middle)."""
    if len(text) <= AXIS_TITLE_CHARACTERS or " " not in text:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + newline + text[cut + 1:]


def _base_layout(chart: Chart) -> dict:
    return {
        "title": {"text": chart.title, "font": {"size": P.TITLE_SIZE}, "x": 0.01, "xanchor": "left"},
        "font": {"size": P.FONT_SIZE, "family": "Arial, Helvetica, sans-serif"},
        "height": chart.height,
        "margin": {"l": 70, "r": 20, "t": 56, "b": 30},
        "paper_bgcolor": "white", "plot_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0, "font": {"size": P.FONT_SIZE - 2}},
        "hovermode": "x unified" if chart.kind == "xy" else "closest",
        "uirevision": chart.id,
        "autosize": True,
    }


def _axis_name(prefix: str, i: int) -> str:
    return prefix if i == 0 else f"{prefix}{i + 1}"


def to_plotly(chart: Chart) -> tuple[list[dict], dict]:
    """(data, layout) for plotly."""
    layout = _base_layout(chart)
    if chart.kind == "sankey":
        d = chart.data
        data = [{"type": "sankey", "arrangement": "snap", "valueformat": ",.0f",
                 "node": {"label": d["labels"], "color": d["colours"], "pad": 18, "thickness": 22,
                          "line": {"color": "white", "width": 1}},
                 "link": {"source": d["source"], "target": d["target"], "value": d["value"],
                          "color": d["link_colours"]}}]
        layout["margin"] = {"l": 20, "r": 20, "t": 56, "b": 20}
        return data, layout
    if chart.kind == "network":
        return _plotly_network(chart, layout)
    if chart.kind == "bars":
        d = chart.data
        data = [{"type": "bar", "orientation": "h", "name": g["name"], "y": d["categories"], "x": g["values"],
                 "marker": {"color": g["colour"]}, "hovertemplate": "%{x:,.0f}<extra>%{fullData.name}</extra>"}
                for g in d["groups"]]
        layout.update(barmode="group", hovermode="closest",
                      # automargin: the axis title gets room below the tick labels instead of covering them
                      xaxis={"title": {"text": d["x_title"], "standoff": 6}, "automargin": True, "zeroline": True,
                             "zerolinewidth": 2,
                             "zerolinecolor": "#333", "gridcolor": "#ddd", "tickformat": ",.0f"},
                      yaxis={"automargin": True, "autorange": "reversed"})
        layout["margin"]["l"] = 20
        return data, layout
    # xy: panels stacked top to bottom, sharing the x axis
    n = len(chart.panels)
    total = sum(p.height for p in chart.panels)
    gap = 0.06 if n > 1 else 0.0
    top = 1.0
    for i, panel in enumerate(chart.panels):
        h = (1.0 - gap * (n - 1)) * panel.height / total
        axis = {"title": {"text": wrap_title(panel.y_title, "<br>"), "font": {"size": P.FONT_SIZE - 2}},
                "domain": [round(max(top - h, 0.0), 6), round(min(top, 1.0), 6)],
                "gridcolor": "#ddd", "zerolinecolor": "#999", "anchor": "x", "automargin": True}
        if panel.categories:
            axis.update(tickmode="array", tickvals=list(range(len(panel.categories))), ticktext=panel.categories,
                        range=[-0.5, len(panel.categories) - 0.5])
        layout["yaxis" if i == 0 else f"yaxis{i + 1}"] = axis
        top -= h + gap
    layout["xaxis"] = {"title": {"text": chart.x_title, "standoff": 4, "font": {"size": P.FONT_SIZE - 2}},
                       "gridcolor": "#ddd", "anchor": _axis_name("y", n - 1), "rangemode": "tozero"}
    layout["legend"]["y"] = -0.16 - 0.04 * (P.FONT_SIZE / 16) * (1 if chart.height >= 400 else 1.3)
    if chart.x_range is not None:
        single = all(len(t.x) <= 1 for t in chart.traces)    # month 0: room for its markers left of the axis
        layout["xaxis"]["range"] = [chart.x_range[0] - (0.6 if single else 0), chart.x_range[1]]
    if any(len(p.y_title) > AXIS_TITLE_CHARACTERS for p in chart.panels):
        layout["margin"]["l"] = 100                         # a title on two lines needs the room
    if chart.markers:
        layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": m, "x1": m, "y0": 0, "y1": 1,
                             "line": {"color": P.O["black"], "width": 1.5, "dash": "dot"}} for m, _ in chart.markers]
        end = chart.x_range[1] if chart.x_range else max((x for t in chart.traces for x in t.x), default=1)
        layout["annotations"] = [{"xref": "x", "yref": "paper", "x": m, "y": 1.0, "text": text, "showarrow": False,
                                  "xanchor": "left" if m < 0.5 * end else "right", "yanchor": "bottom",
                                  "font": {"size": P.FONT_SIZE - 3}}
                                 for m, text in chart.markers]
    data = []
    for tr in chart.traces:
        base = {"type": "scatter", "name": tr.name, "x": tr.x, "yaxis": _axis_name("y", tr.panel),
                "showlegend": tr.legend, "hovertemplate": f"%{{y:{tr.hover}}}<extra>{tr.name}</extra>"}
        if tr.kind == "band":
            data.append({**base, "y": tr.y, "mode": "lines", "line": {"width": 0, "color": tr.colour},
                         "showlegend": False, "hoverinfo": "skip", "hovertemplate": None})
            data.append({**base, "y": tr.y_lo, "mode": "lines", "line": {"width": 0, "color": tr.colour},
                         "fill": "tonexty", "fillcolor": P.with_alpha(tr.colour, 0.25)})
            continue
        if tr.kind == "bar":
            data.append({**base, "type": "bar", "y": tr.y, "marker": {"color": tr.colour}})
            continue
        # a single month (month 0) draws no line: show it as a marker
        item = {**base, "y": tr.y, "mode": "lines+markers" if len(tr.x) <= 1 else "lines", "marker": {"size": 9},
                "line": {"color": tr.colour, "width": tr.width, "dash": DASH.get(tr.dash, "solid")}}
        if tr.kind == "step":
            item["line"]["shape"] = "hv"
        if tr.stack:
            item.update(stackgroup=tr.stack, fillcolor=P.with_alpha(tr.colour, 0.85),
                        line={"color": tr.colour, "width": 0.5})
        data.append(item)
    return data, layout


def _plotly_network(chart: Chart, layout: dict) -> tuple[list[dict], dict]:
    d = chart.data
    nodes, edges, values = d["nodes"], d["edges"], d["values"]
    data = []
    wmax = max((e["weight"] for e in edges), default=1.0) or 1.0
    for e in edges:
        a, b = nodes[e["i"]], nodes[e["j"]]
        data.append({"type": "scatter", "mode": "lines", "x": [a["x"], b["x"]], "y": [a["y"], b["y"]],
                     "line": {"color": "#9a9a9a", "width": 1.5 + 8 * e["weight"] / wmax}, "hoverinfo": "skip",
                     "showlegend": False})
    jmax = max((n["jobs"] for n in nodes), default=1.0) or 1.0
    sizes = [24 + 56 * np.sqrt(n["jobs"] / jmax) for n in nodes]
    hover = [f"{n['name']}<br>{d['label']}: {v:,.1f}<br>{n['jobs']:,.0f} {d['jobs']} · {n['people']:,.0f} "
             f"{d['people']}" for n, v in zip(nodes, values)]
    marker = {"size": sizes, "color": values, "colorscale": "RdBu" if d["diverging"] else P.SEQUENTIAL,
              "showscale": True, "line": {"color": "#222", "width": 2},
              "colorbar": {"title": {"text": d["label"], "side": "right"}, "thickness": 18}}
    if d["diverging"]:
        m = max(abs(v) for v in values) or 1.0
        marker.update(cmin=-m, cmax=m)
    data.append({"type": "scatter", "mode": "markers+text", "x": [n["x"] for n in nodes],
                 "y": [n["y"] for n in nodes], "text": [n["name"] for n in nodes], "textposition": "top center",
                 "textfont": {"size": P.FONT_SIZE + 2}, "marker": marker, "hovertext": hover, "hoverinfo": "text",
                 "showlegend": False})
    layout.update(xaxis={"title": {"text": "km"}, "zeroline": False, "gridcolor": "#eee"},
                  yaxis={"title": {"text": "km"}, "zeroline": False, "gridcolor": "#eee", "scaleanchor": "x"},
                  hovermode="closest")
    return data, layout


# --- matplotlib (export) ---------------------------------------------------------------------------------

MPL_DASH = {"solid": "-", "dash": "--", "dot": ":"}


def to_image(chart: Chart, fmt: str = "png") -> bytes:
    """The chart as PNG or SVG bytes (matplotlib, no browser needed), as `image_figure` draws it."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format = {fmt!r}: allowed: png, svg")
    fig = image_figure(chart)
    buf = io.BytesIO()
    # the caption also as the image's description (a PNG text chunk, the SVG's metadata)
    fig.savefig(buf, format=fmt, dpi=150 if fmt == "png" else None,
                metadata={"Description": chart.caption} if chart.caption else None)
    return buf.getvalue()


def image_figure(chart: Chart):
    """The exported image as a matplotlib figure: the chart across the full width, and under it the legend in
    columns, the note and the caption (what the chart comes from: settings, seed, month)."""
    from matplotlib.figure import Figure

    height_in = max(chart.height / 80.0, 4.0)
    # the footer under the chart: the legend in columns (the plot keeps the width), then the note and the caption
    legend_rows = -(-legend_entries(chart) // LEGEND_COLUMNS)
    foot = "\n".join(textwrap.fill(t, 160) for t in (chart.note, chart.caption) if t)
    foot_lines = foot.count("\n") + 1 if foot else 0
    foot_in = 0.15 + 0.2 * legend_rows + 0.16 * foot_lines if (legend_rows or foot_lines) else 0.0
    fig = Figure(figsize=(11, height_in + foot_in), dpi=100)
    main, footer = fig.subfigures(2, 1, height_ratios=[height_in, max(foot_in, 0.01)])
    fig.set_layout_engine("constrained")
    if chart.kind == "xy":
        _mpl_xy(main, chart, footer)
    elif chart.kind == "sankey":
        _mpl_sankey(main, chart)
    elif chart.kind == "network":
        _mpl_network(main, chart)
    else:
        _mpl_bars(main, chart, footer)
    if foot:
        footer.text(0.01, 0.02, foot, fontsize=8, ha="left", va="bottom")
    return fig


LEGEND_COLUMNS = 4


def legend_entries(chart: Chart) -> int:
    """How many entries the exported image's legend has: it sits under the chart in `LEGEND_COLUMNS` columns, so
    the plot keeps the image's width (a bar chart of one group has none: its axis title names it)."""
    if chart.kind == "xy":
        return sum(1 for t in chart.traces if t.legend)
    if chart.kind == "bars":
        groups = len(chart.data.get("groups", []))
        return groups if groups > 1 else 0
    return 0


def _mpl_xy(fig, chart: Chart, footer=None) -> None:
    ratios = [p.height for p in chart.panels]
    axes = fig.subplots(len(chart.panels), 1, sharex=True, squeeze=False,
                        gridspec_kw={"height_ratios": ratios})[:, 0]
    fig.suptitle(chart.title, fontsize=15, x=0.01, ha="left")
    stacks: dict[tuple[int, str], list[Trace]] = {}
    for tr in chart.traces:
        if tr.stack:
            stacks.setdefault((tr.panel, tr.stack), []).append(tr)
    for (panel, _), group in stacks.items():
        ax = axes[panel]
        x = np.asarray(group[0].x, dtype=float)
        ys = [np.asarray(t.y, dtype=float) for t in group]
        ax.stackplot(x, *ys, colors=[t.colour for t in group], labels=[t.name for t in group], alpha=0.85)
    for tr in chart.traces:
        if tr.stack:
            continue
        ax = axes[tr.panel]
        label = tr.name if tr.legend else None
        if tr.kind == "band":
            ax.fill_between(tr.x, tr.y_lo, tr.y, color=tr.colour, alpha=0.25, label=label, linewidth=0)
        elif tr.kind == "bar":
            ax.bar(tr.x, tr.y, color=tr.colour, label=label)
        else:
            ax.plot(tr.x, tr.y, color=tr.colour, linestyle=MPL_DASH.get(tr.dash, "-"), linewidth=tr.width * 0.7,
                    label=label, drawstyle="steps-post" if tr.kind == "step" else "default")
    from matplotlib.ticker import FuncFormatter

    for ax, panel in zip(axes, chart.panels):
        ax.set_ylabel(wrap_title(panel.y_title, "\n"), fontsize=10)
        ax.grid(True, color="#dddddd")
        if not panel.categories:     # 25,000,000 rather than 2.5 with "1e7" above the axis
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}"))
        if panel.categories:
            ax.set_yticks(range(len(panel.categories)), panel.categories)
            ax.set_ylim(-0.5, len(panel.categories) - 0.5)
    handles, labels = [], []
    for ax in axes:
        h, lab = ax.get_legend_handles_labels()
        handles += h
        labels += lab
    if handles:   # one legend under the chart, in columns: the plot keeps the width
        (footer or fig).legend(handles, labels, loc="upper left", ncol=min(LEGEND_COLUMNS, len(labels)), fontsize=8,
                               frameon=False, bbox_to_anchor=(0.0, 1.0))
    axes[-1].set_xlabel(chart.x_title)
    if chart.x_range is not None:
        axes[-1].set_xlim(*chart.x_range)
    for m, text in chart.markers:
        for ax in axes:
            ax.axvline(m, color="#000000", linestyle=":", linewidth=1.2)
        axes[0].annotate(text, (m, 1.0), xycoords=("data", "axes fraction"), xytext=(3, 2),
                         textcoords="offset points", fontsize=8, va="bottom")


def _mpl_sankey(fig, chart: Chart) -> None:
    """A two-column alluvial diagram: stacked boxes left and right, bands between them."""
    d = chart.data
    ax = fig.subplots()
    fig.suptitle(chart.title, fontsize=15, x=0.01, ha="left")
    nl = len(d["left"])
    left_tot = np.zeros(nl)
    right_tot = np.zeros(len(d["right"]))
    for s, t, v in zip(d["source"], d["target"], d["value"]):
        left_tot[s] += v
        right_tot[t - nl] += v
    total = max(left_tot.sum(), right_tot.sum(), 1.0)
    pad = 0.02 * total

    def positions(tot):
        pos, y = [], 0.0
        for v in tot:
            pos.append(y)
            y += v + pad
        return pos

    lpos, rpos = positions(left_tot), positions(right_tot)
    lcur, rcur = list(lpos), list(rpos)
    xs = np.linspace(0, 1, 50)
    curve = 0.5 - 0.5 * np.cos(np.pi * xs)
    for s, t, v, col in sorted(zip(d["source"], d["target"], d["value"], d["link_colours"])):
        r = t - nl
        y0, y1 = lcur[s], rcur[r]
        lcur[s] += v
        rcur[r] += v
        lower = y0 + (y1 - y0) * curve
        ax.fill_between(0.1 + 0.8 * xs, lower, lower + v, color=d["colours"][s], alpha=0.4, linewidth=0)
    for i, (y, v) in enumerate(zip(lpos, left_tot)):
        ax.add_patch(_rect(0.06, y, 0.04, v, d["colours"][i]))
        ax.text(0.05, y + v / 2, f"{d['labels'][i]}  {v:,.0f}", ha="right", va="center", fontsize=9)
    for j, (y, v) in enumerate(zip(rpos, right_tot)):
        ax.add_patch(_rect(0.9, y, 0.04, v, d["colours"][nl + j]))
        ax.text(0.95, y + v / 2, f"{d['labels'][nl + j]}  {v:,.0f}", ha="left", va="center", fontsize=9)
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylim(max(lpos[-1] + left_tot[-1] if nl else 0, rpos[-1] + right_tot[-1] if len(rpos) else 0) + pad, -pad)
    ax.axis("off")


def _rect(x, y, w, h, colour):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=colour, edgecolor="white")


def _mpl_network(fig, chart: Chart) -> None:
    d = chart.data
    nodes, edges, values = d["nodes"], d["edges"], d["values"]
    ax = fig.subplots()
    fig.suptitle(chart.title, fontsize=15, x=0.01, ha="left")
    wmax = max((e["weight"] for e in edges), default=1.0) or 1.0
    for e in edges:
        a, b = nodes[e["i"]], nodes[e["j"]]
        ax.plot([a["x"], b["x"]], [a["y"], b["y"]], color="#9a9a9a", linewidth=1 + 6 * e["weight"] / wmax, zorder=1)
    jmax = max((n["jobs"] for n in nodes), default=1.0) or 1.0
    sizes = [(24 + 56 * np.sqrt(n["jobs"] / jmax)) ** 2 / 3 for n in nodes]
    kw = {"cmap": "RdBu", "vmin": -max(map(abs, values)) or -1, "vmax": max(map(abs, values)) or 1} \
        if d["diverging"] else {"cmap": "cividis"}
    sc = ax.scatter([n["x"] for n in nodes], [n["y"] for n in nodes], s=sizes, c=values, edgecolors="#222",
                    linewidths=1.5, zorder=2, **kw)
    for n in nodes:
        ax.annotate(n["name"], (n["x"], n["y"]), textcoords="offset points", xytext=(0, 16), ha="center", fontsize=11)
    fig.colorbar(sc, ax=ax, label=d["label"])
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("km")
    ax.set_ylabel("km")
    ax.margins(0.2)


def _mpl_bars(fig, chart: Chart, footer=None) -> None:
    d = chart.data
    ax = fig.subplots()
    fig.suptitle(chart.title, fontsize=15, x=0.01, ha="left")
    cats = d["categories"]
    k = max(len(d["groups"]), 1)
    h = 0.8 / k
    y = np.arange(len(cats))
    for i, g in enumerate(d["groups"]):
        ax.barh(y + i * h - 0.4 + h / 2, g["values"], height=h, color=g["colour"], label=g["name"])
    ax.set_yticks(y, cats)
    ax.invert_yaxis()
    ax.axvline(0, color="#333", linewidth=1.5)
    ax.set_xlabel(d["x_title"])
    ax.grid(True, axis="x", color="#dddddd")
    if legend_entries(chart):   # under the chart, in columns, as for lines
        handles, labels = ax.get_legend_handles_labels()
        (footer or fig).legend(handles, labels, loc="upper left", ncol=min(LEGEND_COLUMNS, len(labels)), fontsize=8,
                               frameon=False)
