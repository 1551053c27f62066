"""The sandbox workspace of the scheduler tests: one network channel, its facilitator and two members."""

CHANNEL = "C0NETWERK"
FACILITATOR = "U0ELS"
MEMBERS = ("U0JOKE", "U0MEHMET")
