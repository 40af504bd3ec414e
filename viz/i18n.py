"""Every label and text of the app in English and Dutch.

The people in the room are often Dutch policy makers; researchers read English. Domain terms keep their Dutch
names, with a translation in English (`basisbaan (basic job)`, `bijstand (social assistance)`). Use `t(key,
lang)` for interface texts and the helpers for states, metrics, parties, parameters and reasons.
"""

from __future__ import annotations

import re
from typing import Any

from abm.metric_labels import LABELS
from viz.i18n_params import ASSUMPTION_EN, ASSUMPTION_NL, DESCRIPTIONS_NL, UNITS_NL

LANGS = ("en", "nl")
LANG_NAMES = {"en": "English", "nl": "Nederlands"}

T: dict[str, tuple[str, str]] = {
    # app frame
    "app_title": ("plm · the parallel labour market", "plm · de parallelle arbeidsmarkt"),
    "app_subtitle": ("an agent-based model of the Dutch labour market's margin",
                     "een agent-based model van de onderkant van de Nederlandse arbeidsmarkt"),
    "language": ("Language", "Taal"),
    "hide_panel": ("◀ Hide settings", "◀ Instellingen verbergen"),
    "show_panel": ("▶ Settings", "▶ Instellingen"),
    "rejected_value": ("Not applied: {value}. The box shows the value in effect.",
                       "Niet toegepast: {value}. Het vak toont de geldende waarde."),
    "present_on": ("Present", "Presenteren"),
    "show_data": ("Show the data as a table", "Toon de gegevens als tabel"),
    "hide_data": ("Hide the table", "Verberg de tabel"),
    "chart_png": ("Image (PNG, with caption)", "Afbeelding (PNG, met bijschrift)"),
    "chart_alt": ("The button under the chart shows its data as a table.",
                  "De knop onder de grafiek toont de gegevens als tabel."),
    "places_title": ("Programme places now: filled / available (people)",
                     "Programmaplaatsen nu: bezet / beschikbaar (personen)"),
    "places_of_planned": (" (of {} planned)", " (van {} gepland)"),
    "places_programme": ("programme", "programma"),
    "places_region": ("region", "regio"),
    "places_note": ("Each municipality runs its own basisbaan programme: a region-wide lever gives every "
                    "municipality that many places; where the programme acquires its places, those available are "
                    "the ones acquired so far, of the planned. Participation places also hold volunteering and "
                    "tegenprestatie.",
                    "Elke gemeente heeft een eigen basisbaanprogramma: een hendel voor alle gemeenten geeft elke "
                    "gemeente zoveel plaatsen; waar het programma zijn plaatsen stap voor stap maakt, zijn de "
                    "beschikbare plaatsen de tot nu toe gemaakte, van de geplande. Participatieplaatsen omvatten ook "
                    "vrijwilligerswerk en tegenprestatie."),
    "chart_places": ("Places filled against places available and planned", "Plaatsen bezet, beschikbaar en gepland"),
    "axis_places": ("places (people)", "plaatsen (personen)"),
    "places_of": ("Places of", "Plaatsen van"),
    "places_chart_note": ("Available places are the planned ones, or, where the municipality acquires its places "
                          "(policy.basisbaan_acquisition, policy.parallel_acquisition), those made so far: additional "
                          "work found and an employer of record arranged. Whether a place is taken is each person's "
                          "decision, from the change in their net income.",
                          "Beschikbare plaatsen zijn de geplande, of, waar de gemeente haar plaatsen stap voor stap "
                          "maakt (policy.basisbaan_acquisition, policy.parallel_acquisition), de tot nu toe gemaakte: "
                          "additioneel werk gevonden en een formele werkgever geregeld. Of iemand een plaats neemt, "
                          "beslist die persoon zelf, op grond van de verandering in het netto inkomen."),
    "programme_basisbaan": ("basisbaan", "basisbaan"),
    "programme_parallel": ("parallel work", "parallel werk"),
    "programme_participation": ("participation", "participatie"),
    "chart_seed": ("seed {seed}", "seed {seed}"),
    "chart_first_seed": ("seed {seed}, the first of {n}", "seed {seed}, de eerste van {n}"),
    "figures_are": ("Figures: {what}", "Cijfers: {what}"),
    "present_off": ("Leave presentation", "Presentatie sluiten"),
    "caption_scenario": ("Scenario {name}", "Scenario {name}"),
    "caption_seed": ("seed {seed}", "seed {seed}"),
    "caption_seeds": ("mean of {n} seeds ({a}–{b})", "gemiddelde van {n} seeds ({a}–{b})"),
    "caption_ensemble": ("mean of {n} runs over the calibration ensemble: {m} members × {seeds}",
                         "gemiddelde van {n} runs over het kalibratie-ensemble: {m} leden × {seeds}"),
    "seeds_from_to": ("seeds {a}–{b}", "seeds {a}–{b}"),
    "caption_baseline": ("compared with {base}", "vergeleken met {base}"),
    "caption_no_changes": ("no changes", "geen wijzigingen"),
    "caption_month": ("month {m} of {n}", "maand {m} van {n}"),
    # sidebar: scenario
    "scenario": ("Scenario", "Scenario"),
    "preset": ("Scenario preset", "Voorbeeldscenario"),
    "upload": ("Load a scenario file (.toml)", "Scenariobestand laden (.toml)"),
    "upload_hint": ("Click to choose a scenario TOML, or drop it here",
                    "Klik om een scenario-TOML te kiezen, of sleep hem hierheen"),
    "loaded_from": ("Loaded: {source}", "Geladen: {source}"),
    # the role of the loaded scenario (experiments/roles.py)
    "role_calibration": ("Calibration scenario: the model was fitted to or checked against observed figures of it "
                         "(experiments/targets.toml: the Groningen experiment and national figures).",
                         "Kalibratiescenario: het model is afgestemd op of getoetst aan waargenomen cijfers ervan "
                         "(experiments/targets.toml: het Groningse experiment en landelijke cijfers)."),
    "role_prediction": ("Prediction: no observed figure of this scenario went into the model. Its results are what "
                        "the model predicts, written down before any evaluation (docs/predictions.md).",
                        "Voorspelling: geen waargenomen cijfer van dit scenario is in het model gestopt. De uitkomsten "
                        "zijn wat het model voorspelt, vastgelegd vóór elke evaluatie (docs/predictions.md)."),
    "role_general": (" It is checked against a general finding, not against its own evaluation: {targets} "
                     "(experiments/targets.toml).",
                     " Het wordt getoetst aan een algemene bevinding, niet aan een eigen evaluatie: {targets} "
                     "(experiments/targets.toml)."),
    "role_changed": (" The settings you changed make it a what-if: the changed results are not calibrated.",
                     " De instellingen die je wijzigde maken er een wat-als van: de gewijzigde uitkomsten zijn niet "
                     "gekalibreerd."),
    # a preset's assumed settings (abm/assumptions.py): text only, the ranges as the preset declares them
    "assumed_heading": ("Read as a what-if: these settings are assumptions, not evidence. plm report and plm run "
                        "--assumptions show the results over their ranges.",
                        "Lees als een wat-als: deze instellingen zijn aannames, geen bewijs. plm report en plm run "
                        "--assumptions tonen de uitkomsten over hun bereik."),
    "assumed_item": ("{setting} = {value}, range {low} to {high} ({source})",
                     "{setting} = {value}, bereik {low} tot {high} ({source})"),
    "role_example": ("Example region: the starting point of every preset; neither calibrated nor a prediction.",
                     "Voorbeeldregio: het vertrekpunt van elk scenario; niet gekalibreerd en geen voorspelling."),
    "seed": ("Seed", "Seed (startgetal toeval)"),
    "seed_help": ("Same scenario + same seed = the same run. A baseline and a variant on the same seed meet the same "
                  "people and the same shocks (common random numbers).",
                  "Zelfde scenario + zelfde seed = dezelfde run. Een basislijn en een variant met dezelfde seed zien "
                  "dezelfde mensen en dezelfde schokken (common random numbers)."),
    "bad_file": ("This scenario was not loaded; the previous run stays.",
                 "Dit scenario is niet geladen; de vorige run blijft staan."),
    "model_failed": ("The model stopped: change a setting or press Reset. The app stays up.",
                     "Het model is gestopt: wijzig een instelling of druk op Opnieuw. De app blijft werken."),
    "bad_setting": ("This setting was not applied; the previous run stays.",
                    "Deze instelling is niet toegepast; de vorige run blijft staan."),
    # controls
    "controls": ("Run", "Run"),
    "reset": ("Reset", "Opnieuw"),
    "step": ("Step", "Stap"),
    "step_year": ("+12", "+12"),
    "play": ("▶ Play", "▶ Afspelen"),
    "pause": ("❚❚ Pause", "❚❚ Pauze"),
    "speed": ("Speed: {n} months per second", "Snelheid: {n} maanden per seconde"),
    "month_of": ("Month {m} of {n}", "Maand {m} van {n}"),
    "finished": ("Run finished: press Reset or change a setting",
                 "Run klaar: druk op Opnieuw of wijzig een instelling"),
    "timing": ("last month computed in {ms:.0f} ms", "laatste maand berekend in {ms:.0f} ms"),
    # compare
    "compare": ("Compare with a baseline", "Vergelijk met een basislijn"),
    "compare_ensemble": ("Over the calibration ensemble", "Over het kalibratie-ensemble"),
    "compare_ensemble_help": ("Runs both sides for every parameter set of the calibration ensemble (abm/ensemble.toml) "
                              "and every seed: the range then carries parameter uncertainty as well as chance (the "
                              "5-95% interval of all runs, pooled with the members' importance weights).",
                              "Draait beide kanten voor elke parameterset van het kalibratie-ensemble "
                              "(abm/ensemble.toml) en elke seed: de marge bevat dan zowel onzekerheid over de "
                              "parameters als toeval (het 5-95%-interval van alle runs, gewogen met de "
                              "importance-gewichten van de leden)."),
    "compare_help": ("Runs a baseline beside your settings on the same seed, so every difference comes from the "
                     "settings, not from chance.",
                     "Draait een basislijn naast uw instellingen met dezelfde seed, zodat elk verschil door de "
                     "instellingen komt en niet door toeval."),
    "baseline_choice": ("Baseline", "Basislijn"),
    "baseline_loaded": ("the scenario as loaded (without your changes)",
                        "het scenario zoals geladen (zonder uw wijzigingen)"),
    "n_seeds": ("Seeds: {n}", "Seeds: {n}"),
    "n_seeds_help": ("With more than one seed, the difference is the mean over the seeds, with a band from the "
                     "lowest to the highest.",
                     "Met meer dan één seed is het verschil het gemiddelde over de seeds, met een band van laagste "
                     "tot hoogste."),
    "baseline": ("baseline", "basislijn"),
    "variant": ("your settings", "uw instellingen"),
    "difference": ("difference", "verschil"),
    # levers
    "levers": ("Levers", "Knoppen"),
    "key_levers": ("Main levers", "Belangrijkste knoppen"),
    "all_levers": ("All parameters", "Alle parameters"),
    "pick_section": ("Choose a section", "Kies een onderdeel"),
    "scope": ("Policy applies to", "Beleid geldt voor"),
    "scope_all": ("all municipalities", "alle gemeenten"),
    "scope_help": ("All municipalities: a policy value set here applies to every municipality from month 0 and "
                   "replaces their own settings; changes the scenario makes later (a pilot that ends) still apply. "
                   "One municipality: only its own policy changes.",
                   "Alle gemeenten: een beleidswaarde die u hier zet, geldt vanaf maand 0 voor elke gemeente en "
                   "vervangt hun eigen instellingen; wijzigingen die het scenario later maakt (een pilot die stopt) "
                   "gelden nog steeds. Eén gemeente: alleen haar eigen beleid verandert."),
    "own_setting": ("now differs in {items}; a value set here replaces these for every municipality",
                    "wijkt nu af in {items}; een waarde hier vervangt deze voor elke gemeente"),
    "later_changes": ("changes later in this scenario, still applied: {items}",
                      "wijzigt later in dit scenario, blijft gelden: {items}"),
    "your_changes": ("Your changes", "Uw wijzigingen"),
    "no_changes": ("No changes: the scenario as loaded.", "Geen wijzigingen: het scenario zoals geladen."),
    "undo_changes": ("Undo all changes", "Alle wijzigingen terugdraaien"),
    "restart_note": ("A changed setting restarts the run at month 0.",
                     "Een gewijzigde instelling start de run opnieuw bij maand 0."),
    "from_now": ("Policy changes apply from now on (no restart)", "Beleidswijzigingen gelden vanaf nu (geen herstart)"),
    "from_now_note": ("A policy lever you move now applies from month {m} on, as a dated policy change (marked on "
                      "the time axis); the months run stay. Other settings restart the run at month 0.",
                      "Een beleidshendel die u nu verzet, geldt vanaf maand {m}, als gedateerde beleidswijziging "
                      "(gemarkeerd op de tijdas); de gerunde maanden blijven. Andere instellingen starten de run "
                      "opnieuw bij maand 0."),
    "dated_change": ("from month {m}", "vanaf maand {m}"),
    "unit": ("unit", "eenheid"),
    "range": ("range", "bereik"),
    "default": ("default", "standaard"),
    "source": ("source", "bron"),
    "on": ("on", "aan"),
    "off": ("off", "uit"),
    # tabs
    "tab_charts": ("Over time", "In de tijd"),
    "tab_compare": ("Compare", "Vergelijken"),
    "tab_flows": ("Flows", "Stromen"),
    "tab_region": ("Region", "Regio"),
    "tab_person": ("A person's story", "Het verhaal van één persoon"),
    "tab_accounts": ("Who pays, who gains", "Wie betaalt, wie wint"),
    "tab_mechanisms": ("Mechanisms", "Mechanismen"),
    "tab_lessons": ("Lessons", "Lessen"),
    "tab_export": ("Export", "Exporteren"),
    # KPIs
    "kpi_month": ("month", "maand"),
    "kpi_inclusion": ("inclusion rate", "inclusiegraad"),
    "kpi_displacement": ("displaced per 100 subsidised jobs", "verdrongen per 100 gesubsidieerde banen"),
    "kpi_throughput": ("to regular work from subsidised work, last 12 months",
                       "doorstroom naar regulier werk uit gesubsidieerd werk, laatste 12 maanden"),
    "kpi_net_cost": ("municipal net cost so far (spend − receipts)",
                     "netto kosten gemeente tot nu toe (uitgaven − ontvangsten)"),
    "kpi_vs_baseline": ("{d} vs baseline", "{d} t.o.v. basislijn"),
    "kpi_seeds": ("mean of {n} seeds; range {lo} … {hi}", "gemiddelde van {n} seeds; spreiding {lo} … {hi}"),
    "kpi_noise": ("within the noise of {n} seeds", "binnen de ruis van {n} seeds"),
    "kpi_ensemble": ("{m} members × {seeds}; 5–95% interval {lo} … {hi}",
                     "{m} leden × {seeds}; 5–95%-interval {lo} … {hi}"),
    "n_seeds_1": ("1 seed", "1 seed"),
    "n_seeds_n": ("{s} seeds", "{s} seeds"),
    "noise_column": ("95% interval of the difference", "95%-interval van het verschil"),
    "ensemble_column": ("5–95% interval over the ensemble", "5–95%-interval over het ensemble"),
    # charts
    "chart_mix": ("Labour-state mix", "Verdeling over arbeidsposities"),
    "chart_inclusion": ("Inclusion rate and inclusion gap", "Inclusiegraad en inclusiekloof"),
    "chart_displacement": ("Displacement (verdringing)", "Verdringing"),
    "chart_throughput": ("Throughput into regular work (doorstroom)", "Doorstroom naar regulier werk"),
    "chart_cost": ("Municipal spend and net cost", "Uitgaven en netto kosten van de gemeente"),
    "cost_note": ("Stacked: what the municipality pays out each month. Black: its net cost, spend − receipts "
                  "(co-funding, levies) — the figure of the tile, Compare and Who pays. Dotted: the benefits that "
                  "people's work makes unnecessary, a counterfactual for reading: they are already absent from spend, "
                  "so they are never subtracted.",
                  "Gestapeld: wat de gemeente elke maand uitgeeft. Zwart: haar netto kosten, uitgaven − ontvangsten "
                  "(cofinanciering, heffingen) — het getal van de tegel, Vergelijken en Wie betaalt. Gestippeld: de "
                  "uitkeringen die door werk niet nodig zijn, een contrafeitelijk getal ter lezing: ze ontbreken al in "
                  "de uitgaven en worden dus nooit afgetrokken."),
    "chart_accounts": ("Account per party (net, per month)", "Rekening per partij (netto, per maand)"),
    "chart_difference": ("Difference over time: your settings − baseline",
                         "Verschil in de tijd: uw instellingen − basislijn"),
    "chart_sankey": ("Moves between labour states, month {a} → month {b}",
                     "Overgangen tussen arbeidsposities, maand {a} → maand {b}"),
    "chart_region": ("The region: {metric}, month {m}", "De regio: {metric}, maand {m}"),
    "chart_story": ("Person {pid}: a timeline", "Persoon {pid}: een tijdlijn"),
    "chart_who_pays_difference": ("What your settings change for each party (cumulative, against the baseline)",
                                  "Wat uw instellingen per partij veranderen (cumulatief, t.o.v. de basislijn)"),
    "chart_who_pays": ("Who pays, who gains: cumulative net account per party",
                       "Wie betaalt, wie wint: cumulatieve netto rekening per partij"),
    "axis_month": ("month", "maand"),
    "axis_people": ("people", "mensen"),
    "axis_percent": ("%", "%"),
    "axis_eur_month": ("EUR per month", "EUR per maand"),
    "axis_eur": ("EUR", "EUR"),
    "axis_per_100": ("regular jobs displaced per 100 subsidised jobs",
                     "verdrongen reguliere banen per 100 gesubsidieerde banen"),
    "axis_throughput": ("% of subsidised workers per month", "% van gesubsidieerde werkers per maand"),
    "net_cost": ("municipal net cost (spend − receipts)", "netto kosten gemeente (uitgaven − ontvangsten)"),
    "receipts": ("received (co-funding, levies)", "ontvangen (cofinanciering, heffingen)"),
    "savings": ("benefits saved by work (counterfactual, not subtracted)",
                "door werk bespaarde uitkeringen (contrafeitelijk, niet afgetrokken)"),
    "mean_over_seeds": ("mean over {n} seeds", "gemiddelde over {n} seeds"),
    "band_seeds": ("lowest to highest of {n} seeds", "laagste tot hoogste van {n} seeds"),
    "band_ensemble": ("5–95% interval of {m} members × {seeds}", "5–95%-interval van {m} leden × {seeds}"),
    "mean_over_runs": ("mean over {n} runs", "gemiddelde over {n} runs"),
    "compare_ensemble_note": ("Over the calibration ensemble (abm/ensemble.toml): {m} parameter sets × {seeds}, "
                              "each with its own baseline. The band and the ranges are the 5th to 95th percentile of "
                              "the {n} runs' differences, pooled with the members' importance weights (equal for an "
                              "ensemble of one round), and the means are pooled the same way: parameter uncertainty "
                              "and seed noise together (as plm report --ensemble).",
                              "Over het kalibratie-ensemble (abm/ensemble.toml): {m} parametersets × {seeds}, elk "
                              "met een eigen basislijn. De band en de spreiding zijn het 5e tot 95e percentiel van "
                              "de verschillen van de {n} runs, gewogen met de importance-gewichten van de leden "
                              "(gelijk voor een ensemble van één ronde), en de gemiddelden net zo: onzekerheid over "
                              "de parameters en ruis van de seeds samen (zoals plm report --ensemble)."),
    "metric": ("Metric", "Maatstaf"),
    "compare_off": ("Compare mode is off. Switch on “Compare with a baseline” in the left panel: a baseline then runs "
                    "beside your settings on the same seed.",
                    "Vergelijken staat uit. Zet “Vergelijk met een basislijn” aan in het linkerpaneel: dan draait een "
                    "basislijn naast uw instellingen met dezelfde seed."),
    "no_difference": ("Your settings equal the baseline, so the difference is zero. Move a lever or switch a "
                      "mechanism to see an effect.",
                      "Uw instellingen zijn gelijk aan de basislijn, dus het verschil is nul. Verschuif een knop of "
                      "zet een mechanisme om om een effect te zien."),
    "end_of_run": ("At month {m}", "In maand {m}"),
    # flows
    "period": ("Period (months)", "Periode (maanden)"),
    "flows_help": ("Each band is people who were in one state at the start of the period (left) and in another at "
                   "the end (right). 'Entered' and 'left' are people who came in or retired during the period.",
                   "Elke band zijn mensen die aan het begin van de periode (links) in de ene positie zaten en aan het "
                   "eind (rechts) in een andere. 'Ingestroomd' en 'uitgestroomd' zijn mensen die in de periode "
                   "binnenkwamen of met pensioen gingen."),
    "which_run": ("Run", "Run"),
    "stayed": ("stayed", "bleven"),
    # region
    "colour_by": ("Colour municipalities by", "Kleur gemeenten naar"),
    "region_help": ("Circles are municipalities, sized by their job pool (regular jobs in the low-wage segment); "
                    "lines are commuting links, thicker where more applications travel.",
                    "Cirkels zijn gemeenten, zo groot als hun banenpool (reguliere banen in het laagbetaalde "
                    "segment); lijnen zijn woon-werkverbindingen, dikker waar meer sollicitaties reizen."),
    "show_difference": ("show the difference with the baseline", "toon het verschil met de basislijn"),
    "region_inclusion_rate": ("inclusion rate", "inclusiegraad"),
    "region_unemployed_share": ("share unemployed", "aandeel werkloos"),
    "region_bijstand": ("people in bijstand", "mensen in de bijstand"),
    "region_basisbaan": ("people in a basisbaan", "mensen met een basisbaan"),
    "region_parallel": ("people in parallel work", "mensen in parallel werk"),
    "region_displaced": ("regular jobs displaced", "verdrongen reguliere banen"),
    "region_regular_jobs": ("regular jobs (job pool)", "reguliere banen (banenpool)"),
    "region_vacancies": ("open vacancies", "open vacatures"),
    "jobs": ("jobs", "banen"),
    "people": ("people", "mensen"),
    # person
    "person_id": ("Person id", "Persoonsnummer"),
    "show_person": ("Show", "Toon"),
    "find_basisbaan": ("someone who entered a basisbaan", "iemand die een basisbaan kreeg"),
    "find_parallel_to_regular": ("someone who moved from parallel to regular work",
                                 "iemand die doorstroomde van parallel naar regulier werk"),
    "find_found_regular": ("someone who found a regular job", "iemand die een reguliere baan vond"),
    "find_stayed_unemployed": ("someone who stayed unemployed", "iemand die werkloos bleef"),
    "find_random": ("anyone", "willekeurig iemand"),
    "show_me": ("Show me…", "Laat zien…"),
    "nobody_found": ("Nobody like that in this run yet: run more months, or change the settings.",
                     "Nog niemand zo in deze run: draai meer maanden, of wijzig de instellingen."),
    "not_followed": ("Person {pid} is not in this run.", "Persoon {pid} zit niet in deze run."),
    "pick_someone": ("Pick a person id, or let the model show you someone.",
                     "Kies een persoonsnummer, of laat het model iemand laten zien."),
    "story_state": ("labour state", "arbeidspositie"),
    "story_income": ("net income (EUR/month)", "netto inkomen (EUR/maand)"),
    "story_wellbeing": ("wellbeing (1–5)", "welzijn (1–5)"),
    "story_stigma": ("stigma (0–1)", "stigma (0–1)"),
    "story_state_short": ("state", "positie"),
    "story_income_short": ("EUR/month", "EUR/maand"),
    "story_wellbeing_short": ("wellbeing", "welzijn"),
    "story_stigma_short": ("stigma", "stigma"),
    "story_self_stigma": ("self-stigma", "zelfstigma"),
    "story_label_stigma": ("stigma met from employers (label × belief)", "stigma van werkgevers (label × beeld)"),
    "story_events": ("What happened", "Wat er gebeurde"),
    "story_event": ("month {m}: {frm} → {to} ({reason})", "maand {m}: {frm} → {to} ({reason})"),
    "story_baseline_note": ("Dashed: the same person in the baseline (same seed).",
                            "Gestreept: dezelfde persoon in de basislijn (zelfde seed)."),
    "story_left": ("left the population in month {m}", "verliet de populatie in maand {m}"),
    "fact_age": ("age", "leeftijd"),
    "fact_sex": ("sex", "geslacht"),
    "male": ("man", "man"),
    "female": ("woman", "vrouw"),
    "fact_household": ("household", "huishouden"),
    "single": ("single", "alleenstaand"),
    "cohabiting": ("cohabiting", "samenwonend"),
    "fact_education": ("education", "opleiding"),
    "low": ("low", "laag"),
    "middle": ("middle", "middelbaar"),
    "high": ("high", "hoog"),
    "fact_municipality": ("municipality", "gemeente"),
    "fact_benefit": ("benefit", "uitkering"),
    "fact_state": ("now", "nu"),
    "fact_contract": ("contract", "contract"),
    "fact_labels": ("what an employer sees", "wat een werkgever ziet"),
    "fact_health": ("can work (hours/week)", "kan werken (uur/week)"),
    "fact_skill": ("loonwaarde (productive value, × WML)", "loonwaarde (× WML)"),
    "fact_months_out": ("months out of work", "maanden zonder werk"),
    "yes": ("yes", "ja"),
    "no": ("no", "nee"),
    "work_limitation": ("work limitation", "arbeidsbeperking"),
    "in_register": ("in the doelgroepregister (target-group register)", "in het doelgroepregister"),
    # accounts
    "accounts_help": ("Net account per party over the run so far (+ gains, − pays). The municipality's account is "
                      "minus its net cost so far (spend − receipts): the figure of the tile and of Compare. The "
                      "municipality pays for the basisbaan while much of the gain lands elsewhere: the treasury "
                      "(taxes, fewer benefits), health insurers and the participants — the split "
                      "incentive of E76.",
                      "Netto rekening per partij over de run tot nu toe (+ wint, − betaalt). De rekening van de "
                      "gemeente is min haar netto kosten tot nu toe (uitgaven − ontvangsten): het getal van de tegel "
                      "en van Vergelijken. De gemeente betaalt voor de basisbaan, terwijl veel van de winst elders "
                      "landt: bij het Rijk (belasting, minder uitkeringen), zorgverzekeraars en de "
                      "deelnemers — de gespleten prikkel uit E76."),
    "accounts_programme": ("Groningen's EUR 19,000 per basisbaan per year is the programme's net cost: its wages, "
                           "guidance and project costs, whoever pays them, minus the benefits its participants no "
                           "longer draw. It is not the municipality's "
                           "net cost, which is all the municipality pays out minus what it receives. The programme's "
                           "net cost in this run: {eur} per basisbaan-year.",
                           "Groningens EUR 19.000 per basisbaan per jaar zijn de netto kosten van het programma: "
                           "lonen, begeleiding en projectkosten, wie ze ook betaalt, min de uitkeringen die de "
                           "deelnemers niet meer krijgen. Dat zijn niet "
                           "de netto kosten van de gemeente: alles wat de gemeente uitgeeft min wat zij ontvangt. De "
                           "netto kosten van het programma in deze run: {eur} per basisbaanjaar."),
    "accounts_programme_none": ("Groningen's EUR 19,000 per basisbaan per year is the programme's net cost: its wages, "
                                "guidance and project costs minus the benefits its participants no longer draw — "
                                "not the municipality's net cost. Nobody has held a basisbaan in this run yet.",
                                "Groningens EUR 19.000 per basisbaan per jaar zijn de netto kosten van het programma: "
                                "lonen, begeleiding en projectkosten min de uitkeringen die de deelnemers niet meer "
                                "krijgen — niet de "
                                "netto kosten van de gemeente. In deze run heeft nog niemand een basisbaan gehad."),
    "accounts_assumed": ("What is assumed. The liveability value of basisbaan work for the neighbourhood, "
                         "{live} per hour worked, is an assumption, not a measurement (plausible range EUR 0-15; the "
                         "social cost-benefit analysis, MKBA Ecorys 2020, found social benefits at least equal to "
                         "social costs, E77), and no cash: it is in no party's account. Health "
                         "insurers' costs fall with wellbeing and with work ({care} per person per month at average "
                         "wellbeing, out of work: an assumption). Employers' production is valued at loonwaarde × wage "
                         "cost. Change these under All parameters → Accounts per party.",
                         "Wat is aangenomen. De waarde voor de leefbaarheid van de buurt van basisbaanwerk, {live} "
                         "per gewerkt uur, is een aanname, geen meting (aannemelijk bereik EUR 0-15; de MKBA, Ecorys "
                         "2020, vond maatschappelijke baten minstens gelijk aan de kosten, E77), en geen geld: zij "
                         "staat op de rekening van geen enkele partij. De kosten van zorgverzekeraars "
                         "dalen met welzijn en met werk ({care} per persoon per maand bij gemiddeld welzijn, zonder "
                         "werk: een aanname). De productie voor werkgevers is gewaardeerd als loonwaarde × loonkosten. "
                         "U wijzigt deze onder Alle parameters → Rekeningen per partij."),
    "accounts_seeds": ("Mean of {n} seeds.", "Gemiddelde van {n} seeds."),
    "accounts_only_municipality": ("This version of the model books only the municipality's account.",
                                   "Deze versie van het model boekt alleen de rekening van de gemeente."),
    "total_all_parties": ("all parties together", "alle partijen samen"),
    "spend_breakdown": ("Municipal spend by component over the run",
                        "Gemeentelijke uitgaven per onderdeel over de run"),
    # export
    "export_help": ("Everything here is computed from the run on screen. The scenario file runs the same settings "
                    "from the command line: plm run --scenario FILE --seed SEED.",
                    "Alles hier komt uit de run op het scherm. Het scenariobestand draait dezelfde instellingen "
                    "vanaf de opdrachtregel: plm run --scenario BESTAND --seed SEED."),
    "export_csv": ("Time series (CSV)", "Tijdreeks (CSV)"),
    "export_places_csv": ("Programme places over time, region and municipalities (CSV)",
                          "Programmaplaatsen in de tijd, regio en gemeenten (CSV)"),
    "export_csv_compare": ("All runs of the comparison (CSV)", "Alle runs van de vergelijking (CSV)"),
    "export_toml": ("Scenario with your settings (TOML)", "Scenario met uw instellingen (TOML)"),
    "export_chart": ("Chart", "Grafiek"),
    "export_format": ("Format", "Formaat"),
    "export_image": ("Download chart", "Grafiek downloaden"),
    # teach
    "mechanisms_help": ("Switch a mechanism off to see what it does. Tip: switch on “Compare with a baseline” first: "
                        "the baseline keeps every mechanism on, so the Compare tab shows the mechanism's effect.",
                        "Zet een mechanisme uit om te zien wat het doet. Tip: zet eerst “Vergelijk met een basislijn” "
                        "aan: de basislijn houdt alle mechanismen aan, dus het tabblad Vergelijken toont het effect."),
    "card_what": ("What it is", "Wat het is"),
    "card_evidence": ("Evidence", "Onderbouwing"),
    "card_look": ("What to look for when you switch it off", "Waar u op let als u het uitzet"),
    "mechanism_on": ("on", "aan"),
    "lesson": ("Lesson", "Les"),
    "lesson_step": ("Step {i} of {n}", "Stap {i} van {n}"),
    "lesson_setup": ("Set up this step", "Zet deze stap klaar"),
    "lesson_prev": ("Previous", "Vorige"),
    "lesson_next": ("Next", "Volgende"),
    "lesson_question": ("Question", "Vraag"),
    "lesson_look": ("Look at", "Kijk naar"),
    "lesson_ready": ("Set up: {what}. Now look at the {tab} tab.", "Klaargezet: {what}. Kijk nu op het tabblad {tab}."),
}

