"""Letters rendered from the templates for cases of each procedure: plain English for adults,
shorter and simpler for children, strict about missing values, and as a PDF."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import textstat
from click.testing import CliRunner
from jinja2 import UndefinedError
from pypdf import PdfReader

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.letters.pdf import html_to_pdf
from complaints.letters.rendering import letter_environment
from complaints.services.letters import preview_letter
from complaints.services.points import add_complaint_point, record_finding
from tests.support import (
    LogCase,
    fire,
    ready_for_response,
    send_response,
    version_of,
    with_timescale,
)


def text_of(html: str) -> str:
    body = html.split("<body>", 1)[1]
    body = re.sub(r"<(style|div class=\"council\")[^>]*>.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def answered(council: Context, clock: SettableClock, log_case: LogCase, *, child: bool) -> str:
    """A statutory complaint received Monday 2 November 2026, answered on the 12th: one point
    upheld, one not, with an apology."""
    reference = log_case(
        "statutory_children",
        date(2026, 11, 2),
        is_child=child,
        made_by="child" if child else "complainant",
    ).reference
    clock.set(date(2026, 11, 3))
    ready_for_response(
        council,
        reference,
        points={
            "The social worker missed two visits": "upheld",
            "Nobody returned my calls": "not_upheld",
        },
        remedies=("apology",),
        signed_off=True,
    )
    clock.set(date(2026, 11, 12))
    send_response(council, reference)
    return reference


@pytest.mark.parametrize(
    ("procedure", "reply_by"),
    [
        ("statutory_children", "Monday 16 November 2026"),  # 10 WD from receipt
        ("corporate", "Monday 16 November 2026"),  # 10 WD from acknowledgement, today
        # 6 months from receipt is Sunday 2 May 2027; Monday 3 May is a bank holiday.
        ("adult_social_care", "Tuesday 4 May 2027"),
    ],
)
def test_an_acknowledgement_for_each_procedure(
    council: Context, log_case: LogCase, procedure: str, reply_by: str
) -> None:
    reference = log_case(procedure, date(2026, 11, 2)).reference
    html = preview_letter(council, reference, "acknowledgement", by="admin").html
    assert reference in html and "Monday 2 November 2026" in html
    assert reply_by in html
    assert ("advocate" in html) is (procedure == "statutory_children")


@pytest.mark.parametrize(
    ("procedure", "max_extension", "more_time"),
    [
        ("statutory_children", 10, "we may need up to 10 working days more; we will ask you first"),
        ("statutory_children", 4, "we may need up to 4 working days more; we will ask you first"),
        ("corporate", 10, "If we need more time we will tell you why"),
        ("corporate", 0, None),
        ("adult_social_care", 6, "unless we agree a different date with you"),
    ],
)
def test_the_acknowledgement_says_what_the_procedure_and_the_council_allow_about_more_time(
    council: Context, log_case: LogCase, procedure: str, max_extension: int, more_time: str | None
) -> None:
    response = council.engine.workflow(procedure).response_deadline(1)
    assert response is not None
    settings = with_timescale(council.settings, procedure, response, max_extension=max_extension)
    allowing = Context(settings, council.clock, council.database, council.engine)
    reference = log_case(procedure, date(2026, 11, 2)).reference
    text = text_of(preview_letter(allowing, reference, "acknowledgement", by="admin").html)
    if more_time is None:
        assert "more time" not in text and "more;" not in text
    else:
        assert more_time in text


def test_the_stage1_response_gives_each_finding_the_apology_and_the_date_to_ask_by(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = answered(council, clock, log_case, child=False)
    rendered = preview_letter(council, reference, "stage1_response", by="admin")
    assert rendered.template == "stage1_response.html.j2"
    text = text_of(rendered.html)
    assert "The social worker missed two visits" in text and "upheld" in text
    assert "Nobody returned my calls" in text and "not upheld" in text
    assert "We apologise" in text and "an apology" in text
    # 20 working days from Thursday 12 November 2026.
    assert "Thursday 10 December 2026" in text
    assert "www.lgo.org.uk" in text


def test_a_response_with_a_point_lacking_a_finding_is_refused(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    add_complaint_point(
        council, reference, "Bins missed", by="off", expected_version=version_of(council, reference)
    )
    with pytest.raises(DomainError, match="no finding yet on point 1"):
        preview_letter(council, reference, "stage1_response", by="admin")


def test_a_missing_value_fails_loudly() -> None:
    template = letter_environment().get_template("acknowledgement.html.j2")
    with pytest.raises(UndefinedError):
        template.render(reference="CF-2026-000001")


def test_the_pdf_holds_the_reference_each_point_and_the_date_to_ask_by(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = answered(council, clock, log_case, child=False)
    pdf = html_to_pdf(preview_letter(council, reference, "stage1_response", by="admin").html)
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert reference in text
    assert "The social worker missed two visits" in text and "Nobody returned my calls" in text
    assert "Thursday 10 December 2026" in text


def test_letter_preview_from_the_command_line(
    council: Context, log_case: LogCase, tmp_path: object
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    result = CliRunner().invoke(
        cli,
        ["letter", "preview", reference, "acknowledgement", "--by", "off"],
        obj={"context": council},
    )
    assert result.exit_code == 0 and reference in result.stdout
    unknown = CliRunner().invoke(
        cli, ["letter", "preview", reference, "poem", "--by", "off"], obj={"context": council}
    )
    assert unknown.exit_code == 1 and "there is no letter called 'poem'" in unknown.stderr


def fire_all(council: Context, reference: str, *steps: tuple[str, str, dict[str, str]]) -> None:
    for trigger, by, values in steps:
        fire(council, reference, trigger, by=by, **values)


STAGE2 = {"reason": "dissatisfied_with_response"}
# The letters written once a stage's points have their findings, with the stage and the finding.
ANSWERING = {
    "early_resolution": (1, "upheld"),
    "stage1_response": (1, "upheld"),
    "adult_response": (1, "upheld"),
    "lgsco_signposting": (1, "upheld"),
    "stage2_response": (2, "partially_upheld"),
    "adjudication": (2, "not_upheld"),
    "panel_arrangements": (2, "not_upheld"),
    "panel_response": (2, "not_upheld"),
}


def case_for(
    letter: str, council: Context, clock: SettableClock, log_case: LogCase, *, child: bool = False
) -> str:
    """A case at the point in its procedure where `letter` is written (to a child if `child`)."""
    if letter == "compliment_acknowledgement":
        return log_case("feedback", date(2026, 11, 2), feedback_type="compliment").reference
    if letter == "redirection":
        reference = log_case(
            "redirection", date(2026, 11, 2), feedback_type="question", is_child=child
        ).reference
        fire_all(council, reference, ("redirect", "off", {"redirected_to": "the school governors"}))
        return reference
    procedure = {
        "stage2_response": "corporate",
        "adult_response": "adult_social_care",
    }.get(letter, "statutory_children")
    reference = log_case(procedure, date(2026, 11, 2), is_child=child).reference
    clock.set(date(2026, 11, 3))
    if letter in ANSWERING:
        stage, finding = ANSWERING[letter]
        ready_for_response(council, reference, stage=stage, points={"Visits were missed": finding})
    else:
        fire_all(council, reference, ("acknowledge", "off", {}))
    if letter == "extension_notice":
        fire_all(council, reference, ("extend", "mgr", EXTENSION | {"complainant_agreed": "yes"}))
    elif letter == "request_information":
        fire_all(council, reference, ("request_information", "off", INFORMATION))
    elif letter == "stage2_acknowledgement":
        fire_all(
            council, reference, ("request_stage2", "off", STAGE2), ("agree_statement", "off", {})
        )
    if letter in ("panel_arrangements", "panel_response"):
        send_response(council, reference)  # the adjudication
        fire_all(council, reference, ("request_review", "off", STAGE2))
    if letter == "panel_response":
        fire_all(
            council,
            reference,
            ("hold_panel", "off", {}),
            ("receive_panel_report", "off", {}),
        )
        record_finding(
            council,
            reference,
            1,
            "upheld",
            by="qa",
            expected_version=version_of(council, reference),
        )
    return reference


EXTENSION = {"working_days": "5", "reason": "we are waiting for a report from the school"}
INFORMATION = {"information": "the dates of the missed visits", "reply_by": "2026-11-17"}


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        ("early_resolution", "Please ask us by"),
        ("stage2_acknowledgement", "independent person"),
        ("stage2_response", "partly upheld"),
        ("adult_response", "final response under the adult social care"),
        ("adjudication", "review panel"),
        ("panel_response", "final stage of the children's social care"),
        ("compliment_acknowledgement", "passed your message on"),
        ("lgsco_signposting", "www.lgo.org.uk"),
        ("extension_notice", "Thank you for agreeing that we can take more time"),
        ("request_information", "Please send it to us by Tuesday 17 November 2026"),
        ("panel_arrangements", "The panel will meet by"),
        ("redirection", "It is a matter for the school governors"),
    ],
)
def test_each_letter_renders_for_a_case_at_its_step(
    council: Context, clock: SettableClock, log_case: LogCase, letter: str, expected: str
) -> None:
    reference = case_for(letter, council, clock, log_case)
    html = preview_letter(council, reference, letter, by="admin").html
    assert reference in html and expected in text_of(html)
    assert "None" not in text_of(html)


def test_every_letter_a_workflow_sends_has_a_template() -> None:
    from complaints.letters.rendering import LETTER_TEMPLATES
    from workflows import WORKFLOWS

    declared = {t.letter for w in WORKFLOWS.values() for t in w.transitions if t.letter}
    missing = {name for name in declared if not (LETTER_TEMPLATES / f"{name}.html.j2").exists()}
    assert missing == set()
    # docs/letters.md: every letter named there is declared with a step of some workflow.
    assert declared >= {
        "acknowledgement",
        "request_information",
        "extension_notice",
        "early_resolution",
        "stage1_response",
        "stage2_acknowledgement",
        "adjudication",
        "panel_arrangements",
        "panel_response",
        "lgsco_signposting",
        "redirection",
        "compliment_acknowledgement",
    }


CHILD_VARIANTS = sorted(
    path.name.removesuffix(".html.j2")
    for path in (Path(__file__).parents[1] / "letter_templates" / "child").glob("*.html.j2")
    if not path.name.startswith("_")
)


@pytest.mark.parametrize("letter", CHILD_VARIANTS)
def test_every_child_friendly_letter_reads_more_easily_than_the_adult_one(
    council: Context, clock: SettableClock, log_case: LogCase, letter: str
) -> None:
    adult = preview_letter(council, case_for(letter, council, clock, log_case), letter, by="admin")
    child = preview_letter(
        council, case_for(letter, council, clock, log_case, child=True), letter, by="admin"
    )
    assert (adult.template, child.template) == (f"{letter}.html.j2", f"child/{letter}.html.j2")
    child_text, adult_text = text_of(child.html), text_of(adult.html)
    child_ease = textstat.flesch_reading_ease(child_text)
    adult_ease = textstat.flesch_reading_ease(adult_text)
    assert child_ease >= 70 and child_ease > adult_ease
    assert ("advocate" in child_text and "What you can do next" in child_text) or (
        "What happens next" in child_text
    )
    assert child.html.count("<li>") >= 3


@pytest.mark.parametrize(
    ("procedure", "values", "expected"),
    [
        (
            "statutory_children",
            EXTENSION | {"complainant_agreed": "yes"},
            "allows more time at stage 1 when a complaint is complex or an advocate is helping",
        ),
        ("corporate", EXTENSION, "You can also contact the Local Government and Social Care"),
        ("adult_social_care", EXTENSION, "This is the later date we have discussed with you"),
    ],
)
def test_the_extension_notice_gives_both_dates_the_reason_and_its_procedure_s_wording(
    council: Context, log_case: LogCase, procedure: str, values: dict[str, str], expected: str
) -> None:
    reference = log_case(procedure, date(2026, 11, 2)).reference
    fire_all(council, reference, ("acknowledge", "off", {}), ("extend", "mgr", values))
    text = text_of(preview_letter(council, reference, "extension_notice", by="admin").html)
    assert expected in text and "we are waiting for a report from the school" in text
    # 10 WD from receipt (statutory) or acknowledgement (corporate), then 5 more.
    if procedure != "adult_social_care":
        assert "reply by Monday 16 November 2026" in text
        assert "by Monday 23 November 2026" in text
    assert ("Thank you for agreeing" in text) is (procedure == "statutory_children")


def test_a_stage_2_extension_says_so(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = case_for("stage2_acknowledgement", council, clock, log_case)
    fire_all(council, reference, ("extend", "mgr", EXTENSION | {"complainant_agreed": "yes"}))
    text = text_of(preview_letter(council, reference, "extension_notice", by="admin").html)
    assert "send you our stage 2 response by" in text and "stage 2 investigation more time" in text


def test_the_last_stage_s_response_sends_the_complainant_to_the_ombudsman(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = case_for("stage2_response", council, clock, log_case)
    text = text_of(preview_letter(council, reference, "stage2_response", by="admin").html)
    assert "at stage 2, the final stage of our procedure" in text
    assert "you can ask the Local Government and Social Care Ombudsman" in text
    assert "You can ask for your complaint to be reviewed" not in text


@pytest.mark.parametrize(
    ("letter", "why"),
    [
        ("extension_notice", "the case has no extension to tell the complainant about"),
        ("request_information", "record what the complainant is asked for first"),
        ("panel_arrangements", "the complainant has not asked for a review panel yet"),
    ],
)
def test_a_letter_about_a_step_is_refused_before_the_step(
    council: Context, log_case: LogCase, letter: str, why: str
) -> None:
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    with pytest.raises(DomainError, match=f"the {letter} letter cannot be written yet: {why}"):
        preview_letter(council, reference, letter, by="admin")


def test_a_redirection_letter_needs_the_redirect_first(council: Context, log_case: LogCase) -> None:
    reference = log_case("redirection", date(2026, 11, 2), feedback_type="question").reference
    with pytest.raises(DomainError, match="record where the matter belongs first"):
        preview_letter(council, reference, "redirection", by="admin")


def test_information_cannot_be_asked_for_by_a_day_already_past(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    with pytest.raises(DomainError, match="the date to reply by must be after the day"):
        fire_all(
            council,
            reference,
            ("request_information", "off", INFORMATION | {"reply_by": "2026-11-02"}),
        )
