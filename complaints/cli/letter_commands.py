"""`complaints letter`: a case's letters from draft to sent, and the council's own wording of
the letter templates (`complaints letter template ...`)."""

from __future__ import annotations

from pathlib import Path

import click

from complaints.cli.common import EXPECTED_VERSION, load_database_context
from complaints.errors import DomainError
from complaints.letters.pdf import html_to_pdf
from complaints.private_files import write_private
from complaints.services.letter_templates import (
    list_templates,
    revert_template,
    set_template,
    show_template,
)
from complaints.services.letters import (
    MAX_COPY_BYTES,
    approve_letter,
    draft_letter,
    list_letters,
    preview_letter,
    record_sent_outside,
    return_letter,
    send_letter,
    submit_letter,
)

BY = click.option("--by", "by", required=True, help="The username of the person doing this.")


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
    rendered = preview_letter(load_database_context(click_context), reference, template, by=by)
    if pdf_path is None:
        click.echo(rendered.html, nl=False)
        return
    write_private(pdf_path, html_to_pdf(rendered.html))
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
@click.pass_context
def letter_draft(
    click_context: click.Context,
    reference: str,
    template: str,
    by: str,
    expected_version: int,
    corrects: int | None,
) -> None:
    """Draft the letter TEMPLATE for the case REFERENCE."""
    drafted = draft_letter(
        load_database_context(click_context),
        reference,
        template,
        by=by,
        expected_version=expected_version,
        corrects=corrects,
    )
    click.echo(f"Letter {drafted.id} ({drafted.template}) drafted.{_now_at(drafted.case_version)}")


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
@click.option("--comments", required=True, help="What the author needs to change.")
@click.pass_context
def letter_return(
    click_context: click.Context,
    reference: str,
    letter_id: int,
    by: str,
    expected_version: int,
    comments: str,
) -> None:
    """Return letter LETTER_ID to its author with comments."""
    context = load_database_context(click_context)
    moved = return_letter(
        context, reference, letter_id, by=by, expected_version=expected_version, comments=comments
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
