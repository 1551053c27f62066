"""Domain errors. Each names the catalog text that explains it to the user, so handlers only render."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the bot refuses for a reason the user can act on."""

    text_key: str = "error.generic"
    typed_values: frozenset[str] = frozenset()
    """The values a person typed (a network's name): escaped where the text is mrkdwn, shown as they are
    in a modal's field error, which is plain text."""

    def __init__(self, **values: Any) -> None:
        super().__init__(self.text_key, values)
        self.values = values


class NotInChannel(DomainError):
    """The command came from a direct message or group DM, not a channel."""

    text_key = "error.not_in_channel"


class BotNotInChannel(DomainError):
    text_key = "error.bot_not_in_channel"


class ChannelNotLinked(DomainError):
    text_key = "error.channel_not_linked"


class ChannelAlreadyLinked(DomainError):
    text_key = "start.already_linked"
    typed_values = frozenset({"name"})


class NotAMember(DomainError):
    text_key = "error.not_a_member"


class NotAFacilitator(DomainError):
    text_key = "error.not_a_facilitator"


class NoFacilitatorLeft(NotAFacilitator):
    """A facilitator's step, in a network whose facilitators have all left: a member may name one."""

    text_key = "error.no_facilitator_left"


class InvalidInput(DomainError):
    """One or more fields of a form are wrong: `problems` maps a field name to a catalog key."""

    text_key = "error.invalid_input"

    def __init__(self, problems: dict[str, tuple[str, dict[str, Any]]]) -> None:
        super().__init__()
        self.problems = problems

    @classmethod
    def raise_if_any(cls, problems: dict[str, tuple[str, dict[str, Any]]]) -> None:
        """Refuse a form whose check found `problems`; one without any passes."""
        if problems:
            raise cls(problems)


# The kickoff: introductions, expectations map, agreements, roster and roles.


class RoleUsage(DomainError):
    """`/netwerk rol` without a person or a known role."""

    text_key = "kickoff.error.role_usage"


class TargetNotAMember(DomainError):
    """The person named in `/netwerk rol` does not take part in the network (`user`)."""

    text_key = "kickoff.error.target_not_a_member"


class LastFacilitator(DomainError):
    text_key = "kickoff.error.last_facilitator"


class VotesUsedUp(DomainError):
    """A fourth vote; `votes` is how many a member has."""

    text_key = "kickoff.error.votes_used_up"


class GoalNotOnMap(DomainError):
    """A vote for a learning goal nobody proposes any more (or a forged one)."""

    text_key = "kickoff.error.goal_not_on_map"


class NothingToMap(DomainError):
    text_key = "kickoff.error.nothing_to_map"


class AgreementsNotPosted(DomainError):
    text_key = "kickoff.error.agreements_not_posted"


class AgreementsReplaced(DomainError):
    """Accepting a version of the agreements that a newer one replaced (`version` is the current)."""

    text_key = "kickoff.error.agreements_replaced"


# Cases: bringing a problem from practice to the group, advice, recognition, the intervisie round.


class CaseNotFound(DomainError):
    text_key = "cases.error.not_found"


class CaseClosed(DomainError):
    """Advice, recognition or a round step on a case its owner has closed."""

    text_key = "cases.error.closed"


class CaseDeleted(DomainError):
    text_key = "cases.error.deleted"


class NotTheCaseOwner(DomainError):
    """Closing or deleting someone else's case; `owner` is the one who may."""

    text_key = "cases.error.not_the_owner"


class OwnCase(DomainError):
    """Advising or recognising one's own case."""

    text_key = "cases.error.own_case"


class AlreadyRecognised(DomainError):
    """Pressing "ik herken dit" again: it counts once per member."""

    text_key = "cases.error.already_recognised"


class RoundAlreadyStarted(DomainError):
    text_key = "cases.error.round_already_started"


class RoundStepPassed(DomainError):
    """A button of a round step that was already moved on (pressed twice, or by two facilitators)."""

    text_key = "cases.error.round_step_passed"


class AdviceWaitsForRound(DomainError):
    """Advice while the case's round is at a step of its method that asks for none."""

    text_key = "cases.error.advice_waits"


# Check-ins and meetings.


class PollAlreadyOpen(DomainError):
    """A poll is still open in this network (`closes`: when it closes, as the network reads it)."""

    text_key = "checkins.error.poll_open"


class PollAlreadyPostedToday(DomainError):
    text_key = "checkins.error.poll_today"


class PollNotFound(DomainError):
    """A button or form of a poll that does not exist (any more), or a forged poll id."""

    text_key = "checkins.error.poll_not_found"


class PollClosed(DomainError):
    text_key = "checkins.error.poll_closed"


class NoOpenPoll(DomainError):
    text_key = "checkins.error.no_open_poll"


class MeetingNotFound(DomainError):
    text_key = "checkins.error.meeting_not_found"


class EvaluationClosed(DomainError):
    text_key = "checkins.error.evaluation_closed"


