"""One label, unit and format per reported figure, read by the CLI summary (experiments/runner.py), `plm report`
(experiments/report.py) and the app (viz/i18n.py), so a figure is called and shown the same everywhere.

A label names the figure and states its definition in brackets where it is a ratio or a difference; the
definitions themselves are in docs/model.md (time-series columns, "Money figures"). `kind` is how a value
is written: "pct" (a share, shown ×100 with %), "dec" (a plain number with `digits` decimals), "count"
(whole people or jobs) or "eur" (whole euros).

`over` is how a figure of a run is read from its monthly time series, one reading per figure wherever the
figure is given for a run (the CLI summary's end column, `plm report`, the app's tiles and Compare table; `read`):
"final", its value in the last month run; "mean", the mean of its monthly values over the months run; "last12",
the mean over the last 12 months run. Month 0, the starting state, is not a month run. These are the sweep
statistics of the same names (experiments/design/summary.py), so `throughput_rate_mean` in a sweep is the
report's throughput. Why each figure is read as it is: docs/model.md, "Reading a run's figures".
"""

from __future__ import annotations

from typing import NamedTuple


class Label(NamedTuple):
    en: str
    nl: str
    kind: str          # "pct" | "dec" | "count" | "eur"
    digits: int = 0    # decimals of "pct" (of the percentage) and "dec"
    over: str = "final"  # "final" | "mean" | "last12": how a run's figure is read from its time series (`read`)


KINDS = ("pct", "dec", "count", "eur")
# the readings of a run's figure and how a label says them (en, nl); "final" says nothing more
OVER_TEXT = {"final": ("", ""), "mean": (", mean over the run", ", gemiddeld over de run"),
             "last12": (", last year", ", laatste jaar")}

