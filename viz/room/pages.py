"""The workshop room's pages (issue 11 §1): lobby, facilitator, participant (a 390×844 phone), projector, debrief.

Everything the pages show comes from `viz.room.state.Room`; the pages only draw and pass clicks on. One route,
`/room`, with the page chosen by the query string, so a reload returns to the same page and role:

- `/room` — the lobby: join with a code and a name, or open a room;
- `/room?code=CODE&f=TOKEN` — the facilitator (the token is the room's facilitator key);
- `/room?code=CODE&p=TOKEN` — a participant (their token gives their role back after a reload);
- `/room?code=CODE&view=projector` and `&view=debrief` — the projector and the debrief.

Each page polls its room twice a second (`use_room`) and redraws when the room's version moves; the
facilitator's page also runs the round timer (`Room.tick`).
"""

from __future__ import annotations

import html
from typing import Any, get_args
from urllib.parse import parse_qs, quote

import solara

from abm.policy import PolicyParams
from viz import charts as C
from viz import palette as P
from viz.components import PlotlyChart
from viz.room.state import PERIODS, ROOMS, Room, RoomError

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

LEVER_LABELS = {
    "basisbaan_slots": "Basisbaan places",
    "caseload": "Caseload (clients per client manager)",
    "regime": "Benefit regime",
    "earnings_disregard_share": "Earnings disregard (share kept)",
    "additionality_test": "Additionality test (0-1)",
    "participation_places_per_100": "Participation places per 100 clients",
    "lks_enabled": "Use wage-cost subsidy",
    "no_risk_policy": "No-risk policy (UWV pays sick pay)",
}


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
    when the room closes or the page's kernel does."""
    state, set_state = solara.use_state((room.version, -1))
    page = _kernel()

    def poll(cancel):
        while not cancel.wait(0.5) and not room.closed:
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
        Lobby(router)
        return
    room = ROOMS.get(code)
    if room is None:
        with solara.Column(classes=["room", "room-phone"]):
            solara.HTML(tag="div", unsafe_innerHTML=f"Room {html.escape(code)} is not open (closed, or idle for "
                        "too long).", classes=["room-error", "room-missing"])
            solara.Button("Back to the lobby", on_click=lambda: router.push(f"/{ROUTE}"))
    elif "f" in q:
        if q["f"] != room.facilitator_token:
            solara.HTML(tag="div", unsafe_innerHTML="This facilitator link is not valid for this room.",
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
def Lobby(router):
    code, set_code = solara.use_state("")
    name, set_name = solara.use_state("")
    error, set_error = solara.use_state("")

    def join():
        room = ROOMS.get(code)
        if room is None:
            set_error(f"code = {code!r}: no open room has this code; check it on the projector")
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
        except (RoomError, ValueError) as exc:
            set_error(str(exc))
            return
        router.push(f"/{ROUTE}?code={room.code}&f={room.facilitator_token}")

    with solara.Column(classes=["room", "room-phone", "room-lobby"]):
        solara.HTML(tag="div", unsafe_innerHTML="<b>plm workshop room</b>", classes=["room-header"])
        solara.InputText("Room code", value=code, on_value=set_code, continuous_update=True,
                         classes=["room-join-code"])
        solara.InputText("Your name (or team)", value=name, on_value=set_name, continuous_update=True,
                         classes=["room-join-name"])
        solara.Button("Join", color="primary", on_click=join, classes=["room-join"])
        if error:
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(error), classes=["room-error"])
        solara.HTML(tag="hr")
        solara.Text("Facilitator:", classes=["room-help"])
        solara.Button("Open a new room", outlined=True, on_click=open_room, classes=["room-open"])


# --- levers ---------------------------------------------------------------------------------------------

