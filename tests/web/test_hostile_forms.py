"""Hostile input through every staff form: each POST route of the authorisation matrix, its form
read from the page that holds it, and each free-text field in turn sent with each SQL injection
and script payload of test_hostile_input, the other fields valid. None is effective: no request
fails (no 500), no payload comes back as live markup (on the answer, the page it leads to or the
case page), every table of the schema is still there, and a refused form changes no row.

One run sends 275 (route, field, payload) combinations: the 11 payloads in each of 25 free-text
fields of 16 forms. Besides, each of those forms is sent once with its empty fields empty (to
learn which it needs), and the 5 POST routes with no free-text field (a button, or a form its page
shows only in another state) once each with their hidden fields: 296 posts in all. Afterwards every
page of the matrix is read again: no stored payload shows as markup anywhere.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from werkzeug.test import TestResponse

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.models import metadata
from tests.web.conftest import Case, Web
from tests.web.test_authorisation_matrix import ADMIN, MATRIX, Route
from tests.web.test_hostile_input import PAYLOADS, no_markup, tables_intact

POST_ROUTES = tuple(route for route in MATRIX if route.method == "POST")
PAGES = tuple(dict.fromkeys(route.path for route in MATRIX if route.method == "GET"))
SCHEMA = {table.name for table in metadata.sorted_tables}
ANSWERS = (200, 302, 400, 409)
REFUSALS = (400, 409)
DATE_PARTS = ("-day", "-month", "-year")
Data = dict[str, list[str]]


@dataclass
class PostForm:
    """A page's post form, as a browser would send it untouched."""

    action: str
    fixed: list[tuple[str, str]] = field(default_factory=list)  # hidden values, ticked boxes
    options: dict[str, list[str]] = field(default_factory=dict)  # the chosen one first
    dates: dict[str, str] = field(default_factory=dict)  # each day, month and year box
    numbers: dict[str, str] = field(default_factory=dict)
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # name: (kind, value)

    def add_input(self, attrs: dict[str, str]) -> None:
        name, kind, value = attrs.get("name", ""), attrs.get("type", "text"), attrs.get("value", "")
        if not name or kind in ("submit", "button", "reset"):
            return
        if kind == "hidden" or (kind == "checkbox" and "checked" in attrs):
            self.fixed.append((name, value))
        elif kind == "radio":
            self.add_option(name, value, chosen="checked" in attrs)
        elif name.endswith(DATE_PARTS):
            self.dates[name] = value
        elif kind == "number" or attrs.get("inputmode") == "numeric":
            self.numbers[name] = value
        elif kind != "checkbox":
            self.texts[name] = (attrs.get("inputmode") or kind, value)

    def add_option(self, name: str, value: str, *, chosen: bool) -> None:
        options = self.options.setdefault(name, [])
        if value:  # a blank option ("Choose someone") is not a real choice
            options.insert(0 if chosen else len(options), value)


