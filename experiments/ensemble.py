"""The calibration ensemble: parameter sets that all pass every target (`plm calibrate --ensemble`).

Method: rejection ABC with every target's band as the tolerance, i.e. pattern-oriented filtering (Grimm et al.
2005; Beaumont 2010 for ABC). N parameter sets are drawn by Latin hypercube sampling in the declared priors
(the ranges of `experiments/calibration.toml`, uniform; parameters outside the chosen blocks keep their values
in `abm/calibrated.toml`). Each set ("member") is run with seeds 1..S over every target of
`experiments/targets.toml` (`experiments.validation.seed_measures`), as a sweep on Dask (`experiments.sweep`:
the same folder, resume, progress, interrupt and cluster options as `plm sweep`). The acceptance rule is the
one `plm validate` applies (`experiments.validation.judge`): a member is accepted when, over its S seeds,
every band target's mean lies inside its band and every sign test holds. A member with a failed or missing
run is not judged. The acceptance rate is accepted / judged. `experiments.ensemble_rounds` adds the later rounds
of sequential ABC (`experiments.abc_smc`) and the verification of the accepted members over more seeds; this
module holds one round's sweep design and judgement, the file and the runs over an ensemble.

The ensemble file (TOML, default `abm/ensemble.toml`) holds the kept members (round, weight, parameters, measures),
the members the verification dropped and why, and its provenance: command, git revision, date, model version,
the targets file and its SHA-256, the priors, the seeds, N drawn, the acceptance rule, whether every target
judged, the rounds, the verification, the rejections per target and the run time (docs/calibration.md).

The central member is the accepted member nearest (Euclidean distance in the unit cube of the priors) to the
coordinate-wise median of the accepted members.

Ensemble runs (`plm run/report --ensemble`) run a scenario for every member × seed; the interval they report
is `INTERVAL_TEXT`: the 5th to 95th percentile of the member × seed outcomes, pooled with the members'
importance weights (equal for an ensemble of one round), so it carries both the spread between members
(parameter uncertainty) and the spread between seeds (noise). Their mean is pooled the same way. With sequential
rounds the members are a weighted sample of the ABC posterior (Beaumont et al. 2009), so equal weights would
over-count members drawn where the proposal was crowded: each run of a member weighs the member's `weight` / its
number of runs, normalised over the members used (`run_weights`), and `experiments.noise.weighted_mean` and
`spread_interval` pool them.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import numpy as np
import tomli_w

from abm import __version__ as _abm_version
from abm.scenario import ScenarioError

__version__ = f"plm {_abm_version}"   # a member's run id changes with the model's version (experiments.design)

FORMAT = 2      # 2: members carry round and weight; the provenance its rounds and verification; [[dropped]]
READS = (1, 2)  # format 1 (rejection ABC, no verification) is read as well
ENSEMBLE_FILE = Path(__file__).resolve().parent.parent / "abm" / "ensemble.toml"
MEMBER_FUNCTION = "experiments.ensemble:evaluate_member"
SWEEP_ROOT = Path("runs") / "sweeps"
INTERVAL_LEVEL = 0.90
INTERVAL_TEXT = ("the 5th to 95th percentile of the outcomes of every member x seed run, pooled with the "
                 "members' importance weights (equal for an ensemble of one round; parameter uncertainty and "
                 "seed noise together)")
ACCEPTANCE_RULE = ("accepted when, over its seeds, every band target's mean lies inside its band and every "
                   "sign test holds (the rule of plm validate); a member with a failed run is not judged")
CENTRAL_RULE = ("the accepted member nearest (Euclidean, in the unit cube of the priors) to the coordinate-wise "
                "median of the accepted members")
# the design's [set]: passed to every member, so a member's run id changes when the targets, the calibrated
# values or the model's code change; not parameters of the model
SET_KEYS = ("targets_sha256", "calibrated_sha256", "model_sha256")
# what a member's outcome depends on besides its parameters: the model and the measures of the targets
MODEL_SOURCES = ("abm", "agents", "environments")


class EnsembleError(ScenarioError):
    """Bad input for an ensemble: one line, exit 2."""


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def targets_sha256() -> str:
    return _sha256_text(resources.files("experiments").joinpath("targets.toml").read_text(encoding="utf-8"))


def calibrated_sha256() -> str:
    try:
        return _sha256_text(resources.files("abm").joinpath("calibrated.toml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ""


def model_sha256() -> str:
    """SHA-256 of the model's source: every .py and .toml file of `MODEL_SOURCES` and experiments/validation.py
    (the measures), by path; `abm/ensemble.toml` itself is left out. A change to the docs or the app leaves it."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(f for pkg in MODEL_SOURCES for f in (root / pkg).rglob("*")
                   if f.suffix in (".py", ".toml") and f.is_file() and f.name != "ensemble.toml"
                   and "__pycache__" not in f.parts)
    h = hashlib.sha256()
    for f in [*files, root / "experiments" / "validation.py"]:
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def interval(values, weights=None) -> tuple[float, float]:
    """`INTERVAL_TEXT` over the pooled member x seed outcomes, each run with its weight (`run_weights`; None:
    equal): the one spread interval of the project (`experiments.noise.spread_interval` at 90%, also that of `plm
    validate` and the prediction record)."""
    from experiments.noise import spread_interval

    return spread_interval(values, INTERVAL_LEVEL, weights)


