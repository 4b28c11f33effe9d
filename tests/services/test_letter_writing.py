"""Letters written by people: the parts each letter has, prefilled from the case, checked on
every save (limits, required parts, unknown keys, points the case lacks), each save a revision
guarded by the letter's own revision, returns with comments on parts, what changed since the
approver last read it, and discarding a draft."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import ConflictError, DomainError
from complaints.letters.narrative import MAX_PART_LENGTH
from complaints.models import AuditEvent, Letter, LetterComments, LetterRevision
from complaints.services.cases import fire_trigger, show_case
from complaints.services.letters import (
    approve_letter,
    discard_letter,
    draft_letter,
    letter_pdf,
    list_letters,
    preview_letter,
    preview_revision,
    return_letter,
    revise_letter,
    send_letter,
    show_letter,
    submit_letter,
)
from complaints.services.points import add_complaint_point, add_remedy, record_finding
from tests.support import LogCase, audit_count, version_of

TOLD_US_1 = "You told us the social worker missed the visits on *5 and 12 October*."
FOUND_1 = (
    "Our records show both visits were cancelled.\n\n- nobody rang you\n- no visit was rebooked"
)
WILL_DO_1 = "We will rebook the visits by **30 November 2026**."
TOLD_US_2 = "You told us nobody returned your calls."
FOUND_2 = "Our call log shows each call was returned within two working days."


def text_of(html: str) -> str:
    """The words of the letter as read: inline emphasis joined to its words, blocks apart."""
    inline = re.sub(r"</?(strong|em)>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


@pytest.fixture
def two_points(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A statutory complaint received Monday 2 November 2026 and acknowledged the next day, at
    stage 1 with two points investigated by 'qa' (the first upheld with notes, the second not
    upheld without), and a payment of £250.50 offered; the clock on Thursday 12 November."""
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 3))

    def at() -> int:
        return version_of(council, reference)

    fire_trigger(council, reference, "acknowledge", by="off", expected_version=at())
    for description in ("The social worker missed two visits", "Nobody returned my calls"):
        add_complaint_point(
            council, reference, description, by="off", officer="qa", expected_version=at()
        )
    record_finding(
        council, reference, 1, "upheld", by="qa", notes="Both visits were cancelled.",
        expected_version=at(),
    )  # fmt: skip
    record_finding(council, reference, 2, "not_upheld", by="qa", expected_version=at())
    add_remedy(
        council, reference, "financial", amount="250.50", description="for the distress caused",
        by="qa", expected_version=at(),
    )  # fmt: skip
    clock.set(date(2026, 11, 12))
    return reference


def written() -> dict[str, Any]:
    return {
        "opening": "Thank you for meeting us on 9 November.",
        "points": [
            {"number": 1, "told_us": TOLD_US_1, "found": FOUND_1, "will_do": WILL_DO_1},
            {"number": 2, "told_us": TOLD_US_2, "found": FOUND_2, "will_do": ""},
        ],
        "remedies_text": "- A payment of £250.50, paid by 30 November 2026.",
        "closing": "Please call Quinn on 01234 567890 if anything is unclear.",
    }


def signed_off_on_the_case(council: Context, reference: str) -> None:
    """The case's own sign-off steps (submit_draft by 'qa', approve by 'mgr'), where putting the
    letter forward and approving it have not taken them already."""
    for trigger, state, by in (
        ("submit_draft", "stage1_investigating", "qa"),
        ("approve", "stage1_qa", "mgr"),
    ):
        if show_case(council, reference, by="qa").state == state:
            fire_trigger(
                council, reference, trigger, by=by, expected_version=version_of(council, reference)
            )


def draft(council: Context, reference: str, kind: str = "stage1_response", **given: Any) -> int:
    return draft_letter(
        council, reference, kind, by="qa", expected_version=version_of(council, reference), **given
    ).id


def revise(council: Context, reference: str, letter: int, content: Any, **given: Any) -> int:
    revision = given.pop("expected_revision", None)
    if revision is None:
        revision = show_letter(council, reference, letter, by="qa").letter.revision
    return revise_letter(
        council, reference, letter, content, by=given.pop("by", "qa"), expected_revision=revision
    ).revision