@solara.component
def LeverForm(room: Room, role_id: str, by: str, version: Any = None):
    """A role's levers, prefilled with this round's decision or the policy in effect; Decide sends them.
    `version` (the room's) makes the form redraw when the room changes."""
    role = room.roles[role_id]
    pending = room.pending.get(role_id)
    start = pending.values if pending else room.policy_now(role_id)
    values, set_values = solara.use_state(dict(start), key=f"{role_id}-{room.round}")
    error, set_error = solara.use_state("")

    def setter(key):
        return lambda v: set_values({**values, key: v})

    for key in role.levers:
        field = PolicyParams.model_fields[key]
        label = LEVER_LABELS.get(key, key)
        cls = ["room-lever", f"room-lever-{key}"]
        if field.annotation is bool:
            solara.Switch(label=label, value=bool(values[key]), on_value=setter(key), classes=cls)
        elif get_args(field.annotation):
            solara.Select(label=label, values=list(get_args(field.annotation)), value=values[key],
                          on_value=setter(key), classes=cls)
        elif field.annotation is int:
            solara.InputInt(label=label, value=int(values[key]), on_value=setter(key), classes=cls,
                            continuous_update=True)
        else:
            solara.InputFloat(label=label, value=float(values[key]), on_value=lambda v, k=key: setter(k)(
                None if v is None else float(v)), classes=cls, continuous_update=True)

    def decide():
        try:
            room.decide(role_id, values, by)
            set_error("")
        except RoomError as exc:
            set_error(str(exc))

    solara.Button("Decide" if not pending else "Change my decision", color="primary", on_click=decide,
                  classes=["room-decide"])
    if error:
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(error), classes=["room-error", "room-decide-error"])
    if pending:
        changed = ", ".join(f"{LEVER_LABELS.get(k, k)} → {v}" for k, v in pending.changed.items()) or "no change"
        solara.HTML(tag="div", unsafe_innerHTML=f"Decided ({html.escape(', '.join(pending.by))}): "
                    f"{html.escape(changed)}. It applies from month {pending.month}.",
                    classes=["room-ok", "room-decided"])