def mean(values, weights=None) -> float:
    """The mean of a figure over runs (seeds, or member x seed runs each with its weight, `run_weights`; None:
    equal), the one mean of `plm report`, the prediction record and the app: nan when the figure is missing
    (nan) in any run, as the mean over seeds always was; else `experiments.noise.weighted_mean`."""
    from experiments.noise import weighted_mean

    if np.isnan(np.asarray(values, dtype=float)).any():
        return math.nan
    return weighted_mean(values, weights)


def run_weights(member_of_run, weight_of: dict[int, float]) -> np.ndarray:
    """The weight of each run of an ensemble run: its member's importance weight (`Member.weight`, from
    `weight_of`, member id -> weight) divided by the member's number of runs, normalised to sum 1 over the
    members used. So every member counts with its weight whatever its number of seeds, and members of equal
    weight (an ensemble of one round) give every run the same weight: the equal pooling of seeds."""
    ids = list(member_of_run)
    if not ids:
        return np.zeros(0)
    counts: dict[int, int] = {}
    for m in ids:
        counts[m] = counts.get(m, 0) + 1
    missing = [m for m in counts if m not in weight_of]
    if missing:
        raise EnsembleError(f"member = {missing[0]!r}: not a member of the ensemble; allowed: "
                            f"{', '.join(map(str, weight_of))}")
    total = sum(float(weight_of[m]) for m in counts)
    if not math.isfinite(total) or total <= 0:
        raise EnsembleError(f"weights of members {sorted(counts)}: sum {total!r}; allowed: importance weights "
                            "with a positive, finite sum")
    return np.array([float(weight_of[m]) / counts[m] / total for m in ids])


def weights_of(ens: "Ensemble") -> dict[int, float]:
    """Member id -> importance weight."""
    return {m.id: m.weight for m in ens.members}


# --- drawing and evaluating members ---------------------------------------------------------------------------

def priors(blocks) -> dict[str, tuple[float, float]]:
    """The priors of the chosen calibration blocks (`experiments.calibrate.Block`), in declaration order."""
    out: dict[str, tuple[float, float]] = {}
    for b in blocks:
        out.update(b.parameters)
    return out