STATES: dict[str, tuple[str, str]] = {
    "unemployed": ("unemployed (on a benefit)", "werkloos (met uitkering)"),
    "regular": ("regular work", "regulier werk"),
    "parallel": ("parallel work (sheltered, social enterprise)", "parallel werk (beschut, sociale onderneming)"),
    "basisbaan": ("basisbaan (basic job)", "basisbaan"),
    "participation": ("participation (unpaid)", "participatie (onbetaald)"),
    "inactive": ("inactive (exempt, sick, no benefit)", "inactief (ontheven, ziek, geen uitkering)"),
    "entry": ("entered", "ingestroomd"),
    "exit": ("left (retired)", "uitgestroomd (pensioen)"),
}
STATES_SHORT: dict[str, tuple[str, str]] = {
    "unemployed": ("unemployed", "werkloos"),
    "regular": ("regular", "regulier"),
    "parallel": ("parallel", "parallel"),
    "basisbaan": ("basisbaan", "basisbaan"),
    "participation": ("participation", "participatie"),
    "inactive": ("inactive", "inactief"),
    "entry": ("entered", "ingestroomd"),
    "exit": ("left", "uitgestroomd"),
}

# Labels and formats of the figures: one spec for the CLI, the report and the app (abm/metric_labels.py).
METRICS: dict[str, tuple[str, str]] = {name: (spec.en, spec.nl) for name, spec in LABELS.items()}
# how each metric is shown: "pct" (x100 with %), "eur", "num", "dec" (2 decimals), "dec3" (3), "dec1" (1)
METRIC_FORMAT: dict[str, str] = {
    name: ("pct" if spec.kind == "pct" else "eur" if spec.kind == "eur" else "num" if spec.kind == "count"
           else f"dec{spec.digits}" if spec.digits != 2 else "dec")
    for name, spec in LABELS.items()}
