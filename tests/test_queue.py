"""The daily work queue: open deadlines, overdue first, with working days left."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from complaints.context import Context
from complaints.models import (
    Deadline,
    DeadlineStatus,
    FeedbackCase,
    FeedbackType,
    MadeBy,
    Procedure,
    Role,
    User,
)
from complaints.queue import work_queue

MOMENT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def add_case(session: Session, reference: str) -> FeedbackCase:
    case = FeedbackCase(
        reference=reference,
        feedback_type=FeedbackType.COMPLAINT,
        procedure=Procedure.STATUTORY_CHILDREN,
        state="stage1_investigating",
        received_on=date(2026, 11, 2),
        contact_method="email",
        made_by=MadeBy.COMPLAINANT,
        complainant_name="Isla Patel",
        summary="Concerns about a child protection plan",
        created_at=MOMENT,
        updated_at=MOMENT,
    )
    session.add(case)
    session.flush()
    return case


def add_deadline(
    session: Session,
    case: FeedbackCase,
    name: str,
    due_on: date,
    owner: User | None,
    status: DeadlineStatus = DeadlineStatus.RUNNING,
) -> None:
    assert case.id is not None
    session.add(
        Deadline(
            case_id=case.id,
            name=name,
            started_on=case.received_on,
            original_due_on=due_on,
            due_on=due_on,
            status=status,
            owner_id=owner.id if owner else None,
            created_at=MOMENT,
        )
    )


@pytest.fixture
def officers(ctx: Context) -> tuple[User, User]:
    with ctx.database.unit_of_work() as session:
        people = (
            User(
                username="qa.jones",
                full_name="Rebecca Jones",
                role=Role.QA_PRACTITIONER,
                created_at=MOMENT,
            ),
            User(
                username="officer.patel",
                full_name="Anjali Patel",
                role=Role.OFFICER,
                created_at=MOMENT,
            ),
        )
        session.add_all(people)
        session.flush()
        first = add_case(session, "CF-2026-000001")
        second = add_case(session, "CF-2026-000002")
        # Today is Monday 23 November 2026.
        add_deadline(session, first, "stage1_response", date(2026, 11, 25), people[0])
        add_deadline(session, first, "acknowledgement", date(2026, 11, 20), people[1])
        add_deadline(session, second, "stage1_response", date(2026, 11, 23), people[0])
        add_deadline(
            session, second, "first_contact", date(2026, 11, 20), people[0], DeadlineStatus.STOPPED
        )
        add_deadline(
            session, second, "stage2_request_window", date(2026, 12, 7), None, DeadlineStatus.PAUSED
        )
    return people


def test_the_queue_lists_open_deadlines_overdue_first(
    ctx: Context, officers: tuple[User, User]
) -> None:
    with ctx.database.reader() as session:
        items = work_queue(session, ctx.calendar, ctx.clock.today())
    assert [(item.reference, item.step) for item in items] == [
        ("CF-2026-000001", "acknowledgement"),
        ("CF-2026-000002", "stage1_response"),
        ("CF-2026-000001", "stage1_response"),
        ("CF-2026-000002", "stage2_request_window"),
    ]
    assert [item.working_days_left for item in items] == [-1, 0, 2, 10]
    assert [item.overdue for item in items] == [True, False, False, False]
    assert items[-1].paused


def test_one_persons_queue_holds_only_their_steps(
    ctx: Context, officers: tuple[User, User]
) -> None:
    with ctx.database.reader() as session:
        items = work_queue(session, ctx.calendar, ctx.clock.today(), officers[0])
    assert {item.owner_username for item in items} == {"qa.jones"}
    assert [item.due_on for item in items] == [date(2026, 11, 23), date(2026, 11, 25)]


def test_a_friday_deadline_is_overdue_on_saturday(
    ctx: Context, officers: tuple[User, User]
) -> None:
    with ctx.database.reader() as session:
        items = work_queue(session, ctx.calendar, date(2026, 11, 21), officers[1])
    (item,) = items
    assert item.due_on == date(2026, 11, 20)
    assert (item.overdue, item.working_days_left) == (True, 0)
