"""The demo's act for cases: a member brings a case, three members advise, one recognises it, it closes."""

from __future__ import annotations

from bot.demo.case_rounds import case_round
from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import Stage
from bot.views.ids import CaseActions
from bot.views.ids import CaseAdviceBlocks
from bot.views.ids import CaseCloseBlocks
from bot.views.ids import CaseIntakeBlocks

CONTENT = {
    "nl": {
        "title": "Ouders die niet opdagen op het oudergesprek",
        "situation": "In mijn leefgroep kwamen de ouders van drie jongeren de laatste drie keer niet "
        "naar het gesprek dat we gepland hadden. Ze laten vooraf niets weten.",
        "question": "Hoe krijg ik deze ouders wel aan tafel, zonder dat het als een verplichting voelt?",
        "tried": "Een uitnodigingsbrief, een herinnering per sms en telkens een nieuwe datum voorstellen.",
        "advice_by_modal": (
            "Bel ze zelf op in plaats van een brief te sturen, en vraag eerst hoe het met hen gaat. "
            "Bij ons kwam daarna de helft wel.",
            "Spreek af op een plek waar zij zich thuis voelen: bij hen thuis of in het buurthuis, "
            "niet op ons kantoor.",
        ),
        "advice_in_thread": "Misschien voelt ze zich beoordeeld door het gesprek. Wat bij mij hielp: laat "
        "de jongere zelf de uitnodiging doen. Tegen hun kind zeggen ouders minder snel nee.",
        "lesson": "Ik bel de ouders voortaan zelf en laat de jongere mee uitnodigen. "
        "De brief laat ik vallen.",
    },
    "en": {
        "title": "Parents who don't turn up for the parent meeting",
        "situation": "In my residential group, the parents of three young people missed the last three "
        "meetings we had planned. They don't let us know beforehand.",
        "question": "How do I get these parents to the table without it feeling like an obligation?",
        "tried": "An invitation letter, a text message reminder, and proposing a new date each time.",
        "advice_by_modal": (
            "Phone them yourself instead of sending a letter, and first ask how they are doing. "
            "With us, half of them came after that.",
            "Meet where they feel at home: at their place or in the community centre, not in our office.",
        ),
        "advice_in_thread": "Perhaps she feels judged by those meetings. What helped me: let the young "
        "person do the inviting. Parents find it harder to say no to their own child.",
        "lesson": "From now on I'll phone the parents myself and have the young person invite them too. "
        "I'm dropping the letter.",
    },
    "fr": {
        "title": "Des parents qui ne viennent pas à l'entretien",
        "situation": "Dans mon groupe de vie, les parents de trois jeunes ne sont pas venus aux trois "
        "derniers entretiens que nous avions prévus. Ils ne préviennent pas.",
        "question": "Comment amener ces parents autour de la table, sans que cela ressemble à une "
        "obligation ?",
        "tried": "Une lettre d'invitation, un rappel par SMS et, chaque fois, une nouvelle date proposée.",
        "advice_by_modal": (
            "Appelez-les vous-même au lieu d'envoyer une lettre, et demandez d'abord comment ils vont. "
            "Chez nous, la moitié est venue ensuite.",
            "Donnez rendez-vous là où ils se sentent chez eux : à leur domicile ou à la maison de quartier, "
            "pas dans notre bureau.",
        ),
        "advice_in_thread": "Peut-être se sent-elle jugée par ces entretiens. Ce qui m'a aidé : laisser le "
        "jeune faire l'invitation lui-même. Les parents disent moins vite non à leur propre enfant.",
        "lesson": "Désormais, j'appelle les parents moi-même et je demande au jeune de les inviter aussi. "
        "J'abandonne la lettre.",
    },
}


def cases_act(stage: Stage) -> None:
    """Joke brings a case; Mehmet and Sarah advise through the modal; Ann recognises it; the facilitator
    starts a round by the gossip method that Mehmet leads, in which Pieter's reply counts as advice; Joke
    closes it with what she takes away; the facilitator lists the cases."""
    owner, recogniser = stage.member_ids[0], stage.member_ids[4]
    card_ts = _bring(stage, owner)
    _advise(stage, card_ts, modal_advisers=stage.member_ids[1:3])
    stage.click_narrated(recogniser, CaseActions.RECOGNISE, "cases.button.recognise", message_ts=card_ts)
    case_round(
        stage,
        card_ts,
        lead=stage.member_ids[1],
        asker=stage.member_ids[2],
        gossiper=stage.member_ids[3],
        gossip=CONTENT[stage.texts.language]["advice_in_thread"],
    )
    _close(stage, owner, card_ts)
    stage.command(stage.facilitator_id, "lijst" if stage.dutch else "list", command="/case")


def _bring(stage: Stage, owner: str) -> str:
    """The owner types `/case` with a title and fills in the intake; the ts of the card posted."""
    texts = stage.texts
    content = CONTENT[texts.language]
    stage.command(owner, content["title"], command="/case")
    stage.show_open_modal(owner)
    stage.say(texts("cases.demo.submits", person=stage.names[owner], button=texts("cases.intake.submit")))
    stage.say()
    stage.submit(
        owner,
        {
            CaseIntakeBlocks.TITLE: content["title"],
            CaseIntakeBlocks.SITUATION: content["situation"],
            CaseIntakeBlocks.QUESTION: content["question"],
            CaseIntakeBlocks.TRIED: content["tried"],
            CaseIntakeBlocks.HELP_WANTED: ["advice", "experiences"],
        },
    )
    return str(stage.emulator.messages(CHANNEL_ID)[-1]["ts"])


def _advise(stage: Stage, card_ts: str, *, modal_advisers: list[str]) -> None:
    """Advice through the card's modal."""
    texts = stage.texts
    content = CONTENT[texts.language]
    for adviser, advice in zip(modal_advisers, content["advice_by_modal"], strict=True):
        stage.click_narrated(adviser, CaseActions.GIVE_ADVICE, "cases.button.give_advice", message_ts=card_ts)
        button = texts("cases.advice_modal.submit")
        stage.say(texts("cases.demo.submits", person=stage.names[adviser], button=button))
        stage.submit(adviser, {CaseAdviceBlocks.ADVICE: advice})


def _close(stage: Stage, owner: str, card_ts: str) -> None:
    """The owner closes the case with what they take away."""
    texts = stage.texts
    stage.click_narrated(owner, CaseActions.CLOSE, "cases.button.close", message_ts=card_ts)
    stage.show_open_modal(owner)
    button = texts("cases.close_modal.submit")
    stage.say(texts("cases.demo.submits", person=stage.names[owner], button=button))
    stage.say()
    stage.submit(owner, {CaseCloseBlocks.LESSON: CONTENT[texts.language]["lesson"]})
