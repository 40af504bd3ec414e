"""What `plm plot` and `plm discover` read from a sweep folder: the ok runs, the varied parameters, the outputs.

The rule: a sweep's varied parameters are the keys of `manifest.json`'s `parameters` (the design's
`[parameters]`), its outputs are the numeric columns of `runs.parquet` that are neither a parameter nor a
bookkeeping column (`experiments.design.RESERVED_COLUMNS`), and only runs with `status == "ok"` count. The runs
come from `experiments.sweep.load_sweep`, so a folder is read the way every other tool reads it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.design import HEADLINE_OUTPUTS, OUTPUT_ALIASES, RESERVED_COLUMNS
from experiments.sweep import SweepError, load_sweep


@dataclass
class SweepData:
    folder: Path
    name: str
    runs: pd.DataFrame            # ok runs only, in design order
    parameters: list[str]         # varied parameters, in the design's order
    outputs: list[str]            # numeric output columns

    def numeric(self, parameter: str) -> bool:
        return pd.api.types.is_numeric_dtype(self.runs[parameter]) and not pd.api.types.is_bool_dtype(
            self.runs[parameter])

    def resolve(self, names: list[str] | None, where: str) -> list[str]:
        """Output names (or the aliases inclusion, displacement, throughput, net_cost) checked against this
        sweep; none given: the headline outputs it keeps, or all its outputs."""
        if not names:
            return [c for c in HEADLINE_OUTPUTS if c in self.outputs] or list(self.outputs)
        out = []
        for name in names:
            col = OUTPUT_ALIASES.get(name, name)
            if col not in self.outputs:
                close = difflib.get_close_matches(col, self.outputs, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise SweepError(f"{where} = {name!r}: not an output of sweep {self.name!r}; {hint}allowed: "
                                 f"{', '.join(self.outputs)}")
            out.append(col)
        return list(dict.fromkeys(out))

    def check_parameter(self, name: str, where: str) -> str:
        if name not in self.parameters:
            raise SweepError(f"{where} = {name!r}: not a varied parameter of sweep {self.name!r}; allowed: "
                             f"{', '.join(self.parameters)}")
        return name


def read_sweep(folder: str | Path) -> SweepData:
    """The ok runs of a sweep folder with its parameters and outputs; a folder without ok runs is refused."""
    folder = Path(folder)
    runs = load_sweep(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SweepError(f"sweep = {str(folder)!r}: manifest.json unreadable ({exc}); allowed: the --out folder "
                         "of plm sweep") from None
    name = str(manifest.get("design_name") or folder.name)
    parameters = [p for p in (manifest.get("parameters") or {}) if p in runs.columns]
    if "status" in runs.columns:
        runs = runs[runs["status"] == "ok"]
    if runs.empty:
        raise SweepError(f"sweep = {str(folder)!r}: has no ok runs; allowed: a sweep with finished runs "
                         "(plm sweep DESIGN completes it)")
    if not parameters:
        raise SweepError(f"sweep = {str(folder)!r}: varies no parameter; allowed: a sweep of a design with "
                         "[parameters]")
    skip = set(RESERVED_COLUMNS) | set(parameters)
    outputs = [c for c in runs.columns if c not in skip and pd.api.types.is_numeric_dtype(runs[c])
               and not pd.api.types.is_bool_dtype(runs[c])]
    return SweepData(folder, name, runs.reset_index(drop=True), parameters, outputs)


__all__ = ["SweepData", "read_sweep"]
