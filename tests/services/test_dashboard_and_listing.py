"""The read side the web pages stand on, tested without Flask: a person's work queue (capped
sections that still count everything), the manager's dashboard counts, who may see which cases,
and the case list's filters and pages."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.dashboard import manager_dashboard, work_for
from complaints.errors import CaseNotFoundError
from complaints.models import User
from complaints.services import listing
from complaints.services.cases import show_case
from complaints.services.listing import CaseFilters, list_cases
from complaints.services.people import find_user
from tests.support import LogCase

RECEIVED = date(2026, 11, 2)  # a Monday
A_MONTH_LATER = date(2026, 12, 2)


def person(ctx: Context, username: str) -> User:
    with ctx.database.reader() as session:
        user = find_user(session, username)
        session.expunge(user)
    return user


@pytest.fixture
def five_cases(log_case: LogCase) -> list[str]:
    """Five corporate complaints received the same day: three for Customer Service, two not
    yet triaged to a team."""
    teams = ["Customer Service"] * 3 + [None] * 2
    return [
        log_case("corporate", RECEIVED, team=team, complainant_name=f"Person {n}").reference
        for n, team in enumerate(teams)
    ]


def test_a_long_queue_shows_the_most_urgent_steps_and_counts_them_all(
    council: Context, clock: SettableClock, five_cases: list[str]
) -> None:
    clock.set(A_MONTH_LATER)
    officer = person(council, "off")

    capped = work_for(council, officer, limit=2)
    everything = work_for(council, officer, limit=None)

    assert everything.overdue.total == len(everything.overdue.items) >= 5
    assert capped.overdue.total == everything.overdue.total
    assert capped.overdue.items == everything.overdue.items[:2]
    assert capped.overdue.hidden == everything.overdue.total - 2
    assert capped.shortened and not everything.shortened
    due_dates = [item.due_on for item in everything.overdue.items]
    assert due_dates == sorted(due_dates)


def test_someone_with_no_steps_has_nothing_to_do(council: Context, five_cases: list[str]) -> None:
    work = work_for(council, person(council, "off2"))

    assert work.nothing_to_do
    assert not work.overdue and work.overdue.total == 0


def test_the_dashboard_counts_each_overdue_step_once_by_team_and_by_officer(
    council: Context, clock: SettableClock, five_cases: list[str]
) -> None:
    clock.set(A_MONTH_LATER)

    board = manager_dashboard(council, person(council, "admin"))

    assert board.overdue_total >= 5
    assert sum(count.overdue for count in board.by_team) == board.overdue_total
    assert sum(count.overdue for count in board.by_officer) == board.overdue_total
    teams = {count.name: count.overdue for count in board.by_team}
    assert teams["Customer Service"] * 2 == teams["No team yet"] * 3
    overdue = [count.overdue for count in board.by_team]
    assert overdue == sorted(overdue, reverse=True)


def test_nothing_is_overdue_or_due_soon_on_the_day_cases_arrive(
    council: Context, five_cases: list[str]
) -> None:
    board = manager_dashboard(council, person(council, "admin"))

    assert board.overdue_total == 0 and not board.overdue


def test_each_role_lists_only_the_cases_it_may_see(council: Context, five_cases: list[str]) -> None:
    def listed(username: str) -> set[str]:
        found = list_cases(council, person(council, username), CaseFilters())
        return {row.reference for row in found.rows}

    assert listed("admin") == set(five_cases)
    # An officer of Customer Service: the team's cases and the untriaged ones.
    assert listed("off2") == set(five_cases)
    # A QA practitioner sees only the cases allocated to them: none yet.
    assert listed("qa") == set()
    # A case outside their reach is answered exactly like one that does not exist.
    with pytest.raises(CaseNotFoundError) as outside:
        show_case(council, five_cases[0], by="qa")
    with pytest.raises(CaseNotFoundError) as missing:
        show_case(council, "CF-1999-000001", by="qa")
    assert str(outside.value).replace(five_cases[0], "REF") == str(missing.value).replace(
        "CF-1999-000001", "REF"
    )


def test_the_case_list_filters_searches_and_pages(
    council: Context, clock: SettableClock, five_cases: list[str]
) -> None:
    admin = person(council, "admin")
    clock.set(A_MONTH_LATER)

    by_name = list_cases(council, admin, CaseFilters(search="person 3"))
    by_reference = list_cases(council, admin, CaseFilters(search=five_cases[4].lower()))
    team = list_cases(council, admin, CaseFilters(team_id=_team_id(council)))
    overdue = list_cases(council, admin, CaseFilters(overdue=True))
    second_page = list_cases(council, admin, CaseFilters(page=2), per_page=2)
    beyond = list_cases(council, admin, CaseFilters(page=99), per_page=2)
    wildcard = list_cases(council, admin, CaseFilters(search="%"))

    assert [row.complainant_name for row in by_name.rows] == ["Person 3"]
    assert [row.reference for row in by_reference.rows] == [five_cases[4]]
    assert {row.reference for row in team.rows} == set(five_cases[:3])
    assert overdue.total == 5 and all(row.overdue for row in overdue.rows)
    assert (second_page.total, second_page.pages, second_page.page) == (5, 3, 2)
    assert len(second_page.rows) == 2
    assert beyond.page == 3 and len(beyond.rows) == 1
    assert wildcard.total == 0  # a % typed in the search box is a character, not a wildcard


def _team_id(ctx: Context) -> int:
    team_id = person(ctx, "off").team_id
    assert team_id is not None
    return team_id


def test_the_case_list_stops_counting_at_its_limit_and_says_so(
    council: Context, five_cases: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "COUNT_LIMIT", 3)
    admin = person(council, "admin")

    everything = list_cases(council, admin, CaseFilters(), per_page=2)
    last_counted_page = list_cases(council, admin, CaseFilters(page=9), per_page=2)
    narrowed = list_cases(council, admin, CaseFilters(team_id=_team_id(council)), per_page=2)

    assert (everything.total, everything.more_than_total, everything.pages) == (3, True, 2)
    assert len(everything.rows) == 2
    assert last_counted_page.page == 2 and len(last_counted_page.rows) == 2
    assert (narrowed.total, narrowed.more_than_total) == (3, False)
