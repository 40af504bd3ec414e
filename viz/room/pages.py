"""The workshop room's pages (issue 11 §1): lobby, facilitator, participant (a 390×844 phone), projector, debrief.

Everything the pages show comes from `viz.room.state.Room`; the pages only draw and pass clicks on. One route,
`/room`, with the page chosen by the query string, so a reload returns to the same page and role:

- `/room` — the lobby: join with a code and a name, or open a room;
- `/room?code=CODE&f=TOKEN` — the facilitator (the token is the room's facilitator key);
- `/room?code=CODE&p=TOKEN` — a participant (their token gives their role back after a reload);
- `/room?code=CODE&view=projector` and `&view=debrief` — the projector and the debrief.

Each page waits on its room (`use_room`, `Room.wait_change`) and redraws as soon as the room's version moves (and
every half second, for the round timer and to notice a closed page); the facilitator's page also runs the round
timer (`Room.tick`).
"""

from __future__ import annotations

import html
from typing import Any, get_args
from urllib.parse import parse_qs, quote

import solara

from viz import charts as C
from viz import i18n as I
from viz import liveness
from viz import palette as P
from viz.components import CAPTION, PlotlyChart
from viz.room.state import LANGS, PERIODS, ROOMS, SEEKER_CHOICES, SEEKER_LEVER, Room, RoomError
from viz.room.text import t as T

ROUTE = "room"

CSS = """
.room { font-family: Arial, Helvetica, sans-serif; padding: 10px 16px; }
.room-phone { max-width: 390px; margin: 0 auto; padding: 8px 10px; font-size: 16px; }
.room-phone .v-btn { width: 100%; min-height: 44px; margin: 3px 0; }
.room-header { background: #0b3d60; color: white; padding: 6px 12px; border-radius: 6px; margin-bottom: 8px; }
.room-header b { color: white; }
.room-code { font-size: 44px; font-weight: 700; letter-spacing: 6px; color: #0b3d60; }
.room-phone .room-code { font-size: 22px; letter-spacing: 2px; }
.room-big { font-size: 22px; font-weight: 700; }
.room-ok { color: #006d4e; font-weight: 700; }
.room-wait { color: #8a2c00; font-weight: 700; }
.room-error { background: #fdecea; border-left: 6px solid #D55E00; padding: 6px 10px; margin: 6px 0; }
.room-table { border-collapse: collapse; font-size: 15px; margin: 6px 0; align-self: flex-start; }
.room-table td, .room-table th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; }
.room-table th { background: #eef2f5; }
.room-projector .room-table { font-size: 20px; }
.room-qr svg { width: 220px; height: 220px; }
.room-lever { margin: 2px 0; }
.room-help { font-size: 13px; color: #444; }
"""

def lever_label(key: str, lang: str) -> str:
    return T(key, lang)


def role_label(room: Room, role_id: str, lang: str) -> str:
    """A role's name in `lang` (municipalities keep their names)."""
    role = room.roles[role_id]
    if role.kind == "employers":
        return T("role_employers", lang, n=role.sector.removeprefix("sector"))
    if role.kind == "seeker":
        return T("role_seeker", lang, n=role_id.split(":")[1])
    return role.label


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def eur(x: float) -> str:
    return f"EUR {x / 1e6:,.1f} M"


def signed(text: str, x: float) -> str:
    """A difference with its sign; one that rounds to zero shows as 0 (never "-0.0%")."""
    if text.lstrip("-+").strip("0.%") == "":
        return text.lstrip("-")
    return ("+" if x > 0 else "") + text