def test_a_draft_is_prefilled_from_what_the_case_records(council: Context, two_points: str) -> None:
    letter = draft(council, two_points)
    detail = show_letter(council, two_points, letter, by="qa")
    assert detail.parts == ("opening", "points", "remedies_text", "closing")
    assert detail.content == {
        "opening": "",
        "points": [
            {
                "number": 1,
                "told_us": "The social worker missed two visits",
                "found": "Both visits were cancelled.",
                "will_do": "",
            },
            {"number": 2, "told_us": "Nobody returned my calls", "found": "", "will_do": ""},
        ],
        "remedies_text": "- a payment of £250.50 (for the distress caused)",
        "closing": "",
    }
    assert [(r.number, r.saved_by) for r in detail.revisions] == [(1, "Quinn Practitioner")]
    assert detail.letter.author_name == "Quinn Practitioner" and detail.letter.author == "qa"
    assert detail.letter.revision == 1 and detail.changes_since_submission == {}
    assert "points.2.found" in detail.part_keys
    assert detail.part_labels["points.2.found"] == "point 2, what we found"


def test_the_preview_before_any_letter_shows_the_prefilled_parts(
    council: Context, two_points: str
) -> None:
    text = text_of(preview_letter(council, two_points, "stage1_response", by="qa").html)
    assert "1. The social worker missed two visits" in text
    assert "What we found Both visits were cancelled." in text
    assert "a payment of £250.50 (for the distress caused)" in text
    assert "a payment " + "." not in text


def test_a_two_point_response_written_by_people_reads_as_a_letter_and_as_its_pdf(
    council: Context, clock: SettableClock, two_points: str
) -> None:
    letter = draft(council, two_points, content=written())
    assert revise(council, two_points, letter, written()) == 2
    submit_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
    )
    approve_letter(
        council, two_points, letter, by="mgr", expected_version=version_of(council, two_points)
    )
    signed_off_on_the_case(council, two_points)
    case = send_letter(
        council, two_points, letter, by="off", expected_version=version_of(council, two_points)
    )
    assert case.state == "stage1_responded"
    html = show_letter(council, two_points, letter, by="qa").html or ""
    assert "<em>5 and 12 October</em>" in html and "<li>nobody rang you</li>" in html
    assert "<strong>30 November 2026</strong>" in html
    text = text_of(html)
    for expected in (
        "Thank you for meeting us on 9 November.",
        "1. The social worker missed two visits What you told us",
        "What we found Our records show both visits were cancelled.",
        "Our finding: this part of your complaint is upheld.",
        "What we will do We will rebook the visits by 30 November 2026.",
        "2. Nobody returned my calls",
        "Our call log shows each call was returned within two working days.",
        "Our finding: this part of your complaint is not upheld.",
        "We apologise for the parts of your complaint we have upheld.",
        "Putting things right A payment of £250.50, paid by 30 November 2026.",
        "Please call Quinn on 01234 567890 if anything is unclear.",
        # 20 working days from Thursday 12 November 2026.
        "Please ask us by Thursday 10 December 2026",
    ):
        assert expected in text
    assert ".: we think" not in text
    pdf = letter_pdf(council, two_points, letter, by="qa").content
    pdf_text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    for expected in (
        "missed the visits on 5 and 12 October",
        "Our records show both visits were cancelled.",
        "Our call log shows each call was returned within two working days.",
        "Thursday 10 December 2026",
    ):
        assert expected in pdf_text


def test_the_author_previews_what_they_are_writing_before_saving_it(
    council: Context, two_points: str
) -> None:
    letter = draft(council, two_points)
    unsaved = written() | {"closing": "Not saved yet."}
    html = preview_revision(council, two_points, letter, unsaved, by="qa").html
    assert "Not saved yet." in html and TOLD_US_2 in html
    assert show_letter(council, two_points, letter, by="qa").letter.revision == 1
    with pytest.raises(DomainError, match="the stage1 response letter has no about"):
        preview_revision(council, two_points, letter, unsaved | {"about": "x"}, by="qa")


