"""A step's words quote the council's timescales: a council that changes one sees the new number
on the step's page, on the command line and in the audit trail, never the old one; and an
extension is asked for in the unit its deadline is counted in."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from click.testing import CliRunner

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback
from tests.support import LogCase, fire, version_of, web_app, with_timescale
from tests.web.conftest import Web


def test_a_changed_timescale_is_the_number_a_step_quotes(
    staff: Context, clock: SettableClock
) -> None:
    shipped = staff.settings.timescale("corporate", "stage1_response")
    assert (shipped.length, shipped.max_extension) == (10, 10)
    settings = with_timescale(
        staff.settings, "corporate", "stage1_response", length=12, max_extension=3
    )
    council = Context(settings, clock, staff.database, staff.engine)
    clock.set(date(2026, 11, 16))
    reference = log_feedback(
        council,
        NewFeedback(
            procedure="corporate",
            feedback_type="complaint",
            received_on=date(2026, 11, 16),
            summary="Bins not collected",
            complainant_name="Ava Smith",
        ),
        by="off",
    ).reference

    officer = Web(web_app(council).test_client())
    officer.sign_in("off")
    page = officer.get(f"/cases/{reference}/steps/acknowledge").text
    assert "the stage 1 response is due 12 working days from now" in page
    assert "10 working days" not in page

    shown = CliRunner().invoke(
        cli, ["workflow", "show", "corporate", "--json"], obj={"context": council}
    )
    described = json.loads(shown.stdout)
    (acknowledge, _) = (t for t in described["transitions"] if t["trigger"] == "acknowledge")
    assert acknowledge["description"].endswith("is due 12 working days from now.")

    version = version_of(council, reference)
    view = fire_trigger(council, reference, "acknowledge", by="off", expected_version=version)
    response = next(d for d in view.deadlines if d.name == "stage1_response")
    assert response.due_on == council.calendar.add_working_days(date(2026, 11, 16), 12)


@pytest.mark.parametrize(
    ("procedure", "unit", "most"),
    [
        # Adult social care's response is counted in calendar months (config.toml).
        ("adult_social_care", "calendar months", "6 calendar months"),
        ("corporate", "working days", "10 working days"),
    ],
)
def test_an_extension_is_asked_for_in_the_unit_of_the_deadline_it_extends(
    staff: Context,
    web: Callable[[str], Web],
    log_case: LogCase,
    procedure: str,
    unit: str,
    most: str,
) -> None:
    reference = log_case(procedure, date(2026, 11, 16)).reference
    fire(staff, reference, "acknowledge", by="off")
    manager = web("mgr")
    extend = f"/cases/{reference}/steps/extend"

    page = manager.get(extend).text
    assert f"Extra {unit}" in page
    assert f"Up to {most} in all, counting any extension already agreed." in page
    (other,) = {"calendar months", "working days"} - {unit}
    assert f"Extra {other}" not in page
    none = manager.post(extend, {"working_days": "0", "reason": "Complex"})
    assert none.status_code == 400 and f"Extra {unit} must be 1 or more" in none.text
    missing = manager.post(extend, {"reason": "Complex"})
    assert missing.status_code == 400 and f"Enter extra {unit}" in missing.text
    with pytest.raises(DomainError, match=f"'extend' needs extra {unit} \\(working_days\\)"):
        fire(staff, reference, "extend", by="mgr", reason="Complex")
