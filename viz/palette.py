"""Colours: the Okabe–Ito palette, distinguishable with the common forms of colour blindness, and the
cividis scale for values on a map. Lines also differ by dash (baseline dashed), so no message relies on colour
alone. Sizes are chosen for a projector at the back of a room."""

from __future__ import annotations

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#8C8C8C",
}
O = OKABE_ITO  # noqa: E741  (short on purpose: the colour tables below read O["blue"])

STATE_COLOURS = {
    "unemployed": O["vermillion"],
    "regular": O["blue"],
    "parallel": O["sky"],
    "basisbaan": O["green"],
    "participation": O["yellow"],
    "inactive": O["grey"],
    "entry": "#BBBBBB",
    "exit": "#444444",
}

VARIANT = O["blue"]
BASELINE = "#555555"
DIFFERENCE = O["purple"]
SECOND = O["orange"]        # a second line in the same chart (e.g. the inclusion gap)

SERIES = [O["blue"], O["orange"], O["green"], O["vermillion"], O["purple"], O["sky"], O["yellow"], O["black"],
          O["grey"]]

SPEND_COLOURS = {
    "spend_benefits": O["vermillion"], "spend_subsidies": O["orange"], "spend_coaching": O["purple"],
    "spend_participation": O["yellow"], "spend_parallel": O["sky"], "spend_basisbaan_wages": O["green"],
    "spend_basisbaan_guidance": O["blue"], "spend_basisbaan_project": O["grey"],
}
PARTY_COLOURS = {
    "municipality": O["vermillion"], "treasury": O["blue"], "employers": O["orange"], "insurers": O["purple"],
    "housing": O["yellow"], "neighbourhood": O["green"], "participants": O["sky"],
}

SEQUENTIAL = "Cividis"      # plotly name; matplotlib "cividis"

FONT_SIZE = 16              # chart text, readable on a projector
TITLE_SIZE = 19
LINE_WIDTH = 3.5


def party_colour(name: str, i: int = 0) -> str:
    return PARTY_COLOURS.get(name, SERIES[i % len(SERIES)])


def with_alpha(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[k:k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
