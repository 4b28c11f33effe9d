"""Only the letters that fit a case are drafted (complaints/services/letter_fit.py): a letter
that does not is refused with why and which do, and nothing is stored; a correction of a sent
letter is still drafted; the case file offers exactly the letters that fit."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import User
from complaints.services.case_file import case_file
from complaints.services.cases import fire_trigger
from complaints.services.letter_fit import fitting_letters
from complaints.services.letters import draft_letter, list_letters, send_letter
from complaints.services.people import find_user
from complaints.services.triage import reallocate
from tests.support import LogCase, audit_count, version_of


def _draft(ctx: Context, reference: str, template: str, corrects: int | None = None) -> int:
    drafted = draft_letter(
        ctx,
        reference,
        template,
        by="off",
        corrects=corrects,
        expected_version=version_of(ctx, reference),
    )
    return drafted.id


def _send(ctx: Context, reference: str, letter_id: int) -> None:
    send_letter(ctx, reference, letter_id, by="off", expected_version=version_of(ctx, reference))


def _fire(ctx: Context, reference: str, trigger: str, **values: str) -> None:
    fire_trigger(
        ctx,
        reference,
        trigger,
        by="mgr",
        values=values,
        expected_version=version_of(ctx, reference),
    )


def _user(ctx: Context, username: str) -> User:
    with ctx.database.reader() as session:
        return find_user(session, username)


def test_a_letter_of_another_procedure_is_refused_saying_which_letters_fit(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    events = audit_count(council)
    with pytest.raises(DomainError) as refused:
        _draft(council, reference, "compliment_acknowledgement")
    assert str(refused.value) == (
        "the compliment acknowledgement is not a letter of the Children's social care "
        "(statutory) procedure. The letters that fit the case now: acknowledgement, "
        "lgsco signposting"
    )
    with pytest.raises(DomainError, match=r"written once the case is stage 1 investigating.*"):
        _draft(council, reference, "stage1_response")
    assert list_letters(council, reference, by="admin") == []
    assert audit_count(council) == events


def test_an_acknowledgement_once_sent_is_drafted_again_only_as_its_correction(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    assert fitting_letters(council, reference, by="off") == (
        "acknowledgement",
        "lgsco_signposting",
    )
    sent = _draft(council, reference, "acknowledgement")
    _send(council, reference, sent)  # which acknowledges the complaint
    assert fitting_letters(council, reference, by="off") == (
        "stage1_response",
        "lgsco_signposting",
    )
    with pytest.raises(DomainError, match=rf"already been sent at this stage \(letter {sent}\)"):
        _draft(council, reference, "acknowledgement")
    correction = _draft(council, reference, "acknowledgement", corrects=sent)
    assert list_letters(council, reference, by="off")[-1].corrects_letter_id == sent
    with pytest.raises(DomainError, match=f"letter {correction} was not sent"):
        _draft(council, reference, "acknowledgement", corrects=correction)


def test_an_extension_notice_follows_each_extension_and_is_not_sent_twice(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    _fire(council, reference, "acknowledge")
    with pytest.raises(DomainError, match="no extension to tell the complainant about"):
        _draft(council, reference, "extension_notice")
    _fire(council, reference, "extend", working_days="3", reason="A witness is away")
    notice = _draft(council, reference, "extension_notice")
    _send(council, reference, notice)
    assert "extension_notice" not in fitting_letters(council, reference, by="off")
    with pytest.raises(DomainError, match=f"has been sent \\(letter {notice}\\)"):
        _draft(council, reference, "extension_notice")
    _fire(council, reference, "extend", working_days="2", reason="The records came late")
    assert "extension_notice" in fitting_letters(council, reference, by="off")


def test_a_letter_sent_at_one_stage_fits_again_at_the_next(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    _fire(council, reference, "acknowledge")
    signposting = _draft(council, reference, "lgsco_signposting")
    _send(council, reference, signposting)
    assert fitting_letters(council, reference, by="off") == ("stage1_response",)
    _fire(council, reference, "request_stage2", reason="no_response")
    assert fitting_letters(council, reference, by="off") == (
        "lgsco_signposting",
        "stage2_acknowledgement",
    )


def test_the_case_file_offers_the_letters_that_fit(council: Context, log_case: LogCase) -> None:
    compliment = log_case(
        "feedback", date(2026, 11, 2), feedback_type="compliment", summary="Kind carers"
    ).reference
    assert case_file(council, compliment, _user(council, "off")).letter_templates == (
        "compliment_acknowledgement",
        "lgsco_signposting",
    )
    _fire(council, compliment, "withdraw", reason="Sent by mistake")
    assert case_file(council, compliment, _user(council, "off")).letter_templates == ()
    with pytest.raises(DomainError, match="No letter fits the case now"):
        _draft(council, compliment, "compliment_acknowledgement")


def test_a_reallocated_case_starts_its_letters_afresh(council: Context, log_case: LogCase) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    signposting = _draft(council, reference, "lgsco_signposting")
    _send(council, reference, signposting)
    assert fitting_letters(council, reference, by="off") == ("acknowledgement",)
    reallocate(
        council,
        reference,
        by="off",
        reason="A child's social care complaint",
        procedure="statutory_children",
        expected_version=version_of(council, reference),
    )
    assert fitting_letters(council, reference, by="off") == (
        "acknowledgement",
        "lgsco_signposting",
    )
