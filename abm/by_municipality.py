"""Results per municipality: the contract's figures that make sense locally, one row per month and municipality
(`timeseries_by_municipality`, docs/model.md §Results per municipality).

Rule. Each figure has the definition of its regional column (abm/metrics.py), restricted to one municipality:
its people (a seat never changes municipality, docs/architecture.md), the firms and parallel organisations
located there, and the municipality's own money (the one money kernel, `abm.accounts.quantities`, and the
ledger's bookings per municipality, `abm.accounts.bookings_by_municipality`).
- Counts (people, agents × scale rounded as in the regional columns) and money (EUR) are sums: the regional
  figure is the sum of the municipal rows, every month (exactly for counts when the scale is a whole number;
  for money up to floating-point rounding). Tests pin it (tests/test_by_municipality.py).
- Rates are the same ratio over the municipality's people: `inclusion_rate` = paid work / seekers,
  `participation_rate` = (paid + participation) / seekers, `regular_rate` = regular work / seekers,
  `inclusion_gap` = employment rate with a work limitation / without, `displacement_per_100` = 100 × displaced
  regular jobs / people in parallel or basisbaan work, `throughput_rate` = moves from parallel or basisbaan work
  to regular work / people in parallel or basisbaan work at the start of the month. The regional rate is the
  ratio of the summed numerator and denominator, not a mean of the municipal rates.
- `displaced_regular_jobs`: the stock of regular jobs removed in the municipality by the subsidised work of its
  people (abm/displacement.py). The places of each programme (abm/acquisition.py, `PLACE_COLUMNS`): planned,
  acquired (available to recruitment: all planned places unless the programme acquires its places), filled and
  vacant = acquired - filled. `basisbaan_places`: the programme's planned places while it runs (its slots), 0 when
  it does not; its places filled are `n_basisbaan`. `parallel_places` (the funded places), `parallel_places_*`,
  `regular_jobs`, `regular_vacancies`: of the organisations and firms located in the municipality, whose workers
  may live elsewhere (commuting).

Optional: a model collects the table only when built with `mechanisms=[by_municipality.MECHANISM]` (it runs
after `metrics`, draws nothing and changes nothing), so other runs pay nothing. `frame(model)` is the table;
`latest(model)` the last month's figures as arrays (the app's Region tab).
"""

from __future__ import annotations

import numpy as np

from abm import accounting, accounts, acquisition, metrics
from abm import states as S
from abm.accounting import SPEND_COMPONENTS
from abm.jit import jit
from abm.mechanism import Mechanism, Month

FILE_NAME = "timeseries_by_municipality.parquet"

COUNT_COLUMNS = ("seekers", "n_unemployed", "n_regular", "n_parallel", "n_basisbaan", "n_participation",
                 "n_inactive", "n_bijstand", "displaced_regular_jobs", "to_regular_from_parallel",
                 "to_regular_from_basisbaan", *acquisition.PLACE_COLUMNS, "regular_jobs", "regular_vacancies")
RATE_COLUMNS = ("inclusion_rate", "participation_rate", "regular_rate", "inclusion_gap", "displacement_per_100",
                "throughput_rate")
MONEY_COLUMNS = ("municipal_spend", *SPEND_COMPONENTS, "municipal_savings", "municipal_receipts",
                 "municipal_net_cost")
COLUMNS = ("month", "municipality", "seekers", "n_unemployed", "n_regular", "n_parallel", "n_basisbaan",
           "n_participation", "n_inactive", "n_bijstand", "inclusion_rate", "participation_rate", "regular_rate",
           "inclusion_gap", "displaced_regular_jobs", "displacement_per_100", "to_regular_from_parallel",
           "to_regular_from_basisbaan", "throughput_rate", *MONEY_COLUMNS, *acquisition.PLACE_COLUMNS,
           "regular_jobs", "regular_vacancies")
# The counts and money that are also a column of the regional time series: there, the sum of the municipal rows.
SUMMED = tuple(c for c in COUNT_COLUMNS + MONEY_COLUMNS if c in metrics.COLUMNS)

# columns of the tally: the six states, then bijstand, then (with a limitation, paid), (without, paid)
T_BIJSTAND, T_LIM, T_PAID_LIM, T_NOLIM, T_PAID_NOLIM = range(S.N_STATES, S.N_STATES + 5)
N_TALLY = S.N_STATES + 5


@jit
def _tally(state, benefit, work_limitation, municipality, n_munis):
    """One pass over the people: counts per municipality and tally column (T_* above)."""
    c = np.zeros((n_munis, N_TALLY), dtype=np.int64)
    for i in range(state.size):
        m = municipality[i]
        st = state[i]
        c[m, st] += 1
        paid = st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN
        if benefit[i] == S.BIJSTAND:
            c[m, T_BIJSTAND] += 1
        if work_limitation[i]:
            c[m, T_LIM] += 1
            c[m, T_PAID_LIM] += paid
        else:
            c[m, T_NOLIM] += 1
            c[m, T_PAID_NOLIM] += paid
    return c


def _rate(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den where den > 0, else 0 (as `abm.metrics._rate`)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den > 0)


