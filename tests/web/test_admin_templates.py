"""The letter template pages of the administration: an administrator lists the templates, reads
one (shipped and current wording, versions), saves a new wording and reverts it, and sees it in a
case's letter; a wording the service refuses is shown back with its message and saves nothing;
nobody else may see or change the templates; the wording on the page is never run as HTML."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from markupsafe import escape
from sqlmodel import col, select

from complaints.context import Context
from complaints.letters.overrides import shipped_text, template_names
from complaints.models import AuditEvent, LetterTemplateVersion
from complaints.services.letter_templates import MAX_TEMPLATE_LENGTH, set_template
from tests.support import audit_count
from tests.web.conftest import Web
from web.admin_templates import PURPOSES, purpose

OURS = """{% extends "layout.html.j2" %}
{% block body %}
<h1>Thank you</h1>
<p>Our own words: we have your complaint {{ reference }}.</p>
{% endblock %}
"""
PAGE = "/admin/templates/acknowledgement"


def versions(staff: Context, name: str = "acknowledgement") -> list[tuple[int, str | None]]:
    with staff.database.reader() as session:
        rows = session.exec(
            select(LetterTemplateVersion)
            .where(LetterTemplateVersion.name == name)
            .order_by(col(LetterTemplateVersion.version))
        ).all()
        return [(row.version, row.text) for row in rows]


def template_events(staff: Context) -> list[tuple[str, str]]:
    with staff.database.reader() as session:
        rows = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.action).startswith("letter_template_"))
            .order_by(col(AuditEvent.id))
        ).all()
        return [(row.action, row.summary) for row in rows]


def test_an_admin_lists_reads_saves_and_reverts_a_template_and_letters_follow(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    admin = web("admin")
    assert 'href="/admin/templates"' in admin.get("/admin").text
    listed = admin.get("/admin/templates")
    assert listed.status_code == 200
    for name in template_names():
        assert f'href="/admin/templates/{name}"' in listed.text
    assert purpose("acknowledgement") in listed.text and "Never" in listed.text

    page = admin.get(PAGE)
    assert page.status_code == 200 and "The shipped wording" in page.text
    assert "We have received your complaint" in page.text  # in the <pre> and the textarea
    assert "has not saved a wording of its own" in page.text and "Revert" not in page.text

    saved = admin.post(PAGE, {"text": OURS.replace("\n", "\r\n")}, follow_redirects=True)
    assert saved.status_code == 200 and "version 1 is now in force" in saved.text
    assert versions(staff) == [(1, OURS)]  # the browser's CRLF stored as LF
    assert "The council's version 1" in saved.text and "Revert to the shipped" in saved.text
    assert "Our own words" in saved.text and "We have received your complaint" in saved.text
    row = admin.get("/admin/templates").text.split('href="/admin/templates/acknowledgement"')[1]
    assert "version 1" in row.split("</tr>")[0] and "by admin" in row.split("</tr>")[0]
    assert "Our own words" in admin.get(f"/cases/{case_ref}/letters/preview/acknowledgement").text

    previewed = admin.get(f"{PAGE}?case={case_ref.lower()}")
    assert previewed.status_code == 200
    assert f'src="/cases/{case_ref}/letters/preview/acknowledgement"' in previewed.text

    reverted = admin.post(f"{PAGE}/revert", follow_redirects=True)
    assert reverted.status_code == 200 and "now uses the shipped wording" in reverted.text
    assert versions(staff) == [(1, OURS), (2, None)]
    assert "Reverted" in reverted.text and "Revert to the shipped" not in reverted.text
    letter = admin.get(f"/cases/{case_ref}/letters/preview/acknowledgement").text
    assert "Our own words" not in letter and "We have received your complaint" in letter
    assert template_events(staff) == [
        (
            "letter_template_set",
            "Letter template acknowledgement set (version 1) by Ada Admin",
        ),
        (
            "letter_template_reverted",
            "Letter template acknowledgement reverted (version 2) by Ada Admin",
        ),
    ]
    again = admin.post(f"{PAGE}/revert", follow_redirects=True)
    assert "has no wording of the council&#39;s to revert" in again.text
    assert len(versions(staff)) == 2


def test_a_child_friendly_template_has_its_own_page(
    staff: Context, web: Callable[[str], Web]
) -> None:
    admin = web("admin")
    name = "child/stage1_response"
    page = admin.get(f"/admin/templates/{name}")
    assert page.status_code == 200 and "written for a child or young person" in page.text
    text = shipped_text(name).replace("What we found", "What we found out")
    assert admin.post(f"/admin/templates/{name}", {"text": text}).status_code == 302
    assert admin.post(f"/admin/templates/{name}/revert").status_code == 302
    assert versions(staff, name) == [(1, text), (2, None)]
    assert admin.get("/admin/templates/layout").status_code == 404
    assert admin.get("/admin/templates/child/nonsense").status_code == 404


def test_every_template_says_what_it_is_for() -> None:
    assert {name.removeprefix("child/") for name in template_names()} == set(PURPOSES)


@pytest.mark.parametrize("username", ["off", "qa", "mgr"])
def test_only_an_administrator_may_see_or_change_the_templates(
    staff: Context, web: Callable[[str], Web], username: str
) -> None:
    person = web(username)
    assert "/admin/templates" not in person.get("/my-work").text
    for path in ("/admin/templates", PAGE, "/admin/templates/child/stage1_response"):
        assert person.get(path).status_code == 403
    assert person.post(PAGE, {"text": OURS}).status_code == 403
    assert person.post(f"{PAGE}/revert").status_code == 403
    assert versions(staff) == [] and template_events(staff) == []


def test_a_form_without_its_token_is_refused_and_changes_nothing(
    staff: Context, web: Callable[[str], Web]
) -> None:
    admin = web("admin")
    refused = admin.client.post(PAGE, data={"text": OURS})
    assert refused.status_code == 400 and "security token" in refused.text
    set_template(staff, "acknowledgement", OURS, by="admin")
    assert admin.client.post(f"{PAGE}/revert").status_code == 400
    assert versions(staff) == [(1, OURS)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{% if reference %}<p>Dear {{ recipient.name }</p>",
            "The template has a mistake on line 1",
        ),
        ("<p>{{ complainant_shoe_size }}</p>", "uses a value letters do not have"),
        ("{{ ''.__class__ }}", "The template may not use &#39;__class__&#39;"),
        ("  \r\n ", "The wording of acknowledgement is empty"),
        ("x" * (MAX_TEMPLATE_LENGTH + 1), f"longer than {MAX_TEMPLATE_LENGTH} characters"),
    ],
)
def test_a_wording_the_service_refuses_is_shown_back_with_its_message(
    staff: Context, web: Callable[[str], Web], text: str, message: str
) -> None:
    admin = web("admin")
    audits = audit_count(staff)
    refused = admin.post(PAGE, {"text": text})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.text
    assert message in refused.text and 'href="#text"' in refused.text
    assert "govuk-textarea--error" in refused.text
    assert versions(staff) == [] and audit_count(staff) == audits
    typed = refused.text.split('name="text"')[1].split("</textarea>")[0]
    assert typed.endswith(f">{escape(text)}")  # kept as typed, escaped


def test_the_same_wording_twice_is_refused(staff: Context, web: Callable[[str], Web]) -> None:
    admin = web("admin")
    assert admin.post(PAGE, {"text": OURS}).status_code == 302
    again = admin.post(PAGE, {"text": OURS})
    assert again.status_code == 400 and "already has this wording (version 1)" in again.text
    assert len(versions(staff)) == 1


def test_html_in_a_wording_is_shown_as_text_never_run(
    staff: Context, web: Callable[[str], Web]
) -> None:
    admin = web("admin")
    script = OURS.replace("<h1>Thank you</h1>", "<script>alert('boo')</script><h1>Thank you</h1>")
    assert admin.post(PAGE, {"text": script}).status_code == 302
    page = admin.get(PAGE).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;boo&#39;)&lt;/script&gt;" in page
    refused = admin.post(PAGE, {"text": "<script>alert(1)</script>{{ nope"})
    assert refused.status_code == 400 and "<script>alert(1)" not in refused.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ nope" in refused.text


def test_a_preview_needs_a_case_that_exists(staff: Context, web: Callable[[str], Web]) -> None:
    admin = web("admin")
    missing = admin.get(f"{PAGE}?case=CF-1999-000001")
    assert missing.status_code == 400 and "There is no case with reference" in missing.text
    assert "<iframe" not in missing.text
    empty = admin.get(f"{PAGE}?case=")
    assert empty.status_code == 400 and "Enter a case reference" in empty.text
