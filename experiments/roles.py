"""Which presets the model was fitted to (calibration) and which it predicts (prediction): one rule, one place.

Rule (issue 10, section 3). Only the targets file, `experiments/targets.toml` (the Groningen experiment and the
national figures), is used for calibration and validation. A preset is a **calibration** preset when a target
in that file names it as its `scenario`: its results were fitted to, or checked against, observed figures.
Every other preset is a **prediction**: nothing observed about it went into the model, so its results are what
the model predicts and a later evaluation can prove them wrong (`plm predict` writes them down first;
experiments/predictions.py). The embedded `default` region is the **example** every preset starts from
(`base = "default"`): neither fitted to nor predicting any programme, so `plm report` and `plm predict` leave
it out. Adding a target for a preset turns that preset into a calibration preset: the label follows the
targets file and is never written by hand.

A target's `kind` says what it checks (experiments/targets.toml). `own` (the default): an observed figure of the
preset's own programme or region (Groningen's evaluation, the CPB experiments, the national figures on the
baseline). `general`: a general finding checked on the preset, such as a meta-analysis of public job creation
(Card, Kluve & Weber 2018) read on Rotterdam's wijkbasisbaan. Only `own` targets make a preset a calibration
preset: a general finding constrains the model's mechanisms (it is in the calibration set like every target) but
observes nothing of that programme, so the preset's results stay a prediction that the programme's own evaluation
can prove wrong; `checked_against_general(name)` lists the general targets that name it, and the report and
`plm scenarios` say so beside the role (docs/calibration.md, "Roles").

`plm report`, `plm scenarios`, `plm predict` and the app (viz/i18n.py `role_*`) all take the label from
`role()`; tests/test_predictions.py pins it.
"""

from __future__ import annotations

from functools import lru_cache

from abm.scenario import preset_names

CALIBRATION, PREDICTION, EXAMPLE = "calibration", "prediction", "example"
ROLES = (CALIBRATION, PREDICTION, EXAMPLE)
EXAMPLE_PRESET = "default"

# One line each, for the report, `plm scenarios` and docs (the app has its Dutch and English words in viz/i18n.py)
MEANING = {
    CALIBRATION: "the model was fitted to or checked against observed figures of this scenario "
                 "(experiments/targets.toml)",
    PREDICTION: "no observed figure of this scenario went into the model: its results are predictions "
                "(recorded by `plm predict`, docs/predictions.md)",
    EXAMPLE: "the example region every preset starts from; neither calibrated nor a prediction",
}


@lru_cache(maxsize=1)
def calibration_presets() -> frozenset[str]:
    """The presets a target of kind `own` in experiments/targets.toml names as its scenario."""
    from experiments.validation import OWN, load_targets

    return frozenset(t.scenario for t in load_targets() if t.kind == OWN)


@lru_cache(maxsize=None)
def checked_against_general(name: str) -> tuple[str, ...]:
    """The keys of the targets of kind `general` that name the preset as their scenario (a general finding checked
    on it), in the order of the targets file."""
    from experiments.validation import GENERAL, load_targets

    return tuple(t.key for t in load_targets() if t.kind == GENERAL and t.scenario == name)


def role_label(name: str) -> str:
    """The role, with the general findings a prediction preset is checked against, e.g. `prediction (checked
    against a general finding: rotterdam_basisbaan_regular_24m)`."""
    r, general = role(name), checked_against_general(name)
    if r == PREDICTION and general:
        return f"{r} (checked against a general finding: {', '.join(general)})"
    return r


def role(name: str) -> str:
    """`calibration`, `prediction` or `example` for a preset name (the module docstring gives the rule). A name
    that is not a preset (a scenario file of one's own) is a prediction: nothing observed about it is in the
    targets file."""
    if name == EXAMPLE_PRESET:
        return EXAMPLE
    return CALIBRATION if name in calibration_presets() else PREDICTION


def prediction_presets() -> list[str]:
    """Every preset whose role is `prediction`, in the order of `preset_names()`."""
    return [n for n in preset_names() if role(n) == PREDICTION]
