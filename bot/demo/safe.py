"""The demo's act for the safe group: a confidential case is read in a modal by who accepted the agreements,
a reply in its thread is met with a private note, and `/netwerk privacy` says who sees what."""

from __future__ import annotations

from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import Stage
from bot.views.ids import CONFIDENTIAL_OPTION
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import SafeActions

CONTENT = {
    "nl": {
        "title": "Een collega die over de grens gaat",
        "situation": "Een collega spreekt jongeren in onze leefgroep kleinerend aan. Ik ben de enige die het "
        "opmerkt, en ze is al twintig jaar in dienst.",
        "question": "Hoe spreek ik haar aan zonder dat het team uit elkaar valt?",
        "reply": "Dat ken ik! Spreek haar eerst onder vier ogen aan.",
    },
    "en": {
        "title": "A colleague who crosses the line",
        "situation": "A colleague talks down to the young people in our residential group. I am the only one "
        "who seems to notice, and she has worked here for twenty years.",
        "question": "How do I raise it with her without splitting the team?",
        "reply": "I know that one! Talk to her in private first.",
    },
    "fr": {
        "title": "Une collègue qui dépasse les limites",
        "situation": "Une collègue parle aux jeunes de notre groupe de vie de manière rabaissante. Je suis "
        "la seule à le remarquer, et elle travaille ici depuis vingt ans.",
        "question": "Comment lui en parler sans que l'équipe se divise ?",
        "reply": "Je connais ça ! Parlez-lui d'abord en tête-à-tête.",
    },
}


def safe_act(stage: Stage) -> None:
    """Pieter brings a confidential case; Sarah reads it in the modal; Mehmet replies in its thread
    anyway and is told, privately, that the whole channel reads that; Lies asks what the bot keeps."""
    texts = stage.texts
    content = CONTENT[texts.language]
    owner, reader, replier, asker = (stage.member_ids[i] for i in (3, 2, 1, 6))
    stage.say_heading(texts("safe.demo.heading"))
    stage.command(owner, content["title"], command="/case")
    stage.say(texts("cases.demo.submits", person=stage.names[owner], button=texts("cases.intake.submit")))
    stage.submit(
        owner,
        {
            CaseIntakeBlocks.TITLE: content["title"],
            CaseIntakeBlocks.SITUATION: content["situation"],
            CaseIntakeBlocks.QUESTION: content["question"],
            CaseIntakeBlocks.HELP_WANTED: ["advice"],
            CaseIntakeBlocks.CONFIDENTIAL: [CONFIDENTIAL_OPTION],
        },
    )
    card = stage.message_with(SafeActions.READ)
    stage.show_message(card)
    stage.say()
    stage.click_narrated(reader, SafeActions.READ, "safe.button.read", message_ts=card["ts"])
    stage.show_open_modal(reader)
    stage.say()
    stage.say(texts("cases.demo.replies", person=stage.names[replier]))
    reply = stage.emulator.add_message(CHANNEL_ID, replier, content["reply"], thread_ts=card["ts"])
    event = stage.driver.message(replier, CHANNEL_ID, content["reply"], card["ts"], ts=reply["ts"])
    stage.show_private(replier, lambda: stage.bot.send_event(event))
    stage.command(asker, "privacy")
