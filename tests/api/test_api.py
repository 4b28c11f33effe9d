"""The JSON API: tokens and scopes, every route, bad bodies answered as problem+json with
nothing written, and the OpenAPI document checked against the running API by schemathesis."""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from typing import Any

import pytest
import schemathesis
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from sqlmodel import func, select

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.db import DatabaseError
from complaints.errors import DomainError
from complaints.models import FeedbackCase
from complaints.services.cases import show_case
from complaints.services.integrations import SCOPES, add_token, revoke_token
from tests.support import (
    audit_count,
    ready_for_response,
    sign_off_draft,
    version_of,
    web_app,
)
from web.api import register_api

TODAY = date(2026, 11, 23)
SINCE = "changed_since=2026-11-01T00:00:00Z"
CURSOR_TOO_FAR = base64.urlsafe_b64encode(b"9999-12-31T23:59:59-23:59|1").decode()
CURSOR_OVERFLOWS = base64.urlsafe_b64encode(b"2026-11-01T00:00:00+00:00|" + b"9" * 30).decode()
NEW = {
    "procedure": "corporate",
    "feedback_type": "complaint",
    "summary": "Bins not collected",
    "complainant_name": "Priya Shah",
    "complainant_email": "priya@example.org",
}


@pytest.fixture
def app(council: Context, clock: SettableClock) -> Flask:
    clock.set(TODAY)
    app = Flask("api-tests")
    app.extensions["complaints"] = council
    register_api(app)
    return app


@pytest.fixture
def staff_app(council: Context, clock: SettableClock) -> Flask:
    """The whole web app, whose pages have their own error handlers, with the API in it."""
    clock.set(TODAY)
    return web_app(council)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def token(council: Context) -> str:
    return add_token(council, "portal", SCOPES, acts_as="off", by="admin")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def case_with_a_finding(council: Context, client: FlaskClient, token: str) -> str:
    """A case logged through the API, acknowledged, with one point upheld; its reference."""
    reference = str(
        (client.post("/api/v1/feedback", json=NEW, headers=bearer(token)).json or {})["reference"]
    )
    ready_for_response(council, reference, points={"Bins missed": "upheld"}, investigator="off")
    return reference


def cases(ctx: Context) -> int:
    with ctx.database.reader() as session:
        return int(session.exec(select(func.count()).select_from(FeedbackCase)).one())


def test_feedback_is_created_and_its_status_read(client: FlaskClient, token: str) -> None:
    created = client.post("/api/v1/feedback", json=NEW, headers=bearer(token))

    assert created.status_code == 201, created.json
    body = created.json or {}
    assert (body["reference"], body["state"], body["received_on"]) == (
        "CF-2026-000001", "received", "2026-11-23"
    )  # fmt: skip
    assert created.headers["Location"] == "/api/v1/cases/CF-2026-000001"
    status = client.get(created.headers["Location"], headers=bearer(token))
    assert status.status_code == 200
    assert "acknowledgement" in [d["name"] for d in (status.json or {})["deadlines"]]


def test_a_trigger_moves_the_case_and_a_stale_version_is_a_conflict(
    client: FlaskClient, token: str
) -> None:
    client.post("/api/v1/feedback", json=NEW, headers=bearer(token))
    url = "/api/v1/cases/CF-2026-000001/triggers/acknowledge"

    moved = client.post(url, json={"expected_version": 1}, headers=bearer(token))
    assert moved.status_code == 200 and (moved.json or {})["state"] == "stage1_investigating"

    again = client.post(
        "/api/v1/cases/CF-2026-000001/triggers/withdraw",
        json={"expected_version": 1, "values": {"reason": "sorted"}},
        headers=bearer(token),
    )
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"


def test_cases_changed_since_a_moment_come_a_page_at_a_time(
    client: FlaskClient, token: str, clock: SettableClock
) -> None:
    for _ in range(5):
        client.post("/api/v1/feedback", json=NEW, headers=bearer(token))
    seen: list[str] = []
    url = "/api/v1/cases?changed_since=2026-11-01T00:00:00Z&limit=2"
    while url:
        page = client.get(url, headers=bearer(token)).json or {}
        seen += [case["reference"] for case in page["cases"]]
        cursor = page["next_cursor"]
        url = (
            f"/api/v1/cases?changed_since=2026-11-01T00:00:00Z&limit=2&cursor={cursor}"
            if cursor
            else ""
        )
    assert seen == [f"CF-2026-00000{n}" for n in range(1, 6)]
    later = client.get("/api/v1/cases?changed_since=2026-12-01T00:00:00Z", headers=bearer(token))
    assert (later.json or {})["cases"] == []


