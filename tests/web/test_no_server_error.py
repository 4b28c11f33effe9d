"""No input is a server error: every route of the app, read from its URL map (so a route added
later is covered without a line here), is sent hypothesis text rich in what breaks parsers, and
never answers 500.

A route's path is filled with the real values of the `case` fixture's case (now and then with
odd text instead); its query string or form, read from its pages as a browser would send it, is
sent valid but for a few fields given odd text (few, so that the odd one can reach the service);
the API's parameters and bodies are read from its OpenAPI document in the same way. Odd text is
drawn from Unicode's digits and other numerals (Nd, No, Nl: '²', '٣', 'Ⅻ'), lone surrogates (Cs),
control characters (NUL among them), CR/LF, huge numbers, 1e999, and dates in years 1 and 9999.
Text is sent as it would arrive: form fields, query strings and paths as percent-encoded UTF-8 (a
surrogate so becomes bytes that are not UTF-8), JSON with \\udXXX escapes. Every answer is below
500; the API's errors are problem+json; a refused post (4xx) changes nothing in the audit trail.
Each example signs in as an administrator or a manager. CI runs it on SQLite and PostgreSQL,
which refuses a NUL even in a query.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from complaints.alerts.jobs import record_job
from complaints.clock import SettableClock
from complaints.config import DEFAULT_CONFIG_PATH, load_settings
from complaints.context import Context
from complaints.db import Database
from complaints.services.integrations import SCOPES, add_token
from tests.api.test_api import NEW
from tests.conftest import DEFAULT_TODAY
from tests.support import audit_count, web_app
from tests.web.conftest import Case, Web
from tests.web.test_hostile_forms import FormReader, PostForm, date_part, filler, read_form
from web import api
from web.api_document import openapi_document

FILES = {"static", "govuk_assets"}  # files from disk, not views
API = "/api/v1/"
PROBLEM = "application/problem+json"
# Each path argument's real value ({ref}, {letter}, {action}, {lgsco}: of the case). A route with
# an argument not named here fails test_every_path_argument_has_a_real_value.
PATH_VALUES = {
    "reference": "{ref}",
    "letter_id": "{letter}",
    "action_id": "{action}",
    "ombudsman_reference": "{lgsco}",
    "number": "1",
    "trigger": "escalate_to_lgsco",
    "step": "response",
    "template": "acknowledgement",
    "name": "acknowledgement",
    "move": "submit",
    "username": "off2",
    "kind": "team",
    "entry_id": "1",
    "change": "withdraw",
    "procedure": "corporate",
    "file_format": "csv",
}
PEOPLE = ("admin", "csmgr")  # an administrator, and the manager of the case's team
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

EXTREMES = (
    "1e999", "-1e999", "NaN", "Infinity", "sNaN", "9" * 30, "9" * 5000, "-1", "0", "00",
    "0001", "9999", "0000", "0001-01-01", "9999-12-31", "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59", "\r\n", "a\r\nSet-Cookie: x=y", "\x00", "²", "٣", "Ⅻ", "１２",
    "1_000", "+5", " 7 ",
)  # fmt: skip
# Numerals a parser may half-take: '²' and '①' (No) pass str.isdigit() yet int() refuses them;
# '٣' (Nd) int() reads as 3; 'Ⅻ' (Nl) is neither. Drawn mixed with 0 to 9.
DIGITS_INT_REFUSES = "".join(
    c for c in map(chr, range(0x30000)) if c.isdigit() and not c.isdecimal()
)
numerals = st.text(
    st.one_of(
        st.sampled_from(DIGITS_INT_REFUSES),
        st.characters(categories=["Nd", "No", "Nl"]),
        st.sampled_from("0123456789"),
    ),
    min_size=1,
    max_size=4,
)
ODD_CHARACTERS = st.characters(categories=["Nd", "No", "Nl", "Cs", "Cc", "Zs"])
odd_text = st.one_of(
    numerals,
    st.sampled_from(EXTREMES),
    st.text(ODD_CHARACTERS, min_size=1, max_size=12),
    st.text(max_size=30),
)
# A JSON value, written as the API would receive it: text with its surrogates as \udXXX escapes,
# and number literals Python reads as infinity or as integers no column holds.
JSON_LITERALS = ("1e999", "-1e999", "9" * 40, "-1", "0", "NaN", "Infinity", "null", "true", "[]")
odd_json = st.one_of(
    odd_text.map(json.dumps),
    st.sampled_from(JSON_LITERALS),
    st.lists(odd_text, max_size=3).map(json.dumps),
    st.dictionaries(odd_text, odd_text, max_size=2).map(json.dumps),
)
# A cursor as the API's are made (base64 of 'moment|id'), of odd parts.
odd_cursor = st.tuples(odd_text, odd_text).map(
    lambda parts: base64.urlsafe_b64encode(
        "|".join(parts).encode("utf-8", "surrogatepass")
    ).decode()
)


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    rule: str  # werkzeug's, e.g. /cases/<reference>/points/<int:number>/finding
    arguments: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.rule.startswith(API)

    def path(self, values: dict[str, str]) -> str:
        """The rule with each argument replaced, percent-encoded, by its value in `values`."""
        return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: send(values[m[1]]), self.rule)


def every_route() -> list[Route]:
    """Every view of the app, with each method it answers (an app on no database: building it
    touches none)."""
    settings = load_settings(DEFAULT_CONFIG_PATH, environ={})
    app = web_app(Context(settings, SettableClock(DEFAULT_TODAY), Database("sqlite://")))
    return [
        Route(rule.endpoint, method, rule.rule, tuple(rule.arguments))
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in FILES
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]


ROUTES = every_route()


def send(text: str) -> str:
    """`text` percent-encoded as a browser sends it: UTF-8, a lone surrogate included (as the
    bytes UTF-8 would give it, which are not valid UTF-8)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def encoded(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{send(name)}={send(value)}" for name, value in pairs)


@dataclass
class Fields:
    """What a route is sent besides its path: each field's valid values (none: the field is
    left out unless odd text is drawn for it)."""

    valid: dict[str, list[str]] = field(default_factory=dict)

    def strategy(self) -> st.SearchStrategy[list[tuple[str, str]]]:
        """Every field valid (or left out), but for a few given odd text; and now and then a
        stray field of odd name. Few, so that the rest can let the odd one reach the service."""
        valid = st.fixed_dictionaries(
            {name: st.sampled_from(values) for name, values in self.valid.items() if values}
        )
        odd = st.dictionaries(st.sampled_from(sorted(self.valid)), odd_text, min_size=1, max_size=3)
        strays = st.lists(st.tuples(odd_text, odd_text), max_size=1)
        return st.tuples(valid, odd if self.valid else st.just({}), strays).map(
            lambda drawn: list((drawn[0] | drawn[1]).items()) + drawn[2]
        )


def of_form(form: PostForm, today: date) -> Fields:
    """A page's form, each field with the values a person could choose or type."""
    fields = Fields()
    for name, value in form.fixed:
        fields.valid.setdefault(name, []).append(value)
    fields.valid |= form.options
    fields.valid |= {name: [value or date_part(name, today)] for name, value in form.dates.items()}
    fields.valid |= {name: [value or "1"] for name, value in form.numbers.items()}
    fields.valid |= {name: [value or filler(kind, 1)] for name, (kind, value) in form.texts.items()}
    fields.valid.pop("csrf_token", None)  # always sent, valid: without it nothing is read
    return fields


def of_links(page: str, text: str) -> Fields:
    """The query strings of the page's links back to itself (pagination, say)."""
    fields = Fields()
    for href in re.findall(r'href="([^"]*)"', text):
        link = urlsplit(html.unescape(href))
        if link.path == page:
            for name, value in parse_qsl(link.query):
                fields.valid.setdefault(name, []).append(value)
    return fields


@dataclass
class Site:
    """The app as the route's examples see it: people signed in, the case, the API's token."""

    app: Flask
    ctx: Context
    case: Case
    people: dict[str, Web]
    token: str
    addresses: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def fill(self, route: Route) -> dict[str, str]:
        return {name: self.case.fill(PATH_VALUES[name]) for name in route.arguments}

    def pages(self) -> list[str]:
        """Every page of the app, at its real path."""
        return [r.path(self.fill(r)) for r in ROUTES if r.method == "GET" and not r.is_api]

    def fields(self, route: Route, path: str, today: date) -> Fields:
        """The route's query string (GET) or form (POST), read from the app's pages."""
        # The administrator sees every page and form; signed out, the sign-in page.
        readers = [self.people["admin"], Web(self.app.test_client())]
        if route.method == "GET":
            for person in readers:
                shown = person.get(path)
                if shown.status_code == 200 and shown.mimetype == "text/html":
                    reader = FormReader(path, "get")
                    reader.feed(shown.text)
                    found = [of_form(form, today) for form in reader.forms if form.action == path]
                    return merged([of_links(path, shown.text), *found])
            return Fields()
        nearest_first = sorted(self.pages(), key=lambda p: (not path.startswith(p), -len(p)))
        for page, person in itertools.product(nearest_first, readers):
            form = read_form(person, page, path)
            if form is not None:
                return of_form(form, today)
        return Fields()

    def request(
        self, route: Route, path: str, pairs: list[tuple[str, str]], who: str
    ) -> TestResponse:
        client = self.people[who].client
        address = next(self.addresses)  # each its own: the public form allows a few an address
        environ = {"REMOTE_ADDR": f"10.7.{address // 250}.{address % 250 + 1}"}
        if route.method == "GET":
            return client.get(path, query_string=encoded(pairs), environ_base=environ)
        token = [("csrf_token", csrf_token(self.people[who]))]
        return client.open(
            path,
            method=route.method,
            data=encoded(token + pairs),
            content_type="application/x-www-form-urlencoded",
            environ_base=environ,
        )


def merged(all_fields: list[Fields]) -> Fields:
    together = Fields()
    for fields in all_fields:
        for name, values in fields.valid.items():
            together.valid.setdefault(name, []).extend(values)
    return together


def csrf_token(person: Web) -> str:
    if not person.token:
        found = re.search(r'name="csrf_token" value="([^"]+)"', person.get("/my-work").text)
        assert found is not None, "no form token on the page"
        person.token = found[1]
    return person.token


def path_values(site: Site, route: Route) -> st.SearchStrategy[dict[str, str]]:
    """The route's real path values, each now and then (one time in four) odd text."""
    return st.fixed_dictionaries(
        {name: now_and_then_odd(value) for name, value in site.fill(route).items()}
    )


def now_and_then_odd(value: str) -> st.SearchStrategy[str]:
    return st.integers(0, 3).flatmap(lambda n: odd_text if n == 0 else st.just(value))


@pytest.fixture
def site(staff: Context, case: Case) -> Site:
    app = web_app(staff)
    people = {}
    for username in PEOPLE:
        people[username] = Web(app.test_client())
        assert people[username].sign_in(username).status_code == 302
    token = add_token(staff, "fuzz", SCOPES, acts_as="admin", by="admin")
    # The deadlines were swept just now, so /health is healthy: a late sweep is a 503 by design.
    record_job(staff, "sweep", last_succeeded_at=staff.clock.now())
    return Site(app, staff, case, people, token)


def test_every_path_argument_has_a_real_value() -> None:
    assert {name for route in ROUTES for name in route.arguments} <= set(PATH_VALUES)


def check(response: TestResponse, sent: str) -> None:
    assert response.status_code < 500, f"{sent}: {response.status_code}"


def fuzz(site: Site, route: Route, today: date) -> None:
    """The route sent odd input FUZZ's number of times, as one of PEOPLE each time."""
    fields = site.fields(route, route.path(site.fill(route)), today)

    @FUZZ
    @given(values=path_values(site, route), pairs=fields.strategy(), who=st.sampled_from(PEOPLE))
    def sent(values: dict[str, str], pairs: list[tuple[str, str]], who: str) -> None:
        path = route.path(values)
        events = audit_count(site.ctx)
        response = site.request(route, path, pairs, who)
        check(response, f"{route.method} {path}?{encoded(pairs)} as {who}")
        if route.method == "POST" and 400 <= response.status_code < 500:
            assert audit_count(site.ctx) == events, f"refused, yet written: {path}"

    sent()


def test_no_page_answers_500(site: Site, clock: SettableClock) -> None:
    """Every page in turn, on one database: reading a page changes nothing."""
    events = audit_count(site.ctx)
    for route in (r for r in ROUTES if r.method == "GET" and not r.is_api):
        fuzz(site, route, clock.today())
    assert audit_count(site.ctx) == events


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.method != "GET" and not r.is_api],
    ids=lambda r: f"{r.method} {r.endpoint}",
)
def test_no_form_answers_500_and_a_refused_one_changes_nothing(
    site: Site, clock: SettableClock, route: Route
) -> None:
    fuzz(site, route, clock.today())