def design(prior: dict[str, tuple[float, float]], samples: int, seeds: int, sample_seed: int = 1,
           function: str = MEMBER_FUNCTION, extra_set: dict[str, Any] | None = None,
           name: str = "calibration-ensemble", points: list[dict[str, float]] | None = None,
           seed_start: int = 1) -> dict[str, Any]:
    """The sweep design of an ensemble: `samples` Latin-hypercube points in the priors, or the given `points`
    (a later round's proposals, or the members to verify); seeds `seed_start`..`seed_start + seeds - 1`."""
    if not 1 <= samples <= 100_000:
        raise EnsembleError(f"--samples = {samples}: allowed: a whole number from 1 to 100000")
    if not 1 <= seeds <= 100:
        raise EnsembleError(f"--seeds = {seeds}: allowed: a whole number from 1 to 100")
    if not prior:
        raise EnsembleError("priors: none; allowed: at least one block of experiments/calibration.toml")
    fixed = {"targets_sha256": targets_sha256(), "calibrated_sha256": calibrated_sha256(),
             "model_sha256": model_sha256()}
    spec = {"name": name, "description": "calibration ensemble: ABC over the declared priors",
            "function": function, "method": "lhs", "samples": samples, "sample_seed": sample_seed,
            "seeds": seeds, "set": {**fixed, **(extra_set or {})},
            "parameters": {k: {"min": float(lo), "max": float(hi)} for k, (lo, hi) in prior.items()}}
    if seed_start != 1:
        spec["seed_start"] = seed_start
    if points is not None:
        del spec["samples"]
        spec.update(method="points", points=[{k: float(p[k]) for k in prior} for p in points])
    return spec


def default_sweep(spec: dict[str, Any]) -> Path:
    """The sweep folder of an ensemble design: one per design (blocks, N, seeds, sample seed, targets and
    calibrated values), so the same command resumes its own runs and another command never mixes with them."""
    from experiments.design import digest

    return SWEEP_ROOT / f"calibration-ensemble-{digest(spec, 10)}"


def evaluate_member(params: dict[str, Any], seed: int, months: int | None) -> dict[str, float]:
    """One member with one seed: every target's measure (a sweep's run; `experiments.validation.seed_measures`).
    Refuses a worker whose targets file differs from the one the ensemble was planned with."""
    from experiments import validation as V

    if params.get("targets_sha256") not in (None, targets_sha256()):
        raise RuntimeError("this worker's experiments/targets.toml differs from the ensemble's; allowed: workers "
                           "started from the same code")
    overrides = {k: v for k, v in params.items() if k not in SET_KEYS}
    return V.seed_measures(int(seed), overrides=overrides)


# --- the ensemble from a finished sweep -------------------------------------------------------------------------

@dataclass
class Member:
    id: int
    parameters: dict[str, float]
    measures: dict[str, float] = field(default_factory=dict)
    round: int = 0          # the round of the sequential sampler that drew it (0: the Latin hypercube)
    weight: float = 1.0     # its importance weight, prior / proposal density (experiments.abc_smc); 1 in round 0


@dataclass
class Ensemble:
    members: list[Member]
    priors: dict[str, tuple[float, float]]
    provenance: dict[str, Any]
    central: int | None = None
    rejections: dict[str, int] = field(default_factory=dict)
    path: Path | None = None
    # members accepted on the acceptance seeds and dropped by the verification: id, round, failed (the targets
    # they fail over the verification seeds), worst (the target of the worst miss), parameters, measures
    dropped: list[dict[str, Any]] = field(default_factory=list)

    def member(self, member_id: int) -> Member:
        return next(m for m in self.members if m.id == member_id)

    @property
    def central_member(self) -> Member:
        return self.member(self.central)


def central_member(members: list[Member], prior: dict[str, tuple[float, float]]) -> int | None:
    """`CENTRAL_RULE`; ties go to the lowest id."""
    if not members:
        return None
    keys = list(prior)
    lo = np.array([prior[k][0] for k in keys])
    span = np.array([prior[k][1] - prior[k][0] for k in keys])
    u = np.array([[(m.parameters[k] - lo[i]) / span[i] for i, k in enumerate(keys)] for m in members])
    d = np.linalg.norm(u - np.median(u, axis=0), axis=1)
    return members[int(np.argmin(d))].id


def chosen_targets(targets=None, skip=()) -> list:
    """The targets that judge a member: every target of the targets file but those in `skip` (each must be
    one)."""
    from experiments import validation as V

    targets = targets or V.load_targets()
    keys = [t.key for t in targets]
    for k in skip:
        if k not in keys:
            raise EnsembleError(f"--skip-target = {k!r}: not a target; allowed: {', '.join(keys)}")
    if len(set(skip)) >= len(keys):
        raise EnsembleError("--skip-target: every target skipped; allowed: at least one target to judge by")
    return [t for t in targets if t.key not in skip]


