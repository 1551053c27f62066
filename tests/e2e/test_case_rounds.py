"""A case's round by a peer-consultation method, end to end: started with a chosen method and session
lead, its steps one by one in the case's thread, moved on by whoever leads it, a double press that never
skips a step, and advice that counts only in the steps that ask for it, once per delivery."""

from __future__ import annotations

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CaseActions
from bot.views.ids import CaseRoundBlocks
from storage.models import Case
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import exported
from tests.e2e.conftest import last_private
from tests.e2e.conftest import press
from tests.e2e.conftest import private_texts
from tests.e2e.conftest import stored_sessions
from tests.e2e.conftest import the_card
from tests.e2e.test_cases import ADVISER
from tests.e2e.test_cases import OWNER
from tests.e2e.test_cases import action_ids
from tests.e2e.test_cases import press_stale
from tests.e2e.test_cases import reply_in_thread
from tests.e2e.test_journey import plan


def round_posts(emulator: SlackEmulator, card_ts: str) -> list[dict]:
    """The round's posts in the case's thread, in order."""
    return [
        m
        for m in emulator.replies(NETWORK_CHANNEL, card_ts)
        if "stap " in message_text(m) or "ronde" in message_text(m)
    ]


def step_post(emulator: SlackEmulator, card_ts: str, title: str) -> dict:
    [post] = [m for m in emulator.replies(NETWORK_CHANNEL, card_ts) if title in message_text(m)]
    return post


def start_round(bot: LocalBot, user_id: str, card_ts: str, method: str, lead: str | None = None) -> None:
    press(bot, user_id, CaseActions.START_ROUND, card_ts)
    chosen = {CaseRoundBlocks.METHOD: {VALUE_ACTION: method}}
    if lead is not None:
        chosen[CaseRoundBlocks.LEAD] = {VALUE_ACTION: lead}
    response = bot.submit_view(user_id, chosen)
    assert response.status == 200


def advice_count(bot: LocalBot) -> int:
    return exported(bot)["cases"][0]["advice_count"]


