"""Loading a design: from a TOML file, a shipped design name (`experiments/designs/*.toml`), a dict or a
`Design`; a validation error becomes one line naming the key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from abm.scenario import allowed_values as _allowed
from experiments.design.check import check_design
from experiments.design.overrides import apply_overrides, describe
from experiments.design.schema import DESIGN_PACKAGE, Design, DesignError, ParamSpec


def shipped_designs() -> list[str]:
    files = resources.files(DESIGN_PACKAGE).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".toml"))


def shipped_design_path(name: str) -> Path:
    return Path(str(resources.files(DESIGN_PACKAGE).joinpath(f"{name}.toml")))


def _loc_path(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _fields_at(loc: tuple) -> dict | None:
    model: Any = Design
    for part in loc[:-1]:
        if model is Design and part == "parameters":
            model = "params"
            continue
        if model == "params":
            model = ParamSpec
            continue
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return None
        model = fields[part].annotation
    return getattr(model, "model_fields", None)


def _unknown_key(path: str, key: str, allowed) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key {path!r}; {hint}allowed keys here: {', '.join(sorted(allowed))}"


def format_design_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    # pydantic names the branch of a union (seeds: int | list[int]); drop it
    loc = tuple(p for p in loc if p not in ("int", "list[int]"))
    path = _loc_path(loc)
    if err["type"] == "extra_forbidden":
        return _unknown_key(path, str(loc[-1]), _fields_at(loc) or {})
    if err["type"] == "missing":
        return f"{path}: required"
    if err["type"] == "value_error":
        msg = str((err.get("ctx") or {}).get("error", err["msg"]))
        return msg if msg.startswith(path) else f"{path}: {msg}"
    return f"{path} = {err.get('input')!r}: {_allowed(err)}"


def load_design(spec: str | Path | dict | Design, *, check: bool = True, allow_code: bool = False,
                overrides: dict[str, Any] | None = None) -> Design:
    """A validated design from a TOML path, a shipped design name (`smoke`), a sweep folder (the design it ran,
    to resume it), a dict or a Design.

    With `check` (the default) the parameters are also checked against the base scenario's schema; a bad
    design raises `DesignError` with one line. A `function` outside the project's packages is refused unless
    `allow_code` (`plm sweep --allow-code`). `overrides` (`experiments.design.overrides`: months, seeds, samples,
    set) change the design's data before it is validated, so they are checked as the file's values are."""
    if isinstance(spec, Design) and not overrides:
        design = spec
    else:
        if isinstance(spec, Design):
            data = spec.model_dump(mode="json", exclude_none=True)
            origin, base_dir, text, folder = spec._origin, spec._base_dir, spec._text, spec._folder
            overrides = {**spec._overrides, **overrides,
                         "set": {**spec._overrides.get("set", {}), **overrides.get("set", {})}}
            if not overrides["set"]:
                del overrides["set"]
        else:
            data, origin, base_dir, text, folder = read_design(spec)
        if overrides:
            data = apply_overrides(data, overrides, origin)
        try:
            design = Design.model_validate(data)
        except ValidationError as exc:
            given = f" (with {describe(overrides)})" if overrides else ""
            raise DesignError(f"{origin}{given}: {format_design_error(exc)}") from None
        design._origin, design._base_dir, design._text, design._folder = origin, base_dir, text, folder
        design._overrides = dict(overrides or {})
    if check and not design._checked:
        try:
            check_design(design, allow_code=allow_code)
        except DesignError as exc:
            text, head = str(exc), f"{design.origin}:"
            if design.overrides and text.startswith(head):  # say that the command line set it
                raise DesignError(f"{design.origin} (with {describe(design.overrides)}){text[len(design.origin):]}") \
                    from None
            raise
    return design


def read_design(spec: str | Path | dict) -> tuple[dict[str, Any], str, Path | None, str | None, Path | None]:
    """(data, origin, base folder, text as given, sweep folder) of a design file, shipped name, sweep folder or
    dict; refuses (one line) what is none of these."""
    if isinstance(spec, dict):
        return spec, "design", None, None, None
    s = str(spec)
    path = Path(s)
    if path.is_dir():
        return _folder_design(path)
    if not path.is_file() and not s.endswith(".toml") and s in shipped_designs():
        path = shipped_design_path(s)
    if not path.is_file():
        hint = difflib.get_close_matches(s, shipped_designs(), n=1)
        hint_text = f" (did you mean {hint[0]!r}?)" if hint else ""
        raise DesignError(f"design = {s!r}: no such file or shipped design{hint_text}; allowed: a TOML file "
                          f"path, a sweep folder or one of {', '.join(shipped_designs())}")
    text = path.read_text(encoding="utf-8")
    origin = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DesignError(f"{origin}: not valid TOML: {exc}") from None
    return data, origin, path.resolve().parent, text, None


def _folder_design(folder: Path) -> tuple[dict[str, Any], str, Path | None, str | None, Path]:
    """The design a sweep folder ran (its manifest's design as checked, with the overrides it ran with), so
    `plm sweep FOLDER` resumes it; a folder that is not a sweep is refused."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("kind") != "plm sweep" or \
            not isinstance(manifest.get("design"), dict):
        raise DesignError(f"design = {str(folder)!r}: a folder but not a sweep folder (no manifest.json of plm "
                          "sweep); allowed: a design TOML file, a shipped design name, or the folder of a sweep "
                          "to resume it")
    base_dir = manifest.get("design_dir") or str(Path(manifest.get("design_file") or ".").parent)
    text_path = folder / "design.toml"
    text = text_path.read_text(encoding="utf-8") if text_path.is_file() else None
    return manifest["design"], str(folder), Path(base_dir), text, folder