def table(header: list[str], rows: list[list[Any]], cls: str = "") -> None:
    """A plain HTML table (text, so a screen reader and a projector both read it)."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    solara.HTML(tag="table", unsafe_innerHTML=f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>",
                classes=["room-table", *([cls] if cls else [])])


def use_room(room: Room, facilitator: bool = False) -> tuple[int, int]:
    """Redraw when the room changes (and each second while a round timer runs); the facilitator's page also
    advances a round whose timer ran out. Only a page that is still connected keeps its room alive (a closed tab's
    kernel lingers until solara culls it, but the room goes idle and is freed after `IDLE_SECONDS`); the loop ends
    when the room closes or the page's kernel does. When the page goes (its kernel closed or culled) the memory its
    widgets held is collected and given back to the system (`viz.liveness.release`)."""
    state, set_state = solara.use_state((room.version, -1))
    solara.use_effect(lambda: liveness.release, [])
    page = _kernel()

    def poll(cancel):
        seen = room.version
        while not cancel.is_set() and not room.closed:
            room.wait_change(seen, 0.5)     # at once when the room changes, else every half second
            seen = room.version
            if cancel.is_set() or room.closed:
                break
            if page is not None and page.closed_event.is_set():
                return
            if _connected(page):
                room.touch()
            if facilitator and not room.closed:
                try:
                    room.tick()
                except RoomError:
                    pass
            left = room.seconds_left()
            set_state((room.version, -1 if left is None else int(left)))
        set_state((room.version, -1))   # closed: one last redraw

    solara.use_thread(poll, dependencies=[room.code, facilitator], intrusive_cancel=False)
    return state


def _kernel():
    """This page's solara kernel context (None outside solara's server, e.g. in a unit test)."""
    from solara.server import kernel_context
    return kernel_context.get_current_context() if kernel_context.has_current_context() else None


def _connected(page) -> bool:
    """Whether a browser page of this kernel is connected now."""
    if page is None:
        return True
    from solara.server.kernel_context import PageStatus
    return any(status == PageStatus.CONNECTED for status in list(page.page_status.values()))


def query() -> dict[str, str]:
    router = solara.use_router()
    return {k: v[0] for k, v in parse_qs(router.search or "").items()}


def base_url() -> str:
    """This server's address as the browser reached it (for the QR code and the links)."""
    headers = solara.lab.headers.value or {}
    host = (headers.get("host") or ["127.0.0.1:8765"])[0]
    return f"http://{host}"


@solara.component
def RoomPage():
    q = query()
    router = solara.use_router()
    solara.Title("plm room")
    with solara.Column(gap="0px", classes=["room-page"]):
        solara.Style(CSS)
        RoomView(q, router)


def RoomView(q: dict[str, str], router) -> None:
    """The page the query string asks for (module docstring)."""
    code = q.get("code", "")
    if not code:
        Lobby(router, q.get("lang", "en") if q.get("lang") in LANGS else "en")
        return
    room = ROOMS.get(code)
    if room is None:
        with solara.Column(classes=["room", "room-phone"]):
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(T("not_open", "en", code=code)),
                        classes=["room-error", "room-missing"])
            solara.Button(T("back_lobby", "en"), on_click=lambda: router.push(f"/{ROUTE}"))
    elif "f" in q:
        if q["f"] != room.facilitator_token:
            solara.HTML(tag="div", unsafe_innerHTML=T("bad_link", room.lang),
                        classes=["room-error"])
        else:
            Facilitator(room)
    elif "p" in q:
        ParticipantPage(room, q["p"])
    elif q.get("view") == "debrief":
        Debrief(room)
    else:
        Projector(room)


@solara.component
def Lobby(router, lang: str = "en"):
    code, set_code = solara.use_state("")
    name, set_name = solara.use_state("")
    error, set_error = solara.use_state("")

    def join():
        room = ROOMS.get(code)
        if room is None:
            set_error(T("no_room", lang, code=code))
            return
        try:
            token = room.join(name)
        except RoomError as exc:
            set_error(str(exc))
            return
        router.push(f"/{ROUTE}?code={room.code}&p={token}")

    def open_room():
        from viz.app import session_defaults  # the server's preset, seed and scale (`plm app` options)
        preset, seed, overrides, _ = session_defaults()
        try:
            room = ROOMS.open(preset, seed, overrides)   # the room's idle sweeper starts with the first room
            room.set_lang(lang)
        except (RoomError, ValueError) as exc:
            set_error(str(exc))
            return
        router.push(f"/{ROUTE}?code={room.code}&f={room.facilitator_token}")

    with solara.Column(classes=["room", "room-phone", "room-lobby"]):
        solara.HTML(tag="div", unsafe_innerHTML=f"<b>{T('lobby_title', lang)}</b>", classes=["room-header"])
        LangSwitch(lang, lambda c: router.push(f"/{ROUTE}?lang={c}"))
        solara.InputText(T("room_code", lang), value=code, on_value=set_code, continuous_update=True,
                         classes=["room-join-code"])
        solara.InputText(T("your_name", lang), value=name, on_value=set_name, continuous_update=True,
                         classes=["room-join-name"])
        solara.Button(T("join", lang), color="primary", on_click=join, classes=["room-join"])
        if error:
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(error), classes=["room-error"])
        solara.HTML(tag="hr")
        solara.Text(T("facilitator", lang), classes=["room-help"])
        solara.Button(T("open_room", lang), outlined=True, on_click=open_room, classes=["room-open"])


