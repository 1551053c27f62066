"""The demo's act for the kickoff: a dozen members introduce themselves, share expectations and
learning goals, vote on the map, the facilitator posts the agreements and the members accept them."""

from __future__ import annotations

from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import Stage
from bot.demo.stage import cast_locale
from bot.services.expectations import goal_key
from bot.services.expectations import goal_ref
from bot.views.ids import GOAL_BLOCK_PREFIX
from bot.views.ids import ExpectationsBlocks
from bot.views.ids import IntroBlocks
from bot.views.ids import KickoffActions

Person = tuple[str, str, str, str, tuple[str, ...]]

# Per person: role or job, organisation, what they bring, what they want to learn, and up to three
# learning goals, in each of the demo's languages. The same goal comes back in other wordings on purpose:
# the map groups them.
PEOPLE: dict[str, dict[str, Person]] = {
    "nl": {
        "U0ELS": (
            "Teamcoach",
            "Jeugdhulp Gent",
            "Ervaring met groepen begeleiden",
            "Hoe een netwerk levend blijft",
            ("Omgaan met agressie",),
        ),
        "U0JOKE": (
            "Gezinscoach",
            "CAW Oost-Vlaanderen",
            "Tien jaar huisbezoeken bij gezinnen in armoede",
            "Rustig blijven als ouders boos worden",
            ("Omgaan met agressie", "Grenzen stellen"),
        ),
        "U0MEHMET": (
            "Jongerenwerker",
            "JES Rotterdam",
            "Contact leggen met jongeren op straat",
            "Ouders echt betrekken",
            ("omgaan met agressie!", "Ouders betrekken"),
        ),
        "U0SARAH": (
            "Maatschappelijk werker",
            "OCMW Gent",
            "Kennis van de sociale kaart",
            "Beter samenwerken met scholen",
            ("Samenwerken met scholen", "Ouders betrekken"),
        ),
        "U0PIETER": (
            "Ambulant hulpverlener",
            "Youké Utrecht",
            "Oplossingsgericht werken",
            "Omgaan met wachtlijsten",
            ("Omgaan met agressie", "Zelfzorg"),
        ),
        "U0ANN": (
            "Leefgroepbegeleider",
            "Het Kompas",
            "Werken met jongeren met een beperking",
            "Grenzen stellen zonder de band te verliezen",
            ("grenzen stellen", "Zelfzorg"),
        ),
        "U0SAM": (
            "Family support worker",
            "Brussels Youth Care",
            "Experience with multilingual families",
            "Working with interpreters",
            ("Ouders betrekken",),
        ),
        "U0LIES": (
            "Teamverantwoordelijke",
            "Kind en Gezin",
            "Coachen van nieuwe collega's",
            "Een team door een crisis loodsen",
            ("Zelfzorg", "Omgaan met agressie"),
        ),
        "U0BRAM": (
            "Schoolmaatschappelijk werker",
            "Atheneum Gent",
            "De school van binnenuit kennen",
            "Hulp en onderwijs verbinden",
            ("Samenwerken met scholen",),
        ),
        "U0FATIMA": (
            "Gezinsbegeleider",
            "Spirit Amsterdam",
            "Cultuursensitief werken",
            "Moeilijke gesprekken voeren",
            ("Ouders betrekken", "Moeilijke gesprekken voeren"),
        ),
        "U0KOEN": (
            "Psycholoog",
            "CLB Gent",
            "Diagnostiek en handelingsplannen",
            "Sneller schakelen met de hulpverlening",
            ("Samenwerken met scholen",),
        ),
        "U0NOOR": (
            "Wijkcoach",
            "Gemeente Leiden",
            "Buurtnetwerken opzetten",
            "Vroeger signaleren",
            ("Omgaan met  agressie", "Vroegsignalering"),
        ),
    },
    "en": {
        "U0ELS": (
            "Team coach",
            "Youth Care Ghent",
            "Experience in guiding groups",
            "How a network stays alive",
            ("Dealing with aggression",),
        ),
        "U0JOKE": (
            "Family coach",
            "Social Services East Flanders",
            "Ten years of home visits to families in poverty",
            "Staying calm when parents get angry",
            ("Dealing with aggression", "Setting boundaries"),
        ),
        "U0MEHMET": (
            "Youth worker",
            "JES Rotterdam",
            "Reaching young people on the street",
            "Really involving parents",
            ("dealing with aggression!", "Involving parents"),
        ),
        "U0SARAH": (
            "Social worker",
            "Public Social Welfare Ghent",
            "Knowing the local services",
            "Working better with schools",
            ("Working with schools", "Involving parents"),
        ),
        "U0PIETER": (
            "Outpatient care worker",
            "Youké Utrecht",
            "Solution-focused work",
            "Dealing with waiting lists",
            ("Dealing with aggression", "Self-care"),
        ),
        "U0ANN": (
            "Residential care worker",
            "The Compass",
            "Working with young people with a disability",
            "Setting boundaries without losing the bond",
            ("setting boundaries", "Self-care"),
        ),
        "U0SAM": (
            "Family support worker",
            "Brussels Youth Care",
            "Experience with multilingual families",
            "Working with interpreters",
            ("Involving parents",),
        ),
        "U0LIES": (
            "Team lead",
            "Child and Family",
            "Coaching new colleagues",
            "Steering a team through a crisis",
            ("Self-care", "Dealing with aggression"),
        ),
        "U0BRAM": (
            "School social worker",
            "Ghent Secondary School",
            "Knowing school from the inside",
            "Connecting care and education",
            ("Working with schools",),
        ),
        "U0FATIMA": (
            "Family counsellor",
            "Spirit Amsterdam",
            "Culturally sensitive work",
            "Holding difficult conversations",
            ("Involving parents", "Holding difficult conversations"),
        ),
        "U0KOEN": (
            "Psychologist",
            "Pupil Guidance Centre Ghent",
            "Assessment and care plans",
            "Switching faster with care services",
            ("Working with schools",),
        ),
        "U0NOOR": (
            "Neighbourhood coach",
            "City of Leiden",
            "Setting up neighbourhood networks",
            "Spotting problems earlier",
            ("Dealing with  aggression", "Early warning"),
        ),
    },
    "fr": {
        "U0ELS": (
            "Coach d'équipe",
            "Aide à la jeunesse Gand",
            "De l'expérience dans l'accompagnement de groupes",
            "Comment un réseau reste vivant",
            ("Gérer l'agressivité",),
        ),
        "U0JOKE": (
            "Coach familiale",
            "CAW Flandre-Orientale",
            "Dix ans de visites à domicile chez des familles en situation de pauvreté",
            "Rester calme quand des parents se fâchent",
            ("Gérer l'agressivité", "Poser des limites"),
        ),
        "U0MEHMET": (
            "Travailleur de rue",
            "JES Rotterdam",
            "Entrer en contact avec des jeunes dans la rue",
            "Impliquer vraiment les parents",
            ("gérer l’agressivité !", "Impliquer les parents"),
        ),
        "U0SARAH": (
            "Assistante sociale",
            "CPAS de Gand",
            "La connaissance du réseau social local",
            "Mieux collaborer avec les écoles",
            ("Collaborer avec les écoles", "Impliquer les parents"),
        ),
        "U0PIETER": (
            "Intervenant ambulatoire",
            "Youké Utrecht",
            "Le travail orienté solutions",
            "Faire face aux listes d'attente",
            ("Gérer l'agressivité", "Prendre soin de soi"),
        ),
        "U0ANN": (
            "Éducatrice en groupe de vie",
            "Het Kompas",
            "Le travail avec des jeunes en situation de handicap",
            "Poser des limites sans perdre le lien",
            ("poser des limites", "Prendre soin de soi"),
        ),
        "U0SAM": (
            "Family support worker",
            "Brussels Youth Care",
            "Experience with multilingual families",
            "Working with interpreters",
            ("Impliquer les parents",),
        ),
        "U0LIES": (
            "Responsable d'équipe",
            "Kind en Gezin",
            "Le coaching de nouveaux collègues",
            "Guider une équipe à travers une crise",
            ("Prendre soin de soi", "Gérer l'agressivité"),
        ),
        "U0BRAM": (
            "Assistant social scolaire",
            "Athénée de Gand",
            "Connaître l'école de l'intérieur",
            "Relier l'aide et l'enseignement",
            ("Collaborer avec les écoles",),
        ),
        "U0FATIMA": (
            "Accompagnatrice familiale",
            "Spirit Amsterdam",
            "Le travail attentif aux cultures",
            "Mener des entretiens difficiles",
            ("Impliquer les parents", "Mener des entretiens difficiles"),
        ),
        "U0KOEN": (
            "Psychologue",
            "CLB de Gand",
            "Diagnostic et plans d'accompagnement",
            "Passer le relais plus vite aux services d'aide",
            ("Collaborer avec les écoles",),
        ),
        "U0NOOR": (
            "Coach de quartier",
            "Ville de Leyde",
            "Mettre sur pied des réseaux de quartier",
            "Repérer les difficultés plus tôt",
            ("Gérer  l'agressivité", "Détection précoce"),
        ),
    },
}
EXPECTATIONS = {
    "nl": "Eerlijke feedback op mijn aanpak, en zien hoe anderen het aanpakken.",
    "en": "Honest feedback on my approach, and seeing how others go about it.",
    "fr": "Un retour franc sur ma façon de faire, et voir comment les autres s'y prennent.",
}
# The goals the members vote for, and each member's three votes (indexes into VOTES), in stage order.
VOTES = {
    "nl": [
        "Omgaan met agressie",
        "Ouders betrekken",
        "Samenwerken met scholen",
        "Zelfzorg",
        "Grenzen stellen",
    ],
    "en": [
        "Dealing with aggression",
        "Involving parents",
        "Working with schools",
        "Self-care",
        "Setting boundaries",
    ],
    "fr": [
        "Gérer l'agressivité",
        "Impliquer les parents",
        "Collaborer avec les écoles",
        "Prendre soin de soi",
        "Poser des limites",
    ],
}
BALLOTS = (
    (0, 1, 2), (0, 1, 3), (0, 2, 4), (1, 2, 3), (0, 1, 4), (0, 3, 4),
    (1, 2, 0), (0, 1, 2), (3, 4, 0), (1, 0, 2), (2, 0, 1), (0, 1, 3),
)  # fmt: skip
NEWCOMER = ("U0LOTTE", "lotte", "Lotte Vermeulen", "nl-BE")


