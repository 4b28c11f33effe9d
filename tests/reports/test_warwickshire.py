"""A council shaped like Warwickshire's Customer Feedback Annual Report 2023/24 (the seed): the
report must reproduce its Children and Families and Education Services figures exactly.

Cases by service and year, complaints by month, categories, stage 1 outcomes (excluding
withdrawn), timeliness, stage 2 and 3 counts and the new system's remedies are the seed's
appendix 1; every row is bulk-inserted.
"""

from __future__ import annotations

from datetime import date

import pytest

from complaints.calendar import WorkingCalendar
from complaints.context import Context
from complaints.models import CaseCategory, table_of
from complaints.reports import Period, ReportFilters, build_report
from complaints.reports.model import Report
from tests.reports.data import ReportData

CF, EDUCATION = "Children and Families", "Education Services"
# Appendix 1: complaints by month, April to March, for 2021/22, 2022/23 and 2023/24.
MONTHS = {
    CF: {
        2021: [16, 8, 26, 18, 23, 23, 29, 27, 23, 13, 24, 16],
        2022: [14, 22, 25, 15, 11, 16, 13, 20, 14, 27, 15, 20],
        2023: [17, 22, 15, 18, 17, 12, 16, 4, 3, 24, 21, 14],
    },
    EDUCATION: {
        2021: [11, 15, 7, 11, 9, 16, 6, 10, 2, 5, 2, 9],
        2022: [8, 3, 13, 11, 15, 28, 13, 5, 10, 9, 6, 12],
        2023: [10, 11, 10, 11, 6, 12, 7, 6, 3, 11, 13, 5],
    },
}
COMPLIMENTS = {CF: {2021: 40, 2022: 18, 2023: 25}, EDUCATION: {2021: 3, 2022: 2, 2023: 1}}
COMMENTS = {CF: {2021: 3, 2022: 6, 2023: 2}, EDUCATION: {2021: 3, 2022: 3, 2023: 7}}
CATEGORIES_2023 = {
    CF: {"Protection of user": 44, "WCC Service standards": 43, "Staff conduct": 41,
         "Communication": 41, "Financial Issues": 9, "Policy": 2, "Discrimination": 1,
         "Commissioned Service Provision": 1, "Physical environment issues": 0, None: 1},
    EDUCATION: {"Communication": 40, "WCC Service standards": 39, "Protection of user": 14,
                "Staff conduct": 1, "Policy": 2, "Commissioned Service Provision": 2,
                "Financial Issues": 2, "Outside contact us process": 4, None: 1},
}  # fmt: skip
OUTCOMES_2023 = {CF: (14, 52, 53), EDUCATION: (26, 8, 18)}  # upheld, partially, not upheld
WITHIN_2023 = {CF: (91, 112), EDUCATION: (55, 50)}  # within, exceeding
REMEDIES_2023_CF = {"explanation": 38, "apology": 8, "change_in_process": 2, "financial": 2}
STAGE2, STAGE3 = 48, 8


def month_start(year: int, index: int) -> date:
    """The 3rd of the index-th month of the financial year `year` (0: April)."""
    month = 4 + index
    return date(year + (month > 12), month - 12 if month > 12 else month, 3)


def warwickshire(calendar: WorkingCalendar) -> ReportData:
    d = ReportData()
    for name in sorted({c for cats in CATEGORIES_2023.values() for c in cats if c}):
        d.category(name)
    complaints_2023: dict[str, list[int]] = {}
    for service, years in MONTHS.items():
        for year, months in years.items():
            ids = []
            for index, count in enumerate(months):
                for _ in range(count):
                    ids.append(d.case(month_start(year, index), team=service))
            for _ in range(COMPLIMENTS[service][year]):
                d.case(date(year, 6, 1), feedback_type="compliment", procedure="feedback",
                       team=service, stage=0, state="closed")  # fmt: skip
            for _ in range(COMMENTS[service][year]):
                d.case(date(year, 7, 1), feedback_type="comment", procedure="feedback",
                       team=service, stage=0, state="closed")  # fmt: skip
            if year == 2023:
                complaints_2023[service] = ids
    # Categories, one per complaint of 2023/24 (one left uncategorised).
    for service, cases in complaints_2023.items():
        remaining = iter(cases)
        for category, count in CATEGORIES_2023[service].items():
            for _ in range(count):
                case_id = next(remaining)
                if category is not None:
                    d.rows[table_of(CaseCategory)].append(
                        {"case_id": case_id, "category_id": d.category(category)}
                    )
    # Stage 1 outcomes, recorded in the year: one point upheld, one of each, or one not upheld.
    for service, (upheld, partly, not_upheld) in OUTCOMES_2023.items():
        cases = iter(complaints_2023[service])
        for findings, count in ((["upheld"], upheld), (["upheld", "not_upheld"], partly),
                                (["not_upheld"], not_upheld)):  # fmt: skip
            for _ in range(count):
                d.findings(next(cases), 1, findings, date(2023, 10, 2))
        for _ in range(5):  # withdrawn: excluded
            d.findings(next(cases), 1, ["withdrawn"], date(2023, 10, 2))
    # Timeliness: responses sent in the year; those beyond this year's complaints answer
    # complaints received the year before. Within: 8 working days; exceeding: 25 or 15.
    for service, (within, exceeding) in WITHIN_2023.items():
        earlier = [date(2023, 3, 20)] * max(0, within + exceeding - len(complaints_2023[service]))
        received = earlier + [month_start(2023, i) for i, n in enumerate(MONTHS[service][2023])
                              for _ in range(n)]  # fmt: skip
        cases = [d.case(day, team=service) for day in earlier] + complaints_2023[service]
        # The late ones first, so none is answered after the year's end.
        for number, (case_id, day_zero) in enumerate(zip(cases, received, strict=True)):
            taken = 25 if number < 12 else (15 if number < exceeding else 8)
            d.deadline(case_id, "stage1_response", day_zero=day_zero,
                       due=calendar.add_working_days(day_zero, 10),
                       stopped=calendar.add_working_days(day_zero, taken))  # fmt: skip
    # Stage 2 and 3 escalations requested in the year (all WCC services).
    everyone = complaints_2023[CF] + complaints_2023[EDUCATION]
    for case_id in everyone[:STAGE2]:
        d.escalation(case_id, 2, date(2023, 11, 6), "dissatisfied_with_response")
    for case_id in everyone[:STAGE3]:
        d.escalation(case_id, 3, date(2024, 2, 5), "dissatisfied_with_response")
    # Children and Families' remedies in the new system (several per complaint).
    for kind, count in REMEDIES_2023_CF.items():
        for case_id in complaints_2023[CF][:count]:
            d.remedy(case_id, 1, kind, date(2024, 2, 1))
    return d