def test_html_typed_in_is_shown_as_text_never_rendered(council: Context, two_points: str) -> None:
    content = written()
    content["opening"] = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    letter = draft(council, two_points, content=content)
    html = show_letter(council, two_points, letter, by="qa").html or ""
    assert "<script>alert" not in html and "<img" not in html
    assert '&lt;script&gt;alert("x")&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;' in html


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (
            lambda c: c.update(greeting="Hello"),
            r"a part no letter has: 'greeting'; the parts of the stage1 response letter are: "
            r"opening, points, remedies_text, closing",
        ),
        (lambda c: c.update(about="What it is about"), "the stage1 response letter has no about"),
        (
            lambda c: c["points"][0].update(mood="sad"),
            "point 1 has a part a point does not have: 'mood'",
        ),
        (
            lambda c: c["points"].append({"number": 3, "told_us": "x", "found": "y"}),
            "the case has no complaint point 3; its points are: 1, 2",
        ),
        (lambda c: c["points"].pop(), "every complaint point of the case; point 2 is missing"),
        (
            lambda c: c.update(closing="x" * (MAX_PART_LENGTH + 1)),
            "the closing is 10,001 characters long; each part of a letter may be at most "
            "10,000 characters",
        ),
        (
            lambda c: c["points"][1].update(found=" \n "),
            "point 2, what we found, is empty; it must be written",
        ),
        (
            lambda c: c["points"][0].update(told_us=""),
            "point 1, what you told us, is empty; it must be written",
        ),
        (lambda c: c.update(opening=7), "the opening must be text"),
        (lambda c: c.update(opening="a\x00b"), "the opening must not contain a NUL character"),
    ],
)
def test_a_revision_that_breaks_a_rule_is_refused_naming_it_and_nothing_changes(
    council: Context, two_points: str, change: Any, refusal: str
) -> None:
    letter = draft(council, two_points, content=written())
    content = written()
    change(content)
    version, audits = version_of(council, two_points), audit_count(council)
    with pytest.raises(DomainError, match=refusal):
        revise(council, two_points, letter, content)
    detail = show_letter(council, two_points, letter, by="qa")
    assert detail.letter.revision == 1 and detail.content == written()
    assert version_of(council, two_points) == version and audit_count(council) == audits


def test_a_fresh_draft_may_leave_required_parts_empty_but_cannot_go_forward(
    council: Context, two_points: str
) -> None:
    letter = draft(council, two_points)  # point 2 has no notes, so nothing says what we found
    with pytest.raises(DomainError, match="point 2, what we found, is empty"):
        submit_letter(
            council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
        )
    assert list_letters(council, two_points, by="qa")[0].status == "draft"


def test_an_acknowledgement_says_what_we_understood_the_complaint_to_be(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2), summary="Internal: bins, angry").reference
    without_points = preview_letter(council, reference, "acknowledgement", by="off").html
    assert "We understand that your complaint is about: Internal: bins, angry" in text_of(
        without_points
    )
    for description in ("Bins missed twice", "The crew was rude"):
        add_complaint_point(
            council,
            reference,
            description,
            by="off",
            expected_version=version_of(council, reference),
        )
    letter = draft_letter(
        council,
        reference,
        "acknowledgement",
        by="off",
        expected_version=version_of(council, reference),
    )
    detail = show_letter(council, reference, letter.id, by="off")
    assert detail.parts == ("opening", "about", "closing")
    assert detail.content == {
        "opening": "",
        "about": "- Bins missed twice\n- The crew was rude",
        "closing": "",
    }
    assert "<li>Bins missed twice</li>" in (detail.html or "")
    assert "Internal: bins, angry" not in (detail.html or "")
    revise_letter(
        council, reference, letter.id, {"about": "Your bins were missed twice in October."},
        by="off", expected_revision=1,
    )  # fmt: skip
    text = text_of(show_letter(council, reference, letter.id, by="off").html or "")
    assert (
        "We understand that your complaint is about: Your bins were missed twice in October."
        in text
    )
    with pytest.raises(DomainError, match="the acknowledgement letter has no points"):
        revise_letter(council, reference, letter.id, {"points": []}, by="off", expected_revision=2)


def test_a_letter_written_wholly_by_its_template_has_no_parts_to_write(
    council: Context, two_points: str
) -> None:
    letter = draft(council, two_points, "lgsco_signposting")
    assert show_letter(council, two_points, letter, by="qa").parts == ()
    with pytest.raises(DomainError, match="the lgsco signposting letter has no opening"):
        revise(council, two_points, letter, {"opening": "Hello"})


def test_a_stale_revision_is_refused_with_who_saved_it_and_when(
    council: Context, clock: SettableClock, two_points: str
) -> None:
    letter = draft(council, two_points, content=written())
    clock.set(datetime(2026, 12, 7, 14, 5, tzinfo=clock.now().tzinfo))
    newer = written() | {"opening": "Mina's opening."}
    revise_letter(council, two_points, letter, newer, by="mgr", expected_revision=1)
    version, audits = version_of(council, two_points), audit_count(council)
    with pytest.raises(
        ConflictError,
        match="Mina Manager saved revision 2 at 14:05 on 7 December 2026 since you opened it; "
        "your text was not saved — copy it, reload and apply it again",
    ):
        revise_letter(council, two_points, letter, written(), by="qa", expected_revision=1)
    detail = show_letter(council, two_points, letter, by="qa")
    assert detail.content == newer and detail.letter.revision == 2
    assert version_of(council, two_points) == version and audit_count(council) == audits


