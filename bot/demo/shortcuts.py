"""The demo's message shortcuts act: a member writes what helped them in the channel, another saves it
with "Bewaar als les"; its author is asked privately, says yes, and the saver hears it."""

from __future__ import annotations

from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import Stage
from bot.views.ids import SAVE_AS_LESSON_SHORTCUT
from bot.views.ids import ShortcutActions

_WORDS = {
    "nl": "Wat mij hielp: eerst vragen wat de ouders zelf al geprobeerd hebben, pas dan raad geven.",
    "en": "What helped me: first asking what the parents already tried themselves, only then advising.",
    "fr": "Ce qui m'a aidée : demander d'abord ce que les parents ont déjà essayé, conseiller ensuite.",
}


def shortcuts_act(stage: Stage) -> None:
    texts = stage.texts
    author, saver = stage.member_ids[0], stage.member_ids[1]
    stage.say(texts("shortcuts.demo.writes", person=stage.names[author]))
    ts = str(stage.emulator.add_message(CHANNEL_ID, author, _WORDS[texts.language])["ts"])
    stage.say(texts("shortcuts.demo.saves", person=stage.names[saver]))
    stage.show_private(
        saver,
        lambda: stage.bot.message_shortcut(
            SAVE_AS_LESSON_SHORTCUT, user_id=saver, channel_id=CHANNEL_ID, message_ts=ts
        ),
    )
    dm = stage.emulator.dm_channel_id(author)
    [question] = stage.emulator.messages(dm)[-1:]
    stage.say(texts("shortcuts.demo.asked", person=stage.names[author]))
    stage.show_message(question)
    stage.say(texts("shortcuts.demo.agrees", person=stage.names[author]))
    stage.driver.block_action(
        user_id=author, action_id=ShortcutActions.CONSENT_YES, channel_id=dm, message_ts=question["ts"]
    )
    stage.bot.settle()
    # The answer may come days later: the saver hears it in their DM, where it stays.
    [told] = stage.emulator.messages(stage.emulator.dm_channel_id(saver))[-1:]
    stage.show_message(told)
    stage.say()