def api_operation(route: Route) -> dict[str, Any]:
    """The route's operation in the OpenAPI document (an API route missing from it fails)."""
    template = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", route.rule)
    return dict(openapi_document(api.ROUTES)["paths"][template][route.method.lower()])


API_VALID = {"changed_since": ["2026-11-01T00:00:00Z"], "limit": ["1", "100"]}
API_BODIES = {"NewFeedback": NEW, "FireTrigger": {}}


def json_body(schema: str) -> st.SearchStrategy[str]:
    """A body of the schema, valid (API_BODIES) but for a few properties given odd JSON; or not
    an object at all."""
    properties = sorted(openapi_document(api.ROUTES)["components"]["schemas"][schema]["properties"])
    valid = {name: json.dumps(value) for name, value in API_BODIES[schema].items()}
    odd = st.dictionaries(st.sampled_from(properties), odd_json, min_size=1, max_size=3)
    objects = odd.map(
        lambda drawn: (
            "{" + ",".join(f"{json.dumps(n)}:{v}" for n, v in (valid | drawn).items()) + "}"
        )
    )
    return st.one_of(objects, odd_json)


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.is_api], ids=lambda r: f"{r.method} {r.endpoint}"
)
def test_no_api_request_answers_500_and_every_error_is_a_problem(site: Site, route: Route) -> None:
    operation = api_operation(route)
    query = {
        parameter["name"]: st.one_of(
            st.sampled_from(API_VALID.get(parameter["name"], [""])), odd_text, odd_cursor
        )
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = content.get("schema", {}).get("$ref", "").rpartition("/")[2]
    bodies = json_body(schema) if schema else st.just("")
    client = site.app.test_client()
    headers = {"Authorization": f"Bearer {site.token}"}

    @FUZZ
    @given(values=path_values(site, route), params=st.fixed_dictionaries(query), body=bodies)
    def sent(values: dict[str, str], params: dict[str, str], body: str) -> None:
        path = route.path(values)
        events = audit_count(site.ctx)
        response = client.open(
            path,
            method=route.method,
            query_string=encoded([(n, v) for n, v in params.items() if v]),
            data=body.encode("utf-8", "surrogatepass"),
            content_type="application/json",
            headers=headers,
        )
        check(response, f"{route.method} {path} {params} {body[:200]!r}")
        if response.status_code >= 400:
            assert response.mimetype == PROBLEM, f"{path}: {response.mimetype}"
            if route.method == "POST":
                assert audit_count(site.ctx) == events, f"refused, yet written: {path}"

    sent()