def kickoff_act(stage: Stage) -> None:
    """Introductions, expectations and the map with its votes, the agreements, a newcomer, the roster."""
    _introductions(stage)
    _expectations(stage)
    _dot_voting(stage)
    _agreements(stage)
    _newcomer(stage)
    _roster(stage)


def _introductions(stage: Stage) -> None:
    """Two introductions shown in full, the others in one line."""
    texts = stage.texts
    people = PEOPLE[texts.language]
    for user_id in stage.everyone[:2]:
        stage.command(user_id, "intro")
        if user_id == stage.facilitator_id:
            stage.show_open_modal(user_id)
        stage.say(texts("kickoff.demo.fills_in_intro", person=stage.names[user_id]))
        stage.say()
        stage.submit(user_id, _intro_form(people[user_id]))
    stage.say(texts("kickoff.demo.others_introduce"))
    stage.say()
    for user_id in stage.everyone[2:]:
        stage.bot.command("intro", user_id=user_id, channel_id=CHANNEL_ID)
        stage.submit(user_id, _intro_form(people[user_id]))


def _expectations(stage: Stage) -> None:
    """One member's expectations and learning goals shown, everyone else's in one line, then the map."""
    texts = stage.texts
    people = PEOPLE[texts.language]
    first_member = stage.member_ids[0]
    stage.command(first_member, "verwachtingen")
    stage.show_open_modal(first_member)
    stage.say(texts("kickoff.demo.fills_in_expectations", person=stage.names[first_member]))
    stage.say()
    stage.submit(first_member, _expectations_form(EXPECTATIONS[texts.language], people[first_member][4]))
    stage.say(texts("kickoff.demo.everyone_expects"))
    stage.say()
    for user_id in stage.everyone:
        if user_id != first_member:
            stage.bot.command("verwachtingen", user_id=user_id, channel_id=CHANNEL_ID)
            stage.submit(user_id, _expectations_form(people[user_id][3], people[user_id][4]))
    stage.command(stage.member_ids[1], "verwachtingen kaart")