class FormReader(HTMLParser):
    """The forms of a page sent by `method` (post, or get); a form without an action goes to
    the page itself."""

    def __init__(self, page: str, method: str = "post") -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.method = method
        self.forms: list[PostForm] = []
        self._form: PostForm | None = None
        self._select = ""
        self._textarea = ""

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attributes}
        if tag == "form" and attrs.get("method", "get").lower() == self.method:
            self._form = PostForm(urlsplit(attrs.get("action", "")).path or self.page)
        elif self._form is None:
            return
        elif tag == "input":
            self._form.add_input(attrs)
        elif tag == "select":
            self._select = attrs.get("name", "")
            self._form.options[self._select] = []
        elif tag == "option" and self._select:
            self._form.add_option(self._select, attrs.get("value", ""), chosen="selected" in attrs)
        elif tag == "textarea":
            self._textarea = attrs.get("name", "")
            self._form.texts[self._textarea] = ("textarea", "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            kind, value = self._form.texts[self._textarea]
            self._form.texts[self._textarea] = (kind, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = ""
        elif tag == "textarea":
            self._textarea = ""


def shows_no_markup(page: str, sent: str) -> None:
    try:
        no_markup(page)
    except AssertionError as error:
        raise AssertionError(f"live markup after {sent}") from error


def read_form(person: Web, page: str, action: str) -> PostForm | None:
    """The form of `page` that posts to `action`, if the page has one."""
    response = person.get(page)
    if response.status_code != 200 or response.mimetype != "text/html":
        return None
    shows_no_markup(response.text, f"reading {page}")
    reader = FormReader(page)
    reader.feed(response.text)
    return next((form for form in reader.forms if form.action == action), None)


def pages_to_search(route: Route) -> list[str]:
    """The matrix's pages, the route's own first, then the pages its path lies under, nearest
    first (a button's form is on the page of what it acts on), then the rest."""
    return sorted(PAGES, key=lambda page: (not route.path.startswith(page), -len(page)))


def find_form(person: Web, route: Route, case: Case) -> tuple[str, PostForm] | None:
    """The page holding the route's form, and the form."""
    action = case.fill(route.path)
    for page in (case.fill(page) for page in pages_to_search(route)):
        form = read_form(person, page, action)
        if form is not None:
            return page, form
    return None


def filler(kind: str, serial: int) -> str:
    """A valid value for a free-text field left empty on the page (unique, as usernames are)."""
    return {
        "email": f"filler{serial}@example.org",
        "password": f"a-long-filler-password-{serial}",
        "decimal": "150",
    }.get(kind, f"filler{serial}")


def date_part(name: str, day: date) -> str:
    """The box `name` (`received-day`, say) of the date `day`."""
    parts = zip(DATE_PARTS, (day.day, day.month, day.year), strict=True)
    return next(str(number) for suffix, number in parts if name.endswith(suffix))


def filled_in(form: PostForm, today: date, typed: dict[str, str], turn: int = 0) -> Data:
    """What the browser sends once `typed` is typed into the form's free-text fields, the option
    number `turn` of each list is chosen (counting round from the one shown chosen), and every
    other field is left as shown, or given a valid value if it is empty."""
    data: Data = {}
    for name, value in form.fixed:
        data.setdefault(name, []).append(value)
    data |= {
        name: [options[turn % len(options)]] for name, options in form.options.items() if options
    }
    data |= {name: [value or date_part(name, today)] for name, value in form.dates.items()}
    data |= {name: [value or "1"] for name, value in form.numbers.items()}
    return data | {name: [text] for name, text in typed.items()}


def texts_as_shown(form: PostForm, needed: Iterable[str], turn: int) -> dict[str, str]:
    """The form's free text as shown, with the empty fields in `needed` filled in validly."""
    return {
        name: value or (filler(kind, turn) if name in needed else "")
        for name, (kind, value) in form.texts.items()
    }


@dataclass(frozen=True)
class Target:
    """A form's action, who sends it, and the case page, to look at once the form is accepted."""

    person: Web
    ctx: Context
    action: str
    case_page: tuple[str, ...]

    def post(self, data: Data, sent: str) -> TestResponse:
        """Post `data`, and check that nothing took effect but what an accepted form does."""
        before = tables_intact(self.ctx)
        response = self.person.post(self.action, data)
        assert response.status_code in ANSWERS, f"{sent}: {response.status_code}"
        shows_no_markup(response.text, sent)
        after = tables_intact(self.ctx)
        assert set(after) == SCHEMA, sent
        if response.status_code in REFUSALS:
            assert after == before, f"{sent}: refused, yet rows changed"
        if response.status_code == 302:
            location = urlsplit(response.headers["Location"])
            led_to = f"{location.path}?{location.query}".rstrip("?")
            for page in dict.fromkeys((led_to, *self.case_page)):
                shown = self.person.get(page)
                assert shown.status_code == 200, f"{sent}: {page} answered {shown.status_code}"
                shows_no_markup(shown.text, sent)
        return response


def needed_texts(response: TestResponse, form: PostForm) -> set[str]:
    """The free-text fields the error summary of `response` points to."""
    return {name for name in form.texts if f'href="#{name}"' in response.text}


def send_payloads(target: Target, page: str, form: PostForm, today: date) -> None:
    """Each payload in each free-text field of the form on `page`, the others valid."""
    # Sent first with its empty fields left empty: its error summary names the ones it needs.
    blank = target.post(filled_in(form, today, texts_as_shown(form, (), 0)), "the form blank")
    needed = needed_texts(blank, form)
    turns = itertools.count(1)
    for name, payload in itertools.product(list(form.texts), PAYLOADS):
        # Read afresh each time: an accepted change moves the case to a new version. The lists'
        # options are taken in turn, so that a refusal to record the same thing twice (the same
        # remedy at a stage, say) does not turn every payload after the first away.
        form = read_form(target.person, page, target.action) or form
        turn = next(turns)
        typed = texts_as_shown(form, needed, turn) | {name: payload}
        target.post(filled_in(form, today, typed, turn), f"{name}={payload!r}")


def every_page_shows_no_markup(person: Web, case: Case, sent: str) -> None:
    """No page of the matrix shows live markup; but a letter, which is HTML its template's
    author wrote, served sandboxed (no script runs in it)."""
    for page in (case.fill(page) for page in PAGES):
        response = person.get(page)
        sandboxed = "sandbox" in response.headers.get("Content-Security-Policy", "")
        if response.mimetype == "text/html" and not sandboxed:
            shows_no_markup(response.text, f"{sent}, on {page}")


@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda route: f"{route.endpoint}:{route.path}")
def test_each_field_of_each_form_takes_payloads_as_text(
    staff: Context, clock: SettableClock, web: Callable[[str], Web], case: Case, route: Route
) -> None:
    assert ADMIN in route.roles  # the administrator may use every form
    person = web("admin")
    case_page = (f"/cases/{case.ref}",) if route.of_a_case else ()
    target = Target(person, staff, case.fill(route.path), case_page)
    found = find_form(person, route, case)
    if found is not None and found[1].texts:
        send_payloads(target, *found, clock.today())
    else:
        # A button, or a form its page shows only in another state: sent with its hidden fields.
        target.post(filled_in(found[1], clock.today(), {}) if found else {}, "the form as it is")
    every_page_shows_no_markup(person, case, f"what was sent to {route.endpoint}")