COMPARE_METRICS = ("inclusion_rate", "inclusion_gap", "displacement_per_100", "throughput_rate", "net_cost_so_far",
                   "municipal_net_cost", "n_regular", "n_basisbaan", "n_parallel", "n_unemployed", "n_bijstand",
                   "mean_self_stigma", "mean_wellbeing", "mean_search_effort")

SPEND: dict[str, tuple[str, str]] = {
    "spend_benefits": ("benefits (bijstand)", "uitkeringen (bijstand)"),
    "spend_subsidies": ("wage-cost subsidies (LKS)", "loonkostensubsidie (LKS)"),
    "spend_coaching": ("client managers (coaching)", "klantmanagers (begeleiding)"),
    "spend_participation": ("participation places", "participatieplaatsen"),
    "spend_parallel": ("parallel places", "parallelle plaatsen"),
    "spend_basisbaan_wages": ("basisbaan wages", "lonen basisbanen"),
    "spend_basisbaan_guidance": ("basisbaan guidance", "begeleiding basisbanen"),
    "spend_basisbaan_project": ("basisbaan project costs", "projectkosten basisbanen"),
}

PARTIES: dict[str, tuple[str, str]] = {
    "municipality": ("municipality (gemeente)", "gemeente"),
    "treasury": ("national treasury (Rijk)", "Rijk (schatkist)"),
    "employers": ("employers", "werkgevers"),
    "insurers": ("health insurers", "zorgverzekeraars"),
    "housing": ("housing corporations", "woningcorporaties"),
    "neighbourhood": ("neighbourhood organisations", "buurtorganisaties"),
    "participants": ("participants (net income)", "deelnemers (netto inkomen)"),
}

