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
    """The presets a target of experiments/targets.toml names as its scenario."""
    from experiments.validation import load_targets

    return frozenset(t.scenario for t in load_targets())


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