def point_records(folder: str | Path, targets=None) -> dict[int, tuple[dict[str, float], list[dict] | None]]:
    """Per design point of an ensemble's sweep folder: (its parameters, the measures of each of its seeds'
    runs, in seed order; None when a run failed or is missing)."""
    from experiments import validation as V
    from experiments.sweep import load_design_table, load_sweep, manifest_of

    folder = Path(folder)
    every = targets or V.load_targets()
    manifest = manifest_of(folder)
    keys = [k for k in (manifest.get("parameters") or {}) if k not in SET_KEYS]
    table = load_design_table(folder)
    runs = load_sweep(folder)
    runs = runs.drop(columns=[c for c in keys if c in runs.columns])
    merged = table[["point", "seed", "run_id", *keys]].merge(runs, on=["run_id"], how="left",
                                                              suffixes=("", "_run"))
    out: dict[int, tuple[dict[str, float], list[dict] | None]] = {}
    for point, rows in merged.sort_values(["point", "seed"]).groupby("point", sort=True):
        first = rows.iloc[0]
        params = {k: float(first[k]) for k in keys}
        if rows["status"].isna().any() or (rows["status"] != "ok").any():
            out[int(point)] = (params, None)
            continue
        missing = [t.key for t in every if t.key not in rows.columns]
        if missing:
            raise EnsembleError(f"sweep = {str(folder)!r}: its runs have no measure of {missing[0]!r}; allowed: a "
                                "sweep of the current targets (run plm calibrate --ensemble again)")
        records = [{c: float(v) for c, v in r.items() if isinstance(v, (int, float, np.floating)) and
                    not isinstance(v, bool)} for r in rows.drop(columns=["point", "seed", *keys]).to_dict("records")]
        out[int(point)] = (params, records)
    return out


def judge_sweep(folder: str | Path, targets=None, skip=()) -> tuple[list[Member], dict[str, int], dict[str, int]]:
    """(accepted members, rejections per target, counts) of an ensemble's sweep folder (`ACCEPTANCE_RULE`,
    on the targets but those in `skip`); a member's measures are those of every target."""
    from experiments import validation as V

    every = targets or V.load_targets()
    targets = chosen_targets(every, skip)
    accepted: list[Member] = []
    rejections = {t.key: 0 for t in targets}
    points = point_records(folder, every)
    counts = {"drawn": len(points), "judged": 0, "accepted": 0, "not_judged": 0}
    for point, (params, records) in points.items():
        if records is None:
            counts["not_judged"] += 1
            continue
        results = V.judge(every, records)     # every target measured; the skipped ones do not judge
        counts["judged"] += 1
        failed = failing(results, skip)
        for k in failed:
            rejections[k] += 1
        if failed:
            continue
        accepted.append(Member(point, params, means(results)))
        counts["accepted"] += 1
    return accepted, rejections, counts


def failing(results, skip=()) -> list[str]:
    """The targets of `results` that fail, but those in `skip`."""
    return [r.target.key for r in results if not r.passed and r.target.key not in skip]


def means(results) -> dict[str, float]:
    return {r.target.key: float(r.mean) for r in results}


def build(folder: str | Path, *, command: str, seeds: int, sample_seed: int,
          prior: dict[str, tuple[float, float]], blocks: list[str], targets=None, skip=()) -> Ensemble:
    """The ensemble of a finished sweep (rejection ABC, no verification), with its provenance."""
    from experiments.sweep import manifest_of

    members, rejections, counts = judge_sweep(folder, targets, skip)
    manifest = manifest_of(Path(folder))
    timing = manifest.get("timing") or {}
    provenance = provenance_base(command, blocks, skip, sample_seed, seeds, counts)
    provenance.update({
        "sweep_folder": str(folder),
        "run_seconds": float(timing.get("run_seconds") or 0.0),
        "sweep_wall_seconds": float(timing.get("wall_seconds") or 0.0),
    })
    return Ensemble(members, dict(prior), provenance, central_member(members, prior), rejections)


