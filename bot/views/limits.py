"""Slack's limits that slack_sdk's model classes do not name.

Every other limit is read from those classes where the views need it (`SectionBlock.text_max_length`,
`HeaderBlock.text_max_length`, `View.blocks_max_length`, `Option.label_max_length`, ...), so that it
cannot drift from what slack_sdk validates.
"""

# "You can include up to 50 blocks in each message, and 100 blocks in modals or Home tabs."
# https://docs.slack.dev/reference/block-kit/blocks (the 100 is `View.blocks_max_length`).
MESSAGE_BLOCKS_MAX = 50

# A section's `fields`: "Maximum length for the text in each item is 2000 characters."
# https://docs.slack.dev/reference/block-kit/blocks/section-block
SECTION_FIELD_TEXT_MAX = 2_000