REASONS: dict[str, tuple[str, str]] = {
    "initial": ("at the start", "bij de start"),
    "hired": ("hired", "aangenomen"),
    "contract_end": ("contract ended", "contract afgelopen"),
    "dismissal": ("dismissed", "ontslagen"),
    "dropout": ("dropped out", "uitgevallen"),
    "health": ("health", "gezondheid"),
    "recovered": ("recovered", "hersteld"),
    "participation_start": ("started a participation job", "begon een participatiebaan"),
    "participation_end": ("participation job ended", "participatiebaan afgelopen"),
    "left_benefit": ("left the benefit", "uitkering verlaten"),
    "basisbaan_placed": ("placed in a basisbaan", "geplaatst in een basisbaan"),
    "retired": ("retired", "met pensioen"),
    "entered": ("entered", "ingestroomd"),
    "programme_end": ("programme ended", "programma beëindigd"),
    "income_lost": ("income lost: claimed bijstand", "inkomen weggevallen: bijstand aangevraagd"),
    "job_back": ("back in the job left", "terug in de vorige baan"),
    "left_other": ("left bijstand for other reasons (moved, partner, other benefit, died)",
                   "bijstand verlaten om andere redenen (verhuisd, partner, andere uitkering, overleden)"),
}

BENEFITS: dict[str, tuple[str, str]] = {
    "none": ("none", "geen"),
    "bijstand": ("bijstand (social assistance)", "bijstand"),
    "ww": ("WW (unemployment insurance)", "WW"),
    "disability": ("disability benefit (Wajong, WGA)", "arbeidsongeschiktheidsuitkering (Wajong, WGA)"),
}
CONTRACTS: dict[str, tuple[str, str]] = {
    "none": ("none", "geen"), "permanent": ("permanent", "vast"), "temporary": ("temporary", "tijdelijk"),
}
GROUPS: dict[str, tuple[str, str]] = {
    "long_term_unemployed": ("long-term unemployed", "langdurig werkloos"),
    "psychological": ("psychological vulnerability", "psychische kwetsbaarheid"),
    "older": ("older", "ouder"),
    "migrant": ("migration background", "migratieachtergrond"),
    "work_limitation": ("work limitation", "arbeidsbeperking"),
}

