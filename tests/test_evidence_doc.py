"""docs/evidence.md is the project's own evidence: every citation points into it, and it covers every target.

- No file of the project cites the domain brief the evidence was compiled from (it is not part of the project).
- Every evidence number cited anywhere (`docs/evidence.md E12`, or `E12` in the app's and the docs' texts)
  is an entry of docs/evidence.md, and the entries are numbered E1, E2, ... without gaps.
- Every target key in experiments/targets.toml is named by at least one entry.
- Every parameter an entry names (`policy.caseload`) exists in the scenario schema.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("abm", "agents", "environments", "experiments", "viz", "benchmarks", "tests", "docs")
SUFFIXES = {".py", ".toml", ".md"}
EVIDENCE = ROOT / "docs" / "evidence.md"

ENTRY = re.compile(r"^\*\*E(\d+)\. ", re.M)
CITED = re.compile(r"\bE(\d+)\b")
NOQA = re.compile(r"#\s*noqa:[^\n]*")               # lint codes after "noqa:" are not evidence numbers
BRIEF = re.compile(r"\bBRIEF\b|shared/domain")


def project_files() -> list[Path]:
    files = []
    for folder in FOLDERS:
        files += [p for p in sorted((ROOT / folder).rglob("*")) if p.suffix in SUFFIXES and p.is_file()]
    return files


def entries() -> dict[int, str]:
    """Evidence number -> the text of its entry (up to the next entry or heading)."""
    text = EVIDENCE.read_text(encoding="utf-8")
    marks = list(ENTRY.finditer(text))
    out = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[m.start():end].split("\n## ")[0]
        assert int(m.group(1)) not in out, f"E{m.group(1)} is numbered twice"
        out[int(m.group(1))] = body
    return out


def test_entries_are_numbered_without_gaps():
    numbers = list(entries())
    assert numbers == list(range(1, len(numbers) + 1))
    for n, body in entries().items():
        assert "*Use:*" in body, f"E{n} does not say how the model uses it"


def test_no_file_cites_the_brief():
    me = Path(__file__).resolve()
    hits = []
    for path in project_files():
        if path.resolve() == me:
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if BRIEF.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()[:100]}")
    assert not hits, "cite docs/evidence.md instead:\n" + "\n".join(hits)


def test_readme_does_not_cite_the_brief():
    assert not BRIEF.search((ROOT / "README.md").read_text(encoding="utf-8"))


def test_every_cited_number_exists():
    known = set(entries())
    missing = []
    for path in [*project_files(), ROOT / "README.md"]:
        text = NOQA.sub("", path.read_text(encoding="utf-8"))
        for m in CITED.finditer(text):
            if int(m.group(1)) not in known:
                line = text.count("\n", 0, m.start()) + 1
                missing.append(f"{path.relative_to(ROOT)}:{line}: E{m.group(1)}")
    assert not missing, "not in docs/evidence.md:\n" + "\n".join(missing)


def test_every_target_is_an_entry():
    targets = tomllib.loads((ROOT / "experiments" / "targets.toml").read_text(encoding="utf-8"))
    named = "\n".join(entries().values())
    unnamed = [key for key in targets if f"`{key}`" not in named]
    assert not unnamed, f"targets without an entry in docs/evidence.md: {unnamed}"


def test_every_parameter_named_exists():
    from abm.params import describe
    from experiments.paramdoc import sections
    params = {f"{name}.{row['name']}" for name, section, _ in sections() for row in describe(section)}
    blocks = {name for name, _, _ in sections()}
    text = EVIDENCE.read_text(encoding="utf-8")
    named = {m.group(1) for m in re.finditer(r"`([a-z_]+\.[a-z_]+)`", text) if m.group(1).split(".")[0] in blocks}
    assert named, "the evidence names no parameter"
    assert not named - params, f"docs/evidence.md names unknown parameters: {sorted(named - params)}"
