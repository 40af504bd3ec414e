"""Sweep designs: which runs a sweep makes (ARCHITECTURE.md §Sweeps).

A design is a TOML file validated by a typed schema, like a scenario. It names a base scenario (a preset or a
TOML file), fixed changes to it (`[set]`), the parameters to vary (dotted scenario keys, with `levels` for a
grid or `min`/`max` for the sampled methods), the method (full `grid`, Latin hypercube `lhs`, Sobol/Saltelli
`sobol`, `morris`; the samples come from SALib; or `points`, a list of the points themselves within the ranges),
the seeds per point, the months and the outputs to keep:

    name = "smoke"
    scenario = "default"
    method = "grid"
    seeds = 2
    months = 12
    [set]
    scale = 8.0
    [parameters]
    "economy.tightness" = { levels = [0.8, 1.2] }
    "municipalities.Stad.policy.basisbaan_slots" = { levels = [0, 200] }
    [outputs]
    timeseries = false
    summary = { inclusion_rate = ["final", "mean"] }

Parameter keys are the scenario's dotted keys (docs/parameters.md); `municipalities.NAME.KEY` (or
`municipalities.*.KEY` for every municipality) reaches one municipality, including its policy
(`municipalities.Stad.policy.basisbaan_slots`). Each value is checked against the parameter's type and range
when the design is loaded; a combination the scenario refuses (for example two shares adding up to more
than 1) is not an error of the design: that run is recorded as `failed` with the scenario's message.

`[set]` and the varied parameters are overrides with the one meaning they have everywhere
(`abm.scenario.apply_overrides`): a run is the base scenario loaded with the design's `[set]`, its months and
the point's parameters as one set of overrides, exactly as `plm run --scenario S --set KEY=VALUE ...` would
load it. `policy.KEY` sets KEY for every municipality from month 0 (it replaces what a municipality or a
month-0 policy change sets); `municipalities.NAME.KEY` sets it for one and is applied after the region-wide
keys, so a municipality can still differ. Where the scenario changes a key again later in the run, or a
`[set]` entry keeps one municipality out of a varied region-wide key, `design._notes` says so in one line.

`function = "package.module:callable"` runs a Python function instead of the model (the parameters are then
free names): `callable(params, seed, months)` returns a dict of numbers or a monthly DataFrame. A design file
must not be able to run arbitrary code: the function must live in one of the project's packages
(`PROJECT_PACKAGES`) unless the caller allows other code (`plm sweep --allow-code`, `allow_code=True`). The
package's `experiments.testfunctions:ishigami` checks the sensitivity pipeline against known indices.

Seeds are whole numbers 0 <= seed < 2**63 (`abm.scenario.check_seed`), given as a list or as a count from
`seed_start`; every value in a design is strictly typed (`12.0` is not a count, `"1.2"` is not a number).

Every run is keyed by a hash of its parameters, its seed and the sweep's context (base scenario as
resolved, months, outputs, model version), so a rerun skips what is done (`experiments.sweep`).

The package, one concern per module: `schema` (the typed design and its constants), `loading` (a file, a shipped
name or a dict to a `Design`), `fields` (the scenario field behind a dotted key; the base scenario), `check` (the
design against its scenario and the project's rules), `sampling` (the points), `plan` (the runs and their keys),
`summary` (the statistics of a run's time series). Everything is importable from `experiments.design`.
"""

from __future__ import annotations

from experiments.design.check import (
    check_design,
    check_function,
    check_sensitivity_size,
    output_columns,
    resolve_callable,
    resolve_design_outputs,
)
from experiments.design.fields import (
    FieldInfo,
    base_scenario,
    fixed_overrides,
    scenario_field,
    scenario_source,
    scenario_spec,
)
from experiments.design.fields import (
    _check_value as _check_value,
)
from experiments.design.loading import (
    format_design_error,
    load_design,
    shipped_design_path,
    shipped_designs,
)
from experiments.design.plan import (
    Plan,
    RunSpec,
    make_plan,
    model_version,
    run_key,
    run_overrides,
)
from experiments.design.sampling import (
    canonical,
    digest,
    n_points,
    n_points_for,
    points,
    sample_matrix,
)
from experiments.design.schema import (
    DEFAULT_SUMMARY,
    DESIGN_PACKAGE,
    HEADLINE_OUTPUTS,
    MAX_RUNS,
    METHODS,
    MIN_SAMPLES,
    MIN_SAMPLES_TEXT,
    OUTPUT_ALIASES,
    PROJECT_PACKAGES,
    RBD_FAST_M,
    RESERVED_COLUMNS,
    SPEC_KEYS,
    STATISTIC_DOC,
    STATISTICS,
    Design,
    DesignError,
    OutputSpec,
    ParamSpec,
    SensitivitySpec,
    flatten_parameters,
    flatten_set,
)
from experiments.design.summary import (
    summarise,
)

__all__ = [
    "DEFAULT_SUMMARY",
    "DESIGN_PACKAGE",
    "Design",
    "DesignError",
    "FieldInfo",
    "HEADLINE_OUTPUTS",
    "MAX_RUNS",
    "METHODS",
    "MIN_SAMPLES",
    "MIN_SAMPLES_TEXT",
    "OUTPUT_ALIASES",
    "OutputSpec",
    "PROJECT_PACKAGES",
    "ParamSpec",
    "Plan",
    "RBD_FAST_M",
    "RESERVED_COLUMNS",
    "RunSpec",
    "SPEC_KEYS",
    "STATISTICS",
    "STATISTIC_DOC",
    "SensitivitySpec",
    "base_scenario",
    "canonical",
    "check_design",
    "check_function",
    "check_sensitivity_size",
    "digest",
    "fixed_overrides",
    "flatten_parameters",
    "flatten_set",
    "format_design_error",
    "load_design",
    "make_plan",
    "model_version",
    "n_points",
    "n_points_for",
    "output_columns",
    "points",
    "resolve_callable",
    "resolve_design_outputs",
    "run_key",
    "run_overrides",
    "sample_matrix",
    "scenario_field",
    "scenario_source",
    "scenario_spec",
    "shipped_design_path",
    "shipped_designs",
    "summarise",
]
