"""`complaints case`: log feedback, fire workflow triggers, record points, findings, remedies."""

from __future__ import annotations

import json
from datetime import date

import click

from complaints.cli.common import EXPECTED_VERSION, ISO_DATE, load_database_context
from complaints.dates import long_date
from complaints.deadlines import step_label
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback, show_case
from complaints.services.points import add_complaint_point, add_remedy, record_finding
from complaints.services.triage import reallocate, triage_case
from complaints.services.views import CaseView

BY = click.option("--by", "by", required=True, help="The username of the person doing this.")
ON = click.option("--on", "on", type=ISO_DATE, help="The day it happened (default: today).")
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print the case as one JSON object.")


@click.group()
def case() -> None:
    """Cases: log feedback and move it through its procedure."""


@case.command("new")
@click.option(
    "--procedure",
    required=True,
    help="statutory_children, corporate, adult_social_care, feedback or redirection.",
)
@click.option(
    "--type", "feedback_type", required=True, help="complaint, compliment, comment or question."
)
@click.option("--received", type=ISO_DATE, required=True, help="Day 0: the day it was received.")
@click.option("--summary", required=True)
@click.option(
    "--name", "complainant_name", default="Not given", show_default=True, help="Who it is from."
)
@click.option("--contact-method", default="email", show_default=True)
@click.option(
    "--made-by",
    default="complainant",
    show_default=True,
    help="complainant, child, advocate or representative.",
)
@click.option("--child", is_flag=True, help="The complainant is a child or young person.")
@click.option("--advocate", help="The advocate's name, if one is appointed.")
@click.option("--team", help="The service area the feedback is about.")
@click.option("--matter-date", type=ISO_DATE, help="When the matter complained about happened.")
@click.option("--late-reason", help="Why a complaint made after the time limit is accepted.")
@click.option("--category", "categories", multiple=True, help="A subject category (repeatable).")
@click.option("--email", help="The complainant's e-mail address.")
@click.option("--phone", help="The complainant's telephone number.")
@click.option("--address", help="The complainant's postal address.")
@click.option("--consent", is_flag=True, help="Consent to act for the person is recorded.")
@BY
@AS_JSON
@click.pass_context
def case_new(
    click_context: click.Context,
    /,
    procedure: str,
    feedback_type: str,
    received: date,
    summary: str,
    complainant_name: str,
    contact_method: str,
    made_by: str,
    child: bool,
    advocate: str | None,
    team: str | None,
    matter_date: date | None,
    late_reason: str | None,
    categories: tuple[str, ...],
    email: str | None,
    phone: str | None,
    address: str | None,
    consent: bool,
    by: str,
    as_json: bool,
) -> None:
    """Log feedback as a new case and start its timers."""
    feedback = NewFeedback(
        procedure=procedure,
        feedback_type=feedback_type,
        received_on=received,
        summary=summary,
        complainant_name=complainant_name,
        contact_method=contact_method,
        made_by=made_by,
        is_child=child,
        advocate_name=advocate,
        team=team,
        matter_date=matter_date,
        late_reason=late_reason,
        categories=categories,
        complainant_email=email,
        complainant_phone=phone,
        complainant_address=address,
        consent_recorded=consent,
    )
    _print(log_feedback(load_database_context(click_context), feedback, by=by), as_json)


@case.command("fire")
@click.argument("reference")
@click.argument("trigger")
@BY
@ON
@click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE", help="A value the step records."
)
@EXPECTED_VERSION
@AS_JSON
@click.pass_context
def case_fire(
    click_context: click.Context,
    reference: str,
    trigger: str,
    by: str,
    on: date | None,
    settings: tuple[str, ...],
    expected_version: int,
    as_json: bool,
) -> None:
    """Fire TRIGGER (a step of the case's procedure) on the case REFERENCE."""
    values = dict(_pair(setting) for setting in settings)
    view = fire_trigger(
        load_database_context(click_context),
        reference,
        trigger,
        by=by,
        on=on,
        values=values,
        expected_version=expected_version,
    )
    _print(view, as_json)


@case.command("show")
@click.argument("reference")
@BY
@AS_JSON
@click.pass_context
def case_show(click_context: click.Context, reference: str, by: str, as_json: bool) -> None:
    """Show a case's state and deadlines (to someone who may see it)."""
    _print(show_case(load_database_context(click_context), reference, by=by), as_json)


@case.command("point")
@click.argument("reference")
@click.argument("description")
@BY
@ON
@click.option("--team", help="The service area this point is about (default: the case's).")
@click.option("--officer", help="Who investigates this point (default: the case's officer).")
@click.option("--restart", is_flag=True, help="Restart the stage 1 clock (a manager agrees).")
@click.option("--agreed-by", help="The manager who agreed the restart, if you are not one.")
@EXPECTED_VERSION
@AS_JSON
@click.pass_context
def case_point(
    click_context: click.Context,
    reference: str,
    description: str,
    by: str,
    on: date | None,
    team: str | None,
    officer: str | None,
    restart: bool,
    agreed_by: str | None,
    expected_version: int,
    as_json: bool,
) -> None:
    """Add a complaint point to the case REFERENCE."""
    view = add_complaint_point(
        load_database_context(click_context),
        reference,
        description,
        by=by,
        team=team,
        officer=officer,
        restart=restart,
        agreed_by=agreed_by,
        on=on,
        expected_version=expected_version,
    )
    _print(view, as_json)


