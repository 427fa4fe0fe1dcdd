"""A rubric in words: what a learner sees before submitting and a reviewer scores against."""

from __future__ import annotations

from bot.content.schema import Rubric
from bot.core.copy import t
from bot.core.text import shorten
from bot.core.views import Text
from bot.learning.screens.common import out_of


def rubric_text(rubric: Rubric) -> Text:
    """The pass mark, then each criterion with its points and what its top level asks."""
    lines = [t("rubric.heading", pass_mark=rubric.pass_mark, out_of=out_of(rubric.max_points))]
    for criterion in rubric.criteria:
        top = criterion.levels[-1]
        what = shorten(" ".join((top.description or criterion.description).split()), 300)
        lines.append(
            t(
                "rubric.criterion_asks",
                title=criterion.title,
                points=criterion.max_points,
                asks=what,
            )
            if what
            else t("rubric.criterion", title=criterion.title, points=criterion.max_points)
        )
    return Text("\n".join(lines))
