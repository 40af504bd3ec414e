"""A corpus of bad inputs and the check of the bad-input promise (README; docs/limits.md).

The promise: bad input never runs. The command prints exactly one line on stderr (`error: ...`, naming the key,
the value and what is allowed), exits with 2, and writes nothing; the Python API (`LabourMarketModel`,
`experiments.runner.run_scenario`) raises `ScenarioError` with a one-line message before building anything.

`corpus()` lists the cases, each a class (types, files, size, paths, seeds, options, api) and either `plm`
arguments or a Python call; `run_case` runs one in a fresh folder, in-process (through `experiments.cli.main`,
the console command's own entry point) and says whether the promise held. `tests/test_bad_input.py` and
`benchmarks/fuzz_bad_inputs.py` share them.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from unittest import mock

# A scenario file that would run a tiny model if it were not broken.
TINY = 'base = "default"\nmonths = 1\nscale = 50.0\n'
TINY_ARGS = ("--set", "months=1", "--set", "scale=50.0")


class ReachedBuild(BaseException):
    """Raised by the guard when a model starts to build: the input was not refused before building."""


@dataclass(frozen=True)
class Case:
    """One bad input: `plm` arguments (`argv`) or a Python call (`call`, given the case folder)."""

    name: str
    kind: str
    argv: tuple[str, ...] | None = None
    call: Callable[[Path], Any] | None = None
    files: dict[str, Any] = field(default_factory=dict)   # name -> bytes, str, DIR, or ("symlink", target)
    expect: str | None = None                             # text the one line must contain
    patches: dict[str, Any] = field(default_factory=dict)  # "module.attr" -> replacement during the case


DIR = object()          # marker in `files`: create a folder


@dataclass
class Outcome:
    case: Case
    ok: bool
    reason: str
    code: int | None
    stderr: str


# --- running one case ----------------------------------------------------------------------------------------

def _make_files(folder: Path, files: dict[str, Any]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is DIR:
            path.mkdir(exist_ok=True)
        elif isinstance(content, tuple) and content[0] == "symlink":
            path.symlink_to(content[1])
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def tree(folder: Path) -> set[str]:
    """Every path below `folder` (relative), hidden ones included; symlinks are not followed."""
    out = set()
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            out.add(os.path.relpath(os.path.join(root, name), folder))
    return out


@contextlib.contextmanager
def _guard():
    """Make building a model raise ReachedBuild: bad input must be refused before it."""
    from abm.model import LabourMarketModel

    def refuse(self, *a, **k):
        raise ReachedBuild()
    with mock.patch.object(LabourMarketModel, "_build_region", refuse):
        yield


@contextlib.contextmanager
def _patched(patches: dict[str, Any]):
    with contextlib.ExitStack() as stack:
        for target, value in patches.items():
            stack.enter_context(mock.patch(target, value))
        yield


@contextlib.contextmanager
def _cwd(folder: Path):
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def call_plm(argv: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `plm ARGV`, in-process."""
    from experiments.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def run_case(case: Case, folder: Path, guard: bool = True) -> Outcome:
    """Run one case in `folder` (created) and judge it against the promise."""
    folder.mkdir(parents=True, exist_ok=True)
    _make_files(folder, case.files)
    before = tree(folder)
    code, out, err = None, "", ""
    try:
        with _cwd(folder), _patched(case.patches), (_guard() if guard else contextlib.nullcontext()):
            if case.argv is not None:
                code, out, err = call_plm(list(case.argv))
            else:
                return _judge_call(case, folder, before)
    except ReachedBuild:
        return Outcome(case, False, "not refused: a model started to build", code, err)
    except BaseException as exc:  # noqa: BLE001 - a crash is an outcome to report
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Outcome(case, False, f"crashed: {type(exc).__name__}: {_first(str(exc))}", code, err)
    return _judge_cli(case, folder, before, code, out, err)


def _first(text: str, limit: int = 120) -> str:
    text = text.splitlines()[0] if text.splitlines() else ""
    return text[:limit]


def _written(folder: Path, before: set[str]) -> set[str]:
    return tree(folder) - before


def _judge_cli(case: Case, folder: Path, before: set[str], code, out: str, err: str) -> Outcome:
    errs = lines(err)
    new = _written(folder, before)
    if code != 2:
        return Outcome(case, False, f"exit code {code}, not 2 ({_first(err) or 'no message'})", code, err)
    if len(errs) != 1:
        return Outcome(case, False, f"{len(errs)} lines on stderr, not 1: {_first(err)!r}", code, err)
    if not errs[0].startswith("error: "):
        return Outcome(case, False, f"the line does not start with 'error: ': {errs[0][:100]!r}", code, err)
    if case.expect and case.expect not in errs[0]:
        return Outcome(case, False, f"the line does not name {case.expect!r}: {errs[0][:160]!r}", code, err)
    if new:
        return Outcome(case, False, f"wrote {sorted(new)[:3]}", code, err)
    if lines(out):
        return Outcome(case, False, f"printed on stdout: {_first(out)!r}", code, err)
    return Outcome(case, True, errs[0], code, err)


def _judge_call(case: Case, folder: Path, before: set[str]) -> Outcome:
    from abm.scenario import ScenarioError

    try:
        case.call(folder)
    except ScenarioError as exc:
        msg = str(exc)
        new = _written(folder, before)
        if "\n" in msg or "\r" in msg:
            return Outcome(case, False, f"message of more than one line: {msg[:100]!r}", None, msg)
        if case.expect and case.expect not in msg:
            return Outcome(case, False, f"the message does not name {case.expect!r}: {msg[:160]!r}", None, msg)
        if new:
            return Outcome(case, False, f"wrote {sorted(new)[:3]}", None, msg)
        return Outcome(case, True, msg, None, msg)
    return Outcome(case, False, "not refused: the call returned", None, "")


# --- the corpus ----------------------------------------------------------------------------------------------

def _file_setting(dotted: str, raw: str) -> str:
    """A tiny scenario file that sets `dotted` to the TOML text `raw`."""
    *table, key = dotted.split(".")
    if not table:
        return f'base = "default"\nscale = 50.0\n{key} = {raw}\n' if key not in ("scale",) else \
            f'base = "default"\nmonths = 1\n{key} = {raw}\n'
    return TINY + f"[{'.'.join(table)}]\n{key} = {raw}\n"


