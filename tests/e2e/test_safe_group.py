"""The safe group end to end (issue 15): a confidential case is read only in the reading modal, by members
who accepted the current agreements and guest experts its owner invited; advice reaches its owner alone;
its details can be forgotten; the bot is honest about what is anonymous and where a channel is public."""

from __future__ import annotations

from typing import Any

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import CASE_GUESTS_MODAL
from bot.views.ids import CASE_READING_VIEW
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CaseActions
from bot.views.ids import CaseAdviceBlocks
from bot.views.ids import CaseCloseBlocks
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import FollowUpCloseBlocks
from bot.views.ids import PrivacyActions
from bot.views.ids import SafeActions
from bot.views.ids import SafeBlocks
from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseFollowUp
from tests.blocks import message_text
from tests.blocks import view_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import exported
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import join_network_channel
from tests.e2e.conftest import last_private
from tests.e2e.conftest import leave_network_channel
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import press
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.conftest import the_card
from tests.e2e.test_cases import action_ids
from tests.e2e.test_cases import reply_in_thread
from tests.e2e.test_kickoff_agreements import accept
from tests.e2e.test_kickoff_agreements import agreements_in_channel
from tests.e2e.test_kickoff_agreements import post_agreements
from tests.factories import form_values

OWNER, ADVISER = PARTICIPANTS
SITUATION = "Een moeder dreigde met een klacht na een huisbezoek."
QUESTION = "Hoe herstel ik het vertrouwen zonder mijn grenzen op te geven?"
TRIED = "Een gesprek met mijn teamleider."
ADVICE = "Nodig haar uit op neutraal terrein, met een collega erbij."
LESSON = "Eerst luisteren, dan pas uitleggen."
SECRETS = (SITUATION, QUESTION, TRIED, ADVICE, LESSON)
CONFIDENTIAL: dict[str, Any] = {
    CaseIntakeBlocks.TITLE: "Klacht na huisbezoek",
    CaseIntakeBlocks.SITUATION: SITUATION,
    CaseIntakeBlocks.QUESTION: QUESTION,
    CaseIntakeBlocks.TRIED: TRIED,
    CaseIntakeBlocks.CONFIDENTIAL: ["confidential"],
}


# ---------------------------------------------------------------------- helpers


def agree(bot: LocalBot, *user_ids: str, text: str = "Wat hier gezegd wordt, blijft hier.") -> None:
    """The facilitator posts agreements and `user_ids` accept them."""
    post_agreements(bot, text)
    message = agreements_in_channel(bot.emulator)[-1]
    for user_id in user_ids:
        accept(bot, message, user_id)


def bring_confidential(bot: LocalBot, user_id: str = OWNER) -> str:
    bring_case(bot, user_id=user_id, **CONFIDENTIAL)
    return the_card(bot.emulator)["ts"]


def read(bot: LocalBot, user_id: str, card_ts: str, **options: Any) -> dict[str, Any] | None:
    """Press "read" on the card; the reading modal that opened for `user_id`, or None."""
    bot.emulator.close_view(user_id, clear=True)
    press(bot, user_id, SafeActions.READ, card_ts, **options)
    view = bot.emulator.open_view(user_id)
    return view if view is not None and view["callback_id"] == CASE_READING_VIEW else None


def give_confidential_advice(bot: LocalBot, user_id: str, card_ts: str, text: str = ADVICE) -> None:
    press(bot, user_id, CaseActions.GIVE_ADVICE, card_ts)
    bot.submit_view(user_id, form_values({CaseAdviceBlocks.ADVICE: text}))


def case_the_adviser_may_read(bot: LocalBot) -> str:
    """A confidential case of the owner's, and agreements the adviser accepted; the ts of its card."""
    card_ts = bring_confidential(bot)
    agree(bot, ADVISER)
    return card_ts


def advised_confidential_case(bot: LocalBot) -> str:
    """A confidential case of the owner's with advice from the adviser, who accepted the agreements; the ts
    of its card."""
    card_ts = case_the_adviser_may_read(bot)
    give_confidential_advice(bot, ADVISER, card_ts)
    return card_ts


