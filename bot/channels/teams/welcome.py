"""What the bot says when it is installed: a personal welcome, or an intro to a team."""

from __future__ import annotations

from bot.core.views import Button, Buttons, Context, Header, Message, Text, message
from bot.learning.actions import CATALOG, HELP

NOT_HERE = (
    "I teach in our personal chat, so your answers and progress stay private. "
    "Open a chat with me (Apps → microcred → Chat) and type `help`."
)


def personal_welcome() -> Message:
    """Greeting, what the bot does, three things to try, and how to change or stop it."""
    return message(
        Header("Hi, I'm microcred"),
        Text(
            "Your organisation added me to Teams to run short learning programs: a few "
            "minutes of lesson and a quick quiz at a time, towards a credential you can share."
        ),
        Text(
            "Things to try:\n\n"
            "- `catalog`: the programs you can take\n"
            "- `start <program>`: begin one\n"
            "- `help`: everything I understand"
        ),
        Text(
            "Lessons arrive at the rhythm you choose, in your own time zone. Type `settings` "
            "to change it, or `pause` to stop scheduled lessons at any time."
        ),
        Buttons(
            (
                Button("Browse programs", CATALOG(), "primary", "catalog"),
                Button("Help", HELP(), command="help"),
            )
        ),
        fallback="Hi, I'm microcred: short lessons and quizzes in this chat. Type help to start.",
    )


def team_intro(address: str) -> Message:
    """Said once to the room when the app is added to a team; no member is welcomed."""
    return message(
        Header("microcred joined this team"),
        Text(
            "I run short learning programs in personal chats. In this team I only post what "
            "an admin binds to a channel, such as program announcements and celebrations "
            "that learners agreed to share."
        ),
        Text("To learn, open a personal chat with me and type `help`."),
        Context(f"For admins, this channel's address is `{address}`."),
        fallback="microcred joined this team: learning happens in personal chats.",
    )


def not_here(address: str | None) -> Message:
    """The answer to a message in a channel or group chat."""
    blocks: list[Text | Context] = [Text(NOT_HERE)]
    if address:
        blocks.append(Context(f"This channel's address, for admins: `{address}`"))
    return message(*blocks, fallback="Let's talk in our personal chat.")