def test_a_revision_is_not_refused_because_the_case_changed_meanwhile(
    council: Context, two_points: str
) -> None:
    letter = draft(council, two_points, content=written())
    before = version_of(council, two_points)
    add_remedy(council, two_points, "apology", by="off", expected_version=before)
    assert revise(council, two_points, letter, written(), expected_revision=1) == 2
    assert version_of(council, two_points) == before + 2  # the remedy, then the revision
    with council.database.reader() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "revise_letter")).one()
    assert event.after is not None and event.after["revision"] == 2


def test_a_letter_returned_with_comments_on_its_parts_is_revised_and_the_approver_sees_what_changed(
    council: Context, clock: SettableClock, two_points: str
) -> None:
    letter = draft(council, two_points, content=written())
    submit_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
    )
    returned = return_letter(
        council,
        two_points,
        letter,
        by="mgr",
        expected_version=version_of(council, two_points),
        comments="Nearly there.",
        part_comments={"points.2.found": "Say which days you checked.", "opening": " "},
    )
    assert returned.status == "returned"
    assert (
        returned.qa_comments == "Nearly there.\nPoint 2, what we found: Say which days you checked."
    )
    detail = show_letter(council, two_points, letter, by="qa")
    assert detail.comments is not None
    assert (detail.comments.revision, detail.comments.overall, detail.comments.parts) == (
        1,
        "Nearly there.",
        {"points.2.found": "Say which days you checked."},
    )
    assert detail.comments.returned_by == "Mina Manager"
    better = written()
    better["points"][1]["found"] = (
        "Our call log shows each call from 1 to 20 October was returned within two working days."
    )
    clock.advance(timedelta(minutes=30))
    revise(council, two_points, letter, better)
    submitted = submit_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
    )
    assert (submitted.revision, submitted.submitted_revision) == (2, 2)
    detail = show_letter(council, two_points, letter, by="mgr")
    assert list(detail.changes_since_submission) == ["points.2.found"]
    assert str(detail.changes_since_submission["points.2.found"]) == (
        "Our call log shows each call <ins>from 1 to 20 October </ins>was returned within two "
        "working days."
    )
    assert [(r.number, r.saved_by) for r in detail.revisions] == [
        (1, "Quinn Practitioner"),
        (2, "Quinn Practitioner"),
    ]
    approved = approve_letter(
        council, two_points, letter, by="mgr", expected_version=version_of(council, two_points)
    )
    assert approved.approver_name == "Mina Manager"


def test_the_diff_escapes_what_was_typed(council: Context, two_points: str) -> None:
    letter = draft(council, two_points, content=written())
    submit_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
    )
    return_letter(
        council, two_points, letter, by="mgr", expected_version=version_of(council, two_points),
        comments="Shorter, please.",
    )  # fmt: skip
    revise(council, two_points, letter, written() | {"closing": "Call <b>us</b> & ask."})
    changed = show_letter(council, two_points, letter, by="mgr").changes_since_submission
    assert str(changed["closing"]) == (
        "<del>Please call Quinn on 01234 567890 if anything is unclear.</del>"
        "<ins>Call &lt;b&gt;us&lt;/b&gt; &amp; ask.</ins>"
    )


@pytest.mark.parametrize(
    ("comments", "parts", "refusal"),
    [
        ("", {}, "the comments for the author must not be empty"),
        (" ", {"opening": "  "}, "the comments for the author must not be empty"),
        (
            "",
            {"points.3.found": "x", "greeting": "y"},
            r"has no part 'greeting', 'points.3.found'; its parts are: opening, points.1.told_us",
        ),
        ("x" * 5_001, {}, "the comment on the whole letter must be at most 5,000 characters"),
    ],
)
def test_a_return_without_a_comment_or_on_a_part_the_letter_lacks_is_refused(
    council: Context, two_points: str, comments: str, parts: dict[str, str], refusal: str
) -> None:
    letter = draft(council, two_points, content=written())
    submit_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
    )
    audits = audit_count(council)
    with pytest.raises(DomainError, match=refusal):
        return_letter(
            council, two_points, letter, by="mgr",
            expected_version=version_of(council, two_points), comments=comments,
            part_comments=parts,
        )  # fmt: skip
    assert list_letters(council, two_points, by="qa")[0].status == "submitted"
    with council.database.reader() as session:
        assert session.exec(select(LetterComments)).all() == []
    assert audit_count(council) == audits


