"""End to end in a real browser (Debian's chromium through Playwright, headless): an officer
logs a complaint and acknowledges it, a QA practitioner drafts the response, a manager approves
it and the officer sends it; the dashboard shows a case overdue once the clock has moved on;
axe-core finds no WCAG 2.2 AA violation on the main pages. Screenshots of the pages are saved
under test-artefacts/ (not committed).

These tests need /usr/bin/chromium (`make test` installs it from Debian's packages when it is
missing and it may); without it they fail rather than skip.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect, sync_playwright
from waitress.server import create_server

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.cases import show_case
from tests.web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"
AXE = ROOT / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live(app: Flask) -> Iterator[str]:
    """The app served by waitress on a free loopback port, as `make run` serves it."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make test` (it installs it) or apt-get")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def person(browser: Browser, live: str) -> Iterator[Callable[[str], Page]]:
    """`person("off")`: a browser page of its own, signed in as that person."""
    contexts = []

    def signed_in(username: str) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, bypass_csp=True)
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{live}/sign-in")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("My work")
        return page

    yield signed_in
    for context in contexts:
        context.close()


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def check(page: Page, name: str) -> None:
    shot(page, name)
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "targets": [n["target"] for n in v["nodes"]][:3]} for v in violations
    ]
    assert not violations, f"{name}: {json.dumps(summary)}"


