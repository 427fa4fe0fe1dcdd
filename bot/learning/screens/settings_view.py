"""The learner's settings form."""

from __future__ import annotations

from bot.core.views import (
    Button,
    Context,
    Form,
    Header,
    Message,
    Text,
    TextField,
    message,
)
from bot.learning import actions as a


def settings_message(timezone: str, cadence: str, paused: bool, quiet_hours: str = "") -> Message:
    fields: tuple[TextField, ...] = (
        TextField("timezone", "Time zone (like Europe/Berlin)", max_length=64, initial=timezone),
        TextField("cadence", "Lesson rhythm (like weekdays 09:30)", max_length=64, initial=cadence),
    )
    if quiet_hours:
        label = "Messages only (like weekdays 09:00-18:00)"
        fields += (TextField("quiet_hours", label, max_length=64, initial=quiet_hours),)
    form = Form("Your settings", fields, Button("Save settings", a.SETTINGS(), "primary"))
    state = "paused" if paused else "on"
    window = f" · messages only **{quiet_hours}**" if quiet_hours else ""
    return message(
        Header("Settings"),
        Text(
            f"Time zone: **{timezone or 'not set (UTC)'}** · rhythm: **{cadence}** · "
            f"scheduled lessons: **{state}**{window}"
        ),
        form,
        Context(
            "Type `settings timezone Europe/Paris` or `settings cadence mon,wed,fri 14:00` "
            "to change one."
        ),
        fallback="Your settings",
    )