def LangSwitch(lang: str, on_lang) -> None:
    """EN / NL buttons (the app's languages)."""
    with solara.Row(gap="4px", style={"align-items": "center"}):
        solara.Text(T("language", lang), classes=["room-help"])
        for code in LANGS:
            solara.Button(code.upper(), small=True, depressed=code == lang, outlined=code != lang,
                          on_click=lambda c=code: on_lang(c), classes=[f"room-lang-{code}"],
                          style={"width": "auto", "min-width": "48px", "min-height": "28px"})


# --- levers ---------------------------------------------------------------------------------------------

@solara.component
def LeverForm(room: Room, role_id: str, by: str, version: Any = None):
    """A role's levers, prefilled with this round's decision or the policy in effect; Decide sends them.
    Numbers are shown and typed in the room's language (`viz.i18n.fmt_number` / `parse_number`: 0,25 in Dutch);
    a number that does not read is refused in one line and nothing is sent. `version` (the room's) makes the form
    redraw when the room changes."""
    role, lang = room.roles[role_id], room.lang
    pending = room.pending.get(role_id)
    start = pending.values if pending else room.policy_now(role_id)
    values, set_values = solara.use_state(dict(start), key=f"{role_id}-{room.round}")
    numeric = [k for k in role.levers if role.field(k).annotation in (int, float)]
    texts, set_texts = solara.use_state({k: I.fmt_number(start[k], lang) for k in numeric},
                                        key=f"{role_id}-{room.round}-{lang}")
    error, set_error = solara.use_state("")

    def setter(key):
        return lambda v: set_values({**values, key: v})

    for key in role.levers:
        field = role.field(key)
        label = lever_label(key, lang)
        cls = ["room-lever", f"room-lever-{key}"]
        if field.annotation is bool:
            solara.Switch(label=label, value=bool(values[key]), on_value=setter(key), classes=cls)
        elif get_args(field.annotation):
            solara.Select(label=label, values=list(get_args(field.annotation)), value=values[key],
                          on_value=setter(key), classes=cls)
        else:
            solara.InputText(label=label, value=texts[key], continuous_update=True, classes=cls,
                             on_value=lambda v, k=key: set_texts({**texts, k: v}))

    def read_numbers() -> dict[str, Any]:
        """The typed numbers in the room's language; ValueError (one line: lever, text, what is allowed)."""
        out = {}
        for key in numeric:
            try:
                x = I.parse_number(texts[key], lang)
            except ValueError as exc:
                raise ValueError(f"{lever_label(key, lang)} = {exc}") from None
            if role.field(key).annotation is int:
                if not x.is_integer():
                    raise ValueError(f"{lever_label(key, lang)} = {texts[key]!r}: allowed: a whole number")
                x = int(x)
            out[key] = x
        return out

    def decide():
        try:
            room.decide(role_id, {**values, **read_numbers()}, by)
            set_error("")
        except (RoomError, ValueError) as exc:
            set_error(str(exc))

    solara.Button(T("decide" if not pending else "change_decision", lang), color="primary", on_click=decide,
                  classes=["room-decide"])
    if error:
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(error), classes=["room-error", "room-decide-error"])
    if pending:
        changed = (", ".join(f"{lever_label(k, lang)} → {I.fmt_value(v, lang)}" for k, v in pending.changed.items())
                   or T("no_change", lang))
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(T("decided", lang, by=", ".join(pending.by),
                                                               changed=changed, month=pending.month)),
                    classes=["room-ok", "room-decided"])


@solara.component
def SeekerChoice(room: Room, role_id: str, by: str, version: Any = None):
    """A job-seeker role's decision for this round: how its person answers the round's offers of a job or a
    basisbaan place (accept, refuse, or the model's rule); one press decides."""
    lang = room.lang
    pending = room.pending.get(role_id)
    solara.Text(T("offers_question", lang), classes=["room-help"])
    for choice in SEEKER_CHOICES:
        solara.Button(T(f"offers_{choice}", lang), outlined=not (pending and pending.values[SEEKER_LEVER] == choice),
                      color="primary", on_click=lambda c=choice: room.decide(role_id, {SEEKER_LEVER: c}, by),
                      classes=["room-decide", f"room-offers-{choice}"])
    if pending:
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(T(
            "offers_decided", lang, by=", ".join(pending.by), choice=T(f"offers_{pending.values[SEEKER_LEVER]}", lang),
            month=pending.month)), classes=["room-ok", "room-decided"])