def provenance_base(command: str, blocks: list[str], skip, sample_seed: int, seeds: int,
                    counts: dict[str, int]) -> dict[str, Any]:
    """The provenance every ensemble file carries (see the module docstring)."""
    from experiments.runner import git_revision

    return {
        "format": FORMAT,
        "command": command,
        "git_revision": git_revision() or "",
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model_version": __version__,
        "method": "rejection ABC (pattern-oriented filtering): Latin hypercube in the priors, every target's "
                  "band as the tolerance",
        "targets_file": "experiments/targets.toml",
        "targets_sha256": targets_sha256(),
        "calibrated_sha256": calibrated_sha256(),
        "model_sha256": model_sha256(),
        "blocks": list(blocks),
        "skipped_targets": list(skip),
        "sample_seed": sample_seed,
        "seeds": list(range(1, seeds + 1)),
        "n_drawn": counts["drawn"],
        "n_judged": counts["judged"],
        "n_not_judged": counts["not_judged"],
        "n_accepted": counts["accepted"],
        "acceptance_rate": (counts["accepted"] / counts["judged"]) if counts["judged"] else 0.0,
        "acceptance_rule": ACCEPTANCE_RULE,
        "meets_every_target": not skip,
        "central_rule": CENTRAL_RULE,
        "interval": INTERVAL_TEXT,
    }


def to_toml(ens: Ensemble) -> str:
    header = ("# Calibration ensemble written by `plm calibrate --ensemble` (experiments/ensemble.py); the\n"
              "# provenance says how. Regenerate it with the command in [provenance]; docs/calibration.md.\n\n")
    data = {"provenance": ens.provenance,
            "central_member": ens.central if ens.central is not None else -1,
            "priors": {k: [float(lo), float(hi)] for k, (lo, hi) in ens.priors.items()},
            "rejections": dict(ens.rejections),
            "members": [{"id": m.id, "round": m.round, "weight": m.weight,
                         "parameters": dict(m.parameters),
                         "measures": _finite(m.measures)} for m in ens.members]}
    if ens.dropped:
        data["dropped"] = [{**d, "parameters": dict(d["parameters"]),
                            "measures": _finite(d["measures"])} for d in ens.dropped]
    return header + tomli_w.dumps(data)


def _finite(measures: dict[str, float]) -> dict[str, float | str]:
    return {k: (v if math.isfinite(v) else "nan") for k, v in measures.items()}


def write(ens: Ensemble, path: str | Path = ENSEMBLE_FILE) -> Path:
    from experiments.runner import write_text_atomic

    return write_text_atomic(Path(path), to_toml(ens))


def load_ensemble(path: str | Path, where: str = "--ensemble") -> Ensemble:
    """An ensemble file, checked: a missing, unreadable or malformed file, or one without members, is refused
    with one line."""
    p = Path(path)
    shown = repr(str(path))
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EnsembleError(f"{where} = {shown}: no such file; allowed: an ensemble file written by plm calibrate "
                            "--ensemble (e.g. abm/ensemble.toml)") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise EnsembleError(f"{where} = {shown}: unreadable ({type(exc).__name__}: {exc}); allowed: an ensemble "
                            "file written by plm calibrate --ensemble") from None
    try:
        prov = dict(data["provenance"])
        if prov.get("format") not in READS:
            raise ValueError(f"format {prov.get('format')!r}, this code reads {', '.join(map(str, READS))}")
        prior = {k: (float(v[0]), float(v[1])) for k, v in data["priors"].items()}
        members = [Member(int(m["id"]), {k: float(v) for k, v in m["parameters"].items()},
                          {k: float(v) for k, v in m.get("measures", {}).items()}, int(m.get("round", 0)),
                          float(m.get("weight", 1.0))) for m in data["members"]]
        for m in members:
            if set(m.parameters) != set(prior):
                raise ValueError(f"member {m.id} has parameters {sorted(m.parameters)}, the priors "
                                 f"{sorted(prior)}")
            if not (math.isfinite(m.weight) and m.weight > 0):   # runs are pooled with it (run_weights)
                raise ValueError(f"member {m.id} has weight {m.weight!r}, an importance weight is a positive "
                                 "number")
        central = int(data.get("central_member", -1))
    except (KeyError, TypeError, ValueError) as exc:
        raise EnsembleError(f"{where} = {shown}: not an ensemble file ({type(exc).__name__}: {exc}); allowed: a "
                            "file written by plm calibrate --ensemble") from None
    if not members:
        raise EnsembleError(f"{where} = {shown}: has no accepted member (0 of {prov.get('n_judged', '?')}); "
                            "allowed: an ensemble with at least one member (draw more: plm calibrate --ensemble "
                            "--samples N)")
    if central not in {m.id for m in members}:
        raise EnsembleError(f"{where} = {shown}: central_member = {central} is not a member; allowed: the id of "
                            "one of its members")
    return Ensemble(members, prior, prov, central, {k: int(v) for k, v in data.get("rejections", {}).items()}, p,
                    list(data.get("dropped", [])))