def test_a_round_by_the_gossip_method_step_by_step(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    press(network, ADVISER, CaseActions.START_ROUND, card_ts)
    assert "Alleen een facilitator of de inbrenger" in last_private(emulator, ADVISER)
    start_round(network, FACILITATOR, card_ts, "gossip", lead=ADVISER)

    telling = step_post(emulator, card_ts, "Roddelmethode, stap 1 van 5: Vertellen")
    assert f"<@{OWNER}> (de casusinbrenger)" in message_text(telling)
    assert "Roddelmethode: Vertellen" in message_text(the_card(emulator))
    assert CaseActions.START_ROUND not in action_ids(the_card(emulator))

    # Telling asks for no advice: a reply does not count, and the advice button waits.
    reply_in_thread(network, emulator, FACILITATOR, "Hoe oud zijn de kinderen?", card_ts)
    press(network, ADVISER, CaseActions.GIVE_ADVICE, card_ts)
    assert "stap zonder advies" in last_private(emulator, ADVISER)
    assert advice_count(network) == 0

    # The session lead moves on; pressing the old button again is refused, never a skip.
    press(network, ADVISER, CaseActions.NEXT_STEP, telling["ts"])
    press_stale(network, emulator, ADVISER, CaseActions.NEXT_STEP, telling)
    assert "al afgerond" in last_private(emulator, ADVISER)
    telling = step_post(emulator, card_ts, "stap 1 van 5")
    assert action_ids(telling) == [] and f"Afgerond door <@{ADVISER}>" in message_text(telling)

    # The case's owner may move on too.
    questions = step_post(emulator, card_ts, "stap 2 van 5: Open vragen")
    press(network, OWNER, CaseActions.NEXT_STEP, questions["ts"])

    # The gossip asks for advice: a reply counts, once, however often Slack delivers it.
    gossip = step_post(emulator, card_ts, "stap 3 van 5: Roddelen")
    assert "telt een reactie hier in de draad als advies" in message_text(gossip)
    reply_in_thread(network, emulator, FACILITATOR, "Misschien voelen ze zich beoordeeld.", card_ts)
    assert network.driver is not None
    network.driver.redeliver(retry_num=1)
    network.driver.redeliver(retry_num=2, retry_reason="http_timeout")
    network.settle()
    assert advice_count(network) == 1

    # Two leaders press at once: one moves on, the other is told; the next step is posted once.
    press(network, FACILITATOR, CaseActions.NEXT_STEP, gossip["ts"])
    press_stale(network, emulator, OWNER, CaseActions.NEXT_STEP, gossip)
    assert "al afgerond" in last_private(emulator, OWNER)
    response = step_post(emulator, card_ts, "stap 4 van 5: Terugdraaien")
    assert [m for m in emulator.replies(NETWORK_CHANNEL, card_ts) if "stap 5 van 5" in message_text(m)] == []

    press(network, FACILITATOR, CaseActions.NEXT_STEP, response["ts"])
    evaluation = step_post(emulator, card_ts, "stap 5 van 5: Evaluatie")
    assert "Ronde afronden" in message_text(evaluation)
    press(network, ADVISER, CaseActions.NEXT_STEP, evaluation["ts"])
    finished = step_post(emulator, card_ts, "De ronde volgens de Roddelmethode is afgerond")
    assert "1 advies gegeven" in message_text(finished)

    assert "Roddelmethode: afgerond" in message_text(the_card(emulator))
    case = exported(network)["cases"][0]
    assert (case["round_method"], case["round_step"], case["status"]) == ("gossip", "finished", "open")
    # After the round, advice counts again, as before it.
    reply_in_thread(network, emulator, ADVISER, "Nog een idee: een huisbezoek.", card_ts)
    assert advice_count(network) == 2


def test_the_owner_starts_a_round_and_leads_it_and_a_second_start_is_refused(
    network: LocalBot,
    emulator: SlackEmulator,
) -> None:
    bring_case(network)
    card_before_the_round = the_card(emulator)
    card_ts = card_before_the_round["ts"]
    start_round(network, OWNER, card_ts, "socratic")
    assert exported(network)["cases"][0]["round_step"] == "question"

    # A start pressed on the card as it was before (a second click) is refused; nothing restarts.
    card_before = {**the_card(emulator)}
    card_before["blocks"] = [
        block
        if block.get("type") != "actions"
        else {
            **block,
            "elements": [
                *block["elements"],
                {
                    "type": "button",
                    "action_id": CaseActions.START_ROUND,
                    "value": str(exported(network)["cases"][0]["id"]),
                    "text": {"type": "plain_text", "text": "start"},
                },
            ],
        }
        for block in card_before["blocks"]
    ]
    press_stale(network, emulator, FACILITATOR, CaseActions.START_ROUND, card_before)
    assert "loopt er al een intervisieronde" in last_private(emulator, FACILITATOR)

    # The socratic dialogue asks for no advice at any step.
    question = step_post(emulator, card_ts, "Socratisch gesprek, stap 1 van 6")
    reply_in_thread(network, emulator, ADVISER, "Wanneer grijp je in?", card_ts)
    press(network, OWNER, CaseActions.NEXT_STEP, question["ts"])
    reply_in_thread(network, emulator, ADVISER, "Mijn voorbeeld: een huisbezoek.", card_ts)
    assert advice_count(network) == 0
    assert exported(network)["cases"][0]["round_step"] == "example"


def test_a_confidential_cases_round_names_nobody_in_the_thread(
    network: LocalBot, emulator: SlackEmulator, confidential_card_ts: str
) -> None:
    start_round(network, FACILITATOR, confidential_card_ts, "incident", lead=ADVISER)
    for _ in range(3):
        current = round_posts(emulator, confidential_card_ts)[-1]
        press(network, ADVISER, CaseActions.NEXT_STEP, current["ts"])

    posts = round_posts(emulator, confidential_card_ts)
    assert len(posts) == 4 and "Incidentmethode, stap 4 van 7: Analyse" in message_text(posts[-1])
    assert all("<@" not in message_text(post) for post in posts)
    assert "Nog geen advies" in message_text(posts[2])


def test_the_start_modal_says_what_is_wrong_and_two_starters_start_one_round(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    press(network, FACILITATOR, CaseActions.START_ROUND, card_ts)
    press(network, OWNER, CaseActions.START_ROUND, card_ts)

    # A session lead from outside the network: an error under that field, the modal stays open.
    emulator.join(NETWORK_CHANNEL, OUTSIDER)
    refused = network.submit_view(
        FACILITATOR,
        {CaseRoundBlocks.METHOD: {VALUE_ACTION: "topoi"}, CaseRoundBlocks.LEAD: {VALUE_ACTION: OUTSIDER}},
    )
    assert refused.json()["response_action"] == "errors"
    assert "lid zijn van het netwerk" in refused.json()["errors"][CaseRoundBlocks.LEAD]
    assert exported(network)["cases"][0]["round_method"] is None

    start_round_from_open_modal(network, FACILITATOR, "topoi")
    # The owner had the modal open too: their start is refused in it, and one round runs.
    late = network.submit_view(OWNER, {CaseRoundBlocks.METHOD: {VALUE_ACTION: "balint"}})
    assert "loopt er al een intervisieronde" in str(late.json()["errors"])
    assert exported(network)["cases"][0]["round_method"] == "topoi"
    assert len(round_posts(emulator, card_ts)) == 1


def start_round_from_open_modal(bot: LocalBot, user_id: str, method: str) -> None:
    response = bot.submit_view(
        user_id,
        {CaseRoundBlocks.METHOD: {VALUE_ACTION: method}, CaseRoundBlocks.LEAD: {VALUE_ACTION: user_id}},
    )
    assert response.status == 200 and not response.body


def test_a_button_posted_for_the_fixed_steps_of_old_moves_the_migrated_round_on(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    case_id = exported(network)["cases"][0]["id"]
    # What migration 0816 leaves of a round that was at its clarifying questions.
    with stored_sessions(network) as sessions, sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.round_method, case.round_step_index, case.round_lead_id = "incident", 2, None
        session.add(case)
        session.commit()
    button = {
        "type": "button",
        "action_id": CaseActions.NEXT_STEP,
        "value": f"{case_id}:questions",
        "text": {"type": "plain_text", "text": "Volgende stap"},
    }
    blocks = [{"type": "actions", "block_id": "case_round_actions", "elements": [button]}]
    old_post = emulator.add_message(
        NETWORK_CHANNEL, emulator.bot_user_id, "Intervisieronde", blocks=blocks, thread_ts=card_ts
    )

    press(network, FACILITATOR, CaseActions.NEXT_STEP, old_post["ts"])
    press_stale(network, emulator, FACILITATOR, CaseActions.NEXT_STEP, old_post)

    assert "al afgerond" in last_private(emulator, FACILITATOR)
    step_post(emulator, card_ts, "Incidentmethode, stap 4 van 7: Analyse")
    assert exported(network)["cases"][0]["round_step"] == "analysis"


def test_a_step_button_carrying_no_step_of_ours_moves_nothing_on(
    network: LocalBot, emulator: SlackEmulator, card_ts: str
) -> None:
    start_round(network, FACILITATOR, card_ts, "incident")
    [first] = round_posts(emulator, card_ts)
    case_id = exported(network)["cases"][0]["id"]
    assert network.driver is not None

    # `²` is a digit to Python, not a number to `int`; the second is past every integer the database has.
    for step in ("\u00b2", "99999999999999999999"):
        network.driver.block_action(
            user_id=FACILITATOR,
            action_id=CaseActions.NEXT_STEP,
            channel_id=NETWORK_CHANNEL,
            message_ts=first["ts"],
            value=f"{case_id}:{step}",
        )
        network.settle()

    answers = private_texts(emulator, FACILITATOR)[-2:]
    assert len(answers) == 2 and all("al afgerond" in answer for answer in answers)
    assert exported(network)["cases"][0]["round_step"] == "look_back"


def test_the_round_is_offered_to_the_trajectory_s_session_lead(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    plan(network)
    [lead] = exported(network)["traject"][0]["roles"]["lead"]
    bring_case(network)
    press(network, OWNER, CaseActions.START_ROUND, the_card(emulator)["ts"])  # the owner starts it
    view = emulator.open_view(OWNER)
    assert view is not None
    [lead_block] = [b for b in view["blocks"] if b.get("block_id") == CaseRoundBlocks.LEAD]
    assert lead_block["element"]["initial_user"] == lead != OWNER
