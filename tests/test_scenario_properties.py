"""Property: any scenario document either runs or is refused as promised (exit 2, one line, nothing written).

Hypothesis generates documents from the schema itself (`tests/bad_inputs.schema_leaves`): valid ones (a few
parameters set anywhere within their ranges, a random name, tiny runs: 1-2 months, one agent per 50 people) and
mutations of them (a wrong type, a value out of range, an unknown or misspelt key, a broken encoding, deep
nesting), delivered as a file or as `--set`. Each runs in-process through `plm run` in a fresh folder.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bad_inputs import (
    BROKEN_ENCODINGS,
    Leaf,
    call_plm,
    deep,
    lines,
    misspelt,
    nest,
    out_of_range,
    schema_leaves,
    toml_document,
    toml_value,
    tree,
    with_text,
    wrong_types,
)

LEAVES = [leaf for leaf in schema_leaves() if leaf.key not in ("base", "months", "scale")]
OUTPUTS = {"timeseries.parquet", "timeseries.csv", "transitions.parquet", "timeseries_by_municipality.parquet",
           "manifest.json"}
SETTINGS = settings(deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def valid_value(leaf: Leaf) -> st.SearchStrategy:
    """Values `leaf` allows."""
    if leaf.kind == "bool":
        return st.booleans()
    if leaf.kind == "choice":
        return st.sampled_from(leaf.choices)
    if leaf.kind == "text":
        return st.text(min_size=1, max_size=40)
    lo = leaf.lo if leaf.lo is not None else -1e6
    hi = leaf.hi if leaf.hi is not None else 1e6
    if leaf.kind == "int":
        return st.integers(math.ceil(lo), math.floor(hi))
    return st.floats(float(lo), float(hi), allow_nan=False, allow_infinity=False)


@st.composite
def valid_documents(draw) -> dict:
    """A tiny scenario with a few parameters set anywhere within their ranges."""
    doc = {"base": "default", "months": draw(st.integers(1, 2)), "scale": draw(st.floats(50.0, 200.0))}
    for leaf in draw(st.lists(st.sampled_from(LEAVES), max_size=4, unique_by=lambda leaf: leaf.key)):
        nest(doc, leaf.key, draw(valid_value(leaf)))
    return doc


MUNICIPALITIES = ["Stad", "Midden", "Noord", "West", "Oost", "*"]
GROUPS = ["bijstand", "ww", "disability", "sheltered", "regular_sample", "regular_jobs"]


@st.composite
def valid_sets(draw) -> list[str]:
    """`--set` arguments that are allowed: region-wide and municipal policy, people counts of municipalities."""
    policy = [leaf for leaf in LEAVES if leaf.key.startswith("policy.")]
    args: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["region", "municipal", "people"]))
        muni = draw(st.sampled_from(MUNICIPALITIES))
        if kind == "people":
            key, value = f"municipalities.{muni}.{draw(st.sampled_from(GROUPS))}", draw(st.integers(0, 50_000))
        else:
            leaf = draw(st.sampled_from(policy))
            key = leaf.key if kind == "region" else f"municipalities.{muni}.{leaf.key}"
            value = draw(valid_value(leaf))
        args += ["--set", f"{key}={toml_value(value)}"]
    return args


@st.composite
def mutated(draw) -> tuple[str, list[str], bytes | None]:
    """(what was broken, extra `plm run` arguments, file bytes or None) of a mutated valid document."""
    doc = draw(valid_documents())
    leaf = draw(st.sampled_from(LEAVES))
    how = draw(st.sampled_from(["wrong type", "out of range", "unknown key", "misspelt key", "encoding",
                                "deep nesting"]))
    if how == "out of range" and not out_of_range(leaf):
        how = "wrong type"
    if how == "encoding":
        label = draw(st.sampled_from(sorted(BROKEN_ENCODINGS)))
        return f"encoding {label}", [], BROKEN_ENCODINGS[label](toml_document(doc).encode("utf-8"))
    if how == "deep nesting":
        text = deep(draw(st.integers(33, 2000)), as_table=draw(st.booleans()))
        return how, [], with_text({k: v for k, v in doc.items() if not isinstance(v, dict)}, leaf.key, text).encode()
    key, value = leaf.key, 1
    if how == "wrong type":
        value = draw(st.sampled_from(wrong_types(leaf)))
    elif how == "out of range":
        value = draw(st.sampled_from(out_of_range(leaf)))
    elif how == "unknown key":
        key = f"{leaf.key}_{draw(st.text('abcxyz', min_size=1, max_size=5))}"
    else:
        key = misspelt(leaf.key, draw(st.integers(0, 40)))
        if key.split(".")[-1] in {leaf.key.split(".")[-1] for leaf in schema_leaves()}:
            key += "_"
    if draw(st.booleans()) and not isinstance(value, dict):
        return f"{how} {key} (--set)", ["--set", f"{key}={toml_value(value)}"], toml_document(doc).encode()
    return f"{how} {key}", [], toml_document(nest(doc, key, value)).encode()


def run_plm(folder: Path, args: list[str], data: bytes) -> tuple[int, str, set[str]]:
    """`plm run --scenario s.toml --out out ARGS` in `folder`: (exit code, stderr, paths written)."""
    (folder / "s.toml").write_bytes(data)
    before = tree(folder)
    code, _, err = call_plm(["run", "--scenario", str(folder / "s.toml"), "--out", str(folder / "out"), "--quiet",
                             *args])
    return code, err, tree(folder) - before


def assert_refused(code: int, err: str, written: set[str], what: str) -> None:
    assert code == 2, f"{what}: exit code {code}: {err[-300:]}"
    assert len(lines(err)) == 1 and lines(err)[0].startswith("error: "), f"{what}: {err!r}"
    assert not written, f"{what}: wrote {sorted(written)[:3]}"


@pytest.mark.slow
@settings(SETTINGS, max_examples=30)
@given(valid_documents(), valid_sets())
def test_a_valid_document_runs_or_is_refused_in_one_line(doc, sets):
    with tempfile.TemporaryDirectory() as tmp:
        code, err, written = run_plm(Path(tmp), sets, toml_document(doc).encode())
        if code == 0:
            assert {p.name for p in (Path(tmp) / "out").iterdir()} == OUTPUTS
        else:  # a cross-field rule may refuse a combination of allowed values
            assert_refused(code, err, written, f"valid document {doc} {sets}")


@pytest.mark.slow
@settings(SETTINGS, max_examples=120)
@given(mutated())
def test_a_mutated_document_is_refused_in_one_line_and_nothing_is_written(mutation):
    what, args, data = mutation
    with tempfile.TemporaryDirectory() as tmp:
        code, err, written = run_plm(Path(tmp), args, data)
        assert_refused(code, err, written, what)
