"""`complaints letter`: see a case's letter as it would be sent."""

from __future__ import annotations

from pathlib import Path

import click

from complaints.cli.common import load_database_context
from complaints.letters.rendering import html_to_pdf, render_letter


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
@click.pass_context
def letter_preview(
    click_context: click.Context, reference: str, template: str, pdf_path: Path | None
) -> None:
    """Print the letter TEMPLATE for the case REFERENCE as HTML (or write it as a PDF)."""
    rendered = render_letter(load_database_context(click_context), reference, template)
    if pdf_path is None:
        click.echo(rendered.html, nl=False)
        return
    pdf_path.write_bytes(html_to_pdf(rendered.html))
    click.echo(f"{rendered.template} for {reference.upper()} written to {pdf_path}")
