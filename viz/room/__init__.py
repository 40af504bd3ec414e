"""The workshop room (issue 11 §1): `state` holds the rules and the rooms (no UI), `pages` draws them at /room."""

# The main app's button that opens the room's lobby (viz/components.py TopBar), in each language of viz.i18n.
ROOM_BUTTON = {"en": "Workshop room", "nl": "Workshop"}
