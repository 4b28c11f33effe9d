"""`complaints letter` for letters written by people: drafting with the parts from a JSON file,
revising with the revision opened, showing a letter as JSON, returning it with comments on its
parts and discarding it; bad JSON and unknown parts refused with a clear message, nothing
changed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.cases import fire_trigger
from complaints.services.letters import list_letters
from complaints.services.points import add_complaint_point, record_finding
from tests.support import LogCase, audit_count, version_of

CONTENT = {
    "opening": "Thank you for talking to us.",
    "points": [
        {
            "number": 1,
            "told_us": "You told us the bins were missed twice.",
            "found": "The crew skipped your road on 3 and 10 November.",
            "will_do": "We have added your road to the crew's checklist.",
        }
    ],
    "remedies_text": "",
    "closing": "",
}


@pytest.fixture
def answered(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A corporate complaint at stage 1 with one point, upheld."""
    reference = log_case("corporate", date(2026, 11, 2)).reference
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    add_complaint_point(
        council, reference, "Bins missed", by="off", expected_version=version_of(council, reference)
    )
    record_finding(
        council, reference, 1, "upheld", by="off", expected_version=version_of(council, reference)
    )
    return reference


def invoke(council: Context, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj={"context": council})


def run(council: Context, *args: str) -> str:
    result = invoke(council, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def written(tmp_path: Path, content: Any, name: str = "letter.json") -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def shown(council: Context, reference: str, letter: int = 1) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(
        run(council, "letter", "show", reference, str(letter), "--by", "off", "--json")
    )
    return shown


def at(council: Context, reference: str) -> tuple[str, str]:
    return ("--expected-version", str(version_of(council, reference)))


def test_a_letter_is_drafted_revised_returned_and_shown_from_the_command_line(
    council: Context, answered: str, tmp_path: Path
) -> None:
    content = written(tmp_path, CONTENT)
    out = run(
        council, "letter", "draft", answered, "stage1_response", "--by", "off",
        "--content", content, *at(council, answered),
    )  # fmt: skip
    assert out.startswith("Letter 1 (stage1_response) drafted.")
    letter = shown(council, answered)
    assert {
        "id",
        "kind",
        "status",
        "recipient",
        "revision",
        "html",
        "approved_digest",
        "sent_digest",
        "content",
        "comments",
    } <= set(letter)
    assert (letter["kind"], letter["status"], letter["recipient"], letter["revision"]) == (
        "stage1_response",
        "draft",
        "Ava Smith",
        1,
    )
    assert letter["content"] == CONTENT and letter["approved_digest"] is None
    assert "The crew skipped your road on 3 and 10 November." in letter["html"]
    changed = dict(CONTENT, closing="Call us on 01234 567890.")
    out = run(
        council, "letter", "revise", answered, "1", "--content", written(tmp_path, changed),
        "--by", "off", "--expected-revision", str(letter["revision"]),
    )  # fmt: skip
    assert out.startswith("Letter 1 is now at revision 2.")
    run(council, "letter", "submit", answered, "1", "--by", "off", *at(council, answered))
    run(
        council, "letter", "return", answered, "1", "--by", "mgr", *at(council, answered),
        "--part-comment", "points.1.will_do=Say by when.", "--part-comment", "closing=Good.",
    )  # fmt: skip
    letter = shown(council, answered)
    assert letter["status"] == "returned" and letter["revision"] == 2
    assert letter["comments"]["parts"] == {
        "points.1.will_do": "Say by when.",
        "closing": "Good.",
    }
    assert letter["comments"]["overall"] is None and letter["comments"]["by"] == "mgr"
    human = run(council, "letter", "show", answered, "1", "--by", "off")
    assert (
        "Returned by Mina Manager:" in human and "point 1, what we will do: Say by when." in human
    )
    run(
        council, "letter", "discard", answered, "1", "--by", "off", *at(council, answered),
        "--reason", "Starting again",
    )  # fmt: skip
    assert shown(council, answered)["status"] == "discarded"
    assert "discarded" in run(council, "letter", "list", answered, "--by", "off")


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        ("{not json", "is not JSON: Expecting property name enclosed in double quotes"),
        ("[1, 2]", "must hold a JSON object of the letter's parts"),
        (
            json.dumps(CONTENT | {"signature": "x", "ps": "y"}),
            "the content has parts no letter has: 'ps', 'signature'",
        ),
        (json.dumps(CONTENT | {"about": "x"}), "the stage1 response letter has no about"),
    ],
)
def test_a_bad_content_file_is_refused_with_a_clear_message_and_nothing_changes(
    council: Context, answered: str, tmp_path: Path, content: str, refusal: str
) -> None:
    run(
        council,
        "letter",
        "draft",
        answered,
        "stage1_response",
        "--by",
        "off",
        *at(council, answered),
    )
    version, audits = version_of(council, answered), audit_count(council)
    path = written(tmp_path, content)
    drafted = invoke(
        council, "letter", "draft", answered, "stage1_response", "--by", "off",
        "--content", path, *at(council, answered),
    )  # fmt: skip
    revised = invoke(
        council, "letter", "revise", answered, "1", "--content", path, "--by", "off",
        "--expected-revision", "1",
    )  # fmt: skip
    for result in (drafted, revised):
        assert result.exit_code == 1 and refusal in result.stderr
    assert len(list_letters(council, answered, by="off")) == 1
    assert shown(council, answered)["revision"] == 1
    assert version_of(council, answered) == version and audit_count(council) == audits


def test_a_stale_revision_and_a_malformed_part_comment_are_refused(
    council: Context, answered: str, tmp_path: Path
) -> None:
    run(
        council, "letter", "draft", answered, "stage1_response", "--by", "off",
        "--content", written(tmp_path, CONTENT), *at(council, answered),
    )  # fmt: skip
    run(
        council, "letter", "revise", answered, "1", "--content", written(tmp_path, CONTENT),
        "--by", "off2", "--expected-revision", "1",
    )  # fmt: skip
    stale = invoke(
        council, "letter", "revise", answered, "1", "--content", written(tmp_path, CONTENT),
        "--by", "off", "--expected-revision", "1",
    )  # fmt: skip
    assert stale.exit_code == 1
    assert "Owen Officer saved revision 2 at 09:00 on 2 November 2026" in stale.stderr
    missing = invoke(
        council, "letter", "revise", answered, "1", "--content", written(tmp_path, CONTENT),
        "--by", "off",
    )  # fmt: skip
    assert missing.exit_code == 2 and "--expected-revision" in missing.stderr
    run(council, "letter", "submit", answered, "1", "--by", "off", *at(council, answered))
    for given, refusal in (
        ("no equals sign", "--part-comment 'no equals sign' must be PART=TEXT"),
        ("points.9.found=x", "has no part 'points.9.found'"),
    ):
        result = invoke(
            council, "letter", "return", answered, "1", "--by", "mgr", *at(council, answered),
            "--part-comment", given,
        )  # fmt: skip
        assert result.exit_code == 1 and refusal in result.stderr
    assert shown(council, answered)["status"] == "submitted"
