"""The JSON API's bodies as pydantic models: what a request may send, checked against them with
every problem named by its field, and what a response holds, built from them. The OpenAPI
document's schemas are generated from the same models (web/api_document.py), so the document
and the API cannot drift apart (docs/api.md).

Requests are strict: JSON's true and false are the only booleans, whole numbers are JSON
integers, and text is JSON strings; no value is guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from complaints.calendar import FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY, in_supported_range
from complaints.contact_details import (
    MAX_EMAIL_LENGTH,
    MAX_PHONE_LENGTH,
    email_address,
    phone_number,
)
from complaints.errors import DomainError
from complaints.models import DeadlineStatus, FeedbackType, MadeBy, Procedure
from complaints.services.cases import MAX_ADDRESS_LENGTH, MAX_SUMMARY_LENGTH
from complaints.services.values import plain_whole_number, unstorable

MAX_PAGE = 500
DEFAULT_PAGE = 100
MAX_NAME_LENGTH = 100  # of a value's name in a step's `values`; longer names are cut to it


def _storable(text: str) -> str:
    problem = unstorable(text)
    if problem:
        raise PydanticCustomError("unstorable", "must not contain {problem}", {"problem": problem})
    return text


def _value_names(values: dict[str, str]) -> dict[str, str]:
    """A step's values with each name checked and cut to MAX_NAME_LENGTH characters."""
    for name in values:
        problem = unstorable(name)
        if problem:
            raise PydanticCustomError(
                "unstorable_name", "has a name that contains {problem}", {"problem": problem}
            )
    return {name[:MAX_NAME_LENGTH]: value for name, value in values.items()}


def _calendar_day(raw: Any) -> date:
    """A date written YYYY-MM-DD that the working-day calendar can count."""
    written = PydanticCustomError("calendar_day", "must be a date written YYYY-MM-DD")
    if not isinstance(raw, str):
        raise written
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise written from None
    if not in_supported_range(day):
        raise PydanticCustomError(
            "calendar_range",
            "must be a date from {first} to {last}",
            {"first": str(FIRST_SUPPORTED_DAY), "last": str(LAST_SUPPORTED_DAY)},
        )
    return day


def _moment(raw: Any) -> datetime:
    """A date and time with its time zone; the service checks it falls in the calendar's years."""
    written = PydanticCustomError(
        "moment", "must be a date and time with its time zone, such as 2026-11-23T09:00:00Z"
    )
    if not isinstance(raw, str):
        raise written
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise written from None
    if moment.tzinfo is None:
        raise written
    return moment


def _page_size(raw: Any) -> int:
    """How many cases a page holds: written in the digits 0 to 9, from 1 to MAX_PAGE."""
    number = plain_whole_number(raw) if isinstance(raw, str) else None
    if number is None or not 1 <= number <= MAX_PAGE:
        raise PydanticCustomError(
            "page_size",
            "must be a whole number from 1 to {most}, in the digits 0 to 9",
            {"most": MAX_PAGE},
        )
    return number


def _contact_detail(check: Callable[[str], str | None]) -> AfterValidator:
    """The detail in its normal form, by the same check the service makes
    (complaints/contact_details.py), so a bad one is named by its field."""

    def checked(text: str) -> str | None:
        try:
            return check(text)
        except DomainError as refusal:
            raise PydanticCustomError("contact_detail", str(refusal)) from None

    return AfterValidator(checked)