def _dot_voting(stage: Stage) -> None:
    """Three votes each; the first member's clicks, and the fourth vote they are refused, are shown."""
    stage.say(stage.texts("kickoff.demo.votes"))
    stage.say()
    goals = VOTES[stage.texts.language]
    for number, user_id in enumerate(stage.everyone):
        shown = user_id == stage.member_ids[0]
        for index in BALLOTS[number]:
            _vote(stage, user_id, goals[index], narrate=shown)
        if shown:
            _vote(stage, user_id, goals[3] if 3 not in BALLOTS[number] else goals[4], narrate=True)


def _agreements(stage: Stage) -> None:
    """The agreements: posted by the facilitator, accepted by the members."""
    texts = stage.texts
    first_member = stage.member_ids[0]
    stage.command(stage.facilitator_id, "afspraken")
    stage.show_open_modal(stage.facilitator_id)
    stage.say(texts("kickoff.demo.fills_in_agreements", person=stage.names[stage.facilitator_id]))
    stage.say()
    stage.bot.submit_view(stage.facilitator_id)
    for user_id in stage.everyone:
        narration = None
        if user_id == first_member:
            narration = texts("kickoff.demo.clicks_accept", person=stage.names[user_id])
        _click_on_card(stage, user_id, KickoffActions.ACCEPT_AGREEMENTS, narration=narration)
        if user_id == first_member:
            stage.say(texts("kickoff.demo.others_accept"))
            stage.say()