# key -> (what it is, bad values as TOML text)
BAD_VALUES: dict[str, tuple[str, list[str]]] = {
    "months": ("whole number", ["true", "12.5", "[12]", "inf", "nan", '"12"', "1e3", "0", "-1", "1201",
                                "{ n = 1 }", "9223372036854775807"]),
    "economy.tightness": ("number", ["true", '"1.2"', "[1.2]", "inf", "-inf", "nan", '""', "{ x = 1 }",
                                     "-0.5", "1e9"]),
    "stigma.enabled": ("boolean", ["0", "1", '"no"', '"off"', '"true"', '"yes"', "[true]", "1.0"]),
    "policy.regime": ("choice", ['"lenient"', "1", "true", '""', '"SANCTION"']),
    "policy.caseload": ("number", ["true", '"100"', "-1", "nan", "[100]"]),
    "policy.basisbaan_slots": ("whole number", ["12.5", "true", "-3", '"50"', "inf"]),
    "scale": ("number", ["0", "-1", "0.5", "true", '"4"', "nan", "inf", "1e9"]),
}

SET_ONLY: list[tuple[str, str]] = [
    ("months", "1e400"), ("months", ""), ("months", "1 2"), ("months", "[1,"), ("economy.tightness", "1.2abc"),
    ("stigma.enabled", "no"), ("stigma.enabled", "off"), ("stigma.enabled", "True"),
    ("policy.regime", "lenient"), ("policy.caseload", "1_000_000"),
]


def _type_cases() -> list[Case]:
    out = []
    for dotted, (what, raws) in BAD_VALUES.items():
        key = dotted
        for raw in raws:
            tag = raw.replace(" ", "")
            out.append(Case(f"file {dotted}={tag}", "types", ("run", "--scenario", "s.toml"),
                            files={"s.toml": _file_setting(dotted, raw)}, expect=key.split(".")[-1]))
            out.append(Case(f"--set {dotted}={tag}", "types",
                            ("run", *TINY_ARGS, "--set", f"{dotted}={raw}"), expect=key.split(".")[-1]))
    for dotted, raw in SET_ONLY:
        out.append(Case(f"--set {dotted}={raw}", "types", ("run", *TINY_ARGS, "--set", f"{dotted}={raw}"),
                        expect=dotted.split(".")[-1]))
    # a file's own value is checked even where a flag or --set replaces it
    out += [
        Case("file months=12.5 with --months", "types", ("run", "--scenario", "s.toml", "--months", "1"),
             files={"s.toml": _file_setting("months", "12.5")}, expect="months"),
        Case("file months=true with --months", "types", ("run", "--scenario", "s.toml", "--months", "1"),
             files={"s.toml": _file_setting("months", "true")}, expect="months"),
        Case("file scale=true with --set scale", "types", ("run", "--scenario", "s.toml", "--set", "scale=50.0"),
             files={"s.toml": _file_setting("scale", "true")}, expect="scale"),
        Case("file policy.caseload='1' with --set", "types",
             ("run", "--scenario", "s.toml", "--set", "policy.caseload=100"),
             files={"s.toml": _file_setting("policy.caseload", '"1"')}, expect="caseload"),
        Case("file stigma.enabled=0 with --set", "types",
             ("run", "--scenario", "s.toml", "--set", "stigma.enabled=true"),
             files={"s.toml": _file_setting("stigma.enabled", "0")}, expect="enabled"),
        Case("municipal policy type in file", "types", ("run", "--scenario", "s.toml"),
             files={"s.toml": TINY + '[[municipalities]]\nname = "A"\npolicy = { basisbaan_slots = true }\n'},
             expect="basisbaan_slots"),
        Case("policy change type in file", "types", ("run", "--scenario", "s.toml"),
             files={"s.toml": TINY + '[[policy_changes]]\nmonth = 1\nset = { quota_enforced = "yes" }\n'},
             expect="quota_enforced"),
        Case("policy change month 1.5", "types", ("run", "--scenario", "s.toml"),
             files={"s.toml": TINY + '[[policy_changes]]\nmonth = 1.5\nset = { quota_enforced = true }\n'},
             expect="month"),
        Case("municipality count as float", "types", ("run", "--scenario", "s.toml"),
             files={"s.toml": TINY + '[[municipalities]]\nname = "A"\nbijstand = 100.5\n'}, expect="bijstand"),
        Case("municipality name a number", "types", ("run", "--scenario", "s.toml"),
             files={"s.toml": TINY + '[[municipalities]]\nbijstand = 100\nname = 5\n'}, expect="name"),
        Case("scenario name a number", "types", ("run", "--scenario", "s.toml"),
             files={"s.toml": TINY + 'name = 5\n'}, expect="name"),
        Case("base a number", "types", ("run", "--scenario", "s.toml"), files={"s.toml": "base = 3\n"},
             expect="base"),
        Case("municipalities a number", "types", ("run", "--scenario", "s.toml"),
             files={"s.toml": TINY + "municipalities = 3\n"}, expect="municipalities"),
        Case("policy an array of tables", "types", ("run", "--scenario", "s.toml"),
             files={"s.toml": TINY + "[[policy]]\ncaseload = 100\n"}, expect="policy"),
    ]
    return out


def _utf16(text: str, bom: bool = True) -> bytes:
    data = text.encode("utf-16-le")
    return (b"\xff\xfe" + data) if bom else data