def _people(agents, scale: float) -> np.ndarray:
    """Agents as people, rounded as the regional counts are (`round(agents * scale)`)."""
    return np.round(np.asarray(agents, dtype=float) * scale).astype(np.int64)


class Collector:
    """The rows collected so far (one dict of arrays per month) and what the next month needs: the log's bookmark
    and each municipality's people in subsidised work at the end of the month (the start of the next)."""

    def __init__(self, model):
        self.rows: list[dict[str, np.ndarray]] = []
        self.mark = model.log.mark()
        self.subsidised = np.zeros(model.n_munis, dtype=np.int64)

    def collect(self, model, money: dict[str, np.ndarray]) -> None:
        """Add the month just finished (`money`: the month's accounting, abm/accounting.py)."""
        s, e, k, n = model.s, model.e, model.scale, model.n_munis
        c = _tally(s.state, s.benefit, s.work_limitation, s.municipality, n)
        flows = model.log.flows_since(self.mark)
        self.mark = model.log.mark()
        paid = c[:, S.REGULAR] + c[:, S.PARALLEL] + c[:, S.BASISBAAN]
        subsidised = c[:, S.PARALLEL] + c[:, S.BASISBAAN]
        seekers = c[:, :S.N_STATES].sum(axis=1)
        to_par, to_bb = flows[:, S.PARALLEL, S.REGULAR], flows[:, S.BASISBAAN, S.REGULAR]
        firms = model.regular_firm_rows
        receipts = np.zeros(n)
        for _item, _payer, payee, amount in accounts.bookings_by_municipality(model, money["quantities"]):
            if payee == "municipality":
                receipts = receipts + amount
        spend = money["spend"] * k
        receipts = receipts * k
        row = {
            "month": np.full(n, model.month, dtype=np.int64),
            "municipality": np.arange(n),
            "seekers": _people(seekers, k),
            **{f"n_{name}": _people(c[:, code], k) for code, name in enumerate(S.STATE_NAMES)},
            "n_bijstand": _people(c[:, T_BIJSTAND], k),
            "inclusion_rate": _rate(paid, seekers),
            "participation_rate": _rate(paid + c[:, S.PARTICIPATION], seekers),
            "regular_rate": _rate(c[:, S.REGULAR], seekers),
            "inclusion_gap": _rate(_rate(c[:, T_PAID_LIM], c[:, T_LIM]), _rate(c[:, T_PAID_NOLIM], c[:, T_NOLIM])),
            "displaced_regular_jobs": _people(model.displaced, k),
            "displacement_per_100": 100.0 * _rate(model.displaced, subsidised),
            "to_regular_from_parallel": _people(to_par, k),
            "to_regular_from_basisbaan": _people(to_bb, k),
            "throughput_rate": _rate(to_par + to_bb, self.subsidised),
            "municipal_spend": spend,
            **{name: money[name] * k for name in SPEND_COMPONENTS},
            "municipal_savings": money["savings"] * k,
            "municipal_receipts": receipts,
            "municipal_net_cost": spend - receipts,
            **acquisition.place_columns(model, lambda agents: _people(agents, k)),
            "regular_jobs": _people(np.bincount(e.municipality[firms], weights=e.regular_jobs[firms], minlength=n), k),
            "regular_vacancies": _people(np.bincount(e.municipality[firms], weights=e.vacancies[firms], minlength=n),
                                         k),
        }
        self.subsidised = subsidised
        self.rows.append(row)


def init(model) -> None:
    """Start collecting, with the month-0 row (the world as built, the first month's money)."""
    model.by_municipality = Collector(model)
    model.by_municipality.collect(model, accounting.monthly(model))


def step(model, month: Month) -> None:
    """Collect the month just finished (after `metrics`, from the month's accounting)."""
    model.by_municipality.collect(model, month.money)


def _collector(model) -> Collector:
    collector = getattr(model, "by_municipality", None)
    if not isinstance(collector, Collector):
        raise ValueError("this model does not collect results per municipality; allowed: a model built with "
                         "mechanisms=[abm.by_municipality.MECHANISM]")
    return collector


def frame(model):
    """The long table: one row per month and municipality, `COLUMNS` in order (municipality as a category of
    the scenario's names, in the scenario's order)."""
    import pandas as pd

    rows = _collector(model).rows
    data = {c: np.concatenate([r[c] for r in rows]) for c in COLUMNS}
    data["municipality"] = pd.Categorical.from_codes(data["municipality"], model.municipality_names)
    return pd.DataFrame(data, columns=list(COLUMNS))


def latest(model) -> dict[str, np.ndarray]:
    """The figures of the last month collected, each an array over the municipalities (scenario's order)."""
    return dict(_collector(model).rows[-1])


def history(model, municipality: int, columns) -> dict[str, np.ndarray]:
    """One municipality's figures `columns` over the months collected, each an array (month 0 first)."""
    rows = _collector(model).rows
    return {c: np.array([r[c][municipality] for r in rows]) for c in columns}


MECHANISM = Mechanism("by_municipality", doc=__doc__, init=init, step=step, after="metrics")
