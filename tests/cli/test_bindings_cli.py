"""`microcred bindings set|list` and the fallback other features read with binding_for."""

from __future__ import annotations

from storage.queries.org import binding_for
from tests.cli.conftest import Cli


def test_set_list_and_fall_back_to_every_program(cli: Cli, in_db) -> None:
    every = cli("bindings", "set", "reviews", "slack:T1:C-all")
    assert every.exit_code == 0, every.output
    assert "reviews of every program in workspace slack:T1 go to slack:T1:C-all" in every.stdout
    tiny = cli("bindings", "set", "reviews", "slack:T1:C-tiny", "--program", "tiny")
    assert tiny.exit_code == 0
    moved = cli("bindings", "set", "reviews", "slack:T1:C-tiny2", "--program", "tiny")
    assert "(was slack:T1:C-tiny)" in moved.stdout

    listed = cli("bindings", "list", "--workspace", "slack:T1")
    assert [line.split() for line in listed.stdout.splitlines()[2:]] == [
        ["reviews", "*", "slack:T1:C-all"],
        ["reviews", "tiny", "slack:T1:C-tiny2"],
    ]
    assert "no channel bindings in workspace local" in cli("bindings", "list").stderr

    def channel(program: str):
        return lambda s: binding_for(
            s, workspace_id="slack:T1", purpose="reviews", program_id=program
        )

    assert in_db(channel("tiny")) == "slack:T1:C-tiny2"
    assert in_db(channel("other")) == "slack:T1:C-all"


def test_teams_channel_ids_with_colons_bind_to_their_tenant(cli: Cli) -> None:
    result = cli("bindings", "set", "digests", "teams:tenant-1:19:abc@thread.tacv2")
    assert result.exit_code == 0, result.output
    listed = cli("bindings", "list", "--workspace", "teams:tenant-1").stdout
    assert "teams:tenant-1:19:abc@thread.tacv2" in listed


def test_bad_channels_purposes_and_platforms_are_refused(cli: Cli) -> None:
    cases = [
        (("reviews", "C12345"), 2, "'C12345' is not a channel: use slack:TEAM_ID:CHANNEL_ID"),
        (("gossip", "slack:T1:C1"), 2, "'gossip' is not one of 'announcements', 'reviews'"),
        (
            ("reviews", "slack:T1:C1", "--workspace", "teams:tenant-1"),
            2,
            "slack:T1:C1 is a slack channel, but workspace teams:tenant-1 is on teams",
        ),
        (("reviews", "slack:T1:C1", "--program", "nope"), 1, "known programs: other, tiny"),
    ]
    for args, code, message in cases:
        result = cli("bindings", "set", *args)
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
    assert cli("bindings", "list", "--workspace", "slack:T1").stdout == ""
