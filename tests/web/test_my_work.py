"""Long queues: "My work" and the manager's dashboard list the most urgent steps, count every one,
and link to all of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.dashboard import DASHBOARD_ROWS, LIST_LIMIT
from complaints.services.cases import NewFeedback, log_feedback
from tests.web.conftest import Web

RECEIVED = date(2026, 11, 2)


def _log_many(staff: Context, clock: SettableClock, count: int) -> None:
    clock.set(RECEIVED)
    for n in range(count):
        log_feedback(
            staff,
            NewFeedback(
                procedure="corporate",
                feedback_type="complaint",
                received_on=RECEIVED,
                summary="The bins were not collected",
                complainant_name=f"Person {n}",
            ),
            by="off",
        )


def _overdue_table(page: str) -> str:
    return page.split('id="overdue"')[1].split("</table>")[0]


def test_a_long_queue_is_shortened_with_a_link_to_all_of_it(
    staff: Context, clock: SettableClock, web: Callable[[str], Web]
) -> None:
    _log_many(staff, clock, LIST_LIMIT + 3)
    clock.set(date(2026, 12, 14))
    officer = web("off")

    short = officer.get("/my-work").text
    full = officer.get("/my-work?all=yes").text

    total = _overdue_table(full).count("/cases/CF-")
    assert total >= LIST_LIMIT + 3
    assert _overdue_table(short).count("/cases/CF-") == LIST_LIMIT
    assert f"Overdue ({total})" in short and f"Overdue ({total})" in full
    assert f"{total - LIST_LIMIT} more" in short and "/my-work?all=yes#overdue" in short
    assert "/my-work?all=yes" not in full


def test_a_short_queue_shows_every_step_without_a_link(
    staff: Context, clock: SettableClock, web: Callable[[str], Web]
) -> None:
    _log_many(staff, clock, 2)
    clock.set(date(2026, 12, 14))

    page = web("off").get("/my-work").text

    assert "Overdue (" in page and "/my-work?all=yes" not in page


def test_the_dashboard_lists_the_most_urgent_overdue_steps_and_links_to_all(
    staff: Context, clock: SettableClock, web: Callable[[str], Web]
) -> None:
    _log_many(staff, clock, DASHBOARD_ROWS + 2)
    clock.set(date(2026, 12, 14))

    board = web("mgr").get("/dashboard").text

    total = int(board.split('id="overdue-total"><span class="app-figure">')[1].split("<")[0])
    assert total >= DASHBOARD_ROWS + 2
    assert f"the {DASHBOARD_ROWS} most urgent of {total}" in board
    assert _overdue_table(board).count("/cases/CF-") == DASHBOARD_ROWS
    assert "/cases?overdue=yes" in board
