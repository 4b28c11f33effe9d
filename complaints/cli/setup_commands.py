"""`complaints init-db` and `complaints demo-data`: a database ready to use, and a demo council."""

from __future__ import annotations

import click
from sqlalchemy.engine import make_url

from complaints.cli.common import load_context, report_calendar_change
from complaints.db import current_revision, upgrade
from complaints.demo import BULK_ABOVE, DEFAULT_CASES, LoadMethod, load_demo_data
from complaints.errors import DomainError
from complaints.services.calendar_changes import apply_calendar_change
from complaints.services.people import seed_reference_data


@click.command("init-db")
@click.pass_context
def init_db(click_context: click.Context) -> None:
    """Create or upgrade the database schema and add the teams and categories from config.toml."""
    context = load_context(click_context)
    upgrade(context.database)
    report_calendar_change(apply_calendar_change(context))
    teams, categories = seed_reference_data(context)
    where = make_url(context.database.url).render_as_string(hide_password=True)
    click.echo(
        f"Database ready at {where} (schema {current_revision(context.database)}); "
        f"added {teams} teams and {categories} categories."
    )


@click.command("demo-data")
@click.option("--cases", default=DEFAULT_CASES, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", default=2026, show_default=True, type=int, help="Same seed, same council.")
@click.option(
    "--method",
    type=click.Choice([method.value for method in LoadMethod]),
    help=f"How to write the cases (default: played up to {BULK_ABOVE:,} cases, bulk above).",
)
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if cases already exist.")
@click.pass_context
def demo_data(
    click_context: click.Context, cases: int, seed: int, method: str | None, if_empty: bool
) -> None:
    """Load a demo council: staff of every role and CASES cases, some of them overdue.

    Either way each case is played through from receipt to today; `played` saves the cases
    through the ORM like any other change, `bulk` copies them in batches (COPY on PostgreSQL,
    executemany on SQLite) for councils of many thousands. The same seed gives the same council.
    """
    context = load_context(click_context)
    upgrade(context.database)
    try:
        summary = load_demo_data(context, cases=cases, seed=seed, method=method)
    except DomainError as error:
        if if_empty and "already holds" in str(error):
            click.echo(f"{error}; keeping the existing data.")
            return
        raise
    states = ", ".join(f"{state} {count}" for state, count in summary.by_state.items())
    click.echo(f"Loaded {summary.cases} demo cases ({states}).")
    how = "Written in bulk" if summary.method is LoadMethod.BULK else "Saved through the ORM"
    click.echo(
        f"{how} in {summary.seconds:.1f} s ({summary.cases_per_second:,.0f} cases a second)."
    )
    if summary.phases:
        click.echo("; ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.phases.items()))
    click.echo(f"Demo sign-ins (password '{summary.password}'): {', '.join(summary.staff)}")