def Closed(room: Room) -> bool:
    """Draw the closed notice if the room is closed (its models are gone); True if it was."""
    if room.closed:
        solara.HTML(tag="div", unsafe_innerHTML=f"Room {room.code} is closed. Thank you!",
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
    status = room.status()
    with solara.Column(classes=["room", "room-phone", "room-participant"], gap="6px"):
        solara.HTML(tag="div", unsafe_innerHTML=(
            f"Room <b>{room.code}</b> · <b class='room-me'>{html.escape(me.name)}</b><br>"
            f"Round <b class='room-round'>{status['round']}</b> · month "
            f"<b class='room-month'>{status['month']}</b> of {status['months']}"), classes=["room-header"])
        if me.role is None:
            solara.Text("Choose your role (a team may share one):", classes=["room-big"])
            for rid, role in room.roles.items():
                held = ", ".join(p.name for p in room.holders(rid))
                solara.Button(f"{role.label}" + (f" ({held})" if held else ""), outlined=True,
                              on_click=lambda rid=rid: room.choose_role(token, rid),
                              classes=["room-choose", f"room-choose-{rid.replace(':', '-')}"])
            return
        role = room.roles[me.role]
        solara.HTML(tag="div", unsafe_innerHTML=f"Your role: <b class='room-role'>{html.escape(role.label)}</b>",
                    classes=["room-big"])
        if status["finished"]:
            solara.Text("The run is over: look at the projector for the debrief.", classes=["room-ok"])
        if role.kind == "seeker":
            SeekerCard(room, me.role, version)
        else:
            MyFigures(room, me.role, version)
            if not status["finished"]:
                LeverForm(room, me.role, me.name, version)
        left = status["seconds_left"]
        decided = sum(r["decided"] for r in status["roles"] if r["holders"] and r["decides"])
        deciding = sum(1 for r in status["roles"] if r["holders"] and r["decides"])
        solara.Text(f"{decided} of {deciding} roles have decided" + (f" · {int(left)} s left" if left else ""),
                    classes=["room-help", "room-progress"])
        solara.Button("Change role", text=True, on_click=lambda: room.choose_role(token, None),
                      classes=["room-change-role"])


@solara.component
def MyFigures(room: Room, role_id: str, version: Any = None):
    role = room.roles[role_id]
    last = room.history[-1]
    names = [role.municipality] if role.municipality != "all" else room.model.municipality_names
    rows = []
    for now, base in zip(last.municipalities, last.baseline):
        if now["municipality"] in names:
            rows.append([now["municipality"], pct(now["inclusion"]), signed(pct(now["inclusion"] - base["inclusion"]),
                         now["inclusion"] - base["inclusion"]), eur(now["spend"])])
    period = "start" if last.round == 0 else f"months {last.start + 1}-{last.end}"
    solara.Text(f"After round {last.round} ({period}):", classes=["room-help"])
    table(["", "inclusion", "vs no policy", "spend in round"], rows, "room-mine")
    if role.kind == "municipality":
        b = room.budget(role.municipality)
        solara.Text(f"Budget left this year {eur(b['left'])}; deficit so far {eur(b['deficit'])}",
                    classes=["room-help", "room-budget"])


@solara.component
def SeekerCard(room: Room, role_id: str, version: Any = None):
    person = room.person(role_id)
    if not person["present"]:
        solara.Text(f"Person {person['person_id']} reached pension age and left the labour market.")
        return
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"You follow person {person['person_id']} in {html.escape(person['municipality'])}, aged "
        f"{person['age']:.0f}. Now: <b class='room-seeker-state'>{person['state']}</b> (benefit: "
        f"{person['benefit']})."))
    if person["gains"]:
        solara.Text("If you were offered a job at the minimum wage, your net income would change by:",
                    classes=["room-help"])
        table(["hours a week", "a month"], [[h, signed(f"EUR {g:,.0f}", g)] for h, g in person["gains"].items()],
              "room-gains")
        solara.Text("Would you take it? The model's person weighs exactly this (with the value of work and their "
                    "health); small jobs often pay almost nothing.", classes=["room-help"])
    if person["moves"]:
        table(["month", "from", "to", "why"], [[m["month"], m["from_state"], m["to_state"], m["reason"]]
                                             for m in person["moves"]])
    else:
        solara.Text("No moves yet.", classes=["room-help"])
    solara.Text("The model decides on this person's offers; watch what the others' policies do to them.",
                classes=["room-help"])


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
    status = room.status()
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
                solara.Text("Join at " + join_url + " with the code", classes=["room-big"])
                solara.Text(room.code, classes=["room-code"])
                solara.Text(f"Round {status['round']} · month {status['month']} of {status['months']} · "
                            f"{status['participants']} participants", classes=["room-big", "room-fac-status"])
            solara.HTML(tag="div", unsafe_innerHTML=qr_svg(f"{join_url}?code={room.code}"), classes=["room-qr"])
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.Select("Months per round", values=list(PERIODS), value=room.period,
                          on_value=lambda v: act(lambda: room.set_period(int(v)))(), classes=["room-period"],
                          style={"max-width": "170px"})
            ready = room.all_decided()
            solara.Button("Next round" + ("" if ready else " (not everyone has decided)"), color="primary",
                          disabled=status["finished"], on_click=act(room.advance), classes=["room-next"])
            solara.Button("Timer 60 s", outlined=True, on_click=act(lambda: room.start_timer(60)),
                          classes=["room-timer"])
            if status["seconds_left"] is not None:
                solara.Text(f"{int(status['seconds_left'])} s left", classes=["room-wait"])
            solara.Button("Projector", outlined=True, href=f"/{ROUTE}?code={room.code}&view=projector",
                          target="_blank", classes=["room-projector-link"])
            solara.Button("Debrief", outlined=True, href=f"/{ROUTE}?code={room.code}&view=debrief",
                          target="_blank", classes=["room-debrief-link"])
            solara.FileDownload(room.scenario_toml, filename=f"room-{room.code.lower()}.toml",
                                children=[solara.Button("Export decisions (TOML)", outlined=True,
                                                        classes=["room-export-toml"])])
            solara.FileDownload(room.timeseries_csv, filename=f"room-{room.code.lower()}-timeseries.csv",
                                children=[solara.Button("Time series (CSV)", outlined=True,
                                                        classes=["room-export-csv"])])
            solara.Button("Close room", outlined=True, color="error", on_click=close, classes=["room-close"])
        if error:
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(error), classes=["room-error"])
        solara.Text("Roles", classes=["room-big"])
        for r in status["roles"]:
            with solara.Row(style={"align-items": "center"}, classes=[f"room-fac-role-{r['role'].replace(':', '-')}"]):
                mark = "✓ decided" if r["decided"] else ("…" if r["decides"] and r["holders"] else "")
                solara.Text(f"{r['label']}: {', '.join(r['holders']) or '(nobody)'} {mark}")
                if r["decides"]:
                    solara.Button("Take over", text=True, on_click=lambda rid=r["role"]: set_take(rid),
                                  classes=["room-take"])
        if take:
            solara.Text(f"Deciding for {room.roles[take].label}", classes=["room-big"])
            LeverForm(room, take, "facilitator", version)
        solara.Text("Participants", classes=["room-big"])
        options = ["(none)", *room.roles]
        for p in list(room.participants.values()):
            solara.Select(p.name, values=options, value=p.role or "(none)",
                          on_value=lambda v, t=p.token: act(lambda: room.assign(t, None if v == "(none)" else v))(),
                          classes=["room-assign"])