@pytest.mark.parametrize(
    ("headers", "status", "detail"),
    [
        ({}, 401, "send the token as 'Authorization: Bearer <token>'"),
        ({"Authorization": "Bearer cmp_nope"}, 401, "the token is not known"),
        ({"Authorization": "Basic abc"}, 401, "send the token"),
    ],
)
def test_no_or_a_wrong_token_is_refused(
    client: FlaskClient, token: str, headers: dict[str, str], status: int, detail: str
) -> None:
    response = client.get("/api/v1/cases/CF-2026-000001", headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert detail in (response.json or {})["detail"]
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="complaints"'


def test_a_token_without_the_scope_or_revoked_is_refused(
    client: FlaskClient, council: Context
) -> None:
    reader = add_token(council, "dashboard", ["cases:read"], acts_as="off", by="admin")
    refused = client.post("/api/v1/feedback", json=NEW, headers=bearer(reader))
    assert refused.status_code == 403
    assert "does not have the scope feedback:create" in (refused.json or {})["detail"]
    revoke_token(council, "dashboard", by="admin")
    revoked = client.get("/api/v1/cases/CF-2026-000001", headers=bearer(reader))
    assert revoked.status_code == 401 and "revoked" in (revoked.json or {})["detail"]
    assert cases(council) == 0


@pytest.mark.parametrize(
    ("send", "status", "fragment"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, "not valid JSON"),
        ({"data": "procedure=corporate", "content_type": "text/plain"}, 415, "application/json"),
        ({"json": ["a list"]}, 422, "the body must be a JSON object"),
        ({"json": NEW | {"colour": "red"}}, 422, "colour: is not a field of this request"),
        ({"json": NEW | {"is_child": "yes"}}, 422, "is_child: must be true or false"),
        ({"json": NEW | {"received_on": "23/11/2026"}}, 422, "must be a date written YYYY-MM-DD"),
        ({"json": NEW | {"received_on": "2026-12-25"}}, 422, "is in the future"),
        ({"json": NEW | {"summary": "x" * 10_001}}, 422, "at most 10000 characters"),
        ({"json": NEW | {"summary": "a\x00b"}}, 422, "must not contain a NUL"),
        ({"json": NEW | {"procedure": "parking"}}, 422, "procedure: must be one of"),
        ({"json": {"summary": "no more"}}, 422, "procedure: is required"),
        ({"json": NEW | {"complainant_email": "nope"}}, 422, "is not an e-mail address"),
        ({"json": NEW | {"summary": "y" * 70_000}}, 413, "at most 65536 bytes"),
        (
            {"json": NEW | {"summary": "a\ud800b"}},
            422,
            "summary: must not contain a lone surrogate",
        ),
        ({"json": NEW | {"complainant_name": "\udfff"}}, 422, "must not contain a lone surrogate"),
        ({"json": NEW | {"categories": ["\udc00"]}}, 422, "must not contain a lone surrogate"),
        ({"json": NEW | {"received_on": "0001-01-01"}}, 422, "from 1900-01-01 to 2199-12-31"),
        ({"json": NEW | {"matter_date": "9999-12-31"}}, 422, "from 1900-01-01 to 2199-12-31"),
    ],
)
def test_bad_bodies_are_explained_and_nothing_is_written(
    client: FlaskClient, council: Context, token: str, send: dict[str, Any], status: int,
    fragment: str,
) -> None:  # fmt: skip
    events = audit_count(council)
    response = client.post("/api/v1/feedback", headers=bearer(token), **send)
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    assert fragment in json.dumps(response.json)
    assert cases(council) == 0 and audit_count(council) == events