def DecisionForm(room: Room, role_id: str, by: str, version: Any = None):
    """The decision form of a role: a job seeker's choice, or a role's policy levers."""
    if room.roles[role_id].kind == "seeker":
        return SeekerChoice(room, role_id, by, version)
    return LeverForm(room, role_id, by, version)


def Closed(room: Room) -> bool:
    """Draw the closed notice if the room is closed (its models are gone); True if it was."""
    if room.closed:
        solara.HTML(tag="div", unsafe_innerHTML=T("closed", room.lang, code=room.code),
                    classes=["room-error", "room-closed"])
    return room.closed


# --- participant ----------------------------------------------------------------------------------------

@solara.component
def ParticipantPage(room: Room, token: str):
    version = use_room(room)
    try:
        me = room.participant(token)
    except RoomError as exc:
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(str(exc)), classes=["room-error", "room-phone"])
        return
    if Closed(room):
        return
    status, lang = room.status(), room.lang
    with solara.Column(classes=["room", "room-phone", "room-participant"], gap="6px"):
        solara.HTML(tag="div", unsafe_innerHTML=T("header", lang, code=room.code, name=html.escape(me.name),
                                                  round=status["round"], month=status["month"],
                                                  months=status["months"]), classes=["room-header"])
        if me.role is None:
            solara.Text(T("choose_role", lang), classes=["room-big"])
            for rid in room.roles:
                held = ", ".join(p.name for p in room.holders(rid))
                solara.Button(role_label(room, rid, lang) + (f" ({held})" if held else ""), outlined=True,
                              on_click=lambda rid=rid: room.choose_role(token, rid),
                              classes=["room-choose", f"room-choose-{rid.replace(':', '-')}"])
            return
        role = room.roles[me.role]
        solara.HTML(tag="div", unsafe_innerHTML=T("your_role", lang, role=html.escape(role_label(room, me.role, lang))),
                    classes=["room-big"])
        if status["finished"]:
            solara.Text(T("run_over", lang), classes=["room-ok"])
        if role.kind == "seeker":
            SeekerCard(room, me.role, version)
            if not status["finished"]:
                SeekerChoice(room, me.role, me.name, version)
        else:
            MyFigures(room, me.role, version)
            if not status["finished"]:
                LeverForm(room, me.role, me.name, version)
        left = status["seconds_left"]
        decided = sum(r["decided"] for r in status["roles"] if r["holders"] and r["decides"])
        deciding = sum(1 for r in status["roles"] if r["holders"] and r["decides"])
        solara.Text(T("progress", lang, decided=decided, deciding=deciding)
                    + (T("seconds_left", lang, s=int(left)) if left else ""), classes=["room-help", "room-progress"])
        solara.Button(T("change_role", lang), text=True, on_click=lambda: room.choose_role(token, None),
                      classes=["room-change-role"])


@solara.component
def MyFigures(room: Room, role_id: str, version: Any = None):
    role, lang = room.roles[role_id], room.lang
    last = room.history[-1]
    names = [role.municipality] if role.municipality != "all" else room.model.municipality_names
    rows = []
    for now, base in zip(last.municipalities, last.baseline):
        if now["municipality"] in names:
            rows.append([now["municipality"], pct(now["inclusion"]), signed(pct(now["inclusion"] - base["inclusion"]),
                         now["inclusion"] - base["inclusion"]), eur(now["net_cost"])])
    period = T("start", lang) if last.round == 0 else T("months_span", lang, a=last.start + 1, b=last.end)
    solara.Text(T("after_round", lang, round=last.round, period=period), classes=["room-help"])
    table(["", T("h_inclusion", lang), T("h_vs", lang), T("h_spend_round", lang)], rows, "room-mine")
    if role.kind == "municipality":
        b = room.budget(role.municipality)
        solara.Text(T("budget", lang, left=eur(b["left"]), deficit=eur(b["deficit"])),
                    classes=["room-help", "room-budget"])


