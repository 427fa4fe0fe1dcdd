"""YAML loading that remembers the line of every node, so errors can say file:line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


def parse_yaml(text: str) -> Any:
    """Parse YAML keeping positions; raise YamlSyntaxError with a 1-based line."""
    try:
        return YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlSyntaxError(line, f"bad YAML: {reason}") from exc
    except YAMLError as exc:
        raise YamlSyntaxError(1, f"bad YAML: {exc}") from exc


def plain(node: Any) -> Any:
    """Convert ruamel's round-trip types to plain Python values."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, ScalarBoolean):
        return bool(node)
    if isinstance(node, str):
        return str(node)
    return node


def line_of(root: Any, loc: Sequence[int | str]) -> int:
    """The 1-based line of the deepest node on `loc` (a pydantic error location).

    Location parts that are not in the data (a union's tag, a validator's name) are
    skipped, so the line is that of the closest node that exists.
    """
    node, line = root, _own_line(root)
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
    return line


def _own_line(node: Any) -> int:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else 1


def validation_messages(exc: ValidationError, root: Any) -> list[tuple[int, str]]:
    """Each pydantic error as (line, readable message)."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc if not _is_tag(p))
        message = err["msg"].removeprefix("Value error, ")
        line = line_of(root, loc)
        if err["type"] == "union_tag_invalid" and isinstance(err["input"], dict):
            message = f"unknown question type {err['input'].get('type')!r}"
            line = line_of(root, (*loc, "type"))
        elif err["type"] == "extra_forbidden":
            message = "unknown field"
        elif duplicate := _DUPLICATE.match(message):
            line = _second_with_id(_node_at(root, loc), duplicate.group(1)) or line
        out.append((line, f"{where}: {message}" if where else message))
    return out


_DUPLICATE = re.compile(r"duplicate \w+ id '([^']+)'")


def _node_at(root: Any, loc: Sequence[int | str]) -> Any:
    node = root
    for part in loc:
        in_map = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_map or in_list:
            node = node[part]
    return node


def _second_with_id(node: Any, wanted: str) -> int | None:
    """The line of the second mapping under `node` whose `id` is `wanted`."""
    seen = 0
    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, CommentedSeq):
            for i, item in enumerate(current):
                if isinstance(item, dict) and item.get("id") == wanted:
                    seen += 1
                    if seen == 2:
                        return int(current.lc.item(i)[0]) + 1
                stack.append(item)
        elif isinstance(current, dict):
            stack.extend(current.values())
    return None


def _is_tag(part: int | str) -> bool:
    return isinstance(part, str) and ("[" in part or part in _TAGS)


_TAGS = {
    "single_choice",
    "multiple_choice",
    "true_false",
    "numeric",
    "short_answer",
    "free_text",
    "portfolio",
    "LessonStep",
    "QuizStep",
    "list[constrained-str]",
    "literal['all']",
}
