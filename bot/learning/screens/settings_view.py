"""The learner's settings form."""

from __future__ import annotations

from bot.core.copy import t
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
        TextField("timezone", t("settings.timezone_label"), max_length=64, initial=timezone),
        TextField("cadence", t("settings.cadence_label"), max_length=64, initial=cadence),
    )
    if quiet_hours:
        label = t("settings.quiet_hours_label")
        fields += (TextField("quiet_hours", label, max_length=64, initial=quiet_hours),)
    form = Form(
        t("settings.form_title"), fields, Button(t("settings.save"), a.SETTINGS(), "primary")
    )
    summary = {
        "timezone": timezone or t("settings.no_timezone"),
        "cadence": cadence,
        "state": t("settings.lessons_paused" if paused else "settings.lessons_on"),
    }
    return message(
        Header(t("settings.title")),
        Text(
            t("settings.summary_quiet_hours", quiet_hours=quiet_hours, **summary)
            if quiet_hours
            else t("settings.summary", **summary)
        ),
        form,
        Context(t("settings.hint")),
        fallback=t("settings.form_title"),
    )
