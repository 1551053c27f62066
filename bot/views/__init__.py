"""Block Kit views: pure functions from domain objects and texts to slack_sdk model objects."""
