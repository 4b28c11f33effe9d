"""Letters rendered from the templates for cases of each procedure: plain English for adults,
shorter and simpler for children, strict about missing values, and as a PDF."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import textstat
from click.testing import CliRunner
from jinja2 import UndefinedError
from pypdf import PdfReader

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.letters.rendering import html_to_pdf, letter_environment, render_letter
from complaints.services.cases import fire_trigger
from complaints.services.points import add_complaint_point, add_remedy, record_finding
from tests.support import LogCase


def text_of(html: str) -> str:
    body = html.split("<body>", 1)[1]
    body = re.sub(r"<(style|div class=\"council\")[^>]*>.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def answered(council: Context, clock: SettableClock, log_case: LogCase, *, child: bool) -> str:
    """A statutory complaint received Monday 2 November 2026, answered on the 12th."""
    reference = log_case(
        "statutory_children",
        date(2026, 11, 2),
        is_child=child,
        made_by="child" if child else "complainant",
    ).reference
    clock.set(date(2026, 11, 3))
    fire_trigger(council, reference, "acknowledge", by="off")
    clock.set(date(2026, 11, 10))
    add_complaint_point(council, reference, "The social worker missed two visits", by="qa")
    add_complaint_point(council, reference, "Nobody returned my calls", by="qa")
    record_finding(council, reference, 1, "upheld", by="qa")
    record_finding(council, reference, 2, "not_upheld", by="qa")
    add_remedy(council, reference, "apology", by="qa")
    fire_trigger(council, reference, "submit_draft", by="qa")
    fire_trigger(council, reference, "approve", by="mgr")
    clock.set(date(2026, 11, 12))
    fire_trigger(council, reference, "send_response", by="off")
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
    html = render_letter(council, reference, "acknowledgement").html
    assert reference in html and "Monday 2 November 2026" in html
    assert reply_by in html
    assert ("advocate" in html) is (procedure == "statutory_children")


def test_the_stage1_response_gives_each_finding_the_apology_and_the_date_to_ask_by(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = answered(council, clock, log_case, child=False)
    rendered = render_letter(council, reference, "stage1_response")
    assert rendered.template == "stage1_response.html.j2"
    text = text_of(rendered.html)
    assert "The social worker missed two visits" in text and "upheld" in text
    assert "Nobody returned my calls" in text and "not upheld" in text
    assert "We apologise" in text and "an apology" in text
    # 20 working days from Thursday 12 November 2026.
    assert "Thursday 10 December 2026" in text
    assert "www.lgo.org.uk" in text


def test_a_child_gets_the_child_friendly_letter_which_reads_more_easily(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    adult = render_letter(
        council, answered(council, clock, log_case, child=False), "stage1_response"
    )
    child = render_letter(
        council, answered(council, clock, log_case, child=True), "stage1_response"
    )
    assert child.template == "child/stage1_response.html.j2"
    child_ease = textstat.flesch_reading_ease(text_of(child.html))
    adult_ease = textstat.flesch_reading_ease(text_of(adult.html))
    assert child_ease >= 70 and child_ease > adult_ease
    assert "advocate" in child.html


def test_a_response_with_a_point_lacking_a_finding_is_refused(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    add_complaint_point(council, reference, "Bins missed", by="off")
    with pytest.raises(DomainError, match="no finding yet on point 1"):
        render_letter(council, reference, "stage1_response")


def test_a_missing_value_fails_loudly() -> None:
    template = letter_environment().get_template("acknowledgement.html.j2")
    with pytest.raises(UndefinedError):
        template.render(reference="CF-2026-000001")


def test_the_pdf_holds_the_reference_each_point_and_the_date_to_ask_by(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = answered(council, clock, log_case, child=False)
    pdf = html_to_pdf(render_letter(council, reference, "stage1_response").html)
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
        cli, ["letter", "preview", reference, "acknowledgement"], obj={"context": council}
    )
    assert result.exit_code == 0 and reference in result.stdout
    unknown = CliRunner().invoke(
        cli, ["letter", "preview", reference, "poem"], obj={"context": council}
    )
    assert unknown.exit_code == 1 and "there is no letter called 'poem'" in unknown.stderr


def fire_all(council: Context, reference: str, *steps: tuple[str, str, dict[str, str]]) -> None:
    for trigger, by, values in steps:
        fire_trigger(council, reference, trigger, by=by, values=values)


def find(council: Context, reference: str, outcome: str = "upheld") -> None:
    add_complaint_point(council, reference, "Visits were missed", by="qa")
    record_finding(council, reference, 1, outcome, by="qa")


STAGE2 = {"reason": "dissatisfied_with_response"}


def case_for(letter: str, council: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A case at the point in its procedure where `letter` is written."""
    if letter == "compliment_acknowledgement":
        return log_case("feedback", date(2026, 11, 2), feedback_type="compliment").reference
    procedure = {
        "stage2_response": "corporate",
        "adult_response": "adult_social_care",
    }.get(letter, "statutory_children")
    reference = log_case(procedure, date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 3))
    fire_all(council, reference, ("acknowledge", "off", {}))
    if letter in ("early_resolution", "adult_response", "lgsco_signposting"):
        find(council, reference)
    elif letter == "stage2_response":
        fire_all(council, reference, ("request_stage2", "off", STAGE2), ("acknowledge", "off", {}))
        find(council, reference, "partially_upheld")
    elif letter in ("stage2_acknowledgement", "adjudication", "panel_response"):
        fire_all(
            council, reference, ("request_stage2", "off", STAGE2), ("agree_statement", "off", {})
        )
        if letter != "stage2_acknowledgement":
            fire_all(council, reference, ("receive_report", "off", {}))
            find(council, reference, "not_upheld")
        if letter == "panel_response":
            fire_all(
                council,
                reference,
                ("adjudicate", "mgr", {}),
                ("request_review", "off", STAGE2),
                ("hold_panel", "off", {}),
                ("receive_panel_report", "off", {}),
            )
            record_finding(council, reference, 1, "upheld", by="qa")
    return reference


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
    ],
)
def test_each_letter_renders_for_a_case_at_its_step(
    council: Context, clock: SettableClock, log_case: LogCase, letter: str, expected: str
) -> None:
    reference = case_for(letter, council, clock, log_case)
    html = render_letter(council, reference, letter).html
    assert reference in html and expected in text_of(html)
    assert "None" not in text_of(html)


def test_every_letter_a_workflow_sends_has_a_template() -> None:
    from complaints.letters.rendering import LETTER_TEMPLATES
    from workflows import WORKFLOWS

    declared = {t.letter for w in WORKFLOWS.values() for t in w.transitions if t.letter}
    missing = {name for name in declared if not (LETTER_TEMPLATES / f"{name}.html.j2").exists()}
    assert missing <= {"extension_notice", "panel_arrangements", "redirection"}