@solara.component
def SeekerCard(room: Room, role_id: str, version: Any = None):
    person, lang = room.person(role_id), room.lang
    if not person["present"]:
        solara.Text(T("left_market", lang, pid=person["person_id"]))
        return
    solara.HTML(tag="div", unsafe_innerHTML=T(
        "follow", lang, pid=person["person_id"], municipality=html.escape(person["municipality"]),
        age=f"{person['age']:.0f}", state=I.state(person["state"], lang), benefit=I.benefit(person["benefit"], lang)))
    if person["gains"]:
        solara.Text(T("gains_intro", lang), classes=["room-help"])
        table([T("h_hours", lang), T("h_a_month", lang)],
              [[h, signed(f"EUR {g:,.0f}", g)] for h, g in person["gains"].items()], "room-gains")
        solara.Text(T("gains_after", lang), classes=["room-help"])
    if person["moves"]:
        table([T("h_month", lang), T("h_from", lang), T("h_to", lang), T("h_why", lang)],
              [[m["month"], I.state(m["from_state"], lang), I.state(m["to_state"], lang), I.reason(m["reason"], lang)]
               for m in person["moves"]])
    else:
        solara.Text(T("no_moves", lang), classes=["room-help"])
    solara.Text(T("seeker_note", lang), classes=["room-help"])


# --- facilitator ------------------------------------------------------------------------------------------

def qr_svg(url: str) -> str:
    import segno
    return segno.make(url, error="m").svg_inline(scale=5, border=2)


@solara.component
def Facilitator(room: Room):
    version = use_room(room, facilitator=True)
    router = solara.use_router()
    error, set_error = solara.use_state("")
    take, set_take = solara.use_state(None)
    if Closed(room):
        return
    status, lang = room.status(), room.lang
    join_url = f"{base_url()}/{ROUTE}"

    def act(fn):
        def run():
            try:
                fn()
                set_error("")
            except RoomError as exc:
                set_error(str(exc))
        return run

    def close():
        ROOMS.close(room.code)
        router.push(f"/{ROUTE}")

    with solara.Column(classes=["room", "room-facilitator"]):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            with solara.Column(gap="2px"):
                solara.Text(T("join_at", lang, url=join_url), classes=["room-big"])
                solara.Text(room.code, classes=["room-code"])
                solara.Text(T("fac_status", lang, round=status["round"], month=status["month"],
                              months=status["months"], n=status["participants"]),
                            classes=["room-big", "room-fac-status"])
            solara.HTML(tag="div", unsafe_innerHTML=qr_svg(f"{join_url}?code={room.code}"), classes=["room-qr"])
            LangSwitch(lang, lambda c: act(lambda: room.set_lang(c))())
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.Select(T("months_per_round", lang), values=list(PERIODS), value=room.period,
                          on_value=lambda v: act(lambda: room.set_period(int(v)))(), classes=["room-period"],
                          style={"max-width": "170px"})
            ready = room.all_decided()
            solara.Button(T("next_round", lang) + ("" if ready else T("not_everyone", lang)), color="primary",
                          disabled=status["finished"], on_click=act(room.advance), classes=["room-next"])
            solara.Button(T("timer", lang), outlined=True, on_click=act(lambda: room.start_timer(60)),
                          classes=["room-timer"])
            if status["seconds_left"] is not None:
                solara.Text(T("seconds_left", lang, s=int(status["seconds_left"])).strip(" ·"), classes=["room-wait"])
            solara.Button(T("projector", lang), outlined=True, href=f"/{ROUTE}?code={room.code}&view=projector",
                          target="_blank", classes=["room-projector-link"])
            solara.Button(T("debrief", lang), outlined=True, href=f"/{ROUTE}?code={room.code}&view=debrief",
                          target="_blank", classes=["room-debrief-link"])
            solara.FileDownload(room.scenario_toml, filename=f"room-{room.code.lower()}.toml",
                                children=[solara.Button(T("export_toml", lang), outlined=True,
                                                        classes=["room-export-toml"])])
            solara.FileDownload(room.timeseries_csv, filename=f"room-{room.code.lower()}-timeseries.csv",
                                children=[solara.Button(T("export_csv", lang), outlined=True,
                                                        classes=["room-export-csv"])])
            solara.Button(T("close", lang), outlined=True, color="error", on_click=close, classes=["room-close"])
        if error:
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(error), classes=["room-error"])
        solara.Text(T("roles", lang), classes=["room-big"])
        for r in status["roles"]:
            with solara.Row(style={"align-items": "center"}, classes=[f"room-fac-role-{r['role'].replace(':', '-')}"]):
                mark = T("decided_mark", lang) if r["decided"] else ("…" if r["decides"] and r["holders"] else "")
                solara.Text(f"{role_label(room, r['role'], lang)}: {', '.join(r['holders']) or T('nobody', lang)} "
                            f"{mark}")
                if r["decides"]:
                    solara.Button(T("take_over", lang), text=True, on_click=lambda rid=r["role"]: set_take(rid),
                                  classes=["room-take"])
        if take:
            solara.Text(T("deciding_for", lang, role=role_label(room, take, lang)), classes=["room-big"])
            DecisionForm(room, take, "facilitator", version)
        solara.Text(T("participants", lang), classes=["room-big"])
        nobody = T("none", lang)
        options = [nobody, *room.roles]
        for p in list(room.participants.values()):
            solara.Select(p.name, values=options, value=p.role or nobody,
                          on_value=lambda v, t=p.token: act(lambda: room.assign(t, None if v == nobody else v))(),
                          classes=["room-assign"])


