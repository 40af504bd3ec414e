"""Loading a design: from a TOML file, a shipped design name (`experiments/designs/*.toml`), a dict or a
`Design`; a validation error becomes one line naming the key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from abm.scenario import allowed_values as _allowed
from experiments.design.check import check_design
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


def load_design(spec: str | Path | dict | Design, *, check: bool = True, allow_code: bool = False) -> Design:
    """A validated design from a TOML path, a shipped design name (`smoke`), a dict or a Design.

    With `check` (the default) the parameters are also checked against the base scenario's schema; a bad
    design raises `DesignError` with one line. A `function` outside the project's packages is refused unless
    `allow_code` (`plm sweep --allow-code`)."""
    if isinstance(spec, Design):
        design = spec
    else:
        text, origin, base_dir = None, "design", None
        if isinstance(spec, dict):
            data = spec
        else:
            s = str(spec)
            path = Path(s)
            if not path.is_file() and not s.endswith(".toml") and s in shipped_designs():
                path = shipped_design_path(s)
            if not path.is_file():
                hint = difflib.get_close_matches(s, shipped_designs(), n=1)
                hint_text = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise DesignError(f"design = {s!r}: no such file or shipped design{hint_text}; allowed: a TOML file "
                                  f"path or one of {', '.join(shipped_designs())}")
            text = path.read_text(encoding="utf-8")
            origin, base_dir = str(path), path.resolve().parent
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise DesignError(f"{origin}: not valid TOML: {exc}") from None
        try:
            design = Design.model_validate(data)
        except ValidationError as exc:
            raise DesignError(f"{origin}: {format_design_error(exc)}") from None
        design._origin, design._base_dir, design._text = origin, base_dir, text
    if check and not design._checked:
        check_design(design, allow_code=allow_code)
    return design
