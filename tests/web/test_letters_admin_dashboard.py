"""Letters through sign-off on the web, the administration pages, the dashboards and alerts,
the workflow diagrams, and the app factory starting no scheduler."""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from datetime import date

from complaints.alerts.sweep import sweep
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.cases import show_case
from tests.support import audit_count, fire, ready_for_response
from tests.web.conftest import Web, date_fields


def test_a_response_is_drafted_signed_off_by_a_manager_and_sent(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    ready_for_response(
        staff, case_ref, allocate_to="qa", notes="Two of the planned visits did not take place."
    )
    qa, mgr, off = web("qa"), web("mgr"), web("off")
    preview = qa.get(f"/cases/{case_ref}/letters/new?template=stage1_response")
    assert preview.status_code == 200 and "Draft this letter" in preview.text
    document = qa.get(f"/cases/{case_ref}/letters/preview/stage1_response")
    assert "sandbox" in document.headers["Content-Security-Policy"] and "Ava Smith" in document.text
    drafted = qa.post(f"/cases/{case_ref}/letters/new", {"template": "stage1_response"})
    letter = drafted.headers["Location"]
    assert qa.post(f"{letter}/submit").status_code == 302
    assert qa.post(f"{letter}/approve").status_code == 403  # not a manager
    assert "Letters waiting for your sign-off" in mgr.get("/my-work").text
    no_comments = mgr.post(f"{letter}/return", {"comments": ""})
    assert (
        no_comments.status_code == 400
        and "Enter what the author needs to change" in no_comments.text
    )
    assert mgr.post(f"{letter}/return", {"comments": "Say sorry"}).status_code == 302
    assert "Letters returned to you" in qa.get("/my-work").text
    qa.post(f"{letter}/submit")
    fire(staff, case_ref, "submit_draft", by="qa")
    assert mgr.post(f"{letter}/approve").status_code == 302
    fire(staff, case_ref, "approve", by="mgr")
    assert off.post(f"{letter}/send").status_code == 302
    assert show_case(staff, case_ref, by="admin").state == "stage1_responded"
    page = off.get(letter).text
    assert "SHA-256" in page and "sent" in page
    assert "Ava Smith" in off.get(f"{letter}/document").text


def test_a_response_cannot_be_sent_before_sign_off(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    ready_for_response(
        staff, case_ref, allocate_to="qa", notes="Two of the planned visits did not take place."
    )
    qa = web("qa")
    letter = qa.post(f"/cases/{case_ref}/letters/new", {"template": "stage1_response"}).headers[
        "Location"
    ]
    before = audit_count(staff)
    refused = qa.post(f"{letter}/send")
    assert (
        refused.status_code == 400 and "must be approved in quality assurance first" in refused.text
    )
    assert audit_count(staff) == before
    unknown = qa.post(f"/cases/{case_ref}/letters/new", {"template": "ransom_note"})
    assert unknown.status_code == 400


def test_an_administrator_looks_after_accounts_teams_and_categories(
    staff: Context, web: Callable[[str], Web]
) -> None:
    admin = web("admin")
    bad = admin.post(
        "/admin/users/new",
        {
            "username": "Bad Name!",
            "full_name": "X",
            "role": "officer",
            "password": "a-long-password-1",
        },
    )
    assert bad.status_code == 400 and "is not a valid username" in bad.text
    short = admin.post(
        "/admin/users/new",
        {"username": "newbie", "full_name": "New Bie", "role": "officer", "password": "short"},
    )
    assert short.status_code == 400 and "at least 12 characters" in short.text
    added = admin.post(
        "/admin/users/new",
        {
            "username": "newbie",
            "full_name": "New Bie",
            "role": "officer",
            "team": "Highways",
            "password": "a-long-password-1",
        },
    )
    assert added.status_code == 302
    assert (
        Web(admin.client.application.test_client())
        .sign_in("newbie", "a-long-password-1")
        .status_code
        == 302
    )
    changed = admin.post(
        "/admin/users/newbie",
        {"full_name": "New Bie", "role": "manager", "team": "", "active": "yes"},
    )
    assert changed.status_code == 302 and "Manager" in admin.get("/admin/users").text
    self_demote = admin.post(
        "/admin/users/admin", {"full_name": "Ada Admin", "role": "officer", "active": "yes"}
    )
    assert self_demote.status_code == 400 and "your own administrator role" in self_demote.text
    assert (
        admin.post("/admin/users/newbie/password", {"password": "another-long-one"}).status_code
        == 302
    )
    assert admin.post("/admin/lists/team", {"name": "Parks"}).status_code == 302
    duplicate = admin.post("/admin/lists/team", {"name": "parks"})
    assert duplicate.status_code == 400 and "already exists" in duplicate.text
    assert admin.post("/admin/lists/category", {"name": "Noise"}).status_code == 302
    lists = admin.get("/admin/lists").text
    assert "Parks" in lists and "Noise" in lists and "closure_days" in lists
    team_id = re.search(r"/admin/lists/team/(\d+)/withdraw", lists)
    assert team_id is not None
    assert admin.post(f"/admin/lists/team/{team_id.group(1)}/withdraw").status_code == 302
    assert web("off").post("/admin/lists/team", {"name": "Sneaky"}).status_code == 403


def test_the_dashboard_shows_a_case_overdue_once_the_clock_moves_on(
    staff: Context, clock: SettableClock, web: Callable[[str], Web], case_ref: str
) -> None:
    fire(staff, case_ref, "acknowledge", by="off")
    fire(staff, case_ref, "allocate", by="off", officer="qa")
    mgr = web("mgr")
    board = mgr.get("/dashboard").text
    assert case_ref not in board.split('id="overdue"')[1].split("</table>")[0]
    clock.set(date(2026, 12, 3))  # the stage 1 response was due on 30 November
    board = web("mgr").get("/dashboard").text  # days later: signed in again
    overdue = board.split('id="overdue"')[1].split("</table>")[0]
    assert case_ref in overdue and "Stage 1 response" in overdue
    assert "Overdue" in web("qa").get("/my-work").text


def test_alerts_from_the_sweep_appear_in_the_header_and_on_the_alerts_page(
    staff: Context, clock: SettableClock, web: Callable[[str], Web], case_ref: str
) -> None:
    sweep(staff)
    off = web("off")
    page = off.get("/my-work").text
    assert "Alerts this week" in page and "overdue" in page
    assert case_ref in off.get("/alerts").text


def test_each_workflow_has_its_diagram_page(web: Callable[[str], Web]) -> None:
    client = web("qa")
    for procedure in ("statutory_children", "corporate", "adult_social_care"):
        page = client.get(f"/workflows/{procedure}")
        assert page.status_code == 200 and "stateDiagram-v2" in page.text
        assert "mermaid.min.js" in page.text
    assert client.get("/workflows/astrology").status_code == 404


def test_building_the_app_starts_no_scheduler_even_when_config_embeds_one(
    staff: Context,
) -> None:
    from web import create_app

    embedded = Context(
        dataclasses.replace(
            staff.settings,
            scheduler=dataclasses.replace(staff.settings.scheduler, embedded=True),
        ),
        staff.clock,
        staff.database,
    )

    def schedulers() -> list[threading.Thread]:
        return [thread for thread in threading.enumerate() if thread.name == "APScheduler"]

    before = schedulers()
    create_app(embedded, {"SECRET_KEY": "k", "SESSION_COOKIE_SECURE": False})

    assert schedulers() == before  # no scheduler's thread in a web worker


def test_a_step_date_in_the_box_is_recorded(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    off = web("off")
    version = str(show_case(staff, case_ref, by="admin").version)
    done = off.post(
        f"/cases/{case_ref}/steps/acknowledge",
        {"version": version, **date_fields("on", date(2026, 11, 17))},
    )
    assert done.status_code == 302
    acknowledgement = next(
        d for d in show_case(staff, case_ref, by="admin").deadlines if d.name == "acknowledgement"
    )
    assert acknowledgement.stopped_on == date(2026, 11, 17)