# --- projector and debrief ---------------------------------------------------------------------------------

def inclusion_chart(room: Room) -> C.Chart:
    lang = room.lang
    ts, base = room.timeseries(), room.baseline_timeseries()
    months = ts["month"].tolist()
    starts = ", ".join(str(rec.start) for rec in room.history[1:]) or "-"
    return C.Chart("room_inclusion", T("chart_inclusion", lang, starts=starts), x_title=T("axis_month", lang),
                   panels=[C.Panel(T("axis_inclusion", lang))],
                   traces=[C.Trace(T("trace_room", lang), months, (100 * ts["inclusion_rate"]).tolist(), P.VARIANT),
                           C.Trace(T("trace_base", lang), months, (100 * base["inclusion_rate"]).tolist(),
                                   P.BASELINE, dash="dash")],
                   height=360, x_range=(0, room.model.p.months))


def region_chart(room: Room, index: int) -> C.Chart:
    """Each municipality's inclusion against no policy after round `index`, as people in paid work per 1,000
    (whole numbers read well on a projector: -1.1% is -11 per 1,000)."""
    lang = room.lang
    rec = room.history[index]
    values = [1000 * (f["inclusion"] - b["inclusion"]) for f, b in zip(rec.municipalities, rec.baseline)]
    data = {"categories": [f["municipality"] for f in rec.municipalities],
            "groups": [{"name": T("axis_region", lang), "values": values, "colour": P.DIFFERENCE}],
            "x_title": T("axis_region", lang)}
    return C.Chart("room_region", T("chart_region", lang, round=rec.round), kind="bars", data=data,
                   height=120 + 45 * len(values))


def municipality_rows(room: Room, index: int) -> list[list[Any]]:
    rec = room.history[index]
    return [[f["municipality"], pct(f["inclusion"]), signed(pct(f["inclusion"] - b["inclusion"]),
                                                            f["inclusion"] - b["inclusion"]),
             f"{f['displacement_per_100']:.1f}", pct(f["throughput"]), eur(f["net_cost"])]
            for f, b in zip(rec.municipalities, rec.baseline)]


def changes_text(changed: dict[str, Any], lang: str) -> str:
    """A decision's changes as scenario keys (as the exported TOML writes them)."""
    return ", ".join(T(f"offers_{v}", lang) if k == SEEKER_LEVER else f"{k} = {v}" for k, v in changed.items()) \
        or T("no_change", lang)


def caption(room: Room) -> str:
    """What the room's chart images come from: the room, its scenario and seed, the month and round."""
    status = room.status()
    return T("caption", room.lang, code=room.code, scenario=room.scenario, seed=room.seed, month=status["month"],
             months=status["months"], rounds=len(room.history) - 1)


def use_caption(room: Room) -> None:
    """Give the page's charts the room's caption for their exported images (`viz.components.CAPTION`)."""
    CAPTION.provide(solara.use_memo(lambda: lambda: "" if room.closed else caption(room), [room.code]))


