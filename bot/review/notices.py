"""Direct messages of peer review: invitations, reminders, feedback, approval, escalation."""

from __future__ import annotations

from typing import Any

from bot.core.copy import t
from bot.core.text import escape_markdown, shorten
from bot.core.views import Context, DateLine, Header, Message, Text, message
from bot.review.actions import SUBMIT, SubmitArgs
from bot.review.forms import portfolio_form
from bot.review.quorum import decides, plural
from bot.review.routing import WHY
from bot.review.views import Facts
from storage.models import PeerDecision


def where(facts: Facts) -> str:
    if facts.sub.channel:
        return "It is in the review channel's thread: open it there and press **Review this**."
    return "The work follows in the next message: press **Review this** on it."


def invitation(facts: Facts, source: str, calibrate: bool) -> Message:
    why = WHY.get(source, "you can review this program")
    blocks: list[Any] = [
        Header("Review request"),
        Text(
            f"You are asked to review a portfolio for **{escape_markdown(facts.program.title)}** "
            f"({escape_markdown(facts.quiz.title)}), because {why}. {where(facts)}"
        ),
        DateLine("Due {date}", facts.sub.due_at),
    ]
    if calibrate:
        blocks.append(
            Text(
                "Before your first review, please score the example that follows: it takes a "
                "few minutes and shows how your scores compare with the reference."
            )
        )
    blocks.append(Context("Busy? Type `review off` to stop review requests, `review on` later."))
    return message(*blocks, fallback=f"Review request: {facts.program.title}")


def reminder(facts: Facts) -> Message:
    return message(
        Text(
            f"⏰ A reminder: a portfolio for **{escape_markdown(facts.program.title)}** is "
            f"waiting for your review. {where(facts)} Type `review` to see your list."
        ),
        DateLine("Due {date}", facts.sub.due_at),
        fallback="Reminder: a portfolio is waiting for your review",
    )


def released(facts: Facts) -> Message:
    text = (
        f"No need to review the **{escape_markdown(facts.program.title)}** portfolio any more: "
        "it went to another reviewer. Thank you!"
    )
    return message(Text(text), fallback="A review was passed to someone else")


def escalation(facts: Facts, hours: float) -> Message:
    return message(
        Header("A review is overdue"),
        Text(
            f"A portfolio for **{escape_markdown(facts.program.title)}** by someone in your team "
            f"has waited {hours:.0f} hours for a decision, so you were added as a reviewer. "
            f"{where(facts)}"
        ),
        fallback="A portfolio review is overdue",
    )


def received(facts: Facts, reviewers: int) -> Message:
    text = (
        f"📨 Sent to {reviewers} reviewer{'s' if reviewers != 1 else ''}. You will hear back "
        "here; type `portfolio` to see where it stands."
        if reviewers
        else "📨 Received. A reviewer is being found; type `portfolio` to see where it stands."
    )
    if 0 < reviewers < facts.sub.required:
        text = (
            f"📨 Sent to {plural(reviewers, 'reviewer')}; it needs "
            f"{plural(facts.sub.required, 'approval')}, so another reviewer is asked as soon as "
            "one is available. You will hear back here; type `portfolio` to see where it stands."
        )
    blocks: list[Any] = [Text(text)]
    if facts.sub.fallback:
        blocks.append(Context(facts.sub.fallback))
    blocks.append(DateLine("Reviews due {date}", facts.sub.due_at))
    return message(*blocks, fallback=text)


def more_reviewers(facts: Facts, reviewers: int) -> Message:
    """To the learner: the reviewers of a portfolio that waited (or that fewer would decide)."""
    sub, title = facts.sub, escape_markdown(facts.program.title)
    if reviewers >= sub.required:
        text = (
            f"👋 Your portfolio for **{title}** ({escape_markdown(facts.quiz.title)}) now has "
            f"{plural(reviewers, 'reviewer')}: {decides(sub.required)}. You will hear back here."
        )
    else:
        text = f"⏳ Your portfolio for **{title}** is still with its reviewers. {sub.fallback}"
    return message(
        Text(text),
        Context("Type `portfolio` to see where it stands."),
        fallback="An update on your portfolio review",
    )


def _feedback(facts: Facts, rows: list[PeerDecision]) -> str:
    """Each criterion's title, then each reviewer's level and comment as a list; criteria are
    separate paragraphs, so a title never runs on into the comment above it."""
    sections: list[str] = []
    names = {s.person_id: facts.label(s) for s in facts.seats}
    for criterion in facts.question.rubric.criteria:
        levels = {lvl.id: lvl.label for lvl in criterion.levels}
        lines = [t("review.criterion", title=criterion.title)]
        for row in rows:
            who = names.get(row.reviewer_id or 0) or t("review.reviewer_n", n=row.ordinal)
            level = levels.get(str((row.levels or {}).get(criterion.id)), "?")
            said = str((row.comments or {}).get(criterion.id, "")).strip()
            lines.append(
                t("review.said", who=who, level=level, comment=escape_markdown(shorten(said, 600)))
                if said
                else t("review.rated", who=who, level=level)
            )
        sections.append("\n".join(lines))
    return "\n\n".join(sections)


def changes_requested(facts: Facts, rows: list[PeerDecision]) -> Message:
    """Consolidated per-criterion feedback, and the form to resubmit (the text kept)."""
    sub = facts.sub
    action = SUBMIT(SubmitArgs(submission=sub.id))
    form = portfolio_form(
        facts.question,
        action,
        writeup=sub.writeup,
        links=sub.links,
        named=sub.named,
        anonymous=sub.anonymous,
        opener="Revise and resubmit…",
    )
    return message(
        Header(shorten(f"Changes requested: {facts.quiz.title}", 150)),
        Text(
            f"Your reviewers looked at version {sub.version} and asked for changes. Here is "
            "their feedback per criterion; revise your work and send it again. The same "
            "reviewers look at the new version."
        ),
        Text(_feedback(facts, rows)),
        form,
        Context("Or type `portfolio submit YOUR TEXT`; `portfolio draft YOUR TEXT` keeps a draft."),
        fallback=f"Changes requested: {facts.quiz.title}",
        key=f"peer:{sub.id}:changes:{sub.version}",
    )


def approved_feedback(facts: Facts, rows: list[PeerDecision]) -> Message:
    return message(
        Text(t("review.what_they_said", feedback=_feedback(facts, rows))),
        fallback=t("review.what_they_said_fallback"),
    )