LABELS: dict[str, Label] = {
    # shares of the people the model follows
    "inclusion_rate": Label("inclusion rate (paid work / people)", "inclusiegraad (betaald werk / mensen)", "pct", 1),
    "regular_rate": Label("regular employment (regular work / people)", "regulier werk (regulier werk / mensen)",
                          "pct", 1),
    "participation_rate": Label("participation rate (paid + unpaid)", "participatiegraad (betaald + onbetaald)",
                                "pct", 1),
    "inclusion_gap": Label("inclusion gap (employment rate with ÷ without a work limitation)",
                           "inclusiekloof (werkend met ÷ zonder arbeidsbeperking)", "dec", 2),
    "employment_rate_limitation": Label("employment rate, with a work limitation", "werkend, met arbeidsbeperking",
                                        "pct", 1),
    "throughput_rate": Label("throughput (doorstroom) to regular work, per month", "doorstroom naar regulier werk "
                             "per maand", "pct", 2, over="mean"),
    # displacement
    "displacement_per_100": Label("displaced regular jobs per 100 subsidised (parallel + basisbaan)",
                                  "verdrongen reguliere banen per 100 gesubsidieerde (parallel + basisbaan)", "dec",
                                  1, over="last12"),
    "displaced_regular_jobs": Label("regular jobs displaced", "verdrongen reguliere banen", "count"),
    "to_regular_from_parallel": Label("to regular work from parallel work", "naar regulier werk vanuit parallel werk",
                                      "count"),
    "to_regular_from_basisbaan": Label("to regular work from a basisbaan", "naar regulier werk vanuit een basisbaan",
                                       "count"),
    # people by state
    "n_unemployed": Label("people unemployed", "mensen werkloos", "count"),
    "n_regular": Label("people in regular work", "mensen in regulier werk", "count"),
    "n_parallel": Label("people in parallel work", "mensen in parallel werk", "count"),
    "n_basisbaan": Label("people in a basisbaan", "mensen met een basisbaan", "count"),
    "n_participation": Label("people in participation", "mensen in participatie", "count"),
    "n_inactive": Label("people inactive", "mensen inactief", "count"),
    "n_bijstand": Label("people in bijstand (social assistance)", "mensen in de bijstand", "count"),
    "regular_vacancies": Label("open regular vacancies", "open reguliere vacatures", "count"),
    # programme places (abm/acquisition.py): planned, acquired (available to recruitment), filled, vacant
    "basisbaan_places": Label("basisbaan places planned", "basisbaanplaatsen gepland", "count"),
    "basisbaan_places_acquired": Label("basisbaan places available (acquired)",
                                       "basisbaanplaatsen beschikbaar (geworven)", "count"),
    "basisbaan_places_vacant": Label("basisbaan places vacant (available − filled)",
                                     "basisbaanplaatsen onbezet (beschikbaar − bezet)", "count"),
    "parallel_places": Label("parallel places planned (funded)", "parallelle plaatsen gepland (gefinancierd)",
                             "count"),
    "parallel_places_acquired": Label("parallel places available (acquired)",
                                      "parallelle plaatsen beschikbaar (geworven)", "count"),
    "parallel_places_filled": Label("parallel places filled", "parallelle plaatsen bezet", "count"),
    "parallel_places_vacant": Label("parallel places vacant (available − filled)",
                                    "parallelle plaatsen onbezet (beschikbaar − bezet)", "count"),
    # money (docs/model.md "Money figures")
    "municipal_net_cost": Label("municipal net cost per month (spend − receipts)",
                                "netto kosten gemeente per maand (uitgaven − ontvangsten)", "eur"),
    "net_cost_so_far": Label("municipal net cost so far (spend − receipts)",
                             "netto kosten gemeente tot nu toe (uitgaven − ontvangsten)", "eur"),
    "municipal_net_cost_per_year": Label("municipal net cost per year (spend − receipts)",
                                         "netto kosten gemeente per jaar (uitgaven − ontvangsten)", "eur"),
    "municipal_net_cost_over_run": Label("municipal net cost over the run (spend − receipts)",
                                         "netto kosten gemeente over de hele run (uitgaven − ontvangsten)", "eur"),
    "municipal_spend": Label("municipal spend per month", "uitgaven gemeente per maand", "eur"),
    "municipal_savings": Label("benefits saved by work per month (counterfactual)",
                               "door werk bespaarde uitkeringen per maand (contrafeitelijk)", "eur"),
    "programme_net_cost_per_basisbaan_year": Label("basisbaan programme net cost per basisbaan-year",
                                                   "netto kosten basisbaanprogramma per basisbaanjaar", "eur"),
    "value_created_per_year": Label("value created (production) per year", "gecreëerde waarde (productie) per jaar",
                                    "eur"),
    "liveability_value_per_year": Label("assumed liveability value of basisbaan work (no cash, in no account) per "
                                        "year", "aangenomen leefbaarheidswaarde van basisbaanwerk (geen geld, op geen "
                                        "rekening) per jaar", "eur"),
    # people's situation
    "mean_self_stigma": Label("mean self-stigma", "gemiddeld zelfstigma", "dec", 3),
    "mean_label_stigma": Label("mean stigma met from employers", "gemiddeld stigma van werkgevers", "dec", 3),
    "mean_wellbeing": Label("mean wellbeing (1–5)", "gemiddeld welzijn (1–5)", "dec", 2),
    "mean_search_effort": Label("mean search effort", "gemiddelde zoekinspanning", "dec", 3),
}


def label(name: str, lang: str = "en") -> str:
    """The figure's label in `lang` ("en" or "nl")."""
    spec = LABELS[name]
    return spec.nl if lang == "nl" else spec.en


def over_text(name: str, lang: str = "en") -> str:
    """How the label of a run's figure says its reading (", mean over the run"); "" for a figure read at the end
    and for a name that is not a labelled figure."""
    spec = LABELS.get(name)
    en, nl = OVER_TEXT[spec.over if spec else "final"]
    return nl if lang == "nl" else en


def read(ts, name: str) -> float:
    """The figure `name` of a run from its monthly time series `ts` (a DataFrame, row 0 the starting state), by
    its reading (`Label.over`): the last month's value, or the mean over the months run or over the last 12 of
    them. Before any month has run, the starting state's value."""
    col = ts[name]
    months = col.iloc[1:] if len(col) > 1 else col
    over = LABELS[name].over if name in LABELS else "final"
    if over == "mean":
        return float(months.mean())
    if over == "last12":
        return float(months.iloc[-12:].mean())
    return float(col.iloc[-1])


def plain(name: str, value: float) -> str:
    """The value as the CLI and the report write it (English number format)."""
    spec = LABELS[name]
    if value != value:  # nan: not applicable
        return "-"
    if spec.kind == "pct":
        return f"{value:.{spec.digits}%}"
    if spec.kind == "dec":
        return f"{value:.{spec.digits}f}"
    return f"{value:,.0f}"