def _file_cases() -> list[Case]:
    run = ("run", "--scenario")
    deep_array = "x = " + "[" * 50_000 + "]" * 50_000 + "\n"
    deep_inline = "x = " + "{a = " * 20_000 + "1" + "}" * 20_000 + "\n"
    deep_dotted = "policy." + ".".join(["a"] * 20_000) + " = 1\n"
    deep_header = "[" + ".".join(["a"] * 20_000) + "]\nx = 1\n"
    deep_known = "[policy]\n" + "caseload" + "".join(f".k{i}" for i in range(3000)) + " = 1\n"
    files = {
        "latin-1": TINY.encode() + "name = \"Groningen-Zuid café\"\n".encode("latin-1"),
        "utf-16 with BOM": _utf16(TINY),
        "utf-16 big-endian with BOM": b"\xfe\xff" + TINY.encode("utf-16-be"),
        "utf-16 without BOM": _utf16(TINY, bom=False),
        "utf-32": TINY.encode("utf-32"),
        "NUL byte": TINY.encode() + b"name = \"a\x00b\"\n",
        "NUL bytes only": b"\x00" * 100,
        "binary (PNG header)": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "binary (random bytes)": bytes((i * 7919 + 13) % 256 for i in range(4096)),
        "gzip": b"\x1f\x8b\x08\x00" + bytes(200),
        "lone surrogate escape": TINY.encode() + b'description = "\\ud800"\n',
        "invalid UTF-8 continuation": TINY.encode() + b"name = \"\xc3\x28\"\n",
        "overlong UTF-8": TINY.encode() + b"name = \"\xc0\xaf\"\n",
        "deep array": deep_array.encode(),
        "deep inline table": deep_inline.encode(),
        "deep dotted key under policy": deep_dotted.encode(),
        "deep table header": deep_header.encode(),
        "deep key below a number": deep_known.encode(),
        "empty": b"",
        "whitespace only": b"   \n\n\t\n",
        "comment only": b"# my scenario\n# nothing yet\n",
        "BOM only": b"\xef\xbb\xbf",
        "not TOML": b"this is not toml\n",
        "unterminated string": b'name = "abc\n',
        "duplicate key": (TINY + "months = 2\n").encode(),
        "JSON": b'{"months": 1}\n',
        "YAML": b"months: 1\nscale: 50\n",
        "INI": b"[policy]\ncaseload: 100\n",
        "top-level array table": b"[[x]]\na = 1\n",
        "unknown top-level key": (TINY + "mnths = 2\n").encode(),
        "unknown section": (TINY + "[polcy]\ncaseload = 100\n").encode(),
        "unknown key in section": (TINY + "[policy]\ncasload = 100\n").encode(),
        "unknown preset as base": b'base = "defualt"\n',
        "base is a path": b'base = "../../etc/passwd"\n',
        "base is empty": b'base = ""\n',
        "two municipalities of one name": (TINY + '[[municipalities]]\nname = "A"\n[[municipalities]]\nname = "A"\n')
        .encode(),
        "municipality without people": (TINY + '[[municipalities]]\nname = "A"\nbijstand = 0\nww = 0\n'
                                        'disability = 0\nsheltered = 0\nregular_sample = 0\n').encode(),
        "municipality without a name": (TINY + "[[municipalities]]\nbijstand = 100\n").encode(),
        "no municipalities": (TINY + "municipalities = []\n").encode(),
        "name too long": (TINY + f'name = "{"x" * 300}"\n').encode(),
        "name empty": (TINY + 'name = ""\n').encode(),
        "policy change for unknown municipality": (TINY + '[[policy_changes]]\nmonth = 2\nmunicipality = "Nope"\n'
                                                   'set = { quota_enforced = true }\n').encode(),
        "policy change unknown key": (TINY + '[[policy_changes]]\nmonth = 2\nset = { quota_enforce = true }\n')
        .encode(),
        "policy change negative month": (TINY + '[[policy_changes]]\nmonth = -1\nset = { quota_enforced = true }\n')
        .encode(),
        "person decision for nobody": (TINY + '[[person_decisions]]\nmonth = 1\nperson_id = 99999999\n'
                                       'decision = "accept"\n').encode(),
        "person decision neither accept nor refuse": (TINY + '[[person_decisions]]\nmonth = 1\nperson_id = 0\n'
                                                      'decision = "yes"\n').encode(),
        "municipal policy unknown key": (TINY + '[[municipalities]]\nname = "A"\npolicy = { slots = 3 }\n').encode(),
        "shares above one": (TINY + "[population]\nshare_older_low_health = 0.8\nshare_mental_debts = 0.5\n")
        .encode(),
        "basisbaan ends before it starts": (TINY + "[policy]\nbasisbaan_start_month = 50\n"
                                            "basisbaan_end_month = 10\n").encode(),
        "too many municipalities": (TINY + "".join(f'[[municipalities]]\nname = "M{i}"\n' for i in range(5001)))
        .encode(),
        "huge (3 MB)": (TINY + "# " + "x" * 3_000_000 + "\n").encode(),
    }
    expects = {"latin-1": "UTF-8", "utf-16 with BOM": "UTF-16", "utf-16 big-endian with BOM": "UTF-16",
               "NUL byte": "NUL", "empty": 'base = "default"', "whitespace only": 'base = "default"',
               "comment only": 'base = "default"', "BOM only": 'base = "default"', "deep array": "nested",
               "deep inline table": "nested", "huge (3 MB)": "bytes", "unknown key in section": "caseload",
               "unknown preset as base": "default"}
    out = [Case(f"file: {label}", "files", (*run, "s.toml"), files={"s.toml": data}, expect=expects.get(label))
           for label, data in files.items()]
    for label in ("utf-16 with BOM", "NUL byte", "deep array", "comment only", "latin-1"):
        out.append(Case(f"file: {label}, scenarios show", "files", ("scenarios", "show", "s.toml"),
                        files={"s.toml": files[label]}))
        out.append(Case(f"file: {label}, with --set", "files", (*run, "s.toml", "--set", "months=1"),
                        files={"s.toml": files[label]}))
    out += [
        Case("file: a folder as scenario", "files", (*run, "d"), files={"d": DIR}, expect="folder"),
        Case("file: a folder named .toml", "files", (*run, "d.toml"), files={"d.toml": DIR}, expect="folder"),
        Case("file: the current folder", "files", (*run, "."), expect="folder"),
        Case("file: root folder", "files", (*run, "/"), expect="folder"),
        Case("file: missing .toml", "files", (*run, "missing.toml"), expect="not found"),
        Case("file: missing in a missing folder", "files", (*run, "no/such/s.toml"), expect="not found"),
        Case("file: not ending in .toml", "files", (*run, "s.txt"), files={"s.txt": TINY}, expect=".toml"),
        Case("file: no suffix", "files", (*run, "./scenario"), files={"scenario": TINY}, expect=".toml"),
        Case("file: .json", "files", (*run, "s.json"), files={"s.json": TINY}, expect=".toml"),
        Case("file: dangling symlink", "files", (*run, "s.toml"), files={"s.toml": ("symlink", "nowhere.toml")},
             expect="not found"),
        Case("file: symlink loop", "files", (*run, "s.toml"), files={"s.toml": ("symlink", "s.toml")}),
        Case("file: /dev/null", "files", (*run, "/dev/null")),
        Case("file: /dev/zero", "files", (*run, "/dev/zero")),
        Case("file: a /proc file", "files", (*run, "/proc/self/status")),
        Case("file: unreadable", "files", (*run, "s.toml"), files={"s.toml": TINY}, expect="cannot be read",
             patches={"pathlib.Path.read_bytes": _raise_permission}),
        Case("file: empty path", "files", (*run, ""),),
        Case("file: path with NUL", "files", (*run, "s\x00.toml")),
        Case("file: very long path", "files", (*run, "x" * 5000 + ".toml")),
        Case("file: unknown preset", "files", (*run, "defualt"), expect="default"),
        Case("file: preset name with .toml", "files", (*run, "nope.toml"), expect="not found"),
        Case("show: unknown preset", "files", ("scenarios", "show", "nope"), expect="nope"),
        Case("show: path traversal", "files", ("scenarios", "show", "../../etc/passwd")),
        Case("show: empty name", "files", ("scenarios", "show", "")),
        Case("show --resolved: unknown preset", "files", ("scenarios", "show", "nope", "--resolved")),
        Case("show: a folder", "files", ("scenarios", "show", "d"), files={"d": DIR}),
    ]
    return out