def made_how(ens: Ensemble) -> str:
    """One line on how an ensemble file was made: its members' acceptance, their verification, and whether every
    target judged them."""
    p = ens.provenance
    seeds = p.get("seeds") or []
    v = p.get("verification") or {}
    text = (f"ensemble {ens.path or ''}: {len(ens.members)} members, accepted on seeds 1..{len(seeds)} "
            f"({p.get('n_accepted', '?')} of {p.get('n_judged', '?')} judged)")
    if v.get("ran"):
        text += (f", verified over seeds 1..{len(v.get('seeds', []))}: {v.get('kept')} kept, {v.get('dropped')} "
                 "dropped")
    else:
        text += ", not verified on further seeds"
    skipped = p.get("skipped_targets") or []
    if skipped:
        text += f"; does NOT meet every target: {', '.join(skipped)} did not judge its members"
    else:
        text += "; every target judged its members"
    stale = [name for name, now in (("model", model_sha256()), ("targets", targets_sha256()),
                                    ("calibrated values", calibrated_sha256()))
             if p.get(f"{name.split()[0]}_sha256") not in (None, now)]
    if stale:
        text += (f"; MADE ON ANOTHER {' AND '.join(s.upper() for s in stale)} than this code's (its members were "
                 "judged by other rules: remake it, docs/calibration.md)")
    return text


# --- running a scenario over the ensemble -------------------------------------------------------------------

def runs(ens: Ensemble, seeds: int) -> list[tuple[Member, int]]:
    """Every member x seed (seeds 1..`seeds`), member by member."""
    return [(m, s) for m in ens.members for s in range(1, seeds + 1)]


def run_over(ens: Ensemble, seeds: int, one: Callable[[Member, int], dict[str, float]],
             progress: Callable[[], None] | None = None) -> list[dict[str, Any]]:
    """`one(member, seed)` for every member x seed; rows carry `member` (its id) and `seed`."""
    rows = []
    for m, s in runs(ens, seeds):
        rows.append({"member": m.id, "seed": s, **one(m, s)})
        if progress:
            progress()
    return rows


def summary(rows: list[dict[str, Any]], keys: list[str], weights=None) -> list[dict[str, Any]]:
    """Per key: the mean and `interval` over the member x seed runs that have a value, each run with its weight
    (`run_weights` of the rows' members; None: equal), and how many runs have a value (`plm run --ensemble`'s
    summary.csv: unlike `mean`, it pools the runs that have the figure and says how many)."""
    from experiments.noise import weighted_mean

    out = []
    for k in keys:
        v = np.array([r[k] for r in rows], dtype=float)
        lo, hi = interval(v, weights)
        out.append({"key": k, "mean": weighted_mean(v, weights), "lo": lo, "hi": hi,
                    "runs": int(np.isfinite(v).sum())})
    return out


def member_overrides(spec, parameters: dict[str, float]) -> dict[str, float]:
    """A member's parameters as overrides of a scenario: they take the place of `abm/calibrated.toml`, so, like
    it, they sit beneath what the scenario sets itself (a key the scenario sets is left to the scenario)."""
    from abm.scenario import scenario_data, sets_key

    data, _ = scenario_data(spec)
    return {k: v for k, v in parameters.items() if not sets_key(data, k)}