class ThresholdOnlyUp(InvalidInput):
    """A schedule whose anonymity threshold is below the network's current one (`current`): a modal
    shows it under the field; told elsewhere, the text says what to choose."""

    text_key = "checkins.validation.threshold_lower"

    def __init__(self, problems: dict[str, tuple[str, dict[str, Any]]], *, current: int) -> None:
        super().__init__(problems)
        self.values = {"current": current}


# App Home.


class NetworkGone(DomainError):
    """A button on App Home names a network that is archived, gone, or not in this workspace."""

    text_key = "home.error.network_gone"


# Privacy: forgetting a user, archiving a network.


class LastFacilitatorCannotBeForgotten(DomainError):
    """The user is the only facilitator of a network (`network`): someone else must be named first."""

    text_key = "privacy.error.last_facilitator"
    typed_values = frozenset({"network"})


class NetworkArchived(DomainError):
    """The network is archived already, or gone."""

    text_key = "privacy.error.network_archived"


# Case rounds by a peer-consultation method.


class NotARoundLeader(DomainError):
    """Starting or moving on a case's round: only a facilitator, the case's owner or the round's
    session lead may."""

    text_key = "case_rounds.error.not_a_round_leader"


# The safe group: who may read a confidential case.


class MustAcceptAgreements(DomainError):
    """A member who has not accepted the current version (`version`) of the agreements."""

    text_key = "safe.error.accept_agreements"


class NoAgreementsYet(DomainError):
    """No agreements are posted: nobody has agreed to keep what a confidential case says."""

    text_key = "safe.error.no_agreements"


class NotInTheNetwork(DomainError):
    """Someone outside the network (never in it, or left) asks to read a confidential case."""

    text_key = "safe.error.not_in_network"


class GuestNotInvited(DomainError):
    """A guest expert reads a confidential case only when its owner invited them."""

    text_key = "safe.error.not_invited"


class NotConfidential(DomainError):
    text_key = "safe.error.not_confidential"


class InviteYourself(DomainError):
    text_key = "safe.error.invite_yourself"


class NetworkNotArchived(DomainError):
    """Forgetting every confidential case's details waits until the network is archived."""

    text_key = "safe.error.not_archived"


# Follow-ups of closed cases.


class FollowUpNotFound(DomainError):
    """A follow-up button names a follow-up that is gone (its case was deleted, its owner forgotten)."""

    text_key = "follow_ups.error.not_found"


class FollowUpAnswered(DomainError):
    """The follow-up was answered already (or is no longer asked)."""

    text_key = "follow_ups.error.answered"


# The trajectory and the agenda.


class JourneyChanged(DomainError):
    """Someone else changed the trajectory since this modal was opened."""

    text_key = "journey.error.changed"


class NoJourney(DomainError):
    text_key = "journey.error.none"


class RoleNotYours(DomainError):
    """A role button of a role the clicker does not hold (any more), or of a session already begun."""

    text_key = "journey.error.role_not_yours"


class NoUpcomingSession(DomainError):
    text_key = "journey.error.no_upcoming_session"


class NotAPicker(DomainError):
    """Only a facilitator or the session lead picks the agenda."""

    text_key = "journey.error.not_a_picker"


# The network thermometer.


class ThermometerAlreadyOpen(DomainError):
    """A thermometer round is still open in this network, or one was posted today already."""

    text_key = "thermometer.error.already_open"


class ThermometerNotFound(DomainError):
    """A button or form of a round that does not exist (any more), or a forged round id."""

    text_key = "thermometer.error.not_found"


class ThermometerClosed(DomainError):
    text_key = "thermometer.error.closed"


class NoOpenThermometer(DomainError):
    text_key = "thermometer.error.none_open"


# Pauses and pairing rounds.


class PauseNotFound(DomainError):
    """The pause was removed already (a double click) or is not the network's."""

    text_key = "pause.error.not_found"


# Message shortcuts: "Breng in als casus" and "Bewaar als les".


class ShortcutOutsideNetwork(DomainError):
    """A shortcut on a message outside a network's channel: a DM, another channel, an archived network."""

    text_key = "shortcuts.error.outside_network"


class ShortcutOnBotMessage(DomainError):
    text_key = "shortcuts.error.bot_message"


class ShortcutOnEmptyMessage(DomainError):
    """A message without text of its own (only a file, or blocks) gives no situation and no lesson."""

    text_key = "shortcuts.error.empty_message"


class LessonAlreadySaved(DomainError):
    text_key = "shortcuts.error.already_saved"


class LessonAwaitingConsent(DomainError):
    """The message was saved already by someone else, and its author has not answered yet."""

    text_key = "shortcuts.error.awaiting_consent"


class LessonConsentGone(DomainError):
    """A consent button of a lesson answered already, deleted, or not the clicker's own message."""

    text_key = "shortcuts.error.consent_gone"


# Closing the network.


class WrapUpAlreadyStarted(DomainError):
    """The network's closing ritual was started before (a double submit, two facilitators)."""

    text_key = "wrap_up.error.already_started"


class WrapUpNotFound(DomainError):
    """A button or form of a wrap-up that does not exist (any more), or a forged id."""

    text_key = "wrap_up.error.not_found"


class WrapUpClosed(DomainError):
    text_key = "wrap_up.error.closed"