def _raise_permission(self, *a, **k):
    raise PermissionError(13, "Permission denied", str(self))


def _available(n: int):
    return lambda: n


def _size_cases() -> list[Case]:
    big = [("--set", f"municipalities.*.{g}={n}") for g, n in
           (("bijstand", 2_000_000), ("ww", 2_000_000), ("disability", 2_000_000), ("sheltered", 1_000_000),
            ("regular_sample", 5_000_000))]
    big_args = tuple(a for pair in big for a in pair)
    return [
        Case("size: scale larger than the population", "size", ("run", "--set", "scale=100000"),
             expect="population"),
        Case("size: scale larger than a small file's population", "size", ("run", "--scenario", "s.toml"),
             files={"s.toml": 'scale = 5000.0\nmunicipalities = [{ name = "A", bijstand = 10,'
                              ' ww = 0, disability = 0, sheltered = 0, regular_sample = 0 }]\n'},
             expect="population"),
        Case("size: scale 0", "size", ("run", "--set", "scale=0"), expect="scale"),
        Case("size: scale below 1", "size", ("run", "--set", "scale=0.25"), expect="scale"),
        Case("size: above MAX_AGENTS", "size", ("run", *big_args), expect="agents"),
        Case("size: above MAX_AGENTS in a file", "size", ("run", "--scenario", "s.toml"),
             files={"s.toml": 'months = 1\n' + "".join(
                 f'[[municipalities]]\nname = "M{i}"\nbijstand = 2000000\nww = 2000000\ndisability = 2000000\n'
                 'regular_sample = 5000000\n' for i in range(3))}, expect="agents"),
        Case("size: more than the memory available", "size", ("run", "--months", "1"),
             patches={"abm.scenario.available_memory": _available(200_000_000)}, expect="GB"),
        Case("size: more than the memory available, bench", "size", ("bench", "--seekers", "100000"),
             patches={"abm.scenario.available_memory": _available(300_000_000)}, expect="GB"),
        Case("size: bench larger than memory", "size", ("bench", "--seekers", "20000000", "--months", "1200"),
             expect="GB"),
        Case("size: bench above the limit", "size", ("bench", "--seekers", "30000000"), expect="seekers"),
        Case("size: bench below the minimum", "size", ("bench", "--seekers", "10"), expect="seekers"),
        Case("size: bench negative seekers", "size", ("bench", "--seekers", "-5"), expect="seekers"),
        Case("size: validate, no memory", "size", ("validate", "--seeds", "1"),
             patches={"abm.scenario.available_memory": _available(100_000_000)}, expect="GB"),
        Case("size: report, no memory", "size", ("report", "--seeds", "1", "-s", "tight-market"),
             patches={"abm.scenario.available_memory": _available(100_000_000)}, expect="GB"),
        Case("size: calibrate, no memory", "size", ("calibrate", "--seeds", "1", "--max-evals", "1", "--dry-run"),
             patches={"abm.scenario.available_memory": _available(100_000_000)}, expect="GB"),
        Case("size: municipality above its range", "size", ("run", "--set", "municipalities.Stad.bijstand=3000000"),
             expect="bijstand"),
        Case("size: months above the limit", "size", ("run", "--months", "1201"), expect="months"),
    ]


