"""Summary statistics of a run's monthly time series (`STATISTIC_DOC` in `experiments.design.schema` states
each rule; row 0 is the start, months 1..T the run).
"""

from __future__ import annotations


def summarise(ts, summary: dict[str, list[str]]) -> dict[str, float]:
    """Summary statistics of a monthly time series (row 0 = the start) as {METRIC_STAT: value}."""
    out: dict[str, float] = {}
    body = ts.iloc[1:] if len(ts) > 1 else ts
    for metric, stats in summary.items():
        col = ts[metric].astype(float)
        b = body[metric].astype(float)
        for stat in dict.fromkeys(stats):
            if stat == "final":
                v = col.iloc[-1]
            elif stat == "mean":
                v = b.mean()
            elif stat == "last12":
                v = b.iloc[-12:].mean()
            elif stat == "total":
                v = b.sum()
            elif stat == "min":
                v = b.min()
            elif stat == "max":
                v = b.max()
            elif stat == "change":
                v = col.iloc[-1] - col.iloc[0]
            else:  # pragma: no cover - the schema allows only the above
                raise ValueError(stat)
            out[f"{metric}_{stat}"] = float(v)
    return out
