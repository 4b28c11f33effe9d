"""`complaints letter`: a case's letters from draft to sent, and the council's own wording of
the letter templates (`complaints letter template ...`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from complaints.cli.common import EXPECTED_VERSION, load_database_context
from complaints.errors import DomainError
from complaints.private_files import write_private
from complaints.services.letter_templates import (
    list_templates,
    revert_template,
    set_template,
    show_template,
)
from complaints.services.letters import (
    MAX_COPY_BYTES,
    LetterDetail,
    approve_letter,
    discard_letter,
    draft_letter,
    list_letters,
    preview_letter,
    preview_letter_pdf,
    record_sent_outside,
    return_letter,
    revise_letter,
    send_letter,
    show_letter,
    submit_letter,
)

BY = click.option("--by", "by", required=True, help="The username of the person doing this.")
# A letter's content file: its parts as JSON. No letter's parts come near this size.
MAX_CONTENT_BYTES = 1_000_000


_CONTENT_HELP = (
    'The parts people write, as JSON: {"opening": ..., "points": [{"number": 1, "told_us": ..., '
    '"found": ..., "will_do": ...}], "remedies_text": ..., "closing": ...}.'
)
_CONTENT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
CONTENT = click.option("--content", "content_path", type=_CONTENT_FILE, help=_CONTENT_HELP)
REQUIRED_CONTENT = click.option(
    "--content", "content_path", required=True, type=_CONTENT_FILE, help=_CONTENT_HELP
)


def _read_content(path: Path | None) -> dict[str, Any] | None:
    """The JSON object in the file at `path`, or a refusal saying what is wrong with it."""
    if path is None:
        return None
    with path.open("rb") as handle:
        data = handle.read(MAX_CONTENT_BYTES + 1)
    if len(data) > MAX_CONTENT_BYTES:
        raise DomainError(f"{path} is larger than {MAX_CONTENT_BYTES:,} bytes")
    try:
        content = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DomainError(f"{path} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise DomainError(
            f"{path} is not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    if not isinstance(content, dict):
        raise DomainError(f"{path} must hold a JSON object of the letter's parts")
    return content


@click.group()
def letter() -> None:
    """Letters to complainants."""


@letter.command("preview")
@click.argument("reference")
@click.argument("template")
@click.option(
    "--pdf",
    "pdf_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a PDF here instead.",
)
@BY
@click.pass_context
def letter_preview(
    click_context: click.Context, reference: str, template: str, pdf_path: Path | None, by: str
) -> None:
    """Print the letter TEMPLATE for the case REFERENCE as HTML (or write it as a PDF)."""
    ctx = load_database_context(click_context)
    if pdf_path is None:
        click.echo(preview_letter(ctx, reference, template, by=by).html, nl=False)
        return
    rendered, pdf = preview_letter_pdf(ctx, reference, template, by=by)
    write_private(pdf_path, pdf)
    click.echo(f"{rendered.template} for {reference.upper()} written to {pdf_path}")


@letter.command("list")
@click.argument("reference")
@BY
@click.pass_context
def letter_list(click_context: click.Context, reference: str, by: str) -> None:
    """The letters of the case REFERENCE, oldest first."""
    letters = list_letters(load_database_context(click_context), reference, by=by)
    for item in letters:
        sent = f" sent {item.sent_on.isoformat()} sha256 {item.sha256}" if item.sent_on else ""
        click.echo(f"{item.id:>6}  {item.template:<24} {item.status:<10} by {item.author}{sent}")
    if not letters:
        click.echo("No letters yet.")


@letter.command("draft")
@click.argument("reference")
@click.argument("template")
@BY
@EXPECTED_VERSION
@click.option("--corrects", type=int, help="The id of the sent letter this one corrects.")
@CONTENT
@click.pass_context
def letter_draft(
    click_context: click.Context,
    reference: str,
    template: str,
    by: str,
    expected_version: int,
    corrects: int | None,
    content_path: Path | None,
) -> None:
    """Draft the letter TEMPLATE for the case REFERENCE, its parts from --content or else
    prefilled from the case."""
    content = _read_content(content_path)
    drafted = draft_letter(
        load_database_context(click_context),
        reference,
        template,
        by=by,
        expected_version=expected_version,
        corrects=corrects,
        content=content,
    )
    click.echo(f"Letter {drafted.id} ({drafted.template}) drafted.{_now_at(drafted.case_version)}")


@letter.command("revise")
@click.argument("reference")
@click.argument("letter_id", type=int)
@REQUIRED_CONTENT
@BY
@click.option(
    "--expected-revision",
    type=click.IntRange(min=0),
    required=True,
    help="The letter's revision you are changing (as `letter show` prints it): a revision "
    "saved since by someone else is refused rather than overwritten.",
)
@click.pass_context
def letter_revise(
    click_context: click.Context,
    reference: str,
    letter_id: int,
    content_path: Path,
    by: str,
    expected_revision: int,
) -> None:
    """Save the parts in --content as the next revision of letter LETTER_ID."""
    content = _read_content(content_path)
    assert content is not None
    revised = revise_letter(
        load_database_context(click_context),
        reference,
        letter_id,
        content,
        by=by,
        expected_revision=expected_revision,
    )
    click.echo(
        f"Letter {revised.id} is now at revision {revised.revision}.{_now_at(revised.case_version)}"
    )


@letter.command("show")
@click.argument("reference")
@click.argument("letter_id", type=int)
@BY
@click.option("--json", "as_json", is_flag=True, help="Print the letter as one JSON object.")
@click.pass_context
def letter_show(
    click_context: click.Context, reference: str, letter_id: int, by: str, as_json: bool
) -> None:
    """Show letter LETTER_ID: its status, revision, parts and the comments of its last return."""
    detail = show_letter(load_database_context(click_context), reference, letter_id, by=by)
    if as_json:
        click.echo(json.dumps(_as_json(detail), indent=2, ensure_ascii=False))
        return
    letter = detail.letter
    click.echo(f"Letter {letter.id} ({letter.template}) to {letter.recipient}: {letter.status}")
    click.echo(f"Revision {letter.revision}, written by {letter.author_name or 'nobody'}")
    if detail.comments:
        click.echo(f"Returned by {detail.comments.returned_by}:")
        for key, text in _comments(detail).items():
            click.echo(f"  {detail.part_labels.get(key, key)}: {text}")
    if detail.content:
        click.echo(json.dumps(detail.content, indent=2, ensure_ascii=False))


def _comments(detail: LetterDetail) -> dict[str, str]:
    if detail.comments is None:
        return {}
    overall = {"overall": detail.comments.overall} if detail.comments.overall else {}
    return overall | detail.comments.parts


def _as_json(detail: LetterDetail) -> dict[str, Any]:
    letter = detail.letter
    return {
        "id": letter.id,
        "reference": letter.reference,
        "kind": letter.template,
        "status": letter.status,
        "recipient": letter.recipient,
        "revision": letter.revision,
        "submitted_revision": letter.submitted_revision,
        "case_version": letter.case_version,
        "author": letter.author,
        "author_name": letter.author_name,
        "submitted_by": letter.submitted_by,
        "approver": letter.approver,
        "approver_name": letter.approver_name,
        "html": detail.html,
        "approved_digest": letter.approved_sha256,
        "sent_digest": letter.sha256,
        "sent_on": letter.sent_on.isoformat() if letter.sent_on else None,
        "discard_reason": letter.discard_reason,
        "parts": list(detail.parts),
        "content": detail.content,
        "comments": (
            {
                "revision": detail.comments.revision,
                "by": detail.comments.returned_by_username,
                "at": detail.comments.returned_at.isoformat(),
                "overall": detail.comments.overall,
                "parts": detail.comments.parts,
            }
            if detail.comments
            else None
        ),
        "revisions": [
            {"number": r.number, "by": r.saved_by_username, "at": r.saved_at.isoformat()}
            for r in detail.revisions
        ],
        "changes_since_submission": {
            key: str(changed) for key, changed in detail.changes_since_submission.items()
        },
    }


@letter.command("submit")
@click.argument("reference")
@click.argument("letter_id", type=int)
@BY
@EXPECTED_VERSION
@click.pass_context
def letter_submit(
    click_context: click.Context, reference: str, letter_id: int, by: str, expected_version: int
) -> None:
    """Put letter LETTER_ID forward for quality assurance."""
    context = load_database_context(click_context)
    moved = submit_letter(context, reference, letter_id, by=by, expected_version=expected_version)
    click.echo(f"Letter {moved.id} is {moved.status}.{_now_at(moved.case_version)}")


@letter.command("approve")
@click.argument("reference")
@click.argument("letter_id", type=int)
@BY
@EXPECTED_VERSION
@click.pass_context
def letter_approve(
    click_context: click.Context, reference: str, letter_id: int, by: str, expected_version: int
) -> None:
    """Approve letter LETTER_ID (a manager who did not write it)."""
    context = load_database_context(click_context)
    moved = approve_letter(context, reference, letter_id, by=by, expected_version=expected_version)
    click.echo(f"Letter {moved.id} is {moved.status}.{_now_at(moved.case_version)}")


@letter.command("return")
@click.argument("reference")
@click.argument("letter_id", type=int)
@BY
@EXPECTED_VERSION
@click.option("--comments", default="", help="What the author needs to change, overall.")
@click.option(
    "--part-comment",
    "part_comments",
    multiple=True,
    metavar="PART=TEXT",
    help="A comment on one part (opening, about, remedies_text, closing, points.2.found...); "
    "may be given more than once.",
)
@click.pass_context
def letter_return(
    click_context: click.Context,
    reference: str,
    letter_id: int,
    by: str,
    expected_version: int,
    comments: str,
    part_comments: tuple[str, ...],
) -> None:
    """Return letter LETTER_ID to its author with comments, overall or on its parts."""
    on_parts: dict[str, str] = {}
    for given in part_comments:
        key, equals, text = given.partition("=")
        if not equals or not key.strip():
            raise DomainError(f"--part-comment '{given}' must be PART=TEXT")
        if key.strip() in on_parts:
            raise DomainError(f"--part-comment gives {key.strip()} twice; give it once")
        on_parts[key.strip()] = text
    context = load_database_context(click_context)
    moved = return_letter(
        context,
        reference,
        letter_id,
        by=by,
        expected_version=expected_version,
        comments=comments,
        part_comments=on_parts,
    )
    click.echo(f"Letter {moved.id} is {moved.status}.{_now_at(moved.case_version)}")


@letter.command("discard")
@click.argument("reference")
@click.argument("letter_id", type=int)
@click.option("--reason", required=True, help="Why the letter will not be sent.")
@BY
@EXPECTED_VERSION
@click.pass_context
def letter_discard(
    click_context: click.Context,
    reference: str,
    letter_id: int,
    reason: str,
    by: str,
    expected_version: int,
) -> None:
    """Discard the drafted or returned letter LETTER_ID; it stays listed as discarded."""
    context = load_database_context(click_context)
    moved = discard_letter(
        context, reference, letter_id, by=by, expected_version=expected_version, reason=reason
    )
    click.echo(f"Letter {moved.id} is {moved.status}.{_now_at(moved.case_version)}")


@letter.command("send")
@click.argument("reference")
@click.argument("letter_id", type=int)
@BY
@EXPECTED_VERSION
@click.pass_context
def letter_send(
    click_context: click.Context, reference: str, letter_id: int, by: str, expected_version: int
) -> None:
    """Send letter LETTER_ID: stored as sent, and the workflow step it belongs to is taken."""
    context = load_database_context(click_context)
    case = send_letter(context, reference, letter_id, by=by, expected_version=expected_version)
    click.echo(
        f"Letter {letter_id} sent; case {case.reference} is now {case.state}."
        f"{_now_at(case.version)}"
    )


@letter.command("sent-outside")
@click.argument("reference")
@click.argument("trigger")
@click.option(
    "--copy",
    "copy_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A PDF of exactly what was sent.",
)
@click.option("--reason", required=True, help="Why it was sent outside this system.")
@BY
@EXPECTED_VERSION
@click.pass_context
def letter_sent_outside(
    click_context: click.Context,
    reference: str,
    trigger: str,
    copy_path: Path,
    reason: str,
    by: str,
    expected_version: int,
) -> None:
    """Record that the response step TRIGGER sends (send_response, adjudicate...) went out
    another way, with a copy of it; a manager does this, and the step is taken."""
    with copy_path.open("rb") as handle:
        copy = handle.read(MAX_COPY_BYTES + 1)
    context = load_database_context(click_context)
    case = record_sent_outside(
        context,
        reference,
        trigger,
        by=by,
        expected_version=expected_version,
        reason=reason,
        copy=copy,
    )
    click.echo(
        f"Recorded as sent; case {case.reference} is now {case.state}.{_now_at(case.version)}"
    )


def _now_at(version: int) -> str:
    return f" The case is now at version {version}."


@letter.group("template")
def letter_template() -> None:
    """The council's own wording of letter templates."""