def _path_cases() -> list[Case]:
    readonly = "/proc/plm-out"
    files = {"f.txt": "x"}
    return [
        Case("out: a file", "paths", ("run", *TINY_ARGS, "--out", "f.txt"), files=files, expect="out"),
        Case("out: below a file", "paths", ("run", *TINY_ARGS, "--out", "f.txt/sub"), files=files, expect="out"),
        Case("out: a non-empty folder", "paths", ("run", *TINY_ARGS, "--out", "d"), files={"d/x.txt": "keep"},
             expect="not empty"),
        Case("out: a folder with a hidden file", "paths", ("run", *TINY_ARGS, "--out", "d"),
             files={"d/.keep": ""}, expect="not empty"),
        Case("out: read-only file system", "paths", ("run", *TINY_ARGS, "--out", readonly), expect="writ"),
        Case("out: below a read-only file system", "paths", ("run", *TINY_ARGS, "--out", "/proc/x/y/z"),
             expect="writ"),
        Case("out: /sys", "paths", ("run", *TINY_ARGS, "--out", "/sys/plm-out"), expect="writ"),
        Case("out: empty", "paths", ("run", *TINY_ARGS, "--out", ""), expect="out"),
        Case("out: NUL", "paths", ("run", *TINY_ARGS, "--out", "a\x00b"), expect="out"),
        Case("out: name too long", "paths", ("run", *TINY_ARGS, "--out", "x" * 300), expect="out"),
        Case("out: path too long", "paths", ("run", *TINY_ARGS, "--out", "/".join(["d" * 200] * 30)),
             expect="out"),
        Case("out: /dev/null", "paths", ("run", *TINY_ARGS, "--out", "/dev/null"), expect="out"),
        Case("out: a symlink to a file", "paths", ("run", *TINY_ARGS, "--out", "l"),
             files={"f.txt": "x", "l": ("symlink", "f.txt")}, expect="out"),
        Case("report --out: a folder", "paths", ("report", "-s", "tight-market", "--out", "d"), files={"d": DIR},
             expect="out"),
        Case("report --out: missing folder", "paths", ("report", "-s", "tight-market", "--out", "no/such/r.md"),
             expect="out"),
        Case("report --out: read-only", "paths", ("report", "-s", "tight-market", "--out", "/proc/r.md"),
             expect="out"),
        Case("report --out: below a file", "paths", ("report", "-s", "tight-market", "--out", "f.txt/r.md"),
             files=files, expect="out"),
        Case("report --out: empty", "paths", ("report", "-s", "tight-market", "--out", ""), expect="out"),
        Case("calibrate --out: a folder", "paths", ("calibrate", "--out", "d"), files={"d": DIR}, expect="out"),
        Case("calibrate --out: missing folder", "paths", ("calibrate", "--out", "no/such/c.toml"), expect="out"),
        Case("calibrate --out: read-only", "paths", ("calibrate", "--out", "/proc/c.toml"), expect="out"),
        Case("calibrate --out: empty", "paths", ("calibrate", "--out", ""), expect="out"),
    ]


def _seed_cases() -> list[Case]:
    out = []
    for cmd in (("run", *TINY_ARGS), ("bench", "--seekers", "1000", "--months", "1")):
        for seed in ("-1", str(2**63), str(2**64), "1.5", "1e3", "abc", "", "0x10", "nan"):
            out.append(Case(f"{cmd[0]} --seed {seed!r}", "seeds", (*cmd, "--seed", seed), expect="seed"))
    for cmd in (("validate",), ("report",), ("calibrate",), ("bench", "--crn")):
        for seeds in ("0", "-1", "1.5", "100000", str(2**63), "x") + (("1",) if cmd[0] == "bench" else ()):
            out.append(Case(f"{' '.join(cmd)} --seeds {seeds!r}", "seeds", (*cmd, "--seeds", seeds),
                            expect="seeds"))
    out.append(Case("bench --crn --months 0", "seeds", ("bench", "--crn", "--months", "0"), expect="months"))
    out.append(Case("bench --crn --seed -1", "seeds", ("bench", "--crn", "--seed", "-1"), expect="seed"))
    return out


