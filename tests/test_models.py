"""Guarantees the schema itself keeps: optimistic locking, constraints, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from complaints.db import Database
from complaints.models import (
    Alert,
    AlertKind,
    Deadline,
    DeadlineStatus,
    FeedbackCase,
    FeedbackType,
    MadeBy,
    Procedure,
    Remedy,
    RemedyKind,
    Team,
)

MOMENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def make_case(session: Session, reference: str = "CF-2026-000001") -> FeedbackCase:
    case = FeedbackCase(
        reference=reference,
        feedback_type=FeedbackType.COMPLAINT,
        procedure=Procedure.CORPORATE,
        state="received",
        received_on=date(2026, 11, 20),
        contact_method="email",
        made_by=MadeBy.COMPLAINANT,
        complainant_name="Ava Smith",
        summary="Missed bin collections",
        created_at=MOMENT,
        updated_at=MOMENT,
    )
    session.add(case)
    session.flush()
    return case


def make_deadline(session: Session, case: FeedbackCase) -> Deadline:
    assert case.id is not None
    deadline = Deadline(
        case_id=case.id,
        name="acknowledgement",
        started_on=date(2026, 11, 20),
        original_due_on=date(2026, 11, 27),
        due_on=date(2026, 11, 27),
        status=DeadlineStatus.RUNNING,
        created_at=MOMENT,
    )
    session.add(deadline)
    session.flush()
    return deadline


def test_a_case_starts_at_version_one_and_each_change_moves_it_on(database: Database) -> None:
    with database.unit_of_work() as session:
        case = make_case(session)
    assert case.version == 1
    with database.unit_of_work() as session:
        stored = session.get(FeedbackCase, case.id)
        assert stored is not None
        stored.summary = "Missed bin collections, four weeks running"
    assert stored.version == 2


def test_a_second_writer_holding_an_old_version_is_refused(database: Database) -> None:
    with database.unit_of_work() as session:
        case_id = make_case(session).id
    # Two officers open the same case page: each holds a copy read at version 1.
    with database.reader() as session:
        mine = session.get(FeedbackCase, case_id)
    with database.reader() as session:
        theirs = session.get(FeedbackCase, case_id)
    assert mine is not None and theirs is not None
    with database.unit_of_work() as session:
        mine.summary = "first edit"
        session.add(mine)
    with pytest.raises(StaleDataError), database.unit_of_work() as session:
        theirs.summary = "second edit"
        session.add(theirs)
    with database.reader() as session:
        stored = session.get(FeedbackCase, case_id)
        assert stored is not None
        assert (stored.summary, stored.version) == ("first edit", 2)


def test_a_failed_unit_of_work_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(RuntimeError), database.unit_of_work() as session:
        make_case(session)
        raise RuntimeError("refused half-way")
    with database.reader() as session:
        assert session.exec(sa.select(sa.func.count()).select_from(FeedbackCase)).one()[0] == 0


def test_references_are_unique(database: Database) -> None:
    with pytest.raises(IntegrityError), database.unit_of_work() as session:
        make_case(session)
        make_case(session)


def test_a_remedy_cannot_have_a_negative_amount(database: Database) -> None:
    with pytest.raises(IntegrityError), database.unit_of_work() as session:
        case = make_case(session)
        assert case.id is not None
        session.add(
            Remedy(
                case_id=case.id,
                stage=1,
                kind=RemedyKind.FINANCIAL,
                amount=Decimal("-50.00"),
                recorded_on=date(2026, 11, 23),
                created_at=MOMENT,
            )
        )
        session.flush()


def test_each_deadline_gets_each_kind_of_alert_once(database: Database) -> None:
    with database.unit_of_work() as session:
        deadline_id = make_deadline(session, make_case(session)).id
    with database.unit_of_work() as session:
        session.add(
            Alert(
                deadline_id=deadline_id,
                kind=AlertKind.DUE_SOON,
                due_on=date(2026, 11, 27),
                created_at=MOMENT,
            )
        )
    with pytest.raises(IntegrityError), database.unit_of_work() as session:
        session.add(
            Alert(
                deadline_id=deadline_id,
                kind=AlertKind.DUE_SOON,
                due_on=date(2026, 11, 27),
                created_at=MOMENT,
            )
        )
        session.flush()


def test_an_alert_is_about_exactly_one_deadline_or_action(database: Database) -> None:
    with pytest.raises(IntegrityError), database.unit_of_work() as session:
        session.add(Alert(kind=AlertKind.OVERDUE, due_on=date(2026, 11, 27), created_at=MOMENT))
        session.flush()


def test_moments_come_back_timezone_aware_in_utc(database: Database) -> None:
    eastern = timezone(timedelta(hours=-5))
    with database.unit_of_work() as session:
        team = Team(name="Highways", created_at=datetime(2026, 11, 23, 4, 30, tzinfo=eastern))
        session.add(team)
    with database.reader() as session:
        stored = session.get(Team, team.id)
        assert stored is not None
        assert stored.created_at == MOMENT
        assert stored.created_at.utcoffset() == timedelta(0)


def test_a_naive_moment_is_refused(database: Database) -> None:
    with (
        pytest.raises(sa.exc.StatementError, match="timezone-aware"),
        database.unit_of_work() as session,
    ):
        session.add(Team(name="Highways", created_at=datetime(2026, 11, 23, 9, 30)))
        session.flush()
