"""The badge messages people see: the private award, the channel post, the list, reminders."""

from __future__ import annotations

from datetime import datetime

from bot.core.copy import t, tn
from bot.core.text import escape_markdown
from bot.core.views import (
    Button,
    Buttons,
    Context,
    Form,
    Header,
    Image,
    Message,
    Text,
    TextField,
    message,
)
from bot.credentials.actions import EMAIL, RENEW, SHARE, BadgeRef, ProgramRef
from bot.credentials.evidence import criteria_text, statement
from bot.credentials.urls import Urls, linkedin_url
from bot.credentials.view import AwardView

EMAIL_FIELD = "email"
HARD_BREAK = "\\\n"
"""A CommonMark hard line break: a soft one is a space on Teams and in the terminal."""


def image_of(view: AwardView, urls: Urls, issuer: str) -> Image:
    return Image(urls.image(view.program_id), f"{view.name} badge, issued by {issuer}")


def links(view: AwardView, urls: Urls, issuer: str) -> str:
    """Verify, download and share links of an issued award, as one line."""
    expires = (view.expires_at.year, view.expires_at.month) if view.expires_at else None
    linkedin = linkedin_url(
        name=view.name,
        organization=issuer,
        issued_year=view.awarded_at.year,
        issued_month=view.awarded_at.month,
        expires=expires,
        cert_url=urls.page(view.uid),
        cert_id=view.uid,
    )
    return (
        f"[Badge page]({urls.page(view.uid)}) · [Download badge (PNG)]({urls.baked_png(view.uid)})"
        f" · [Open Badges 3.0 credential]({urls.credential_jwt(view.uid)})"
        f" · [Add to LinkedIn profile]({linkedin})"
    )


def email_form(names: list[str]) -> Form:
    # The intro is plain text on every platform (a form's label): names in quotes, no Markdown.
    which = ", ".join(t("badges.quoted", name=n) for n in names)
    return Form(
        t("badges.email_title"),
        (
            TextField(
                EMAIL_FIELD, t("badges.email_label"), placeholder="you@example.com", max_length=320
            ),
        ),
        Button(t("badges.email_button"), EMAIL(), "primary", "badges email you@example.com"),
        intro=t("badges.email_intro", badges=which),
    )


def earned(
    view: AwardView,
    urls: Urls,
    issuer: str,
    *,
    share: bool,
    needs_email: bool,
) -> Message:
    """The private message to the earner: badge, criteria, links, share and e-mail prompts."""
    blocks: list[Header | Text | Image | Context | Buttons | Form] = [
        Header(f"🏅 You earned {view.name}"),
        image_of(view, urls, issuer),
        Text(f"**What it shows:** {escape_markdown(criteria_text(view.badge, statement(view)))}"),
        Context(f"Issued by {issuer} · {view.status_text(view.awarded_at)}"),
    ]
    if needs_email:
        blocks.append(email_form([view.name]))
    else:
        blocks.append(Text(links(view, urls, issuer)))
    if share:
        button = Button(
            "Share in the team channel",
            SHARE(BadgeRef(badge=view.uid)),
            "primary" if not needs_email else "default",
            f"badges share {view.uid}",
        )
        blocks.append(Buttons((button,)))
    return message(*blocks, fallback=f"You earned the {view.name} badge", key=f"badge:{view.uid}")


def ready(views: list[AwardView], urls: Urls, issuer: str) -> Message:
    blocks: list[Header | Text] = [Header("Your badge is ready" if len(views) == 1 else "Badges")]
    for view in views:
        blocks.append(Text(f"**{escape_markdown(view.name)}**\n{links(view, urls, issuer)}"))
    return message(*blocks, fallback="Your badge is ready to share")


def channel_post(view: AwardView, urls: Urls, issuer: str) -> Message:
    """The public celebration: name, badge, one line on what it proves, the page. No scores."""
    holder = view.holder or "A colleague"
    proves = view.badge.get("description", "").split(". ")[0].rstrip(".")
    return message(
        Header(f"🎉 {view.holder or 'A colleague'} earned {view.name}"),
        image_of(view, urls, issuer),
        Text(f"{escape_markdown(proves)}.\n\n[See the badge]({urls.page(view.uid)})"),
        fallback=f"{holder} earned the {view.name} badge",
        key=f"badge-post:{view.uid}",
    )


def withdrawn_post() -> Message:
    return message(
        Text("This badge announcement was withdrawn."), fallback="Announcement withdrawn"
    )


def badge_list(views: list[AwardView], urls: Urls, issuer: str, now: datetime) -> Message:
    if not views:
        return message(
            Header(t("badges.list_title")),
            Text(t("badges.none")),
            fallback=t("badges.none_fallback"),
        )
    entries = []
    for view in views:
        status = view.status_text(now)
        lines = [t("badges.entry", name=escape_markdown(view.name), status=escape_markdown(status))]
        if view.status(now) != "revoked" and not view.issued:
            lines.append(t("badges.waiting_for_email"))
        elif view.status(now) != "revoked":
            lines.append(t("badges.page_link", url=urls.page(view.uid)))
        if view.status(now) == "expired" or _soon(view, now):
            lines.append(t("badges.renew", program=view.program_id))
        entries.append(HARD_BREAK.join(lines))  # each fact on its own line, on every platform
    return message(
        Header(t("badges.list_title")),
        Text("\n\n".join(entries)),
        Context(t("badges.list_hint")),
        fallback=tn("badges.count", len(views)),
    )


def _soon(view: AwardView, now: datetime) -> bool:
    return view.expires_at is not None and 0 <= (view.expires_at - now).days < 30


def reminder(view: AwardView, now: datetime) -> Message:
    assert view.expires_at is not None
    days = max(0, (view.expires_at - now).days)
    when = view.expires_at.date().isoformat()
    return message(
        Header(f"Your {view.name} badge expires in {days} days"),
        Text(
            f"You earned it on {view.awarded_at.date().isoformat()}; it is valid until {when}. "
            "To keep it current, retake the program's quizzes (a few minutes): press "
            f"*Renew now* or type `badges renew {view.program_id}`."
        ),
        Buttons(
            (
                Button(
                    "Renew now",
                    RENEW(ProgramRef(program=view.program_id)),
                    "primary",
                    f"badges renew {view.program_id}",
                ),
            )
        ),
        Context("You get this because your badge has an expiry date set by its program."),
        fallback=f"Your {view.name} badge expires on {when}",
        key=f"badge-reminder:{view.uid}",
    )
