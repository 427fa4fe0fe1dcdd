"""Block Kit limits we render within (slack_sdk checks some; the block counts are ours)."""

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100
"""A modal or the Home tab."""
MESSAGE_CHARS = 11_000
"""Total text in one message; Slack answers `msg_blocks_too_long` near 13 k."""
SECTION_TEXT = 3_000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2_000
ACCESSIBILITY_LABEL = 75
ACTION_ID = 255
BLOCK_ID = 255
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTIONS = 10
"""Checkboxes and radio buttons."""
ALT_TEXT = 2_000
INPUT_LABEL = 2_000
PLACEHOLDER = 150
INPUT_LENGTH = 3_000
"""plain_text_input min_length / max_length."""
VIEW_TITLE = 24
"""Modal title, submit and close labels."""
PRIVATE_METADATA = 3_000
FALLBACK_TEXT = 3_000
"""Our cap on the top-level `text` (Slack truncates at 40,000)."""
