"""`complaints workflow`: what each procedure's workflow is, as a table, JSON or a diagram, with
its steps' descriptions quoting the council's timescales."""

from __future__ import annotations

import json
from collections.abc import Mapping

import click

from complaints.cli.common import load_context
from complaints.deadlines import TimescaleWords, timescale_words
from workflows.definition import Effect, Transition, Workflow
from workflows.diagrams import mermaid


@click.group()
def workflow() -> None:
    """The procedures' workflows."""


@workflow.command("show")
@click.argument("procedure")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def workflow_show(click_context: click.Context, procedure: str, as_json: bool) -> None:
    """Every state and trigger of PROCEDURE: sources, destination, roles, fields and timers."""
    ctx = load_context(click_context)
    declared = ctx.engine.workflow(procedure)
    words = timescale_words(ctx.settings, procedure)
    if as_json:
        click.echo(json.dumps(describe(declared, words)))
        return
    click.echo(f"{declared.title} ({declared.name})")
    click.echo(f"States: {', '.join(declared.states)}")
    click.echo(f"Timers started on logging: {', '.join(declared.starts_on_log) or 'none'}")
    for transition in declared.transitions:
        click.echo("")
        click.echo("\n".join(_transition_lines(transition, words)))


@workflow.command("diagram")
@click.argument("procedure")
@click.pass_context
def workflow_diagram(click_context: click.Context, procedure: str) -> None:
    """PROCEDURE's workflow as a Mermaid state diagram."""
    click.echo(mermaid(load_context(click_context).engine.workflow(procedure)), nl=False)


def _transition_lines(transition: Transition, words: Mapping[str, TimescaleWords]) -> list[str]:
    dest = transition.dest or "(same state)"
    lines = [
        f"{transition.trigger}: {', '.join(transition.source)} -> {dest}",
        f"  {transition.describe(words)}",
        f"  roles: {', '.join(sorted(transition.roles))}",
    ]
    fields = [f.name + ("" if f.required else " (optional)") for f in transition.fields]
    for label, items in (
        ("fields", fields),
        ("starts", list(transition.starts)),
        ("stops", _stops(transition)),
        ("effects", [str(effect) for effect in transition.effects]),
        ("conditions", list(transition.conditions)),
    ):
        if items:
            lines.append(f"  {label}: {', '.join(items)}")
    if transition.extends:
        lines.append(f"  extends: {transition.extends}")
    if transition.letter:
        lines.append(f"  letter: {transition.letter}")
    return lines


def _stops(transition: Transition) -> list[str]:
    stops = list(transition.stops) + [f"{name} (cancelled)" for name in transition.cancels]
    if Effect.STOP_ALL in transition.effects:
        stops.append("all running timers")
    if Effect.CANCEL_ALL in transition.effects:
        stops.append("all running timers (cancelled)")
    if Effect.HOLD in transition.effects:
        stops.append("all running timers (paused)")
    return stops


def describe(declared: Workflow, words: Mapping[str, TimescaleWords]) -> dict[str, object]:
    return {
        "procedure": declared.name,
        "title": declared.title,
        "states": list(declared.states),
        "initial": declared.initial,
        "final_states": sorted(declared.final_states),
        "starts_on_log": list(declared.starts_on_log),
        "deadlines": [
            {
                "name": deadline.name,
                "role": deadline.role.value,
                "stage": deadline.stage,
                "counts_from": deadline.counts_from.value,
                "started_by": list(declared.started_by(deadline.name)),
                "stopped_by": list(declared.stopped_by(deadline.name)),
                "extendable": deadline.extendable,
                "complainant_must_agree": deadline.complainant_must_agree,
            }
            for deadline in declared.deadlines
        ],
        "transitions": [_describe_transition(t, words) for t in declared.transitions],
    }


def _describe_transition(
    transition: Transition, words: Mapping[str, TimescaleWords]
) -> dict[str, object]:
    return {
        "trigger": transition.trigger,
        "description": transition.describe(words),
        "source": list(transition.source),
        "dest": transition.dest or "(same state)",
        "roles": sorted(transition.roles),
        "fields": [
            {
                "name": f.name,
                "kind": f.kind.value,
                "required": f.required,
                "choices": list(f.choices),
            }
            for f in transition.fields
        ],
        "starts": list(transition.starts),
        "stops": _stops(transition),
        "extends": transition.extends,
        "effects": [str(effect) for effect in transition.effects],
        "conditions": list(transition.conditions),
        "letter": transition.letter,
    }