SECTIONS: dict[str, tuple[str, str]] = {
    "": ("Run", "Run"),
    "economy": ("Economy", "Economie"),
    "region": ("Region and commuting", "Regio en woon-werkverkeer"),
    "policy": ("Municipal policy", "Gemeentelijk beleid"),
    "population": ("Population", "Bevolking"),
    "employers": ("Employers", "Werkgevers"),
    "social": ("Social network", "Sociaal netwerk"),
    "stigma": ("Employer stigma", "Stigma bij werkgevers"),
    "self_stigma": ("Self-stigma (why try)", "Zelfstigma (why try)"),
    "risk": ("Employer risk aversion", "Risicomijding van werkgevers"),
    "subsidy_quota": ("Wage-cost subsidy and quota", "Loonkostensubsidie en quotum"),
    "money": ("Money and the poverty trap (armoedeval)", "Geld en de armoedeval"),
    "search": ("Job search", "Zoeken naar werk"),
    "hiring": ("Hiring", "Aannemen"),
    "separations": ("Separations", "Uitstroom uit werk"),
    "activation": ("Activation", "Activering"),
    "coaching": ("Coaching", "Begeleiding"),
    "displacement": ("Displacement (verdringing)", "Verdringing"),
    "short_spells": ("Short bijstand spells", "Korte bijstandsperiodes"),
    "throughput": ("Throughput (doorstroom)", "Doorstroom"),
    "skills": ("Skills", "Vaardigheden"),
    "wellbeing": ("Wellbeing and health", "Welzijn en gezondheid"),
    "basisbaan": ("Basisbaan recruitment", "Werving basisbanen"),
    "acquisition": ("Acquiring programme places (basisbaan, parallel)",
                    "Acquisitie van programmaplaatsen (basisbaan, parallel)"),
    "demography": ("Demography", "Demografie"),
    "accounts": ("Accounts per party", "Rekeningen per partij"),
}