@letter_template.command("list")
@click.pass_context
def template_list(click_context: click.Context) -> None:
    """Every letter template and where its wording in force comes from."""
    for view in list_templates(load_database_context(click_context)):
        version = f" version {view.version}" if view.version else ""
        click.echo(f"{view.name:<36} {view.origin}{version}")


@letter_template.command("show")
@click.argument("name")
@click.pass_context
def template_show(click_context: click.Context, name: str) -> None:
    """Print the wording of template NAME in force, after its history."""
    view = show_template(load_database_context(click_context), name)
    for item in view.history:
        what = f"sha256 {item.sha256}" if item.sha256 else "reverted"
        click.echo(
            f"# version {item.version} by {item.set_by} at {item.set_at:%Y-%m-%d %H:%M} {what}"
        )
    version = f" version {view.version}" if view.version else ""
    click.echo(f"# in force: {view.origin}{version}")
    click.echo(view.text, nl=False)


@letter_template.command("set")
@click.argument("name")
@click.option(
    "--file",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The new wording (a Jinja2 template, UTF-8).",
)
@BY
@click.pass_context
def template_set(click_context: click.Context, name: str, path: Path, by: str) -> None:
    """Check the wording in FILE and save it as template NAME's newest version."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DomainError(f"{path} is not UTF-8 text") from None
    view = set_template(load_database_context(click_context), name, text, by=by)
    click.echo(f"Template {view.name} is now version {view.version}.")


@letter_template.command("revert")
@click.argument("name")
@BY
@click.pass_context
def template_revert(click_context: click.Context, name: str, by: str) -> None:
    """Put back the wording template NAME has without the council's versions."""
    view = revert_template(load_database_context(click_context), name, by=by)
    click.echo(f"Template {view.name} now uses the {view.origin} wording.")
