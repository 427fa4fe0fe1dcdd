"""A rubric in words: what a learner sees before submitting and a reviewer scores against."""

from __future__ import annotations

from bot.content.schema import Rubric
from bot.core.text import shorten
from bot.core.views import Text


def rubric_text(rubric: Rubric) -> Text:
    """The pass mark, then each criterion with its points and what its top level asks."""
    lines = [f"**Rubric** · {rubric.pass_mark:g} of {rubric.max_points:g} points to pass"]
    for criterion in rubric.criteria:
        top = criterion.levels[-1]
        what = shorten(" ".join((top.description or criterion.description).split()), 300)
        said = f": {what}" if what else ""
        lines.append(f"- **{criterion.title}** ({criterion.max_points:g}){said}")
    return Text("\n".join(lines))
