"""The demo's act for the kickoff: a dozen members introduce themselves, share expectations and
learning goals, vote on the map, the facilitator posts the agreements and the members accept them."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from bot.sandbox.render import render_message
from bot.services.expectations import goal_key, goal_ref
from bot.views.ids import (
    GOAL_BLOCK_PREFIX,
    ExpectationsBlocks,
    IntroBlocks,
    KickoffActions,
)

if TYPE_CHECKING:
    from bot.demo import Stage

# Per person: role or job, organisation, what they bring, what they want to learn, and up to three
# learning goals, in the demo's two languages. The same goal comes back in other wordings on purpose:
# the map groups them.
PEOPLE: dict[str, dict[str, tuple[str, str, str, str, tuple[str, ...]]]] = {
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
}
EXPECTATIONS = {
    "nl": "Eerlijke feedback op mijn aanpak, en zien hoe anderen het aanpakken.",
    "en": "Honest feedback on my approach, and seeing how others go about it.",
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
}
BALLOTS = (
    (0, 1, 2), (0, 1, 3), (0, 2, 4), (1, 2, 3), (0, 1, 4), (0, 3, 4),
    (1, 2, 0), (0, 1, 2), (3, 4, 0), (1, 0, 2), (2, 0, 1), (0, 1, 3),
)  # fmt: skip
NEWCOMER = ("U0LOTTE", "lotte", "Lotte Vermeulen", "nl-BE")


def kickoff_act(stage: Stage) -> None:
    """Introductions, expectations and the map with its votes, the agreements, a newcomer, the roster."""
    from bot.demo import CHANNEL_ID

    texts = stage.texts
    language = texts.language
    people = PEOPLE[language]
    everyone = [stage.facilitator_id, *stage.member_ids]
    first_member = stage.member_ids[0]

    # Introductions: two shown in full, the others in one line.
    for user_id in (stage.facilitator_id, first_member):
        stage.command(user_id, "intro")
        if user_id == stage.facilitator_id:
            stage.show_open_modal(user_id)
        stage.say(texts("kickoff.demo.fills_in_intro", person=stage.names[user_id]))
        stage.say()
        stage.submit(user_id, _intro_form(people[user_id]))
    stage.say(texts("kickoff.demo.others_introduce"))
    stage.say()
    for user_id in everyone[2:]:
        stage.bot.command("intro", user_id=user_id, channel_id=CHANNEL_ID)
        stage.submit(user_id, _intro_form(people[user_id]))

    # Expectations and learning goals, then the map.
    stage.command(first_member, "verwachtingen")
    stage.show_open_modal(first_member)
    stage.say(texts("kickoff.demo.fills_in_expectations", person=stage.names[first_member]))
    stage.say()
    stage.submit(first_member, _expectations_form(EXPECTATIONS[language], people[first_member][4]))
    stage.say(texts("kickoff.demo.everyone_expects"))
    stage.say()
    for user_id in everyone:
        if user_id != first_member:
            stage.bot.command("verwachtingen", user_id=user_id, channel_id=CHANNEL_ID)
            stage.submit(user_id, _expectations_form(people[user_id][3], people[user_id][4]))
    stage.command(stage.member_ids[1], "verwachtingen kaart")

    # Dot voting: three votes each; the first voter's clicks and a fourth vote are shown.
    stage.say(texts("kickoff.demo.votes"))
    stage.say()
    goals = VOTES[language]
    for number, user_id in enumerate(everyone):
        shown = user_id == first_member
        for index in BALLOTS[number]:
            _vote(stage, user_id, goals[index], narrate=shown)
        if shown:
            _vote(stage, user_id, goals[3] if 3 not in BALLOTS[number] else goals[4], narrate=True)

    # The agreements: posted by the facilitator, accepted by the members.
    stage.command(stage.facilitator_id, "afspraken")
    stage.show_open_modal(stage.facilitator_id)
    stage.say(texts("kickoff.demo.fills_in_agreements", person=stage.names[stage.facilitator_id]))
    stage.say()
    stage.bot.submit_view(stage.facilitator_id)
    for user_id in everyone:
        _accept(stage, user_id, narrate=user_id == first_member)
        if user_id == first_member:
            stage.say(texts("kickoff.demo.others_accept"))
            stage.say()

    # A newcomer is welcomed privately; the facilitator names a co-facilitator and looks at the roster.
    user_id, handle, real_name, locale = NEWCOMER
    stage.emulator.add_user(
        user_id, handle, real_name=real_name, locale=locale if language == "nl" else "en-GB"
    )
    stage.names[user_id] = real_name
    stage.say(texts("kickoff.demo.joins", person=real_name))
    _show_private(stage, user_id, lambda: stage.bot.driver.join_channel(user_id, CHANNEL_ID))  # type: ignore[union-attr]
    co_facilitator = stage.member_ids[1]
    role = "trekker" if language == "nl" else "facilitator"
    handle = stage.emulator.users[co_facilitator]["name"]
    stage.command(stage.facilitator_id, f"rol <@{co_facilitator}|{handle}> {role}")
    stage.say(texts("kickoff.demo.roster", person=stage.names[stage.facilitator_id]))
    stage.command(stage.facilitator_id, "leden")


def _intro_form(person: tuple[str, str, str, str, tuple[str, ...]]) -> dict[str, str]:
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


def _show_private(stage: Stage, user_id: str, action: Any) -> None:
    """Do `action`, wait for the bot, and show what only `user_id` was told because of it."""
    before = len(stage.emulator.ephemerals(user_id=user_id))
    action()
    stage.bot.settle()
    from bot.demo import DEMO_TIMEZONE

    for entry in stage.emulator.ephemerals(user_id=user_id)[before:]:
        stage.say(textwrap.indent(render_message(stage.emulator, entry, tz=DEMO_TIMEZONE), "    "))
    stage.say()


def _message_with(stage: Stage, action_id: str) -> dict[str, Any]:
    """The newest message in the channel with a button or select of `action_id`."""
    from bot.demo import CHANNEL_ID

    for message in reversed(stage.emulator.messages(CHANNEL_ID)):
        for block in message.get("blocks") or []:
            elements = [block.get("accessory") or {}, *(block.get("elements") or [])]
            if any(element.get("action_id") == action_id for element in elements):
                return message
    raise LookupError(f"no message with {action_id} in the channel")


def _vote(stage: Stage, user_id: str, goal: str, *, narrate: bool) -> None:
    from bot.demo import CHANNEL_ID

    driver = stage.bot.driver
    assert driver is not None
    message = _message_with(stage, KickoffActions.VOTE)

    def click() -> None:
        driver.block_action(
            user_id=user_id,
            action_id=KickoffActions.VOTE,
            block_id=GOAL_BLOCK_PREFIX + goal_ref(goal_key(goal)),
            channel_id=CHANNEL_ID,
            message_ts=message["ts"],
        )

    if not narrate:
        click()
        stage.bot.settle()
        return
    stage.say(stage.texts("kickoff.demo.clicks_vote", person=stage.names[user_id], goal=goal))
    _show_private(stage, user_id, click)


def _accept(stage: Stage, user_id: str, *, narrate: bool) -> None:
    from bot.demo import CHANNEL_ID

    driver = stage.bot.driver
    assert driver is not None
    message = _message_with(stage, KickoffActions.ACCEPT_AGREEMENTS)

    def click() -> None:
        driver.block_action(
            user_id=user_id,
            action_id=KickoffActions.ACCEPT_AGREEMENTS,
            channel_id=CHANNEL_ID,
            message_ts=message["ts"],
        )

    if not narrate:
        click()
        stage.bot.settle()
        return
    stage.say(stage.texts("kickoff.demo.clicks_accept", person=stage.names[user_id]))
    _show_private(stage, user_id, click)
