"""Generate docs/parameters.md from the scenario schema, so the parameter reference never drifts from the code.

Run `python -m experiments.paramdoc > docs/parameters.md`; a test checks the file is current.
"""

from __future__ import annotations

import sys

from pydantic import BaseModel

from abm.params import ASSUMPTION, Section, describe
from abm.scenario import Scenario
from abm.sector_stance import SectorStance
from environments.region import MunicipalitySpec


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[]" if not value else str(value)
    return str(value)


def sections() -> list[tuple[str, type[BaseModel], str]]:
    out = []
    for name, field in Scenario.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, Section):
            doc = (ann.__doc__ or "").strip().splitlines()[0] if ann.__doc__ else ""
            module = sys.modules[ann.__module__]
            mod_doc = (module.__doc__ or "").strip().splitlines()[0]
            out.append((name, ann, doc or mod_doc))
        if name == "municipalities":
            out.append(("[municipalities]", MunicipalitySpec, MunicipalitySpec.__doc__.strip()))
        if name == "sectors":   # one table per sector, sector1 .. sectorN (abm/sector_stance.py)
            out.append(("sectors.NAME", SectorStance, SectorStance.__doc__.strip() + " NAME is sector1 .. sectorN "
                        "(N = employers.sectors); `[[sector_changes]]` (month, sector, set) change it over time."))
    return out


def _calibration() -> dict[str, str]:
    """Dotted key -> how it was calibrated (block, prior, fitted value)."""
    from abm.scenario import calibrated_values
    from experiments.calibrate import load_blocks
    fitted = calibrated_values()
    out = {}
    for block in load_blocks():
        for key, (lo, hi) in block.parameters.items():
            value = fitted.get(key)
            got = f"; fitted {value:.4g}" if value is not None else "; not yet fitted"
            out[key] = f"**calibrated** (block `{block.name}`, prior {lo:g}–{hi:g}{got})"
    return out


def render() -> str:
    calibrated = _calibration()
    lines = [
        "# Parameters",
        "",
        "Every scenario parameter with its default, unit, allowed range and source, generated from the schema",
        "(`python -m experiments.paramdoc > docs/parameters.md`). In a scenario TOML each block is a table,",
        "e.g. `[stigma]` with `weight = 0.5`; municipal policy can also be set per municipality under",
        "`[municipalities.policy]` and changed over time with `[[policy_changes]]`; a sector's hiring stance is",
        "set under `[sectors.NAME]` and changed with `[[sector_changes]]`. Sources marked *assumption*",
        "are not observed; those marked **calibrated** are fitted to the targets by `plm calibrate` (method and",
        "priors: experiments/calibration.toml; fitted values: abm/calibrated.toml, which every scenario uses",
        "beneath its own settings). The default column is the value in the code, the starting point of the fit.",
        "",
    ]
    for name, section, doc in sections():
        lines += [f"## `[{name}]`", "", doc, "", "| key | default | unit | range | source | meaning |",
                  "|---|---|---|---|---|---|"]
        for row in describe(section):
            rng = ""
            if row["min"] is not None or row["max"] is not None:
                rng = f"{_fmt(row['min']) if row['min'] is not None else ''}–" \
                      f"{_fmt(row['max']) if row['max'] is not None else ''}"
            source = "*assumption*" if row["source"] == ASSUMPTION else row["source"]
            source = calibrated.get(f"{name}.{row['name']}", source)
            lines.append(f"| `{row['name']}` | {_fmt(row['default'])} | {row['unit']} | {rng} | {source} | "
                         f"{row['description']} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