# Short labels of the main levers (the schema's description is the tooltip).
LEVER_LABELS: dict[str, tuple[str, str]] = {
    "policy.basisbaan_slots": ("basisbaan (basic job) places per municipality", "basisbaanplaatsen per gemeente"),
    "policy.additionality_test": ("additionality test against displacement", "toets op verdringing (additionaliteit)"),
    "economy.tightness": ("labour-market tightness", "krapte op de arbeidsmarkt"),
    "policy.regime": ("bijstand regime", "bijstandsregime"),
    "policy.caseload": ("caseload (clients per client manager)", "caseload (klanten per klantmanager)"),
    "policy.earnings_disregard_share": ("earnings disregard (share kept)", "inkomstenvrijlating (deel dat men houdt)"),
    "policy.earnings_disregard_months": ("earnings disregard (months)", "inkomstenvrijlating (maanden)"),
    "policy.basisbaan_contract": ("basisbaan contract", "basisbaancontract"),
    "policy.basisbaan_throughput_goal": ("basisbaan throughput goal", "doorstroomdoel basisbaan"),
    "policy.basisbaan_cofunding_share": ("basisbaan co-funding by organisations",
                                         "cofinanciering basisbaan door organisaties"),
    "policy.basisbaan_acquisition": ("basisbaan places made over time (acquisition)",
                                     "basisbaanplaatsen stap voor stap gemaakt (acquisitie)"),
    "policy.basisbaan_acquisition_hours": ("staff hours to find basisbaan places",
                                           "uren om basisbaanplaatsen te vinden"),
    "policy.parallel_places_per_100": ("parallel places per 100 in bijstand",
                                       "parallelle plaatsen per 100 in de bijstand"),
    "policy.parallel_acquisition": ("parallel places made over time (acquisition)",
                                    "parallelle plaatsen stap voor stap gemaakt (acquisitie)"),
    "policy.parallel_acquisition_hours": ("staff hours to find parallel places",
                                          "uren om parallelle plaatsen te vinden"),
    "policy.quota_enforced": ("quota levy collected (banenafspraak)", "quotumheffing geïnd (banenafspraak)"),
    "policy.no_risk_policy": ("no-risk policy (no-riskpolis)", "no-riskpolis"),
    "policy.lks_enabled": ("wage-cost subsidy (loonkostensubsidie)", "loonkostensubsidie"),
    "months": ("months to run", "maanden"),
    "scale": ("people per agent (higher = faster)", "mensen per agent (hoger = sneller)"),
}
CHOICES: dict[str, tuple[str, str]] = {
    "sanction": ("sanctions (job-search duty)", "sancties (sollicitatieplicht)"),
    "trust": ("trust (no duty)", "vertrouwen (geen plicht)"),
    "permanent": ("permanent", "vast"),
    "temporary": ("temporary", "tijdelijk"),
    "long_term_bijstand": ("long-term bijstand", "langdurig in de bijstand"),
    "register_or_56plus": ("register or 56+", "doelgroepregister of 56+"),
    "any_bijstand": ("any bijstand recipient", "iedere bijstandsontvanger"),
    "municipality": ("the municipality", "de gemeente"),
    "national": ("the national government (Rijk)", "het Rijk"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "nl" else pair[0]


def t(key: str, lang: str = "en", **fmt: Any) -> str:
    """The interface text `key` in `lang`, formatted with `fmt`."""
    text = _pick(T[key], lang)
    return text.format(**fmt) if fmt else text


def assumed_lines(scenario, lang: str = "en") -> list[str]:
    """The scenario's assumed settings as the scenario card says them: a heading, then one line per setting with
    its value, its declared range and source (abm/assumptions.py); [] when it declares none."""
    from abm.assumptions import rows

    items = rows(scenario)
    if not items:
        return []
    return [t("assumed_heading", lang)] + [
        t("assumed_item", lang, setting=r["key"], value=fmt_value(r["value"], lang), low=fmt_value(r["low"], lang),
          high=fmt_value(r["high"], lang), source=r["source"]) for r in items]


def _lookup(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    return _pick(pair, lang) if pair else key.replace("_", " ")


def state(name: str, lang: str, short: bool = False) -> str:
    return _lookup(STATES_SHORT if short else STATES, name, lang)


def metric(name: str, lang: str) -> str:
    return _lookup(METRICS, name, lang)


def spend(name: str, lang: str) -> str:
    return _lookup(SPEND, name, lang)


def party(name: str, lang: str) -> str:
    return _lookup(PARTIES, name, lang)


def reason(name: str, lang: str) -> str:
    return _lookup(REASONS, name, lang)


def benefit(name: str, lang: str) -> str:
    return _lookup(BENEFITS, name, lang)


def contract(name: str, lang: str) -> str:
    return _lookup(CONTRACTS, name, lang)


def group(name: str, lang: str) -> str:
    return _lookup(GROUPS, name, lang)


# Dutch names of the presets (English shows the preset's own name, as `plm scenarios` lists it)
PRESETS_NL: dict[str, str] = {
    "baseline-participatiewet": "Participatiewet zoals nu, zonder basisbanen",
    "business-cycle": "Conjunctuur: hoog- en laagconjunctuur",
    "default": "Standaardregio",
    "groningen-basisbaan-2020": "Basisbaan Groningen 2020",
    "heerlen-basisbaan-2019": "Basisbaan Heerlen 2019",
    "job-guarantee": "Baangarantie",
    "melkert-1994": "Melkertbanen 1994",
    "parallel-market": "Parallelle arbeidsmarkt",
    "parallel-market-acquisition": "Parallelle arbeidsmarkt, plaatsen stap voor stap gemaakt",
    "participation-income": "Participatie-inkomen (instapeconomie)",
    "quota-enforced": "Quotumheffing echt geïnd",
    "recession": "Recessie",
    "regelluwe-bijstand-earnings-disregard": "Regelluwe bijstand: inkomstenvrijlating",
    "regelluwe-bijstand-intensive": "Regelluwe bijstand: intensieve begeleiding",
    "regelluwe-bijstand-trust": "Regelluwe bijstand: vertrouwen",
    "rotterdam-wijkbasisbaan-2021": "Wijkbasisbaan Rotterdam 2021",
    "rotterdam-wijkbasisbaan-2021-acquisition": "Wijkbasisbaan Rotterdam 2021, plaatsen stap voor stap gemaakt",
    "social-secondment": "Sociale detachering",
    "stigma-reduction": "Minder stigma bij werkgevers",
    "stip-den-haag": "STiP Den Haag",
    "tight-market": "Krappe arbeidsmarkt",
}


def preset_name(name: str, lang: str) -> str:
    """A preset as the app lists it: its own name in English; in Dutch a Dutch name with the preset's name."""
    if lang == "nl" and name in PRESETS_NL:
        return f"{PRESETS_NL[name]} ({name})"
    return name


def section(name: str, lang: str) -> str:
    return _lookup(SECTIONS, name, lang)


def choice(value: str, lang: str) -> str:
    return _lookup(CHOICES, value, lang)


def n_seeds(n: int, lang: str) -> str:
    """"1 seed" or "N seeds"."""
    return t("n_seeds_1" if n == 1 else "n_seeds_n", lang, s=n)


def lever_label(lever, lang: str) -> str:
    """A short label: hand-written for the main levers, else the parameter's name."""
    pair = LEVER_LABELS.get(lever.path)
    if pair:
        return _pick(pair, lang)
    if lang == "nl" and DESCRIPTIONS_NL.get(lever.path):
        return short_label(DESCRIPTIONS_NL[lever.path])
    return lever.name.replace("_", " ")


def short_label(description: str, limit: int = 60) -> str:
    """A parameter's Dutch description as its label: the whole phrase when short, else up to its first
    parenthesis or comma (the rest stays in the tooltip)."""
    text = description.strip()
    if len(text) <= limit:
        return text
    stops = [i for i in (text.find(" ("), text.find(", "), text.find("; ")) if 15 <= i <= limit]
    if stops:
        return text[:min(stops)]
    return text[:text.rfind(" ", 0, limit)] + " …"


def lever_full_label(lever, lang: str) -> str:
    """The label with its section when the name alone is ambiguous (e.g. "Employer stigma · enabled")."""
    if lever.path in LEVER_LABELS:
        return _pick(LEVER_LABELS[lever.path], lang)
    if lever.name == "enabled" and lever.section:      # a mechanism's switch: the mechanism's name says it
        return section(lever.section, lang)
    name = lever_label(lever, lang)
    return f"{section(lever.section, lang)} · {name}" if lever.section else name


def fmt_value(value: Any, lang: str) -> str:
    """A setting's value as shown: on/off, translated choices, numbers in the language's style."""
    if isinstance(value, bool):
        return t("on" if value else "off", lang)
    if isinstance(value, (int, float)):
        return fmt_number(value, lang)
    if isinstance(value, str):
        return choice(value, lang)
    return str(value)


def lever_description(lever, lang: str) -> str:
    if lang == "nl":
        text = DESCRIPTIONS_NL.get(lever.path)
        return text if text else f"{lever.description} (EN)"
    return lever.description


def unit(text: str, lang: str) -> str:
    if lang == "nl":
        return UNITS_NL.get(text, text)
    return text


def source(text: str, lang: str) -> str:
    if lang == "nl" and text == ASSUMPTION_EN:
        return ASSUMPTION_NL
    return text


def lever_tooltip(lever, lang: str) -> str:
    """Description, unit, range, default and source of a lever, one per line."""
    lines = [lever_description(lever, lang)]
    if lever.unit:
        lines.append(f"{t('unit', lang)}: {unit(lever.unit, lang)}")
    if lever.lo is not None or lever.hi is not None:
        lo = "−∞" if lever.lo is None else fmt_number(lever.lo, lang)
        hi = "∞" if lever.hi is None else fmt_number(lever.hi, lang)
        lines.append(f"{t('range', lang)}: {lo} … {hi}")
    elif lever.choices:
        lines.append(f"{t('range', lang)}: {' | '.join(choice(c, lang) for c in lever.choices)}")
    default = lever.default
    if isinstance(default, bool):
        default = t("on" if default else "off", lang)
    elif isinstance(default, (int, float)):
        default = fmt_number(default, lang)
    elif isinstance(default, str):
        default = choice(default, lang)
    lines.append(f"{t('default', lang)}: {default}")
    if lever.source:
        lines.append(f"{t('source', lang)}: {source(lever.source, lang)}")
    lines.append(lever.path)
    return "\n".join(lines)


def fmt_number(x: float, lang: str, decimals: int | None = None) -> str:
    """A number with thousands separators in the language's style (1,234.5 / 1.234,5)."""
    if decimals is None:
        text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4f}".rstrip("0").rstrip(".")
    else:
        text = f"{x:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


NUMBER_PATTERN = {   # what `parse_number` reads: the style `fmt_number` writes (thousands grouped, or not)
    "en": re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$"),
    "nl": re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"),
}


def parse_number(text: str, lang: str) -> float:
    """A number typed in the language's style, the inverse of `fmt_number`: 0,25 and 1.234,5 in Dutch, 0.25 and
    1,234.5 in English. Anything else (0.25 in Dutch, where the dot groups thousands) raises ValueError naming
    the style allowed."""
    s = str(text).strip().replace("\u2212", "-").replace(" ", "")
    if not NUMBER_PATTERN["nl" if lang == "nl" else "en"].match(s):
        example = fmt_number(1234.5, lang) + " or " + fmt_number(0.25, lang)
        raise ValueError(f"{str(text)[:40]!r}: allowed: a number written as {example}")
    if lang == "nl":
        s = s.replace(".", "").replace(",", ".")
    return float(s.replace(",", ""))


def fmt_eur(value: float, lang: str, signed: bool = False) -> str:
    """Money for a projector: EUR 1.53 bn / EUR 1,53 mld above a billion, EUR 20.9 m / EUR 20,9 mln above a
    million, else whole euros."""
    sign = "+" if signed and value > 0 else ("−" if value < 0 else "")
    v = abs(value)
    if v >= 1e9:
        return f"{sign}EUR {fmt_number(v / 1e9, lang, 2 if v < 1e10 else 1)} {'mld' if lang == 'nl' else 'bn'}"
    if v >= 1e6:
        return f"{sign}EUR {fmt_number(v / 1e6, lang, 2 if v < 1e7 else 1)} {'mln' if lang == 'nl' else 'm'}"
    return f"{sign}EUR {fmt_number(v, lang, 0)}"


def fmt_metric(name: str, value: float, lang: str, signed: bool = False) -> str:
    kind = METRIC_FORMAT.get(name, "num")
    sign = "+" if signed and value > 0 else ""
    if kind == "pct":
        return sign + fmt_number(100 * value, lang, 1) + ("%" if not signed else (" %-punt" if lang == "nl" else " pp"))
    if kind == "eur":
        return fmt_eur(value, lang, signed)
    if kind == "dec":
        return sign + fmt_number(value, lang, 2)
    if kind == "dec3":
        return sign + fmt_number(value, lang, 3)
    if kind == "dec1":
        return sign + fmt_number(value, lang, 1)
    return sign + fmt_number(value, lang, 0)
