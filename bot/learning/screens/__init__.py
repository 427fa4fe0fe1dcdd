"""Builders of the neutral messages a learner sees (lessons, questions, feedback, progress)."""

from bot.learning.screens.common import ANSWER_FIELD, points
from bot.learning.screens.menus import catalog_message, help_message, lesson_page
from bot.learning.screens.questions import answered_message, describe_response, question_message
from bot.learning.screens.results import (
    RunReview,
    finished_message,
    home_message,
    progress_message,
    quiz_result_message,
)
from bot.learning.screens.settings_view import settings_message

__all__ = [
    "ANSWER_FIELD",
    "RunReview",
    "answered_message",
    "catalog_message",
    "describe_response",
    "finished_message",
    "help_message",
    "home_message",
    "lesson_page",
    "points",
    "progress_message",
    "question_message",
    "quiz_result_message",
    "settings_message",
]