def direct_messages(emulator: SlackEmulator, user_id: str) -> list[dict[str, Any]]:
    channel = next(
        (cid for cid, c in emulator.channels.items() if c.get("is_im") and c.get("user") == user_id), None
    )
    return emulator.messages(channel) if channel else []


# ---------------------------------------------------------------------- the card and the reading modal


def test_the_card_shows_the_title_owner_counts_and_a_read_button_and_the_thread_stays_empty(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)

    card = the_card(emulator)
    shown = message_text(card)
    assert "Klacht na huisbezoek" in shown and f"<@{OWNER}>" in shown
    assert all(secret not in shown for secret in SECRETS)
    assert action_ids(card)[0] == SafeActions.READ and SafeActions.GUESTS in action_ids(card)
    assert emulator.replies(NETWORK_CHANNEL, card_ts) == []


def test_only_members_who_accepted_the_current_agreements_read_it(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)

    assert read(network, ADVISER, card_ts) is None
    assert "nog geen groepsafspraken" in last_private(emulator, ADVISER)

    agree(network, ADVISER)
    view = read(network, ADVISER, card_ts)
    assert view is not None
    assert all(secret in view_text(view) for secret in (SITUATION, QUESTION, TRIED))

    assert read(network, FACILITATOR, card_ts) is None
    assert "versie 1" in last_private(emulator, FACILITATOR)
    assert read(network, OUTSIDER, card_ts) is None
    assert "Vraag een facilitator om je toe te voegen" in last_private(emulator, OUTSIDER)
    # The owner reads their own case, agreements or not.
    assert read(network, OWNER, card_ts) is not None


