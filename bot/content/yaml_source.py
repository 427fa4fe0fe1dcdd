"""YAML loading that remembers the line of every node, so errors can say file:line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.scalarbool import ScalarBoolean

MAX_FILE_BYTES = 256 * 1024
"""A content file larger than this is refused before it is parsed."""
MAX_DEPTH = 32
"""How deeply YAML collections may nest."""
MAX_ALIAS_NODES = 10_000
"""How many nodes the aliases of one document may expand to, all uses together."""


class SourceError(Exception):
    """A content file that cannot be read or parsed, with the 1-based line to blame."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


class YamlSyntaxError(SourceError):
    pass


def read_content(path: Path) -> str:
    """The text of a content file; raise SourceError if unreadable, too large or not UTF-8."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SourceError(1, f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(1, _too_large())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(line, "the file is not UTF-8 text") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large() -> str:
    return f"file too large: content files may be at most {MAX_FILE_BYTES // 1024} KiB"


class _BoundedComposer(Composer):
    """ruamel's composer, refusing deep nesting and aliases that expand too far.

    Aliases share one node, so composing is cheap; the cost comes later, when the
    tree is walked as if each alias were a copy. Every node is counted as it would be
    expanded: an anchored node's size is the count it added, and each alias of it adds
    that size again, to a budget of MAX_ALIAS_NODES per document.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self._count = 0
        self._aliased = 0
        self._sizes: dict[Any, int] = {}

    def compose_document(self) -> Any:
        self._count, self._aliased, self._sizes = 0, 0, {}
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            if event.anchor in self.anchors:
                size = self._sizes.get(event.anchor)
                if size is None:
                    raise YamlSyntaxError(line, "an anchor cannot contain an alias to itself")
                self._count += size
                self._aliased += size
                if self._aliased > MAX_ALIAS_NODES:
                    raise YamlSyntaxError(
                        line,
                        "too many aliases: YAML anchors may expand to at most "
                        f"{MAX_ALIAS_NODES:,} nodes",
                    )
            return super().compose_node(parent, index)
        if self.depth >= MAX_DEPTH:
            raise YamlSyntaxError(
                line, f"nested too deeply: YAML may nest at most {MAX_DEPTH} levels"
            )
        anchor, start = event.anchor, self._count
        if anchor is not None:
            self._sizes.pop(anchor, None)
        self._count += 1
        node = super().compose_node(parent, index)
        if anchor is not None:
            self._sizes[anchor] = self._count - start
        return node


def parse_yaml(text: str) -> Any:
    """Parse YAML keeping positions, within the limits above.

    Raise YamlSyntaxError with a 1-based line for bad or over-limit YAML.
    """
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        raise YamlSyntaxError(1, _too_large())
    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = _BoundedComposer
    try:
        return yaml.load(text)
    except RecursionError as exc:  # a safety net: MAX_DEPTH should stop this first
        raise YamlSyntaxError(1, "nested too deeply: the YAML could not be read") from exc
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
