"""Checks a rendered payload the way Slack would: slack_sdk models plus the block counts."""

from __future__ import annotations

from typing import Any

from tests.fakes.slack_api import SURFACE_BLOCKS, block_problems, message_problems, view_problems


def assert_valid_message(payload: dict[str, Any]) -> None:
    assert message_problems(payload) == []


def assert_valid_view(view: dict[str, Any]) -> None:
    assert view_problems(view) == []
    assert len(view["blocks"]) <= SURFACE_BLOCKS


def assert_valid_blocks(blocks: list[dict[str, Any]], limit: int = 50) -> None:
    assert block_problems(blocks, limit) == []
