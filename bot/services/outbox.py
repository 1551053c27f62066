"""What Slack must be told after a change, recorded in the change's own transaction (the outbox).

A service that changes something records an effect here: its kind, an idempotency key and plain ids and
values. It says nothing of how Slack is told: the publishing layer (`bot.publishing`) renders each kind
from the database and carries it out once the transaction has committed, and a live process finishes
what a dead one left. Nothing translated or rendered is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from bot.clock import Clock
from bot.workspace import current_team
from storage import queries_installations
from storage import queries_outbox

FIRST_TRY_WITHIN = timedelta(seconds=10)
"""The request that records an effect carries it out at once; the retry loop waits this long for it."""


class EffectKind(StrEnum):
    CASE_CARD = "case.card"
    """Post a new case's card, then its details in the card's thread."""
    CASE_REFRESH = "case.refresh"
    """Show a case's current state and counts on its card."""
    CASE_ADVICE = "case.advice"
    """Post advice given through the modal in the case's thread."""
    CASE_LESSON = "case.lesson"
    CASE_ROUND_STEP = "case.round_step"
    """Post the intervisie round's current step in the case's thread."""
    CASE_ROUND_STEP_DONE = "case.round_step_done"
    """Mark a round step's message as done."""
    CASE_CLEAN_UP = "case.clean_up"
    """Remove a deleted case's card and the bot's posts in its thread."""
    NOTICE = "notice"
    """Tell the person who asked how it went, privately, in their language."""
    NETWORK_WELCOME = "network.welcome"
    """Welcome the group in a channel just linked to a network, with its principles and first steps; the
    apps' bot users among the channel's members are left out of the network first."""
    # The kickoff: introductions, the expectations map, the agreements, members joining and leaving.
    INTRO_CARD = "kickoff.intro_card"
    """Show a member's introduction on their card: update it, or post it (again, if it was deleted)."""
    EXPECTATIONS_MAP = "kickoff.expectations_map"
    """Post the expectations map; the map it replaces says where the new one is."""
    EXPECTATIONS_MAP_REFRESH = "kickoff.expectations_map_refresh"
    """Show the current goals and votes on the posted map."""
    AGREEMENTS = "kickoff.agreements"
    """Post a version of the agreements; the version it replaces says so."""
    AGREEMENTS_REFRESH = "kickoff.agreements_refresh"
    """Show who accepted the posted agreements, "X of Y members"."""
    JOIN_WELCOME = "kickoff.join_welcome"
    """Welcome a member who joined the channel, privately."""
    SIZE_NOTE = "kickoff.size_note"
    """A direct message to a facilitator: the group is outside the 10-15 guideline."""
    VOTE_FEEDBACK = "kickoff.vote_feedback"
    """Tell the voter, privately, what their click did and how many votes they have left."""
    ACCEPTANCE = "kickoff.acceptance"
    """Thank a member for accepting the agreements (in place of the private agreements they accepted)."""
    ROLE_CHANGED = "kickoff.role_changed"
    """Tell the facilitator who changed a role what it is now."""
    # Check-ins and meetings (bot/publishing/checkins.py).
    CHECKIN_RESULTS = "checkin.results"
    """Post a poll's results in its thread, and mark the poll message closed."""
    CHECKIN_SCHEDULE_SAVED = "checkin.schedule_saved"
    """Show the channel the network's new check-in schedule."""
    MEETING_PLANNED = "meeting.planned"
    """Announce a planned meeting in the network's channel."""
    MEETING_AGENDA_REFRESH = "meeting.agenda_refresh"
    """Bring the posted agenda of a meeting still to come up to date (someone on it was forgotten)."""
    # -- privacy, App Home and the summary
    PRIVACY_MY_DATA = "privacy.my_data"
    """Send a user all that is stored about them, as a JSON file in their DM."""
    PRIVACY_DELETE_POST = "privacy.delete_post"
    """Remove a post of the bot's about a forgotten user (their intro card)."""
    PRIVACY_ADVICE_REMOVED = "privacy.advice_removed"
    """Show the removal note in place of the bot's post of a forgotten user's advice."""
    PRIVACY_FORGOTTEN = "privacy.forgotten"
    """Tell a forgotten user what was erased."""
    PRIVACY_ARCHIVED = "privacy.archived"
    """Announce in its channel that a network is archived."""
    PRIVACY_ARCHIVE_DONE = "privacy.archive_done"
    """Tell the facilitator who archived a network that it is done."""
    SUMMARY_POST = "summary.post"
    """Post a network's summary, its chart in the summary's thread, and the quiet members' note."""
    SUMMARY_DIGEST_SAVED = "summary.digest_saved"
    """Tell the facilitator who changed the digest's schedule what it is now."""
    HOME_CSV = "home.csv"
    """Send a facilitator the network's CSV file in their DM, and refresh their App Home."""
    CHARTER_REFRESH = "charter.refresh"
    """Write the network's charter again on its canvas (or pinned message), if it reads differently."""
    # The safe group (bot/publishing/safe.py).
    CASE_GUEST_INVITED = "safe.guest_invited"
    """Tell a guest expert, privately, that a confidential case's owner invites them to read it."""
    CASE_PUBLIC_REPLY = "safe.public_reply"
    """Tell whoever replied in a confidential case's thread, privately, that the whole channel reads it."""
    FOLLOW_UP_ASK = "follow_up.ask"
    """Ask a case's owner privately what they did with the advice (bot/publishing/follow_ups.py)."""
    FOLLOW_UP_SETTLED = "follow_up.settled"
    """Show the owner their answer in place of the question's buttons."""
    FOLLOW_UP_SHARE = "follow_up.share"
    """Post a follow-up answer in the case's thread, and tell the advisers privately."""
    JOURNEY_PLAN = "journey.plan"
    """Post the network's trajectory in its channel, or show the current one on the posted message."""
    JOURNEY_ROLE_ASKED = "journey.role_asked"
    """Ask a member privately to take over a role someone passed on (accept or pass it on)."""
    JOURNEY_ROLE_ANSWERED = "journey.role_answered"
    """Show on the question to take over a role what its member answered, in place of its buttons."""
    THERMOMETER_ROUND = "thermometer.round"
    """Post a thermometer round in the network's channel, with its answer button."""
    THERMOMETER_RESULTS = "thermometer.results"
    """Post a closed round's results in its thread, and mark the round's message closed."""
    THERMOMETER_SUGGESTIONS = "thermometer.suggestions"
    """Send each facilitator, privately, what to try for the aspects that are low or falling."""
    PAIRS_GROUP = "pairs.group"
    """Open a pairing round's group DM and post its two questions."""
    LESSON_CONSENT_ASK = "shortcuts.lesson_consent_ask"
    """Ask the author of a message someone saved as a lesson, privately, whether it may be kept."""
    LESSON_CONSENT_ANSWERED = "shortcuts.lesson_consent_answered"
    """Show on that question what its author answered, in place of its buttons."""
    LESSON_SAVER_TOLD = "shortcuts.lesson_saver_told"
    """Tell the member who saved it, in their DM, what became of a lesson its author was asked about: the
    answer may come days later, when an ephemeral in the channel would reach nobody."""
    WRAP_UP_ANNOUNCE = "wrap_up.announce"
    """Announce the closing ritual in the network's channel, with its look-back button."""
    WRAP_UP_INVITE = "wrap_up.invite"
    """Invite one member privately to look back, with the same button."""
    WRAP_UP_HARVEST = "wrap_up.harvest"
    """Post the harvest in the channel with its chart in its thread; mark the announcement closed."""
    WRAP_UP_REMIND = "wrap_up.remind"
    """Remind one member privately, a few days before the close, that their look-back is missing."""
    WRAP_UP_FILE = "wrap_up.file"
    """Send one facilitator the harvest as a Markdown document (with its chart) in their DM."""


