"""Parameter declarations shared by every mechanism.

A mechanism declares the parameters it reads in one pydantic model next to its rule (the Starsim habit of
"a module declares its parameters with defaults in one place"). Each parameter carries a unit, an allowed
range, a default and, where the evidence gives one, a source (docs/evidence.md); `param()` keeps that metadata in
the JSON schema so the CLI, the docs and the app can show it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

ASSUMPTION = "assumption (not observed; to be calibrated or varied in sweeps)"


class Section(BaseModel):
    """A strict block of parameters: unknown keys and wrong types are refused, defaults are validated."""

    model_config = ConfigDict(extra="forbid", validate_default=True, validate_assignment=True,
                              frozen=False, strict=False)


def param(default: Any, lo: float | None = None, hi: float | None = None, *, unit: str = "",
          doc: str = "", source: str = ASSUMPTION) -> Any:
    """A documented, range-checked parameter (unit, allowed range and source kept in the schema).

    Values are checked strictly, without coercion: `true` is not a number, `0` or "no" is not a boolean,
    12.5 or [12] is not a whole number and "1.2" is not a number (a whole number is accepted for a number);
    nan and inf are not numbers either."""
    extra = {"unit": unit, "source": source}
    strict = isinstance(default, (bool, int, float, list))  # choices (Literal) are exact matches anyway
    number = isinstance(default, (int, float)) and not isinstance(default, bool)
    return Field(default, ge=lo, le=hi, strict=strict or None, description=doc, json_schema_extra=extra,
                 **({"allow_inf_nan": False} if number else {}))


def describe(section: type[BaseModel]) -> list[dict[str, Any]]:
    """Rows (name, default, unit, range, source, description) for docs and tooltips."""
    rows = []
    for name, field in section.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        lo = hi = None
        for meta in field.metadata:
            lo = getattr(meta, "ge", lo)
            hi = getattr(meta, "le", hi)
        rows.append({"name": name, "default": field.default, "unit": extra.get("unit", ""),
                     "min": lo, "max": hi, "source": extra.get("source", ""),
                     "description": field.description or ""})
    return rows