def test_changed_agreements_must_be_accepted_again_before_reading(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = case_the_adviser_may_read(network)
    assert read(network, ADVISER, card_ts) is not None

    agree(network, text="Wat hier gezegd wordt, blijft hier.\nWe komen op tijd.")

    assert read(network, ADVISER, card_ts) is None
    assert "versie 2" in last_private(emulator, ADVISER)
    accept(network, agreements_in_channel(emulator)[-1], ADVISER)
    assert read(network, ADVISER, card_ts) is not None


def test_advice_reaches_the_owner_privately_and_the_reading_modal_never_the_thread(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = case_the_adviser_may_read(network)

    give_confidential_advice(network, ADVISER, card_ts)

    assert emulator.replies(NETWORK_CHANNEL, card_ts) == []
    assert "1 advies" in message_text(the_card(emulator))
    [dm] = direct_messages(emulator, OWNER)
    assert ADVICE in message_text(dm) and SafeActions.READ in action_ids(dm)
    view = read(network, OWNER, card_ts)
    assert view is not None and ADVICE in view_text(view)


def test_advice_on_it_is_refused_to_who_may_not_read_it(network: LocalBot, emulator: SlackEmulator) -> None:
    card_ts = case_the_adviser_may_read(network)

    press(network, FACILITATOR, CaseActions.GIVE_ADVICE, card_ts)

    assert emulator.open_view(FACILITATOR) is None
    assert "versie 1" in last_private(emulator, FACILITATOR)
    assert exported(network)["cases"][0]["advice_count"] == 0


def test_a_plain_reply_in_its_thread_is_no_advice_and_its_writer_is_told_privately(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)

    reply_in_thread(network, emulator, ADVISER, "Ik zou haar bellen.", card_ts)
    network.settle()

    [note] = emulator.ephemerals(user_id=ADVISER)
    assert "hele kanaal" in message_text(note) and SafeActions.READ in action_ids(note)
    assert exported(network)["cases"][0]["advice_count"] == 0


# ---------------------------------------------------------------------- guest experts


def invite(bot: LocalBot, card_ts: str, guest_id: str, user_id: str = OWNER) -> dict[str, Any] | None:
    """The owner opens the guest experts from the card and invites `guest_id`; the modal as it is after."""
    bot.emulator.close_view(user_id, clear=True)
    press(bot, user_id, SafeActions.GUESTS, card_ts)
    view = bot.emulator.open_view(user_id)
    if view is None or view["callback_id"] != CASE_GUESTS_MODAL:
        return None
    bot.submit_view(user_id, {SafeBlocks.GUEST: {VALUE_ACTION: guest_id}})
    return bot.emulator.open_view(user_id)


def press_in_dm(bot: LocalBot, user_id: str, message: dict[str, Any], action_id: str) -> None:
    press(bot, user_id, action_id, message["ts"], channel_id=bot.emulator.dm_channel_id(user_id))


def test_a_guest_withdrawn_from_a_list_closed_in_the_meantime_is_shown_withdrawn_in_a_new_one(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    # The owner clicked withdraw and closed the modal before its update came back.
    card_ts = bring_confidential(network)
    listed = invite(network, card_ts, OUTSIDER)
    assert listed is not None and network.driver is not None
    emulator.close_view(OWNER, listed["id"], clear=True)

    withdrawn = network.driver.block_action(
        user_id=OWNER, action_id=SafeActions.WITHDRAW_GUEST, view_id=listed["id"]
    )
    network.settle()

    assert withdrawn.status == 200

    shown = emulator.open_view(OWNER)
    assert shown is not None and f"<@{OUTSIDER}>" not in view_text(shown)
    assert read(network, OUTSIDER, card_ts) is None


def test_a_guest_expert_reads_only_when_the_owner_invites_them_until_it_is_withdrawn(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)
    assert read(network, OUTSIDER, card_ts) is None

    assert invite(network, card_ts, OUTSIDER, user_id=ADVISER) is None
    assert "Dat kan alleen" in last_private(emulator, ADVISER)
    after = invite(network, card_ts, OUTSIDER)

    assert after is not None and f"<@{OUTSIDER}> leest mee." in view_text(after)
    [invitation] = direct_messages(emulator, OUTSIDER)
    assert "Klacht na huisbezoek" in message_text(invitation)
    assert all(secret not in message_text(invitation) for secret in SECRETS)
    emulator.close_view(OUTSIDER, clear=True)
    press_in_dm(network, OUTSIDER, invitation, SafeActions.READ)
    view = emulator.open_view(OUTSIDER)
    assert view is not None and SITUATION in view_text(view)

    # Inviting again changes nothing; withdrawing ends the reading.
    again = invite(network, card_ts, OUTSIDER)
    assert again is not None and len(direct_messages(emulator, OUTSIDER)) == 1
    assert network.driver is not None
    network.driver.block_action(user_id=OWNER, action_id=SafeActions.WITHDRAW_GUEST, view_id=again["id"])
    network.settle()
    assert f"<@{OUTSIDER}>" not in view_text(emulator.open_view(OWNER) or {"blocks": []})
    assert read(network, OUTSIDER, card_ts) is None


def test_an_expert_of_the_network_reads_only_on_invitation(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    network.command(f"rol <@{ADVISER}> expert", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    card_ts = bring_confidential(network, user_id=FACILITATOR)
    agree(network, ADVISER)

    assert read(network, ADVISER, card_ts) is None
    assert "op uitnodiging" in last_private(emulator, ADVISER)
    invite(network, card_ts, ADVISER, user_id=FACILITATOR)
    assert read(network, ADVISER, card_ts) is not None


# ---------------------------------------------------------------------- forgetting the details


def test_the_owner_closes_and_forgets_the_details_keeping_title_lesson_and_counts(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = advised_confidential_case(network)

    press(network, OWNER, CaseActions.CLOSE, card_ts)
    network.submit_view(
        OWNER,
        {
            CaseCloseBlocks.LESSON: {VALUE_ACTION: LESSON},
            SafeBlocks.FORGET_DETAILS: {VALUE_ACTION: ["forget_details"]},
            FollowUpCloseBlocks.PLAN: {VALUE_ACTION: "Een tweede gesprek plannen."},
        },
    )

    view = read(network, ADVISER, card_ts)
    assert view is not None
    shown = view_text(view)
    assert "details van deze casus zijn gewist" in shown and LESSON in shown
    assert all(secret not in shown for secret in (SITUATION, QUESTION, TRIED, ADVICE))
    [case] = exported(network)["cases"]
    assert (case["title"], case["status"], case["advice_count"]) == ("Klacht na huisbezoek", "closed", 1)
    # Nothing of the lesson reaches the thread.
    assert all(LESSON not in message_text(m) for m in emulator.replies(NETWORK_CHANNEL, card_ts))
    # What the owner plans in the same form is kept, to be asked about.
    assert [follow_up.plan for follow_up in stored(network, CaseFollowUp)] == ["Een tweede gesprek plannen."]


def test_a_facilitator_forgets_every_confidential_case_once_the_network_is_archived(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    archived_with_an_advised_confidential_case(network)
    press_private(network, FACILITATOR, SafeActions.FORGET_ARCHIVED)

    assert "De details van 1 vertrouwelijke casus zijn gewist" in last_private(emulator, FACILITATOR)
    [case] = stored(network, Case)
    assert (case.title, case.situation, case.question, case.tried) == ("Klacht na huisbezoek", "", "", "")
    assert [advice.text for advice in stored(network, CaseAdvice)] == [""]


def archived_with_an_advised_confidential_case(bot: LocalBot) -> None:
    """The facilitator archived the network after a confidential case was advised on in it."""
    advised_confidential_case(bot)
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_private(bot, FACILITATOR, PrivacyActions.ARCHIVE)


def press_private(bot: LocalBot, user_id: str, action_id: str, *, value: str | None = None) -> None:
    """Press the button in the latest private answer to `user_id` that has it (with a forged `value`)."""
    assert bot.driver is not None
    shown = [m for m in bot.emulator.ephemerals(user_id=user_id) if action_id in action_ids(m)]
    assert shown, f"{user_id} was shown no {action_id}"
    bot.driver.block_action(
        user_id=user_id,
        action_id=action_id,
        value=value,
        channel_id=shown[-1]["channel"],
        message_ts=shown[-1]["ts"],
    )
    bot.settle()


# ---------------------------------------------------------------------- bad input


def test_a_forged_network_on_the_archive_button_is_answered_as_a_network_and_erases_nothing(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    archived_with_an_advised_confidential_case(network)

    press_private(network, FACILITATOR, SafeActions.FORGET_ARCHIVED, value="not-a-number")

    assert "Dat lerend netwerk bestaat niet meer" in last_private(emulator, FACILITATOR)
    [case] = stored(network, Case)
    assert case.situation != ""


def test_a_facilitator_who_left_before_the_archive_cannot_forget_the_details(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    join_network_channel(network, OUTSIDER)
    network.command(f"rol <@{OUTSIDER}> facilitator", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    leave_network_channel(network, OUTSIDER)
    archived_with_an_advised_confidential_case(network)
    assert network.driver is not None

    # The button went to the facilitator who archived; the one who left sends its click all the same.
    [answer] = [
        m for m in emulator.ephemerals(user_id=FACILITATOR) if SafeActions.FORGET_ARCHIVED in action_ids(m)
    ]
    network.driver.block_action(
        user_id=OUTSIDER,
        action_id=SafeActions.FORGET_ARCHIVED,
        channel_id=answer["channel"],
        message_ts=answer["ts"],
    )
    network.settle()

    assert "geen lid" in last_private(emulator, OUTSIDER)
    [case] = stored(network, Case)
    assert (case.situation, case.question) == (SITUATION, QUESTION)


def test_a_read_click_from_another_workspace_someone_who_left_or_on_a_deleted_case_shows_nothing(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = case_the_adviser_may_read(network)
    assert network.driver is not None

    own_team = emulator.team_id
    emulator.team_id = "T0ANDERBEDRIJF"
    try:
        assert read(network, ADVISER, card_ts) is None
    finally:
        emulator.team_id = own_team

    emulator.leave(NETWORK_CHANNEL, ADVISER)
    network.send_event(network.driver.member_left_channel(ADVISER, NETWORK_CHANNEL), event_id="EvLEFT")
    emulator.join(NETWORK_CHANNEL, ADVISER)  # back in the channel, not in the network
    assert read(network, ADVISER, card_ts) is None
    assert "Vraag een facilitator om je toe te voegen" in last_private(emulator, ADVISER)

    old_card = the_card(emulator)
    press(network, OWNER, CaseActions.DELETE, card_ts)
    copy = emulator.add_message(
        NETWORK_CHANNEL, emulator.bot_user_id, old_card["text"], blocks=old_card["blocks"]
    )
    assert read(network, OWNER, copy["ts"]) is None
    assert "verwijderd" in last_private(emulator, OWNER)


def test_a_long_case_is_read_in_pages_never_cut(network: LocalBot, emulator: SlackEmulator) -> None:
    card_ts = bring_confidential(network)
    agree(network, ADVISER, FACILITATOR)
    advice = [f"Advies nummer {n}: " + "& <b>" * 390 + f" einde {n}" for n in range(45)]
    for text in advice:
        give_confidential_advice(network, ADVISER, card_ts, text)

    view = read(network, FACILITATOR, card_ts)
    pages = [view]
    while view is not None and SafeActions.READ_PAGE in action_ids(view):
        assert network.driver is not None
        network.driver.block_action(user_id=FACILITATOR, action_id=SafeActions.READ_PAGE, view_id=view["id"])
        network.settle()
        view = emulator.open_view(FACILITATOR)
        pages.append(view)

    assert len(pages) > 1 and all(page is not None and len(page["blocks"]) <= 100 for page in pages)
    shown = "\n".join(view_text(page) for page in pages if page is not None)
    assert all(f"einde {n}" in shown for n in range(45))
    assert shown.count("&lt;b&gt;") == 45 * 390 and shown.count("&amp;") == 45 * 390


# ---------------------------------------------------------------------- honesty and a private place


def test_privacy_tells_anyone_what_the_bot_keeps_and_who_sees_what(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    bot.command("privacy", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)

    shown = last_private(emulator, OUTSIDER)
    assert "Iedereen in het kanaal" in shown and "Niemand" in shown and "vergeet-mij" in shown


def test_the_poll_says_reactions_are_not_anonymous(network: LocalBot, emulator: SlackEmulator) -> None:
    network.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    [poll] = [m for m in emulator.messages(NETWORK_CHANNEL) if "Zijn we goed bezig?" in message_text(m)]
    assert "Een reactie is niet anoniem" in message_text(poll)


def test_starting_in_a_public_channel_warns_and_the_summary_names_it_while_it_stays_public(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    view = open_modal(bot, "start", FACILITATOR)
    assert "Dit kanaal is openbaar" in view_text(view)
    emulator.close_view(FACILITATOR, clear=True)
    start_network(bot)

    bot.command("samenvatting", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    summaries = [m for m in emulator.messages(NETWORK_CHANNEL) if "Het kanaal is openbaar" in message_text(m)]
    assert len(summaries) == 1


def test_a_private_channel_gets_no_warning(bot: LocalBot, emulator: SlackEmulator) -> None:
    emulator.add_channel("G0PRIVE", "prive-netwerk", members=[FACILITATOR, OWNER], is_private=True)
    view = open_modal(bot, "start", FACILITATOR, channel_id="G0PRIVE")
    assert "openbaar" not in view_text(view)
    start_network(bot, channel_id="G0PRIVE")

    bot.command("samenvatting", user_id=FACILITATOR, channel_id="G0PRIVE")
    assert all("openbaar" not in message_text(m) for m in emulator.messages("G0PRIVE"))


# ---------------------------------------------------------------------- forget-me


def test_forgetting_an_adviser_leaves_the_removal_note_in_the_modal_and_the_owners_messages(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = advised_confidential_case(network)

    forget_me(network, ADVISER)

    [dm] = direct_messages(emulator, OWNER)
    assert ADVICE not in message_text(dm) and "verwijderd op vraag van wie het gaf" in message_text(dm)
    view = read(network, OWNER, card_ts)
    assert view is not None and ADVICE not in view_text(view)
    assert "verwijderd op vraag van wie het gaf" in view_text(view)


def test_forgetting_the_owner_erases_the_case(network: LocalBot, emulator: SlackEmulator) -> None:
    card_ts = bring_confidential(network)
    invite(network, card_ts, OUTSIDER)

    forget_me(network, OWNER)

    assert exported(network)["cases"] == []
    from storage.models import CaseGuest
    from tests.e2e.conftest import stored

    assert stored(network, CaseGuest) == []