@dataclass(frozen=True, slots=True)
class Requester:
    """Who asked, and where they can be answered privately: the request's response_url while Slack
    accepts it (30 minutes), else an ephemeral message in the channel."""

    user_id: str
    channel_id: str = ""
    response_url: str = ""

    def as_payload(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any] | None) -> Requester | None:
        if not payload or not payload.get("user_id"):
            return None
        return cls(
            user_id=str(payload["user_id"]),
            channel_id=str(payload.get("channel_id") or ""),
            response_url=str(payload.get("response_url") or ""),
        )


class Outbox:
    """Records effects in the caller's unit of work, owned by this process until it stops beating."""

    def __init__(self, *, clock: Clock, process_id: str | None) -> None:
        self._clock = clock
        self._process_id = process_id

    def record(self, session: Session, kind: EffectKind, *, key: str | None = None, **payload: Any) -> None:
        """Record one effect. `key` identifies it for good (a post with the same key is posted once);
        without one, a fresh key: an update or a notice that may be carried out as often as asked.
        A `Requester` in the payload is stored as its plain fields."""
        now = self._clock.now()
        stored = {
            name: value.as_payload() if isinstance(value, Requester) else value
            for name, value in payload.items()
        }
        queries_outbox.add(
            session=session,
            kind=kind.value,
            key=key or f"{kind.value}-{uuid.uuid4().hex}",
            payload=stored,
            owner=self._process_id,
            now=now,
            not_before=now + FIRST_TRY_WITHIN,
            # A request's workspace, else (a timed job's effect) the workspace of the network it is about.
            team_id=current_team() or queries_installations.team_of_effect(session=session, payload=stored),
        )

    def charter_changed(self, session: Session, network_id: int) -> None:
        """Record that the network's charter may read differently once this unit of work commits."""
        self.record(session, EffectKind.CHARTER_REFRESH, network_id=network_id)

    def notice(
        self,
        session: Session,
        requester: Requester | None,
        text_key: str,
        *,
        language: str,
        days: dict[str, date] | None = None,
        **values: Any,
    ) -> None:
        """Tell `requester` privately the catalog text `text_key`, once the change has committed; `days`
        are values written as dates in the reader's language."""
        if requester is None or not requester.user_id:
            return
        self.record(
            session,
            EffectKind.NOTICE,
            requester=requester,
            text_key=text_key,
            values=values,
            days={name: day.isoformat() for name, day in (days or {}).items()},
            language=language,
        )
