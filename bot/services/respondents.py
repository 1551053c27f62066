"""Who answered, kept only as a keyed hash: the anonymity of the check-in's written answers and the
meeting evaluations."""

from __future__ import annotations

import hashlib
import hmac
import secrets


class Respondents:
    """Who answered, as only the running bot can tell: HMAC-SHA256 of the poll (or meeting) and the user.

    The key comes from the bot's secrets (see bot.runtime), never from the database, so the database
    alone cannot re-identify an answer by hashing every member's id; the poll id in the message makes
    one person's answers to different polls unlinkable.
    """

    def __init__(self, key: bytes | None = None) -> None:
        # Without a key (tools and tests that never keep answers across processes) a random one.
        self._key = key or secrets.token_bytes(32)

    def _of(self, scope: str, user_id: str) -> str:
        return hmac.new(self._key, f"{scope}:{user_id}".encode(), hashlib.sha256).hexdigest()

    def of_poll(self, poll_id: int, user_id: str) -> str:
        return self._of(f"poll:{poll_id}", user_id)

    def of_meeting(self, meeting_id: int, user_id: str) -> str:
        return self._of(f"meeting:{meeting_id}", user_id)

    def of_thermometer(self, round_id: int, user_id: str) -> str:
        return self._of(f"thermometer:{round_id}", user_id)


def derive_answer_key(secret: str) -> bytes:
    """A key for `Respondents`, derived from a server secret and used for nothing else."""
    return hmac.new(secret.encode(), b"netwerkbot/respondents/v1", hashlib.sha256).digest()
