"""App Home's view: snapshots of a facilitator with two networks, a member, someone in no network; and
the limits that hold however many networks a person is in."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from bot.i18n import Texts
from bot.services.home import Glance
from bot.services.home import Home
from bot.services.home import LastCheckin
from bot.services.home import NetworkHome
from bot.services.home import OpenCase
from bot.services.home import ToDo
from bot.views import ids
from bot.views.home import home_view
from bot.views.home import unavailable_home_view
from storage.models.network import Role
from tests.snapshots import assert_matches_snapshot

NOTHING_TO_DO = ToDo(introduce=False, accept_agreements=False, vote=False, answer_checkin=False)


def network(network_id: int, name: str, *, role: Role = Role.PARTICIPANT, **changes) -> NetworkHome:
    values = {
        "network_id": network_id,
        "name": name,
        "channel_id": f"C0NET{network_id}",
        "language": "nl",
        "timezone": "Europe/Brussels",
        "role": role,
        "todo": NOTHING_TO_DO,
    }
    return NetworkHome(**{**values, **changes})


def glance(**changes: Any) -> Glance:
    """A facilitator's glance at a network where nothing has happened yet, but for `changes`."""
    values: dict[str, Any] = {
        "member_count": 0,
        "introduced": 0,
        "agreements_posted": False,
        "accepted": 0,
        "open_cases": 0,
        "open_cases_without_advice": 0,
        "last_checkin": None,
    }
    return Glance(**{**values, **changes})


def facilitator_home() -> Home:
    jeugdhulp = network(
        1,
        "Jeugdhulp <!channel> *Gent*",
        role=Role.FACILITATOR,
        todo=ToDo(introduce=False, accept_agreements=False, vote=True, answer_checkin=True),
        glance=glance(
            member_count=12,
            introduced=9,
            agreements_posted=True,
            accepted=11,
            open_cases=4,
            open_cases_without_advice=1,
            last_checkin=LastCheckin(
                poll_id=3,
                posted_at=datetime(2026, 9, 14, 8, 0, tzinfo=UTC),
                closes_at=datetime(2026, 9, 21, 8, 0, tzinfo=UTC),
                is_open=True,
                respondents=5,
                members=12,
            ),
        ),
    )
    onthaal = network(
        2,
        "Onthaal",
        role=Role.FACILITATOR,
        glance=glance(member_count=1),
        todo=ToDo(introduce=True, accept_agreements=False, vote=False, answer_checkin=False),
    )
    return Home(user_id="U0ELS", networks=[jeugdhulp, onthaal])


def member_home() -> Home:
    jeugdhulp = network(
        1,
        "Jeugdhulp",
        todo=ToDo(introduce=True, accept_agreements=True, vote=True, answer_checkin=True),
        open_cases=[OpenCase(id=7, title="Ouder <@U0X> komt niet", advice_count=1)]
        + [OpenCase(id=10 + n, title=f"Case {n}", advice_count=0) for n in range(5)],
    )
    onthaal = network(2, "Onthaal", role=Role.EXPERT)
    return Home(user_id="U0JOKE", networks=[jeugdhulp, onthaal])


def test_facilitator_with_two_networks() -> None:
    view = home_view(Texts("nl"), facilitator_home(), summary_available=True).to_dict()
    assert_matches_snapshot("home_facilitator_two_networks_nl", view)
    buttons = [
        element for block in view["blocks"] if block["type"] == "actions" for element in block["elements"]
    ]
    assert {b["value"] for b in buttons} == {"1", "2"}
    assert ids.HomeActions.POST_SUMMARY in {b["action_id"] for b in buttons}
    assert "<!channel>" not in str(view)


def test_facilitator_in_english_with_a_notice_and_no_summary_yet() -> None:
    view = home_view(
        Texts("en"), facilitator_home(), summary_available=False, notice="There is a check-in open already."
    ).to_dict()
    assert_matches_snapshot("home_facilitator_notice_en", view)
    action_ids = {
        element["action_id"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }
    assert ids.HomeActions.POST_SUMMARY not in action_ids
    assert view["blocks"][1]["block_id"] == ids.HomeBlocks.NOTICE


def test_member() -> None:
    view = home_view(Texts("nl"), member_home(), summary_available=True).to_dict()
    assert_matches_snapshot("home_member_nl", view)
    assert not [block for block in view["blocks"] if block["type"] == "actions"]
    assert "<@U0X>" not in str(view)


def test_someone_in_no_network() -> None:
    view = home_view(Texts("nl"), Home(user_id="U0KAREL", networks=[])).to_dict()
    assert_matches_snapshot("home_no_network_nl", view)


def test_the_home_when_the_networks_cannot_be_read_says_so_in_the_users_language() -> None:
    for language in ("nl", "en"):
        texts = Texts(language)
        view = unavailable_home_view(texts, notice=texts("error.unexpected")).to_dict()
        assert_matches_snapshot(f"home_unavailable_{language}", view)
        assert [block["type"] for block in view["blocks"]] == ["header", "section"]


def facilitated_networks(count: int) -> list[NetworkHome]:
    """`count` networks the caller facilitates, each with the first one's glance, to-do and an open case."""
    first = facilitator_home().networks[0]
    return [
        network(
            n,
            f"Netwerk {n}",
            role=Role.FACILITATOR,
            glance=first.glance,
            todo=first.todo,
            open_cases=[OpenCase(id=n, title="Vraag", advice_count=0)],
        )
        for n in range(1, count + 1)
    ]


def test_many_networks_stay_within_the_view_limit_and_are_named() -> None:
    networks = facilitated_networks(40)
    view = home_view(
        Texts("nl"), Home(user_id="U0ELS", networks=networks), summary_available=True, notice="Klaar"
    ).to_dict()

    assert len(view["blocks"]) <= 100
    more = view["blocks"][-1]
    assert more["block_id"] == ids.HomeBlocks.MORE
    shown = [block for block in view["blocks"] if block["type"] == "actions"]
    left_out = more["elements"][0]["text"]
    assert f"Nog {40 - len(shown)} netwerken" in left_out
    assert "<#C0NET40>" in left_out and "<#C0NET1>" not in left_out


def test_networks_that_fit_exactly_are_all_shown() -> None:
    networks = facilitated_networks(16)
    view = home_view(Texts("nl"), Home(user_id="U0ELS", networks=networks)).to_dict()

    assert len(view["blocks"]) == 1 + 16 * 6
    assert view["blocks"][-1]["type"] == "actions"
