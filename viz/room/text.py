"""Every text of the workshop room's pages, in English and Dutch (the app's languages, `viz.i18n.LANGS`).

`t(key, lang, **values)` fills a text's {placeholders}; a test checks that both languages have every key with
the same placeholders. The room's language is chosen by the facilitator (`Room.lang`) and holds for every page
of the room; the lobby has its own switch.
"""

from __future__ import annotations

from abm.metric_labels import over_text

TEXT: dict[str, dict[str, str]] = {
    # lobby
    "lobby_title": {"en": "plm workshop room", "nl": "plm workshop"},
    "room_code": {"en": "Room code", "nl": "Code van de sessie"},
    "your_name": {"en": "Your name (or team)", "nl": "Je naam (of team)"},
    "join": {"en": "Join", "nl": "Meedoen"},
    "facilitator": {"en": "Facilitator:", "nl": "Begeleider:"},
    "open_room": {"en": "Open a new room", "nl": "Nieuwe sessie openen"},
    "no_room": {"en": "code = {code!r}: no open room has this code; check it on the projector",
                "nl": "code = {code!r}: geen open sessie met deze code; kijk op het scherm"},
    "not_open": {"en": "Room {code} is not open (closed, or idle for too long).",
                 "nl": "Sessie {code} is niet open (gesloten, of te lang niet gebruikt)."},
    "back_lobby": {"en": "Back to the lobby", "nl": "Terug naar het begin"},
    "bad_link": {"en": "This facilitator link is not valid for this room.",
                 "nl": "Deze begeleiderslink hoort niet bij deze sessie."},
    "closed": {"en": "Room {code} is closed. Thank you!", "nl": "Sessie {code} is gesloten. Bedankt!"},
    # participant
    "header": {"en": "Room <b>{code}</b> · <b class='room-me'>{name}</b><br>Round <b class='room-round'>{round}</b>"
                     " · month <b class='room-month'>{month}</b> of {months}",
               "nl": "Sessie <b>{code}</b> · <b class='room-me'>{name}</b><br>Ronde <b class='room-round'>{round}"
                     "</b> · maand <b class='room-month'>{month}</b> van {months}"},
    "choose_role": {"en": "Choose your role (a team may share one):",
                    "nl": "Kies je rol (een team mag een rol delen):"},
    "your_role": {"en": "Your role: <b class='room-role'>{role}</b>", "nl": "Je rol: <b class='room-role'>{role}</b>"},
    "run_over": {"en": "The run is over: look at the projector for the debrief.",
                 "nl": "De simulatie is klaar: kijk op het scherm voor de nabespreking."},
    "progress": {"en": "{decided} of {deciding} roles have decided",
                 "nl": "{decided} van {deciding} rollen hebben besloten"},
    "seconds_left": {"en": " · {s} s left", "nl": " · nog {s} s"},
    "change_role": {"en": "Change role", "nl": "Andere rol"},
    "after_round": {"en": "After round {round} ({period}):", "nl": "Na ronde {round} ({period}):"},
    "start": {"en": "start", "nl": "begin"},
    "months_span": {"en": "months {a}-{b}", "nl": "maanden {a}-{b}"},
    "budget": {"en": "Budget left this year {left}; deficit so far {deficit}",
               "nl": "Budget over dit jaar {left}; tekort tot nu toe {deficit}"},
    "decide": {"en": "Decide", "nl": "Besluiten"},
    "change_decision": {"en": "Change my decision", "nl": "Besluit wijzigen"},
    "decided": {"en": "Decided ({by}): {changed}. It applies from month {month}.",
                "nl": "Besloten ({by}): {changed}. Het geldt vanaf maand {month}."},
    "no_change": {"en": "no change", "nl": "geen wijziging"},
    "left_market": {"en": "Person {pid} reached pension age and left the labour market.",
                    "nl": "Persoon {pid} bereikte de pensioenleeftijd en verliet de arbeidsmarkt."},
    "follow": {"en": "You follow person {pid} in {municipality}, aged {age}. Now: <b class='room-seeker-state'>"
                     "{state}</b> (benefit: {benefit}).",
               "nl": "Je volgt persoon {pid} in {municipality}, {age} jaar. Nu: <b class='room-seeker-state'>"
                     "{state}</b> (uitkering: {benefit})."},
    "gains_intro": {"en": "If you were offered a job at the minimum wage, your net income would change by:",
                    "nl": "Als je een baan op het minimumloon kreeg, veranderde je netto inkomen met:"},
    "gains_after": {"en": "Would you take it? The model's person weighs exactly this (with the value of work and "
                          "their health); small jobs often pay almost nothing.",
                    "nl": "Zou je hem nemen? De persoon in het model weegt precies dit (met de waarde van werk en "
                          "de gezondheid); kleine banen leveren vaak bijna niets op."},
    "no_moves": {"en": "No moves yet.", "nl": "Nog geen overgangen."},
    "seeker_note": {"en": "Your decision holds for one round; in a round without one, the model's person decides by "
                          "the rule above. Watch what the others' policies do to them too.",
                    "nl": "Je besluit geldt één ronde; in een ronde zonder besluit beslist de persoon in het model "
                          "volgens de regel hierboven. Kijk ook wat het beleid van de anderen met hem of haar doet."},
    "offers_question": {"en": "This round, when the model offers your person a job or a basisbaan place:",
                        "nl": "Als het model je persoon deze ronde een baan of een basisbaan aanbiedt:"},
    "offers_accept": {"en": "Accept offers this round", "nl": "Aanbiedingen deze ronde aannemen"},
    "offers_refuse": {"en": "Refuse offers this round", "nl": "Aanbiedingen deze ronde weigeren"},
    "offers_model": {"en": "Let the model decide", "nl": "Het model laten beslissen"},
    "offers_decided": {"en": "Decided ({by}): {choice}. It applies from month {month}.",
                       "nl": "Besloten ({by}): {choice}. Het geldt vanaf maand {month}."},
    # facilitator
    "join_at": {"en": "Join at {url} with the code", "nl": "Doe mee op {url} met de code"},
    "fac_status": {"en": "Round {round} · month {month} of {months} · {n} participants",
                   "nl": "Ronde {round} · maand {month} van {months} · {n} deelnemers"},
    "months_per_round": {"en": "Months per round", "nl": "Maanden per ronde"},
    "next_round": {"en": "Next round", "nl": "Volgende ronde"},
    "not_everyone": {"en": " (not everyone has decided)", "nl": " (nog niet iedereen heeft besloten)"},
    "timer": {"en": "Timer 60 s", "nl": "Timer 60 s"},
    "projector": {"en": "Projector", "nl": "Scherm"},
    "debrief": {"en": "Debrief", "nl": "Nabespreking"},
    "export_toml": {"en": "Export decisions (TOML)", "nl": "Besluiten exporteren (TOML)"},
    "export_csv": {"en": "Time series (CSV)", "nl": "Tijdreeks (CSV)"},
    "close": {"en": "Close room", "nl": "Sessie sluiten"},
    "roles": {"en": "Roles", "nl": "Rollen"},
    "nobody": {"en": "(nobody)", "nl": "(niemand)"},
    "decided_mark": {"en": "✓ decided", "nl": "✓ besloten"},
    "take_over": {"en": "Take over", "nl": "Overnemen"},
    "deciding_for": {"en": "Deciding for {role}", "nl": "Besluiten voor {role}"},
    "participants": {"en": "Participants", "nl": "Deelnemers"},
    "none": {"en": "(none)", "nl": "(geen)"},
    "language": {"en": "Language", "nl": "Taal"},
    # projector and debrief
    "round_status": {"en": "Round {round} · month {month} of {months}",
                     "nl": "Ronde {round} · maand {month} van {months}"},
    "who_decided": {"en": "Who has decided", "nl": "Wie heeft besloten"},
    "h_role": {"en": "role", "nl": "rol"},
    "h_who": {"en": "who", "nl": "wie"},
    "h_decided": {"en": "decided", "nl": "besloten"},
    "h_by": {"en": "by", "nl": "door"},
    "h_changed": {"en": "changed", "nl": "gewijzigd"},
    "h_municipality": {"en": "municipality", "nl": "gemeente"},
    "h_inclusion": {"en": "inclusion", "nl": "inclusie"},
    "h_vs": {"en": "vs no policy", "nl": "t.o.v. geen beleid"},
    "h_displaced": {"en": "displaced per 100" + over_text("displacement_per_100"),
                    "nl": "verdrongen per 100" + over_text("displacement_per_100", "nl")},
    "h_throughput": {"en": "throughput / month", "nl": "doorstroom / maand"},
    "h_spend_round": {"en": "net cost in round", "nl": "netto kosten in ronde"},
    "h_spend": {"en": "net cost", "nl": "netto kosten"},
    "h_round": {"en": "round", "nl": "ronde"},
    "h_months": {"en": "months", "nl": "maanden"},
    "h_party": {"en": "party", "nl": "partij"},
    "h_room": {"en": "the room", "nl": "de sessie"},
    "h_no_policy": {"en": "no policy", "nl": "geen beleid"},
    "h_difference": {"en": "difference", "nl": "verschil"},
    "h_hours": {"en": "hours a week", "nl": "uur per week"},
    "h_a_month": {"en": "a month", "nl": "per maand"},
    "h_month": {"en": "month", "nl": "maand"},
    "h_from": {"en": "from", "nl": "van"},
    "h_to": {"en": "to", "nl": "naar"},
    "h_why": {"en": "why", "nl": "waarom"},
    "region_after": {"en": "The region after round {round}", "nl": "De regio na ronde {round}"},
    "the_start": {"en": " (the start)", "nl": " (het begin)"},
    "replay": {"en": "Replay: round", "nl": "Terugkijken: ronde"},
    "chart_inclusion": {"en": "Inclusion in the region: the room against no policy (rounds began in months {starts})",
                        "nl": "Inclusie in de regio: de sessie tegen geen beleid (rondes begonnen in maand {starts})"},
    "axis_inclusion": {"en": "paid work / people (%)", "nl": "betaald werk / mensen (%)"},
    "axis_month": {"en": "month", "nl": "maand"},
    "trace_room": {"en": "the room", "nl": "de sessie"},
    "trace_base": {"en": "no policy (same seed)", "nl": "geen beleid (zelfde seed)"},
    "chart_region": {"en": "Inclusion against no policy after round {round}",
                     "nl": "Inclusie tegen geen beleid na ronde {round}"},
    "axis_region": {"en": "in paid work per 1,000 people, the room - no policy",
                    "nl": "aan het werk per 1.000 mensen, sessie - geen beleid"},
    "caption": {"en": "Workshop room {code} · scenario {scenario} · seed {seed} · month {month} of {months} · "
                      "rounds played: {rounds} · against no policy on the same seed",
                "nl": "Workshopsessie {code} · scenario {scenario} · seed {seed} · maand {month} van {months} · "
                      "rondes gespeeld: {rounds} · tegen geen beleid met dezelfde seed"},
    "debrief_title": {"en": "Debrief · room {code} · month {month} · seed {seed} · against no policy on the same "
                            "seed (the same people, the same shocks)",
                      "nl": "Nabespreking · sessie {code} · maand {month} · seed {seed} · tegen geen beleid met "
                            "dezelfde seed (dezelfde mensen, dezelfde schokken)"},
    "who_pays": {"en": "Who paid, who gained (net account over the run; + gains, − pays)",
                 "nl": "Wie betaalde, wie won (netto rekening over de looptijd; + wint, − betaalt)"},
    "per_municipality": {"en": "Per municipality (over the run)", "nl": "Per gemeente (over de looptijd)"},
    "each_decision": {"en": "Each decision, and what followed in its municipality that round (against no policy)",
                      "nl": "Elk besluit, en wat er die ronde in de gemeente gebeurde (tegen geen beleid)"},
    "effects_note": {"en": "The difference from no policy is what all decisions caused together; a row shows how "
                           "the role's municipality moved while that decision held.",
                     "nl": "Het verschil met geen beleid komt van alle besluiten samen; een rij laat zien hoe de "
                           "gemeente van de rol bewoog terwijl dat besluit gold."},
    "back_projector": {"en": "Back to the projector", "nl": "Terug naar het scherm"},
    # roles and levers
    "role_employers": {"en": "Employers, sector {n}", "nl": "Werkgevers, sector {n}"},
    "role_seeker": {"en": "Job seeker {n}", "nl": "Werkzoekende {n}"},
    "basisbaan_slots": {"en": "Basisbaan places", "nl": "Basisbanen (plaatsen)"},
    "basisbaan_acquisition": {"en": "Places are made over time (staff find them)",
                              "nl": "Plaatsen worden gaandeweg gemaakt (medewerkers zoeken ze)"},
    "basisbaan_acquisition_hours": {"en": "Staff hours a month to find places",
                                    "nl": "Uren per maand om plaatsen te zoeken"},
    "caseload": {"en": "Caseload (clients per client manager)", "nl": "Caseload (cliënten per klantmanager)"},
    "regime": {"en": "Benefit regime", "nl": "Bijstandsregime"},
    "earnings_disregard_share": {"en": "Earnings disregard (share kept)",
                                 "nl": "Vrijlating van inkomsten (deel dat je houdt)"},
    "additionality_test": {"en": "Additionality test (0-1)", "nl": "Toets op verdringing (0-1)"},
    "participation_places_per_100": {"en": "Participation places per 100 clients",
                                     "nl": "Participatieplaatsen per 100 cliënten"},
    "lks_enabled": {"en": "Use wage-cost subsidy", "nl": "Loonkostensubsidie gebruiken"},
    "no_risk_policy": {"en": "No-risk policy (UWV pays sick pay)", "nl": "No-riskpolis (UWV betaalt bij ziekte)"},
    "subsidy_uptake": {"en": "Use of wage-cost subsidy (x the firms' own uptake)",
                       "nl": "Gebruik loonkostensubsidie (x eigen gebruik van de bedrijven)"},
    "register_willingness": {"en": "Willingness to hire from the register (score, -3 to 3)",
                             "nl": "Bereidheid om uit het register aan te nemen (score, -3 tot 3)"},
    "temporary_shift": {"en": "More temporary contracts (chance, -1 to 1)",
                        "nl": "Meer tijdelijke contracten (kans, -1 tot 1)"},
}


def t(key: str, lang: str, **values) -> str:
    """The text `key` in `lang` (English if the language lacks it), its {placeholders} filled."""
    entry = TEXT[key]
    return entry.get(lang, entry["en"]).format(**values)