def test_someone_who_saved_a_revision_cannot_approve_the_letter(
    council: Context, two_points: str
) -> None:
    letter = draft(council, two_points, content=written())
    revise(council, two_points, letter, written() | {"closing": "Mina wrote this."}, by="mgr")
    submit_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
    )
    with pytest.raises(DomainError, match="cannot also sign it off"):
        approve_letter(
            council, two_points, letter, by="mgr", expected_version=version_of(council, two_points)
        )


def test_a_draft_or_returned_letter_is_discarded_with_its_reason_and_stays_listed(
    council: Context, two_points: str
) -> None:
    letter = draft(council, two_points, content=written())
    audits = audit_count(council)
    with pytest.raises(DomainError, match="the reason for discarding the letter must not be empty"):
        discard_letter(
            council, two_points, letter, by="qa", expected_version=version_of(council, two_points),
            reason="  ",
        )  # fmt: skip
    assert audit_count(council) == audits
    discarded = discard_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points),
        reason="Written on the wrong case",
    )  # fmt: skip
    assert (discarded.status, discarded.discard_reason) == (
        "discarded",
        "Written on the wrong case",
    )
    assert [item.status for item in list_letters(council, two_points, by="qa")] == ["discarded"]
    with council.database.reader() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "discard_letter")).one()
    assert event.after is not None and event.after["reason"] == "Written on the wrong case"
    at = version_of(council, two_points)
    for refused in (
        lambda: revise(council, two_points, letter, written()),
        lambda: submit_letter(council, two_points, letter, by="qa", expected_version=at),
        lambda: send_letter(council, two_points, letter, by="qa", expected_version=at),
        lambda: discard_letter(
            council, two_points, letter, by="qa", expected_version=at, reason="again"
        ),
    ):
        with pytest.raises(DomainError, match=f"letter {letter} is .*discarded"):
            refused()


def test_a_letter_under_sign_off_or_sent_cannot_be_discarded(
    council: Context, two_points: str
) -> None:
    letter = draft(council, two_points, content=written())
    submit_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
    )
    with pytest.raises(DomainError, match="is submitted; the approver returns it before"):
        discard_letter(
            council, two_points, letter, by="qa", expected_version=version_of(council, two_points),
            reason="No longer needed",
        )  # fmt: skip
    approve_letter(
        council, two_points, letter, by="mgr", expected_version=version_of(council, two_points)
    )
    signed_off_on_the_case(council, two_points)
    send_letter(
        council, two_points, letter, by="off", expected_version=version_of(council, two_points)
    )
    with pytest.raises(DomainError, match="a sent letter never changes"):
        discard_letter(
            council, two_points, letter, by="qa", expected_version=version_of(council, two_points),
            reason="No longer needed",
        )  # fmt: skip
    assert show_case(council, two_points, by="qa").state == "stage1_responded"


def test_every_save_is_kept_as_a_revision(council: Context, two_points: str) -> None:
    letter = draft(council, two_points, content=written())
    revise(council, two_points, letter, written() | {"closing": "Second."})
    with council.database.reader() as session:
        revisions = session.exec(select(LetterRevision).order_by(LetterRevision.number)).all()
        stored = session.get(Letter, letter)
    assert [(r.number, r.content["closing"]) for r in revisions] == [
        (1, written()["closing"]),
        (2, "Second."),
    ]
    assert stored is not None and stored.content == revisions[-1].content


def test_an_early_resolution_sent_from_its_draft_must_say_what_was_found(
    council: Context, two_points: str
) -> None:
    letter = draft(council, two_points, "early_resolution")  # point 2's finding has no notes
    with pytest.raises(DomainError, match="point 2, what we found, is empty"):
        send_letter(
            council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
        )
    assert list_letters(council, two_points, by="qa")[0].status == "draft"
    revise(council, two_points, letter, written())
    send_letter(
        council, two_points, letter, by="qa", expected_version=version_of(council, two_points)
    )
    assert list_letters(council, two_points, by="qa")[0].status == "sent"