def _option_cases() -> list[Case]:
    run = ("run", *TINY_ARGS)
    sets = ["policy.caseload", "=5", ".=5", "policy.=5", ".policy=5", "policy..caseload=5", " =5", "a.b.c.d=1",
            "municipalities=5", "municipalities.=1", "municipalities.Stad=1", "municipalities.Stad.=1",
            "municipalities.Nope.policy.caseload=1", "municipalities..policy.caseload=1", "policy=5",
            "policy_changes.0=1", "base=\"x\"", "economy={}", "stigma=true", "nope=1", "polcy.caseload=100",
            "policy.casload=100", "municipalities.Stad.name=\"x\"", "municipalities.Stad.policy.nope=1",
            "municipalities.*.policy.caseload=-5", "months=1\nmonths=2", "a\nb=1", "policy.caseload=1\n2",
            "x" * 5000 + "=1", "policy." + ".".join(["a"] * 5000) + "=1", "economy.tightness.x=1",
            "municipalities.Stad.policy.caseload.x=1", "policy_changes=[{month=1,set={nope=1}}]",
            "municipalities=[]", "scale", "months=[" + "[" * 5000 + "]" * 5000 + "]"]
    out = [Case(f"--set {s[:40]!r}", "options", (*run, "--set", s)) for s in sets]
    out += [Case(f"run --months {m!r}", "options", ("run", "--months", m), expect="months")
            for m in ("-1", "0", "1201", "99999999999999999999", "1.5", "1e3", "abc", "")]
    out += [Case(f"report --months {m!r}", "options", ("report", "--months", m), expect="months")
            for m in ("0", "-3", "5000", "x")]
    out += [Case(f"bench --months {m!r}", "options", ("bench", "--months", m), expect="months")
            for m in ("0", "-1", "1201", "x")]
    out += [
        Case("run: unknown option", "options", ("run", "--bogus"), expect="--bogus"),
        Case("run: misspelt option", "options", ("run", "--sed", "3"), expect="--sed"),
        Case("run: extra argument", "options", ("run", "extra"), expect="extra"),
        Case("run: option without value", "options", ("run", "--seed"), expect="--seed"),
        Case("unknown command", "options", ("runn",), expect="runn"),
        Case("scenarios: unknown subcommand", "options", ("scenarios", "sho"), expect="sho"),
        Case("scenarios show: no name", "options", ("scenarios", "show")),
        Case("scenarios show: two names", "options", ("scenarios", "show", "default", "default")),
        Case("validate: unknown scenario", "options", ("validate", "--scenario", "nope"), expect="nope"),
        Case("validate: unknown option", "options", ("validate", "--bogus")),
        Case("report: unknown preset", "options", ("report", "-s", "nope"), expect="nope"),
        Case("report: a scenario file", "options", ("report", "-s", "s.toml"), files={"s.toml": TINY}),
        Case("calibrate: unknown block", "options", ("calibrate", "--block", "nope"), expect="nope"),
        Case("calibrate: --max-evals 0", "options", ("calibrate", "--max-evals", "0"), expect="max-evals"),
        Case("calibrate: --max-evals -1", "options", ("calibrate", "--max-evals", "-1"), expect="max-evals"),
        Case("bench: --classic with a value", "options", ("bench", "--classic=yes")),
        Case("run: --quiet with a value", "options", ("run", "--quiet=1")),
        Case("run --ensemble: no such file", "options", ("run", "--ensemble", "no/such.toml"), expect="no such file"),
        Case("run --ensemble: not TOML", "options", ("run", "--ensemble", "e.toml"), files={"e.toml": "a = [1"},
             expect="unreadable"),
        Case("run --ensemble: no members", "options", ("run", "--ensemble", "e.toml"), files={"e.toml": ENS_EMPTY},
             expect="no accepted member"),
        Case("run --seeds without --ensemble", "options", ("run", "--seeds", "2"), expect="only with --ensemble"),
        Case("run --ensemble --seeds 0", "options", ("run", "--ensemble", "e.toml", "--seeds", "0"),
             files={"e.toml": ENS_ONE}, expect="--seeds"),
        Case("report --ensemble: a member without the priors' parameters", "options",
             ("report", "--ensemble", "e.toml"), files={"e.toml": ENS_ONE.replace('"stigma.weight" = 0.5', "b = 1.0")},
             expect="not an ensemble file"),
        Case("predict --ensemble: a member of weight 0", "options", ("predict", "--ensemble", "e.toml"),
             files={"e.toml": ENS_ONE.replace("id = 1\n", "id = 1\nweight = 0.0\n")}, expect="weight 0.0"),
        Case("predict --ensemble with --show", "options", ("predict", "--show", "r.toml", "--ensemble", "e.toml"),
             expect="not with --show"),
        Case("validate --ensemble: central not a member", "options", ("validate", "--ensemble", "e.toml"),
             files={"e.toml": ENS_ONE.replace("central_member = 1", "central_member = 9")}, expect="central_member"),
        Case("validate --ensemble --members", "options", ("validate", "--ensemble", "e.toml", "--members", "x"),
             files={"e.toml": ENS_ONE}, expect="--members"),
        Case("validate --ensemble with --scenario", "options",
             ("validate", "--ensemble", "e.toml", "--scenario", "baseline-participatiewet"), files={"e.toml": ENS_ONE},
             expect="--scenario"),
        Case("calibrate --ensemble --samples 0", "options", ("calibrate", "--ensemble", "--samples", "0"),
             expect="--samples"),
        Case("calibrate --ensemble --sample-seed -1", "options", ("calibrate", "--ensemble", "--sample-seed", "-1"),
             expect="--sample-seed"),
        Case("calibrate --ensemble: unknown target", "options", ("calibrate", "--ensemble", "--skip-target", "nope"),
             expect="nope"),
        Case("calibrate --scheduler without --ensemble", "options", ("calibrate", "--scheduler", "tcp://x:1"),
             expect="only with --ensemble"),
        Case("calibrate --ensemble --rounds 0", "options", ("calibrate", "--ensemble", "--rounds", "0"),
             expect="--rounds = 0"),
        Case("calibrate --ensemble --keep 1.5", "options", ("calibrate", "--ensemble", "--keep", "1.5"),
             expect="--keep = 1.5"),
        Case("calibrate --ensemble --verify-seeds not above --seeds", "options",
             ("calibrate", "--ensemble", "--seeds", "2", "--verify-seeds", "2"), expect="--verify-seeds = 2"),
        Case("calibrate --rounds without --ensemble", "options", ("calibrate", "--rounds", "3"),
             expect="only with --ensemble"),
    ]
    for name, value in THREAD_SETTINGS:
        out.append(Case(f"run: {name}={value!r}", "options", run, patches=_env(name, value), expect=name))
    return out


# Environment settings of the kernels' threads (abm.model.thread_settings): above the cores, not whole, not numbers.
THREAD_SETTINGS = (("PLM_THREADS", "100000"), ("PLM_THREADS", "0"), ("PLM_THREADS", "2.5"), ("PLM_THREADS", "two"),
                   ("PLM_THREADS", ""), ("PLM_THREADS", "-1"), ("PLM_PARALLEL_MIN_AGENTS", "-1"),
                   ("PLM_PARALLEL_MIN_AGENTS", "1e5"))


def _env(name: str, value: str) -> dict[str, Any]:
    """The patch of a case run with the environment variable `name` set to `value`."""
    return {"os.environ": {**os.environ, name: value}}


ENS_ONE = ('central_member = 1\n[provenance]\nformat = 1\n[priors]\n"stigma.weight" = [0.1, 0.6]\n'
           '[[members]]\nid = 1\n[members.parameters]\n"stigma.weight" = 0.5\n')
ENS_EMPTY = 'central_member = -1\nmembers = []\n[provenance]\nformat = 1\n[priors]\na = [0.0, 1.0]\n'


def _model(**kw):
    from abm.model import LabourMarketModel
    return lambda folder: LabourMarketModel(**kw)


def _runner(*args, **kw):
    from experiments.runner import run_scenario
    return lambda folder: run_scenario(*args, **kw)


