"""The forms (web/forms/): a workflow step's form is made from its transition's fields, reads them
into the text the service takes, and explains each bad value against its field; a date's three
boxes read as a real date or as one problem, whatever is typed; a refused form's page links each
problem from the error summary to its field, the GOV.UK way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.calendar import in_supported_range
from tests.web.conftest import Web, date_fields
from web.forms.base import PageForm
from web.forms.fields import DateField
from web.forms.steps import FIELD_FOR, step_form
from web.pages import choices
from workflows.definition import FieldKind, FieldSpec, Transition, roles

EVERY_KIND = (
    FieldSpec("note", FieldKind.TEXT, "Note", max_length=20),
    FieldSpec("reply_by", FieldKind.DATE, "Reply by", required=False),
    FieldSpec("agreed", FieldKind.BOOLEAN, "The complainant agreed"),
    FieldSpec("why", FieldKind.CHOICE, "Why", choices=("no_response", "other")),
    FieldSpec("officer", FieldKind.USER, "Investigating officer"),
    FieldSpec("working_days", FieldKind.WHOLE_NUMBER, "Extra working days"),
)
STEP = Transition("try_out", ("received",), None, roles("officer"), "Try it.", fields=EVERY_KIND)
GOOD = {
    "note": "  Spoke to her  ",
    **date_fields("reply_by", date(2026, 12, 1)),
    "agreed": "yes",
    "why": "other",
    "officer": "off",
    "working_days": "10",
}


def test_every_kind_of_step_field_has_a_form_field() -> None:
    assert set(FIELD_FOR) == set(FieldKind)


def test_a_steps_form_asks_its_fields_in_order_then_the_day(app: Flask) -> None:
    with app.test_request_context("/"):
        form = step_form(STEP, {})(choices())
        assert [field.name for field in form] == [spec.name for spec in EVERY_KIND] + ["on"]
        assert form["reply_by"].label.text == "Reply by (optional)"
        assert ("off", "Olive Officer (off)") in form["officer"].choices


def test_a_steps_values_reach_the_service_as_text(app: Flask) -> None:
    with app.test_request_context("/", method="POST", data=GOOD):
        form = step_form(STEP, {})(choices())
        assert form.validate(), form.problems
        assert form.values() == {
            "note": "Spoke to her",
            "reply_by": "2026-12-01",
            "agreed": "yes",
            "why": "other",
            "officer": "off",
            "working_days": "10",
        }
        assert form.on.data is None  # left empty: today


@pytest.mark.parametrize(
    ("change", "anchor", "message"),
    [
        ({"note": " "}, "note", "Enter note"),
        ({"note": "x" * 21}, "note", "Note must be 20 characters or fewer"),
        ({"reply_by-month": "13"}, "reply_by-day", "Reply by must be a real date, like 27 3 2026"),
        ({"agreed": ""}, "agreed", "Select the complainant agreed"),
        ({"why": "bored"}, "why", "Select why from the list"),
        ({"officer": "nobody"}, "officer", "Select investigating officer from the list"),
        (
            {"working_days": "²"},
            "working_days",
            "Extra working days must be a whole number, like 5",
        ),
        ({"working_days": "0"}, "working_days", "Extra working days must be 1 or more"),
        (date_fields("on", date(2100, 1, 4)), "on-day", "The day it happened must be today or in"),
    ],
)
def test_a_steps_bad_value_is_explained_against_its_field(
    app: Flask, change: dict[str, str], anchor: str, message: str
) -> None:
    with app.test_request_context("/", method="POST", data=GOOD | change):
        form = step_form(STEP, {})(choices())
        assert not form.validate()
        ((found, said),) = form.problems
        assert found == anchor and said.startswith(message)


@pytest.mark.parametrize("name", ["on", "validate", "data", "problems"])
def test_a_step_field_named_like_the_forms_own_is_refused(name: str) -> None:
    clash = Transition(
        "clash", ("received",), None, roles("officer"), "Clash.",
        fields=(FieldSpec(name, FieldKind.TEXT, "Clash"),),
    )  # fmt: skip
    with pytest.raises(ValueError, match=f"'{name}'"):
        step_form(clash, {})


class OneDate(PageForm):
    day = DateField("Day", "the day")


box = st.one_of(
    st.sampled_from(["", "0", "1", "29", "31", "02", "13", "2026", "0001", "9999", "²", "٣"]),
    st.text(max_size=5),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=box, month=box, year=box)
def test_a_dates_boxes_read_as_a_real_date_or_as_one_problem(
    app: Flask, day: str, month: str, year: str
) -> None:
    sent = {"day-day": day, "day-month": month, "day-year": year}
    with app.test_request_context("/", method="POST", data=sent):
        form = OneDate()
        if form.validate():
            assert form.day.data is not None and in_supported_range(form.day.data)
            assert (form.day.data.day, form.day.data.month) == (int(day), int(month))
        else:
            assert form.day.data is None or not in_supported_range(form.day.data)
            assert [problem.anchor for problem in form.problems] == ["day-day"]


def test_a_refused_forms_page_links_each_problem_to_its_field(
    web: Callable[[str], Web],
) -> None:
    page = web("off").post("/cases/new", {"feedback_type": "complaint", "summary": "Late"})
    assert page.status_code == 400
    summary = page.text.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert '<a href="#procedure">Select the procedure</a>' in summary
    assert '<a href="#received-day">Enter the date it was received</a>' in summary
    received = page.text.split('<fieldset class="govuk-fieldset" role="group"')[1]
    assert received.startswith(' aria-describedby="received-hint received-error"')
    assert 'id="received-error" class="govuk-error-message"' in received
    # the procedure, the date received, how it arrived, the name and who it is from
    assert page.text.count("govuk-form-group--error") == 5