def fill_date(page: Page, name: str, day: date) -> None:
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def take_step(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.get_by_role("button", name=name, exact=True).click()  # the step's own form
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def test_a_complaint_from_logging_to_the_signed_off_response_sent(
    staff: Context, clock: SettableClock, person: Callable[[str], Page]
) -> None:
    officer = person("off")
    officer.get_by_role("link", name="Cases").click()
    officer.get_by_role("button", name="Log new feedback").click()
    officer.get_by_label("Complaint", exact=True).check()
    officer.get_by_label("Children's social care (statutory, three stages)").check()
    fill_date(officer, "received", date(2026, 11, 23))
    officer.get_by_label("Who is it from?").fill("Ava Smith")
    officer.get_by_label("What is it about?").fill("Visits were missed in October")
    officer.get_by_label("Service area").select_option("Customer Service")
    officer.get_by_role("button", name="Log feedback").click()
    heading = officer.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Received")
    reference = heading.inner_text().split()[0]
    shot(officer, "case-received")
    take_step(officer, "Acknowledge")
    officer.get_by_role("button", name="Allocate", exact=True).click()
    officer.get_by_label("Investigating officer").select_option("qa")
    officer.get_by_role("button", name="Allocate", exact=True).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Stage 1 investigating")

    qa = person("qa")
    qa.goto(officer.url)
    qa.get_by_role("link", name="Add a complaint point").click()
    qa.get_by_label("What is the matter to investigate?").fill("The social worker did not visit")
    qa.get_by_role("button", name="Add point").click()
    qa.get_by_role("link", name="Record finding on point 1").click()
    qa.get_by_label("Upheld", exact=True).check()
    # The finding's notes are what the letter says was found (until the letter is written in
    # its own page, they are the only way the web fills that part).
    qa.get_by_label("Notes (optional)").fill("Two planned visits in October did not happen.")
    qa.get_by_role("button", name="Record finding").click()
    qa.get_by_role("link", name="Write a letter").click()
    qa.get_by_label("Which letter?").select_option("stage1_response")
    qa.get_by_role("button", name="Preview").click()
    expect(qa.frame_locator("iframe").locator("body")).to_contain_text("Ava Smith")
    shot(qa, "letter-preview")
    qa.get_by_role("button", name="Draft this letter").click()
    qa.get_by_role("button", name="Submit for sign-off").click()
    expect(qa.locator(".govuk-notification-banner--success")).to_contain_text("submitted")
    qa.get_by_role("link", name=f"Back to {reference}").click()
    take_step(qa, "Submit draft")

    manager = person("mgr")
    manager.get_by_role("link", name="Stage 1 response (letter 1)").first.click()
    shot(manager, "letter-for-sign-off")
    manager.get_by_role("button", name="Approve").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text("approved")
    manager.get_by_role("link", name=f"Back to {reference}").click()
    take_step(manager, "Approve")

    officer.goto(officer.url.split("/steps/")[0] if "/steps/" in officer.url else officer.url)
    officer.get_by_role("link", name="Stage 1 response (letter 1)").click()
    officer.get_by_role("button", name="Send letter").click()
    expect(officer.locator(".govuk-notification-banner--success")).to_contain_text("sent")
    assert show_case(staff, reference, by="admin").state == "stage1_responded"
    officer.get_by_role("link", name=f"Back to {reference}").click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Stage 1 responded")
    shot(officer, "case-responded")


def test_the_dashboard_shows_an_overdue_case_after_the_clock_moves(
    clock: SettableClock, case_ref: str, person: Callable[[str], Page]
) -> None:
    manager = person("mgr")
    manager.get_by_role("link", name="Dashboard").click()
    overdue = manager.locator("#overdue")
    expect(overdue).not_to_contain_text("Stage 1 response")
    clock.set(date(2026, 12, 3))  # the stage 1 response was due on 30 November
    manager = person("mgr")  # days later: yesterday's sign-in has ended
    manager.get_by_role("link", name="Dashboard").click()
    overdue = manager.locator("#overdue")
    expect(overdue).to_contain_text(case_ref)
    expect(overdue).to_contain_text("Stage 1 response")
    shot(manager, "dashboard-overdue")


def test_the_main_pages_have_no_wcag_violations(
    staff: Context, case_ref: str, person: Callable[[str], Page], live: str
) -> None:
    officer = person("off")
    check(officer, "my-work")
    officer.goto(f"{live}/cases")
    check(officer, "case-list")
    officer.goto(f"{live}/cases/{case_ref}")
    check(officer, "case-page")
    officer.goto(f"{live}/cases/new")
    officer.get_by_role("button", name="Log feedback").click()
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    check(officer, "new-feedback-errors")
    officer.goto(f"{live}/cases/{case_ref}/steps/acknowledge")
    check(officer, "step-form")
    officer.goto(f"{live}/workflows/statutory_children")
    expect(officer.locator(".mermaid svg")).to_be_visible()
    check(officer, "workflow-diagram")
    manager = person("mgr")
    manager.goto(f"{live}/dashboard")
    check(manager, "dashboard")
    admin = person("admin")
    admin.goto(f"{live}/admin/users")
    check(admin, "admin-users")
    admin.goto(f"{live}/admin/lists")
    check(admin, "admin-lists")
    admin.goto(f"{live}/admin/templates")
    check(admin, "admin-templates")
    admin.goto(f"{live}/admin/templates/acknowledgement?case={case_ref}")
    expect(admin.locator("iframe.app-letter-frame")).to_be_visible()
    check(admin, "admin-template")
    admin.get_by_label("New wording").fill("{{ nope")
    admin.get_by_role("button", name="Save as a new version").click()
    expect(admin.locator(".govuk-error-summary")).to_be_visible()
    check(admin, "admin-template-errors")
    signed_out = person("off")
    signed_out.get_by_role("button", name="Sign out").click()
    check(signed_out, "sign-in")


def test_a_refused_form_links_each_problem_to_its_field(
    case_ref: str, person: Callable[[str], Page], browser: Browser, live: str
) -> None:
    """The error summary's links move to the field (the GOV.UK error summary script), and each
    refused form passes axe-core."""
    public = browser.new_context(viewport={"width": 1280, "height": 1000}, bypass_csp=True)
    page = public.new_page()
    page.goto(f"{live}/feedback/new")
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    check(page, "forms-public-errors")
    summary.get_by_role("link", name="Enter what happened").click()
    expect(page.get_by_label("Tell us what happened")).to_be_focused()
    public.close()

    officer = person("off")
    officer.goto(f"{live}/cases/{case_ref}/actions/new")
    officer.get_by_label("What needs doing?").fill("Train the team")
    officer.locator("#due-month").fill("13")
    officer.get_by_role("button", name="Add action").click()
    expect(officer.get_by_label("What needs doing?")).to_have_value("Train the team")
    check(officer, "forms-action-errors")
    officer.get_by_role("link", name="The due date must be a real date").click()
    expect(officer.locator("#due-day")).to_be_focused()

    officer.goto(f"{live}/cases/{case_ref}/steps/request_information")
    for part, typed in (("day", "30"), ("month", "2"), ("year", "2026")):
        officer.locator(f"#reply_by-{part}").fill(typed)
    officer.get_by_role("button", name="Request information").click()
    expect(officer.locator(".govuk-error-summary")).to_contain_text("Enter what we need")
    check(officer, "forms-step-errors")