# --- projector and debrief ---------------------------------------------------------------------------------

def inclusion_chart(room: Room) -> C.Chart:
    ts, base = room.timeseries(), room.baseline_timeseries()
    months = ts["month"].tolist()
    starts = ", ".join(str(rec.start) for rec in room.history[1:]) or "-"
    return C.Chart("room_inclusion", f"Inclusion in the region: the room against no policy (rounds began in "
                   f"months {starts})", x_title="month", panels=[C.Panel("paid work / people (%)")],
                   traces=[C.Trace("the room", months, (100 * ts["inclusion_rate"]).tolist(), P.VARIANT),
                           C.Trace("no policy (same seed)", months, (100 * base["inclusion_rate"]).tolist(),
                                   P.BASELINE, dash="dash")],
                   height=360, x_range=(0, room.model.p.months))


def region_chart(room: Room, index: int) -> C.Chart:
    """Each municipality's inclusion against no policy after round `index`, as people in paid work per 1,000
    (whole numbers read well on a projector: -1.1% is -11 per 1,000)."""
    rec = room.history[index]
    values = [1000 * (f["inclusion"] - b["inclusion"]) for f, b in zip(rec.municipalities, rec.baseline)]
    data = {"categories": [f["municipality"] for f in rec.municipalities],
            "groups": [{"name": "the room - no policy", "values": values, "colour": P.DIFFERENCE}],
            "x_title": "in paid work per 1,000 people, the room - no policy"}
    return C.Chart("room_region", f"Inclusion against no policy after round {rec.round}", kind="bars", data=data,
                   height=120 + 45 * len(values))


def municipality_rows(room: Room, index: int) -> list[list[Any]]:
    rec = room.history[index]
    return [[f["municipality"], pct(f["inclusion"]), signed(pct(f["inclusion"] - b["inclusion"]),
                                                            f["inclusion"] - b["inclusion"]),
             f"{f['displacement_per_100']:.1f}", pct(f["throughput"]), eur(f["spend"])]
            for f, b in zip(rec.municipalities, rec.baseline)]


MUNI_HEADER = ["municipality", "inclusion", "vs no policy", "displaced per 100", "throughput / month",
               "spend in round"]


