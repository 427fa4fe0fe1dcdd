"""The pure parts: choosing reviewers, working hours, the forms and how channels draw them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.channels.slack.actions import pack_form, unpack_form
from bot.channels.slack.render import render_message
from bot.channels.teams.render import render_card
from bot.content import Catalog
from bot.core.errors import BadRequest
from bot.core.views import Action, DateLine, Message, message
from bot.delivery.codec import dump_message, load_message
from bot.review.forms import parse_levels, portfolio_form, read_review, rubric_form, typed_review
from bot.review.quorum import Quorum
from bot.review.routing import Candidate, choose, more
from bot.review.timing import Timing, overlap_hours, remind_at
from storage.models import Person
from tests.channels.teams.driver import card_errors, card_validator
from tests.review import helpers as h

BUNDLED = ("secure-coding", "effective-feedback", "data-privacy")


def _person(pid: int, tz: str = "UTC", hours: str | None = None) -> Person:
    return Person(
        id=pid, workspace_id="local", display_name=f"P{pid}", timezone=tz, quiet_hours=hours
    )


def _candidate(pid: int, source: str, open_reviews: int = 0, overlap: float = 40.0) -> Candidate:
    return Candidate(_person(pid), f"local:p{pid}", source, open_reviews, overlap)


def test_reviewers_are_balanced_then_prefer_shared_hours() -> None:
    busy, idle, far = (
        _candidate(1, "badge", 3),
        _candidate(2, "reviewer", 0),
        _candidate(3, "badge", 0, 0.0),
    )
    lead = _candidate(9, "lead")
    ranked = sorted([busy, idle, far, lead], key=lambda c: c.rank)
    choice = choose(ranked, 2)
    assert [c.person.id for c in choice.picked] == [2, 3] and choice.required == 2
    assert choice.fallback == ""
    overlapping = sorted([far, _candidate(4, "badge", 0, 10.0)], key=lambda c: c.rank)
    assert [c.person.id for c in choose(overlapping, 1).picked] == [4]


def test_small_pools_fall_back_openly_and_never_deadlock() -> None:
    one, lead, admin = _candidate(1, "badge"), _candidate(9, "lead"), _candidate(7, "admin")
    full = choose([one, lead, admin], 2)
    assert [c.source for c in full.picked] == ["badge", "lead"] and full.required == 2
    assert "only 1 eligible reviewer. The team lead was added. 2 approvals decide." in full.fallback
    short = choose([one, lead, admin], 3)  # the quorum does not shrink to the pool: it waits
    assert [c.source for c in short.picked] == ["badge", "lead"] and short.required == 3
    assert (
        "it waits for a third reviewer" in short.fallback and "admin was alerted" in short.fallback
    )
    alone = choose([lead], 2)
    assert alone.required == 2 and "waits for a second reviewer" in alone.fallback
    accepted = choose([lead], 2, least=1)  # `review.min_reviewers: 1`
    assert accepted.required == 1
    assert "accepts 1 approval when no second reviewer is available" in accepted.fallback
    assert choose([one, lead], 3, least=1).required == 2  # as many as there are, down to 1
    nobody_but_admin = choose([admin], 2)
    assert [c.source for c in nobody_but_admin.picked] == ["admin"]
    nobody = choose([], 2)
    assert nobody.picked == () and nobody.required == 2 and "admin was alerted" in nobody.fallback


def test_topping_up_prefers_peers_and_adds_one_lead_at_most() -> None:
    peer, lead, admin = _candidate(1, "reviewer"), _candidate(9, "lead"), _candidate(7, "admin")
    assert more([peer, lead, admin], 1, ["badge"]) == [peer]
    assert more([lead, admin], 1, ["badge"]) == [lead]
    assert more([lead, admin], 1, ["lead"]) == []  # a short pool waits, it is not filled by admins
    assert more([admin], 1, []) == [admin]  # nobody at all: an admin
    assert more([admin], 1, ["badge"]) == []


def test_the_quorum_never_drops_below_the_programs_number() -> None:
    strict, lenient = Quorum(2, 2), Quorum(3, 1)
    assert [strict.required(n) for n in range(4)] == [2, 2, 2, 2]
    assert [lenient.required(n) for n in range(5)] == [1, 1, 2, 3, 3]
    assert strict.waiting(1) and not lenient.waiting(1) and lenient.waiting(0)
    assert "waits for a second reviewer" in strict.state(1)
    assert "accepts 2 approvals when no third reviewer is available" in lenient.state(2)
    assert strict.state(2) == ""


def test_reminders_wait_for_working_hours_in_the_reviewers_zone(catalog: Catalog) -> None:
    timing = Timing.of(catalog.programs["secure-coding"])
    friday_evening = datetime(2027, 3, 5, 17, 0, tzinfo=UTC)  # 18:00 in Berlin
    berlin = _person(1, "Europe/Berlin")
    assert remind_at(berlin, friday_evening, timing) == datetime(2027, 3, 8, 8, 0, tzinfo=UTC)
    night_owl = _person(2, "Europe/Berlin", "daily 20:00-23:00")
    assert remind_at(night_owl, friday_evening, timing) == datetime(2027, 3, 6, 19, 0, tzinfo=UTC)
    tokyo, new_york = _person(3, "Asia/Tokyo"), _person(4, "America/New_York")
    assert overlap_hours(berlin, _person(5, "Europe/Paris"), friday_evening) == 45
    assert overlap_hours(tokyo, new_york, friday_evening) == 0


@pytest.mark.parametrize("program_id", BUNDLED)
def test_every_bundled_rubric_form_fits_slack_and_teams(catalog: Catalog, program_id: str) -> None:
    question = h.portfolio_of(catalog, program_id)
    form = rubric_form(question, Action.of("peer-decide", s=12345, v=3))
    packed = pack_form(form)
    assert len(packed) <= 2000 and unpack_form(packed).fields == form.fields
    shown = message(form, fallback="Review")
    [payload] = render_message(shown)
    assert any(
        e["text"]["text"] == "Review this" for b in payload["blocks"] for e in b.get("elements", [])
    )
    if card_validator() is not None:
        assert card_errors(render_card(shown)) == []
    submission = portfolio_form(question, Action.of("portfolio-submit", s=1), writeup="x" * 50)
    assert len(pack_form(submission)) <= 2000


def test_dates_render_as_local_time_tokens_and_survive_the_outbox() -> None:
    due = datetime(2027, 3, 4, 8, 0, tzinfo=UTC)
    shown = Message((DateLine("Reviews due {date}", due),), "due")
    [payload] = render_message(shown)
    text = payload["blocks"][0]["elements"][0]["text"]
    assert text.startswith("Reviews due <!date^1804147200^{date_short_pretty} at {time}|Thu 04")
    card = json.dumps(render_card(shown))
    assert "Reviews due {{DATE(2027-03-04T08:00:00Z,SHORT)}} {{TIME(2027-03-04T08:00:00Z)}}" in card
    assert load_message(dump_message(shown)) == shown


def test_reviews_are_read_strictly(catalog: Catalog) -> None:
    question = h.portfolio_of(catalog, "secure-coding")
    with pytest.raises(BadRequest, match="Approve or Request changes"):
        read_review(question, {})
    with pytest.raises(BadRequest, match="Pick a level for “Models the system”"):
        read_review(question, {"decision": "approve"})
    with pytest.raises(BadRequest, match="Say what to change"):
        typed_review(question, "changes", "met,partly,met")
    review = typed_review(question, "changes", "met,partly,met", "Name an owner per threat")
    assert review.comments == {"threats": "Name an owner per threat"}
    assert (
        parse_levels(question, "threats=met system-model=partly responses=met")["threats"] == "met"
    )
    with pytest.raises(BadRequest, match="in this order: system-model, threats, responses"):
        parse_levels(question, "met")