Choice = Strict(False)  # an enum's member from its value, which JSON can only send as text
STORABLE = AfterValidator(_storable)  # after the length: an over-long text is named as that
Name = Annotated[str, Field(max_length=200), STORABLE]
ShortText = Annotated[str, Field(max_length=100), STORABLE]
LongText = Annotated[str, Field(max_length=MAX_SUMMARY_LENGTH), STORABLE]
CalendarDay = Annotated[
    date,
    PlainValidator(_calendar_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"From {FIRST_SUPPORTED_DAY} to {LAST_SUPPORTED_DAY}.",
        }
    ),
]
Moment = Annotated[
    datetime,
    PlainValidator(_moment),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
PageSize = Annotated[
    int,
    PlainValidator(_page_size),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
]
EmailAddress = Annotated[
    str, Field(max_length=MAX_EMAIL_LENGTH), STORABLE, _contact_detail(email_address)
]
PhoneNumber = Annotated[
    str, Field(max_length=MAX_PHONE_LENGTH), STORABLE, _contact_detail(phone_number)
]


class Request(BaseModel):
    """A request's part: strict, and no property it does not declare."""

    model_config = ConfigDict(strict=True, extra="forbid")


class NewFeedback(Request):
    """Feedback to log; it starts in 'received', to be triaged."""

    procedure: Annotated[Procedure, Choice] = Field(description="Which procedure.")
    feedback_type: Annotated[FeedbackType, Choice] = Field(description="What it is.")
    summary: LongText = Field(description="What about.")
    complainant_name: Name = Field(description="Who it is from.")
    received_on: CalendarDay | None = Field(None, description="Day 0; default today.")
    complainant_email: EmailAddress | None = None
    complainant_phone: PhoneNumber | None = Field(
        None, description="A UK number, or one abroad starting with + and its country code."
    )
    complainant_address: Annotated[str, Field(max_length=MAX_ADDRESS_LENGTH), STORABLE] | None = (
        None
    )
    contact_method: Annotated[str, Field(max_length=40), STORABLE] | None = Field(
        None, description="Default email."
    )
    made_by: Annotated[MadeBy, Choice] | None = None
    is_child: bool | None = None
    advocate_name: Name | None = None
    team: ShortText | None = Field(None, description="The service area's team.")
    matter_date: CalendarDay | None = Field(None, description="When the matter happened.")
    late_reason: LongText | None = None
    categories: list[ShortText] | None = None
    consent_recorded: bool | None = None


class FireTrigger(Request):
    """A workflow step to take."""

    values: Annotated[dict[str, LongText], AfterValidator(_value_names)] | None = Field(
        None, description="What it records."
    )
    on: CalendarDay | None = Field(None, description="The day it happened; default today.")
    expected_version: int = Field(
        ge=1,
        description="The case's version the change was made against (its `version`); a case "
        "changed since is refused with 409.",
    )


class ChangedCasesQuery(Request):
    """The query string of the list of changed cases (other parameters are ignored)."""

    model_config = ConfigDict(extra="ignore")

    changed_since: Moment = Field(description="Cases changed after this moment.")
    limit: PageSize = Field(DEFAULT_PAGE, description="How many a page holds; default 100.")
    cursor: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="The next_cursor of the page before."
    )


class Response(BaseModel):
    """A response's part, read from the service's read model of the same shape."""

    model_config = ConfigDict(from_attributes=True)


class Deadline(Response):
    name: str
    stage: int
    started_on: date
    due_on: date
    original_due_on: date
    stopped_on: date | None
    status: DeadlineStatus
    paused_working_days: int


class Point(Response):
    """A complaint point, who investigates it, and its finding at each stage."""

    number: int
    description: str
    team: str | None
    officer: str | None
    findings: dict[int, str]


class Case(Response):
    """A case's status, deadlines, points and each stage's outcome."""

    reference: str
    procedure: str
    feedback_type: str
    state: str
    stage: int
    version: int = Field(ge=1)
    received_on: date
    summary: str
    complainant_name: str
    deadlines: list[Deadline]
    points: list[Point]
    outcomes: dict[int, str]


class ChangedCase(Response):
    reference: str
    state: str
    version: int
    updated_at: Annotated[
        datetime,
        PlainSerializer(datetime.isoformat, return_type=str),
        WithJsonSchema({"type": "string", "format": "date-time"}),
    ]


class ChangedPage(Response):
    """A page of changed cases, oldest change first; next_cursor is null on the last."""

    cases: list[ChangedCase]
    next_cursor: str | None


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An error (RFC 9457): `detail` says what to fix, `errors` names each field at fault."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


# Pydantic's own words for what a request may get wrong, in the words of docs/api-errors.md.
MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this request",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "string_unicode": "must not contain a lone surrogate (a broken character)",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "enum": "must be one of {expected}",
    "greater_than_equal": "must be at least {ge}",
    "string_too_long": "must be at most {max_length} characters",
}
NOT_AN_OBJECT = {"model_type", "model_attributes_type", "dict_type"}


def field_problems(error: ValidationError) -> list[FieldProblem]:
    """Each of the error's problems, named by where it is (`categories.2`; '' for the whole
    body), in plain words."""
    problems = []
    for problem in error.errors(include_url=False):
        if problem["type"] in MESSAGES:
            message = MESSAGES[problem["type"]].format(**problem.get("ctx", {}))
        else:
            message = problem["msg"]
        place = problem["loc"]
        if place[-1:] == ("[key]",):  # a name in an object, which may be what cannot be shown
            place, message = place[:-2], f"a name in it {message}"
        where = ".".join(str(part) for part in place)
        if not where and problem["type"] in NOT_AN_OBJECT:
            message = "the body must be a JSON object"
        problems.append(FieldProblem(field=where, message=message))
    return problems