def test_a_lone_surrogate_in_a_step_s_values_is_refused_before_the_database(
    client: FlaskClient, council: Context, token: str
) -> None:
    client.post("/api/v1/feedback", json=NEW, headers=bearer(token))
    events = audit_count(council)
    url = "/api/v1/cases/CF-2026-000001/triggers/withdraw"
    for values in ({"reason": "gone \ud800"}, {"\ud800": "gone"}):
        body = {"values": values, "expected_version": 1}
        response = client.post(url, json=body, headers=bearer(token))
        assert response.status_code == 422, response.json
        assert "lone surrogate" in (response.json or {})["detail"]
    assert audit_count(council) == events


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("limit=²", "limit: must be a whole number from 1 to 500"),
        ("limit=٣", "limit: must be a whole number from 1 to 500"),
        ("limit=-1", "limit: must be a whole number from 1 to 500"),
        (f"cursor={CURSOR_TOO_FAR}", "the cursor is not one this API gave"),
        (f"cursor={CURSOR_OVERFLOWS}", "the cursor is not one this API gave"),
    ],
)
def test_a_page_size_or_cursor_it_cannot_take_is_a_problem_not_a_crash(
    client: FlaskClient, token: str, query: str, fragment: str
) -> None:
    response = client.get(f"/api/v1/cases?{SINCE}&{query}", headers=bearer(token))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert fragment in (response.json or {})["detail"]


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00%2B23:59"])
def test_a_moment_outside_the_calendar_s_years_is_refused(
    client: FlaskClient, token: str, since: str
) -> None:
    response = client.get(f"/api/v1/cases?changed_since={since}", headers=bearer(token))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "from 1900-01-01 to 2199-12-31" in (response.json or {})["detail"]


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (RuntimeError("the secret inner workings"), 500, "it has been logged; nothing was changed"),
        (DatabaseError("the database is not answering"), 503, "the database is not answering"),
    ],
)
def test_a_fault_on_our_side_is_a_problem_without_its_details_and_is_logged(
    staff_app: Flask,
    token: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    status: int,
    detail: str,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("web.api.show_case", broken)
    response = staff_app.test_client().get("/api/v1/cases/CF-2026-000001", headers=bearer(token))
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert detail in (response.json or {})["detail"] and "secret" not in response.text
    assert str(error) in caplog.text  # the whole story, for the logs only


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nowhere", 404),
        ("DELETE", "/api/v1/feedback", 405),
        ("GET", "/api/v1", 404),
        ("GET", "/api/v1/cases/CF%00", 404),  # a NUL, which PostgreSQL refuses in a query
    ],
)
def test_an_address_or_method_the_api_does_not_have_is_a_problem(
    staff_app: Flask, method: str, path: str, status: int
) -> None:
    response = staff_app.test_client().open(path, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert (response.json or {})["status"] == status


def test_script_in_text_is_stored_as_text_and_returned_escaped_by_json(
    client: FlaskClient, token: str
) -> None:
    payload = NEW | {"summary": "<script>alert('x')</script>"}
    created = client.post("/api/v1/feedback", json=payload, headers=bearer(token))
    assert (created.json or {})["summary"] == "<script>alert('x')</script>"
    assert created.mimetype == "application/json"


def test_unknown_cases_and_triggers(client: FlaskClient, token: str) -> None:
    missing = client.get("/api/v1/cases/CF-1999-000001", headers=bearer(token))
    assert missing.status_code == 404
    client.post("/api/v1/feedback", json=NEW, headers=bearer(token))
    unknown = client.post(
        "/api/v1/cases/CF-2026-000001/triggers/fly",
        json={"expected_version": 1},
        headers=bearer(token),
    )
    assert unknown.status_code == 422 and "fly" in (unknown.json or {})["detail"]
    unsaid = client.post(
        "/api/v1/cases/CF-2026-000001/triggers/withdraw",
        json={"values": {"reason": "sorted"}},
        headers=bearer(token),
    )
    assert unsaid.status_code == 422
    assert "expected_version" in str(unsaid.json), "a change must say which version it changes"


def test_only_an_administrator_makes_tokens_and_scopes_are_checked(council: Context) -> None:
    with pytest.raises(DomainError, match="an officer cannot give an integration access"):
        add_token(council, "x", ["cases:read"], acts_as="off", by="off")
    with pytest.raises(DomainError, match="scopes must be some of"):
        add_token(council, "x", ["cases:delete"], acts_as="off", by="admin")


def test_the_openapi_document_describes_the_api(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json or {}
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/api/v1/openapi.json",
        "/api/v1/feedback",
        "/api/v1/cases",
        "/api/v1/cases/{reference}",
        "/api/v1/cases/{reference}/triggers/{trigger}",
    }
    new_feedback = document["components"]["schemas"]["NewFeedback"]
    assert new_feedback["additionalProperties"] is False
    assert set(new_feedback["required"]) == {
        "procedure",
        "feedback_type",
        "summary",
        "complainant_name",
    }


def test_every_route_of_the_api_is_in_its_document_and_every_documented_route_exists(
    staff_app: Flask,
) -> None:
    served = {
        (re.sub(r"<([^>]+)>", r"{\1}", rule.rule), method.lower())
        for rule in staff_app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }
    document = staff_app.test_client().get("/api/v1/openapi.json").json or {}
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    assert served == documented
    assert len(served) == 5


def test_each_problem_in_a_body_is_named_by_where_it_is(client: FlaskClient, token: str) -> None:
    body = NEW | {"categories": ["Bins", 7], "is_child": "yes", "colour": "red"}
    response = client.post("/api/v1/feedback", json=body, headers=bearer(token))
    assert response.status_code == 422
    assert (response.json or {})["errors"] == [
        {"field": "is_child", "message": "must be true or false"},
        {"field": "categories.1", "message": "must be text"},
        {"field": "colour", "message": "is not a field of this request"},
    ]
    step = client.post(
        "/api/v1/cases/CF-2026-000001/triggers/withdraw",
        json={"values": {"reason": "x" * 10_001}, "expected_version": 0},
        headers=bearer(token),
    )
    assert (step.json or {})["errors"] == [
        {"field": "values.reason", "message": "must be at most 10000 characters"},
        {"field": "expected_version", "message": "must be at least 1"},
    ]


def test_contact_details_are_checked_by_field_and_stored_in_their_normal_form(
    client: FlaskClient, council: Context, token: str
) -> None:
    bad = NEW | {"complainant_phone": "ring the office", "complainant_email": "priya at home"}
    refused = client.post("/api/v1/feedback", json=bad, headers=bearer(token))
    assert refused.status_code == 422
    assert [problem["field"] for problem in (refused.json or {})["errors"]] == [
        "complainant_email",
        "complainant_phone",
    ]
    assert cases(council) == 0
    good = NEW | {"complainant_phone": "+44 (0)1234-567-890", "complainant_email": "P@Example.ORG"}
    created = client.post("/api/v1/feedback", json=good, headers=bearer(token))
    assert created.status_code == 201
    with council.database.reader() as session:
        case = session.exec(select(FeedbackCase)).one()
    assert (case.complainant_phone, case.complainant_email) == ("01234 567890", "P@example.org")


def test_a_case_comes_back_as_the_command_line_prints_it(
    council: Context, client: FlaskClient, token: str
) -> None:
    reference = case_with_a_finding(council, client, token)
    answer = client.get(f"/api/v1/cases/{reference}", headers=bearer(token)).json or {}
    printed = json.dumps(show_case(council, reference, by="off").as_json())  # as the CLI does
    assert answer == json.loads(printed)
    assert answer["outcomes"] == {"1": "upheld"} and answer["points"][0]["findings"] == {
        "1": "upheld"
    }


def test_the_api_keeps_to_its_openapi_document(app: Flask, token: str) -> None:
    """schemathesis draws requests from the document for every operation (valid and not) and
    checks each response against it: status codes, content types and bodies as documented, and
    no server errors."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.label for operation in operations} >= {
        "POST /api/v1/feedback",
        "GET /api/v1/cases",
        "GET /api/v1/cases/{reference}",
        "POST /api/v1/cases/{reference}/triggers/{trigger}",
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, derandomize=True,
            suppress_health_check=list(HealthCheck), database=None,
        )  # fmt: skip
        def keeps_to_the_document(case: Any) -> None:
            # A request the schema allows may still break a rule only the product knows (a
            # received date in the future, a team that does not exist, a cursor it never gave):
            # that is a documented 422, so "schema-valid means accepted" is not checked.
            case.call_and_validate(
                headers=bearer(token),
                excluded_checks=[schemathesis.checks.positive_data_acceptance],
            )

        keeps_to_the_document()


def test_the_token_commands(council: Context) -> None:
    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["api", "token", *args], obj={"context": council})

    made = run("add", "portal", "--scope", "cases:read", "--as", "off", "--by", "admin")
    assert made.exit_code == 0, made.output
    assert made.stdout.startswith("cmp_") and "shown once" in made.stderr
    assert "portal                   active   as off" in run("list").output
    assert run("revoke", "portal", "--by", "admin").exit_code == 0
    assert "revoked" in run("list").output
    unknown = run("add", "x", "--scope", "cases:delete", "--as", "off", "--by", "admin")
    assert unknown.exit_code == 2


def test_a_response_cannot_be_sent_through_the_api_without_its_signed_off_letter(
    council: Context, client: FlaskClient, token: str
) -> None:
    reference = case_with_a_finding(council, client, token)
    sign_off_draft(council, reference, by="off")
    events = audit_count(council)
    sent = client.post(
        f"/api/v1/cases/{reference}/triggers/send_response",
        json={"expected_version": version_of(council, reference)},
        headers=bearer(token),
    )
    assert sent.status_code == 422 and sent.mimetype == "application/problem+json"
    assert "by sending the signed-off stage1 response letter" in (sent.json or {})["detail"]
    assert audit_count(council) == events