def _newcomer(stage: Stage) -> None:
    """A newcomer joins the channel and is welcomed privately."""
    user_id, handle, real_name, locale = NEWCOMER
    stage.emulator.add_user(
        user_id, handle, real_name=real_name, locale=cast_locale(stage.texts.language, locale)
    )
    stage.names[user_id] = real_name
    stage.say(stage.texts("kickoff.demo.joins", person=real_name))
    stage.show_private(user_id, lambda: stage.driver.join_channel(user_id, CHANNEL_ID))


def _roster(stage: Stage) -> None:
    """The facilitator names a co-facilitator and looks at the roster."""
    co_facilitator = stage.member_ids[1]
    role = "facilitator"
    handle = stage.emulator.users[co_facilitator]["name"]
    stage.command(stage.facilitator_id, f"rol <@{co_facilitator}|{handle}> {role}")
    stage.say(stage.texts("kickoff.demo.roster", person=stage.names[stage.facilitator_id]))
    stage.command(stage.facilitator_id, "leden")


def _intro_form(person: Person) -> dict[str, str]:
    job_role, organisation, gives, wants, _goals = person
    return {
        IntroBlocks.JOB_ROLE: job_role,
        IntroBlocks.ORGANISATION: organisation,
        IntroBlocks.GIVES: gives,
        IntroBlocks.WANTS: wants,
    }


def _expectations_form(expectation: str, goals: tuple[str, ...]) -> dict[str, str]:
    form = {ExpectationsBlocks.TEXT: expectation}
    form.update(dict(zip(ExpectationsBlocks.GOALS, goals, strict=False)))
    return form


def _vote(stage: Stage, user_id: str, goal: str, *, narrate: bool) -> None:
    narration = None
    if narrate:
        narration = stage.texts("kickoff.demo.clicks_vote", person=stage.names[user_id], goal=goal)
    block_id = GOAL_BLOCK_PREFIX + goal_ref(goal_key(goal))
    _click_on_card(stage, user_id, KickoffActions.VOTE, block_id=block_id, narration=narration)


def _click_on_card(
    stage: Stage, user_id: str, action_id: str, *, block_id: str | None = None, narration: str | None
) -> None:
    """Click `action_id` on the newest card that has it; with a narration, show what the clicker was told."""
    message_ts = stage.message_with(action_id)["ts"]

    def click() -> None:
        stage.click(user_id, action_id, message_ts=message_ts, block_id=block_id)

    if narration is None:
        click()
        return
    stage.say(narration)
    stage.show_private(user_id, click)
