"""Slack's Web API rate limits, as token buckets the emulator can enforce."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Requests a minute per tier, the floor Slack documents ("Tier 3: 50+ per minute").
TIER_PER_MINUTE: dict[int, int] = {1: 1, 2: 20, 3: 50, 4: 100}

# Tiers from slackapi/java-slack-sdk MethodsRateLimits.java. Methods Slack lists as "special" other than
# chat.postMessage (auth.test, chat.getPermalink: "hundreds per minute") get the Tier 4 budget.
METHOD_TIERS: dict[str, int] = {
    "auth.test": 4,
    "canvases.delete": 3,
    "canvases.edit": 3,
    "canvases.sections.lookup": 3,
    "chat.delete": 3,
    "chat.deleteScheduledMessage": 3,
    "chat.getPermalink": 4,
    "chat.postEphemeral": 4,
    "chat.scheduleMessage": 3,
    "chat.update": 3,
    "conversations.canvases.create": 2,
    "conversations.history": 3,
    "conversations.info": 3,
    "conversations.list": 2,
    "conversations.members": 4,
    "conversations.open": 3,
    "conversations.replies": 3,
    "files.completeUploadExternal": 4,
    "files.getUploadURLExternal": 4,
    "pins.add": 2,
    "pins.list": 2,
    "pins.remove": 2,
    "reactions.add": 3,
    "reactions.get": 3,
    "reactions.remove": 2,
    "users.info": 4,
    "views.open": 4,
    "views.publish": 4,
    "views.push": 4,
    "views.update": 4,
}


@dataclass(frozen=True)
class RateLimitPolicy:
    """How strict the emulator is. Slack does not publish chat.postMessage's exact numbers."""

    post_message_per_channel_per_second: float = 1.0
    post_message_channel_burst: int = 4
    post_message_workspace_per_minute: int = 300
    post_message_workspace_burst: int = 30


@dataclass
class TokenBucket:
    capacity: float
    per_second: float
    tokens: float
    updated_at: float

    @classmethod
    def full(cls, capacity: float, per_second: float, now: float) -> TokenBucket:
        return cls(capacity=capacity, per_second=per_second, tokens=capacity, updated_at=now)

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated_at)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_second)
        self.updated_at = now

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0 if one is available now)."""
        self.refill(now)
        # Tolerance for float clocks near 1.7e9 s (steps of ~2e-7): 0.6 s at 100/min gives back a token.
        if self.tokens >= 1 - 1e-6:
            return 0.0
        return (1 - self.tokens) / self.per_second

    def take(self) -> None:
        self.tokens = max(0.0, self.tokens - 1)


class RateLimiter:
    """Per-workspace buckets. Not thread-safe on its own: the emulator holds its lock around it."""

    def __init__(self, policy: RateLimitPolicy | None = None) -> None:
        self.policy = policy or RateLimitPolicy()
        self._buckets: dict[tuple[str, str], TokenBucket] = {}

    def reset(self) -> None:
        self._buckets.clear()

    def check(self, method: str, channel: str | None, now: float) -> int | None:
        """Take a token for this call; returns None if allowed, else Retry-After in whole seconds (>= 1)."""
        buckets = self._buckets_for(method, channel, now)
        if not buckets:
            return None
        wait = max(bucket.wait_time(now) for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.take()
        return None

    def _buckets_for(self, method: str, channel: str | None, now: float) -> list[TokenBucket]:
        policy = self.policy
        if method == "chat.postMessage":
            return [
                self._bucket(
                    ("chat.postMessage", channel or ""),
                    policy.post_message_channel_burst,
                    policy.post_message_per_channel_per_second,
                    now,
                ),
                self._bucket(
                    ("chat.postMessage", "*workspace*"),
                    policy.post_message_workspace_burst,
                    policy.post_message_workspace_per_minute / 60,
                    now,
                ),
            ]
        tier = METHOD_TIERS.get(method)
        if tier is None:
            return []
        per_minute = TIER_PER_MINUTE[tier]
        return [self._bucket((method, ""), per_minute, per_minute / 60, now)]

    def _bucket(self, key: tuple[str, str], capacity: float, per_second: float, now: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = TokenBucket.full(capacity, per_second, now)
            self._buckets[key] = bucket
        return bucket
