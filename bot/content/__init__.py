"""Content: program files, their validation with file:line errors, and the catalog."""

from bot.content.catalog import Catalog, Lesson, Program, Step, content_hash
from bot.content.loader import load_library, validate_library
from bot.content.problems import InvalidContent, Problem

__all__ = [
    "Catalog",
    "InvalidContent",
    "Lesson",
    "Problem",
    "Program",
    "Step",
    "content_hash",
    "load_library",
    "validate_library",
]