@pytest.fixture
def council(ctx: Context) -> Context:
    warwickshire(ctx.calendar).save(ctx.database)
    return ctx


def service_report(ctx: Context, service: str) -> Report:
    return build_report(ctx, Period.financial_year(2023), ReportFilters(team=service), by="admin")


@pytest.mark.parametrize(
    ("service", "complaints", "compliments", "comments"),
    [
        (CF, (246, 212, 183), (40, 18, 25), (3, 6, 2)),
        (EDUCATION, (103, 133, 105), (3, 2, 1), (3, 3, 7)),
    ],
)
def test_cases_by_service_over_three_years(
    council: Context,
    service: str,
    complaints: tuple[int, ...],
    compliments: tuple[int, ...],
    comments: tuple[int, ...],
) -> None:
    table = service_report(council, service).table("feedback_by_type")
    assert table.headings[1:] == ["2021/22", "2022/23", "2023/24"]
    assert table.row("Complaints")["2023/24"] == complaints[2]
    extra = {CF: 20, EDUCATION: 0}[service]  # last year's cases answered this year
    assert tuple(table.rows[0][1:]) == (complaints[0], complaints[1] + extra, complaints[2])
    assert tuple(table.rows[1][1:]) == compliments
    assert tuple(table.rows[2][1:]) == comments


@pytest.mark.parametrize("service", [CF, EDUCATION])
def test_complaints_by_month(council: Context, service: str) -> None:
    table = service_report(council, service).table("complaints_by_month")
    assert table.column("Complaints") == MONTHS[service][2023]


@pytest.mark.parametrize("service", [CF, EDUCATION])
def test_categories(council: Context, service: str) -> None:
    table = service_report(council, service).table("complaints_by_category")
    for category, count in CATEGORIES_2023[service].items():
        assert table.row(category or "Not categorised")["Complaints"] == count


@pytest.mark.parametrize("service", [CF, EDUCATION])
def test_stage1_outcomes_excluding_withdrawn(council: Context, service: str) -> None:
    row = service_report(council, service).table("outcomes_by_stage").rows[0]
    assert (row[1], row[2], row[4], row[6]) == ("All service areas", *OUTCOMES_2023[service])


@pytest.mark.parametrize("service", [CF, EDUCATION])
def test_timeliness_within_and_exceeding(council: Context, service: str) -> None:
    stage1 = service_report(council, service).table("timeliness_by_stage").row("Stage 1")
    within, exceeding = WITHIN_2023[service]
    assert (stage1["Within timescale"], stage1["Exceeding timescale"]) == (within, exceeding)
    assert stage1["Within 10 working days"] == within
    assert stage1["Over 20 working days"] == 12


def test_stage2_and_stage3_counts_across_the_council(council: Context) -> None:
    table = build_report(council, Period.financial_year(2023), by="admin").table(
        "complaints_by_stage"
    )
    assert table.row("Stage 2: escalations requested")["Total"] == STAGE2
    assert table.row("Stage 3: review panels requested")["Total"] == STAGE3


def test_remedies_count_each_complaint_once_per_remedy(council: Context) -> None:
    table = service_report(council, CF).table("remedies_by_stage")
    assert table.row("Explanation provided")["Stage 1"] == 38
    assert table.row("Apology")["Stage 1"] == 8
    assert table.row("Change in process")["Stage 1"] == 2
    assert table.row("Financial remedy")["Complaints (any stage)"] == 2