def _api_cases() -> list[Case]:
    tiny = {"months": 1, "scale": 50.0}
    out = []
    for seed in (-1, 2**63, 1.5, 1.0, True, "1", [1]):
        out.append(Case(f"model seed={seed!r}", "api", call=_model(seed=seed, **tiny), expect="seed"))
        out.append(Case(f"run_scenario seed={seed!r}", "api", call=_runner(seed=seed, overrides=tiny),
                        expect="seed"))
    for months in (0, -1, 12.5, True, "12", [12], float("inf"), 1201):
        out.append(Case(f"model months={months!r}", "api", call=_model(months=months, scale=50.0),
                        expect="months"))
        out.append(Case(f"run_scenario months={months!r}", "api",
                        call=_runner(months=months, overrides={"scale": 50.0}), expect="months"))
    bad = [("economy.tightness", True), ("economy.tightness", "1.2"), ("stigma.enabled", 0),
           ("stigma.enabled", "no"), ("policy.regime", "lenient"), ("scale", 100_000.0), ("scale", 0),
           ("policy.casload", 1), ("municipalities.Nope.policy.caseload", 100), ("", 1), ("policy.", 1),
           ("base", "x")]
    for key, value in bad:
        out.append(Case(f"model {key}={value!r}", "api", call=_model(**{**tiny, key: value})))
        out.append(Case(f"run_scenario {key}={value!r}", "api", call=_runner(overrides={**tiny, key: value})))
    out += [
        Case("model scenario=5", "api", call=_model(scenario=5)),
        Case("model scenario=b'...'", "api", call=_model(scenario=b"months = 1")),
        Case("model scenario unknown preset", "api", call=_model(scenario="defualt"), expect="default"),
        Case("model scenario folder", "api", call=lambda f: _model(scenario=str(f))(f), expect="folder"),
        Case("model scenario UTF-16 file", "api", call=_model(scenario="s.toml"),
             files={"s.toml": _utf16(TINY)}, expect="UTF-16"),
        Case("model agent_views='yes'", "api", call=_model(agent_views="yes", **tiny), expect="agent_views"),
        Case("model rng=-1", "api", call=_model(rng=-1, **tiny), expect="rng"),
        Case("model rng=1.5", "api", call=_model(rng=1.5, **tiny), expect="rng"),
        Case("model too large for memory", "api", call=_model(**tiny),
             patches={"abm.scenario.available_memory": _available(1_000)}, expect="GB"),
        Case("run_scenario dict with bad type", "api", call=_runner({"base": "default", "months": True})),
    ]
    for name, value in THREAD_SETTINGS:
        out.append(Case(f"model {name}={value!r}", "api", call=_model(**tiny), patches=_env(name, value),
                        expect=name))
    return out


def corpus() -> list[Case]:
    """Every bad input, by class."""
    return _type_cases() + _file_cases() + _size_cases() + _path_cases() + _seed_cases() + _option_cases() + \
        _api_cases()


# --- the schema's parameters, and values that are right or wrong for them ---------------------------------------

@dataclass(frozen=True)
class Leaf:
    """One scalar parameter of the scenario schema."""

    key: str                  # dotted, e.g. "economy.tightness"
    kind: str                 # "int", "float", "bool", "choice" or "text"
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()


def schema_leaves() -> list[Leaf]:
    """Every scalar parameter of `Scenario` (tables walked; lists such as municipalities left out)."""
    import typing

    from pydantic import BaseModel

    from abm.scenario import Scenario

    out: list[Leaf] = []

    def walk(model, prefix: str) -> None:
        for name, f in model.model_fields.items():
            ann = f.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, f"{prefix}{name}.")
                continue
            lo = hi = None
            for meta in f.metadata:
                lo = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else lo
                hi = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else hi
            key = f"{prefix}{name}"
            if ann is bool:
                out.append(Leaf(key, "bool"))
            elif ann is int:
                out.append(Leaf(key, "int", lo, hi))
            elif ann is float:
                out.append(Leaf(key, "float", lo, hi))
            elif typing.get_origin(ann) is typing.Literal:
                out.append(Leaf(key, "choice", choices=typing.get_args(ann)))
            elif ann is str:
                out.append(Leaf(key, "text"))
    walk(Scenario, "")
    return out


def wrong_types(leaf: Leaf) -> list[Any]:
    """Values of the wrong type for `leaf`, each refused without coercion."""
    if leaf.kind == "bool":
        return [0, 1, "no", "off", "true", 1.0, [True]]
    if leaf.kind == "int":
        return [True, 12.5, "12", [12], float("inf"), {"n": 1}]
    if leaf.kind == "float":
        return [True, "1.2", [1.0], float("nan"), float("inf"), {"x": 1.0}]
    if leaf.kind == "choice":
        return [1, True, str(leaf.choices[0]).upper() + "x", [leaf.choices[0]]]
    return [5, True, [leaf.key], 1.5]


def out_of_range(leaf: Leaf) -> list[Any]:
    """Numbers just outside `leaf`'s range (none for unbounded parameters)."""
    out: list[Any] = []
    step = 1 if leaf.kind == "int" else 0.5
    if leaf.kind in ("int", "float"):
        if leaf.lo is not None:
            out.append(type(step)(leaf.lo) - step)
        if leaf.hi is not None:
            out.append(type(step)(leaf.hi) + step if leaf.kind == "int" else float(leaf.hi) * 2 + 1)
    return out


def misspelt(key: str, index: int = 0) -> str:
    """A near miss of the last part of `key` (a letter dropped, doubled or two swapped)."""
    *head, last = key.split(".")
    i = index % max(len(last) - 1, 1)
    variants = [last[:i] + last[i + 1:], last[:i] + last[i] + last[i:], last[:i] + last[i + 1:i + 2] + last[i] +
                last[i + 2:]]
    word = next((v for v in variants if v and v != last), last + "x")
    return ".".join([*head, word])