@solara.component
def Projector(room: Room):
    use_room(room)
    use_caption(room)
    replay, set_replay = solara.use_state(None)
    if Closed(room):
        return
    status, lang = room.status(), room.lang
    with solara.Column(classes=["room", "room-projector"]):
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}, gap="32px"):
            with solara.Column(gap="2px"):
                solara.Text(room.code, classes=["room-code"])
                solara.Text(T("round_status", lang, round=status["round"], month=status["month"],
                              months=status["months"]), classes=["room-big", "room-proj-status"])
                solara.HTML(tag="div", unsafe_innerHTML=qr_svg(f"{base_url()}/{ROUTE}?code={room.code}"),
                            classes=["room-qr"])
            with solara.Column(gap="2px"):
                solara.Text(T("who_decided", lang), classes=["room-big"])
                table([T("h_role", lang), T("h_who", lang), T("h_decided", lang)],
                      [[role_label(room, r["role"], lang), ", ".join(r["holders"]) or "-",
                        "✓" if r["decided"] else ("…" if r["holders"] and r["decides"] else "-")]
                       for r in status["roles"]], "room-who")
        last = len(room.history) - 1
        shown = last if replay is None or replay > last else replay
        rec = room.history[shown]
        span = f" ({T('months_span', lang, a=rec.start + 1, b=rec.end)})" if rec.round else T("the_start", lang)
        solara.Text(T("region_after", lang, round=rec.round) + span, classes=["room-big"])
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
            table([T(h, lang) for h in ("h_municipality", "h_inclusion", "h_vs", "h_displaced", "h_throughput",
                                        "h_spend_round")], municipality_rows(room, shown), "room-region")
            with solara.Column(style={"min-width": "420px", "flex": "1 1 420px"}):
                PlotlyChart(region_chart(room, shown), version=(room.version, shown, lang))
        if rec.decisions:
            table([T("h_role", lang), T("h_by", lang), T("h_changed", lang)],
                  [[role_label(room, d.role, lang), ", ".join(d.by), changes_text(d.changed, lang)]
                   for d in rec.decisions], "room-replay-decisions")
        if last > 0:
            with solara.Div(classes=["room-replay"]):
                solara.SliderInt(T("replay", lang), value=shown, min=0, max=last, on_value=set_replay)
        PlotlyChart(inclusion_chart(room), version=(room.version, lang))


@solara.component
def Debrief(room: Room):
    use_room(room)
    use_caption(room)
    if Closed(room):
        return
    lang = room.lang
    acc = room.accounts()
    comp = room.municipal_comparison()
    with solara.Column(classes=["room", "room-debrief"]):
        solara.Text(T("debrief_title", lang, code=room.code, month=room.model.month, seed=room.seed),
                    classes=["room-big"])
        PlotlyChart(inclusion_chart(room), version=(room.version, lang))
        solara.Text(T("who_pays", lang), classes=["room-big"])
        table([T(h, lang) for h in ("h_party", "h_room", "h_no_policy", "h_difference")],
              [[I.party(p, lang), eur(acc.loc["room", p]), eur(acc.loc["baseline", p]), eur(acc.loc["difference", p])]
               for p in acc.columns], "room-parties")
        solara.Text(T("per_municipality", lang), classes=["room-big"])
        table([T(h, lang) for h in ("h_municipality", "h_inclusion", "h_vs", "h_displaced", "h_spend", "h_vs")],
              [[m, pct(r["inclusion"]), signed(pct(r["inclusion_difference"]), r["inclusion_difference"]),
                f"{r['displacement_per_100']:.1f}", eur(r["net_cost"]), eur(r["net_cost_difference"])]
               for m, r in comp.iterrows()], "room-municipalities")
        solara.Text(T("each_decision", lang), classes=["room-big"])
        table([T(h, lang) for h in ("h_round", "h_months", "h_role", "h_by", "h_changed", "h_inclusion", "h_vs",
                                    "h_spend", "h_vs")],
              [[e["round"], e["months"], role_label(room, e["role_id"], lang), e["by"],
                changes_text(e["changed"], lang), pct(e["inclusion"]),
                signed(pct(e["inclusion_difference"]), e["inclusion_difference"]), eur(e["net_cost"]),
                eur(e["net_cost_difference"])] for e in room.decision_effects()], "room-effects")
        solara.Text(T("effects_note", lang), classes=["room-help"])
        solara.Button(T("back_projector", lang), outlined=True,
                      href=f"/{ROUTE}?code={quote(room.code)}&view=projector")


def routes() -> list:
    """The room's route, for `viz.app.routes`."""
    return [solara.Route(path=ROUTE, component=RoomPage, label="Room")]
