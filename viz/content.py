"""Teaching content: a card per mechanism and a few guided lessons, in English and Dutch.

Each card says what the mechanism is (the rule the model applies), the evidence behind it (cited by its number in
docs/evidence.md, E<n>) and what to look for when it is switched off. Each lesson is a sequence of steps; a
step sets the model up (levers, mechanisms, compare mode, months to run), points at a tab and asks a question.
The texts describe directions the rule implies, not figures: the figures are what the run on screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Text = dict[str, str]   # {"en": ..., "nl": ...}


@dataclass(frozen=True)
class Card:
    mechanism: str
    title: Text
    what: Text
    evidence: Text
    look: Text
    metric: str            # the metric of the Compare tab that shows the effect best


CARDS: tuple[Card, ...] = (
    Card("stigma",
         {"en": "Employer stigma", "nl": "Stigma bij werkgevers"},
         {"en": "Employers see a visible label — long-term unemployed, older, a psychological vulnerability, a work "
                "limitation, a migration background — and hold a belief about each group. Label × belief is "
                "subtracted from an applicant's score. The long-term label grows past about 12 months out of work. "
                "Beliefs soften only slowly and little with contact: not at all for 30% of employers, by at most "
                "30% for the others.",
          "nl": "Werkgevers zien een zichtbaar label — langdurig werkloos, ouder, een psychische kwetsbaarheid, een "
                "arbeidsbeperking, een migratieachtergrond — en hebben over elke groep een beeld. Label × beeld gaat "
                "van de score van een sollicitant af. Het label langdurig werkloos groeit na ongeveer 12 maanden "
                "zonder werk. Beelden worden door contact maar langzaam en weinig milder: bij 30% van de "
                "werkgevers helemaal niet, bij de anderen met hoogstens 30%."},
         {"en": "64% of Dutch managers are less willing to hire someone with a psychological vulnerability; 30% stay "
                "reluctant even when the problems lie in the past (Janssens et al. 2021). Only 14% of employers were "
                "willing to hire an unemployed person, 34% only if unemployment lasted under a year (Krug et al. "
                "2019). 56% of older job seekers experience age discrimination. E12–E16.",
          "nl": "64% van de Nederlandse leidinggevenden neemt minder graag iemand met een psychische kwetsbaarheid "
                "aan; 30% blijft terughoudend, ook als de problemen in het verleden liggen (Janssens e.a. 2021). "
                "Maar 14% van de werkgevers wilde een werkloze aannemen, 34% alleen bij werkloosheid korter dan een "
                "jaar (Krug e.a. 2019). 56% van de oudere werkzoekenden ervaart leeftijdsdiscriminatie. E12–E16."},
         {"en": "Inclusion should rise and the inclusion gap should narrow (the gap is the employment rate with a "
                "work limitation divided by the rate without: closer to 100% is more equal). Follow someone "
                "long-term unemployed in “A person's story”: does the threshold near 12 months still matter?",
          "nl": "De inclusiegraad hoort te stijgen en de inclusiekloof kleiner te worden (de kloof is de werkzaamheid "
                "met een arbeidsbeperking gedeeld door die zonder: dichter bij 100% is gelijker). Volg iemand die "
                "langdurig werkloos is in “Het verhaal van één persoon”: doet de drempel rond 12 maanden er nog toe?"},
         "inclusion_rate"),
    Card("self_stigma",
         {"en": "Self-stigma and the why-try effect", "nl": "Zelfstigma en het why-try-effect"},
         {"en": "People expect to be turned down and take the negative image on themselves. Self-stigma grows with "
                "rejections and with the stigma people perceive around them; it falls with coaching, with work and "
                "when people they know find work. Search effort is multiplied by (1 − why-try × self-stigma): "
                "people stop trying.",
          "nl": "Mensen verwachten afgewezen te worden en nemen het negatieve beeld over. Zelfstigma groeit met "
                "afwijzingen en met het stigma dat mensen om zich heen zien; het daalt met begeleiding, met werk en "
                "als bekenden werk vinden. De zoekinspanning wordt vermenigvuldigd met (1 − why-try × zelfstigma): "
                "mensen houden op met proberen."},
         {"en": "Anticipated stigma and self-stigma lower self-esteem and lead to the why-try effect (Brouwers 2016). "
                "Work raises confidence and confidence raises the chance of work — a two-way loop the literature "
                "calls under-researched. E19–E20.",
          "nl": "Verwacht stigma en zelfstigma verlagen het zelfvertrouwen en leiden tot het why-try-effect "
                "(Brouwers 2016). Werk vergroot het zelfvertrouwen en zelfvertrouwen de kans op werk — een "
                "wisselwerking die volgens de literatuur te weinig is onderzocht. E19–E20."},
         {"en": "Search effort should rise (Compare: mean search effort). Self-stigma itself is still there — it just "
                "no longer holds people back — so compare the rise in effort with the rise in inclusion: does more "
                "searching bring more jobs when employers' stigma stays?",
          "nl": "De zoekinspanning hoort te stijgen (Vergelijken: gemiddelde zoekinspanning). Het zelfstigma zelf "
                "blijft — het houdt mensen alleen niet meer tegen — dus vergelijk de stijging van de inspanning met "
                "die van de inclusie: levert meer zoeken meer banen op als het stigma bij werkgevers blijft?"},
         "mean_search_effort"),
    Card("risk",
         {"en": "Employer risk aversion", "nl": "Risicomijding van werkgevers"},
         {"en": "Employers expect a higher drop-out risk from people whose hours exceed their health, and from people "
                "with a psychological vulnerability or a work limitation. The expected cost of two years of sick pay "
                "becomes a risk premium in the score. A temporary contract is a hedge; the no-risk policy takes most "
                "of the risk away for people in the register.",
          "nl": "Werkgevers verwachten meer uitvalrisico bij mensen die meer uren werken dan hun gezondheid aankan, en "
                "bij mensen met een psychische kwetsbaarheid of een arbeidsbeperking. De verwachte kosten van twee "
                "jaar loondoorbetaling bij ziekte worden een risicopremie in de score. Een tijdelijk contract is een "
                "afdekking; de no-riskpolis neemt het meeste risico weg voor mensen in het doelgroepregister."},
         {"en": "Two years of continued wage payment during sickness (unique in the world), preventive dismissal "
                "law, the risque social principle and an “efficiency addiction” make Dutch employers avoid risk "
                "(Wilthagen & Stolp). People with a migration background have a permanent contract less often "
                "(57.8% vs 75.1%). E21, E8.",
          "nl": "Twee jaar loondoorbetaling bij ziekte (uniek in de wereld), preventieve ontslagtoets, het principe "
                "van risque social en een “efficiëntieverslaving” maken Nederlandse werkgevers risicomijdend "
                "(Wilthagen & Stolp). Mensen met een migratieachtergrond hebben minder vaak een vast contract "
                "(57,8% tegen 75,1%). E21, E8."},
         {"en": "The inclusion gap should narrow: people with a work limitation lose the premium. Temporary contracts "
                "are still offered more to people seen as risky (the switch removes the premium, not the hedge).",
          "nl": "De inclusiekloof hoort kleiner te worden: mensen met een arbeidsbeperking verliezen de premie. "
                "Tijdelijke contracten worden nog steeds vaker aangeboden aan mensen die als riskant gelden (de "
                "schakelaar haalt de premie weg, niet de afdekking)."},
         "inclusion_gap"),
    Card("subsidy_quota",
         {"en": "Wage-cost subsidy and the quota", "nl": "Loonkostensubsidie en het quotum"},
         {"en": "For people with a work limitation whose loonwaarde (productive value) is below the minimum wage, a "
                "firm that uses loonkostensubsidie (LKS) sees the gap bridged, up to 70% of the WML. With the quota "
                "levy collected, large firms below their quota score register candidates higher — but only people "
                "in the doelgroepregister.",
          "nl": "Voor mensen met een arbeidsbeperking van wie de loonwaarde onder het minimumloon ligt, overbrugt "
                "loonkostensubsidie (LKS) bij een bedrijf dat die gebruikt het verschil, tot 70% van het WML. Als de "
                "quotumheffing wordt geïnd, scoren grote bedrijven onder hun quotum kandidaten uit het register "
                "hoger — maar alleen mensen in het doelgroepregister."},
         {"en": "Banenafspraak (2013): 125,000 extra jobs by 2026; about 52,000 by end 2018. The levy of EUR 5,000 per "
                "unfilled place has been suspended again and again. Side effect: many employers now hire only from "
                "the register, worsening the chances of the ~800,000 people with a work limitation outside it. "
                "E23, E25–E31.",
          "nl": "Banenafspraak (2013): 125.000 extra banen in 2026; eind 2018 ongeveer 52.000. De heffing van EUR "
                "5.000 per onvervulde plaats is steeds opnieuw opgeschort. Bijeffect: veel werkgevers nemen alleen "
                "nog mensen uit het register aan, wat de kansen verslechtert van de ~800.000 mensen met een "
                "arbeidsbeperking daarbuiten. E23, E25–E31."},
         {"en": "Hires with a subsidy drop to zero and the inclusion gap should widen: people with a work limitation "
                "lose the bridge between their loonwaarde and the wage.",
          "nl": "Aannames met subsidie zakken naar nul en de inclusiekloof hoort groter te worden: mensen met een "
                "arbeidsbeperking verliezen de brug tussen hun loonwaarde en het loon."},
         "inclusion_gap"),
    Card("money",
         {"en": "Money and the poverty trap (armoedeval)", "nl": "Geld en de armoedeval"},
         {"en": "People weigh what a job adds to their income. In bijstand, earnings below the norm only add the "
                "earnings disregard while it lasts; above the norm the benefit stops and allowances (toeslagen) "
                "fall away; work costs money; with problem debts creditors take most of any extra income. Switched "
                "off, everyone sees the same modest gain.",
          "nl": "Mensen wegen wat een baan aan inkomen toevoegt. In de bijstand levert loon onder de norm alleen de "
                "inkomstenvrijlating op zolang die duurt; boven de norm stopt de uitkering en vallen toeslagen weg; "
                "werken kost geld; bij problematische schulden nemen schuldeisers het meeste van extra inkomen. "
                "Uitgezet ziet iedereen dezelfde bescheiden winst."},
         {"en": "For singles the step from bijstand to a WML job is a real gain; for cohabiting partners little or "
                "none, and some refuse for that reason. The disregard is 25% up to EUR 199/month for 6 months; the "
                "CPB found the financial incentive works only for jobs with few hours. E33, E35, E37.",
          "nl": "Voor alleenstaanden is de stap van bijstand naar een WML-baan een echte winst; voor samenwonende "
                "partners weinig of niets, en sommigen weigeren daarom. De vrijlating is 25% tot EUR 199/maand "
                "gedurende 6 maanden; het CPB vond dat de financiële prikkel alleen werkt bij banen met weinig uren. "
                "E33, E35, E37."},
         {"en": "Look at who takes offers: refusals and part-time work in bijstand (in the CSV), and follow a "
                "cohabiting person in “A person's story”. Compare the size of this effect with employer stigma.",
          "nl": "Kijk wie aanbiedingen aanneemt: weigeringen en deeltijdwerk in de bijstand (in de CSV), en volg een "
                "samenwonende in “Het verhaal van één persoon”. Vergelijk de grootte van dit effect met stigma bij "
                "werkgevers."},
         "inclusion_rate"),
    Card("coaching",
         {"en": "Coaching and caseload", "nl": "Begeleiding en caseload"},
         {"en": "Client managers can coach only so many clients a month; how many managers there are follows from "
                "the caseload. Coaching adds search effort, lowers self-stigma and adds a little skill. Managers "
                "cost the municipality money.",
          "nl": "Klantmanagers kunnen maar een beperkt aantal klanten per maand begeleiden; hoeveel klantmanagers er "
                "zijn volgt uit de caseload. Begeleiding verhoogt de zoekinspanning, verlaagt zelfstigma en voegt "
                "wat vaardigheid toe. Klantmanagers kosten de gemeente geld."},
         {"en": "Caseloads of 1 professional to 350 clients are common; “attention” — motivational conversations, "
                "long goal-directed trajectories, intensive guidance into and during work — is what research finds "
                "works best. E10.",
          "nl": "Een caseload van 1 professional op 350 klanten is gewoon; “aandacht” — motiverende gesprekken, lange "
                "doelgerichte trajecten, intensieve begeleiding naar en tijdens werk — werkt volgens onderzoek het "
                "best. E10."},
         {"en": "Self-stigma should rise a little and inclusion fall a little, while the municipality's spend on "
                "client managers disappears (Over time: municipal spend). Then try the caseload lever instead.",
          "nl": "Zelfstigma hoort iets te stijgen en de inclusie iets te dalen, terwijl de uitgaven aan "
                "klantmanagers verdwijnen (In de tijd: uitgaven gemeente). Probeer daarna de knop caseload."},
         "mean_self_stigma"),
    Card("displacement",
         {"en": "Displacement (verdringing)", "nl": "Verdringing"},
         {"en": "Subsidised work that does the tasks of regular jobs removes regular jobs: the displaced stock is "
                "(parallel workers × overlap + basisbaan workers × overlap) × (1 − additionality test). A strict "
                "test keeps subsidised tasks additional.",
          "nl": "Gesubsidieerd werk dat taken van reguliere banen doet, haalt reguliere banen weg: de verdrongen "
                "voorraad is (parallelle werkers × overlap + basisbaners × overlap) × (1 − toets op "
                "additionaliteit). Een strenge toets houdt gesubsidieerde taken additioneel."},
         {"en": "Every evaluation repeats: no displacement of existing work. Groningen tested the basisbaan tasks for "
                "displacement (litter picking, community-centre hosting, meal delivery, green maintenance). "
                "E58, E66.",
          "nl": "Elke evaluatie herhaalt: geen verdringing van bestaand werk. Groningen toetste de taken van de "
                "basisbaan op verdringing (zwerfvuil, gastvrouw in het buurthuis, maaltijden, groenonderhoud). "
                "E58, E66."},
         {"en": "Displacement per 100 subsidised jobs drops to zero and no regular jobs are removed. Switch it back "
                "on and move the additionality-test lever to see how much a design rule matters.",
          "nl": "Verdringing per 100 gesubsidieerde banen zakt naar nul en er verdwijnen geen reguliere banen. Zet het "
                "weer aan en verschuif de knop toets op verdringing om te zien hoeveel een ontwerpregel uitmaakt."},
         "displacement_per_100"),
    Card("throughput",
         {"en": "Throughput (doorstroom)", "nl": "Doorstroom"},
         {"en": "Recent parallel or basisbaan experience raises a regular employer's score of an applicant, for up "
                "to a year after. People in subsidised work search on the job — less on a permanent basisbaan "
                "(lock-in), more with a throughput goal.",
          "nl": "Recente ervaring in parallel werk of een basisbaan verhoogt de score die een reguliere werkgever een "
                "sollicitant geeft, tot een jaar erna. Mensen in gesubsidieerd werk zoeken vanuit hun werk — minder "
                "op een vaste basisbaan (lock-in), meer met een doorstroomdoel."},
         {"en": "The parallel labour market is meant to be connected to the regular market so that people flow "
                "through (Wilthagen & Verhoeven). The Melkert jobs drifted from permanent to temporary with a "
                "throughput goal, and the scheme failed. E52, E50.",
          "nl": "De parallelle arbeidsmarkt is bedoeld als verbonden met de reguliere markt, zodat mensen "
                "doorstromen (Wilthagen & Verhoeven). De Melkertbanen schoven van vast naar tijdelijk met een "
                "doorstroomdoel, en de regeling mislukte. E52, E50."},
         {"en": "The throughput rate into regular work should fall, and with it inclusion. Try a temporary basisbaan "
                "contract with a throughput goal, and compare.",
          "nl": "De doorstroom naar regulier werk hoort te dalen, en daarmee de inclusie. Probeer een tijdelijk "
                "basisbaancontract met een doorstroomdoel, en vergelijk."},
         "throughput_rate"),
    Card("skills",
         {"en": "Skills", "nl": "Vaardigheden"},
         {"en": "Skills (loonwaarde) grow at work and decay out of it, by education; coaching adds a little.",
          "nl": "Vaardigheden (loonwaarde) groeien op het werk en slijten daarbuiten, naar opleiding; begeleiding "
                "voegt wat toe."},
         {"en": "Unemployment leaves scars; the longer someone is out of work, the smaller the chance of finding a "
                "job (Clark et al. 2003). E3, E41.",
          "nl": "Werkloosheid laat littekens na; hoe langer iemand zonder werk is, hoe kleiner de kans op werk "
                "(Clark e.a. 2003). E3, E41."},
         {"en": "Differences build up slowly: run several years and compare inclusion and throughput.",
          "nl": "Verschillen bouwen langzaam op: draai een aantal jaren en vergelijk inclusie en doorstroom."},
         "inclusion_rate"),
    Card("wellbeing",
         {"en": "Wellbeing and health", "nl": "Welzijn en gezondheid"},
         {"en": "Wellbeing (1–5) moves toward what a person's situation supports: paid work (half in the first three "
                "months), a participation job, income above the norm; debts, sanctions and self-stigma lower it. "
                "Health capacity recovers at work within one's capacity and wears out above it.",
          "nl": "Welzijn (1–5) beweegt naar wat iemands situatie draagt: betaald werk (de helft in de eerste drie "
                "maanden), een participatiebaan, inkomen boven de norm; schulden, sancties en zelfstigma verlagen "
                "het. Belastbaarheid herstelt bij werk binnen de eigen grenzen en slijt daarboven."},
         {"en": "Working people rate life 7.8 vs 7.2 out of 10 for non-working people; income below the poverty line "
                "worsens mental health (Thomson et al. 2022). In Groningen the basisbaan participants' wellbeing rose "
                "9% after six months. E42, E43, E75.",
          "nl": "Werkenden geven het leven een 7,8 tegen 7,2 voor niet-werkenden; inkomen onder de armoedegrens "
                "verslechtert de psychische gezondheid (Thomson e.a. 2022). In Groningen steeg het welzijn van "
                "basisbaners na zes maanden met 9%. E42, E43, E75."},
         {"en": "Mean wellbeing stops moving; health no longer limits who can work more hours.",
          "nl": "Het gemiddelde welzijn beweegt niet meer; gezondheid beperkt niet langer wie meer uren kan werken."},
         "mean_wellbeing"),
    Card("short_spells",
         {"en": "Short bijstand spells", "nl": "Korte bijstandsperiodes"},
         {"en": "Besides the long-term recipients, each month people whose work or household income stops claim "
                "bijstand for a few months: some leave through the model's own hiring, the others when the "
                "household's income returns — back to the job they left, or out of the labour force. Who they are "
                "and how long they stay is an assumption; their numbers are set to the national flows.",
          "nl": "Naast de langdurige ontvangers vragen elke maand mensen van wie het werk of het inkomen van het "
                "huishouden stopt een paar maanden bijstand aan: sommigen vinden werk via het model zelf, de "
                "anderen stoppen als het inkomen terugkomt — terug naar het werk dat ze verloren, of buiten de "
                "beroepsbevolking. Wie dat zijn en hoe lang ze blijven is een aanname; hun aantal volgt de landelijke "
                "stromen."},
         {"en": "Each month about 1.7% of the bijstand stock flows in and about 2.0% flows out (CBS 2019); the "
                "long-term profiles alone give about a third of that. E89.",
          "nl": "Elke maand stroomt ongeveer 1,7% van de bijstandsvoorraad in en ongeveer 2,0% uit (CBS 2019); de "
                "langdurige profielen alleen geven ongeveer een derde daarvan. E89."},
         {"en": "The number of people on bijstand falls: the stock is then only the long-term recipients. Does the "
                "inclusion rate move much? The flows in and out of bijstand are what the stock hides.",
          "nl": "Het aantal mensen in de bijstand daalt: de voorraad is dan alleen de langdurige ontvangers. Beweegt "
                "de inclusiegraad veel? De stromen in en uit de bijstand zijn wat de voorraad verbergt."},
         "n_bijstand"),
)
CARD_BY_MECHANISM = {c.mechanism: c for c in CARDS}


@dataclass(frozen=True)
class Step:
    text: Text
    question: Text
    tab: str                                     # a tab id of the app
    changes: dict[str, Any] = field(default_factory=dict)   # lever path -> value (mechanisms: "<m>.enabled")
    compare: bool = False
    months: int = 36
    metric: str = "inclusion_rate"               # the Compare tab's metric


@dataclass(frozen=True)
class Lesson:
    id: str
    title: Text
    steps: tuple[Step, ...]


BIG_BASISBAAN = {"policy.basisbaan_slots": 400, "policy.basisbaan_interviews_per_month": 40}

LESSONS: tuple[Lesson, ...] = (
    Lesson("why_try",
           {"en": "Why do people stop applying?", "nl": "Waarom stoppen mensen met solliciteren?"},
           (Step({"en": "The default region after three years. Every month people apply, and most are turned down.",
                  "nl": "De standaardregio na drie jaar. Elke maand solliciteren mensen, en de meesten worden "
                        "afgewezen."},
                 {"en": "Follow someone who stayed unemployed. What happens to their self-stigma and their "
                        "wellbeing month by month?",
                  "nl": "Volg iemand die werkloos bleef. Wat gebeurt er maand na maand met zijn of haar zelfstigma "
                        "en welzijn?"},
                 "person", {}, False, 36),
            Step({"en": "Now the same people without the why-try effect: self-stigma no longer lowers search effort. "
                        "The baseline runs beside it on the same seed.",
                  "nl": "Nu dezelfde mensen zonder het why-try-effect: zelfstigma verlaagt de zoekinspanning niet "
                        "meer. De basislijn draait ernaast met dezelfde seed."},
                 {"en": "How much more do people search? Does inclusion rise as much as search effort?",
                  "nl": "Hoeveel meer zoeken mensen? Stijgt de inclusie evenveel als de zoekinspanning?"},
                 "compare", {"self_stigma.enabled": False}, True, 36, "mean_search_effort"),
            Step({"en": "And now without employers' stigma instead (self-stigma back on).",
                  "nl": "En nu zonder stigma bij werkgevers (zelfstigma weer aan)."},
                 {"en": "Which holds people back more in this model: employers' stigma or self-stigma? What would a "
                        "policy against each look like — a campaign, contact, coaching?",
                  "nl": "Wat houdt mensen in dit model meer tegen: stigma bij werkgevers of zelfstigma? Hoe zou "
                        "beleid tegen elk eruitzien — een campagne, contact, begeleiding?"},
                 "compare", {"stigma.enabled": False}, True, 36, "inclusion_rate"))),
    Lesson("displacement",
           {"en": "Does a basisbaan push out regular jobs?", "nl": "Verdringt een basisbaan reguliere banen?"},
           (Step({"en": "A large basisbaan programme in every municipality (400 places each, 40 interviews a month) "
                        "without any test of whether the tasks are additional.",
                  "nl": "Een groot basisbanenprogramma in elke gemeente (elk 400 plaatsen, 40 gesprekken per maand) "
                        "zonder enige toets of de taken additioneel zijn."},
                 {"en": "How many regular jobs disappear per 100 subsidised jobs? Where do the basisbaan workers come "
                        "from (Flows)?",
                  "nl": "Hoeveel reguliere banen verdwijnen er per 100 gesubsidieerde banen? Waar komen de basisbaners "
                        "vandaan (Stromen)?"},
                 "charts", {**BIG_BASISBAAN, "policy.additionality_test": 0.0}, True, 48, "n_regular"),
            Step({"en": "The same programme with a strict additionality test (0.9): tasks are checked so they do not "
                        "replace existing work, as in Groningen.",
                  "nl": "Hetzelfde programma met een strenge toets op additionaliteit (0,9): taken worden "
                        "gecontroleerd zodat ze geen bestaand werk vervangen, zoals in Groningen."},
                 {"en": "Compare regular work with the baseline. Which design rules keep displacement down — the "
                        "test, co-funding, the wage level (E58)?",
                  "nl": "Vergelijk regulier werk met de basislijn. Welke ontwerpregels houden verdringing laag — de "
                        "toets, cofinanciering, het loonniveau (E58)?"},
                 "compare", {**BIG_BASISBAAN, "policy.additionality_test": 0.9}, True, 48, "n_regular"))),
    Lesson("who_pays",
           {"en": "Why is the basisbaan expensive for the municipality but maybe not for society?",
            "nl": "Waarom is de basisbaan duur voor de gemeente, maar misschien niet voor de samenleving?"},
           (Step({"en": "A large basisbaan programme, compared with the scenario without it. Groningen: EUR 28,000 "
                        "wage and employer costs plus EUR 5,000 guidance per basisbaan a year, minus EUR 14,000 "
                        "benefit no longer paid: EUR 19,000 a year, the programme's net cost per basisbaan "
                        "(E67–E70). That is the programme's own figure, not the municipality's net cost: the tile and "
                        "Who pays show the municipality's net cost, all it pays out minus what it receives.",
                  "nl": "Een groot basisbanenprogramma, vergeleken met het scenario zonder. Groningen: EUR 28.000 "
                        "loon- en werkgeverskosten plus EUR 5.000 begeleiding per basisbaan per jaar, min EUR 14.000 "
                        "uitkering die niet meer betaald wordt: EUR 19.000 per jaar, de netto kosten van het programma "
                        "per basisbaan (E67–E70). Dat is het eigen getal van het programma, niet de netto kosten van "
                        "de gemeente: de tegel en Wie betaalt tonen de netto kosten van de gemeente, alles wat zij "
                        "uitgeeft min wat zij ontvangt."},
                 {"en": "Who pays and who gains? Add up the parties: is the programme expensive for society as a "
                        "whole, or only for the municipality?",
                  "nl": "Wie betaalt en wie wint? Tel de partijen op: is het programma duur voor de samenleving als "
                        "geheel, of alleen voor de gemeente?"},
                 "accounts", dict(BIG_BASISBAAN), True, 48),
            Step({"en": "Now the organisations that get the work pay half of the wage (co-funding), as Rotterdam's "
                        "wijkbasisbaan tried.",
                  "nl": "Nu betalen de organisaties die het werk krijgen de helft van het loon (cofinanciering), zoals "
                        "Rotterdam met de wijkbasisbaan probeerde."},
                 {"en": "How does the split change? Groningen found contributions from the organisations too "
                        "optimistic — what would make them pay?",
                  "nl": "Hoe verschuift de verdeling? Groningen vond de bijdragen van de organisaties te optimistisch "
                        "— wat zou ze laten betalen?"},
                 "accounts", {**BIG_BASISBAAN, "policy.basisbaan_cofunding_share": 0.5}, True, 48))),
    Lesson("cycle",
           {"en": "Tight or slack: does the economy decide?", "nl": "Krap of ruim: beslist de economie?"},
           (Step({"en": "A tight labour market: 30% more vacancies per job seeker than average.",
                  "nl": "Een krappe arbeidsmarkt: 30% meer vacatures per werkzoekende dan gemiddeld."},
                 {"en": "Who gets in when employers are short of people? Does the inclusion gap narrow?",
                  "nl": "Wie komt erin als werkgevers mensen tekortkomen? Wordt de inclusiekloof kleiner?"},
                 "compare", {"economy.tightness": 1.3}, True, 36, "inclusion_rate"),
            Step({"en": "A slack market: 30% fewer vacancies per job seeker.",
                  "nl": "Een ruime markt: 30% minder vacatures per werkzoekende."},
                 {"en": "Who loses work first? Look at self-stigma too: what does a recession do to people who keep "
                        "being turned down?",
                  "nl": "Wie verliest het eerst werk? Kijk ook naar zelfstigma: wat doet een recessie met mensen die "
                        "steeds worden afgewezen?"},
                 "compare", {"economy.tightness": 0.7}, True, 36, "mean_self_stigma"))),
)
LESSON_BY_ID = {lesson.id: lesson for lesson in LESSONS}


def text(t: Text, lang: str) -> str:
    return t.get(lang) or t["en"]