@solara.component
def Projector(room: Room):
    use_room(room)
    replay, set_replay = solara.use_state(None)
    if Closed(room):
        return
    status = room.status()
    with solara.Column(classes=["room", "room-projector"]):
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}, gap="32px"):
            with solara.Column(gap="2px"):
                solara.Text(room.code, classes=["room-code"])
                solara.Text(f"Round {status['round']} · month {status['month']} of {status['months']}",
                            classes=["room-big", "room-proj-status"])
                solara.HTML(tag="div", unsafe_innerHTML=qr_svg(f"{base_url()}/{ROUTE}?code={room.code}"),
                            classes=["room-qr"])
            with solara.Column(gap="2px"):
                solara.Text("Who has decided", classes=["room-big"])
                table(["role", "who", "decided"],
                      [[r["label"], ", ".join(r["holders"]) or "-",
                        "✓" if r["decided"] else ("…" if r["holders"] and r["decides"] else "-")]
                       for r in status["roles"]], "room-who")
        last = len(room.history) - 1
        shown = last if replay is None or replay > last else replay
        rec = room.history[shown]
        solara.Text(f"The region after round {rec.round}" + (f" (months {rec.start + 1}-{rec.end})" if rec.round
                                                             else " (the start)"), classes=["room-big"])
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
            table(MUNI_HEADER, municipality_rows(room, shown), "room-region")
            with solara.Column(style={"min-width": "420px", "flex": "1 1 420px"}):
                PlotlyChart(region_chart(room, shown), version=(room.version, shown))
        if rec.decisions:
            table(["role", "by", "changed"],
                  [[room.roles[d.role].label, ", ".join(d.by),
                    ", ".join(f"{k} = {v}" for k, v in d.changed.items()) or "no change"] for d in rec.decisions],
                  "room-replay-decisions")
        if last > 0:
            with solara.Div(classes=["room-replay"]):
                solara.SliderInt("Replay: round", value=shown, min=0, max=last, on_value=set_replay)
        PlotlyChart(inclusion_chart(room), version=room.version)


@solara.component
def Debrief(room: Room):
    use_room(room)
    if Closed(room):
        return
    acc = room.accounts()
    comp = room.municipal_comparison()
    with solara.Column(classes=["room", "room-debrief"]):
        solara.Text(f"Debrief · room {room.code} · month {room.model.month} · seed {room.seed} · against no "
                    "policy on the same seed (the same people, the same shocks)", classes=["room-big"])
        PlotlyChart(inclusion_chart(room), version=room.version)
        solara.Text("Who paid, who gained (net account over the run; + gains, − pays)", classes=["room-big"])
        table(["party", "the room", "no policy", "difference"],
              [[p, eur(acc.loc["room", p]), eur(acc.loc["baseline", p]), eur(acc.loc["difference", p])]
               for p in acc.columns], "room-parties")
        solara.Text("Per municipality (over the run)", classes=["room-big"])
        table(["municipality", "inclusion", "vs no policy", "displaced per 100", "spend", "vs no policy"],
              [[m, pct(r["inclusion"]), signed(pct(r["inclusion_difference"]), r["inclusion_difference"]),
                f"{r['displacement_per_100']:.1f}", eur(r["spend"]), eur(r["spend_difference"])]
               for m, r in comp.iterrows()], "room-municipalities")
        solara.Text("Each decision, and what followed in its municipality that round (against no policy)",
                    classes=["room-big"])
        table(["round", "months", "role", "by", "changed", "inclusion", "vs no policy", "spend", "vs no policy"],
              [[e["round"], e["months"], e["role"], e["by"],
                ", ".join(f"{k} = {v}" for k, v in e["changed"].items()) or "no change", pct(e["inclusion"]),
                signed(pct(e["inclusion_difference"]), e["inclusion_difference"]), eur(e["spend"]),
                eur(e["spend_difference"])] for e in room.decision_effects()], "room-effects")
        solara.Text("The difference from no policy is what all decisions caused together; a row shows how "
                    "the role's municipality moved while that decision held.", classes=["room-help"])
        solara.Button("Back to the projector", outlined=True,
                      href=f"/{ROUTE}?code={quote(room.code)}&view=projector")


def routes() -> list:
    """The room's route, for `viz.app.routes`."""
    return [solara.Route(path=ROUTE, component=RoomPage, label="Room")]
