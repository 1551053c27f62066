"""A local Slack: a Web API emulator, a driver that sends Slack's signed requests, a transcript renderer."""
