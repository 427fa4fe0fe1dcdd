"""The forms of peer review: the portfolio (write-up, links), the rubric, and their values."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.schema import Portfolio
from bot.core.errors import BadRequest
from bot.core.text import shorten
from bot.core.views import Action, Button, ChoiceField, Form, Option, TextField

WRITEUP = "answer"
"""The write-up field; the same name as the journey's answer field, so typed answers match."""
LINKS = "links"
NAMED = "named"
INTENT = "intent"
DECISION = "decision"
MAX_LINKS = 2000
MAX_COMMENT = 1000
DECISIONS = {"approve": "Approve", "changes": "Request changes"}


def level_field(criterion_id: str) -> str:
    return f"lv-{criterion_id}"


def comment_field(criterion_id: str) -> str:
    return f"cm-{criterion_id}"


def portfolio_form(
    question: Portfolio,
    action: Action,
    *,
    writeup: str = "",
    links: str = "",
    named: bool = False,
    anonymous: bool = False,
    opener: str = "Write submission…",
) -> Form:
    """Write-up plus links, whether to be named, and submit or keep as a draft."""
    fields: list[TextField | ChoiceField] = [
        TextField(
            WRITEUP,
            "Your write-up",
            multiline=True,
            max_length=question.max_length,
            initial=writeup,
        ),
        TextField(
            LINKS,
            "Links (one a line: documents, pull requests, a file's permalink)",
            multiline=True,
            max_length=MAX_LINKS,
            initial=links,
            required=False,
        ),
    ]
    if not anonymous:
        options = (Option("no", "Don't show my name"), Option("yes", "Show my name"))
        fields.append(
            ChoiceField(NAMED, "On the review post", options, False, ("yes" if named else "no",))
        )
    intents = (Option("submit", "Submit for review"), Option("draft", "Keep as a draft"))
    fields.append(ChoiceField(INTENT, "Now", intents, False, ("submit",)))
    submit = Button("Send", action, "primary")
    return Form("Your submission", tuple(fields), submit, opener=opener)


def rubric_form(question: Portfolio, action: Action, *, title: str = "Review") -> Form:
    """A level and a comment per criterion, then Approve or Request changes."""
    fields: list[TextField | ChoiceField] = []
    for criterion in question.rubric.criteria:
        options = tuple(Option(lvl.id, f"{lvl.label} ({lvl.points:g})") for lvl in criterion.levels)
        fields.append(ChoiceField(level_field(criterion.id), criterion.title, options))
        fields.append(
            TextField(
                comment_field(criterion.id),
                f"Comment: {shorten(criterion.title, 60)}",
                multiline=True,
                max_length=MAX_COMMENT,
                required=False,
            )
        )
    options = tuple(Option(k, v) for k, v in DECISIONS.items())
    fields.append(ChoiceField(DECISION, "Your decision", options))
    intro = "Pick a level per criterion. Name what works before what is missing."
    return Form(
        title, tuple(fields), Button("Submit review", action, "primary"), intro, "Review this"
    )


def calibration_form(question: Portfolio, action: Action) -> Form:
    """The rubric without a decision: scoring an anchor example."""
    fields = tuple(
        ChoiceField(
            level_field(c.id),
            c.title,
            tuple(Option(lvl.id, f"{lvl.label} ({lvl.points:g})") for lvl in c.levels),
        )
        for c in question.rubric.criteria
    )
    return Form(
        "Calibration", fields, Button("Compare", action, "primary"), opener="Score this example"
    )


def flat(values: dict[str, str | list[str]]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else ",".join(v) for k, v in values.items()}


@dataclass(frozen=True)
class Review:
    decision: str
    levels: dict[str, str]
    comments: dict[str, str]


def read_levels(question: Portfolio, values: dict[str, str]) -> dict[str, str]:
    """A level per criterion from the form; BadRequest names the first one missing."""
    levels: dict[str, str] = {}
    for criterion in question.rubric.criteria:
        chosen = values.get(level_field(criterion.id), "").strip()
        if chosen not in {lvl.id for lvl in criterion.levels}:
            known = ", ".join(f"`{lvl.id}`" for lvl in criterion.levels)
            raise BadRequest(f"Pick a level for “{criterion.title}”: one of {known}.")
        levels[criterion.id] = chosen
    return levels


def read_review(question: Portfolio, values: dict[str, str]) -> Review:
    """The decision, levels and comments of a submitted rubric form (BadRequest says why not)."""
    decision = values.get(DECISION, "").strip()
    if decision not in DECISIONS:
        raise BadRequest("Choose Approve or Request changes.")
    levels = read_levels(question, values)
    comments = {}
    for criterion in question.rubric.criteria:
        said = " ".join(values.get(comment_field(criterion.id), "").split())
        if len(said) > MAX_COMMENT:
            raise BadRequest(
                f"The comment on “{criterion.title}” is over {MAX_COMMENT} characters."
            )
        if said:
            comments[criterion.id] = said
    if decision == "changes" and not comments:
        raise BadRequest(
            "Say what to change: add a comment to at least one criterion, so the learner "
            "knows what to work on."
        )
    return Review(decision, levels, comments)


def parse_levels(question: Portfolio, text: str) -> dict[str, str]:
    """`met, partly, met` (in the rubric's order) or `threats=partly ...` typed in chat."""
    words = [w for w in text.replace(",", " ").split() if w]
    criteria = question.rubric.criteria
    if all("=" in w for w in words) and words:
        pairs = dict(w.split("=", 1) for w in words)
        return read_levels(question, {level_field(k): v for k, v in pairs.items()})
    if len(words) != len(criteria):
        names = ", ".join(c.id for c in criteria)
        raise BadRequest(f"Give one level per criterion, in this order: {names}.")
    return read_levels(
        question, {level_field(c.id): w for c, w in zip(criteria, words, strict=True)}
    )


def typed_review(
    question: Portfolio,
    decision: str,
    levels_text: str,
    comment: str = "",
    notes: dict[str, str] | None = None,
) -> Review:
    """A review typed in chat or on the command line: levels in rubric order, one comment
    for the criteria below their top level (or all of them), and comments per criterion."""
    levels = parse_levels(question, levels_text)
    values = {level_field(c): lvl for c, lvl in levels.items()}
    values |= {comment_field(c): text for c, text in (notes or {}).items()}
    below = [c.id for c in question.rubric.criteria if levels[c.id] != c.levels[-1].id]
    for criterion_id in below or [c.id for c in question.rubric.criteria]:
        if comment.strip() and not values.get(comment_field(criterion_id)):
            values[comment_field(criterion_id)] = comment
    values[DECISION] = decision
    return read_review(question, values)
