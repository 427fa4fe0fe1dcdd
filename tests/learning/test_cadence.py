"""One cadence precedence for the scheduler, the settings and Home screens and challenges."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.content.schema import DEFAULT_CADENCE
from bot.delivery.rules import rule_for
from bot.learning.cadence import effective_cadence
from tests.learning.desk import Desk


def test_enrollment_then_learner_then_cohort_then_program_then_the_default() -> None:
    every = {
        "enrollment": "mon 07:00",
        "learner": "tue 08:00",
        "cohort": "wed 09:00",
        "program": "thu 10:00",
    }
    order = ["enrollment", "learner", "cohort", "program"]
    for n, source in enumerate(order):
        given = {k: v for k, v in every.items() if k in order[n:]}
        found = effective_cadence(**given)
        assert (found.source, str(found.cadence)) == (source, every[source])
    default = effective_cadence()
    assert (default.source, str(default.cadence)) == ("program", DEFAULT_CADENCE)


def test_a_setting_that_does_not_parse_is_passed_over() -> None:
    found = effective_cadence(enrollment="someday", learner="", cohort="fri 16:00")
    assert (found.source, str(found.cadence)) == ("cohort", "fri 16:00")


def test_the_scheduler_reads_the_same_cadence() -> None:
    rule = rule_for(
        enrollment_cadence=None,
        learner_cadence="bogus",
        cohort_cadence="fri 16:00",
        program_cadence="daily 08:00",
        timezone="Europe/Berlin",
        quiet_hours=None,
        default_window="08:00-20:00",
        started_at=datetime(2027, 3, 1, tzinfo=UTC),
    )
    expected = effective_cadence(learner="bogus", cohort="fri 16:00", program="daily 08:00")
    assert (rule.source, rule.cadence) == (expected.source, expected.cadence)


async def test_the_welcome_and_the_settings_name_the_rhythm_the_learner_chose(
    mini_desk: Desk,
) -> None:
    ann = mini_desk.learner("ann")
    await ann.say("settings rhythm mon,wed 14:00")
    welcome = ann.text(await ann.say("start mini"))
    assert "Lessons arrive mon,wed 14:00, UTC, because I don't know your time zone" in welcome
    assert "mon,wed 14:00" in ann.text(await ann.say("settings"))


async def test_the_welcome_names_the_zone_it_schedules_in_and_never_claims_one_unasked(
    mini_desk: Desk,
) -> None:
    bea = mini_desk.learner("bea")
    await bea.say("settings timezone Europe/Lisbon")
    welcome = bea.text(await bea.say("start mini"))
    assert "Europe/Lisbon time" in welcome and "in your time zone" not in welcome