def nest(data: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """`data` with the dotted `key` set to `value` (tables created as needed)."""
    node = data
    parts = key.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return data


def deep(depth: int, as_table: bool = False) -> str:
    """TOML text of a value nested `depth` levels deep: lists, or inline tables (text, since writers recurse)."""
    return ("{a = " * depth + "1" + "}" * depth) if as_table else ("[" * depth + "1" + "]" * depth)


def with_text(data: dict[str, Any], key: str, text: str) -> str:
    """A TOML document of `data` (top-level scalars only) with the dotted `key` set to the TOML text `text`."""
    *table, last = key.split(".")
    head = toml_document(data)
    return head + (f"[{'.'.join(table)}]\n" if table else "") + f"{last} = {text}\n"


def toml_document(data: dict[str, Any]) -> str:
    import tomli_w
    return tomli_w.dumps(data)


def toml_value(value: Any) -> str:
    """`value` as TOML text for `--set KEY=TEXT` (scalars and lists)."""
    import tomli_w
    return tomli_w.dumps({"v": value})[len("v = "):].rstrip("\n")


BROKEN_ENCODINGS: dict[str, Callable[[bytes], bytes]] = {
    "utf-16": lambda raw: raw.decode("utf-8").encode("utf-16"),
    "utf-16 without BOM": lambda raw: raw.decode("utf-8").encode("utf-16-le"),
    "NUL byte": lambda raw: raw[: len(raw) // 2] + b"\x00" + raw[len(raw) // 2:],
    "latin-1 byte": lambda raw: raw + b'description = "caf\xe9"\n',
    "truncated UTF-8": lambda raw: raw + 'name = "\u20ac"\n'.encode("utf-8")[:-3] + b'"\n',
    "binary tail": lambda raw: raw + bytes(range(256)),
}


def mutation_cases(n: int, seed: int = 0) -> list[Case]:
    """`n` bad inputs made by mutating a tiny valid scenario at random (seeded): a wrong type, a value out of
    range, an unknown or misspelt key, a broken encoding or deep nesting, in a file, a --set or the API."""
    import random

    rng = random.Random(seed)
    leaves = [leaf for leaf in schema_leaves() if leaf.key not in ("base",)]
    out = []
    for i in range(n):
        leaf = rng.choice(leaves)
        how = rng.choice(["wrong type", "out of range", "unknown key", "misspelt key", "encoding", "deep nesting"])
        base = {"base": "default", "months": 1, "scale": 50.0}
        key, value, raw, raw_value = leaf.key, None, None, None
        if how == "wrong type":
            value = rng.choice(wrong_types(leaf))
        elif how == "out of range" and out_of_range(leaf):
            value = rng.choice(out_of_range(leaf))
        elif how == "unknown key":
            key, value = f"{leaf.key}_x{i}", 1
        elif how == "deep nesting":
            raw_value = deep(rng.randint(40, 3000), as_table=rng.random() < 0.5)
        elif how == "encoding":
            label = rng.choice(sorted(BROKEN_ENCODINGS))
            raw = BROKEN_ENCODINGS[label](toml_document(base).encode("utf-8"))
            how, key = f"encoding ({label})", "the file"
        else:
            how, key, value = "misspelt key", misspelt(leaf.key, i), 1
        kind = {"wrong type": "types", "out of range": "types", "deep nesting": "files"}.get(how, "keys")
        kind = "files" if how.startswith("encoding") else kind
        name = f"mutation {i}: {how} {key}"
        if raw is not None:
            out.append(Case(name, kind, ("run", "--scenario", "s.toml"), files={"s.toml": raw}))
            continue
        if raw_value is not None:
            where = rng.choice(["file", "set"])
            out.append(Case(f"{name} ({where})", kind, ("run", "--scenario", "s.toml") if where == "file" else
                            ("run", *TINY_ARGS, "--set", f"{key}={raw_value}"),
                            files={"s.toml": with_text(base, key, raw_value)} if where == "file" else {}))
            continue
        where = rng.choice(["file", "set", "api"] if not isinstance(value, dict) else ["file", "api"])
        if where == "file":
            doc = toml_document(nest(base, key, value))
            out.append(Case(f"{name} (file)", kind, ("run", "--scenario", "s.toml"), files={"s.toml": doc}))
        elif where == "set":
            out.append(Case(f"{name} (--set)", kind, ("run", *TINY_ARGS, "--set", f"{key}={toml_value(value)}")))
        else:
            out.append(Case(f"{name} (API)", kind, call=_model(**{"months": 1, "scale": 50.0, key: value})))
    return out


# --- Ctrl-C: real processes ---------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
INTERRUPTED = "interrupted: nothing was written"
# `plm` as the console script starts it; the commands take well over the wait before Ctrl-C
ENTRY = ["-c", "import sys, experiments; sys.exit(experiments.main())"]
CTRL_C_COMMANDS = {
    "run": ["run", "--months", "1200", "--out", "out"],
    "run-assumptions": ["run", "--scenario", "parallel-market", "--assumptions", "--seeds", "3"],
    "report": ["report", "--seeds", "3", "--out", "r.md"],
    "validate": ["validate", "--seeds", "10"],
    "calibrate": ["calibrate", "--seeds", "2", "--max-evals", "40", "--out", "c.toml"],
    "bench": ["bench", "--seekers", "200000", "--months", "600"],
}


def ctrl_c_as_in_a_terminal() -> None:
    """`preexec_fn` for a child that a test will Ctrl-C: SIGINT at its default, as for a terminal's foreground
    process. A child inherits an ignored SIGINT (a non-interactive shell ignores it in `cmd &` jobs, so a
    test run started that way would pass it on), and Python then raises no KeyboardInterrupt until `plm`
    sets its own handler, so a press while the libraries load would be lost."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt(args: list[str], folder: Path, wait: float, presses: int = 1) -> tuple[int | None, str]:
    """Start `plm ARGS` in `folder`, press Ctrl-C `presses` times after `wait` seconds; (exit code, stderr)."""
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, *ENTRY, *args], cwd=folder, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=ctrl_c_as_in_a_terminal)
    time.sleep(wait)
    if proc.poll() is not None:
        _, err = proc.communicate()
        return None, f"ended before it was interrupted: {err}"
    for _ in range(presses):
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        return None, f"still running 120 s after Ctrl-C: {err}"
    return proc.returncode, err


def run_interrupt_case(command: str, folder: Path, wait: float = 8.0, presses: int = 1) -> Outcome:
    """Ctrl-C during `plm COMMAND` (CTRL_C_COMMANDS): exit 130, one line, nothing written or changed."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "r.md").write_text("the previous report\n")
    before = tree(folder)
    case = Case(f"Ctrl-C {command} ({presses}x after {wait:g} s)", "ctrl-c", tuple(CTRL_C_COMMANDS[command]))
    code, err = interrupt(CTRL_C_COMMANDS[command], folder, wait, presses)
    if code != 130:
        return Outcome(case, False, f"exit code {code}, not 130 ({_first(err)})", code, err)
    if lines(err) != [INTERRUPTED]:
        return Outcome(case, False, f"stderr is not the one line: {err[-200:]!r}", code, err)
    if tree(folder) != before or (folder / "r.md").read_text() != "the previous report\n":
        return Outcome(case, False, f"wrote {sorted(tree(folder) ^ before)[:3]}", code, err)
    return Outcome(case, True, INTERRUPTED, code, err)