@case.command("finding")
@click.argument("reference")
@click.argument("point", type=click.IntRange(min=1))
@click.argument("outcome")
@BY
@ON
@click.option("--notes")
@EXPECTED_VERSION
@AS_JSON
@click.pass_context
def case_finding(
    click_context: click.Context,
    reference: str,
    point: int,
    outcome: str,
    by: str,
    on: date | None,
    notes: str | None,
    expected_version: int,
    as_json: bool,
) -> None:
    """Record the finding (upheld, partially_upheld, not_upheld...) on POINT at this stage."""
    view = record_finding(
        load_database_context(click_context),
        reference,
        point,
        outcome,
        by=by,
        notes=notes,
        on=on,
        expected_version=expected_version,
    )
    _print(view, as_json)


@case.command("remedy")
@click.argument("reference")
@click.argument("kind")
@BY
@click.option("--amount", help="For a financial remedy: the amount in pounds.")
@click.option("--description")
@EXPECTED_VERSION
@AS_JSON
@click.pass_context
def case_remedy(
    click_context: click.Context,
    reference: str,
    kind: str,
    by: str,
    amount: str | None,
    description: str | None,
    expected_version: int,
    as_json: bool,
) -> None:
    """Record a remedy (explanation, apology, financial...) offered at this stage."""
    view = add_remedy(
        load_database_context(click_context),
        reference,
        kind,
        by=by,
        amount=amount,
        description=description,
        expected_version=expected_version,
    )
    _print(view, as_json)


@case.command("triage")
@click.argument("reference")
@BY
@click.option("--team", help="The service area the case is about.")
@click.option(
    "--category", "categories", multiple=True, help="Replace the categories (repeatable)."
)
@click.option("--matter-date", type=ISO_DATE, help="When the matter complained about happened.")
@click.option("--late-reason", help="Why a complaint made after the time limit is accepted.")
@EXPECTED_VERSION
@AS_JSON
@click.pass_context
def case_triage(
    click_context: click.Context,
    reference: str,
    by: str,
    team: str | None,
    categories: tuple[str, ...],
    matter_date: date | None,
    late_reason: str | None,
    expected_version: int,
    as_json: bool,
) -> None:
    """Record or correct the triage of the case REFERENCE (only what is given changes)."""
    view = triage_case(
        load_database_context(click_context),
        reference,
        by=by,
        team=team,
        categories=categories or None,
        matter_date=matter_date,
        late_reason=late_reason,
        expected_version=expected_version,
    )
    _print(view, as_json)


@case.command("reallocate")
@click.argument("reference")
@BY
@click.option("--type", "feedback_type", help="The new type of feedback.")
@click.option("--procedure", help="The new procedure.")
@click.option("--reason", required=True, help="Why the case is reallocated.")
@ON
@EXPECTED_VERSION
@AS_JSON
@click.pass_context
def case_reallocate(
    click_context: click.Context,
    reference: str,
    by: str,
    feedback_type: str | None,
    procedure: str | None,
    reason: str,
    on: date | None,
    expected_version: int,
    as_json: bool,
) -> None:
    """Move the case REFERENCE to another type or procedure; its history is kept."""
    view = reallocate(
        load_database_context(click_context),
        reference,
        by=by,
        reason=reason,
        feedback_type=feedback_type,
        procedure=procedure,
        on=on,
        expected_version=expected_version,
    )
    _print(view, as_json)


def _pair(setting: str) -> tuple[str, str]:
    name, equals, value = setting.partition("=")
    if not equals or not name.strip():
        raise click.BadParameter(f"'{setting}' should be NAME=VALUE", param_hint="--set")
    return name.strip(), value


def _print(view: CaseView, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(view.as_json()))
        return
    click.echo(
        f"{view.reference}  {view.procedure}  {view.feedback_type}  stage {view.stage}  "
        f"{view.state}  (version {view.version})"
    )
    click.echo(f"Received {long_date(view.received_on)}: {view.summary}")
    for point in view.points:
        found = ", ".join(
            f"stage {stage}: {finding}" for stage, finding in sorted(point.findings.items())
        )
        who = ", ".join(filter(None, [point.team, point.officer]))
        click.echo(
            f"  Point {point.number}: {point.description} [{who}] {found or 'no finding yet'}"
        )
    for deadline in view.deadlines:
        ended = (
            f", {deadline.status} {deadline.stopped_on.isoformat()}" if deadline.stopped_on else ""
        )
        click.echo(
            f"  {step_label(deadline.name):<30} due {long_date(deadline.due_on):<28} "
            f"{deadline.status if not ended else ''}{ended}"
        )
